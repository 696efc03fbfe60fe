"""Test mode's dossier source: listing, downloading and deciding, offline, across restarts."""

from __future__ import annotations

import base64
import hashlib
import json
import pickle
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from intake_desktop.demo.dossiers import DemoDossier, generate_dossiers
from intake_desktop.domain import DecisionKind, DossierStatus
from intake_desktop.services.demo_source import (
    GENERATED_PREFIX,
    STATE_FILE,
    DemoDossierSource,
)
from intake_desktop.services.source import (
    DecisionConflict,
    DecisionRejected,
    DecisionRequest,
    DossierSummary,
    NotFound,
    RangeNotSatisfiable,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=VN)
TODAY = NOW.date()


class Clock:
    """The server's clock, moved by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(scope="module")
def demos() -> list[DemoDossier]:
    return generate_dossiers(12, seed=3, now=NOW, workers=1)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW + timedelta(hours=1))


@pytest.fixture
def new_source(
    tmp_path: Path, demos: list[DemoDossier], clock: Clock
) -> Callable[[], DemoDossierSource]:
    """A source over the module's dossiers; each call is a restart on the same folder."""
    return lambda: DemoDossierSource(tmp_path / "test-mode", dossiers=demos, clock=clock)


@pytest.fixture
def source(new_source: Callable[[], DemoDossierSource]) -> DemoDossierSource:
    return new_source()


def walk(
    source: DemoDossierSource,
    *,
    status: DossierStatus | None = None,
    updated_since: datetime | None = None,
) -> list[DossierSummary]:
    items: list[DossierSummary] = []
    cursor = None
    while True:
        page = source.list_dossiers(
            status=status, updated_since=updated_since, cursor=cursor, limit=5
        )
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return items


def accept(
    code: str,
    version: int = 1,
    *,
    appointment_date: date = TODAY + timedelta(days=2),
    decision_id: str | None = None,
) -> DecisionRequest:
    decision = DecisionRequest(
        dossier_code=code,
        dossier_version=version,
        kind=DecisionKind.ACCEPT,
        appointment_date=appointment_date,
    )
    return replace(decision, decision_id=decision_id) if decision_id else decision


def supplement(code: str, version: int = 1, *reasons: str) -> DecisionRequest:
    return DecisionRequest(
        dossier_code=code,
        dossier_version=version,
        kind=DecisionKind.REQUEST_SUPPLEMENT,
        reasons=reasons,
    )


# --- listing -------------------------------------------------------------------------------


def test_paging_walks_every_dossier_once_in_change_order(
    source: DemoDossierSource, demos: list[DemoDossier], clock: Clock
) -> None:
    first = source.list_dossiers(limit=5)
    assert len(first.items) == 5 and first.next_cursor is not None
    assert first.server_time == clock.now
    items = walk(source)
    assert sorted(i.code for i in items) == sorted(d.dossier.code for d in demos)
    keys = [(i.updated_at, i.code) for i in items]
    assert keys == sorted(keys)
    by_code = {d.dossier.code: d.dossier for d in demos}
    for item in items:
        dossier = by_code[item.code]
        assert item.status is DossierStatus.AWAITING_INTAKE and item.version == 1
        assert item.updated_at == dossier.submitted_at
        assert item.applicant_citizen_id == dossier.applicant.citizen_id
        assert item.component_count == len(dossier.components)


def test_after_a_decision_an_incremental_listing_returns_only_that_dossier(
    source: DemoDossierSource, clock: Clock
) -> None:
    mark = source.list_dossiers().server_time
    code = walk(source)[3].code
    clock.advance(minutes=5)
    receipt = source.submit_decision(supplement(code, 1, "Bổ sung giấy chứng sinh."))
    assert receipt.status is DossierStatus.SUPPLEMENT_REQUESTED and receipt.version == 2
    (changed,) = walk(source, updated_since=mark)
    assert changed.code == code and changed.version == 2
    assert changed.status is DossierStatus.SUPPLEMENT_REQUESTED
    assert changed.updated_at == receipt.recorded_at == clock.now
    # The status filter sees it too; the queue of awaiting dossiers no longer does.
    assert [i.code for i in walk(source, status=DossierStatus.SUPPLEMENT_REQUESTED)] == [code]
    assert code not in {i.code for i in walk(source, status=DossierStatus.AWAITING_INTAKE)}
    dossier = source.get_dossier(code)
    assert dossier.status is DossierStatus.SUPPLEMENT_REQUESTED and dossier.version == 2


