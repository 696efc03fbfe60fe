"""Every officer's decisions in the desk's store: synced from the training server over HTTP.

The training server runs in-thread with a seeded history (other officers' desks decided some
dossiers); the store is a real SQLite file. The outbox keeps working as it did: a decision
of ours that comes back in a dossier's history is the same row, never a second one. A
supervisor's desk syncs the unit for a date range (taken from the seeded submissions, never
from today) and fetches files on demand; the audit then filters by officer across origins
and flags snapshots of files other than the ones the server holds now.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from test_http_source import PASSWORD, source_for

from intake_desktop.clock import VN_TZ, FixedClock, vn_date
from intake_desktop.demo.dossiers import demo_trust
from intake_desktop.desk import Desk, DeskSettings
from intake_desktop.domain import (
    DecisionKind,
    DecisionOrigin,
    DossierStatus,
    DownloadState,
    OutboxState,
)
from intake_desktop.server.accounts import SUPERVISOR_USERNAME
from intake_desktop.server.seed import SEED_OFFICERS
from intake_desktop.server.testing import ServerHandle, running_server
from intake_desktop.services.audit import AuditFilter, VerdictFilter, apply_filter, load_rows
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.source import DecisionRequest, VerdictSnapshot
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import Store, open_store
from intake_desktop.store.db import alembic_config
from intake_desktop.store.decision_history import all_decisions
from intake_desktop.store.dossiers import cached_attachments, get_dossier, list_dossiers
from intake_desktop.store.outbox import entries

DOSSIERS = 8
SEED = 3
DECIDED = 4
OFFICER = "canbo01"


@pytest.fixture
def server() -> Iterator[ServerHandle]:
    # One per test: decisions change the server's state.
    with running_server(dossiers=DOSSIERS, seed=SEED, decided=DECIDED) as handle:
        yield handle


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def _sync(url: str, store: Store, cache: Path, username: str = OFFICER) -> None:
    with source_for(url, username) as source:
        source.login(PASSWORD)
        result = Synchronizer(source, store, cache).sync()
    assert result.errors == ()


def _clock_after(store: Store) -> FixedClock:
    """A clock a day after the newest stored submission: the desk's "now" in these tests."""
    newest = max(d.submitted_at for d in list_dossiers(store))
    return FixedClock(newest.astimezone(VN_TZ) + timedelta(days=1))


def test_other_officers_decisions_land_in_the_one_table_with_their_origin(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    _sync(server.url, store, tmp_path / "cache")
    _sync(server.url, store, tmp_path / "cache")  # a second pass adds nothing

    decisions = all_decisions(store)
    assert len(decisions) == DECIDED
    assert {d.origin for d in decisions} == {DecisionOrigin.SERVER}
    assert {d.officer for d in decisions} <= set(SEED_OFFICERS)
    assert all(d.state is OutboxState.SENT and d.officer_name for d in decisions)
    assert entries(store) == []  # none of them is in this desk's outbox
    for decision in decisions:
        dossier = get_dossier(store, decision.dossier_code)
        assert dossier is not None and dossier.status is decision.kind.resulting_status
        assert decision.recorded_at is not None and decision.recorded_at > dossier.submitted_at
        ids = {a.remote_id for c in dossier.components for a in c.attachments}
        assert {s.attachment_id for s in decision.verdict_snapshot} == ids


def test_our_decision_that_comes_back_from_the_server_is_the_same_row(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    _sync(server.url, store, tmp_path / "cache")
    target = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])[0]
    attachment = target.components[0].attachments[0]
    request = DecisionRequest(
        target.code,
        target.version,
        DecisionKind.REQUEST_SUPPLEMENT,
        reasons=("Tờ khai chưa ký số",),
        verdict_snapshot=(VerdictSnapshot(attachment.remote_id, attachment.sha256, "unsigned"),),
    )
    outbox = Outbox(store)
    outbox.record(request, OFFICER)
    # The server records it but its answer is lost (as in a timeout): the row stays PENDING.
    with source_for(server.url) as other_attempt:
        other_attempt.login(PASSWORD)
        first_receipt = other_attempt.submit_decision(request)
    _sync(server.url, store, tmp_path / "cache")
    pending = [d for d in all_decisions(store) if d.decision_id == request.decision_id]
    with source_for(server.url) as source:
        source.login(PASSWORD)
        (result,) = Sender(source, store).send_pending()
    _sync(server.url, store, tmp_path / "cache")

    assert len(pending) == 1
    assert pending[0].origin is DecisionOrigin.DESK and pending[0].state is OutboxState.PENDING
    assert pending[0].officer_name == "Nguyễn Thị Lan"
    assert pending[0].recorded_at == first_receipt.recorded_at
    assert result.state is OutboxState.SENT and result.receipt == first_receipt
    ours = [d for d in all_decisions(store) if d.decision_id == request.decision_id]
    assert [(d.origin, d.state) for d in ours] == [(DecisionOrigin.DESK, OutboxState.SENT)]
    assert [e.uuid for e in entries(store)] == [request.decision_id]
    assert len([d for d in server.decisions() if d["dossier_code"] == target.code]) == 1
    assert len(all_decisions(store)) == DECIDED + 1


