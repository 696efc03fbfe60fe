"""The outbox table (hàng đợi gửi): decisions waiting for, or done with, the server.

Rows are never deleted: a decision stays in the table whatever became of it, so the desk can
always show what was decided and what the server answered. State changes are
compare-and-set on the current state, so two senders cannot both claim a row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from intake_desktop.domain import DecisionKind, DecisionOrigin, DossierStatus, OutboxState
from intake_desktop.store import audit_summary
from intake_desktop.store.db import Store
from intake_desktop.store.models import DecisionRow, DossierRow, utc_now

ACTIVE_STATES = (OutboxState.PENDING, OutboxState.SENDING)
"""States of a decision the server has not answered yet."""
_DESK = DecisionOrigin.DESK.value
"""The outbox's rows; the others in the table were read from the server's history (SENT)."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One decision in the outbox, as stored."""

    uuid: str
    """The decision's id, sent as the Idempotency-Key."""
    dossier_code: str
    dossier_version: int
    kind: DecisionKind
    reasons: tuple[str, ...]
    components: tuple[str, ...]
    appointment_date: date | None
    officer_note: str
    verdict_snapshot: tuple[dict[str, Any], ...]
    """The signature verdicts the officer saw, as plain JSON objects."""
    officer: str
    state: OutboxState
    attempts: int
    """Delivery attempts that got an answer or failed (not counting the one in flight)."""
    next_attempt_at: datetime | None
    last_error: str | None
    server_answer: dict[str, Any] | None
    """The receipt (SENT), or ``{"conflict": …}`` / ``{"rejected": …}`` as the server said."""
    created_at: datetime
    sent_at: datetime | None
    national_status_code: int | None = None
    """The national ``TrangThaiHoSo`` the decision leads to (2 accepted, 3 refused, 5
    supplement), kept for the province's national-portal reporting."""


def insert(
    session: Session,
    *,
    uuid: str,
    dossier_code: str,
    dossier_version: int,
    kind: DecisionKind,
    reasons: Iterable[str],
    components: Iterable[str],
    appointment_date: date | None,
    officer_note: str,
    verdict_snapshot: Iterable[Mapping[str, Any]],
    officer: str,
    now: datetime | None = None,
    officer_name: str | None = None,
) -> None:
    """Add a PENDING decision in the caller's session (commit it with the audit entry)."""
    now = now or utc_now()
    session.add(
        DecisionRow(
            uuid=uuid,
            dossier_code=dossier_code,
            kind=kind.value,
            reasons_json=_dump(list(reasons)),
            components_json=_dump(list(components)),
            appointment_date=appointment_date,
            officer_note=officer_note,
            verdict_snapshot_json=_dump([dict(item) for item in verdict_snapshot]),
            dossier_version=dossier_version,
            national_status_code=kind.resulting_status.national_code,
            state=OutboxState.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            last_error=None,
            server_receipt_json=None,
            created_at=now,
            sent_at=None,
            officer=officer,
            origin=_DESK,
            officer_name=officer_name,
        )
    )
    session.flush()
    audit_summary.refresh(session, [dossier_code])


def get(target: Store | Session, uuid: str) -> OutboxEntry | None:
    """Return the decision with this id, or ``None``."""
    if isinstance(target, Session):
        row = target.get(DecisionRow, uuid)
        return None if row is None else _entry(row)
    with target.session(write=False) as session:
        row = session.get(DecisionRow, uuid)
        return None if row is None else _entry(row)


def active_for_dossier(session: Session, dossier_code: str) -> str | None:
    """Return the id of a PENDING or SENDING decision on this dossier, if any."""
    return session.scalar(
        select(DecisionRow.uuid)
        .where(
            DecisionRow.dossier_code == dossier_code,
            DecisionRow.state.in_([state.value for state in ACTIVE_STATES]),
        )
        .limit(1)
    )


def entries(
    store: Store,
    *,
    states: Iterable[OutboxState] | None = None,
    dossier_code: str | None = None,
) -> list[OutboxEntry]:
    """Return this desk's decisions, oldest first, optionally filtered by state and dossier.

    Decisions read from the server's history (other officers') share the table but are no
    part of the outbox: ``store.decision_history`` reads every origin.
    """
    query = (
        select(DecisionRow)
        .where(DecisionRow.origin == _DESK)
        .order_by(DecisionRow.created_at, DecisionRow.uuid)
    )
    if states is not None:
        query = query.where(DecisionRow.state.in_([state.value for state in states]))
    if dossier_code is not None:
        query = query.where(DecisionRow.dossier_code == dossier_code)
    with store.session(write=False) as session:
        return [_entry(row) for row in session.scalars(query)]


def due(store: Store, now: datetime, limit: int = 100) -> list[str]:
    """Return ids of PENDING decisions whose next attempt time has come, oldest first."""
    query = (
        select(DecisionRow.uuid)
        .where(
            DecisionRow.state == OutboxState.PENDING.value,
            (DecisionRow.next_attempt_at.is_(None)) | (DecisionRow.next_attempt_at <= now),
        )
        .order_by(DecisionRow.created_at, DecisionRow.uuid)
        .limit(limit)
    )
    with store.session(write=False) as session:
        return list(session.scalars(query))


