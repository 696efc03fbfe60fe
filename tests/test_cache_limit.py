"""The attachment cache stays under its limit without touching files still needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_desktop.demo.dossiers import DemoDossier, Scenario, generate_dossiers
from intake_desktop.desk import Desk, DeskSettings
from intake_desktop.domain import DecisionKind, DownloadState
from intake_desktop.services.cache_limit import cache_size, prune_cache
from intake_desktop.services.demo_source import DemoDossierSource
from intake_desktop.session import Session, open_test_mode_session
from intake_desktop.store.dossiers import cached_attachments


@pytest.fixture(scope="module")
def demos() -> list[DemoDossier]:
    return generate_dossiers(30, 2)


@pytest.fixture
def session(tmp_path: Path, demos: list[DemoDossier]) -> Iterator[Session]:
    source = DemoDossierSource(tmp_path / "demo", dossiers=demos)
    opened = open_test_mode_session(
        DeskSettings(test_mode=True, cache_limit_mb=0), home=tmp_path, source=source
    )
    yield opened
    opened.close()


def _decide(desk: Desk, code: str, *, send: bool) -> None:
    view = desk.open_dossier(code)
    desk.decide(view, DecisionKind.ACCEPT, appointment_date=desk.suggested_appointment(view))
    if send:
        desk.send_pending()


def test_only_files_of_dossiers_done_with_are_pruned(
    session: Session, demos: list[DemoDossier]
) -> None:
    desk = session.desk
    desk.sync()  # limit 0: prunes what it can, which is nothing yet
    files = desk.cache_dir / "attachments"
    before = cache_size(files)
    assert before > 0
    good = [d.dossier.code for d in demos if d.scenario is Scenario.ALL_GOOD]
    sent, unsent = good[0], good[1]
    report_before = desk.open_dossier(sent).reports
    _decide(desk, sent, send=True)
    _decide(desk, unsent, send=False)
    desk.synchronizer.sync()  # the server now says the first one is accepted
    result = desk.prune_cache()
    assert result.removed_files >= 1 and result.freed_bytes > 0
    # The sent one lost its files but keeps its verdicts; everything else is still there.
    for attachment in cached_attachments(desk.store, sent):
        assert attachment.cache_path is not None and not attachment.cache_path.exists()
        assert attachment.state is DownloadState.DONE
    reopened = desk.open_dossier(sent)
    assert {k: r.verdict for k, r in reopened.reports.items() if r} == {
        k: r.verdict for k, r in report_before.items() if r
    }
    for code in (d.dossier.code for d in demos if d.dossier.code != sent):
        for attachment in cached_attachments(desk.store, code):
            if attachment.cache_path is not None:
                assert attachment.cache_path.exists(), code
    # A later sync does not fetch the pruned files again: the dossier is done with.
    desk.sync()
    for attachment in cached_attachments(desk.store, sent):
        assert attachment.cache_path is not None and not attachment.cache_path.exists()


def test_under_the_limit_nothing_is_removed(tmp_path: Path, session: Session) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"x" * 100)
    result = prune_cache(session.store, folder, 1000)
    assert (result.removed_files, result.remaining_bytes) == (0, 100)
    assert (folder / "a.pdf").exists()