def test_the_audit_filters_by_officer_across_origins_and_flags_replaced_files(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    _sync(server.url, store, tmp_path / "cache")
    target = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])[0]
    with source_for(server.url) as source:
        me = source.login(PASSWORD)  # as the session builds the desk from the sign-in
        desk = Desk(
            store,
            source,
            demo_trust(),
            tmp_path / "cache",
            officer=me.username,
            officer_name=me.name,
            clock=_clock_after(store),
        )
        view = desk.open_dossier(target.code)
        desk.decide(view, DecisionKind.REQUEST_SUPPLEMENT, reasons=("Thiếu giấy tờ",))
        (sent,) = desk.send_pending()
    _sync(server.url, store, tmp_path / "cache")
    rows = load_rows(store, demo_trust())

    assert sent.state is OutboxState.SENT
    mine = apply_filter(rows, AuditFilter(officer=OFFICER))
    assert {r.dossier_code for r in mine} == {target.code}
    assert {(r.origin, r.officer_name) for r in mine} == {(DecisionOrigin.DESK, "Nguyễn Thị Lan")}
    others = {d.officer for d in all_decisions(store) if d.origin is DecisionOrigin.SERVER}
    for officer in others:
        theirs = apply_filter(rows, AuditFilter(officer=officer))
        assert theirs and {r.origin for r in theirs} == {DecisionOrigin.SERVER}
        assert {r.officer for r in theirs} == {officer}
    changed = apply_filter(rows, AuditFilter(verdict=VerdictFilter.FILE_CHANGED_SINCE_DECISION))
    assert len(changed) == 1
    (flagged,) = changed
    assert flagged.sha256_then is not None and flagged.sha256_then != flagged.sha256
    assert flagged.origin is DecisionOrigin.SERVER and flagged.officer in SEED_OFFICERS
    assert not any(r.file_changed for r in rows if r is not flagged)
    # The seeded acceptance of a dossier that needed a supplement: despite problems.
    despite = apply_filter(rows, AuditFilter(verdict=VerdictFilter.ACCEPTED_DESPITE_PROBLEMS))
    assert any(r.origin is DecisionOrigin.SERVER and r.officer in SEED_OFFICERS for r in despite)


def _submission_days(store: Store) -> list[date]:
    return sorted({vn_date(d.submitted_at) for d in list_dossiers(store)})


