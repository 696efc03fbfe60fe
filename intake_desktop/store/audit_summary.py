"""The supervisor's audit summary: one narrow row per stored file, kept with the data.

Loading the audit used to join dossiers, components and attachments, read every decision
and parse every cached signature report: seconds at an office's year (300,000 files). The
summary is derived data, written in the transaction that changes what it derives from:

* :func:`refresh` rewrites a dossier's rows (``audit_summary``) when the dossier, its files
  or its decisions change (sync, download, outbox, the server's decision history);
* :func:`put_verdict` keeps the audit facts of a cached report (``audit_verdicts``: verdict,
  signers, providers, problem codes) next to the report, so no JSON is parsed at load.

:func:`summary_records` reads both in one query: the verdict for the trust anchors, engine
and options asked for, joined by file hash (the key of the report cache).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from intake_desktop.clock import vn_date
from intake_desktop.sql_types import utc_text
from intake_desktop.store.db import Store
from intake_desktop.store.models import (
    AttachmentRow,
    AuditSummaryRow,
    AuditVerdictRow,
    ComponentRow,
    DecisionRow,
    DossierRow,
)

SEPARATOR = "\x1f"
"""Leads each item of a tuple column: ``()`` is ``""``, ``("",)`` is ``"\\x1f"``."""
_CHUNK = 500
"""Dossier codes per IN (...): well under SQLite's bound-parameter limit."""
_NOT_TAKEN = frozenset({"conflict", "rejected"})
"""Outbox states of a decision the provincial system refused (domain.OutboxState values)."""
_PROBLEM_SEVERITIES = frozenset({"warning", "indeterminate", "invalid"})


def encode(items: Iterable[str]) -> str:
    return "".join(SEPARATOR + item for item in items)


def decode(value: str) -> tuple[str, ...]:
    return tuple(value.split(SEPARATOR)[1:])


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """What the audit shows of one signature report."""

    signers: tuple[str, ...] = ()
    signer_ids: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    """Codes of the warning and worse reasons of its signatures, and its error's, sorted."""


def report_facts(report_json: str) -> ReportFacts:
    """The audit's facts of a report in the signature engine's cache JSON
    (``services.signatures.serialize.to_cache_json``); read with the report's own keys."""
    try:
        document = json.loads(report_json)
    except ValueError:
        return ReportFacts()
    if not isinstance(document, dict):
        return ReportFacts()
    signatures = [s for s in document.get("signatures") or () if isinstance(s, dict)]
    signers = [s["signer"] for s in signatures if isinstance(s.get("signer"), dict)]
    problems = {
        str(reason.get("code"))
        for signature in signatures
        for reason in signature.get("reasons") or ()
        if isinstance(reason, dict) and reason.get("severity") in _PROBLEM_SEVERITIES
    }
    error = document.get("error")
    if isinstance(error, dict) and error.get("code"):
        problems.add(str(error["code"]))
    return ReportFacts(
        signers=tuple(str(s.get("name") or "") for s in signers),
        signer_ids=tuple(str(s["citizen_id"]) for s in signers if s.get("citizen_id")),
        providers=tuple(dict.fromkeys(str(s.get("issuer") or "") for s in signers)),
        problems=tuple(sorted(problems)),
    )


def put_verdict(
    session: Session,
    *,
    sha256: str,
    trust_version: str,
    engine_version: str,
    options: str,
    verdict: str,
    report_json: str,
    checked_at: datetime,
) -> None:
    """Store (or replace) the audit facts of the report cached under this key."""
    facts = report_facts(report_json)
    values: dict[str, Any] = {
        "sha256": sha256,
        "trust_version": trust_version,
        "engine_version": engine_version,
        "options": options,
        "verdict": verdict,
        "checked_at": checked_at,
        "signers": encode(facts.signers),
        "signer_ids": encode(facts.signer_ids),
        "providers": encode(facts.providers),
        "problems": encode(facts.problems),
    }
    values["record"] = verdict_record(values)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(AuditVerdictRow).values(values)
    keys = ("sha256", "trust_version", "engine_version", "options")
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={k: statement.excluded[k] for k in values if k not in keys},
    )
    session.execute(statement)


