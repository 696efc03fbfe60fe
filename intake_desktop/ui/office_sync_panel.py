"""The supervisor's office-wide sync, above the audit: the unit's dossiers for a date range.

Shown only when the desk is a supervisor's (``Desk.is_supervisor``: the server's role, or
test mode's setting). The sync and the on-demand downloads run off the GUI thread; the
results and errors are told in the panel's status line, in the officer's words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from intake_desktop.clock import vn_today
from intake_desktop.desk import Desk
from intake_desktop.services.sync import SyncPhase, SyncProgress, SyncResult
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.error_text import error_text
from intake_desktop.ui.qt_dates import qdate

DEFAULT_DAYS = 30
"""The range the panel opens with: the last 30 days to today (Vietnam dates)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What downloading the selected dossiers' files did."""

    result: SyncResult
    checked: int
    """Files whose signatures were checked now (the others had a report already)."""


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class OfficeSyncPanel(QWidget):
    """ "Đồng bộ toàn đơn vị" for a date range, and downloading the selected dossiers' files.

    ``selected_codes`` gives the dossier codes chosen in the audit table. Emits
    :attr:`synced` (a :class:`SyncResult`) / :attr:`fetched` (a :class:`Fetched`) once the
    store changed.
    """

    synced = Signal(object)
    fetched = Signal(object)
    failed = Signal(str)
    """The words shown for an error (also in :attr:`status`)."""
    progressed = Signal(int, int)
    """Dossiers read so far, and of how many (0: not known yet); from the sync's thread."""

    def __init__(
        self,
        desk: Desk,
        selected_codes: Callable[[], Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("office_sync_panel")
        self._desk = desk
        self._selected = selected_codes
        self._busy = False

        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.reset_range()
        self.sync_button = QPushButton(self.tr("Đồng bộ toàn đơn vị"))
        self.sync_button.setObjectName("office_sync")
        self.sync_button.setToolTip(
            self.tr(
                "Tải về mọi hồ sơ của đơn vị nộp trong khoảng ngày này, kể cả hồ sơ đã"
                " quyết định, cùng quyết định và kết luận mà từng cán bộ đã thấy"
            )
        )
        self.sync_button.clicked.connect(self.start_sync)
        self.fetch_button = QPushButton(self.tr("Tải tệp của hồ sơ đã chọn"))
        self.fetch_button.setObjectName("office_fetch")
        self.fetch_button.setToolTip(
            self.tr("Tải tệp đính kèm của các hồ sơ đang chọn để kiểm tra lại chữ ký số")
        )
        self.fetch_button.clicked.connect(self.start_fetch)
        self.status = QLabel()
        self.status.setObjectName("office_sync_status")
        self.status.setWordWrap(True)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Hồ sơ của đơn vị nộp từ")))
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel(self.tr("đến")))
        layout.addWidget(self.date_to)
        layout.addWidget(self.sync_button)
        layout.addWidget(self.fetch_button)
        layout.addWidget(self.status, 1)
        self.progressed.connect(self._progressed)

    def reset_range(self) -> None:
        """The last 30 days to today, from the desk's clock (never the machine's calendar)."""
        today = vn_today(self._desk.clock)
        self.date_from.setDate(qdate(today - timedelta(days=DEFAULT_DAYS)))
        self.date_to.setDate(qdate(today))

    def range(self) -> tuple[date, date]:
        return _day(self.date_from.date()), _day(self.date_to.date())

    @property
    def busy(self) -> bool:
        return self._busy

    # --- the office-wide sync ----------------------------------------------------------

    def start_sync(self) -> None:
        if self._busy:
            return
        first, last = self.range()
        if first > last:
            self._show_error(self.tr("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
            return
        desk = self._desk
        self._set_busy(True, self.tr("Đang đồng bộ hồ sơ của đơn vị…"))
        relay = self.progressed.emit

        def work() -> SyncResult:
            # The desk relays sync progress to one listener: this pass's, for its length.
            before = desk.sync_progress

            def both(progress: SyncProgress) -> None:
                if progress.phase is SyncPhase.DETAILS:
                    relay(progress.done, progress.total or 0)
                if before is not None:
                    before(progress)

            desk.sync_progress = both
            try:
                return desk.office_sync(first, last)
            finally:
                desk.sync_progress = before

        run_in_background(self, work, self._synced, self._sync_failed)

    def _progressed(self, done: int, total: int) -> None:
        if self._busy and total:
            self.status.setText(
                self.tr("Đang đọc hồ sơ %1/%2…").replace("%1", str(done)).replace("%2", str(total))
            )

    def _synced(self, result: SyncResult) -> None:
        self._set_busy(False)
        text = (
            self.tr("Đã đồng bộ toàn đơn vị: %1 hồ sơ mới, %2 hồ sơ cập nhật, %3 quyết định mới.")
            .replace("%1", str(result.dossiers_new))
            .replace("%2", str(result.dossiers_updated))
            .replace("%3", str(result.decisions_added))
        )
        if result.cancelled:
            text += " " + self.tr("(đã dừng giữa chừng)")
        if result.errors:
            text += " " + self.tr("%1 hồ sơ không đọc được.").replace("%1", str(len(result.errors)))
        self.status.setText(text)
        self.synced.emit(result)

    def _sync_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_error(self.office_error_text(error))

    def office_error_text(self, error: BaseException) -> str:
        """Why the office-wide sync could not run, in the supervisor's words."""
        if isinstance(error, PermissionError):
            # Checked before OSError's words: this one is about the role, not a file.
            return self.tr(
                "Chỉ lãnh đạo bộ phận (giám sát viên) mới đồng bộ được toàn đơn vị; tài"
                " khoản này không có quyền giám sát."
            )
        if isinstance(error, ValueError):
            return self.tr(
                "Hệ thống này không cho tải hồ sơ của đơn vị theo ngày nộp; chỉ đồng bộ"
                " được hàng đợi của bàn này."
            )
        return self.tr("Không đồng bộ được toàn đơn vị: %1").replace("%1", error_text(error))

    # --- files on demand ---------------------------------------------------------------

    def start_fetch(self) -> None:
        if self._busy:
            return
        codes = sorted(set(self._selected()))
        if not codes:
            self._show_error(self.tr("Hãy chọn hồ sơ trong bảng trước khi tải tệp."))
            return
        desk = self._desk
        self._set_busy(True, self.tr("Đang tải tệp của %1 hồ sơ…").replace("%1", str(len(codes))))

        def work() -> Fetched:
            result = desk.fetch_attachments(codes)
            # Fetched to be re-validated: the audit's "now" column needs the reports.
            return Fetched(result, desk.check_signatures(codes))

        run_in_background(self, work, self._fetched, self._fetch_failed)

    def _fetched(self, fetched: Fetched) -> None:
        self._set_busy(False)
        result = fetched.result
        text = (
            self.tr("Đã tải %1 tệp (%2 tệp đã có sẵn), đã kiểm tra chữ ký số %3 tệp.")
            .replace("%1", str(result.attachments_downloaded))
            .replace("%2", str(result.attachments_skipped))
            .replace("%3", str(fetched.checked))
        )
        if result.attachments_failed:
            text += " " + self.tr("%1 tệp không tải được.").replace(
                "%1", str(result.attachments_failed)
            )
        self.status.setText(text)
        self.fetched.emit(fetched)

    def _fetch_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_error(self.tr("Không tải được tệp: %1").replace("%1", error_text(error)))

    # --- state -------------------------------------------------------------------------

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        for widget in (self.sync_button, self.fetch_button, self.date_from, self.date_to):
            widget.setEnabled(not busy)
        self.status.setStyleSheet("")
        if text:
            self.status.setText(text)

    def _show_error(self, text: str) -> None:
        self.status.setStyleSheet("color: #c62828;")
        self.status.setText(text)
        self.failed.emit(text)