@pytest.mark.sqlite_only  # each desk its own store file
def test_a_supervisors_office_wide_sync_brings_the_units_dossiers_and_files_on_demand(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    # What the unit holds, seen by an officer in a store of their own.
    with open_store(tmp_path / "officer.sqlite3") as officer_store:
        _sync(server.url, officer_store, tmp_path / "officer-cache")
        days = _submission_days(officer_store)
        by_day = {d.code: vn_date(d.submitted_at) for d in list_dossiers(officer_store)}
        clock = _clock_after(officer_store)
    first, last = days[0], days[-1]
    wanted = {code for code, day in by_day.items() if first <= day <= last}
    with source_for(server.url, SUPERVISOR_USERNAME) as source:
        supervisor = source.login(PASSWORD)
        desk = Desk(
            store,
            source,
            demo_trust(),
            tmp_path / "cache",
            officer=SUPERVISOR_USERNAME,
            supervisor=supervisor.supervisor,
            clock=clock,
        )
        result = desk.office_sync(first, last)
        again = desk.office_sync(first, last)
        decided = [d.code for d in list_dossiers(store) if d.status is DossierStatus.ACCEPTED]
        fetched = desk.fetch_attachments(decided)

    assert supervisor.supervisor and supervisor.roles == ("officer", "supervisor")
    assert {d.code for d in list_dossiers(store)} == wanted
    assert result.dossiers_new == len(wanted) and result.decisions_added == DECIDED
    assert again.dossiers_new == again.dossiers_updated == again.decisions_added == 0
    # Nothing downloaded by the sync itself; the accepted dossiers' files on demand.
    assert result.attachments_downloaded == 0
    assert fetched.errors == () and fetched.attachments_downloaded > 0
    for dossier in list_dossiers(store):
        states = {a.state for a in cached_attachments(store, dossier.code)}
        assert states == (
            {DownloadState.DONE} if dossier.code in decided else {DownloadState.PENDING}
        )


@pytest.mark.sqlite_only  # each desk its own store file
def test_a_narrower_range_brings_only_its_days(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    with open_store(tmp_path / "officer.sqlite3") as officer_store:
        _sync(server.url, officer_store, tmp_path / "officer-cache")
        by_day = {d.code: vn_date(d.submitted_at) for d in list_dossiers(officer_store)}
    day = sorted(set(by_day.values()))[-1]
    with source_for(server.url, SUPERVISOR_USERNAME) as source:
        source.login(PASSWORD)
        desk = Desk(store, source, demo_trust(), tmp_path / "cache", supervisor=True)
        desk.office_sync(day, day)

    assert {d.code for d in list_dossiers(store)} == {c for c, d in by_day.items() if d == day}


def test_only_a_supervisor_or_test_modes_setting_opens_the_office_wide_sync(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    day = datetime(2026, 11, 2, tzinfo=VN_TZ).date()
    with source_for(server.url) as source:
        officer = source.login(PASSWORD)
        desk = Desk(store, source, demo_trust(), tmp_path / "cache", officer=OFFICER)
        with pytest.raises(PermissionError):
            desk.office_sync(day, day)
        # Test mode (a classroom): the setting makes the desk a supervisor's.
        classroom = Desk(
            store,
            source,
            demo_trust(),
            tmp_path / "cache",
            DeskSettings(test_mode=True, supervisor=True),
            officer=OFFICER,
        )
        not_test_mode = Desk(
            store, source, demo_trust(), tmp_path / "cache", DeskSettings(supervisor=True)
        )

    assert not officer.supervisor and not desk.is_supervisor
    assert classroom.is_supervisor
    assert not not_test_mode.is_supervisor  # a real server's role only comes with sign-in


_OLD_DECISION = """
INSERT INTO decisions (uuid, dossier_code, kind, reasons_json, components_json,
  appointment_date, officer_note, verdict_snapshot_json, dossier_version, state, attempts,
  next_attempt_at, last_error, server_receipt_json, created_at, sent_at, officer,
  national_status_code)
VALUES ('00000000-0000-4000-8000-000000000001', 'HS-1', 'accept', '[]', '[]', NULL, '', '[]',
  1, 'sent', 1, NULL, NULL, NULL, '2026-12-01T01:00:00.000000+00:00', NULL, 'canbo01', 2)
"""


@pytest.mark.sqlite_only
def test_decisions_made_before_the_migration_are_this_desks(tmp_path: Path) -> None:
    path = tmp_path / "intake.sqlite3"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0004_raw_status")
    with sqlite3.connect(path) as connection:
        connection.execute(_OLD_DECISION)

    with open_store(path) as store:
        (decision,) = all_decisions(store)
        outbox = entries(store)

    assert decision.origin is DecisionOrigin.DESK and decision.officer_name is None
    assert [e.uuid for e in outbox] == [decision.decision_id]


def test_the_cli_exports_one_officers_decisions_and_the_seeded_file(
    server: ServerHandle, tmp_path: Path
) -> None:
    import csv

    from intake_desktop.cli import main as cli_main

    with open_store() as live:  # the live store of this test's own data folder
        _sync(server.url, live, tmp_path / "cache")
        seeded = [d for d in all_decisions(live) if any(s.sha256 for s in d.verdict_snapshot)]
        officer = seeded[-1].officer
    every = tmp_path / "every.csv"
    theirs = tmp_path / "theirs.csv"
    changed = tmp_path / "changed.csv"

    assert cli_main(["audit", "--out", str(every)]) == 0
    assert cli_main(["audit", "--officer", officer, "--out", str(theirs)]) == 0
    assert (
        cli_main(["audit", "--verdict", "file_changed_since_decision", "--out", str(changed)]) == 0
    )

    def read(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return list(csv.DictReader(file))

    rows, mine, flagged = read(every), read(theirs), read(changed)
    assert {r["Cán bộ"] for r in rows if r["Cán bộ"]} == {d.officer for d in seeded}
    assert mine and {r["Cán bộ"] for r in mine} == {officer}
    assert {r["Nguồn quyết định"] for r in mine} == {"server"}
    assert len(flagged) == 1 and flagged[0]["Tệp đã đổi từ khi quyết định"] == "x"
    assert flagged[0]["SHA-256 tệp khi quyết định"] != ""


def test_test_modes_supervisor_setting_reaches_the_desk_only_in_test_mode() -> None:
    from intake_desktop.app import desk_settings
    from intake_desktop.ui.app_settings import AppSettings

    assert desk_settings(AppSettings(test_mode=True, test_supervisor=True)).supervisor
    assert not desk_settings(AppSettings(test_mode=False, test_supervisor=True)).supervisor
    assert not desk_settings(AppSettings(test_mode=True)).supervisor


def test_a_colleague_who_decided_first_is_the_dossiers_decision_in_the_audit(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    _sync(server.url, store, tmp_path / "cache")
    target = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])[0]
    with source_for(server.url, "canbo06") as colleague:
        colleague.login(PASSWORD)
        theirs = colleague.submit_decision(
            DecisionRequest(target.code, target.version, DecisionKind.REFUSE, reasons=("Sai",))
        )
    # Ours, made on the version we saw, after theirs: the server answers 409.
    Outbox(store).record(
        DecisionRequest(
            target.code, target.version, DecisionKind.REQUEST_SUPPLEMENT, reasons=("x",)
        ),
        OFFICER,
    )
    with source_for(server.url) as source:
        source.login(PASSWORD)
        (ours,) = Sender(source, store).send_pending()
    _sync(server.url, store, tmp_path / "cache")
    rows = [r for r in load_rows(store, demo_trust()) if r.dossier_code == target.code]

    assert ours.state is OutboxState.CONFLICT
    assert rows and {(r.officer, r.decision, r.origin, r.decision_state) for r in rows} == {
        ("canbo06", DecisionKind.REFUSE, DecisionOrigin.SERVER, OutboxState.SENT)
    }
    assert {r.decided_at for r in rows} == {theirs.recorded_at}
    assert [e.state for e in entries(store, dossier_code=target.code)] == [OutboxState.CONFLICT]