def prune_verdicts(session: Session, older_than: datetime) -> None:
    """Forget the facts of reports the cache pruned (same cutoff)."""
    session.execute(delete(AuditVerdictRow).where(AuditVerdictRow.checked_at < older_than))


def refresh(session: Session, dossier_codes: Iterable[str]) -> None:
    """Rewrite the summary rows of these dossiers from what the session holds now.

    Call it in the transaction that changed them; a code not stored loses its rows.
    """
    codes = sorted(set(dossier_codes))
    if not codes:
        return
    session.flush()
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        session.execute(delete(AuditSummaryRow).where(AuditSummaryRow.dossier_code.in_(chunk)))
        rows = summary_values(_files(session, chunk), _decisions(session, chunk))
        if rows:
            session.execute(insert(AuditSummaryRow), rows)


def rebuild(session: Session) -> int:
    """Rewrite every summary row (a repair; the migration backfills on its own). Returns the
    number of rows."""
    session.execute(delete(AuditSummaryRow))
    codes = list(session.scalars(select(DossierRow.code).order_by(DossierRow.code)))
    refresh(session, codes)
    return len(codes)


def refresh_for_decisions(session: Session, decision_ids: Sequence[str]) -> None:
    """:func:`refresh` the dossiers of these decisions (outbox state changes)."""
    codes = set(
        session.scalars(
            select(DecisionRow.dossier_code).where(DecisionRow.uuid.in_(list(decision_ids)))
        )
    )
    refresh(session, codes)


_FILE_COLUMNS = (
    DossierRow.code,
    DossierRow.procedure_code,
    DossierRow.procedure_name,
    DossierRow.applicant_name,
    DossierRow.applicant_citizen_id,
    DossierRow.submitted_at,
    ComponentRow.position,
    ComponentRow.name,
    AttachmentRow.remote_id,
    AttachmentRow.file_name,
    AttachmentRow.sha256,
)
FileFacts = tuple[str, str, str, str, str, datetime, int, str, str, str, str | None]
"""A stored file with its dossier, in the order of ``_FILE_COLUMNS``; files in order."""
DecisionFacts = tuple[str, str, str, str, str, str | None, str, datetime, str]
"""dossier code, id, kind, state, officer, officer name, origin, decided at, snapshot JSON;
oldest first."""


def _files(session: Session, codes: Sequence[str]) -> list[FileFacts]:
    query = (
        select(*_FILE_COLUMNS)
        .join(ComponentRow, ComponentRow.dossier_id == DossierRow.id)
        .join(AttachmentRow, AttachmentRow.component_id == ComponentRow.id)
        .where(DossierRow.code.in_(list(codes)))
        .order_by(DossierRow.code, ComponentRow.position, AttachmentRow.id)
    )
    return [tuple(row) for row in session.execute(query)]


def _decisions(session: Session, codes: Sequence[str]) -> list[DecisionFacts]:
    query = (
        select(
            DecisionRow.dossier_code,
            DecisionRow.uuid,
            DecisionRow.kind,
            DecisionRow.state,
            DecisionRow.officer,
            DecisionRow.officer_name,
            DecisionRow.origin,
            DecisionRow.created_at,
            DecisionRow.verdict_snapshot_json,
        )
        .where(DecisionRow.dossier_code.in_(list(codes)))
        .order_by(DecisionRow.created_at, DecisionRow.uuid)
    )
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def summary_values(
    files: Iterable[FileFacts], decisions: Iterable[DecisionFacts]
) -> list[dict[str, Any]]:
    """The summary rows of these files given their dossiers' decisions (oldest first)."""
    effective = effective_decisions(decisions)
    seen_by_code: dict[str, dict[str, tuple[str | None, str]]] = {}
    rows: list[dict[str, Any]] = []
    position_of: dict[tuple[str, int], int] = {}
    first_seen: set[str] = set()
    for (
        code,
        procedure,
        name,
        applicant,
        citizen_id,
        submitted,
        position,
        component,
        remote_id,
        file_name,
        sha,
    ) in files:
        decision = effective.get(code)
        seen = None
        if decision is not None:
            if code not in seen_by_code:
                seen_by_code[code] = snapshot_by_attachment(decision[8])
            seen = seen_by_code[code].get(remote_id)
        sha_then = seen[0] if seen else None
        decided_at = decision[7] if decision else None
        file_position = position_of.get((code, position), 0)
        position_of[(code, position)] = file_position + 1
        rows.append(
            {
                "dossier_code": code,
                "procedure_code": procedure,
                "procedure_name": name,
                "applicant_name": applicant,
                "applicant_citizen_id": citizen_id,
                "submitted_at": submitted,
                "component_position": position,
                "component": component,
                "file_position": file_position,
                "attachment_id": remote_id,
                "file_name": file_name,
                "sha256": sha,
                "decision_id": decision[1] if decision else None,
                "decision_kind": decision[2] if decision else None,
                "decision_state": decision[3] if decision else None,
                "officer": decision[4] if decision else "",
                "officer_name": decision[5] if decision else None,
                "origin": decision[6] if decision else None,
                "decided_at": decided_at,
                "day": _day(decided_at or submitted),
                "verdict_then": seen[1] if seen else None,
                "sha256_then": sha_then,
                "file_changed": (
                    sha_then is not None and sha is not None and sha_then.lower() != sha.lower()
                ),
            }
        )
        rows[-1]["dossier_record"] = dossier_record(rows[-1])
        rows[-1]["first_file"] = code not in first_seen
        first_seen.add(code)
        rows[-1]["file_record"] = file_record(rows[-1])
    return rows


