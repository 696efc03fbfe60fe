"""Item models over signature reports: thin adapters, no logic of their own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor

from intake_desktop.services.signatures import DocumentReport, SignatureReport
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.ui.i18n import current_language
from intake_desktop.ui.table_model import Index, TableModel
from intake_desktop.ui.verdict_style import (
    coverage_text,
    modifications_text,
    verdict_colour,
    verdict_icon,
    verdict_text,
)

VERDICT_ROLE = Qt.ItemDataRole.UserRole + 1


def _time(value: Any) -> str:
    # Vietnam time whatever the computer's zone: it is what the citizen and the forms use.
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if value else "—"


class SignatureTableModel(TableModel):
    """The signature history of one document, one row per signature, oldest first."""

    COLUMNS = (
        "verdict",
        "signer",
        "citizen_id",
        "provider",
        "signed_at",
        "timestamp",
        "coverage",
        "after",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[SignatureReport, ...] = ()
        self._applicant_id: str | None = None

    def set_report(self, report: DocumentReport | None, applicant_id: str | None = None) -> None:
        """Show ``report``; with ``applicant_id``, mark whether each signer is the applicant."""
        self.beginResetModel()
        self._rows = report.signatures if report else ()
        self._applicant_id = applicant_id
        self.endResetModel()

    def _matches(self, sig: SignatureReport) -> bool | None:
        if not self._applicant_id or sig.signer is None or not sig.signer.citizen_id:
            return None
        return sig.signer.citizen_id == self._applicant_id

    def signature(self, row: int) -> SignatureReport:
        return self._rows[row]

    def row_count(self) -> int:
        return len(self._rows)

    def headers(self) -> tuple[str, ...]:
        return (
            QCoreApplication.translate("SignatureModels", "Kết luận"),
            QCoreApplication.translate("SignatureModels", "Người ký"),
            QCoreApplication.translate("SignatureModels", "Số CCCD/MST"),
            QCoreApplication.translate("SignatureModels", "Tổ chức cấp"),
            QCoreApplication.translate("SignatureModels", "Thời điểm ký"),
            QCoreApplication.translate("SignatureModels", "Dấu thời gian"),
            QCoreApplication.translate("SignatureModels", "Phạm vi ký"),
            QCoreApplication.translate("SignatureModels", "Thay đổi sau khi ký"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        sig = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == VERDICT_ROLE:
            return sig.verdict
        if column == "verdict":
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{sig.index + 1}. {verdict_text(sig.verdict)}"
            if role == Qt.ItemDataRole.DecorationRole:
                return verdict_icon(sig.verdict)
            if role == Qt.ItemDataRole.ForegroundRole:
                return verdict_colour(sig.verdict)
        if column == "citizen_id" and role in (
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            matches = self._matches(sig)
            if matches is False:
                if role == Qt.ItemDataRole.ForegroundRole:
                    return QColor("#c62828")
                return QCoreApplication.translate("SignatureModels", "Không phải chủ hồ sơ")
            if matches and role == Qt.ItemDataRole.ToolTipRole:
                return QCoreApplication.translate("SignatureModels", "Trùng số CCCD của chủ hồ sơ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(r.text(current_language()) for r in sig.reasons)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        signer = sig.signer
        if column == "signer":
            return signer.name if signer else "—"
        if column == "citizen_id":
            number = (signer.citizen_id or signer.tax_code or "—") if signer else "—"
            # A mark, not only a colour: ✓ the applicant, ≠ someone else.
            mark = {True: " ✓", False: " ≠", None: ""}[self._matches(sig)]
            return number + mark
        if column == "provider":
            return signer.issuer if signer else "—"
        if column == "signed_at":
            return _time(sig.signing_time)
        if column == "timestamp":
            return _time(sig.timestamp_time)
        if column == "coverage":
            return coverage_text(sig.coverage)
        return modifications_text(sig.modifications_after)


@dataclass
class CheckedFile:
    path: Path
    report: DocumentReport | None = None
    """None while the check is still running."""


class CheckedFilesModel(TableModel):
    """Files opened for checking, with the document verdict once known."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._files: list[CheckedFile] = []

    def add(self, path: Path) -> int:
        row = len(self._files)
        self.beginInsertRows(QModelIndex(), row, row)
        self._files.append(CheckedFile(path))
        self.endInsertRows()
        return row

    def set_report(self, row: int, report: DocumentReport) -> None:
        self._files[row].report = report
        self.dataChanged.emit(self.index(row, 0), self.index(row, 2))

    def file(self, row: int) -> CheckedFile:
        return self._files[row]

    def row_count(self) -> int:
        return len(self._files)

    def headers(self) -> tuple[str, ...]:
        return (
            QCoreApplication.translate("SignatureModels", "Tệp"),
            QCoreApplication.translate("SignatureModels", "Kết luận"),
            QCoreApplication.translate("SignatureModels", "Số chữ ký"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._files[index.row()]
        report = item.report
        if role == VERDICT_ROLE:
            return report.verdict if report else None
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return item.path.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return str(item.path)
        if index.column() == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return (
                    verdict_text(report.verdict)
                    if report
                    else QCoreApplication.translate("SignatureModels", "Đang kiểm tra…")
                )
            if role == Qt.ItemDataRole.DecorationRole and report:
                return verdict_icon(report.verdict)
            if role == Qt.ItemDataRole.ForegroundRole and report:
                return verdict_colour(report.verdict)
        if index.column() == 2 and role == Qt.ItemDataRole.DisplayRole:
            return str(len(report.signatures)) if report else ""
        return None
