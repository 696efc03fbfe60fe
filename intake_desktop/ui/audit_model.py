"""The audit table's model: one row per stored file, its verdicts now and then, the decision."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

from intake_desktop.domain import OutboxState
from intake_desktop.services.audit import AuditRow
from intake_desktop.services.audit.summary import problem_text
from intake_desktop.services.signatures import Verdict
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.ui.i18n import current_language
from intake_desktop.ui.queue_model import decision_text, outbox_text
from intake_desktop.ui.table_model import Index, TableModel
from intake_desktop.ui.verdict_style import verdict_colour, verdict_icon, verdict_text

_VALUES = frozenset(v.value for v in Verdict)
CODE, APPLICANT, COMPONENT, NOW, THEN, SIGNERS, PROVIDERS, DECISION, OFFICER, DECIDED_AT = range(10)


def _verdict(value: str | None) -> str:
    if value is None:
        return QCoreApplication.translate("AuditView", "Chưa kiểm tra")
    return verdict_text(Verdict(value)) if value in _VALUES else value


def _decision(row: AuditRow) -> str:
    """The decision, with its outbox state unless the provincial system has it."""
    if row.decision is None:
        return ""
    text = decision_text(row.decision)
    if row.decision_state is not None and row.decision_state is not OutboxState.SENT:
        return f"{text} ({outbox_text(row.decision_state).lower()})"
    return text


class AuditModel(TableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []
        self._lang = current_language()

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[AuditRow]:
        return self._rows

    def row_count(self) -> int:
        return len(self._rows)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Mã hồ sơ"),
            self.tr("Chủ hồ sơ"),
            self.tr("Thành phần"),
            self.tr("Kết luận hiện nay"),
            self.tr("Khi quyết định"),
            self.tr("Người ký"),
            self.tr("Tổ chức cung cấp"),
            self.tr("Quyết định"),
            self.tr("Cán bộ"),
            self.tr("Lúc"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == NOW and row.verdict_now is not None:
            if role == Qt.ItemDataRole.DecorationRole:
                return verdict_icon(row.verdict_now)
            if role == Qt.ItemDataRole.ForegroundRole:
                return verdict_colour(row.verdict_now)
        if (
            column == THEN
            and role == Qt.ItemDataRole.ForegroundRole
            and (row.verdict_changed or row.file_changed)
        ):
            return QColor("#c62828")  # the verdict, or the file itself, moved since the decision
        if column == SIGNERS and role == Qt.ItemDataRole.ForegroundRole and row.signer_mismatch:
            return QColor("#c62828")
        if (
            column == DECISION
            and role == Qt.ItemDataRole.ForegroundRole
            and row.decision_state in (OutboxState.CONFLICT, OutboxState.REJECTED)
        ):
            return QColor("#c62828")  # the provincial system did not take it
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            row.dossier_code,
            row.applicant_name,
            row.component,
            _verdict(row.verdict_now.value if row.verdict_now else None),
            (_verdict(row.verdict_then) if row.verdict_then else "—")
            + (" ≠" if row.file_changed else ""),
            ", ".join(row.signers) + (" ≠" if row.signer_mismatch else ""),
            ", ".join(row.providers),
            _decision(row),
            f"{row.officer_name} ({row.officer})" if row.officer_name else row.officer,
            f"{row.decided_at.astimezone(VN_TZ):%d/%m/%Y %H:%M}" if row.decided_at else "",
        )
        return values[column]

    def _tooltip(self, row: AuditRow) -> str | None:
        lines = [problem_text(code, self._lang) for code in row.problems]
        if row.file_changed:
            lines.append(self.tr("Tệp trên máy chủ không còn là tệp cán bộ đã xem khi quyết định"))
        if row.checked_at is not None:
            when = f"{row.checked_at.astimezone(VN_TZ):%d/%m/%Y %H:%M}"
            lines.append(self.tr("Kiểm tra lúc %1").replace("%1", when))
        return "\n".join(lines) or None
