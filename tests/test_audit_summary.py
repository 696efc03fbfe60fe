"""The audit summary table: the rows it gives are the rows the old path built (every filter),
the migration fills it from what is stored, and each write that changes a file's verdict or
its dossier's decision changes its row.

Real store files (and PostgreSQL with ``INTAKE_TEST_POSTGRES=1`` for the plain-store tests;
the office's test-mode store is always SQLite). The reference is the audit's previous
loader and filter, kept here verbatim: dossiers, files, every decision, and every cached
report parsed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from test_audit_support import demos_fixture, office_fixture, rows_of  # noqa: F401 - used by name

from intake_desktop.clock import FixedClock, vn_date
from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    CopyKind,
    DecisionKind,
    DecisionOrigin,
    DecisionRecord,
    Dossier,
    DossierStatus,
    DownloadState,
    OutboxState,
    VerdictSnapshot,
)
from intake_desktop.services.audit import AuditFilter, AuditRow, VerdictFilter, apply_filter
from intake_desktop.services.audit.rows import load_rows
from intake_desktop.services.signatures import InspectOptions, TrustStore, Verdict
from intake_desktop.services.signatures.inspect import ENGINE_VERSION
from intake_desktop.services.signatures.report import Severity
from intake_desktop.services.signatures.serialize import from_cache_json
from intake_desktop.services.text_search import fold
from intake_desktop.session import Session
from intake_desktop.store import Store, open_store, outbox, report_cache
from intake_desktop.store.db import alembic_config
from intake_desktop.store.decision_history import StoredDecision, all_decisions, save_history
from intake_desktop.store.dossiers import list_dossiers, save_dossier
from intake_desktop.store.sync_state import DownloadOutcome, attachments_of, record_downloads

CLOCK = FixedClock(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))  # 23:30 in Vietnam
NOW = CLOCK.now()
TRUST = TrustStore.of([])
OPTIONS = InspectOptions()
SHA_A, SHA_B, SHA_C = "a" * 64, "b" * 64, "c" * 64


# The previous path, as it was: the summary must give exactly its rows. -------------------


def _old_rows(store: Store, trust: TrustStore) -> list[AuditRow]:
    dossiers = {d.code: d for d in list_dossiers(store)}
    attachments = attachments_of(store)
    shas = {a.attachment.sha256.lower() for a in attachments if a.attachment.sha256}
    found = report_cache.latest_many(store, shas, trust.version, ENGINE_VERSION, OPTIONS.cache_key)
    reports = {sha: (from_cache_json(text), at) for sha, (text, at) in found.items()}
    latest: dict[str, StoredDecision] = {}
    refused = {OutboxState.CONFLICT, OutboxState.REJECTED}
    for decision in all_decisions(store):
        known = latest.get(decision.dossier_code)
        if known is None or decision.state not in refused or known.state in refused:
            latest[decision.dossier_code] = decision
    rows = []
    for cached in attachments:
        dossier = dossiers[cached.dossier_code]
        attachment = cached.attachment
        report, checked_at = reports.get((attachment.sha256 or "").lower(), (None, None))
        decision = latest.get(dossier.code)
        seen = decision.seen(attachment.remote_id) if decision else None
        signatures = report.signatures if report else ()
        problems = {
            r.code
            for s in signatures
            for r in s.reasons
            if r.severity in (Severity.WARNING, Severity.INDETERMINATE, Severity.INVALID)
        }
        if report is not None and report.error is not None:
            problems.add(report.error.code)
        rows.append(
            AuditRow(
                dossier_code=dossier.code,
                procedure_code=dossier.procedure_code,
                procedure_name=dossier.procedure_name,
                applicant_name=dossier.applicant.name,
                applicant_citizen_id=dossier.applicant.citizen_id,
                submitted_at=dossier.submitted_at,
                component=dossier.components[cached.component_position].name,
                file_name=attachment.file_name,
                attachment_id=attachment.remote_id,
                sha256=attachment.sha256,
                verdict_now=report.verdict if report else None,
                checked_at=checked_at,
                signers=tuple(s.signer.name for s in signatures if s.signer),
                signer_ids=tuple(
                    s.signer.citizen_id for s in signatures if s.signer and s.signer.citizen_id
                ),
                providers=tuple(dict.fromkeys(s.signer.issuer for s in signatures if s.signer)),
                problems=tuple(sorted(problems)),
                decision=decision.kind if decision else None,
                officer=decision.officer if decision else "",
                decided_at=decision.decided_at if decision else None,
                decision_state=decision.state if decision else None,
                verdict_then=seen.verdict if seen else None,
                officer_name=(decision.officer_name or "") if decision else "",
                origin=decision.origin if decision else None,
                sha256_then=seen.sha256 if seen else None,
            )
        )
    return rows


def _old_filter(rows: Iterable[AuditRow], criteria: AuditFilter) -> list[AuditRow]:
    procedure = fold(criteria.procedure) if criteria.procedure else None
    provider = fold(criteria.provider) if criteria.provider else None
    words = fold(criteria.text).split() if criteria.text else []
    out = []
    for row in rows:
        day = row.day
        if criteria.date_from and day < criteria.date_from:
            continue
        if criteria.date_to and day > criteria.date_to:
            continue
        if criteria.officer and row.officer != criteria.officer:
            continue
        if criteria.undecided and row.decision is not None:
            continue
        if criteria.decision and row.decision is not criteria.decision:
            continue
        if procedure and not (
            row.procedure_code.startswith(criteria.procedure or "")
            or procedure in fold(row.procedure_name)
        ):
            continue
        if provider and not any(provider in fold(p) for p in row.providers):
            continue
        if criteria.signer_mismatch and not row.signer_mismatch:
            continue
        if not criteria.verdict.matches(row):
            continue
        if words:
            haystack = fold(
                f"{row.dossier_code} {row.applicant_name} {row.component} {row.file_name}"
            )
            if not all(w in haystack for w in words):
                continue
        out.append(row)
    return out


def _criteria(rows: list[AuditRow]) -> list[AuditFilter]:
    days = sorted({r.day for r in rows})
    middle = days[len(days) // 2]
    some = next(r for r in rows if r.providers)
    return [
        AuditFilter(),
        *(AuditFilter(verdict=v) for v in VerdictFilter),
        *(AuditFilter(decision=k) for k in DecisionKind),
        AuditFilter(undecided=True),
        AuditFilter(officer="demo"),
        AuditFilter(officer="canbo07"),
        AuditFilter(procedure=rows[0].procedure_code[:5]),
        AuditFilter(procedure=rows[-1].procedure_name.split()[0]),
        AuditFilter(provider=some.providers[0].split()[0]),
        AuditFilter(provider="   "),
        AuditFilter(signer_mismatch=True),
        AuditFilter(text=rows[0].applicant_name.split()[-1]),
        AuditFilter(text="pdf"),
        AuditFilter(date_from=middle),
        AuditFilter(date_to=middle),
        AuditFilter(date_from=days[0], date_to=days[0]),
        AuditFilter(date_from=days[-1] + timedelta(days=1)),
        AuditFilter(decision=DecisionKind.ACCEPT, verdict=VerdictFilter.INVALID, date_to=middle),
    ]


# The office: the demo dossiers synced, validated and decided for real (SQLite). ----------


def test_the_summary_gives_the_old_rows_and_every_filter_the_same_rows(
    office: Session,
) -> None:
    rows = rows_of(office)
    old = _old_rows(office.store, office.desk.trust)

    assert rows == old
    assert any(r.verdict_now for r in rows) and any(r.decision for r in rows)
    for criteria in _criteria(rows):
        assert apply_filter(rows, criteria) == _old_filter(old, criteria), criteria
    # Another trust set: nothing checked with it yet, on both paths.
    assert load_rows(office.store, TRUST) == _old_rows(office.store, TRUST)


def test_the_migration_backfills_the_summary_of_an_office(office: Session) -> None:
    before = rows_of(office)
    path = office.store.path
    assert path is not None
    _downgrade(office.store, "0006_wide_integers")

    with open_store(path, test_mode=True) as upgraded:
        assert upgraded.revision() == "0007_audit_summary"
        assert load_rows(upgraded, office.desk.trust) == before


# A plain store (PostgreSQL too when the tests run on it). ------------------------------


@pytest.fixture(name="store")
def store_fixture(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "store.sqlite3") as store:
        yield store


def _dossier(code: str, *shas: str | None, submitted: datetime = NOW) -> Dossier:
    files = tuple(
        Attachment(f"{code}-f{n}", f"tep{n}.pdf", "application/pdf", 100 + n, sha)
        for n, sha in enumerate(shas)
    )
    return Dossier(
        code=code,
        procedure_code="1.001193",
        submitted_at=submitted,
        status=DossierStatus.AWAITING_INTAKE,
        version=1,
        applicant=Applicant("Nguyễn Văn An", "062090001234"),
        components=(
            Component("TP1", "Tờ khai", CopyKind.ORIGINAL, files[:1]),
            Component("TP2", "Giấy tờ kèm theo", CopyKind.COPY, files[1:]),
        ),
        procedure_name="Đăng ký khai sinh",
    )


def _report(verdict: str, *problems: str, signer: str = "NGUYỄN VĂN AN") -> str:
    """The cache JSON's keys the audit reads (the engine writes many more)."""
    return json.dumps(
        {
            "verdict": verdict,
            "error": None,
            "signatures": [
                {
                    "verdict": verdict,
                    "reasons": [{"code": c, "severity": "invalid"} for c in problems]
                    + [{"code": "no_timestamp", "severity": "info"}],
                    "signer": {"name": signer, "citizen_id": "062090001234", "issuer": "VNPT-CA"},
                }
            ],
        }
    )


