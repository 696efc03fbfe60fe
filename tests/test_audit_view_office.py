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
