"""The outbox (hàng đợi gửi): decisions are written locally first, then delivered.

:meth:`Outbox.record` stores the decision and its audit entry in one transaction before any
network call, so a decision the officer made exists even if the app crashes or the server is
down. :class:`Sender` delivers it, as many times as needed: each attempt carries the decision's
UUID as ``Idempotency-Key``, so the server records it once however many attempts reach it.

Life of a decision (``OutboxState``): PENDING → SENDING → SENT, or CONFLICT (the dossier
changed or was decided elsewhere: 409) or REJECTED (the server refused it as invalid: 422, or
the dossier is gone: 404). A failed attempt (server unreachable, timeout, 5xx) goes back to
PENDING with a later ``next_attempt_at`` (exponential backoff, capped); an expired sign-in goes
back to PENDING, due at once, until the officer signs in. Nothing is ever dropped.

Threads: both classes are plain Python over the store; run :meth:`Sender.send_pending` on a
worker thread (it does network calls). One ``Sender`` per database: at its first run it takes
back SENDING decisions left by a crashed process. Concurrent calls on one sender are serialized.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from intake_desktop.domain import DossierStatus, OutboxState
from intake_desktop.services import payloads
from intake_desktop.services.source import (
    AuthenticationFailed,
    DecisionConflict,
    DecisionReceipt,
    DecisionRejected,
    DecisionRequest,
    DossierSource,
    NotFound,
    SourceError,
    SourceUnavailable,
    VerdictSnapshot,
)
from intake_desktop.store import audit
from intake_desktop.store import outbox as stored
from intake_desktop.store.db import Store
from intake_desktop.store.models import utc_now

log = logging.getLogger(__name__)

SYSTEM_ACTOR = "system"
"""Audit actor of delivery outcomes (the officer recorded the decision; the app delivered it)."""


class OutboxError(Exception):
    """Base class of the outbox's own errors."""


class DecisionAlreadyQueued(OutboxError):
    """The dossier already has a decision waiting to be sent: it must be answered first."""

    def __init__(self, dossier_code: str, decision_id: str) -> None:
        super().__init__(
            f"dossier {dossier_code} already has a decision waiting to be sent ({decision_id})"
        )
        self.dossier_code = dossier_code
        self.decision_id = decision_id


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A decision in the outbox with its delivery state, for the UI."""

    decision: DecisionRequest
    officer: str
    state: OutboxState
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    receipt: DecisionReceipt | None
    """The server's receipt once SENT."""
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class OutboxResult:
    """The outcome of one delivery attempt."""

    decision_id: str
    dossier_code: str
    state: OutboxState
    """The decision's state after the attempt."""
    receipt: DecisionReceipt | None = None
    error: str | None = None
    """What went wrong, in English (``None`` when SENT)."""
    server_status: DossierStatus | None = None
    """CONFLICT: the dossier's status on the server now."""
    server_version: int | None = None
    """CONFLICT: the dossier's version on the server now."""
    fields: dict[str, str] = field(default_factory=dict)
    """REJECTED: field -> what the server found wrong with it."""
    next_attempt_at: datetime | None = None
    """PENDING: when the next attempt is due."""
    needs_sign_in: bool = False
    """PENDING because the server wants the officer to sign in again."""