def _put(store: Store, sha: str, verdict: str, *problems: str) -> None:
    report_cache.put(
        store,
        sha,
        TRUST.version,
        ENGINE_VERSION,
        OPTIONS.cache_key,
        verdict=verdict,
        report_json=_report(verdict, *problems),
    )


def _decide(store: Store, code: str, uuid: str, seen: list[VerdictSnapshot]) -> None:
    with store.session() as session:
        outbox.insert(
            session,
            uuid=uuid,
            dossier_code=code,
            dossier_version=1,
            kind=DecisionKind.ACCEPT,
            reasons=(),
            components=(),
            appointment_date=date(2026, 12, 3),
            officer_note="",
            verdict_snapshot=[s.to_json() for s in seen],
            officer="canbo01",
            now=NOW,
        )


def _rows(store: Store, code: str = "HS-1") -> list[AuditRow]:
    return [r for r in load_rows(store, TRUST) if r.dossier_code == code]


def test_a_recomputed_verdict_changes_the_row(store: Store) -> None:
    save_dossier(store, _dossier("HS-1", SHA_A, SHA_B), source="demo")
    assert [r.verdict_now for r in _rows(store)] == [None, None]

    _put(store, SHA_A, "valid")
    first, second = _rows(store)
    assert first.verdict_now is Verdict.VALID and second.verdict_now is None
    assert first.signers == ("NGUYỄN VĂN AN",) and first.providers == ("VNPT-CA",)
    assert first.signer_ids == ("062090001234",) and first.problems == ()
    assert first.checked_at is not None

    _put(store, SHA_A, "invalid", "modified_other")  # re-checked: the same key, replaced
    first, _ = _rows(store)
    assert first.verdict_now is Verdict.INVALID and first.problems == ("modified_other",)
    assert load_rows(store, TrustStore.of([])) == load_rows(store, TRUST)