def effective_decisions(decisions: Iterable[DecisionFacts]) -> dict[str, DecisionFacts]:
    """Each dossier's decision, whichever officer made it: the newest the provincial system
    took or may still take; a refused one (conflict, rejected) only if there is no other."""
    latest: dict[str, DecisionFacts] = {}
    for decision in decisions:  # oldest first: later ones win
        known = latest.get(decision[0])
        if known is None or decision[3] not in _NOT_TAKEN or known[3] in _NOT_TAKEN:
            latest[decision[0]] = decision
    return latest


def snapshot_by_attachment(snapshot_json: str) -> dict[str, tuple[str | None, str]]:
    """``{attachment id: (sha256, verdict)}`` of a verdict snapshot, the first entry of each
    id winning (as ``StoredDecision.seen``); an unreadable entry is an ``error`` of id ""."""
    try:
        items = json.loads(snapshot_json)
    except ValueError:
        items = []
    seen: dict[str, tuple[str | None, str]] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            seen.setdefault("", (None, "error"))
            continue
        sha256 = item.get("sha256")
        seen.setdefault(
            str(item.get("attachment_id", "")),
            (str(sha256).lower() if sha256 else None, str(item.get("verdict", "error"))),
        )
    return seen


def _day(moment: datetime) -> date:
    return vn_date(moment)


FIELD_SEPARATOR = "\x1e"
"""Between the fields of a packed record (tuples inside a field keep :data:`SEPARATOR`)."""

DOSSIER_FIELDS = (
    "dossier_code",
    "procedure_code",
    "procedure_name",
    "applicant_name",
    "applicant_citizen_id",
    "submitted_at",
    "decision_kind",
    "officer",
    "decided_at",
    "decision_state",
    "officer_name",
    "origin",
)
"""The dossier's record: the same text on each of its files. NULL is ``""`` (no field
that may be NULL can be empty otherwise; an empty officer name reads as none)."""
FILE_FIELDS = ("component", "file_name", "attachment_id", "sha256", "verdict_then", "sha256_then")
"""The file's record: NULL is ``""``, but ``verdict_then`` is led by ``=`` when not NULL (a
snapshot may hold an empty verdict)."""
VERDICT_FIELDS = ("verdict", "signers", "signer_ids", "providers", "problems")
"""The cached report's record; its time is a column of its own (files share facts, each
its time)."""

SummaryRecord = tuple[bytes | None, str, bytes, str | None]
"""(dossier record or ``None`` after its first file, file record, report record, when the
report was made): see :func:`summary_records`."""


UNPACKABLE = "\x15"
"""The record of values holding :data:`FIELD_SEPARATOR`: the reader falls back to the
columns (:func:`summary_columns`)."""


def _pack(values: Sequence[str]) -> str:
    if any(FIELD_SEPARATOR in value for value in values):
        return UNPACKABLE
    return FIELD_SEPARATOR.join(values)


