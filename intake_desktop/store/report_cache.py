"""Cache of signature reports, keyed by what a report depends on.

Generic on purpose: the signature engine serializes its report to JSON text and reads it
back; the store only keys, dates and returns the text. A change of trust anchors, engine
version or options is a different key, so a stale verdict is never served.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from intake_desktop.store import audit_summary
from intake_desktop.store.db import Store
from intake_desktop.store.models import SignatureReportRow, utc_now

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 500
"""Hashes per IN (...) query: well under SQLite's bound-parameter limit."""


def get(
    store: Store,
    sha256: str,
    trust_version: str,
    engine_version: str,
    options: str,
    max_age: timedelta | None = None,
) -> str | None:
    """Return the cached report JSON for these bytes, trust set, engine and options.

    Returns ``None`` when there is none, or when it is older than ``max_age`` (e.g. online
    revocation checks go stale; offline reports need no ``max_age``).
    """
    sha256 = _checked(sha256)
    query = select(SignatureReportRow.report_json).where(
        SignatureReportRow.sha256 == sha256,
        SignatureReportRow.trust_version == trust_version,
        SignatureReportRow.engine_version == engine_version,
        SignatureReportRow.options == options,
    )
    if max_age is not None:
        query = query.where(SignatureReportRow.created_at >= utc_now() - max_age)
    with store.session(write=False) as session:
        return session.scalar(query)


def get_many(
    store: Store,
    sha256s: Iterable[str],
    trust_version: str,
    engine_version: str,
    options: str,
    max_age: timedelta | None = None,
) -> dict[str, str]:
    """:func:`get` for many files at once: ``{sha256: report JSON}`` for those cached."""
    wanted = sorted({_checked(sha) for sha in sha256s})
    found: dict[str, str] = {}
    with store.session(write=False) as session:
        for start in range(0, len(wanted), _CHUNK):
            query = select(SignatureReportRow.sha256, SignatureReportRow.report_json).where(
                SignatureReportRow.sha256.in_(wanted[start : start + _CHUNK]),
                SignatureReportRow.trust_version == trust_version,
                SignatureReportRow.engine_version == engine_version,
                SignatureReportRow.options == options,
            )
            if max_age is not None:
                query = query.where(SignatureReportRow.created_at >= utc_now() - max_age)
            found.update((sha, text) for sha, text in session.execute(query))
    return found


def latest_many(
    store: Store,
    sha256s: Iterable[str],
    trust_version: str,
    engine_version: str,
    options: str,
) -> dict[str, tuple[str, datetime]]:
    """``{sha256: (report JSON, when it was made)}`` whatever its age.

    For looking back (the supervisor's audit): the last verdict reached with these trust
    anchors, engine and options, dated so the reader knows how fresh it is.
    """
    wanted = sorted({_checked(sha) for sha in sha256s})
    found: dict[str, tuple[str, datetime]] = {}
    with store.session(write=False) as session:
        for start in range(0, len(wanted), _CHUNK):
            query = select(
                SignatureReportRow.sha256,
                SignatureReportRow.report_json,
                SignatureReportRow.created_at,
            ).where(
                SignatureReportRow.sha256.in_(wanted[start : start + _CHUNK]),
                SignatureReportRow.trust_version == trust_version,
                SignatureReportRow.engine_version == engine_version,
                SignatureReportRow.options == options,
            )
            found.update((sha, (text, at)) for sha, text, at in session.execute(query))
    return found


def put(
    store: Store,
    sha256: str,
    trust_version: str,
    engine_version: str,
    options: str,
    *,
    verdict: str,
    report_json: str,
) -> None:
    """Store (or replace, restarting its age) the report for this key."""
    now = utc_now()
    digest = _checked(sha256)
    values = {
        "sha256": digest,
        "trust_version": trust_version,
        "engine_version": engine_version,
        "options": options,
        "verdict": verdict,
        "report_json": report_json,
        "created_at": now,
    }
    # The same upsert in each dialect the store runs on.
    dialect = postgresql if store.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SignatureReportRow).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["sha256", "trust_version", "engine_version", "options"],
        set_={
            "verdict": statement.excluded.verdict,
            "report_json": statement.excluded.report_json,
            "created_at": statement.excluded.created_at,
        },
    )
    with store.session() as session:
        session.execute(statement)
        # The audit's narrow copy, in the same transaction: loading the audit parses no JSON.
        audit_summary.put_verdict(
            session,
            sha256=digest,
            trust_version=trust_version,
            engine_version=engine_version,
            options=options,
            verdict=verdict,
            report_json=report_json,
            checked_at=now,
        )


def prune(store: Store, older_than: timedelta) -> int:
    """Delete reports created more than ``older_than`` ago. Returns how many went."""
    with store.session() as session:
        cutoff = utc_now() - older_than
        result = session.execute(
            delete(SignatureReportRow).where(SignatureReportRow.created_at < cutoff)
        )
        audit_summary.prune_verdicts(session, cutoff)
        return cast("CursorResult[Any]", result).rowcount


def _checked(sha256: str) -> str:
    digest = sha256.lower()
    if not _SHA256.fullmatch(digest):
        raise ValueError(f"not a hex SHA-256: {sha256!r}")
    return digest