def test_bad_paging_parameters_are_refused(source: DemoDossierSource) -> None:
    with pytest.raises(DecisionRejected) as error:
        source.list_dossiers(limit=0)
    assert "limit" in error.value.fields
    with pytest.raises(DecisionRejected):
        source.list_dossiers(limit=501)
    forged = base64.urlsafe_b64encode(b"not json").decode()
    with pytest.raises(DecisionRejected) as error:
        source.list_dossiers(cursor=forged)
    assert "cursor" in error.value.fields


def test_the_catalog_is_listed_once(source: DemoDossierSource, clock: Clock) -> None:
    procedures = source.list_procedures()
    assert {p.code for p in procedures} >= {"1.001193", "1.004873"}
    assert source.list_procedures(updated_since=clock.advance(minutes=1)) == []


def test_unknown_dossiers_and_attachments_are_not_found(source: DemoDossierSource) -> None:
    with pytest.raises(NotFound):
        source.get_dossier("000.00.53.H48-261123-9999")
    with pytest.raises(NotFound):
        source.open_attachment("no-such-file")
    with pytest.raises(NotFound):
        source.submit_decision(accept("000.00.53.H48-261123-9999"))


# --- files ---------------------------------------------------------------------------------


def test_an_attachment_streams_whole_or_from_an_offset(
    source: DemoDossierSource, demos: list[DemoDossier]
) -> None:
    attachment = demos[0].dossier.components[0].attachments[0]
    data = demos[0].files[attachment.remote_id]
    with source.open_attachment(attachment.remote_id) as stream:
        assert stream.size == len(data) == attachment.size
        assert stream.etag == hashlib.sha256(data).hexdigest() == attachment.sha256
        assert b"".join(stream.chunks(1000)) == data
    with source.open_attachment(attachment.remote_id, offset=1234) as stream:
        assert stream.size == len(data) - 1234
        assert b"".join(stream.chunks()) == data[1234:]
    with pytest.raises(ValueError, match="closed"):
        next(stream.chunks())
    with pytest.raises(RangeNotSatisfiable):
        source.open_attachment(attachment.remote_id, offset=len(data))
    with pytest.raises(ValueError):
        source.open_attachment(attachment.remote_id, offset=-1)


# --- decisions -----------------------------------------------------------------------------


def test_a_resent_decision_is_recorded_once(source: DemoDossierSource) -> None:
    code = walk(source)[0].code
    decision = accept(code)
    first = source.submit_decision(decision)
    again = source.submit_decision(decision)
    assert again == first
    assert first.kind is DecisionKind.ACCEPT and first.officer == "demo"
    assert source.get_dossier(code).version == 2
    assert source.decisions() == [first]
    other = walk(source)[1].code
    with pytest.raises(DecisionRejected) as error:
        source.submit_decision(accept(other, decision_id=decision.decision_id))
    assert "decision_id" in error.value.fields


def test_a_stale_or_already_decided_dossier_is_a_conflict(source: DemoDossierSource) -> None:
    code = walk(source)[2].code
    with pytest.raises(DecisionConflict) as stale:
        source.submit_decision(accept(code, version=7))
    assert stale.value.status is DossierStatus.AWAITING_INTAKE and stale.value.version == 1
    source.submit_decision(supplement(code, 1, "Tờ khai chưa được ký số."))
    with pytest.raises(DecisionConflict) as decided:
        source.submit_decision(accept(code, version=2))
    assert decided.value.status is DossierStatus.SUPPLEMENT_REQUESTED
    assert decided.value.version == 2


