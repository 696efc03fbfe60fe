"""The supervisor's audit summary: one narrow row per stored file, and a report's audit facts.

At an office's year (100,000 dossiers, 300,000 files) loading the audit by joining dossiers,
components, attachments and decisions and parsing every cached report took many seconds.
``audit_summary`` holds one row per file with its dossier's effective decision and what the
officer saw of the file (snapshot verdict and SHA-256, "file changed since the decision");
``audit_verdicts`` holds, per cached report (same key as ``signature_reports``), its verdict,
signers, providers and problem codes. The store writes both with the data they derive from;
this revision creates them and fills them from what is stored.

The backfill is this revision's own copy of the rules (store.audit_summary may change
later; a migration must keep meaning what it meant). Plain Core statements: SQLite and
PostgreSQL alike.

Revision ID: 0007_audit_summary
Revises: 0006_wide_integers
Create Date: 2026-12-07
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0007_audit_summary"
down_revision: str | None = "0006_wide_integers"
branch_labels: str | None = None
depends_on: str | None = None

# Aware datetimes are stored as fixed-format ISO-8601 UTC text (models.UtcDateTime).
UTC_TEXT = sa.String(length=32)
_VN = ZoneInfo("Asia/Ho_Chi_Minh")
_SEP = "\x1f"
_BATCH = 5000
_NOT_TAKEN = frozenset({"conflict", "rejected"})
_PROBLEMS = frozenset({"warning", "indeterminate", "invalid"})


def upgrade() -> None:
    op.create_table(
        "audit_verdicts",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("trust_version", sa.String(length=64), nullable=False),
        sa.Column("engine_version", sa.String(length=64), nullable=False),
        sa.Column("options", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("checked_at", UTC_TEXT, nullable=False),
        sa.Column("signers", sa.Text(), nullable=False),
        sa.Column("signer_ids", sa.Text(), nullable=False),
        sa.Column("providers", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint(
            "sha256", "trust_version", "engine_version", "options", name=op.f("pk_audit_verdicts")
        ),
    )
    summary = op.create_table(
        "audit_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_code", sa.String(length=80), nullable=False),
        sa.Column("procedure_code", sa.String(length=80), nullable=False),
        sa.Column("procedure_name", sa.Text(), nullable=False),
        sa.Column("applicant_name", sa.Text(), nullable=False),
        sa.Column("applicant_citizen_id", sa.String(length=32), nullable=False),
        sa.Column("submitted_at", UTC_TEXT, nullable=False),
        sa.Column("component_position", sa.Integer(), nullable=False),
        sa.Column("component", sa.Text(), nullable=False),
        sa.Column("file_position", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("decision_id", sa.String(length=36), nullable=True),
        sa.Column("decision_kind", sa.String(length=32), nullable=True),
        sa.Column("decision_state", sa.String(length=16), nullable=True),
        sa.Column("officer", sa.String(length=200), nullable=False),
        sa.Column("officer_name", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=True),
        sa.Column("decided_at", UTC_TEXT, nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("verdict_then", sa.String(length=32), nullable=True),
        sa.Column("sha256_then", sa.String(length=64), nullable=True),
        sa.Column("file_changed", sa.Boolean(), nullable=False),
        sa.Column("dossier_record", sa.Text(), nullable=False),
        sa.Column("first_file", sa.Boolean(), nullable=False),
        sa.Column("file_record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_summary")),
    )
    assert summary is not None
    op.create_index(op.f("ix_audit_summary_dossier_code"), "audit_summary", ["dossier_code"])
    op.create_index(op.f("ix_audit_summary_sha256"), "audit_summary", ["sha256"])
    op.create_index(op.f("ix_audit_summary_officer"), "audit_summary", ["officer"])
    op.create_index(op.f("ix_audit_summary_day"), "audit_summary", ["day"])
    op.create_index(
        "ix_audit_summary_order",
        "audit_summary",
        ["submitted_at", "dossier_code", "component_position", "file_position"],
    )
    _backfill_verdicts()
    _backfill_summary(summary)


def downgrade() -> None:
    op.drop_table("audit_summary")  # its indexes go with it
    op.drop_table("audit_verdicts")


def _backfill_verdicts() -> None:
    bind = op.get_bind()
    target = sa.table(
        "audit_verdicts",
        *(
            sa.column(name)
            for name in (
                "sha256",
                "trust_version",
                "engine_version",
                "options",
                "verdict",
                "checked_at",
                "signers",
                "signer_ids",
                "providers",
                "problems",
                "record",
            )
        ),
    )
    reports = bind.execute(
        sa.text(
            "SELECT sha256, trust_version, engine_version, options, verdict, created_at,"
            " report_json FROM signature_reports"
        )
    )
    batch: list[dict[str, Any]] = []
    for sha, trust, engine, options, verdict, created_at, text in reports:
        facts = _facts(text)
        batch.append(
            {
                "sha256": sha,
                "trust_version": trust,
                "engine_version": engine,
                "options": options,
                "verdict": verdict,
                "checked_at": created_at,
                **facts,
                "record": _pack(
                    [
                        verdict,
                        facts["signers"],
                        facts["signer_ids"],
                        facts["providers"],
                        facts["problems"],
                    ]
                ),
            }
        )
        if len(batch) >= _BATCH:
            bind.execute(target.insert(), batch)
            batch = []
    if batch:
        bind.execute(target.insert(), batch)


def _facts(text: str) -> dict[str, str]:
    """The audit's facts of a report in the engine's cache JSON (serialize.to_cache_json)."""
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        document = {}
    signatures = [s for s in document.get("signatures") or () if isinstance(s, dict)]
    signers = [s["signer"] for s in signatures if isinstance(s.get("signer"), dict)]
    problems = {
        str(r.get("code"))
        for s in signatures
        for r in s.get("reasons") or ()
        if isinstance(r, dict) and r.get("severity") in _PROBLEMS
    }
    error = document.get("error")
    if isinstance(error, dict) and error.get("code"):
        problems.add(str(error["code"]))
    return {
        "signers": _encode(str(s.get("name") or "") for s in signers),
        "signer_ids": _encode(str(s["citizen_id"]) for s in signers if s.get("citizen_id")),
        "providers": _encode(dict.fromkeys(str(s.get("issuer") or "") for s in signers)),
        "problems": _encode(sorted(problems)),
    }


def _encode(items: Any) -> str:
    return "".join(_SEP + item for item in items)


def _backfill_summary(summary: sa.Table) -> None:
    bind = op.get_bind()
    effective: dict[str, tuple[Any, ...]] = {}
    decisions = bind.execute(
        sa.text(
            "SELECT dossier_code, uuid, kind, state, officer, officer_name, origin, created_at,"
            " verdict_snapshot_json FROM decisions ORDER BY created_at, uuid"
        )
    )
    for row in decisions:  # oldest first: later ones win, a refused one only if alone
        known = effective.get(row[0])
        if known is None or row[3] not in _NOT_TAKEN or known[3] in _NOT_TAKEN:
            effective[row[0]] = tuple(row)
    files = bind.execute(
        sa.text(
            "SELECT d.code, d.procedure_code, d.procedure_name, d.applicant_name,"
            " d.applicant_citizen_id, d.submitted_at, c.position, c.name, a.remote_id,"
            " a.file_name, a.sha256 FROM dossiers d"
            " JOIN components c ON c.dossier_id = d.id"
            " JOIN attachments a ON a.component_id = c.id"
            " ORDER BY d.code, c.position, a.id"
        )
    )
    snapshots: dict[str, dict[str, tuple[str | None, str]]] = {}
    positions: dict[tuple[str, int], int] = {}
    firsts: set[str] = set()
    batch: list[dict[str, Any]] = []
    for (
        code,
        procedure,
        name,
        applicant,
        citizen,
        submitted,
        position,
        part,
        remote,
        file,
        sha,
    ) in files:
        decision = effective.get(code)
        seen = None
        if decision is not None:
            if code not in snapshots:
                snapshots[code] = _snapshot(decision[8])
            seen = snapshots[code].get(remote)
        sha_then = seen[0] if seen else None
        decided_at = decision[7] if decision else None
        index = positions.get((code, position), 0)
        positions[(code, position)] = index + 1
        values: dict[str, Any] = {
            "dossier_code": code,
            "procedure_code": procedure,
            "procedure_name": name,
            "applicant_name": applicant,
            "applicant_citizen_id": citizen,
            "submitted_at": submitted,
            "component_position": position,
            "component": part,
            "file_position": index,
            "attachment_id": remote,
            "file_name": file,
            "sha256": sha,
            "decision_id": decision[1] if decision else None,
            "decision_kind": decision[2] if decision else None,
            "decision_state": decision[3] if decision else None,
            "officer": decision[4] if decision else "",
            "officer_name": decision[5] if decision else None,
            "origin": decision[6] if decision else None,
            "decided_at": decided_at,
            "day": datetime.fromisoformat(decided_at or submitted).astimezone(_VN).date(),
            "verdict_then": seen[1] if seen else None,
            "sha256_then": sha_then,
            "file_changed": (
                sha_then is not None and sha is not None and sha_then.lower() != sha.lower()
            ),
        }
        # The records the audit reads (store.audit_summary): NULL as "", times as stored.
        values["dossier_record"] = _pack([values[n] or "" for n in _DOSSIER_FIELDS])
        values["first_file"] = code not in firsts
        firsts.add(code)
        then = values["verdict_then"]
        values["file_record"] = _pack(
            [
                part,
                file,
                remote,
                sha or "",
                "" if then is None else "=" + then,
                sha_then or "",
            ]
        )
        batch.append(values)
        if len(batch) >= _BATCH:
            bind.execute(summary.insert(), batch)
            batch = []
    if batch:
        bind.execute(summary.insert(), batch)


_DOSSIER_FIELDS = (
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
_FIELD_SEP = "\x1e"
_UNPACKABLE = "\x15"


def _pack(values: list[str]) -> str:
    if any(_FIELD_SEP in value for value in values):
        return _UNPACKABLE
    return _FIELD_SEP.join(values)


def _snapshot(text: str) -> dict[str, tuple[str | None, str]]:
    """``{attachment id: (sha256, verdict)}``, the first entry of an id winning."""
    try:
        items = json.loads(text)
    except ValueError:
        items = []
    seen: dict[str, tuple[str | None, str]] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            seen.setdefault("", (None, "error"))
            continue
        sha = item.get("sha256")
        seen.setdefault(
            str(item.get("attachment_id", "")),
            (str(sha).lower() if sha else None, str(item.get("verdict", "error"))),
        )
    return seen
