"""The review screen's checklist: the catalog's components beside what was submitted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

from intake_desktop.domain import Attachment, CopyKind
from intake_desktop.services.dossier_check import ComponentCheck, Presence
from intake_desktop.services.signatures import DocumentReport, Verdict
from intake_desktop.store.dossiers import CachedAttachment
from intake_desktop.ui.table_model import Index, TableModel
from intake_desktop.ui.verdict_style import verdict_colour, verdict_icon, verdict_text


@dataclass(frozen=True)
class ChecklistRow:
    """One attachment of a component, or a component without any (missing)."""

    check: ComponentCheck
    attachment: CachedAttachment | None
    report: DocumentReport | None


def checklist_rows(
    checklist: tuple[ComponentCheck, ...],
    attachments: tuple[CachedAttachment, ...],
    reports: dict[str, DocumentReport | None],
) -> list[ChecklistRow]:
    by_id = {a.attachment.remote_id: a for a in attachments}
    rows: list[ChecklistRow] = []
    for check in checklist:
        files: tuple[Attachment, ...] = check.component.attachments if check.component else ()
        if not files:
            rows.append(ChecklistRow(check, None, None))
        for file in files:
            rows.append(ChecklistRow(check, by_id.get(file.remote_id), reports.get(file.remote_id)))
    return rows


class ChecklistModel(TableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ChecklistRow] = []

    def set_rows(self, rows: list[ChecklistRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, position: int) -> ChecklistRow:
        return self._rows[position]

    def rows(self) -> list[ChecklistRow]:
        return list(self._rows)

    def row_count(self) -> int:
        return len(self._rows)

    def headers(self) -> tuple[str, ...]:
        return (
            QCoreApplication.translate("Checklist", "Thành phần hồ sơ"),
            QCoreApplication.translate("Checklist", "Bản"),
            QCoreApplication.translate("Checklist", "Chữ ký số"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        check = row.check
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                name = check.name
                if (
                    row.attachment is not None
                    and len(check.component.attachments if check.component else ()) > 1
                ):
                    name = f"{name} — {row.attachment.attachment.file_name}"
                return name
            if role == Qt.ItemDataRole.ToolTipRole:
                parts = [check.name]
                if row.attachment is not None:
                    parts.append(row.attachment.attachment.file_name)
                if check.spec is not None and check.spec.condition:
                    parts.append(
                        QCoreApplication.translate("Checklist", "Khi: %1").replace(
                            "%1", check.spec.condition
                        )
                    )
                return "\n".join(parts)
            if role == Qt.ItemDataRole.ForegroundRole and check.presence is Presence.MISSING:
                required = check.spec is not None and check.spec.required
                return QColor("#c62828" if required else "#5f6b7a")
            if role == Qt.ItemDataRole.FontRole and check.presence is Presence.MISSING:
                from PySide6.QtGui import QFont

                font = QFont()
                font.setItalic(True)
                return font
        if column == 1 and role == Qt.ItemDataRole.DisplayRole:
            kind = (
                check.spec.copy_kind
                if check.spec
                else (check.component.copy_kind if check.component else CopyKind.ORIGINAL)
            )
            return (
                QCoreApplication.translate("Checklist", "Bản chính")
                if kind is CopyKind.ORIGINAL
                else QCoreApplication.translate("Checklist", "Bản sao")
            )
        if column == 2:
            return self._signature_cell(row, role)
        return None

    def _signature_cell(self, row: ChecklistRow, role: int) -> Any:
        check = row.check
        if check.presence is Presence.MISSING:
            if role == Qt.ItemDataRole.DisplayRole:
                if check.spec is not None and check.spec.required:
                    return QCoreApplication.translate("Checklist", "THIẾU (bắt buộc)")
                return QCoreApplication.translate("Checklist", "Không nộp (tùy trường hợp)")
            return None
        report = row.report
        if report is None:
            if role == Qt.ItemDataRole.DisplayRole:
                if row.attachment is not None and row.attachment.error:
                    return QCoreApplication.translate("Checklist", "Lỗi tải tệp")
                return QCoreApplication.translate("Checklist", "Chưa kiểm tra")
            return None
        verdict = report.verdict
        required = check.spec is not None and check.spec.signature_required
        if verdict is Verdict.UNSIGNED and not required:
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("Checklist", "Không yêu cầu ký")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return verdict_text(verdict)
        if role == Qt.ItemDataRole.DecorationRole:
            return verdict_icon(verdict)
        if role == Qt.ItemDataRole.ForegroundRole:
            return verdict_colour(verdict)
        return None
