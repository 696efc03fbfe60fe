"""An officer syncs with the training server: dossiers, their files, and faults on the way.

The real training server runs in-thread on a free loopback port; the store is a real SQLite
file in ``tmp_path``. Faults are switched on through the server's training endpoint.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_http_source import (
    PASSWORD,
    Trainer,
    dead_url,
    remembering,
    source_for,
    training_server,
)

from intake_desktop.domain import DecisionKind, DossierStatus, DownloadState
from intake_desktop.services.source import DecisionRequest, SourceUnavailable
from intake_desktop.services.sync import Synchronizer, SyncPhase, SyncProgress
from intake_desktop.store import Store, open_store
from intake_desktop.store.dossiers import cached_attachments, get_dossier, list_dossiers
from intake_desktop.store.sync_state import high_water_mark

DOSSIERS = 6


@pytest.fixture
def server_url() -> Iterator[str]:
    # One server per test: syncs and decisions change its state.
    with training_server(dossiers=DOSSIERS, seed=5) as url:
        yield url


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


def _all_attachments(store: Store) -> list[tuple[str, str, DownloadState]]:
    return [
        (cached.dossier_code, cached.attachment.remote_id, cached.state)
        for dossier in list_dossiers(store)
        for cached in cached_attachments(store, dossier.code)
    ]


def test_a_first_sync_brings_every_dossier_and_verified_files_then_nothing_changes(
    server_url: str, store: Store, tmp_path: Path
) -> None:
    seen: list[SyncProgress] = []
    with source_for(server_url) as source:
        source.login(PASSWORD)
        synchronizer = Synchronizer(source, store, tmp_path / "cache", progress=seen.append)
        first = synchronizer.sync()
        second = synchronizer.sync()

    awaiting = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])
    files = [a for d in awaiting for a in cached_attachments(store, d.code)]
    assert first.dossiers_new == len(list_dossiers(store)) == DOSSIERS
    assert first.errors == () and first.attachments_failed == 0
    assert first.attachments_downloaded == len(files) > 0
    for cached in files:
        assert cached.state is DownloadState.DONE and cached.cache_path is not None
        data = cached.cache_path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == cached.attachment.sha256
        assert cached.cache_path.parent == tmp_path / "cache" / "attachments"
    phases = [p.phase for p in seen]
    assert phases.index(SyncPhase.LISTING) < phases.index(SyncPhase.DETAILS)
    assert phases.index(SyncPhase.DETAILS) < phases.index(SyncPhase.DOWNLOADS)
    assert phases[-1] is SyncPhase.DONE
    assert (second.dossiers_new, second.dossiers_updated, second.attachments_downloaded) == (
        0,
        0,
        0,
    )
    assert second.attachments_skipped == len(files)
    assert first.high_water_mark is not None and second.high_water_mark is not None
    assert second.high_water_mark >= first.high_water_mark
    assert high_water_mark(store, server_url) == second.high_water_mark


def test_a_dossier_decided_at_another_desk_gets_its_new_status(
    server_url: str, store: Store, tmp_path: Path
) -> None:
    with source_for(server_url) as mine, source_for(server_url, "canbo02") as colleague:
        mine.login(PASSWORD)
        colleague.login(PASSWORD)
        synchronizer = Synchronizer(mine, store, tmp_path / "cache")
        synchronizer.sync()
        target = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])[0]
        colleague.submit_decision(
            DecisionRequest(
                target.code, target.version, DecisionKind.REFUSE, reasons=("Không đúng thẩm quyền",)
            )
        )
        result = synchronizer.sync()

    stored = get_dossier(store, target.code)
    assert stored is not None and stored.status is DossierStatus.REFUSED
    assert stored.version > target.version
    assert result.dossiers_updated == 1 and result.dossiers_new == 0


def test_a_download_cut_mid_file_resumes_at_the_next_sync(
    server_url: str, store: Store, tmp_path: Path
) -> None:
    trainer = Trainer(server_url)
    cache = tmp_path / "cache"
    with source_for(server_url) as source:
        source.login(PASSWORD)
        synchronizer = Synchronizer(source, store, cache, max_parallel_downloads=2)
        trainer.faults(cut_download_after_bytes=1000)
        cut = synchronizer.sync()
        partial_sizes = sorted(p.stat().st_size for p in (cache / "partial").glob("*.part"))
        trainer.clear_faults()
        resumed = synchronizer.sync()

    files = [a for d in list_dossiers(store) for a in cached_attachments(store, d.code)]
    longer = [a for a in files if a.attachment.size > 1000]
    assert longer and cut.attachments_failed == len(longer)  # shorter ones came whole
    assert all("will resume" in issue.message for issue in cut.errors)
    assert partial_sizes == [1000] * len(longer)
    assert resumed.attachments_downloaded == cut.attachments_failed
    assert resumed.errors == ()
    assert {state for _, _, state in _all_attachments(store)} <= {DownloadState.DONE}
    assert not list((cache / "partial").iterdir())


def test_a_file_whose_bytes_do_not_match_the_declared_sha256_is_failed_and_kept_visible(
    server_url: str, store: Store, tmp_path: Path
) -> None:
    trainer = Trainer(server_url)
    with source_for(server_url) as source:
        source.login(PASSWORD)
        code = source.list_dossiers(status=DossierStatus.AWAITING_INTAKE, limit=1).items[0].code
        bad = source.get_dossier(code).components[0].attachments[0]
        trainer.faults(wrong_sha256_for=[bad.remote_id])
        result = Synchronizer(source, store, tmp_path / "cache").sync()

    states = {a.attachment.remote_id: a for a in cached_attachments(store, code)}
    assert states[bad.remote_id].state is DownloadState.FAILED
    assert "SHA-256" in (states[bad.remote_id].error or "")
    assert states[bad.remote_id].cache_path is None
    assert [(i.dossier_code, i.attachment_id) for i in result.errors] == [(code, bad.remote_id)]
    assert result.attachments_failed == 1


def test_503_bursts_are_ridden_out_and_expired_tokens_renewed(
    server_url: str, store: Store, tmp_path: Path
) -> None:
    trainer = Trainer(server_url)
    with source_for(server_url, keyring_backend=remembering(server_url)) as source:
        source.login()
        trainer.faults(
            status_burst={"code": 503, "count": 3, "path_prefix": "/api/v1/dossiers"},
            expire_tokens=True,
        )
        result = Synchronizer(source, store, tmp_path / "cache").sync()

    assert result.dossiers_new == DOSSIERS and result.errors == ()


def test_with_the_server_down_a_sync_says_so_and_keeps_what_it_had(
    server_url: str, store: Store, tmp_path: Path
) -> None:
    with source_for(server_url) as source:
        source.login(PASSWORD)
        Synchronizer(source, store, tmp_path / "cache").sync()
    mark = high_water_mark(store, server_url)

    down = dead_url()
    with (
        source_for(down, keyring_backend=remembering(down), max_retries=1) as source,
        pytest.raises(SourceUnavailable),
    ):
        Synchronizer(source, store, tmp_path / "cache", source_name=server_url).sync()

    assert len(list_dossiers(store)) == DOSSIERS
    assert high_water_mark(store, server_url) == mark


def test_a_slow_server_beyond_the_timeout_fails_the_pass_quickly(
    server_url: str, store: Store, tmp_path: Path
) -> None:
    trainer = Trainer(server_url)
    with source_for(server_url, timeout=(0.5, 0.3), max_retries=1) as source:
        source.login(PASSWORD)
        trainer.faults(delay_seconds=1.0)
        with pytest.raises(SourceUnavailable, match="Timeout"):
            Synchronizer(source, store, tmp_path / "cache").sync()
    assert high_water_mark(store, server_url) is None
    time.sleep(1.2)  # let the server finish the answers it holds before it is stopped
