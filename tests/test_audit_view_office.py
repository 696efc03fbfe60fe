"""The audit view over an office's decisions: other officers' desks, synced from the server.

A real training server with a seeded history (several officers' desks decided dossiers, one
snapshot names a file other than the one served now); the store is a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from test_http_source import PASSWORD, source_for

from intake_desktop.demo.dossiers import demo_trust
from intake_desktop.server.seed import SEED_OFFICERS
from intake_desktop.server.testing import running_server
from intake_desktop.services.audit import VerdictFilter
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import open_store

ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


def test_the_view_lists_every_officer_by_name_and_flags_a_replaced_file(
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtCore import Qt

    from intake_desktop.ui.audit_model import OFFICER, THEN
    from intake_desktop.ui.audit_view import AuditView

    with (
        running_server(dossiers=8, seed=3, decided=4) as server,
        open_store(tmp_path / "intake.sqlite3") as store,
    ):
        with source_for(server.url, "giamsat") as source:
            source.login(PASSWORD)
            Synchronizer(source, store, tmp_path / "cache").sync()
        view = AuditView(store, demo_trust())
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.loaded, timeout=30_000):
            view.reload()

        officers = {
            view.officer.itemData(i): view.officer.itemText(i)
            for i in range(1, view.officer.count())
        }
        view.verdict.setCurrentIndex(
            view.verdict.findData(VerdictFilter.FILE_CHANGED_SINCE_DECISION.value)
        )
        shown = view.model.rows()
        then = view.model.index(0, THEN)
        officer_cell = view.model.index(0, OFFICER)

        assert set(officers) <= set(SEED_OFFICERS) and len(officers) > 1
        assert all(
            text.endswith(f"({username})") and len(text) > len(username) + 2
            for username, text in officers.items()
        )
        assert len(shown) == 1 and shown[0].file_changed
        assert str(view.model.data(then)).endswith("≠")
        assert view.model.data(then, Qt.ItemDataRole.ForegroundRole).name() == "#c62828"
        assert shown[0].officer in str(view.model.data(officer_cell))
        tooltip = str(view.model.data(then, Qt.ItemDataRole.ToolTipRole))
        assert "không còn là tệp cán bộ đã xem" in tooltip


def test_the_supervisor_signed_in_as_giamsat_syncs_the_office_from_the_audit_tab(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """The real window's action against the real training server: the role from the sign-in,
    the range from the seeded submissions (never from today), the history in the review."""
    from PySide6.QtCore import QDate, Qt

    from intake_desktop.clock import FixedClock, vn_date
    from intake_desktop.desk import Desk
    from intake_desktop.server.accounts import SUPERVISOR_USERNAME
    from intake_desktop.store.dossiers import list_dossiers
    from intake_desktop.ui.audit_view import AuditView
    from intake_desktop.ui.review import ReviewWidget

    with (
        running_server(dossiers=8, seed=3, decided=4) as server,
        open_store(tmp_path / "intake.sqlite3") as store,
        source_for(server.url, SUPERVISOR_USERNAME) as source,
    ):
        officer = source.login(PASSWORD)
        listed = source.list_dossiers(limit=500).items
        days = sorted(vn_date(s.submitted_at) for s in listed)
        last_change = max(s.updated_at for s in listed)
        desk = Desk(
            store,
            source,
            demo_trust(),
            tmp_path / "cache",
            officer=SUPERVISOR_USERNAME,
            supervisor=officer.supervisor,
            clock=FixedClock(last_change),
        )
        view = AuditView(store, demo_trust(), clock=desk.clock, desk=desk)
        qtbot.addWidget(view)
        view.resize(1366, 720)
        view.show()
        qtbot.waitExposed(view)
        assert view.office is not None and view.office.isVisible()
        for edit, day in ((view.office.date_from, days[0]), (view.office.date_to, days[-1])):
            edit.setDate(QDate(day.year, day.month, day.day))
        with qtbot.waitSignal(view.loaded, timeout=60_000):
            qtbot.mouseClick(view.office.sync_button, Qt.MouseButton.LeftButton)
        officers = {view.officer.itemData(i) for i in range(1, view.officer.count())}
        view.verdict.setCurrentIndex(
            view.verdict.findData(VerdictFilter.FILE_CHANGED_SINCE_DECISION.value)
        )
        changed = view.model.rows()
        view.verdict.setCurrentIndex(0)
        ARTIFACTS.mkdir(exist_ok=True)
        assert view.grab().save(str(ARTIFACTS / "supervisor-audit-training-server.png"))

        assert officer.supervisor and set(SEED_OFFICERS) >= officers and len(officers) > 1
        assert len(list_dossiers(store)) == len(listed)
        assert "4 quyết định mới" in view.office.status.text()
        assert len(changed) == 1

        review = ReviewWidget(desk, changed[0].dossier_code)
        qtbot.addWidget(review)
        review.resize(1366, 768)
        review.show()
        with qtbot.waitSignal(review.loaded, timeout=60_000):
            pass
        rows = review.snapshots.rows()
        assert review.decisions_panel.isVisible()
        assert review.decision_history.rowCount() == 1
        assert review.history[0].officer in SEED_OFFICERS
        assert [r.file_changed for r in rows].count(True) == 1
        qtbot.wait(500)  # the layout settles after the texts changed
        assert review.grab().save(str(ARTIFACTS / "supervisor-review-training-server.png"))
