"""Trust anchors kept in the store: roots imported by a supervisor, or shipped ones recorded.

Parsing certificates is the caller's job (``services.signatures``): the store keeps the DER
bytes with the subject and validity the caller read from them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from intake_desktop.store.db import Store
from intake_desktop.store.models import TrustAnchorRow, utc_now


@dataclass(frozen=True, slots=True)
class TrustAnchorRecord:
    """A stored trust anchor."""

    fingerprint: str
    """Lowercase hex SHA-256 of ``der``."""
    der: bytes
    subject: str
    """The certificate's subject as the caller rendered it."""
    not_before: datetime
    not_after: datetime
    source: str
    """Where it came from: a file name, ``resources/trust``, a URL."""
    builtin: bool
    """Shipped with the app rather than added by a person."""
    added_at: datetime


def fingerprint_of(der: bytes) -> str:
    """Return the fingerprint the store keys anchors by: lowercase hex SHA-256 of the DER."""
    return hashlib.sha256(der).hexdigest()


def list_anchors(store: Store) -> list[TrustAnchorRecord]:
    """Return every stored anchor, built-in ones first, then by subject."""
    with store.session(write=False) as session:
        rows = session.scalars(
            select(TrustAnchorRow).order_by(
                TrustAnchorRow.builtin.desc(), TrustAnchorRow.subject, TrustAnchorRow.fingerprint
            )
        ).all()
        return [_record(row) for row in rows]


def add_anchor(
    store: Store,
    der: bytes,
    subject: str,
    not_before: datetime,
    not_after: datetime,
    source: str,
    builtin: bool = False,
) -> TrustAnchorRecord:
    """Add an anchor; adding the same DER again changes nothing.

    Returns the stored record (the existing one if the fingerprint was already there).
    Raises ``ValueError`` for empty DER or naive datetimes.
    """
    if not der:
        raise ValueError("empty certificate")
    if not_before.tzinfo is None or not_after.tzinfo is None:
        raise ValueError("not_before and not_after must be aware datetimes")
    fingerprint = fingerprint_of(der)
    with store.session() as session:
        row = session.get(TrustAnchorRow, fingerprint)
        if row is None:
            row = TrustAnchorRow(
                fingerprint=fingerprint,
                der=der,
                subject=subject,
                not_before=not_before.astimezone(UTC),
                not_after=not_after.astimezone(UTC),
                source=source,
                builtin=builtin,
                added_at=utc_now(),
            )
            session.add(row)
            session.flush()
        return _record(row)


def remove_anchor(store: Store, fingerprint: str) -> bool:
    """Remove the anchor with this fingerprint. Returns whether there was one."""
    with store.session() as session:
        result = session.execute(
            delete(TrustAnchorRow).where(TrustAnchorRow.fingerprint == fingerprint.lower())
        )
        return cast("CursorResult[Any]", result).rowcount > 0


def trust_version(store: Store) -> str:
    """Return a short hash over the sorted anchor fingerprints.

    It changes whenever an anchor is added or removed, so caches keyed on it (the signature
    report cache) miss instead of serving verdicts made against another trust set.
    """
    with store.session(write=False) as session:
        fingerprints = session.scalars(
            select(TrustAnchorRow.fingerprint).order_by(TrustAnchorRow.fingerprint)
        ).all()
    return hashlib.sha256("\n".join(fingerprints).encode("ascii")).hexdigest()[:16]


def _record(row: TrustAnchorRow) -> TrustAnchorRecord:
    return TrustAnchorRecord(
        fingerprint=row.fingerprint,
        der=row.der,
        subject=row.subject,
        not_before=row.not_before,
        not_after=row.not_after,
        source=row.source,
        builtin=row.builtin,
        added_at=row.added_at,
    )
