"""The officer's main window: the intake queue, sync, and the way into each dossier."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from intake_desktop import __version__
from intake_desktop.clock import VN_TZ
from intake_desktop.desk import RecordedDecision
from intake_desktop.domain import DecisionKind, DossierStatus
from intake_desktop.services.demo_source import DemoDossierSource
from intake_desktop.services.outbox import OutboxResult
from intake_desktop.services.queue import QueueRow
from intake_desktop.services.sync import SyncPhase, SyncProgress, SyncResult
from intake_desktop.session import Session
from intake_desktop.ui.app_settings import AppSettings, load_settings, save_settings
from intake_desktop.ui.audit_view import AuditView
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.decision_dialog import DecisionDialog
from intake_desktop.ui.error_text import error_text
from intake_desktop.ui.queue_model import QueueModel, status_text
from intake_desktop.ui.review import ReviewWidget
from intake_desktop.ui.slip_dialog import SlipDialog
from intake_desktop.ui.test_mode_banner import TestModeBanner
from intake_desktop.ui.training_tools import TrainingTools
from intake_desktop.ui.window_placement import keep_on_screen, place_first_start
from intake_desktop.viewer.render import render_service

log = logging.getLogger(__name__)

SEND_EVERY_MS = 30 * 1000

QUEUE_COLUMNS_KEY = "main_window/queue_columns"
"""The officer's queue columns (widths, order, sort), restored on the next start."""
OLD_QUEUE_COLUMNS_KEY = "main_window/queue_header"
"""Columns saved before the procedure column stretched: fixed widths wider than a 1280-pixel
screen (1920x1080 at 150 %), so they are not restored."""
CELL_PADDING = 16
"""A cell needs its text plus this much (the style's margins and the focus frame)."""
HEADER_PADDING = 30
"""A header section needs its text plus this much (margins and the sort arrow)."""


def fit_queue_columns(view: QTableView) -> None:
    """Size the queue's columns from the texts they show, whatever the screen and font.

    Codes, dates, deadlines, counts, badges and statuses get the width of their longest
    text, so they are never cut; the procedure stretches over the width that is left (its
    full name is the tooltip), and the officer may still resize every other column.
    """
    header = view.horizontalHeader()
    model = view.model()
    assert isinstance(model, QueueModel)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    cell = view.fontMetrics()
    bold = QFont(header.font())
    bold.setBold(True)  # a style may draw headers bold: size for the wider text
    head = QFontMetrics(bold)
    samples = model.width_samples()
    for column, name in enumerate(model.COLUMNS):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if name == "procedure":
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        texts = samples.get(name, ())
        widest = max((cell.horizontalAdvance(text) for text in texts), default=0)
        header.resizeSection(
            column,
            max(head.horizontalAdvance(title) + HEADER_PADDING, widest + CELL_PADDING),
        )


