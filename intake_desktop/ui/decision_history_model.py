"""A dossier's decision history, and what each officer saw against the files now.

Two flat models for the review: :class:`DecisionHistoryModel` (one row per decision, this
desk's and other officers' alike) and :class:`SnapshotModel` (for one decision, one row per
attachment: the verdict and SHA-256 the officer's desk sent, beside the file the system
holds now). A SHA-256 that differs is flagged: the file is not the one the officer saw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from intake_desktop.domain import DecisionOrigin, VerdictSnapshot
from intake_desktop.services.signatures import DocumentReport, Verdict
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.store.decision_history import StoredDecision
from intake_desktop.store.dossiers import CachedAttachment
from intake_desktop.ui.queue_model import decision_text
from intake_desktop.ui.table_model import Index, TableModel
from intake_desktop.ui.verdict_style import verdict_colour, verdict_text

FLAG = QColor("#c62828")
"""The audit's colour for "not what the officer saw"."""

# DecisionHistoryModel columns
AT, OFFICER, KIND, REASONS, APPOINTMENT, ORIGIN, FILES = range(7)
# SnapshotModel columns
FILE, THEN, NOW, SHA, SIGNERS = range(5)


def origin_text(origin: DecisionOrigin) -> str:
    if origin is DecisionOrigin.DESK:
        return QCoreApplication.translate("DecisionHistoryModel", "bàn này")
    return QCoreApplication.translate("DecisionHistoryModel", "hệ thống")


def _verdict_words(value: str | None) -> str:
    if value is None:
        return QCoreApplication.translate("DecisionHistoryModel", "Chưa kiểm tra")
    try:
        return verdict_text(Verdict(value))
    except ValueError:
        return value  # a verdict this build does not know: the system's own word


def _short(sha256: str | None) -> str:
    # Eight hex digits tell two files apart at a glance; the tooltip has all 64.
    return sha256[:8] if sha256 else "—"


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """One attachment of a decision: what the officer saw, and the file now."""

    attachment_id: str
    file_name: str
    seen: VerdictSnapshot | None
    """``None``: the officer's snapshot did not name this file (added since?)."""
    sha256_now: str | None
    """The file the system holds now (declared, or as downloaded)."""
    verdict_now: Verdict | None
    """This desk's check of the file now; ``None``: not downloaded or not checked."""

    @property
    def file_changed(self) -> bool:
        """The snapshot names other bytes than the file now (both known)."""
        then = self.seen.sha256 if self.seen is not None else None
        return bool(then and self.sha256_now and then.lower() != self.sha256_now.lower())

    @property
    def verdict_changed(self) -> bool:
        return (
            self.seen is not None
            and self.verdict_now is not None
            and self.seen.verdict != self.verdict_now.value
        )


def snapshot_rows(
    decision: StoredDecision,
    attachments: Sequence[CachedAttachment],
    reports: Mapping[str, DocumentReport | None],
) -> list[SnapshotRow]:
    """Every file of the dossier now, and any file the snapshot names that is gone."""
    rows = []
    named = {a.attachment.remote_id for a in attachments}
    for cached in attachments:
        attachment = cached.attachment
        report = reports.get(attachment.remote_id)
        rows.append(
            SnapshotRow(
                attachment_id=attachment.remote_id,
                file_name=attachment.file_name,
                seen=decision.seen(attachment.remote_id),
                sha256_now=(report.sha256 if report is not None else None) or attachment.sha256,
                verdict_now=report.verdict if report is not None else None,
            )
        )
    for seen in decision.verdict_snapshot:
        if seen.attachment_id not in named:
            rows.append(SnapshotRow(seen.attachment_id, seen.attachment_id, seen, None, None))
    return rows