def test_invalid_decisions_are_rejected_with_the_fields_at_fault(
    source: DemoDossierSource, demos: list[DemoDossier]
) -> None:
    code = demos[0].dossier.code
    no_date = DecisionRequest(dossier_code=code, dossier_version=1, kind=DecisionKind.ACCEPT)
    with pytest.raises(DecisionRejected) as error:
        source.submit_decision(no_date)
    assert set(error.value.fields) == {"appointment_date"}
    with pytest.raises(DecisionRejected) as error:
        source.submit_decision(accept(code, appointment_date=TODAY - timedelta(days=1)))
    assert set(error.value.fields) == {"appointment_date"}
    with pytest.raises(DecisionRejected) as error:
        source.submit_decision(supplement(code, 1, "  "))
    assert set(error.value.fields) == {"reasons"}
    refuse = DecisionRequest(
        dossier_code=code,
        dossier_version=1,
        kind=DecisionKind.REFUSE,
        reasons=("Không thuộc thẩm quyền.",),
        components=("NO_SUCH_COMPONENT",),
    )
    with pytest.raises(DecisionRejected) as error:
        source.submit_decision(refuse)
    assert set(error.value.fields) == {"components"}
    # A component of the procedure that was not submitted may be named (the missing one).
    catalog = {p.code: p for p in source.list_procedures()}
    other = demos[1].dossier
    submitted = {c.spec_code for c in other.components}
    specs = catalog[".".join(other.procedure_code.split(".")[:2])].components
    absent = next(s.code for s in specs if s.code not in submitted)
    named = DecisionRequest(
        dossier_code=other.code,
        dossier_version=1,
        kind=DecisionKind.REQUEST_SUPPLEMENT,
        reasons=("Thiếu thành phần.",),
        components=(absent,),
    )
    assert source.submit_decision(named).status is DossierStatus.SUPPLEMENT_REQUESTED
    assert source.get_dossier(code).version == 1  # nothing recorded for the rejected ones


# --- restarts and resets -------------------------------------------------------------------


def test_decisions_survive_a_restart(
    new_source: Callable[[], DemoDossierSource], clock: Clock
) -> None:
    source = new_source()
    code = walk(source)[4].code
    decision = supplement(code, 1, "Chữ ký số không hợp lệ.")
    receipt = source.submit_decision(decision)
    clock.advance(minutes=1)

    restarted = new_source()
    assert restarted.get_dossier(code).version == 2
    assert restarted.decisions() == [receipt]
    assert restarted.submit_decision(decision) == receipt  # still idempotent
    with pytest.raises(DecisionConflict):
        restarted.submit_decision(accept(code, version=1))
    mark = restarted.list_dossiers().server_time
    assert mark >= receipt.recorded_at


def test_reset_puts_every_dossier_back_in_the_queue(
    new_source: Callable[[], DemoDossierSource], clock: Clock
) -> None:
    source = new_source()
    codes = [i.code for i in walk(source)[:2]]
    source.submit_decision(accept(codes[0]))
    source.submit_decision(supplement(codes[1], 1, "Bổ sung."))
    mark = source.list_dossiers().server_time
    clock.advance(minutes=10)
    source.reset()
    assert source.decisions() == []
    changed = walk(source, updated_since=mark)
    assert {i.code for i in changed} == set(codes)
    assert all(i.status is DossierStatus.AWAITING_INTAKE and i.version == 3 for i in changed)
    # A syncing app sees them again; a trainee can decide them again.
    source.submit_decision(accept(codes[0], version=3))
    assert new_source().get_dossier(codes[0]).status is DossierStatus.ACCEPTED


def test_a_foreign_or_damaged_state_file_starts_afresh(
    tmp_path: Path, demos: list[DemoDossier], clock: Clock
) -> None:
    folder = tmp_path / "state"
    first = DemoDossierSource(folder, dossiers=demos[:6], clock=clock)
    first.submit_decision(accept(demos[0].dossier.code))
    other = DemoDossierSource(folder, dossiers=demos[6:], clock=clock)
    assert other.decisions() == []
    (folder / STATE_FILE).write_text("{ not json", encoding="utf-8")
    damaged = DemoDossierSource(folder, dossiers=demos[:6], clock=clock)
    assert damaged.get_dossier(demos[0].dossier.code).version == 1
    saved = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    assert saved["format"] == 1 and saved["decisions"] == {}


def test_a_generating_source_regenerates_the_same_dossiers_after_a_restart(
    tmp_path: Path, clock: Clock
) -> None:
    folder = tmp_path / "generated"
    source = DemoDossierSource(folder, count=2, seed=11, now=NOW, clock=clock)
    codes = sorted(d.dossier.code for d in source.demo_dossiers)
    receipt = source.submit_decision(accept(codes[0]))
    # Restarted on another day, without saying "as of when": the saved moment is reused.
    restarted = DemoDossierSource(folder, count=2, seed=11, clock=clock)
    assert sorted(i.code for i in walk(restarted)) == codes
    assert restarted.decisions() == [receipt]
    assert restarted.demo_dossier(codes[0]).dossier.code == codes[0]
    assert isinstance(restarted.demo_dossier(codes[1]).guidance_vi, str)


