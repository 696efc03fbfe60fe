"""A supervisor's desk in test mode: the demo unit's other officers, their decisions and
snapshots, through the office-wide sync, the audit tab and the review.

The demo source is the real one over dossiers generated once for the module; the store is
a real SQLite file; every date comes from a fixed clock (never today). Screenshots of the
audit tab and of the review's history go to ``tests/_artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from intake_desktop.clock import VN_TZ, FixedClock, vn_date
from intake_desktop.demo.dossiers import DemoDossier, demo_trust, generate_dossiers
from intake_desktop.demo.history import NEIGHBOUR_OFFICER, UNIT_OFFICERS, Twist
from intake_desktop.desk import Desk, DeskSettings
from intake_desktop.domain import DecisionKind, DecisionOrigin, DownloadState
from intake_desktop.services.audit import AuditFilter, VerdictFilter, apply_filter, load_rows
from intake_desktop.services.demo_source import DemoDossierSource
from intake_desktop.services.source import DecisionConflict, DecisionRejected, DecisionRequest
from intake_desktop.store import Store, open_store
from intake_desktop.store.decision_history import all_decisions
from intake_desktop.store.dossiers import cached_attachments, list_dossiers

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=VN_TZ)
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


@pytest.fixture(scope="module")
def demos() -> list[DemoDossier]:
    return generate_dossiers(12, seed=3, now=NOW - timedelta(hours=1), workers=1)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def source(tmp_path: Path, demos: list[DemoDossier], clock: FixedClock) -> DemoDossierSource:
    return DemoDossierSource(tmp_path / "demo", dossiers=demos, clock=clock.now)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake-test-mode.sqlite3") as opened:
        yield opened


def _desk(
    store: Store, source: DemoDossierSource, tmp: Path, clock: FixedClock, *, supervisor: bool
) -> Desk:
    return Desk(
        store,
        source,
        demo_trust(),
        tmp / "cache",
        DeskSettings(test_mode=True, supervisor=supervisor),
        officer="demo",
        officer_name="Cán bộ tập huấn",
        clock=clock,
    )


def _last_30_days(clock: FixedClock) -> tuple[object, object]:
    today = vn_date(clock.now())
    return today - timedelta(days=30), today


# --- the demo source ---------------------------------------------------------------------


def test_the_demo_unit_has_other_officers_decisions_dated_from_the_clock(
    source: DemoDossierSource, clock: FixedClock
) -> None:
    history = source.office_history
    ours = [h for h in history if h.unit == UNIT_OFFICERS[0].unit]
    first, last = _last_30_days(clock)
    page = source.list_unit_dossiers(submitted_from=first, submitted_to=last, limit=500)  # type: ignore[arg-type]
    listed = {s.code for s in page.items}
    replaced = next(h for h in ours if h.twist is Twist.FILE_REPLACED)
    wrong = next(h for h in ours if h.twist is Twist.ACCEPTED_DESPITE_INVALID)
    record = source.get_dossier(replaced.code).decisions[0]
    served = {a.remote_id: a.sha256 for c in replaced.dossier.components for a in c.attachments}

    assert len(ours) == 12 and {h.officer for h in ours} == set(UNIT_OFFICERS)
    # All in the four weeks before the clock, decided after submission and before now.
    assert all(
        clock.now() - timedelta(days=29) < h.dossier.submitted_at < h.recorded_at < clock.now()
        for h in history
    )
    assert {h.code for h in ours} <= listed and len(listed) == 12 + 12  # with the queue
    # The neighbouring ward's dossiers are never this unit's to list or read.
    neighbours = [h for h in history if h.officer == NEIGHBOUR_OFFICER]
    assert neighbours and not {h.code for h in neighbours} & listed
    with pytest.raises(Exception, match="does not exist"):
        source.get_dossier(neighbours[0].code)
    # The snapshot: per attachment, a SHA-256, a verdict and signers; one names other bytes.
    assert record.officer == replaced.officer.username and record.officer_name
    assert {s.attachment_id for s in record.verdict_snapshot} == set(served)
    assert any(served[s.attachment_id] != s.sha256 for s in record.verdict_snapshot)
    assert wrong.kind is DecisionKind.ACCEPT and wrong.reasons
    assert wrong.scenario.expected_decision is DecisionKind.REQUEST_SUPPLEMENT
    # Decided dossiers cannot be decided again; the range must be a range.
    with pytest.raises(DecisionConflict):
        source.submit_decision(
            DecisionRequest(replaced.code, replaced.dossier.version, DecisionKind.REFUSE, ("x",))
        )
    with pytest.raises(DecisionRejected):
        source.list_unit_dossiers(submitted_from=last, submitted_to=first)  # type: ignore[arg-type]


def test_the_history_keeps_its_dates_and_ids_across_restarts(
    tmp_path: Path, demos: list[DemoDossier], clock: FixedClock
) -> None:
    first = DemoDossierSource(tmp_path / "demo", dossiers=demos, clock=clock.now)
    before = [(h.code, h.decision_id, h.recorded_at) for h in first.office_history]
    clock.advance(timedelta(days=3))  # the class meets again later
    again = DemoDossierSource(tmp_path / "demo", dossiers=demos, clock=clock.now)

    assert [(h.code, h.decision_id, h.recorded_at) for h in again.office_history] == before


# --- the desk --------------------------------------------------------------------------


def test_a_supervisor_desk_in_test_mode_syncs_the_unit_with_every_officers_snapshots(
    store: Store, source: DemoDossierSource, tmp_path: Path, clock: FixedClock
) -> None:
    desk = _desk(store, source, tmp_path, clock, supervisor=True)
    first, last = _last_30_days(clock)
    result = desk.office_sync(first, last)  # type: ignore[arg-type]
    again = desk.office_sync(first, last)  # type: ignore[arg-type]
    decisions = all_decisions(store)
    history = {h.code: h for h in source.office_history}
    decided = [c for c in history if history[c].unit == UNIT_OFFICERS[0].unit]
    fetched = desk.fetch_attachments(decided[:2])
    rows = load_rows(store, demo_trust())
    changed = apply_filter(rows, AuditFilter(verdict=VerdictFilter.FILE_CHANGED_SINCE_DECISION))
    despite = apply_filter(rows, AuditFilter(verdict=VerdictFilter.ACCEPTED_DESPITE_PROBLEMS))
    wrong = next(c for c in decided if history[c].twist is Twist.ACCEPTED_DESPITE_INVALID)
    replaced = next(c for c in decided if history[c].twist is Twist.FILE_REPLACED)
    by_lan = apply_filter(rows, AuditFilter(officer="dothilan"))

    assert result.errors == () and result.dossiers_new == 24 and result.decisions_added == 12
    assert again.dossiers_new == again.decisions_added == 0
    assert {d.officer for d in decisions} == {o.username for o in UNIT_OFFICERS}
    assert all(d.origin is DecisionOrigin.SERVER and d.verdict_snapshot for d in decisions)
    assert NEIGHBOUR_OFFICER.username not in {r.officer for r in rows}
    assert not {h.code for h in history.values() if h.officer == NEIGHBOUR_OFFICER} & {
        d.code for d in list_dossiers(store)
    }
    assert {r.dossier_code for r in changed} == {replaced}
    assert wrong in {r.dossier_code for r in despite}
    assert by_lan and {r.officer_name for r in by_lan} == {"Đỗ Thị Lan"}
    # Files stay on the server until asked for.
    assert result.attachments_downloaded == 0 and fetched.attachments_downloaded > 0
    for code in decided[:2]:
        assert {a.state for a in cached_attachments(store, code)} == {DownloadState.DONE}


def test_an_officer_desk_has_no_office_wide_sync(
    store: Store, source: DemoDossierSource, tmp_path: Path, clock: FixedClock
) -> None:
    desk = _desk(store, source, tmp_path, clock, supervisor=False)
    first, last = _last_30_days(clock)

    assert not desk.is_supervisor
    with pytest.raises(PermissionError):
        desk.office_sync(first, last)  # type: ignore[arg-type]


# --- the window ------------------------------------------------------------------------


def test_the_audit_tab_runs_the_office_sync_and_shows_other_officers(
    qtbot,  # type: ignore[no-untyped-def]
    store: Store,
    source: DemoDossierSource,
    tmp_path: Path,
    clock: FixedClock,
) -> None:
    from PySide6.QtCore import QDate, Qt

    from intake_desktop.ui.audit_view import AuditView

    desk = _desk(store, source, tmp_path, clock, supervisor=True)
    view = AuditView(store, demo_trust(), clock=clock, desk=desk)
    qtbot.addWidget(view)
    view.resize(1366, 720)
    view.show()
    qtbot.waitExposed(view)
    assert view.office is not None and view.office.isVisible()
    today = vn_date(clock.now())
    assert view.office.date_to.date() == QDate(today.year, today.month, today.day)
    assert view.office.range()[0] == today - timedelta(days=30)

    with qtbot.waitSignal(view.loaded, timeout=60_000):
        qtbot.mouseClick(view.office.sync_button, Qt.MouseButton.LeftButton)
    officers = {view.officer.itemText(i) for i in range(1, view.officer.count())}
    status = view.office.status.text()

    assert {f"{o.name} ({o.username})" for o in UNIT_OFFICERS} <= officers
    assert "Hoàng Văn Nam (hoangvannam)" not in officers
    assert "12 quyết định mới" in status and "24 hồ sơ mới" in status
    # Files of the selected dossiers, on demand.
    view.verdict.setCurrentIndex(
        view.verdict.findData(VerdictFilter.FILE_CHANGED_SINCE_DECISION.value)
    )
    assert view.model.rowCount() >= 1
    view.table.selectRow(0)
    code = view.selected_codes()
    with qtbot.waitSignal(view.loaded, timeout=60_000):
        qtbot.mouseClick(view.office.fetch_button, Qt.MouseButton.LeftButton)
    assert "Đã tải" in view.office.status.text()
    assert {a.state for a in cached_attachments(store, code[0])} == {DownloadState.DONE}
    # Re-validated on arrival: the verdict now is known for the fetched files.
    now = {r.verdict_now for r in load_rows(store, demo_trust()) if r.dossier_code == code[0]}
    assert None not in now
    view.verdict.setCurrentIndex(0)
    ARTIFACTS.mkdir(exist_ok=True)
    assert view.grab().save(str(ARTIFACTS / "supervisor-audit-test-mode.png"))


def test_the_office_sync_is_hidden_from_an_officer_and_errors_are_told(
    qtbot,  # type: ignore[no-untyped-def]
    store: Store,
    source: DemoDossierSource,
    tmp_path: Path,
    clock: FixedClock,
) -> None:
    from intake_desktop.ui.audit_view import AuditView

    desk = _desk(store, source, tmp_path, clock, supervisor=False)
    view = AuditView(store, demo_trust(), clock=clock, desk=desk)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.office is not None and not view.office.isVisible()
    # The setting turned on in the session: the tab shows the action when next shown.
    desk.apply_settings(DeskSettings(test_mode=True, supervisor=True))
    view.hide()
    view.show()
    assert view.office.isVisible()
    # An error in the supervisor's words, not a file error (PermissionError is an OSError).
    words = view.office.office_error_text(PermissionError("no"))
    assert "giám sát" in words and "tệp" not in words
    view.office.date_from.setDate(view.office.date_to.date().addDays(1))
    view.office.start_sync()
    assert "Ngày bắt đầu" in view.office.status.text()
    # Without a selection there is nothing to download.
    view.office.start_fetch()
    assert "Hãy chọn hồ sơ" in view.office.status.text()


def test_the_review_shows_the_decision_history_and_flags_the_replaced_file(
    qtbot,  # type: ignore[no-untyped-def]
    store: Store,
    source: DemoDossierSource,
    tmp_path: Path,
    clock: FixedClock,
) -> None:
    from PySide6.QtCore import Qt

    from intake_desktop.ui.decision_history_model import FLAG, OFFICER, ORIGIN, SHA
    from intake_desktop.ui.review import ReviewWidget

    desk = _desk(store, source, tmp_path, clock, supervisor=True)
    first, last = _last_30_days(clock)
    desk.office_sync(first, last)  # type: ignore[arg-type]
    replaced = next(h for h in source.office_history if h.twist is Twist.FILE_REPLACED)
    desk.fetch_attachments([replaced.code])
    review = ReviewWidget(desk, replaced.code)
    qtbot.addWidget(review)
    review.resize(1366, 768)
    review.show()
    with qtbot.waitSignal(review.loaded, timeout=60_000):
        pass
    history = review.decision_history
    snapshots = review.snapshots.rows()
    flagged = [r for r in snapshots if r.file_changed]

    assert review.decisions_panel.isVisible() and history.rowCount() == 1
    assert str(history.index(0, OFFICER).data()) == (
        f"{replaced.officer.name} ({replaced.officer.username})"
    )
    assert history.index(0, ORIGIN).data() == "hệ thống"
    assert len(flagged) == 1 and len(snapshots) >= 1
    row = snapshots.index(flagged[0])
    cell = review.snapshots.index(row, SHA)
    assert " ≠ " in str(cell.data())
    assert review.snapshots.data(cell, Qt.ItemDataRole.ForegroundRole) == FLAG
    assert "tệp đã khác" in review.snapshot_title.text()
    assert review.decision_history_view.height() > 3 * review.decision_history_view.rowHeight(0)
    qtbot.wait(1500)  # the page from the render process
    ARTIFACTS.mkdir(exist_ok=True)
    assert review.grab().save(str(ARTIFACTS / "supervisor-review-history.png"))


def test_a_dossier_nobody_decided_has_no_history_panel(
    qtbot,  # type: ignore[no-untyped-def]
    store: Store,
    source: DemoDossierSource,
    tmp_path: Path,
    clock: FixedClock,
) -> None:
    from intake_desktop.ui.review import ReviewWidget

    desk = _desk(store, source, tmp_path, clock, supervisor=False)
    desk.sync()
    code = next(d.code for d in list_dossiers(store))
    review = ReviewWidget(desk, code)
    qtbot.addWidget(review)
    review.show()
    with qtbot.waitSignal(review.loaded, timeout=60_000):
        pass

    assert not review.decisions_panel.isVisible() and review.history == []


def test_the_settings_offer_the_supervisor_role_only_in_test_mode(
    qtbot,  # type: ignore[no-untyped-def]
    store: Store,
) -> None:
    from intake_desktop.ui.app_settings import AppSettings
    from intake_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(AppSettings(test_mode=True), store)
    qtbot.addWidget(dialog)
    box = dialog.test_supervisor
    assert box.text() == "Đóng vai giám sát viên (chế độ thử)" and box.isEnabled()
    box.setChecked(True)
    assert dialog.result_settings().test_supervisor
    dialog.test_mode.setChecked(False)
    assert not box.isEnabled() and not dialog.result_settings().test_supervisor

    live = SettingsDialog(AppSettings(server_url="https://dvc.example.gov.vn"), store)
    qtbot.addWidget(live)
    assert not live.test_supervisor.isEnabled()