def test_a_new_decision_then_its_outbox_states_change_the_rows(store: Store) -> None:
    save_dossier(store, _dossier("HS-1", SHA_A, SHA_B), source="demo")
    _put(store, SHA_A, "valid")
    assert all(r.decision is None for r in _rows(store))

    _decide(store, "HS-1", "d-1", [VerdictSnapshot("HS-1-f0", SHA_A, "valid")])
    first, second = _rows(store)
    assert first.decision is DecisionKind.ACCEPT and first.officer == "canbo01"
    assert first.decision_state is OutboxState.PENDING and first.origin is DecisionOrigin.DESK
    assert first.decided_at == NOW and first.decided_on == vn_date(NOW)
    assert (first.verdict_then, first.sha256_then) == ("valid", SHA_A)
    assert second.decision is DecisionKind.ACCEPT and second.verdict_then is None

    assert outbox.claim(store, "d-1") is not None
    assert {r.decision_state for r in _rows(store)} == {OutboxState.SENDING}
    with store.session() as session:
        outbox.finish(session, "d-1", OutboxState.SENT, sent_at=NOW)
    assert {r.decision_state for r in _rows(store)} == {OutboxState.SENT}


def test_another_officers_synced_decision_and_a_changed_file(store: Store) -> None:
    save_dossier(store, _dossier("HS-1", SHA_A, SHA_B), source="demo")
    _decide(store, "HS-1", "d-1", [])
    assert outbox.claim(store, "d-1") is not None
    with store.session() as session:  # another desk decided first: ours is the conflict
        outbox.finish(session, "d-1", OutboxState.CONFLICT)
    theirs = DecisionRecord(
        decision_id="d-2",
        kind=DecisionKind.REFUSE,
        officer="canbo07",
        officer_name="Trần Thị Bình",
        recorded_at=NOW - timedelta(hours=1),
        dossier_version=1,
        national_status_code=3,
        verdict_snapshot=(
            VerdictSnapshot("HS-1-f0", SHA_C, "invalid"),  # not the file stored now
            VerdictSnapshot("HS-1-f1", SHA_B, "valid"),
        ),
    )

    assert save_history(store, "HS-1", [theirs]).added == 1
    first, second = _rows(store)
    assert first.decision is DecisionKind.REFUSE and first.officer == "canbo07"
    assert first.officer_name == "Trần Thị Bình" and first.origin is DecisionOrigin.SERVER
    assert first.file_changed and not second.file_changed
    changed = apply_filter(
        load_rows(store, TRUST), AuditFilter(verdict=VerdictFilter.FILE_CHANGED_SINCE_DECISION)
    )
    assert [r.attachment_id for r in changed] == ["HS-1-f0"]
    assert apply_filter(load_rows(store, TRUST), AuditFilter(officer="canbo07")) == _rows(store)

    # The server now declares the bytes the officer saw: the file is that one again.
    save_dossier(store, _dossier("HS-1", SHA_C, SHA_B), source="demo")
    assert [r.file_changed for r in _rows(store)] == [False, False]
    # A download that finds other bytes than the server declared changes the row too.
    save_dossier(store, _dossier("HS-2", None), source="demo")
    record_downloads(store, [DownloadOutcome("HS-2", "HS-2-f0", DownloadState.DONE, sha256=SHA_A)])
    assert [r.sha256 for r in _rows(store, "HS-2")] == [SHA_A]


