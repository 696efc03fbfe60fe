"""Accept, request a supplement, or refuse: what the officer confirms before the outbox."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.clock import SYSTEM_CLOCK, Clock, vn_today
from intake_desktop.desk import DossierView
from intake_desktop.domain import DecisionKind
from intake_desktop.services.dossier_check import Gravity
from intake_desktop.ui.i18n import current_language
from intake_desktop.ui.qt_dates import qdate


@dataclass(frozen=True)
class DecisionInput:
    kind: DecisionKind
    reasons: tuple[str, ...]
    components: tuple[str, ...]
    appointment_date: date | None
    note: str


class DecisionDialog(QDialog):
    def __init__(
        self,
        kind: DecisionKind,
        view: DossierView,
        suggested_appointment: date | None,
        parent: QWidget | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("decision_dialog")
        self.kind = kind
        self.view = view
        problems = view.check.problems
        self.setWindowTitle(
            {
                DecisionKind.ACCEPT: self.tr("Tiếp nhận hồ sơ %1"),
                DecisionKind.REQUEST_SUPPLEMENT: self.tr("Yêu cầu bổ sung hồ sơ %1"),
                DecisionKind.REFUSE: self.tr("Từ chối tiếp nhận hồ sơ %1"),
            }[kind].replace("%1", view.dossier.code)
        )
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.appointment: QDateEdit | None = None
        self.override: QCheckBox | None = None
        self.override_reason: QLineEdit | None = None
        self.reasons: QPlainTextEdit | None = None

        if kind is DecisionKind.ACCEPT:
            self.appointment = QDateEdit()
            self.appointment.setObjectName("appointment_date")
            self.appointment.setCalendarPopup(True)
            self.appointment.setDisplayFormat("dd/MM/yyyy")
            today = vn_today(clock)
            self.appointment.setMinimumDate(qdate(today))
            self.appointment.setDate(qdate(suggested_appointment or today))
            if view.procedure is None:
                hint = self.tr("Thủ tục không có trong danh mục: hãy chọn ngày hẹn.")
            elif view.procedure.processing_days == 0:
                hint = self.tr("Thủ tục trả kết quả ngay trong ngày làm việc.")
            else:
                hint = self.tr(
                    "Tính theo %n ngày làm việc của thủ tục, trừ thứ Bảy, Chủ nhật và ngày lễ.",
                    "",
                    view.procedure.processing_days,
                )
            form.addRow(self.tr("Ngày hẹn trả kết quả:"), self.appointment)
            note = QLabel(hint)
            note.setWordWrap(True)
            form.addRow("", note)
            if problems:
                lang = current_language()
                warning = QLabel(
                    "<b style='color:#c62828'>"
                    + html.escape(self.tr("Hồ sơ còn %n vấn đề:", "", len(problems)))
                    + "</b><ul>"
                    + "".join(f"<li>{html.escape(p.message(lang))}</li>" for p in problems)
                    + "</ul>"
                )
                warning.setObjectName("problems_warning")
                warning.setWordWrap(True)
                warning.setTextFormat(Qt.TextFormat.RichText)
                layout.addWidget(warning)
                self.override = QCheckBox(self.tr("Tôi vẫn tiếp nhận hồ sơ này"))
                self.override.setObjectName("override")
                self.override_reason = QLineEdit()
                self.override_reason.setObjectName("override_reason")
                self.override_reason.setPlaceholderText(self.tr("Lý do vẫn tiếp nhận (bắt buộc)"))
                layout.addWidget(self.override)
                layout.addWidget(self.override_reason)
                self.override.toggled.connect(self._validate)
                self.override_reason.textChanged.connect(self._validate)
        else:
            label = (
                self.tr("Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung):")
                if kind is DecisionKind.REQUEST_SUPPLEMENT
                else self.tr("Lý do từ chối (bắt buộc, mỗi dòng một lý do):")
            )
            layout.addWidget(QLabel(label))
            self.reasons = QPlainTextEdit()
            self.reasons.setObjectName("reasons")
            self.reasons.setPlainText("\n".join(view.check.supplement_reasons()))
            self.reasons.textChanged.connect(self._validate)
            layout.addWidget(self.reasons, 1)

        self.note = QLineEdit()
        self.note.setObjectName("officer_note")
        self.note.setPlaceholderText(self.tr("Ghi chú nội bộ của cán bộ (không in ra phiếu)"))
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(
            {
                DecisionKind.ACCEPT: self.tr("Tiếp nhận và in giấy hẹn"),
                DecisionKind.REQUEST_SUPPLEMENT: self.tr("Gửi yêu cầu bổ sung"),
                DecisionKind.REFUSE: self.tr("Từ chối tiếp nhận"),
            }[kind]
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._validate()

    def _reason_lines(self) -> tuple[str, ...]:
        if self.reasons is None:
            return ()
        return tuple(
            line.strip() for line in self.reasons.toPlainText().splitlines() if line.strip()
        )

    def _validate(self) -> None:
        ok = True
        if self.kind is DecisionKind.ACCEPT and self.override is not None:
            assert self.override_reason is not None
            ok = self.override.isChecked() and bool(self.override_reason.text().strip())
        elif self.kind is not DecisionKind.ACCEPT:
            ok = bool(self._reason_lines())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def result_input(self) -> DecisionInput:
        """What the officer confirmed (call after ``exec()`` returned Accepted)."""
        problems = self.view.check.problems
        components = tuple(dict.fromkeys(p.component_code for p in problems if p.component_code))
        note = self.note.text().strip()
        if self.kind is DecisionKind.ACCEPT:
            assert self.appointment is not None
            qd = self.appointment.date()
            reasons: tuple[str, ...] = ()
            if self.override_reason is not None and self.override_reason.text().strip():
                reasons = (self.override_reason.text().strip(),)
            return DecisionInput(
                self.kind, reasons, (), date(qd.year(), qd.month(), qd.day()), note
            )
        gravity_components = tuple(
            c for c in components if any(p.gravity is Gravity.PROBLEM for p in problems)
        )
        return DecisionInput(self.kind, self._reason_lines(), gravity_components, None, note)