def _text(value: object) -> str:
    """A value as the record holds it: NULL is ``""``, a time its stored text."""
    if value is None:
        return ""
    return utc_text(value) if isinstance(value, datetime) else str(value)


def dossier_record(values: dict[str, Any]) -> str:
    """:data:`DOSSIER_FIELDS` of a summary row, packed."""
    return _pack([_text(values[name]) for name in DOSSIER_FIELDS])


def file_record(values: dict[str, Any]) -> str:
    """:data:`FILE_FIELDS` of a summary row, packed; ``verdict_then`` led by ``=``."""
    then = values["verdict_then"]
    return _pack(
        [
            *(_text(values[name]) for name in FILE_FIELDS[:4]),
            "" if then is None else "=" + then,
            _text(values["sha256_then"]),
        ]
    )


def verdict_record(values: dict[str, Any]) -> str:
    """:data:`VERDICT_FIELDS` of an audit verdict row, packed."""
    return _pack([_text(values[name]) for name in VERDICT_FIELDS])


def summary_records(
    store: Store, trust_version: str, engine_version: str, options: str
) -> list[SummaryRecord]:
    """Every summary row with the audit facts of the report cached for this key, in the
    order the audit lists files (oldest submission first).

    Each row is the packed records of its dossier (:data:`DOSSIER_FIELDS`; on the
    dossier's first file only, ``None`` on the others), its file (:data:`FILE_FIELDS`) and
    its report (:data:`VERDICT_FIELDS`, empty when none has this key), the dossier's and
    the report's as UTF-8 bytes, and the report's ``checked_at`` as stored. The DB-API
    driver makes one Python object per value it returns, decoding text: at 300,000 files
    two dozen columns a row took longer than the whole 1 s budget, so did packing them in
    the query, and so did decoding each file's copy of its dossier's record. Reports'
    facts repeat (same signer, same verdict), so the reader parses each distinct one once.
    Raw DB-API rows, no ORM conversion.
    """
    if store.engine.dialect.name == "postgresql":
        placeholder, blob = "%s", "convert_to({}, 'UTF8')"
    else:
        placeholder, blob = "?", "CAST({} AS BLOB)"
    dossier, report = blob.format("s.dossier_record"), blob.format("COALESCE(v.record, '')")
    sql = (
        f"SELECT CASE WHEN s.first_file THEN {dossier} END, s.file_record, {report},"
        " v.checked_at"
        " FROM audit_summary s LEFT JOIN audit_verdicts v"
        f" ON v.sha256 = s.sha256 AND v.trust_version = {placeholder}"
        f" AND v.engine_version = {placeholder} AND v.options = {placeholder}"
        " ORDER BY s.submitted_at, s.dossier_code, s.component_position, s.file_position"
    )
    with store.session(write=False) as session:
        cursor = session.connection().connection.cursor()
        try:
            cursor.execute(sql, (trust_version, engine_version, options))
            return list(cursor.fetchall())
        finally:
            cursor.close()


def summary_columns(
    store: Store, trust_version: str, engine_version: str, options: str
) -> list[tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...] | None, str | None]]:
    """:func:`summary_records` a column a value (slower): for text holding the separator.

    Each row is (dossier fields, file fields, verdict fields or ``None``, checked at), NULL
    as ``None``.
    """
    names = [
        *(f"s.{n}" for n in DOSSIER_FIELDS),
        *(f"s.{n}" for n in FILE_FIELDS),
        *(f"v.{n}" for n in VERDICT_FIELDS),
        "v.checked_at",
    ]
    query = text(
        f"SELECT {', '.join(names)} FROM audit_summary s LEFT JOIN audit_verdicts v"
        " ON v.sha256 = s.sha256 AND v.trust_version = :trust"
        " AND v.engine_version = :engine AND v.options = :options"
        " ORDER BY s.submitted_at, s.dossier_code, s.component_position, s.file_position"
    )
    d, f = len(DOSSIER_FIELDS), len(DOSSIER_FIELDS) + len(FILE_FIELDS)
    with store.session(write=False) as session:
        found = session.execute(
            query, {"trust": trust_version, "engine": engine_version, "options": options}
        )
        return [
            (
                tuple(row[:d]),
                tuple(row[d:f]),
                None if row[f] is None else tuple(row[f:-1]),
                row[-1],
            )
            for row in found
        ]