class MainWindow(QMainWindow):
    """Queue page and review page in one window; slow work always off the GUI thread."""

    syncProgressed = Signal(object)  # SyncProgress, relayed from the sync thread
    queueLoaded = Signal()

    decisionRecorded = Signal(object)  # RecordedDecision
    reviewOpened = Signal(object)  # ReviewWidget

    def __init__(
        self,
        session: Session,
        settings: AppSettings | None = None,
        *,
        log_path: Path | None = None,
        keep_saved_mode: bool = False,
        auto_sync: bool = True,
        show_slips: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.desk = desk = session.desk
        self.settings = settings or AppSettings(test_mode=session.test_mode)
        self._log_path = log_path
        self._keep_saved_mode = keep_saved_mode
        """Started with --test-mode: saving settings keeps the saved server and mode."""
        self._show_slips = show_slips
        self.review: ReviewWidget | None = None
        self._syncing = False
        self._last_sync: datetime | None = None
        title = self.tr("Intake Desktop — Tiếp nhận hồ sơ trực tuyến")
        if session.test_mode:
            title = self.tr("[THỬ NGHIỆM] %1").replace("%1", title)
        elif desk.officer_name:
            title = f"{title} — {desk.officer_name}"
        self.setWindowTitle(title)

        self.queue = QueueModel(desk.clock.now, desk.settings.calendar.working_hours_left)
        self.queue_view = QTableView()
        self.queue_view.setObjectName("queue_view")
        self.queue_view.setModel(self.queue)
        self.queue_view.setSortingEnabled(True)
        self.queue_view.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        self.queue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue_view.setAlternatingRowColors(True)
        self.queue_view.setWordWrap(False)
        self.queue_view.verticalHeader().hide()
        fit_queue_columns(self.queue_view)
        self.queue_view.doubleClicked.connect(self._open_index)

        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("quick_filter")
        self.filter_box.setPlaceholderText(
            self.tr("Tìm theo mã hồ sơ, chủ hồ sơ, số CCCD, thủ tục… (Ctrl+F)")
        )
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.queue.set_query)
        self.filter_box.returnPressed.connect(self._open_first)

        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("Chờ tiếp nhận"), [DossierStatus.AWAITING_INTAKE])
        self.status_filter.addItem(self.tr("Tất cả"), None)
        for status in (
            DossierStatus.ACCEPTED,
            DossierStatus.SUPPLEMENT_REQUESTED,
            DossierStatus.REFUSED,
            DossierStatus.OTHER,  # read-only: a provincial status the desk does not know
        ):
            self.status_filter.addItem(status_text(status), [status])
        self.status_filter.currentIndexChanged.connect(self._status_filter_changed)

        self.sync_action = QAction(self.tr("Đồng bộ"), self)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.setToolTip(self.tr("Lấy hồ sơ mới từ hệ thống (F5)"))
        self.sync_action.triggered.connect(self.start_sync)
        self.sync_progress = QProgressBar()
        self.sync_progress.setMaximumWidth(180)
        self.sync_progress.setTextVisible(True)
        self.sync_progress.hide()
        self.last_sync_label = QLabel(self.tr("Chưa đồng bộ"))
        self.outbox_label = QLabel()
        self.outbox_label.setObjectName("outbox_indicator")

        toolbar = QToolBar(self.tr("Hàng đợi"))
        toolbar.setObjectName("queue_toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.sync_action)
        toolbar.addWidget(self.sync_progress)
        toolbar.addWidget(self.last_sync_label)
        toolbar.addSeparator()
        toolbar.addWidget(self.filter_box)
        toolbar.addWidget(self.status_filter)
        toolbar.addSeparator()
        toolbar.addWidget(self.outbox_label)
        self.addToolBar(toolbar)

        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_filter)
        self.addAction(find)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.queue_view)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        if desk.settings.test_mode:
            layout.addWidget(TestModeBanner())
        # Officers live in the first tab; supervisors audit in the second.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.pages, self.tr("Tiếp nhận hồ sơ"))
        self.audit_view: AuditView | None = None
        self._audit_stale = True
        self._audit_placeholder = QWidget()
        self.tabs.addTab(self._audit_placeholder, self.tr("Giám sát chữ ký số"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self._tabs_disconnected = False
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)
        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)

        self._build_menus()
        self.training: TrainingTools | None = None
        if session.test_mode and isinstance(desk.source, DemoDossierSource):
            self.training = TrainingTools(self, session, desk.source)
        if session.offline:
            self.mode_label = QLabel(self.tr("Ngoại tuyến — làm việc với dữ liệu đã lưu"))
            self.mode_label.setStyleSheet("color: #b26a00; font-weight: bold;")
            self.statusBar().addWidget(self.mode_label)

        self.syncProgressed.connect(self._show_progress)
        desk.sync_progress = self.syncProgressed.emit  # emitted on the sync thread: queued
        self._sync_timer = QTimer(self)
        self._sync_timer.timeout.connect(self.start_sync)
        self._send_timer = QTimer(self)
        self._send_timer.timeout.connect(self.send_pending)
        if auto_sync and not session.offline:
            self._sync_timer.start(max(1, self.settings.sync_minutes) * 60 * 1000)
            self._send_timer.start(SEND_EVERY_MS)
            QTimer.singleShot(0, self.start_sync)
        self._restore_layout()
        self.reload_queue()
        # The viewer's render process takes ~125 ms to start (spawn, import PyMuPDF): start it
        # now, on its own thread, rather than when the officer opens the first dossier.
        QTimer.singleShot(0, render_service)

    def _build_menus(self) -> None:
        system = self.menuBar().addMenu(self.tr("&Hệ thống"))
        system.addAction(self.sync_action)
        send = system.addAction(self.tr("&Gửi các quyết định chờ gửi"))
        send.triggered.connect(self.send_pending)
        check = system.addAction(self.tr("&Kiểm tra chữ ký một tệp PDF…"))
        check.setShortcut(QKeySequence("Ctrl+O"))
        check.triggered.connect(self.open_signature_check)
        system.addSeparator()
        settings = system.addAction(self.tr("&Cài đặt…"))
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        if self.session.test_mode:
            self.reset_demo_action = system.addAction(self.tr("Đặt &lại dữ liệu mẫu…"))
            self.reset_demo_action.triggered.connect(self.reset_demo)
        system.addSeparator()
        leave = system.addAction(self.tr("&Thoát"))
        leave.setShortcut(QKeySequence("Ctrl+Q"))
        leave.triggered.connect(self.close)
        helping = self.menuBar().addMenu(self.tr("Trợ &giúp"))
        logs = helping.addAction(self.tr("Mở thư mục &nhật ký"))
        logs.triggered.connect(self._open_log_folder)
        about = helping.addAction(self.tr("&Giới thiệu Intake Desktop"))
        about.triggered.connect(self.show_about)

    # --- queue -------------------------------------------------------------------------

    def reload_queue(self) -> None:
        # Whatever changed the queue (sync, a decision, trust) changes the audit too; it is
        # read again when next shown, not on every tab switch (seconds on 30,000 files).
        self._audit_stale = True
        if self.audit_view is not None and self.tabs.currentWidget() is self.audit_view:
            self._audit_stale = False  # on screen: read it now
            self.audit_view.reload()
        self._refresh_queue()

    def _refresh_queue(self) -> None:
        run_in_background(self, self.desk.queue_rows, self._queue_loaded, self._failed)

    def _queue_loaded(self, rows: list[QueueRow]) -> None:
        current = self._current_code()
        self.queue.set_rows(rows)
        self._update_counts()
        if current is not None:
            pos = self.queue.position_of(current)
            if pos is not None:
                self.queue_view.selectRow(pos)
        elif self.queue.rowCount():
            self.queue_view.selectRow(0)
        self.queueLoaded.emit()

    def _current_code(self) -> str | None:
        index = self.queue_view.currentIndex()
        return self.queue.row_at(index.row()).code if index.isValid() else None

    def _update_counts(self) -> None:
        counts = self.queue.counts()
        parts = [f"{status_text(s)}: {n}" for s, n in counts.items()]
        self.counts_label.setText("   ".join(parts))
        pending = self.desk.outbox.pending_count()
        if pending:
            self.outbox_label.setText(self.tr("%n quyết định chờ gửi", "", pending))
            self.outbox_label.setStyleSheet("color: #b26a00; font-weight: bold;")
        else:
            self.outbox_label.setText(self.tr("Đã gửi hết quyết định"))
            self.outbox_label.setStyleSheet("color: #1b7f3b;")

    def _status_filter_changed(self, _index: int) -> None:
        statuses = self.status_filter.currentData()
        self.queue.set_statuses(frozenset(statuses) if statuses is not None else None)

    def _focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def _open_first(self) -> None:
        if self.queue.rowCount():
            self.open_dossier(self.queue.row_at(0).code)

    def _open_index(self, index: QModelIndex) -> None:
        self.open_dossier(self.queue.row_at(index.row()).code)

    def open_dossier(self, code: str) -> None:
        """Show the review screen for ``code`` in place of the queue."""
        if self.review is not None:
            self._drop_review()
        review = ReviewWidget(self.desk, code, decide=self._ask_decision)
        review.closed.connect(self.close_review)
        review.stepRequested.connect(self._step_dossier)
        self.review = review
        self.pages.addWidget(review)
        self.pages.setCurrentWidget(review)
        if self.training is not None:
            self.training.dossier_shown(code)
        pos = self.queue.position_of(code)
        if pos is not None:
            self.queue_view.selectRow(pos)
        self.reviewOpened.emit(review)

    def close_review(self) -> None:
        if self.training is not None:
            self.training.dossier_shown(None)
        self._drop_review()
        self.queue_view.setFocus()
        self.reload_queue()

    def _drop_review(self) -> None:
        review, self.review = self.review, None
        if review is None:
            return
        self.pages.setCurrentWidget(self.queue_view)
        self.pages.removeWidget(review)
        review.deleteLater()

    def _step_dossier(self, step: int) -> None:
        """Alt+→ / Alt+←: the next or previous dossier in the queue's order."""
        if self.review is None or not self.queue.rowCount():
            return
        pos = self.queue.position_of(self.review.code)
        target = 0 if pos is None else (pos + step) % self.queue.rowCount()
        self.open_dossier(self.queue.row_at(target).code)

    # --- deciding ----------------------------------------------------------------------

    def _ask_decision(self, review: ReviewWidget, kind: DecisionKind) -> None:
        view = review.view
        if view is None:
            return
        dialog = DecisionDialog(
            kind, view, self.desk.suggested_appointment(view), self, clock=self.desk.clock
        )
        if dialog.exec() != DecisionDialog.DialogCode.Accepted:
            return
        data = dialog.result_input()

        def work() -> RecordedDecision:
            return self.desk.decide(
                view,
                data.kind,
                reasons=data.reasons,
                components=data.components,
                appointment_date=data.appointment_date,
                note=data.note,
            )

        run_in_background(
            self, work, lambda rec: self._recorded(review, rec, data.kind), self._failed
        )

    def _recorded(
        self, review: ReviewWidget, decision: RecordedDecision, kind: DecisionKind
    ) -> None:
        review.recorded(decision)
        if self.training is not None:
            self.training.decided(review.code, kind)
        self.decisionRecorded.emit(decision)
        self.send_pending()
        if self._show_slips:
            message = self.tr(
                "Đã ghi quyết định vào hàng đợi gửi; ứng dụng tự gửi lên hệ thống, kể cả khi "
                "mạng gián đoạn. Phiếu đã được lưu tại: %1"
            ).replace("%1", str(decision.slip_path))
            SlipDialog(decision, message, self).exec()
        if self.review is review:
            self.close_review()

    # --- sync and sending ---------------------------------------------------------------

    def start_sync(self) -> None:
        if self._syncing:
            return
        self._syncing = True
        self.sync_action.setEnabled(False)
        self.sync_progress.setRange(0, 0)
        self.sync_progress.show()
        self.statusBar().showMessage(self.tr("Đang đồng bộ hồ sơ…"))
        run_in_background(self, self._sync_and_check, self._synced, self._sync_failed)

    def _sync_and_check(self) -> SyncResult:
        result = self.desk.sync()
        self.desk.check_signatures()
        self.desk.send_pending()
        return result

    def _show_progress(self, progress: SyncProgress) -> None:
        if progress.total:
            self.sync_progress.setRange(0, progress.total)
            self.sync_progress.setValue(progress.done)
        phase = {
            SyncPhase.LISTING: self.tr("Đang lấy danh sách"),
            SyncPhase.DETAILS: self.tr("Đang tải hồ sơ"),
            SyncPhase.DOWNLOADS: self.tr("Đang tải tệp"),
        }.get(progress.phase, "")
        if phase:
            self.sync_progress.setFormat(f"{phase} %v/%m")

    def _synced(self, result: SyncResult) -> None:
        self._sync_done()
        self._last_sync = self.desk.clock.now()
        self.last_sync_label.setText(
            self.tr("Đồng bộ lúc %1").replace("%1", f"{self._last_sync.astimezone(VN_TZ):%H:%M}")
        )
        new = result.dossiers_new + result.dossiers_updated
        message = self.tr("Đồng bộ xong: %n hồ sơ mới hoặc thay đổi", "", new)
        if result.errors:
            message += self.tr(" — %n lỗi tệp đính kèm", "", len(result.errors))
        self.statusBar().showMessage(message, 10_000)
        self.reload_queue()

    def _sync_failed(self, error: BaseException) -> None:
        self._sync_done()
        self.statusBar().showMessage(
            self.tr(
                "Không đồng bộ được: %1 — đang làm việc ngoại tuyến với dữ liệu đã lưu."
            ).replace("%1", error_text(error))
        )
        self.reload_queue()

    def _sync_done(self) -> None:
        self._syncing = False
        self.sync_action.setEnabled(True)
        self.sync_progress.hide()

    def send_pending(self) -> None:
        run_in_background(self, self.desk.send_pending, self._sent, self._failed)

    def _sent(self, results: list[OutboxResult]) -> None:
        if results:
            self.reload_queue()
        else:
            self._update_counts()

    def _failed(self, error: BaseException) -> None:
        log.warning("background task failed: %r", error)
        self.statusBar().showMessage(error_text(error), 10_000)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self._audit_placeholder:
            self.show_audit()
        elif self.tabs.currentWidget() is self.audit_view and self._audit_stale:
            self._audit_stale = False
            self.audit_view.reload()

    def show_audit(self) -> AuditView:
        """The supervisor's tab, built on first use and read again when the store changed."""
        if self.audit_view is None:
            self.audit_view = AuditView(
                self.desk.store, lambda: self.desk.trust, clock=self.desk.clock, desk=self.desk
            )
            # An office-wide sync brings dossiers the queue shows too (the audit reads
            # itself again).
            self.audit_view.storeChanged.connect(self._refresh_queue)
            index = self.tabs.indexOf(self._audit_placeholder)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, self.audit_view, self.tr("Giám sát chữ ký số"))
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
            self._audit_placeholder.deleteLater()
        self.tabs.setCurrentWidget(self.audit_view)
        if self._audit_stale:
            self._audit_stale = False
            self.audit_view.reload()
        return self.audit_view

    # --- menus ---------------------------------------------------------------------------

    def open_signature_check(self) -> None:
        from intake_desktop.app import make_inspector
        from intake_desktop.ui.signature_check_window import SignatureCheckWindow

        window = SignatureCheckWindow(make_inspector, test_mode=self.session.test_mode)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.resize(1100, 700)
        window.show()

    def open_settings(self) -> None:
        from intake_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.desk.store, self, cache_dir=self.desk.cache_dir)
        dialog.trustChanged.connect(self._trust_changed)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        before, self.settings = self.settings, dialog.result_settings()
        saved = self.settings
        if self._keep_saved_mode:
            stored = load_settings()
            saved = replace(saved, test_mode=stored.test_mode, server_url=stored.server_url)
        save_settings(saved)
        from intake_desktop.app import desk_settings

        self.desk.apply_settings(desk_settings(self.settings))
        if self._sync_timer.isActive():
            self._sync_timer.start(max(1, self.settings.sync_minutes) * 60 * 1000)
        if _needs_restart(before) != _needs_restart(self.settings):
            QMessageBox.information(
                self,
                self.tr("Cài đặt"),
                self.tr(
                    "Máy chủ và ngôn ngữ mới có hiệu lực từ lần mở ứng dụng sau; các cài đặt"
                    " khác đã được áp dụng."
                ),
            )

    def _trust_changed(self) -> None:
        run_in_background(
            self, self.session.rebuild_trust, lambda _t: self.reload_queue(), self._failed
        )

    def reset_demo(self) -> None:
        """Trainers: every demo dossier back to awaiting intake, decisions forgotten."""
        answer = QMessageBox.question(
            self,
            self.tr("Đặt lại dữ liệu mẫu"),
            self.tr(
                "Đưa mọi hồ sơ mẫu về trạng thái chờ tiếp nhận và xóa các quyết định đã ghi "
                "trong chế độ thử nghiệm?"
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.review is not None:
            self._drop_review()
        run_in_background(self, self.desk.reset_demo, lambda _r: self.start_sync(), self._failed)

    def _open_log_folder(self) -> None:
        if self._log_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_path.parent)))

    def show_about(self) -> None:
        text = self.tr(
            "<h3>Intake Desktop %1</h3><p>Tiếp nhận hồ sơ trực tuyến tại Bộ phận Một cửa: "
            "kiểm tra lịch sử ký số của từng thành phần hồ sơ, tiếp nhận hoặc trả lại hồ sơ."
            "</p><p>Nhật ký hỗ trợ: %2</p>"
        )
        text = text.replace("%1", __version__).replace("%2", str(self._log_path or "—"))
        QMessageBox.about(self, self.tr("Giới thiệu"), text)

    # --- layout ------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            place_first_start(self)
        else:
            keep_on_screen(self)
        header = settings.value(QUEUE_COLUMNS_KEY)
        if header is not None:
            self.queue_view.horizontalHeader().restoreState(header)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing new starts, and a running sync stops at its next step: the session's
        # store closes once the window is gone.
        self._sync_timer.stop()
        self._send_timer.stop()
        self.desk.sync_progress = None
        # Destroying the tabs emits currentChanged into a half-destroyed window otherwise.
        if not self._tabs_disconnected:
            self.tabs.currentChanged.disconnect(self._tab_changed)
            self._tabs_disconnected = True
        if self._syncing:
            self.desk.synchronizer.cancel()
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue(QUEUE_COLUMNS_KEY, self.queue_view.horizontalHeader().saveState())
        settings.remove(OLD_QUEUE_COLUMNS_KEY)
        super().closeEvent(event)


def _needs_restart(settings: AppSettings) -> tuple[str, ...]:
    """The settings a running session cannot change: the system, its address, language, CA."""
    return (
        settings.system_kind,
        settings.server_url,
        settings.sso_url,
        settings.realm,
        settings.client_id,
        settings.language,
        str(settings.ca_bundle),
    )
