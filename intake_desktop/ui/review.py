"""Reviewing one dossier: applicant, checklist, the attachment, its signature history, decision."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.desk import Desk, DossierView, RecordedDecision
from intake_desktop.domain import DecisionKind, DossierStatus, OutboxState
from intake_desktop.services.dossier_check import Gravity
from intake_desktop.services.signatures import DocumentReport
from intake_desktop.services.signatures.changes import describe
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.store.decision_history import StoredDecision, all_decisions
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.checklist_model import ChecklistModel, ChecklistRow, checklist_rows
from intake_desktop.ui.decision_history_model import (
    DecisionHistoryModel,
    SnapshotModel,
    snapshot_rows,
)
from intake_desktop.ui.error_text import error_text
from intake_desktop.ui.i18n import current_language
from intake_desktop.ui.queue_model import outbox_text, read_only_reason, status_text
from intake_desktop.ui.signature_check_window import signature_details_html
from intake_desktop.ui.signature_models import SignatureTableModel
from intake_desktop.ui.verdict_style import verdict_colour, verdict_text
from intake_desktop.viewer import PdfViewer

log = logging.getLogger(__name__)


class ReviewWidget(QWidget):
    """Everything about one dossier on one screen. Emits ``closed`` when the officer goes back
    and ``decided`` once a decision is recorded (with its slip)."""

    closed = Signal()
    decided = Signal(object)  # RecordedDecision
    loaded = Signal()
    stepRequested = Signal(int)  # +1 next dossier, -1 previous

    def __init__(
        self,
        desk: Desk,
        code: str,
        *,
        decide: Callable[[ReviewWidget, DecisionKind], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("review")
        self.desk = desk
        self.code = code
        self.view: DossierView | None = None
        self.history: list[StoredDecision] = []
        """Every officer's decisions on this dossier, oldest first (this desk's and others')."""
        self._decide = decide

        self.back_button = QToolButton()
        self.back_button.setText(self.tr("← Hàng đợi"))
        self.back_button.setToolTip(self.tr("Quay lại hàng đợi (Esc)"))
        self.back_button.clicked.connect(self.closed.emit)
        self.title = QLabel(self.tr("Đang mở hồ sơ %1…").replace("%1", code))
        self.title.setObjectName("review_title")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.state_label = QLabel()
        self.accept_button = QPushButton(self.tr("Tiếp nhận"))
        self.accept_button.setObjectName("accept_button")
        self.accept_button.setToolTip(self.tr("Tiếp nhận hồ sơ, hẹn ngày trả kết quả (Ctrl+Enter)"))
        self.supplement_button = QPushButton(self.tr("Yêu cầu bổ sung"))
        self.supplement_button.setToolTip(self.tr("Yêu cầu bổ sung, hoàn thiện hồ sơ (Ctrl+B)"))
        self.refuse_button = QPushButton(self.tr("Từ chối"))
        self.refuse_button.setToolTip(self.tr("Từ chối tiếp nhận (Ctrl+R)"))
        for button, kind in (
            (self.accept_button, DecisionKind.ACCEPT),
            (self.supplement_button, DecisionKind.REQUEST_SUPPLEMENT),
            (self.refuse_button, DecisionKind.REFUSE),
        ):
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, k=kind: self.request_decision(k))
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.state_label)
        top.addWidget(self.accept_button)
        top.addWidget(self.supplement_button)
        top.addWidget(self.refuse_button)
        self._decision_tips = {
            button: button.toolTip()
            for button in (self.accept_button, self.supplement_button, self.refuse_button)
        }
        # Shown only for a status the desk does not know: why nothing can be decided here.
        self.read_only_note = QLabel()
        self.read_only_note.setObjectName("read_only_note")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet(
            "background: #fff4e0; color: #7a4a00; border: 1px solid #e0b060; padding: 4px;"
        )
        self.read_only_note.hide()

        # Left: applicant, checklist, problems.
        self.applicant = QLabel()
        self.applicant.setObjectName("applicant")
        self.applicant.setTextFormat(Qt.TextFormat.RichText)
        self.applicant.setWordWrap(True)
        self.applicant.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checklist = ChecklistModel(self)
        self.checklist_view = QTableView()
        self.checklist_view.setObjectName("checklist")
        self.checklist_view.setModel(self.checklist)
        self.checklist_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checklist_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checklist_view.verticalHeader().hide()
        self.checklist_view.setWordWrap(True)
        header = self.checklist_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.checklist_view.selectionModel().currentRowChanged.connect(self._component_selected)
        self.findings = QTextBrowser()
        self.findings.setObjectName("findings")
        self.findings.setOpenLinks(False)
        self.findings.anchorClicked.connect(self._finding_clicked)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.applicant)
        left.addWidget(self.checklist_view)
        left.addWidget(self.findings)
        left.setSizes([130, 260, 200])

        # Centre: the attachment.
        self.viewer = PdfViewer()
        self.viewer.signatureClicked.connect(self._select_signature)
        # Page room matters more than thumbnails on a 1366-pixel desk screen.
        self.viewer.thumbnails_action.setChecked(False)
        self.viewer.thumbnails.setVisible(False)

        # Right: signature history of the selected attachment.
        self.history_title = QLabel(self.tr("Lịch sử ký số"))
        self.history_title.setWordWrap(True)
        self.history_title.setObjectName("history_title")
        self.signatures = SignatureTableModel(self)
        self.signatures_view = QTableView()
        self.signatures_view.setObjectName("signature_history")
        self.signatures_view.setModel(self.signatures)
        self.signatures_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.signatures_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.signatures_view.verticalHeader().hide()
        self.signatures_view.setWordWrap(False)
        for column in range(3, self.signatures.columnCount()):
            self.signatures_view.setColumnHidden(column, True)  # the details pane has them
        history_header = self.signatures_view.horizontalHeader()
        history_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        history_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        history_header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # Short cells ("Hợp lệ") must not shrink a column below its own title.
        titles = self.signatures.headers()[:3]
        history_header.setMinimumSectionSize(
            max(history_header.fontMetrics().horizontalAdvance(t) for t in titles[::2]) + 16
        )
        self.signatures_view.selectionModel().currentRowChanged.connect(self._signature_selected)
        self.signature_details = QTextBrowser()
        self.signature_details.setObjectName("signature_details")
        self.signed_button = QPushButton(self.tr("Xem bản đã ký"))
        self.signed_button.setToolTip(self.tr("Tài liệu đúng như lúc chữ ký này được tạo"))
        self.compare_button = QPushButton(self.tr("So sánh"))
        self.compare_button.setToolTip(self.tr("So sánh với bản đã ký, tô đậm phần bị thay đổi"))
        self.current_button = QPushButton(self.tr("Bản hiện tại"))
        self.signed_button.clicked.connect(self._show_signed)
        self.compare_button.clicked.connect(self._compare)
        self.current_button.clicked.connect(self.viewer.show_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.signed_button)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.current_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.history_title)
        right_layout.addWidget(self.signatures_view, 1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.signature_details, 2)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.setObjectName("review_splitter")
        body.addWidget(left)
        body.addWidget(self.viewer)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setSizes([330, 620, 380])
        self.decisions_panel = self._decisions_panel()
        self._outer = outer = QSplitter(Qt.Orientation.Vertical)
        outer.setObjectName("review_outer_splitter")
        outer.addWidget(body)
        outer.addWidget(self.decisions_panel)
        outer.setStretchFactor(0, 1)
        outer.setSizes([560, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.read_only_note)
        layout.addWidget(outer, 1)
        self._set_signature_buttons(None)
        self._shortcuts()
        self.reload()

    def _decisions_panel(self) -> QWidget:
        """Who decided this dossier, when, and what each saw against the files now: hidden
        while the dossier has no decision (a dossier awaiting intake needs the room)."""
        self.decisions_title = QLabel(self.tr("Lịch sử quyết định"))
        self.decisions_title.setObjectName("decisions_title")
        self.decision_history = DecisionHistoryModel(self)
        self.decision_history_view = QTableView()
        self.decision_history_view.setObjectName("decision_history")
        self.decision_history_view.setModel(self.decision_history)
        self.snapshots = SnapshotModel(self)
        self.snapshot_view = QTableView()
        self.snapshot_view.setObjectName("decision_snapshot")
        self.snapshot_view.setModel(self.snapshots)
        for view in (self.decision_history_view, self.snapshot_view):
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.verticalHeader().hide()
            view.setWordWrap(False)
            view.setTextElideMode(Qt.TextElideMode.ElideRight)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.horizontalHeader().setStretchLastSection(True)
        self.decision_history_view.selectionModel().currentRowChanged.connect(
            self._decision_selected
        )
        self.snapshot_title = QLabel(self.tr("Kết luận cán bộ đã thấy và tệp hiện nay"))
        self.snapshot_title.setObjectName("snapshot_title")
        self.snapshot_title.setWordWrap(True)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.decisions_title)
        history_layout.addWidget(self.decision_history_view, 1)
        snapshot = QWidget()
        snapshot_layout = QVBoxLayout(snapshot)
        snapshot_layout.setContentsMargins(0, 0, 0, 0)
        snapshot_layout.addWidget(self.snapshot_title)
        snapshot_layout.addWidget(self.snapshot_view, 1)
        panel = QSplitter(Qt.Orientation.Horizontal)
        panel.setObjectName("decisions_panel")
        panel.addWidget(history)
        panel.addWidget(snapshot)
        panel.setSizes([620, 740])
        panel.hide()
        return panel

    def _show_history(self, view: DossierView) -> None:
        changed = {
            d.decision_id: sum(
                1 for r in snapshot_rows(d, view.attachments, view.reports) if r.file_changed
            )
            for d in self.history
        }
        self.decision_history.set_rows(self.history, changed)
        self.decisions_title.setText(
            self.tr("Lịch sử quyết định (%1)").replace("%1", str(len(self.history)))
        )
        shown_before = self.decisions_panel.isVisibleTo(self)
        self.decisions_panel.setVisible(bool(self.history))
        self.snapshots.set_rows([])
        if self.history and not shown_before:
            # A panel hidden when the splitter was laid out has no height: give it its room.
            total = max(self._outer.height(), 600)
            rows = min(len(self.history), 4) + 2
            wanted = self.decision_history_view.verticalHeader().defaultSectionSize() * rows + 40
            self._outer.setSizes([total - wanted, wanted])
        if self.history:
            self.decision_history_view.resizeColumnsToContents()
            for column in range(self.decision_history.columnCount()):
                width = self.decision_history_view.columnWidth(column)
                self.decision_history_view.setColumnWidth(column, min(width, 260))
            self.decision_history_view.selectRow(len(self.history) - 1)  # the newest

    def _decision_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.view is None:
            self.snapshots.set_rows([])
            return
        decision = self.decision_history.decision(current.row())
        rows = snapshot_rows(decision, self.view.attachments, self.view.reports)
        self.snapshots.set_rows(rows)
        self.snapshot_view.resizeColumnsToContents()
        # Long file names are elided (the tooltip has them): every column stays in sight.
        self.snapshot_view.setColumnWidth(0, min(self.snapshot_view.columnWidth(0), 200))
        who = decision.officer_name or decision.officer
        changed = sum(1 for r in rows if r.file_changed)
        text = self.tr("Kết luận %1 đã thấy và tệp hiện nay").replace("%1", who)
        if changed:
            text += " — " + self.tr("%1 tệp đã khác tệp cán bộ xem khi quyết định").replace(
                "%1", str(changed)
            )
            self.snapshot_title.setStyleSheet("color: #c62828; font-weight: bold;")
        else:
            self.snapshot_title.setStyleSheet("")
        self.snapshot_title.setText(text)

    def _shortcuts(self) -> None:
        def add(keys: str | QKeySequence, slot: Callable[[], Any]) -> None:
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        add("Esc", self.closed.emit)
        add("Ctrl+Return", lambda: self.request_decision(DecisionKind.ACCEPT))
        add("Ctrl+B", lambda: self.request_decision(DecisionKind.REQUEST_SUPPLEMENT))
        add("Ctrl+R", lambda: self.request_decision(DecisionKind.REFUSE))
        add("Ctrl+Down", lambda: self.step_component(1))
        add("Ctrl+Up", lambda: self.step_component(-1))
        add("Alt+Right", lambda: self.stepRequested.emit(1))
        add("Alt+Left", lambda: self.stepRequested.emit(-1))

    # --- loading -----------------------------------------------------------------------

    def reload(self) -> None:
        desk, code = self.desk, self.code

        def work() -> tuple[DossierView, list[StoredDecision]]:
            return desk.open_dossier(code), all_decisions(desk.store, [code])

        run_in_background(self, work, self._opened, self._failed)

    def _opened(self, opened: tuple[DossierView, list[StoredDecision]]) -> None:
        view, self.history = opened
        self._loaded(view)

    def _loaded(self, view: DossierView) -> None:
        self.view = view
        self._show_history(view)
        dossier = view.dossier
        procedure = view.procedure.name if view.procedure else dossier.procedure_name
        name = html.escape(procedure or dossier.procedure_code)
        self.title.setText(f"<b>{html.escape(dossier.code)}</b> — {name}")
        a = dossier.applicant
        lines = [
            f"<b>{html.escape(a.name)}</b>",
            html.escape(self.tr("CCCD: %1").replace("%1", a.citizen_id)),
        ]
        if a.birth_date:
            lines.append(
                html.escape(self.tr("Ngày sinh: %1").replace("%1", f"{a.birth_date:%d/%m/%Y}"))
            )
        for value in (a.phone, a.email, a.address):
            if value:
                lines.append(html.escape(value))
        lines.append(
            html.escape(
                self.tr("Nộp lúc %1").replace(
                    "%1", dossier.submitted_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
                )
            )
        )
        self.applicant.setText("<br>".join(lines))
        self.checklist.set_rows(
            checklist_rows(view.check.checklist, view.attachments, view.reports)
        )
        self._show_findings()
        self._show_decision_state(view)
        read_only = not dossier.status.known
        self.read_only_note.setVisible(read_only)
        self.read_only_note.setText(
            status_text(dossier.status, dossier.raw_status) + ". " + read_only_reason()
            if read_only
            else ""
        )
        for button, tip in self._decision_tips.items():
            button.setEnabled(view.decidable and not read_only)
            button.setToolTip(read_only_reason() if read_only else tip)
        first = next(
            (i for i, row in enumerate(self.checklist.rows()) if row.attachment is not None), None
        )
        if first is not None:
            self.checklist_view.selectRow(first)
        self.loaded.emit()

    def _show_decision_state(self, view: DossierView) -> None:
        text = outbox_text(view.outbox)
        if view.outbox is None and view.dossier.status is not DossierStatus.AWAITING_INTAKE:
            text = status_text(view.dossier.status, view.dossier.raw_status)
        self.state_label.setStyleSheet("")
        self.state_label.setToolTip("")
        decision = view.decision
        if decision is not None and view.outbox in (OutboxState.CONFLICT, OutboxState.REJECTED):
            # The server's own words matter here: what to fix, or who decided first.
            self.state_label.setStyleSheet("color: #c62828; font-weight: bold;")
            self.state_label.setToolTip(decision.last_error or "")
            hint = (
                self.tr("hãy sửa và quyết định lại")
                if view.outbox is OutboxState.REJECTED
                else self.tr("hồ sơ đã được xử lý ở nơi khác, hãy đồng bộ")
            )
            text = f"{text}: {hint}"
        self.state_label.setText(text)
        # The title stretches: without a minimum the state would shrink to a letter.
        self.state_label.setMinimumWidth(self.state_label.sizeHint().width())

    def _failed(self, error: BaseException) -> None:
        self.title.setText(html.escape(error_text(error)))

    def _show_findings(self) -> None:
        assert self.view is not None
        check = self.view.check
        if not check.findings:
            none_found = html.escape(self.tr("Không phát hiện vấn đề."))
            self.findings.setHtml(f'<p style="color:#1b7f3b"><b>{none_found}</b></p>')
            return
        heading = html.escape(self.tr("Kết quả kiểm tra hồ sơ"))
        parts = [f"<b>{heading}</b><ul>"]
        colours = {Gravity.PROBLEM: "#c62828", Gravity.WARNING: "#b26a00", Gravity.INFO: "#5f6b7a"}
        for n, finding in enumerate(check.findings):
            text = html.escape(finding.message(current_language()))
            colour = colours[finding.gravity]
            parts.append(f'<li style="color:{colour}"><a href="finding:{n}">{text}</a></li>')
        parts.append("</ul>")
        self.findings.setHtml("".join(parts))

    def _finding_clicked(self, url: Any) -> None:
        assert self.view is not None
        n = int(url.toString().split(":", 1)[1])
        finding = self.view.check.findings[n]
        for i, row in enumerate(self.checklist.rows()):
            same_component = (
                row.check.spec is not None and row.check.spec.code == finding.component_code
            )
            if (
                finding.attachment_id
                and row.attachment
                and row.attachment.attachment.remote_id == finding.attachment_id
            ) or (not finding.attachment_id and same_component):
                self.checklist_view.selectRow(i)
                return

    # --- components and signatures -------------------------------------------------------

    def step_component(self, step: int) -> None:
        count = self.checklist.rowCount()
        if not count:
            return
        current = self.checklist_view.currentIndex().row()
        self.checklist_view.selectRow((current + step) % count)

    def _component_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = self.checklist.row(current.row())
        self._show_attachment(row)

    def _show_attachment(self, row: ChecklistRow) -> None:
        report = row.report
        applicant = self.view.dossier.applicant.citizen_id if self.view else None
        self.signatures.set_report(report, applicant)
        self.signature_details.clear()
        self._set_signature_buttons(None)
        attachment = row.attachment
        if attachment is None:
            self.viewer.close_document()
            self.history_title.setText(self.tr("Thành phần chưa được nộp"))
            return
        name = attachment.attachment.file_name
        done_with = self.view is not None and self.view.dossier.status.value != "awaiting_intake"
        if attachment.cache_path is not None and not attachment.cache_path.exists() and done_with:
            self.viewer.close_document()
            self.history_title.setText(
                self.tr(
                    "%1: tệp đã được dọn khỏi bộ nhớ đệm vì hồ sơ đã xử lý xong; kết quả kiểm"
                    " tra chữ ký vẫn được lưu."
                ).replace("%1", name)
            )
            if report is not None and report.signatures:
                self.signatures_view.selectRow(0)
            return
        other = self.view is not None and not self.view.dossier.status.known
        if attachment.cache_path is None and other:
            # The sync fetches files only for dossiers awaiting intake.
            self.viewer.close_document()
            self.history_title.setText(
                self.tr(
                    "%1: tệp không được tải về vì hồ sơ không ở trạng thái chờ tiếp nhận."
                ).replace("%1", name)
            )
            return
        if attachment.cache_path is None or not attachment.cache_path.exists():
            self.viewer.close_document()
            self.history_title.setText(
                self.tr("Chưa tải được tệp %1: %2")
                .replace("%1", name)
                .replace("%2", attachment.error or self.tr("hãy đồng bộ lại"))
            )
            return
        self.viewer.open_file(attachment.cache_path)
        self.viewer.set_signatures(report.signatures if report else ())
        self._history_header(name, report)
        if report is not None and report.signatures:
            self.signatures_view.selectRow(0)

    def _history_header(self, name: str, report: DocumentReport | None) -> None:
        if report is None:
            self.history_title.setText(
                self.tr("Lịch sử ký số — %1 (chưa kiểm tra)").replace("%1", name)
            )
            return
        colour = verdict_colour(report.verdict).name()
        self.history_title.setText(
            f"{html.escape(self.tr('Lịch sử ký số'))} — {html.escape(name)}: "
            f'<b style="color:{colour}">{html.escape(verdict_text(report.verdict))}</b>'
        )

    def _select_signature(self, index: int) -> None:
        self.signatures_view.selectRow(index)

    def _signature_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._set_signature_buttons(None)
            return
        signature = self.signatures.signature(current.row())
        self.signature_details.setHtml(self._details_html(signature))
        self._set_signature_buttons(current.row())

    def _details_html(self, signature: Any) -> str:
        assert self.view is not None
        applicant = self.view.dossier.applicant
        text = signature_details_html(signature)
        if signature.changes is not None and not signature.changes.nothing:
            # What a reader sees now that was not signed, spelled out (issue: shadow attacks).
            lines = describe(signature.changes, "en" if current_language() == "en" else "vi")
            items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            heading = html.escape(self.tr("Thay đổi sau khi ký"))
            text = f'<p style="color:#c62828"><b>{heading}</b></p><ul>{items}</ul>' + text
        if signature.signer is not None and signature.signer.citizen_id:
            if signature.signer.citizen_id == applicant.citizen_id:
                note = self.tr("Người ký là chủ hồ sơ (trùng số CCCD).")
                colour = "#1b7f3b"
            else:
                note = (
                    self.tr("Người ký KHÔNG phải chủ hồ sơ: CCCD %1 ≠ %2.")
                    .replace("%1", signature.signer.citizen_id)
                    .replace("%2", applicant.citizen_id)
                )
                colour = "#c62828"
            text = f'<p style="color:{colour}"><b>{html.escape(note)}</b></p>' + text
        return text

    def _set_signature_buttons(self, index: int | None) -> None:
        for button in (self.signed_button, self.compare_button):
            button.setEnabled(index is not None)

    def _selected_signature(self) -> int | None:
        index = self.signatures_view.currentIndex()
        return index.row() if index.isValid() else None

    def _show_signed(self) -> None:
        index = self._selected_signature()
        if index is not None:
            self.viewer.show_signed_revision(index)

    def _compare(self) -> None:
        index = self._selected_signature()
        if index is None:
            return
        changes = self.signatures.signature(index).changes
        regions = [(r.page, r.rect) for r in changes.regions] if changes is not None else None
        self.viewer.compare_with_signed(index, regions)

    # --- deciding ----------------------------------------------------------------------

    def request_decision(self, kind: DecisionKind) -> None:
        if self.view is None or not self.accept_button.isEnabled():
            return
        if not self.view.dossier.status.known:
            return  # read-only: never decided here, whatever the shortcut
        if self._decide is not None:
            self._decide(self, kind)

    def recorded(self, decision: RecordedDecision) -> None:
        """Called once the decision is in the outbox: lock the buttons and tell the window."""
        for button in (self.accept_button, self.supplement_button, self.refuse_button):
            button.setEnabled(False)
        self.state_label.setText(self.tr("Đã ghi quyết định, đang chờ gửi"))
        self.decided.emit(decision)