def test_dossiers_kept_by_a_build_without_english_guidance_are_generated_again(
    tmp_path: Path, clock: Clock
) -> None:
    folder = tmp_path / "generated"
    fresh = DemoDossierSource(folder, count=2, seed=11, now=NOW, clock=clock).demo_dossiers
    (kept,) = folder.glob(f"{GENERATED_PREFIX}*.pickle")
    # What the previous build pickled: the same dossiers, without the English guidance.
    stale = []
    for demo in fresh:
        old = object.__new__(DemoDossier)
        old.__dict__.update({k: v for k, v in vars(demo).items() if k != "guidance_en"})
        stale.append(old)
    kept.write_bytes(pickle.dumps(stale))

    restarted = DemoDossierSource(folder, count=2, seed=11, now=NOW, clock=clock)
    assert [d.guidance_en for d in restarted.demo_dossiers] == [d.guidance_en for d in fresh]


def test_appointment_dates_are_checked_against_the_server_day(
    source: DemoDossierSource, clock: Clock
) -> None:
    code = walk(source)[5].code
    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=VN)
    with pytest.raises(DecisionRejected):
        source.submit_decision(accept(code, appointment_date=date(2026, 11, 24)))
    receipt = source.submit_decision(accept(code, appointment_date=date(2026, 11, 25)))
    assert receipt.recorded_at == clock.now


def test_the_app_syncs_test_mode_like_a_server(
    source: DemoDossierSource, demos: list[DemoDossier], tmp_path: Path, clock: Clock
) -> None:
    """The desk's synchroniser pulls every dossier and verified file, then only what changed."""
    from intake_desktop.services.sync import Synchronizer
    from intake_desktop.store import open_store
    from intake_desktop.store.dossiers import cached_attachments, get_dossier, list_dossiers

    with open_store(tmp_path / "intake-test-mode.sqlite3") as store:
        synchronizer = Synchronizer(source, store, tmp_path / "cache")
        first = synchronizer.sync()
        assert first.errors == () and first.dossiers_new == len(demos)
        files = [a for d in list_dossiers(store) for a in cached_attachments(store, d.code)]
        assert first.attachments_downloaded == len(files) == sum(len(d.files) for d in demos)
        for cached in files:
            assert cached.cache_path is not None
            data = cached.cache_path.read_bytes()
            assert hashlib.sha256(data).hexdigest() == cached.attachment.sha256

        code = demos[0].dossier.code
        clock.advance(minutes=3)
        source.submit_decision(accept(code))
        second = synchronizer.sync()
        assert (second.dossiers_new, second.dossiers_updated) == (0, 1)
        stored = get_dossier(store, code)
        assert stored is not None and stored.status is DossierStatus.ACCEPTED


def test_a_restart_loads_the_generated_dossiers_instead_of_signing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_desktop.services import demo_source

    first = DemoDossierSource(tmp_path, count=3, seed=11)
    codes = [s.code for s in first.list_dossiers().items]
    (kept,) = tmp_path.glob("dossiers-*.pickle")

    def no_signing(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("generated again")

    with monkeypatch.context() as patched:
        patched.setattr(demo_source, "generate_dossiers", no_signing)
        again = DemoDossierSource(tmp_path, count=3, seed=11)
        assert [s.code for s in again.list_dossiers().items] == codes
    a = first.demo_dossiers[0]
    b = again.demo_dossiers[0]
    assert a.files == b.files and a.dossier == b.dossier
    # Another seed generates afresh and replaces the copy; a damaged copy is regenerated.
    DemoDossierSource(tmp_path, count=3, seed=12).list_dossiers()
    (replaced,) = tmp_path.glob("dossiers-*.pickle")
    assert replaced != kept
    replaced.write_bytes(b"not a pickle")
    (tmp_path / "demo-source.json").unlink()
    assert len(DemoDossierSource(tmp_path, count=3, seed=12).list_dossiers().items) == 3
