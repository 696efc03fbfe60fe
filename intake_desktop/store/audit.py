"""The audit log (nhật ký kiểm tra): append-only and hash-chained, so it is tamper-evident.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and the canonical JSON of
the entry (time, actor, action, subject, details). Editing or deleting a row breaks the
chain at that row (or the next one), which :func:`check_chain` reports. Deleting the
newest entries cannot be seen from inside the database: export the last hash elsewhere
(e.g. print it on a slip) if that matters.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from intake_desktop.store.db import Store
from intake_desktop.store.errors import AuditDetailsError
from intake_desktop.store.models import AuditEntryRow, utc_now, utc_text

GENESIS_HASH = "0" * 64
"""``prev_hash`` of the first entry."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry of the audit log."""

    id: int
    at: datetime
    actor: str
    """Who did it: the officer's login, or ``system``."""
    action: str
    """What was done, a stable code such as ``decision.recorded``."""
    subject: str
    """What it was done to, e.g. a dossier code."""
    details: dict[str, Any]
    prev_hash: str
    hash: str


def append(
    target: Store | Session,
    actor: str,
    action: str,
    subject: str,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry and return it.

    Pass the caller's (writing) ``Session`` to make the entry part of its unit of work (it is then
    committed or rolled back with it); pass the ``Store`` to write it on its own. Raises
    :class:`AuditDetailsError` when ``details`` is not plain JSON data.
    """
    details_json = _canonical(dict(details or {}))
    with _session(target) as session:
        # Writing sessions hold SQLite's write lock from BEGIN, so the last hash read here
        # is still the last one when the new row is inserted.
        prev_hash = session.scalar(
            select(AuditEntryRow.hash).order_by(AuditEntryRow.id.desc()).limit(1)
        )
        prev_hash = prev_hash or GENESIS_HASH
        at = utc_now()
        row = AuditEntryRow(
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details_json=details_json,
            prev_hash=prev_hash,
            hash=_hash(prev_hash, utc_text(at), actor, action, subject, details_json),
        )
        session.add(row)
        session.flush()
        return _entry(row)


class BreakKind(enum.StrEnum):
    """How a link of the chain is broken."""

    EDITED = "edited"
    """The entry's content no longer matches its own hash: it was edited after it was written."""
    LINK = "link"
    """The entry does not point at the one stored before it: an entry before it was deleted,
    or edited together with its hash."""


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first entry of the log whose link does not hold."""

    id: int
    at: str
    """The stored time text (shown as stored: an edit may have made it unparseable)."""
    actor: str
    action: str
    subject: str
    kind: BreakKind
    previous_id: int | None
    """The entry stored before it (``None`` for the first one)."""


@dataclass(frozen=True, slots=True)
class ChainCheck:
    checked: int
    """Entries read (up to and including the broken one)."""
    broken: BrokenLink | None


def check_chain(store: Store) -> ChainCheck:
    """Check every entry against its hash and its predecessor; stop at the first break."""
    expected_prev = GENESIS_HASH
    previous_id: int | None = None
    checked = 0
    with store.session(write=False) as session:
        # The time is read as the stored text: an edited, unparseable value is a broken
        # link to report, not a crash.
        rows = session.execute(
            select(
                AuditEntryRow.id,
                AuditEntryRow.prev_hash,
                AuditEntryRow.hash,
                type_coerce(AuditEntryRow.at, String),
                AuditEntryRow.actor,
                AuditEntryRow.action,
                AuditEntryRow.subject,
                AuditEntryRow.details_json,
            )
            .order_by(AuditEntryRow.id)
            .execution_options(yield_per=500)
        )
        for entry_id, prev_hash, stored_hash, *content in rows:
            checked += 1
            kind = None
            if stored_hash != _checked_hash(prev_hash, *content):
                kind = BreakKind.EDITED
            elif prev_hash != expected_prev:
                kind = BreakKind.LINK
            if kind is not None:
                at, actor, action, subject, _ = content
                link = BrokenLink(
                    int(entry_id), str(at), str(actor), str(action), str(subject), kind,
                    previous_id,
                )  # fmt: skip
                return ChainCheck(checked, link)
            expected_prev = stored_hash
            previous_id = int(entry_id)
    return ChainCheck(checked, None)


def verify_chain(store: Store) -> int | None:
    """Return the id of the first entry that does not match (edited, or following a deleted
    or edited entry), or ``None`` when the whole chain holds."""
    broken = check_chain(store).broken
    return broken.id if broken else None


def entries(store: Store, *, subject: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """Return the newest entries first, optionally only those about ``subject``."""
    query = select(AuditEntryRow).order_by(AuditEntryRow.id.desc()).limit(limit)
    if subject is not None:
        query = query.where(AuditEntryRow.subject == subject)
    with store.session(write=False) as session:
        return [_entry(row) for row in session.scalars(query)]


@contextmanager
def _session(target: Store | Session) -> Iterator[Session]:
    if isinstance(target, Session):
        yield target
    else:
        with target.session() as session:
            yield session


def _canonical(value: object) -> str:
    try:
        return json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as error:
        raise AuditDetailsError(f"audit details must be plain JSON data: {error}") from error


def _hash(prev_hash: str, at: str, actor: str, action: str, subject: str, details: str) -> str:
    # The time is hashed as the exact text the database stores (models.UtcDateTime).
    entry = {
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": json.loads(details),
    }
    return hashlib.sha256((prev_hash + _canonical(entry)).encode("utf-8")).hexdigest()


def _checked_hash(
    prev_hash: str, at: str, actor: str, action: str, subject: str, details: str
) -> str | None:
    try:
        return _hash(prev_hash, at, actor, action, subject, details)
    except (ValueError, TypeError, AuditDetailsError):  # details edited into non-JSON
        return None


def _entry(row: AuditEntryRow) -> AuditEntry:
    details = json.loads(row.details_json)
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        details=details if isinstance(details, dict) else {"value": details},
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
