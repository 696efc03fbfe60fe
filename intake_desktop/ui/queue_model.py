"""The intake queue's table model: filtering and sorting built in, fast for 10,000 dossiers.

A QSortFilterProxyModel would call Python once per row and per comparison on every
keystroke; instead the model keeps an index list it filters with precomputed search keys
and sorts with one ``list.sort``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

from intake_desktop.domain import DecisionKind, DossierStatus, OutboxState
from intake_desktop.services.dossier_check import SignatureBadge
from intake_desktop.services.queue import QueueRow
from intake_desktop.services.text_search import fold
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.ui.table_model import Index, TableModel

ROW_ROLE = Qt.ItemDataRole.UserRole + 10


def badge_text(badge: SignatureBadge) -> str:
    return {
        SignatureBadge.ALL_VALID: QCoreApplication.translate("QueueModel", "Chữ ký hợp lệ"),
        SignatureBadge.WARNINGS: QCoreApplication.translate("QueueModel", "Có lưu ý"),
        SignatureBadge.PROBLEMS: QCoreApplication.translate("QueueModel", "Có vấn đề"),
        SignatureBadge.UNSIGNED: QCoreApplication.translate("QueueModel", "Chưa ký số"),
        SignatureBadge.NOT_CHECKED: QCoreApplication.translate("QueueModel", "Chưa kiểm tra"),
    }[badge]


def status_text(status: DossierStatus, raw: str | None = None) -> str:
    """A status's name; for one the desk does not know, with the system's own words."""
    if status is DossierStatus.OTHER:
        if raw:
            return QCoreApplication.translate("QueueModel", "Trạng thái khác: %1").replace(
                "%1", raw
            )
        return QCoreApplication.translate("QueueModel", "Trạng thái khác")
    return {
        DossierStatus.AWAITING_INTAKE: QCoreApplication.translate("QueueModel", "Chờ tiếp nhận"),
        DossierStatus.ACCEPTED: QCoreApplication.translate("QueueModel", "Đã tiếp nhận"),
        DossierStatus.SUPPLEMENT_REQUESTED: QCoreApplication.translate(
            "QueueModel", "Yêu cầu bổ sung"
        ),
        DossierStatus.REFUSED: QCoreApplication.translate("QueueModel", "Từ chối"),
    }[status]


def decision_text(kind: DecisionKind, *, full: bool = False) -> str:
    """A decision's name: short for tables and filters, ``full`` in the legal wording."""
    if kind is DecisionKind.ACCEPT:
        return QCoreApplication.translate("Decision", "Tiếp nhận")
    if kind is DecisionKind.REQUEST_SUPPLEMENT:
        if full:
            return QCoreApplication.translate("Decision", "Yêu cầu bổ sung, hoàn thiện hồ sơ")
        return QCoreApplication.translate("Decision", "Yêu cầu bổ sung")
    if full:
        return QCoreApplication.translate("Decision", "Từ chối tiếp nhận")
    return QCoreApplication.translate("Decision", "Từ chối")


def read_only_reason() -> str:
    """Why a dossier in a status the desk does not know can only be looked at."""
    return QCoreApplication.translate(
        "QueueModel",
        "Hệ thống của tỉnh báo một trạng thái mà ứng dụng chưa biết, nên hồ sơ chỉ được xem,"
        " không tiếp nhận, yêu cầu bổ sung hay từ chối ở đây. Hãy xử lý hồ sơ trên hệ thống"
        " của tỉnh.",
    )


def outbox_text(state: OutboxState | None) -> str:
    if state is None:
        return ""
    return {
        OutboxState.PENDING: QCoreApplication.translate("QueueModel", "Chờ gửi"),
        OutboxState.SENDING: QCoreApplication.translate("QueueModel", "Đang gửi"),
        OutboxState.SENT: QCoreApplication.translate("QueueModel", "Đã gửi"),
        OutboxState.CONFLICT: QCoreApplication.translate("QueueModel", "Xung đột"),
        OutboxState.REJECTED: QCoreApplication.translate("QueueModel", "Bị từ chối"),
    }[state]


_BADGE_COLOURS = {
    SignatureBadge.ALL_VALID: "#1b7f3b",
    SignatureBadge.WARNINGS: "#b26a00",
    SignatureBadge.PROBLEMS: "#c62828",
    SignatureBadge.UNSIGNED: "#5f6b7a",
    SignatureBadge.NOT_CHECKED: "#5f6b7a",
}


