"""Every officer's decisions from the VNPT iGate imitation, in the desk's one decisions table.

The imitation (``serve --flavor igate``) runs in-thread with a seeded history (other
officers' desks decided some dossiers); it shows each reception decision as a finished step
of the dossier's ``task[]`` with the officer's comment carrying the decision's tag and
verdict snapshot (docs/adapters/igate.md, "Decision history"). A supervisor (role from
Keycloak's ``realm_access.roles``) syncs the unit by submission date; the date range comes
from the seeded submissions, never from today.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_credentials import MemoryKeyring

from intake_desktop.clock import VN_TZ, FixedClock, vn_date
from intake_desktop.demo.dossiers import demo_trust
from intake_desktop.desk import Desk
from intake_desktop.domain import DecisionKind, DecisionOrigin, DossierStatus, VerdictSnapshot
from intake_desktop.server import igate_json
from intake_desktop.server.accounts import SUPERVISOR_USERNAME
from intake_desktop.server.seed import SEED_OFFICERS
from intake_desktop.server.testing import ServerHandle, running_server
from intake_desktop.services.adapters import SourceSettings, SystemKind, make_source
from intake_desktop.services.adapters.igate import IgateDossierSource
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.source import DecisionRequest, DossierSummary
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import Store, open_store
from intake_desktop.store.decision_history import all_decisions
from intake_desktop.store.dossiers import get_dossier

PASSWORD = "matkhau123"
OFFICER = "canbo01"
DOSSIERS = 8
SEED = 3
DECIDED = 4


@pytest.fixture
def server() -> Iterator[ServerHandle]:
    # One per test: decisions change the server's state.
    with running_server(dossiers=DOSSIERS, seed=SEED, decided=DECIDED, flavor="igate") as handle:
        yield handle


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def _source(url: str, username: str = OFFICER) -> IgateDossierSource:
    backend = MemoryKeyring()
    CredentialStore(backend).save(url, username, PASSWORD)
    source = make_source(SourceSettings(SystemKind.IGATE, url, username), CredentialStore(backend))
    assert isinstance(source, IgateDossierSource)
    source._timeout = (0.5, 2.0)
    source._backoff = 0.02
    return source


def _summaries(url: str) -> list[DossierSummary]:
    with _source(url) as source:
        source.login()
        return list(source.list_dossiers(limit=100).items)


def _supervisor_desk(
    source: IgateDossierSource, store: Store, cache: Path, days: list[date]
) -> Desk:
    supervisor = source.login()
    # The desk's "now": a day after the last seeded submission, not today.
    now = FixedClock(datetime.combine(days[-1] + timedelta(days=1), time(9, 0), tzinfo=VN_TZ))
    return Desk(
        store,
        source,
        demo_trust(),
        cache,
        officer=supervisor.username,
        supervisor=supervisor.supervisor,
        clock=now,
    )


def test_a_supervisor_syncs_the_unit_and_stores_other_officers_decisions_with_snapshots(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    summaries = _summaries(server.url)
    days = sorted({vn_date(s.submitted_at) for s in summaries})
    with _source(server.url, SUPERVISOR_USERNAME) as source:
        desk = _supervisor_desk(source, store, tmp_path / "cache", days)
        first = desk.office_sync(days[0], days[-1])
        again = desk.office_sync(days[0], days[-1])
        officer = source.officer
    with _source(server.url) as plain:
        canbo = plain.login()

    assert officer is not None and officer.supervisor and not canbo.supervisor
    assert first.errors == () and first.dossiers_new == DOSSIERS
    assert first.decisions_added == DECIDED and first.attachments_downloaded == 0
    assert again.decisions_added == again.dossiers_new == again.dossiers_updated == 0
    decisions = all_decisions(store)
    on_server = {d["decision_id"]: d for d in server.decisions()}
    assert len(decisions) == DECIDED and {d.decision_id for d in decisions} == set(on_server)
    assert {d.origin for d in decisions} == {DecisionOrigin.SERVER}
    assert {d.officer for d in decisions} <= set(SEED_OFFICERS)
    for decision in decisions:
        dossier = get_dossier(store, decision.dossier_code)
        assert dossier is not None and dossier.status is decision.kind.resulting_status
        assert decision.officer_name and decision.recorded_at is not None
        assert decision.recorded_at > dossier.submitted_at
        # The snapshot names the files by their iGate ids, with what the officer saw.
        files = {a.remote_id: a for c in dossier.components for a in c.attachments}
        assert {s.attachment_id for s in decision.verdict_snapshot} == set(files)
        seeded = on_server[decision.decision_id]["verdict_snapshot"]
        assert sorted(s.sha256 or "" for s in decision.verdict_snapshot) == sorted(
            s["sha256"] or "" for s in seeded
        )
        assert {s.verdict for s in decision.verdict_snapshot} == {s["verdict"] for s in seeded}
        if decision.kind is DecisionKind.ACCEPT:
            assert decision.appointment_date is not None
        else:
            assert decision.reasons


def test_a_narrower_range_lists_only_its_days(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    summaries = _summaries(server.url)
    day = vn_date(summaries[0].submitted_at)
    with _source(server.url, SUPERVISOR_USERNAME) as source:
        source.login()
        page = source.list_unit_dossiers(submitted_from=day, submitted_to=day)
    assert {s.code for s in page.items} == {
        s.code for s in summaries if vn_date(s.submitted_at) == day
    }


def test_our_decision_sent_through_igate_comes_back_as_the_same_row_with_its_snapshot(
    server: ServerHandle, store: Store, tmp_path: Path
) -> None:
    awaiting = [s for s in _summaries(server.url) if s.status is DossierStatus.AWAITING_INTAKE]
    with _source(server.url) as source:
        officer = source.login()
        Synchronizer(source, store, tmp_path / "cache").sync()
        dossier = get_dossier(store, awaiting[0].code)
        assert dossier is not None
        seen = tuple(
            VerdictSnapshot(a.remote_id, "ab" * 32, "valid", ("001090000001",))
            for c in dossier.components
            for a in c.attachments
        )
        decision = DecisionRequest(
            dossier.code,
            dossier.version,
            DecisionKind.REFUSE,
            reasons=("Thiếu giấy tờ",),
            verdict_snapshot=seen,
        )
        Outbox(store).record(decision, officer.username)
        Sender(source, store).send_pending()
        Synchronizer(source, store, tmp_path / "cache").sync()
    with _source(server.url, SUPERVISOR_USERNAME) as supervisor:
        supervisor.login()
        theirs = supervisor.get_dossier(dossier.code).decisions

    ours = [d for d in all_decisions(store) if d.dossier_code == dossier.code]
    assert [(d.decision_id, d.origin) for d in ours] == [
        (decision.decision_id, DecisionOrigin.DESK)
    ]
    [recorded] = [d for d in server.decisions() if d["dossier_code"] == dossier.code]
    assert recorded["decision_id"] == decision.decision_id
    assert len(recorded["verdict_snapshot"]) == len(seen)  # the server kept what was seen
    [record] = theirs
    assert record.decision_id == decision.decision_id and record.officer == OFFICER
    assert record.verdict_snapshot == seen and record.reasons == ("Thiếu giấy tờ",)


def test_malformed_history_entries_are_skipped_with_a_log_line_and_the_sync_goes_on(
    server: ServerHandle,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = igate_json.task_document
    broken: list[str] = []

    def damaged(row: Any) -> dict[str, Any]:
        entry = real(row)
        if len(broken) % 2 == 0:
            del entry["assignee"]  # no officer: not a decision the audit can use
        else:
            entry["comment"] += "\n[intake-desktop-snapshot:!!!]"  # unreadable snapshot
        broken.append(row.decision_id)
        return entry

    original = igate_json.dossier_document

    def with_junk(*args: Any, **kwargs: Any) -> dict[str, Any]:
        document = original(*args, **kwargs)
        if document["task"]:
            junk = ["not a step", {"id": "x", "dossierStatus": {"id": "2"}}]
            document["task"] = [*junk, *document["task"]]
        return document

    monkeypatch.setattr(igate_json, "task_document", damaged)
    monkeypatch.setattr("intake_desktop.server.igate_api.dossier_document", with_junk)
    summaries = _summaries(server.url)
    days = sorted({vn_date(s.submitted_at) for s in summaries})
    with (
        caplog.at_level(logging.WARNING, "intake_desktop.services.adapters"),
        _source(server.url, SUPERVISOR_USERNAME) as source,
    ):
        desk = _supervisor_desk(source, store, tmp_path / "cache", days)
        result = desk.office_sync(days[0], days[-1])

    assert result.errors == () and result.dossiers_new == DOSSIERS
    kept = all_decisions(store)
    # Without an assignee an entry is dropped; with an unreadable snapshot it stays, bare.
    assert 0 < len(kept) == len(broken) // 2 == result.decisions_added
    assert all(d.verdict_snapshot == () for d in kept)
    messages = [r.getMessage() for r in caplog.records]
    assert any("decision history entry skipped" in m and "assignee" in m for m in messages)
    assert any("expected an object" in m for m in messages)
    assert any("unreadable verdict snapshot" in m for m in messages)