def test_the_migration_backfills_the_summary_and_the_verdicts(store: Store) -> None:
    earlier = NOW - timedelta(days=40)
    save_dossier(store, _dossier("HS-1", SHA_A, SHA_B, submitted=earlier), source="demo")
    save_dossier(store, _dossier("HS-2", SHA_C, None), source="demo")
    _put(store, SHA_A, "invalid", "modified_other")
    _put(store, SHA_C, "valid")
    _decide(store, "HS-1", "d-1", [VerdictSnapshot("HS-1-f0", SHA_B, "valid")])
    before = load_rows(store, TRUST)
    tables = _dump(store)
    assert len(before) == 4 and tables[0] and tables[1]

    _downgrade(store, "0006_wide_integers")
    with store.engine.connect() as connection:
        names = {
            row[0]
            for row in connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables"
                    if store.engine.dialect.name == "postgresql"
                    else "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            )
        }
    assert "audit_summary" not in names and "audit_verdicts" not in names
    store.close()

    with open_store(store.path) as upgraded:
        assert upgraded.revision() == "0007_audit_summary"
        assert load_rows(upgraded, TRUST) == before
        assert _dump(upgraded) == tables


def _downgrade(store: Store, revision: str) -> None:
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _dump(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with store.engine.connect() as connection:
        summary = connection.execute(
            text(
                "SELECT dossier_code, component_position, file_position, attachment_id, sha256,"
                " decision_id, officer, decided_at, day, verdict_then, sha256_then,"
                " file_changed FROM audit_summary ORDER BY dossier_code, attachment_id"
            )
        )
        verdicts = connection.execute(
            text("SELECT * FROM audit_verdicts ORDER BY sha256, trust_version")
        )
        return [tuple(r) for r in summary], [tuple(r) for r in verdicts]


def test_a_text_holding_the_records_separator_is_read_column_by_column(store: Store) -> None:
    odd = _dossier("HS-1", SHA_A, None)
    odd = Dossier(
        code=odd.code,
        procedure_code=odd.procedure_code,
        submitted_at=odd.submitted_at,
        status=odd.status,
        version=odd.version,
        applicant=Applicant("Nguyễn\x1eVăn An", "062090001234"),
        components=odd.components,
        procedure_name=odd.procedure_name,
    )
    save_dossier(store, odd, source="demo")
    save_dossier(store, _dossier("HS-2", SHA_B), source="demo")
    _put(store, SHA_A, "valid")
    _decide(store, "HS-1", "d-1", [VerdictSnapshot("HS-1-f0", SHA_A, "")])

    rows = load_rows(store, TRUST)

    assert [r.applicant_name for r in rows] == ["Nguyễn\x1eVăn An"] * 2 + ["Nguyễn Văn An"]
    first = rows[0]
    assert first.verdict_now is Verdict.VALID and first.signers == ("NGUYỄN VĂN AN",)
    assert first.verdict_then == "" and first.decision is DecisionKind.ACCEPT
    assert rows[1].sha256 is None and rows[1].verdict_now is None
