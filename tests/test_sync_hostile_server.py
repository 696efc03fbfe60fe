"""Sync against a server that sends hostile names and lies about sizes.

Uses the scripted loopback server of ``test_http_source_misbehaving`` (real HTTP).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_http_source_misbehaving import (
    PASSWORD,
    TOKEN,
    MemoryKeyring,
    Reply,
    ScriptedServer,
)

from intake_desktop.domain import DownloadState
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.sync import Synchronizer, SyncPhase, SyncProgress
from intake_desktop.store import Store, open_store
from intake_desktop.store.dossiers import cached_attachments

NOW = "2026-11-20T08:15:00+07:00"
PDF = b"%PDF-1.7\n" + b"0" * 3000 + b"\n%%EOF\n"
SHA = hashlib.sha256(PDF).hexdigest()


def _attachment(remote_id: str, file_name: str, size: int = len(PDF), sha: str = SHA) -> dict:
    return {
        "id": remote_id,
        "file_name": file_name,
        "media_type": "application/pdf",
        "size": size,
        "sha256": sha,
    }


def _dossier(code: str, *attachments: dict) -> dict:
    return {
        "code": code,
        "procedure_code": "1.001193.000.00.00.H48",
        "procedure_name": "Đăng ký khai sinh",
        "submitted_at": NOW,
        "status": "awaiting_intake",
        "national_status_code": 1,
        "channel": 2,
        "version": 1,
        "updated_at": NOW,
        "applicant": {
            "name": "Phạm Thị Dung",
            "citizen_id": "048190001234",
            "birth_date": None,
            "phone": None,
            "email": None,
            "address": None,
        },
        "components": [
            {
                "spec_code": "KS_TK",
                "name": "Tờ khai",
                "copy_kind": "original",
                "attachments": list(attachments),
            }
        ],
    }


def _summary(code: str) -> dict:
    return {
        "code": code,
        "procedure_code": "1.001193.000.00.00.H48",
        "procedure_name": "Đăng ký khai sinh",
        "applicant_name": "Phạm Thị Dung",
        "applicant_citizen_id": "048190001234",
        "submitted_at": NOW,
        "status": "awaiting_intake",
        "national_status_code": 1,
        "version": 1,
        "updated_at": NOW,
        "component_count": 1,
    }


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        running.on("POST", "/api/v1/auth/token", Reply(200, TOKEN))
        yield running


def _sync(server: ScriptedServer, store: Store, cache: Path, **options: int) -> None:
    with HttpDossierSource(
        server.url,
        "canbo01",
        credentials=CredentialStore(MemoryKeyring()),
        timeout=(0.5, 1.0),
        backoff=0.01,
    ) as source:
        source.login(PASSWORD)
        Synchronizer(source, store, cache, **options).sync()  # type: ignore[arg-type]


def test_server_supplied_names_never_become_paths(
    server: ScriptedServer, store: Store, tmp_path: Path
) -> None:
    code = "000.00.53.H48-261120-0001"
    server.on(
        "GET",
        "/api/v1/dossiers",
        Reply(200, {"items": [_summary(code)], "next_cursor": None, "server_time": NOW}),
    )
    server.on(
        "GET",
        f"/api/v1/dossiers/{code}",
        Reply(
            200,
            _dossier(
                code,
                _attachment("../../etc/passwd", "../../etc/passwd"),
                _attachment("f-2", "C:\\Windows\\system32\\run.exe"),
            ),
        ),
    )
    served = Reply(200, raw=PDF, headers={"ETag": f'"{SHA}"', "Content-Type": "application/pdf"})
    server.on("GET", "/api/v1/attachments/..%2F..%2Fetc%2Fpasswd/content", served)
    server.on("GET", "/api/v1/attachments/f-2/content", served)
    cache = tmp_path / "deep" / "cache"

    _sync(server, store, cache)

    attachments = cached_attachments(store, code)
    assert [a.state for a in attachments] == [DownloadState.DONE, DownloadState.DONE]
    for attachment in attachments:
        assert attachment.cache_path == cache / "attachments" / f"{SHA}.pdf"
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert f"deep/cache/attachments/{SHA}.pdf" in files
    assert not any("passwd" in name or name.endswith(".exe") for name in files)


def test_files_over_the_limit_fail_without_being_downloaded(
    server: ScriptedServer, store: Store, tmp_path: Path
) -> None:
    code = "000.00.53.H48-261120-0002"
    big = b"%PDF" + b"x" * 5000
    server.on(
        "GET",
        "/api/v1/dossiers",
        Reply(200, {"items": [_summary(code)], "next_cursor": None, "server_time": NOW}),
    )
    server.on(
        "GET",
        f"/api/v1/dossiers/{code}",
        Reply(
            200,
            _dossier(
                code,
                _attachment("declared-big", "a.pdf", size=10_000_000, sha="a" * 64),
                # Declared small, but the server sends more: stopped at the Content-Length.
                _attachment("sent-big", "b.pdf", size=100, sha=hashlib.sha256(big).hexdigest()),
            ),
        ),
    )
    server.on("GET", "/api/v1/attachments/sent-big/content", Reply(200, raw=big))

    _sync(server, store, tmp_path / "cache", max_attachment_bytes=4096)

    states = {a.attachment.remote_id: a for a in cached_attachments(store, code)}
    assert states["declared-big"].state is DownloadState.FAILED
    assert states["declared-big"].error is not None and "too large" in states["declared-big"].error
    assert server.count("GET", "/api/v1/attachments/declared-big/content") == 0
    assert states["sent-big"].state is DownloadState.FAILED
    assert "too large" in (states["sent-big"].error or "")
    assert not list((tmp_path / "cache").rglob("*.part"))


def test_a_cut_download_resumes_where_it_stopped_and_is_verified(
    server: ScriptedServer, store: Store, tmp_path: Path
) -> None:
    code = "000.00.53.H48-261120-0003"
    server.on(
        "GET",
        "/api/v1/dossiers",
        Reply(200, {"items": [_summary(code)], "next_cursor": None, "server_time": NOW}),
    )
    server.on(
        "GET", f"/api/v1/dossiers/{code}", Reply(200, _dossier(code, _attachment("f-1", "a.pdf")))
    )
    tag = {"ETag": f'"{SHA}"'}
    server.on(
        "GET",
        "/api/v1/attachments/f-1/content",
        Reply(200, raw=PDF, headers=tag, cut_after=1000),
        Reply(200, raw=PDF, headers=tag, ranged=True),
    )
    cache = tmp_path / "cache"

    _sync(server, store, cache)

    [attachment] = cached_attachments(store, code)
    assert attachment.state is DownloadState.PENDING
    assert "interrupted after 1000 bytes" in (attachment.error or "")
    assert [p.stat().st_size for p in cache.rglob("*.part")] == [1000]

    _sync(server, store, cache)

    [attachment] = cached_attachments(store, code)
    assert attachment.state is DownloadState.DONE and attachment.error is None
    assert attachment.cache_path is not None and attachment.cache_path.read_bytes() == PDF
    assert server.seen[-1].headers["Range"] == "bytes=1000-"
    assert not list(cache.rglob("*.part")) and not list(cache.rglob("*.etag"))


def test_a_partial_file_of_bytes_that_changed_on_the_server_is_not_resumed(
    server: ScriptedServer, store: Store, tmp_path: Path
) -> None:
    code = "000.00.53.H48-261120-0004"
    server.on(
        "GET",
        "/api/v1/dossiers",
        Reply(200, {"items": [_summary(code)], "next_cursor": None, "server_time": NOW}),
    )
    server.on(
        "GET", f"/api/v1/dossiers/{code}", Reply(200, _dossier(code, _attachment("f-1", "a.pdf")))
    )
    server.on(
        "GET",
        "/api/v1/attachments/f-1/content",
        Reply(200, raw=b"X" * len(PDF), headers={"ETag": '"old"'}, cut_after=1000),
        Reply(200, raw=PDF, headers={"ETag": f'"{SHA}"'}, ranged=True),
    )
    cache = tmp_path / "cache"

    _sync(server, store, cache)
    _sync(server, store, cache)

    [attachment] = cached_attachments(store, code)
    assert attachment.state is DownloadState.DONE
    assert attachment.cache_path is not None and attachment.cache_path.read_bytes() == PDF
    ranges = [s.headers.get("Range") for s in server.seen if s.path.endswith("/content")]
    assert ranges == [None, "bytes=1000-", None]  # resumed, saw another ETag, started again


def test_a_cancelled_pass_stops_and_leaves_the_files_for_the_next_one(
    server: ScriptedServer, store: Store, tmp_path: Path
) -> None:
    code = "000.00.53.H48-261120-0005"
    server.on(
        "GET",
        "/api/v1/dossiers",
        Reply(200, {"items": [_summary(code)], "next_cursor": None, "server_time": NOW}),
    )
    server.on(
        "GET", f"/api/v1/dossiers/{code}", Reply(200, _dossier(code, _attachment("f-1", "a.pdf")))
    )
    server.on("GET", "/api/v1/attachments/f-1/content", Reply(200, raw=PDF))
    with HttpDossierSource(
        server.url, "canbo01", credentials=CredentialStore(MemoryKeyring()), timeout=(0.5, 1.0)
    ) as source:
        source.login(PASSWORD)
        running: list[Synchronizer] = []

        def cancel_at_downloads(progress: SyncProgress) -> None:
            if progress.phase is SyncPhase.DOWNLOADS:
                running[0].cancel()  # as the UI would, from another thread

        running.append(
            Synchronizer(source, store, tmp_path / "cache", progress=cancel_at_downloads)
        )
        cancelled = running[0].sync()
        finished = Synchronizer(source, store, tmp_path / "cache").sync()

    assert cancelled.cancelled and cancelled.dossiers_new == 1
    assert cancelled.attachments_downloaded == 0
    assert finished.attachments_downloaded == 1 and not finished.cancelled