class Outbox:
    """Decisions recorded at the desk, and their delivery state."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def record(
        self, decision: DecisionRequest, officer: str, officer_name: str | None = None
    ) -> str:
        """Store the decision (PENDING) and its audit entry in one transaction; return its id.

        The id is ``decision.decision_id``, the idempotency key of every delivery attempt.
        Recording the same decision twice is harmless (the second call changes nothing).
        Raises :class:`DecisionAlreadyQueued` if another decision on the dossier is still
        waiting to be sent.
        """
        with self._store.session() as session:
            if stored.get(session, decision.decision_id) is not None:
                return decision.decision_id
            queued = stored.active_for_dossier(session, decision.dossier_code)
            if queued is not None:
                raise DecisionAlreadyQueued(decision.dossier_code, queued)
            now = utc_now()
            snapshot = [item.to_json() for item in decision.verdict_snapshot]
            stored.insert(
                session,
                uuid=decision.decision_id,
                dossier_code=decision.dossier_code,
                dossier_version=decision.dossier_version,
                kind=decision.kind,
                reasons=decision.reasons,
                components=decision.components,
                appointment_date=decision.appointment_date,
                officer_note=decision.officer_note,
                verdict_snapshot=snapshot,
                officer=officer,
                now=now,
                officer_name=officer_name,
            )
            audit.append(
                session,
                officer,
                "decision.recorded",
                decision.dossier_code,
                {
                    "decision_id": decision.decision_id,
                    "kind": decision.kind.value,
                    "dossier_version": decision.dossier_version,
                    "reasons": list(decision.reasons),
                    "components": list(decision.components),
                    "appointment_date": (
                        decision.appointment_date.isoformat() if decision.appointment_date else None
                    ),
                    "officer_note": decision.officer_note,
                    "verdict_snapshot": snapshot,
                },
            )
        log.info("decision %s on %s recorded", decision.decision_id, decision.dossier_code)
        return decision.decision_id

    def get(self, decision_id: str) -> OutboxItem | None:
        """Return the decision with this id, or ``None``."""
        entry = stored.get(self._store, decision_id)
        return None if entry is None else _item(entry)

    def items(
        self, *, states: set[OutboxState] | None = None, dossier_code: str | None = None
    ) -> list[OutboxItem]:
        """Return decisions, oldest first, optionally only in ``states`` / of one dossier."""
        return [
            _item(entry)
            for entry in stored.entries(self._store, states=states, dossier_code=dossier_code)
        ]

    def pending_count(self) -> int:
        """Return how many decisions the server has not answered yet (PENDING or SENDING)."""
        return stored.count(self._store, stored.ACTIVE_STATES)

    def states_by_dossier(self) -> dict[str, OutboxState]:
        """Return, for each dossier with a decision, the state of its newest decision."""
        return stored.latest_states(self._store)

    def next_attempt_at(self) -> datetime | None:
        """Return when the next PENDING decision is due (``None``: nothing pending)."""
        return stored.next_attempt(self._store)


class Sender:
    """Delivers the outbox's due decisions to the source.

    ``backoff`` is the wait after the first failed attempt, doubled at each further failure up
    to ``max_backoff`` (a server's ``Retry-After`` is honoured when longer).
    """

    def __init__(
        self,
        source: DossierSource,
        store: Store,
        *,
        backoff: timedelta = timedelta(seconds=15),
        max_backoff: timedelta = timedelta(minutes=10),
        batch_size: int = 500,
    ) -> None:
        self._source = source
        self._store = store
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self._recovered = False

    def send_pending(self, now: datetime | None = None) -> list[OutboxResult]:
        """Try every PENDING decision due at ``now`` (default: the current time), oldest first.

        Returns one result per decision attempted. Stops early when the server is unreachable
        or wants a new sign-in (the rest stay PENDING, untouched). Never raises for delivery
        problems: they are in the results and in the outbox.
        """
        with self._lock:
            now = now or utc_now()
            if not self._recovered:
                released = stored.release_sending(self._store, now)
                if released:
                    log.warning(
                        "%d decisions were being sent when the app stopped: resending", released
                    )
                self._recovered = True
            results: list[OutboxResult] = []
            for decision_id in stored.due(self._store, now, self._batch_size):
                entry = stored.claim(self._store, decision_id)
                if entry is None:
                    continue  # answered or claimed meanwhile
                result = self._deliver(entry, now)
                results.append(result)
                if result.state is OutboxState.PENDING:
                    # Unreachable or signed out: the others would fail the same way.
                    break
            return results

    def _deliver(self, entry: stored.OutboxEntry, now: datetime) -> OutboxResult:
        decision = _request(entry)
        try:
            receipt = self._source.submit_decision(decision)
        except DecisionConflict as error:
            return self._close(
                entry,
                OutboxState.CONFLICT,
                "decision.conflict",
                str(error),
                {
                    "conflict": {
                        "message": str(error),
                        "status": error.status.value if error.status else None,
                        "version": error.version,
                    }
                },
                server_status=error.status,
                server_version=error.version,
            )
        except DecisionRejected as error:
            return self._close(
                entry,
                OutboxState.REJECTED,
                "decision.rejected",
                str(error),
                {"rejected": {"message": str(error), "fields": error.fields}},
                fields=error.fields,
            )
        except NotFound as error:
            return self._close(
                entry,
                OutboxState.REJECTED,
                "decision.rejected",
                str(error),
                {"rejected": {"message": str(error), "fields": {}}},
            )
        except AuthenticationFailed as error:
            with self._store.session() as session:
                stored.finish(
                    session,
                    entry.uuid,
                    OutboxState.PENDING,
                    count_attempt=False,
                    next_attempt_at=now,
                    last_error=f"sign-in needed: {error}",
                )
            log.warning("decision %s waits for a sign-in: %s", entry.uuid, error)
            return OutboxResult(
                entry.uuid,
                entry.dossier_code,
                OutboxState.PENDING,
                error=str(error),
                next_attempt_at=now,
                needs_sign_in=True,
            )
        except SourceUnavailable as error:
            return self._retry_later(entry, now, str(error), error.retry_after)
        except SourceError as error:
            # Not an answer about the decision (malformed reply, unexpected status, TLS):
            # keep it and try again later.
            return self._retry_later(entry, now, str(error), None)
        except Exception as error:
            # A bug must not leave the decision SENDING until the next start, nor drop it.
            log.exception("unexpected error sending decision %s", entry.uuid)
            return self._retry_later(entry, now, f"unexpected error: {error!r}", None)
        return self._sent(entry, receipt)

    def _sent(self, entry: stored.OutboxEntry, receipt: DecisionReceipt) -> OutboxResult:
        now = utc_now()
        answer = _receipt_json(receipt)
        with self._store.session() as session:
            stored.finish(
                session,
                entry.uuid,
                OutboxState.SENT,
                server_answer=answer,
                sent_at=now,
                recorded_at=receipt.recorded_at,
            )
            stored.set_dossier_state(session, entry.dossier_code, receipt.status, receipt.version)
            audit.append(session, SYSTEM_ACTOR, "decision.sent", entry.dossier_code, answer)
        log.info("decision %s on %s sent", entry.uuid, entry.dossier_code)
        return OutboxResult(entry.uuid, entry.dossier_code, OutboxState.SENT, receipt=receipt)

    def _close(
        self,
        entry: stored.OutboxEntry,
        state: OutboxState,
        action: str,
        message: str,
        answer: dict[str, Any],
        *,
        server_status: DossierStatus | None = None,
        server_version: int | None = None,
        fields: dict[str, str] | None = None,
    ) -> OutboxResult:
        with self._store.session() as session:
            stored.finish(session, entry.uuid, state, last_error=message, server_answer=answer)
            audit.append(
                session,
                SYSTEM_ACTOR,
                action,
                entry.dossier_code,
                {"decision_id": entry.uuid, **answer},
            )
        log.warning("decision %s on %s: %s", entry.uuid, entry.dossier_code, message)
        return OutboxResult(
            entry.uuid,
            entry.dossier_code,
            state,
            error=message,
            server_status=server_status,
            server_version=server_version,
            fields=dict(fields or {}),
        )

    def _retry_later(
        self, entry: stored.OutboxEntry, now: datetime, message: str, retry_after: float | None
    ) -> OutboxResult:
        wait = min(self._max_backoff, self._backoff * (2**entry.attempts))
        if retry_after is not None:
            wait = max(wait, timedelta(seconds=retry_after))
        next_at = now + wait
        with self._store.session() as session:
            stored.finish(
                session,
                entry.uuid,
                OutboxState.PENDING,
                next_attempt_at=next_at,
                last_error=message,
            )
        log.info("decision %s not delivered (%s); next attempt at %s", entry.uuid, message, next_at)
        return OutboxResult(
            entry.uuid,
            entry.dossier_code,
            OutboxState.PENDING,
            error=message,
            next_attempt_at=next_at,
        )


def _request(entry: stored.OutboxEntry) -> DecisionRequest:
    return DecisionRequest(
        dossier_code=entry.dossier_code,
        dossier_version=entry.dossier_version,
        kind=entry.kind,
        reasons=entry.reasons,
        components=entry.components,
        appointment_date=entry.appointment_date,
        officer_note=entry.officer_note,
        verdict_snapshot=tuple(
            VerdictSnapshot(
                attachment_id=str(item.get("attachment_id", "")),
                sha256=item.get("sha256"),
                verdict=str(item.get("verdict", "")),
                signer_citizen_ids=tuple(item.get("signer_citizen_ids") or ()),
            )
            for item in entry.verdict_snapshot
        ),
        decision_id=entry.uuid,
    )


def _receipt_json(receipt: DecisionReceipt) -> dict[str, Any]:
    return {
        "decision_id": receipt.decision_id,
        "dossier_code": receipt.dossier_code,
        "kind": receipt.kind.value,
        "status": receipt.status.value,
        "version": receipt.version,
        "recorded_at": receipt.recorded_at.isoformat(),
        "officer": receipt.officer,
    }


def _receipt(answer: dict[str, Any] | None) -> DecisionReceipt | None:
    # Receipts are stored in the contract's JSON form, so the contract's reader reads them.
    if not answer or "decision_id" not in answer:
        return None
    try:
        return payloads.decision_receipt(answer, "stored receipt")
    except SourceError:
        return None


def _item(entry: stored.OutboxEntry) -> OutboxItem:
    return OutboxItem(
        decision=_request(entry),
        officer=entry.officer,
        state=entry.state,
        attempts=entry.attempts,
        next_attempt_at=entry.next_attempt_at,
        last_error=entry.last_error,
        receipt=_receipt(entry.server_answer) if entry.state is OutboxState.SENT else None,
        created_at=entry.created_at,
        sent_at=entry.sent_at,
    )
