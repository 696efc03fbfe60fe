"""Every officer's decisions, in the one ``decisions`` table the outbox also lives in.

The outbox (:mod:`intake_desktop.store.outbox`) writes this desk's decisions (origin
``desk``); :func:`save_history` merges the decision history the server sends with each
dossier (origin ``server``: another officer, or another desk). The decision's id is the
primary key, so a decision that comes back from the server with the id of one in the
outbox is that row: it learns what the server says of it (officer's name, when recorded)
and keeps its outbox state, so the sender neither loses nor doubles it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from intake_desktop.domain import (
    DecisionKind,
    DecisionOrigin,
    DecisionRecord,
    OutboxState,
    VerdictSnapshot,
)
from intake_desktop.store import audit_summary
from intake_desktop.store.db import Store
from intake_desktop.store.models import DecisionRow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """A decision as the store holds it, whoever made it."""

    decision_id: str
    dossier_code: str
    kind: DecisionKind
    officer: str
    """Username of the officer who decided."""
    officer_name: str | None
    """Their display name, once the server's history gave it."""
    origin: DecisionOrigin
    state: OutboxState
    """The outbox state (``SENT`` for a decision read from the server)."""
    decided_at: datetime
    """When the officer decided: at this desk, or as the server recorded it."""
    recorded_at: datetime | None
    """When the server recorded it, if known."""
    dossier_version: int
    national_status_code: int | None
    appointment_date: date | None
    reasons: tuple[str, ...]
    verdict_snapshot: tuple[VerdictSnapshot, ...]

    def seen(self, attachment_id: str) -> VerdictSnapshot | None:
        """What the officer saw of this attachment, if the snapshot names it."""
        return next((s for s in self.verdict_snapshot if s.attachment_id == attachment_id), None)


@dataclass(frozen=True, slots=True)
class HistoryMerge:
    """What :func:`save_history` did with a dossier's history."""

    added: int = 0
    """Decisions the store did not know (another officer's, or another desk's)."""
    matched: int = 0
    """Decisions the store already had (ours from the outbox, or read before)."""


def save_history(
    store: Store, dossier_code: str, records: Iterable[DecisionRecord]
) -> HistoryMerge:
    """Merge the decision history the server sent with ``dossier_code``, in one transaction.

    Idempotent: merging the same history again changes nothing. A record whose id belongs
    to another dossier's decision is skipped (logged): ids are the server's to keep apart.
    """
    added = matched = 0
    with store.session() as session:
        for record in records:
            key = record.decision_id.lower()
            row = session.get(DecisionRow, key)
            if row is None:
                session.add(_server_row(dossier_code, key, record))
                added += 1
                continue
            if row.dossier_code != dossier_code:
                log.warning(
                    "decision %s of dossier %s comes back with dossier %s: skipped",
                    key,
                    row.dossier_code,
                    dossier_code,
                )
                continue
            matched += 1
            row.officer_name = record.officer_name
            row.recorded_at = record.recorded_at
            if row.origin == DecisionOrigin.SERVER.value:
                _fill_from_server(row, record)
            # A desk row keeps what this desk sent and its outbox state: the sender settles
            # it with the same idempotency key (the server answers with the first receipt).
        session.flush()
        if added or matched:
            audit_summary.refresh(session, [dossier_code])
    return HistoryMerge(added, matched)


def all_decisions(store: Store, dossier_codes: Sequence[str] | None = None) -> list[StoredDecision]:
    """Every stored decision of every origin (of ``dossier_codes`` if given), oldest first."""
    query = select(DecisionRow).order_by(DecisionRow.created_at, DecisionRow.uuid)
    if dossier_codes is not None:
        query = query.where(DecisionRow.dossier_code.in_(list(dossier_codes)))
    with store.session(write=False) as session:
        return [_stored(row) for row in session.scalars(query)]


def _server_row(dossier_code: str, key: str, record: DecisionRecord) -> DecisionRow:
    row = DecisionRow(
        uuid=key,
        dossier_code=dossier_code,
        officer_note="",
        state=OutboxState.SENT.value,
        attempts=0,
        next_attempt_at=None,
        last_error=None,
        server_receipt_json=None,
        origin=DecisionOrigin.SERVER.value,
        officer_name=record.officer_name,
        recorded_at=record.recorded_at,
    )
    _fill_from_server(row, record)
    return row


def _fill_from_server(row: DecisionRow, record: DecisionRecord) -> None:
    row.kind = record.kind.value
    row.officer = record.officer
    row.reasons_json = _dump(list(record.reasons))
    row.components_json = _dump(list(record.components))
    row.appointment_date = record.appointment_date
    row.verdict_snapshot_json = _dump([s.to_json() for s in record.verdict_snapshot])
    row.dossier_version = record.dossier_version
    row.national_status_code = record.national_status_code
    # Its time at the desk that made it is the server's record of it.
    row.created_at = record.recorded_at
    row.sent_at = record.recorded_at


def _stored(row: DecisionRow) -> StoredDecision:
    return StoredDecision(
        decision_id=row.uuid,
        dossier_code=row.dossier_code,
        kind=DecisionKind(row.kind),
        officer=row.officer,
        officer_name=row.officer_name,
        origin=DecisionOrigin(row.origin),
        state=OutboxState(row.state),
        decided_at=row.created_at,
        recorded_at=row.recorded_at,
        dossier_version=row.dossier_version,
        national_status_code=row.national_status_code,
        appointment_date=row.appointment_date,
        reasons=tuple(json.loads(row.reasons_json)),
        verdict_snapshot=tuple(_snapshot(item) for item in json.loads(row.verdict_snapshot_json)),
    )


def _snapshot(item: object) -> VerdictSnapshot:
    if not isinstance(item, dict):
        return VerdictSnapshot(attachment_id="", sha256=None, verdict="error")
    sha256 = item.get("sha256")
    ids = item.get("signer_citizen_ids") or ()
    return VerdictSnapshot(
        attachment_id=str(item.get("attachment_id", "")),
        sha256=str(sha256).lower() if sha256 else None,
        verdict=str(item.get("verdict", "error")),
        signer_citizen_ids=tuple(str(i) for i in ids),
    )


def _dump(value: object) -> str:
    # As store.outbox writes: canonical, so the same history re-merged is the same text.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
