"""A window to check the signatures of PDF files an officer opens or drops on it."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.services.signatures import DocumentReport, SignatureReport
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.i18n import current_language
from intake_desktop.ui.signature_models import CheckedFilesModel, SignatureTableModel
from intake_desktop.ui.test_mode_banner import TestModeBanner
from intake_desktop.ui.verdict_style import (
    coverage_text,
    modifications_text,
    trust_text,
    verdict_colour,
    verdict_text,
)

Inspector = Callable[[Path], DocumentReport]


class SignatureCheckWindow(QMainWindow):
    def __init__(
        self,
        inspector_factory: Callable[[], Inspector],
        *,
        test_mode: bool = False,
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Intake Desktop — Kiểm tra chữ ký số"))
        self.setAcceptDrops(True)
        self._inspector_factory = inspector_factory
        self._inspector: Inspector | None = None
        self._waiting: list[tuple[int, Path]] = []

        self.files = CheckedFilesModel(self)
        self.signatures = SignatureTableModel(self)

        self.files_view = QTableView()
        self.files_view.setModel(self.files)
        self.files_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.files_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.files_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.files_view.verticalHeader().hide()
        self.files_view.setWordWrap(False)
        self.files_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.files_view.selectionModel().currentRowChanged.connect(self._show_file)

        self.summary = QLabel(self.tr("Mở hoặc kéo thả tệp PDF để kiểm tra chữ ký số."))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.signatures_view = QTableView()
        self.signatures_view.setModel(self.signatures)
        self.signatures_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.signatures_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.signatures_view.verticalHeader().hide()
        self.signatures_view.setWordWrap(False)
        header = self.signatures_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.signatures_view.selectionModel().currentRowChanged.connect(self._show_signature)

        self.details = QTextBrowser()
        self.details.setOpenLinks(False)

        right = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.signatures_view)
        right.addWidget(top)
        right.addWidget(self.details)
        right.setSizes([300, 260])

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.files_view)
        split.addWidget(right)
        split.setSizes([320, 900])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        if test_mode:
            layout.addWidget(TestModeBanner())
        layout.addWidget(split)
        self.setCentralWidget(central)

        toolbar = QToolBar(self.tr("Thao tác"))
        toolbar.setObjectName("main_toolbar")
        self.open_action = QAction(self.tr("Mở tệp PDF…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._choose_files)
        toolbar.addAction(self.open_action)
        self.addToolBar(toolbar)
        self.statusBar().showMessage(self.tr("Sẵn sàng"))

    # --- opening files -------------------------------------------------------------------

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Chọn tệp PDF"), "", self.tr("Tài liệu PDF (*.pdf);;Tất cả (*)")
        )
        self.check_files([Path(n) for n in names])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.check_files([p for p in paths if p.is_file()])

    def check_files(self, paths: Sequence[Path]) -> None:
        """Queue ``paths`` for checking in the background; rows appear at once."""
        for path in paths:
            row = self.files.add(path)
            self._waiting.append((row, path))
        if paths and self.files_view.currentIndex().row() < 0:
            self.files_view.selectRow(self.files.rowCount() - len(paths))
        self._start_waiting()

    def _start_waiting(self) -> None:
        if self._inspector is None:
            if self._waiting:
                self.statusBar().showMessage(self.tr("Đang nạp danh sách chứng thư tin cậy…"))
                run_in_background(self, self._inspector_factory, self._inspector_ready)
            return
        waiting, self._waiting = self._waiting, []
        for row, path in waiting:
            inspector = self._inspector
            run_in_background(self, partial(inspector, path), partial(self._checked, row))
        if waiting:
            self.statusBar().showMessage(self.tr("Đang kiểm tra %n tệp…", "", len(waiting)))

    def _inspector_ready(self, inspector: Inspector) -> None:
        if self._inspector is None:
            self._inspector = inspector
        self._start_waiting()

    def _checked(self, row: int, report: DocumentReport) -> None:
        self.files.set_report(row, report)
        if self.files_view.currentIndex().row() == row:
            self._show_file(self.files.index(row, 0))
        self.statusBar().showMessage(self.tr("Đã kiểm tra xong"), 4000)

    # --- showing results -----------------------------------------------------------------

    def _show_file(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        report = self.files.file(current.row()).report if current.isValid() else None
        self.signatures.set_report(report)
        self.details.clear()
        if report is None:
            self.summary.setText(self.tr("Đang kiểm tra…") if current.isValid() else "")
            return
        colour = verdict_colour(report.verdict).name()
        pages = self.tr("%n trang", "", report.pages)  # outside the f-string: lupdate sees it
        signatures = self.tr("%n chữ ký", "", len(report.signatures))
        lines = [
            f'<b style="color:{colour}">{html.escape(verdict_text(report.verdict))}</b>'
            f" — {pages}, {signatures}"
        ]
        if report.error is not None:
            lines.append(html.escape(report.error.text(current_language())))
        lines.extend(html.escape(r.text(current_language())) for r in report.reasons)
        self.summary.setText("<br>".join(lines))
        if report.signatures:
            self.signatures_view.selectRow(0)

    def _show_signature(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if not current.isValid():
            self.details.clear()
            return
        self.details.setHtml(signature_details_html(self.signatures.signature(current.row())))


def _vn_day(moment: datetime) -> str:
    """A certificate's validity bound as its Vietnam date (certificates say UTC: a validity
    that starts at 20:00 UTC starts the next morning in Vietnam)."""
    if moment.tzinfo is None:  # an ASN.1 UTCTime read without its zone is UTC
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(VN_TZ):%d/%m/%Y}"


def signature_details_html(sig: SignatureReport) -> str:
    """The full story of one signature, for the details pane."""

    def row(label: str, value: str) -> str:
        return f"<tr><td><b>{html.escape(label)}</b></td><td>{html.escape(value)}</td></tr>"

    colour = verdict_colour(sig.verdict).name()
    parts = [
        f'<h3 style="color:{colour}">{sig.index + 1}. {html.escape(verdict_text(sig.verdict))}'
        f"</h3><ul>"
    ]
    parts.extend(f"<li>{html.escape(r.text(current_language()))}</li>" for r in sig.reasons)
    parts.append("</ul><table cellspacing='4'>")
    signer = sig.signer
    if signer is not None:
        parts.append(row(QCoreApplication.translate("SignatureDetails", "Người ký"), signer.name))
        if signer.citizen_id:
            parts.append(
                row(
                    QCoreApplication.translate("SignatureDetails", "Số CCCD/CMND"),
                    signer.citizen_id,
                )
            )
        if signer.tax_code:
            parts.append(
                row(QCoreApplication.translate("SignatureDetails", "Mã số thuế"), signer.tax_code)
            )
        parts.append(
            row(
                QCoreApplication.translate("SignatureDetails", "Tổ chức cấp chứng thư"),
                signer.issuer,
            )
        )
        parts.append(
            row(QCoreApplication.translate("SignatureDetails", "Số hiệu chứng thư"), signer.serial)
        )
        parts.append(
            row(
                QCoreApplication.translate("SignatureDetails", "Hiệu lực chứng thư"),
                f"{_vn_day(signer.not_before)} – {_vn_day(signer.not_after)}",
            )
        )
    parts.append(
        row(
            QCoreApplication.translate("SignatureDetails", "Thời điểm ký (người ký tự khai)"),
            f"{sig.signing_time.astimezone(VN_TZ):%H:%M:%S %d/%m/%Y}" if sig.signing_time else "—",
        )
    )
    if sig.timestamp_time is not None:
        stamp = f"{sig.timestamp_time.astimezone(VN_TZ):%H:%M:%S %d/%m/%Y}"
        if sig.timestamp_valid is False:
            stamp += QCoreApplication.translate("SignatureDetails", " (không hợp lệ)")
    else:
        stamp = QCoreApplication.translate("SignatureDetails", "Không có")
    parts.append(row(QCoreApplication.translate("SignatureDetails", "Dấu thời gian"), stamp))
    parts.append(
        row(QCoreApplication.translate("SignatureDetails", "Tin cậy"), trust_text(sig.trust))
    )
    parts.append(
        row(
            QCoreApplication.translate("SignatureDetails", "Phạm vi ký"),
            coverage_text(sig.coverage),
        )
    )
    parts.append(
        row(
            QCoreApplication.translate("SignatureDetails", "Thay đổi sau khi ký"),
            modifications_text(sig.modifications_after),
        )
    )
    parts.append(
        row(
            QCoreApplication.translate("SignatureDetails", "Trường chữ ký"),
            QCoreApplication.translate("SignatureDetails", "%1 (phiên bản %2)")
            .replace("%1", sig.field)
            .replace("%2", str(sig.revision)),
        )
    )
    parts.append(
        row(
            QCoreApplication.translate("SignatureDetails", "Thuật toán"),
            f"{sig.digest_algorithm} / {sig.signature_algorithm}",
        )
    )
    parts.append("</table>")
    return "".join(parts)