class DecisionHistoryModel(TableModel):
    """The dossier's decisions, oldest first; ``changed`` counts per decision the files
    whose SHA-256 differs from the snapshot."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[StoredDecision] = []
        self._changed: dict[str, int] = {}

    def headers(self) -> Sequence[str]:
        return (
            self.tr("Lúc"),
            self.tr("Cán bộ"),
            self.tr("Quyết định"),
            self.tr("Lý do"),
            self.tr("Ngày hẹn trả"),
            self.tr("Nguồn"),
            self.tr("Tệp đã đổi"),
        )

    def row_count(self) -> int:
        return len(self._rows)

    def set_rows(self, rows: Sequence[StoredDecision], changed: Mapping[str, int]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._changed = dict(changed)
        self.endResetModel()

    def decision(self, row: int) -> StoredDecision:
        return self._rows[row]

    def rows(self) -> list[StoredDecision]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        decision = self._rows[index.row()]
        column = index.column()
        changed = self._changed.get(decision.decision_id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(decision, column, changed)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == REASONS and decision.reasons:
                return "\n".join(decision.reasons)
            if column == FILES and changed:
                return self.tr("Tệp trên hệ thống không còn là tệp cán bộ đã xem khi quyết định")
            if column == OFFICER:
                return decision.officer
        if role == Qt.ItemDataRole.ForegroundRole and column == FILES and changed:
            return FLAG
        return None

    def _text(self, decision: StoredDecision, column: int, changed: int) -> str:
        if column == AT:
            return decision.decided_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
        if column == OFFICER:
            name = decision.officer_name
            return f"{name} ({decision.officer})" if name else decision.officer
        if column == KIND:
            return decision_text(decision.kind)
        if column == REASONS:
            return "; ".join(decision.reasons) or "—"
        if column == APPOINTMENT:
            day = decision.appointment_date
            return f"{day:%d/%m/%Y}" if day else "—"
        if column == ORIGIN:
            return origin_text(decision.origin)
        if column == FILES:
            return f"{changed} ≠" if changed else "—"
        return ""


class SnapshotModel(TableModel):
    """For one decision: each file as the officer saw it, and as it is now."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SnapshotRow] = []

    def headers(self) -> Sequence[str]:
        return (
            self.tr("Tệp"),
            self.tr("Khi quyết định"),
            self.tr("Hiện nay"),
            self.tr("SHA-256 (trước / nay)"),
            self.tr("CCCD người ký"),
        )

    def row_count(self) -> int:
        return len(self._rows)

    def set_rows(self, rows: Sequence[SnapshotRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[SnapshotRow]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == SHA and row.file_changed:
                return FLAG
            if column == NOW and row.verdict_now is not None:
                return verdict_colour(row.verdict_now)
            if column == THEN and row.seen is not None:
                try:
                    return verdict_colour(Verdict(row.seen.verdict))
                except ValueError:
                    return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == FILE:
                return row.file_name
            if column == SHA:
                then = row.seen.sha256 if row.seen is not None else None
                tip = f"{then or '—'}\n{row.sha256_now or '—'}"
                if row.file_changed:
                    tip = (
                        self.tr("Tệp trên hệ thống không còn là tệp cán bộ đã xem khi quyết định")
                        + "\n"
                        + tip
                    )
                return tip
            if column == NOW and row.verdict_changed:
                return self.tr("Kết luận đã đổi từ khi quyết định")
        return None

    def _text(self, row: SnapshotRow, column: int) -> str:
        seen = row.seen
        if column == FILE:
            return row.file_name
        if column == THEN:
            if seen is None:
                return self.tr("Không có trong bản ghi")
            return _verdict_words(seen.verdict)
        if column == NOW:
            words = _verdict_words(row.verdict_now.value if row.verdict_now else None)
            return f"{words} ≠" if row.verdict_changed else words
        if column == SHA:
            then = _short(seen.sha256 if seen is not None else None)
            return f"{then} {'≠' if row.file_changed else '='} {_short(row.sha256_now)}"
        if column == SIGNERS:
            return ", ".join(seen.signer_citizen_ids) if seen and seen.signer_citizen_ids else "—"
        return ""