def release_sending(store: Store, now: datetime | None = None) -> int:
    """Put SENDING decisions back to PENDING, due now. Returns how many.

    For a sender starting up: a SENDING row then belongs to an attempt that died with its
    process. Resending it is safe: it carries the same idempotency key.
    """
    with store.session() as session:
        codes = session.scalars(
            select(DecisionRow.dossier_code).where(DecisionRow.state == OutboxState.SENDING.value)
        ).all()
        result = session.execute(
            update(DecisionRow)
            .where(DecisionRow.state == OutboxState.SENDING.value)
            .values(state=OutboxState.PENDING.value, next_attempt_at=now or utc_now())
            .execution_options(synchronize_session=False)
        )
        audit_summary.refresh(session, codes)
        return int(result.rowcount)  # type: ignore[attr-defined]


def claim(store: Store, uuid: str) -> OutboxEntry | None:
    """Move a PENDING decision to SENDING and return it; ``None`` if it is not PENDING."""
    with store.session() as session:
        row = session.get(DecisionRow, uuid)
        if row is None or row.state != OutboxState.PENDING.value:
            return None
        row.state = OutboxState.SENDING.value
        session.flush()
        audit_summary.refresh(session, [row.dossier_code])
        return _entry(row)


def finish(
    session: Session,
    uuid: str,
    state: OutboxState,
    *,
    count_attempt: bool = True,
    next_attempt_at: datetime | None = None,
    last_error: str | None = None,
    server_answer: Mapping[str, Any] | None = None,
    sent_at: datetime | None = None,
    recorded_at: datetime | None = None,
) -> OutboxEntry:
    """Record the outcome of an attempt on a SENDING decision, in the caller's session.

    ``recorded_at``: when the server says it recorded the decision (its receipt).

    Raises ``LookupError`` if the decision does not exist.
    """
    row = session.get(DecisionRow, uuid)
    if row is None:
        raise LookupError(f"no decision {uuid} in the outbox")
    row.state = state.value
    if count_attempt:
        row.attempts += 1
    row.next_attempt_at = next_attempt_at
    row.last_error = last_error
    if server_answer is not None:
        row.server_receipt_json = _dump(dict(server_answer))
    if sent_at is not None:
        row.sent_at = sent_at
    if recorded_at is not None:
        row.recorded_at = recorded_at
    session.flush()
    audit_summary.refresh(session, [row.dossier_code])
    return _entry(row)


def set_dossier_state(session: Session, code: str, status: DossierStatus, version: int) -> bool:
    """Set a stored dossier's status and version as the server reported them.

    Returns whether the dossier is stored. Used when a receipt arrives, so the queue shows
    the new status before the next sync.
    """
    row = session.scalar(select(DossierRow).where(DossierRow.code == code))
    if row is None:
        return False
    row.status = status.value
    row.national_status_code = status.national_code
    row.version = version
    row.updated_at = utc_now()
    return True


def count(store: Store, states: Iterable[OutboxState]) -> int:
    """Return how many decisions are in ``states``."""
    with store.session(write=False) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(DecisionRow)
                .where(
                    DecisionRow.origin == _DESK,
                    DecisionRow.state.in_([state.value for state in states]),
                )
            )
            or 0
        )


def latest_states(store: Store) -> dict[str, OutboxState]:
    """Return the state of this desk's newest decision of each dossier that has one."""
    with store.session(write=False) as session:
        rows = session.execute(
            select(DecisionRow.dossier_code, DecisionRow.state)
            .where(DecisionRow.origin == _DESK)
            .order_by(DecisionRow.created_at, DecisionRow.uuid)
        )
        # Oldest first: later rows overwrite, so each dossier ends with its newest decision.
        return {code: OutboxState(state) for code, state in rows}


def next_attempt(store: Store) -> datetime | None:
    """Return when the earliest PENDING decision is due, or ``None`` if none is pending."""
    with store.session(write=False) as session:
        return session.scalar(
            select(func.min(DecisionRow.next_attempt_at)).where(
                DecisionRow.state == OutboxState.PENDING.value
            )
        )


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _entry(row: DecisionRow) -> OutboxEntry:
    answer = json.loads(row.server_receipt_json) if row.server_receipt_json else None
    return OutboxEntry(
        uuid=row.uuid,
        dossier_code=row.dossier_code,
        dossier_version=row.dossier_version,
        kind=DecisionKind(row.kind),
        reasons=tuple(json.loads(row.reasons_json)),
        components=tuple(json.loads(row.components_json)),
        appointment_date=row.appointment_date,
        officer_note=row.officer_note,
        verdict_snapshot=tuple(json.loads(row.verdict_snapshot_json)),
        officer=row.officer,
        state=OutboxState(row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        server_answer=answer if isinstance(answer, dict) else None,
        created_at=row.created_at,
        sent_at=row.sent_at,
        national_status_code=row.national_status_code,
    )