class QueueModel(TableModel):
    COLUMNS = (
        "code",
        "procedure",
        "applicant",
        "submitted_at",
        "deadline",
        "components",
        "badge",
        "status",
    )

    def __init__(
        self, now: Callable[[], datetime], hours_left: Callable[[datetime, datetime], float]
    ) -> None:
        super().__init__()
        self._now = now
        self._hours_left = hours_left
        self._rows: list[QueueRow] = []
        self._visible: list[int] = []
        self._query = ""
        self._statuses: frozenset[DossierStatus] | None = frozenset({DossierStatus.AWAITING_INTAKE})
        self._sort_column = 4
        self._sort_order = Qt.SortOrder.AscendingOrder

    # --- data in ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[QueueRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._refresh()
        self.endResetModel()

    def update_row(self, row: QueueRow) -> None:
        """Replace the row with the same code (e.g. after a check or a decision)."""
        for i, old in enumerate(self._rows):
            if old.code == row.code:
                self._rows[i] = row
                if i in self._visible:
                    pos = self._visible.index(i)
                    self.dataChanged.emit(
                        self.index(pos, 0), self.index(pos, len(self.COLUMNS) - 1)
                    )
                return
        self.set_rows([*self._rows, row])

    # --- filter and sort -------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """Quick filter: every word must appear in code, applicant, citizen ID or procedure."""
        self.beginResetModel()
        self._query = text
        self._refresh()
        self.endResetModel()

    def set_statuses(self, statuses: frozenset[DossierStatus] | None) -> None:
        """Show only these statuses (``None``: all)."""
        self.beginResetModel()
        self._statuses = statuses
        self._refresh()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._sort()
        self.layoutChanged.emit()

    def _refresh(self) -> None:
        words = fold(self._query).split()
        statuses = self._statuses
        rows = self._rows
        self._visible = [
            i
            for i, row in enumerate(rows)
            if (statuses is None or row.status in statuses)
            and all(w in row.search_key for w in words)
        ]
        self._sort()

    def _sort(self) -> None:
        key = _SORT_KEYS[self.COLUMNS[self._sort_column]]
        rows = self._rows
        self._visible.sort(
            key=lambda i: key(rows[i]), reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )

    # --- reading ---------------------------------------------------------------------------

    def row_at(self, position: int) -> QueueRow:
        return self._rows[self._visible[position]]

    def position_of(self, code: str) -> int | None:
        for pos, i in enumerate(self._visible):
            if self._rows[i].code == code:
                return pos
        return None

    def counts(self) -> dict[DossierStatus, int]:
        """Rows per status; statuses the desk does not know only when there are some."""
        out = dict.fromkeys((s for s in DossierStatus if s.known), 0)
        for row in self._rows:
            out[row.status] = out.get(row.status, 0) + 1
        return out

    def row_count(self) -> int:
        return len(self._visible)

    def headers(self) -> tuple[str, ...]:
        return (
            QCoreApplication.translate("QueueModel", "Mã hồ sơ"),
            QCoreApplication.translate("QueueModel", "Thủ tục"),
            QCoreApplication.translate("QueueModel", "Chủ hồ sơ"),
            QCoreApplication.translate("QueueModel", "Ngày nộp"),
            QCoreApplication.translate("QueueModel", "Hạn tiếp nhận"),
            QCoreApplication.translate("QueueModel", "Thành phần"),
            QCoreApplication.translate("QueueModel", "Chữ ký số"),
            QCoreApplication.translate("QueueModel", "Trạng thái"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        if role == ROW_ROLE:
            return row
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "badge":
                return QColor(_BADGE_COLOURS[row.badge])
            if column == "deadline" and row.status is DossierStatus.AWAITING_INTAKE:
                left = self._hours_left(row.deadline, self._now())
                if left < 0:
                    return QColor("#c62828")
                if left < 4:
                    return QColor("#b26a00")
        if role == Qt.ItemDataRole.ToolTipRole and column == "procedure":
            return f"{row.procedure_code} — {row.procedure_name}"
        if role == Qt.ItemDataRole.ToolTipRole and column == "applicant":
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "status":
            if not row.status.known:
                return read_only_reason()
            if row.outbox is not None:  # the column fits the status; the state may be cut
                return self._display(row, column)
        return None

    @staticmethod
    def width_samples() -> dict[str, tuple[str, ...]]:
        """The longest texts each fixed-width column shows, for sizing it before any row.

        The procedure (and the applicant, within reason) take the width that is left:
        they are the columns a long text may be cut in, with the whole text as tooltip.
        """
        deadline = "00/00 00:00"
        return {
            "code": ("000.00.00.H00-000000-0000",),
            "applicant": ("Nguyễn Thị Phương Huyền (000000000000)",),
            "submitted_at": ("00/00/0000 00:00",),
            "deadline": (
                QCoreApplication.translate("QueueModel", "%1 (quá hạn)").replace("%1", deadline),
                QCoreApplication.translate("QueueModel", "%1 (còn %2 giờ)")
                .replace("%1", deadline)
                .replace("%2", "00"),
            ),
            "components": ("00",),
            "badge": tuple(badge_text(badge) for badge in SignatureBadge),
            "status": tuple(status_text(status) for status in DossierStatus if status.known),
        }

    def _display(self, row: QueueRow, column: str) -> str:
        if column == "code":
            return row.code
        if column == "procedure":
            return row.procedure_name
        if column == "applicant":
            return f"{row.applicant_name} ({row.citizen_id})"
        if column == "submitted_at":
            return row.submitted_at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
        if column == "deadline":
            return self._deadline_text(row)
        if column == "components":
            return str(row.component_count)
        if column == "badge":
            return badge_text(row.badge)
        state = outbox_text(row.outbox)
        status = status_text(row.status, row.raw_status)
        return f"{status} · {state}" if state else status

    def _deadline_text(self, row: QueueRow) -> str:
        when = row.deadline.astimezone(VN_TZ).strftime("%d/%m %H:%M")
        if row.status is not DossierStatus.AWAITING_INTAKE:
            return when
        left = self._hours_left(row.deadline, self._now())
        if left < 0:
            return QCoreApplication.translate("QueueModel", "%1 (quá hạn)").replace("%1", when)
        return (
            QCoreApplication.translate("QueueModel", "%1 (còn %2 giờ)")
            .replace("%1", when)
            .replace("%2", f"{left:.0f}")
        )


_SORT_KEYS: dict[str, Callable[[QueueRow], Any]] = {
    "code": lambda r: r.code,
    "procedure": lambda r: fold(r.procedure_name),
    "applicant": lambda r: fold(r.applicant_name),
    "submitted_at": lambda r: r.submitted_at,
    "deadline": lambda r: r.deadline,
    "components": lambda r: r.component_count,
    "badge": lambda r: list(SignatureBadge).index(r.badge),
    "status": lambda r: list(DossierStatus).index(r.status),
}
