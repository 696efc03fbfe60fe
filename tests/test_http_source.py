"""The HTTP client against the real training server on a free loopback port.

Also home of the helpers the sync and outbox tests share: starting the training server,
switching its faults on, reading what it recorded, and an in-memory keyring.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from test_credentials import MemoryKeyring

from intake_desktop.domain import DecisionKind, DossierStatus
from intake_desktop.server.testing import running_server
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.source import (
    AuthenticationFailed,
    DecisionConflict,
    DecisionRejected,
    DecisionRequest,
    NotFound,
    SourceUnavailable,
)

PASSWORD = "matkhau123"
"""The training server's default password for canbo01…canbo30 and giangvien."""
OFFICER = "canbo01"
TRAINER = "giangvien"


@contextlib.contextmanager
def training_server(**options: Any) -> Iterator[str]:
    """Run the training server in-thread on a free loopback port; yield its base URL."""
    with running_server(**options) as server:
        yield server.url


@dataclass
class Trainer:
    """The trainer's side of the training server: faults and the decisions it recorded."""

    url: str
    _token: str | None = None

    def _headers(self) -> dict[str, str]:
        # Signed in once: signing in is not a training route, so faults would slow it down.
        if self._token is None:
            answer = requests.post(
                f"{self.url}/api/v1/auth/token",
                json={"username": TRAINER, "password": PASSWORD},
                timeout=5,
            )
            answer.raise_for_status()
            self._token = answer.json()["access_token"]
        return {"Authorization": f"Bearer {self._token}"}

    def faults(self, **faults: Any) -> None:
        answer = requests.post(
            f"{self.url}/api/v1/_training/faults", json=faults, headers=self._headers(), timeout=5
        )
        answer.raise_for_status()

    def clear_faults(self) -> None:
        answer = requests.delete(
            f"{self.url}/api/v1/_training/faults", headers=self._headers(), timeout=5
        )
        answer.raise_for_status()

    def decisions(self) -> list[dict[str, Any]]:
        answer = requests.get(
            f"{self.url}/api/v1/_training/decisions", headers=self._headers(), timeout=5
        )
        answer.raise_for_status()
        body = answer.json()
        items = body["items"] if isinstance(body, dict) else body
        assert isinstance(items, list)
        return items


def source_for(
    url: str,
    username: str = OFFICER,
    keyring_backend: MemoryKeyring | None = None,
    **options: Any,
) -> HttpDossierSource:
    """A client with test-sized timeouts and backoff."""
    settings: dict[str, Any] = {"timeout": (0.5, 2.0), "backoff": 0.02, "max_retries": 3}
    settings.update(options)
    return HttpDossierSource(
        url, username, credentials=CredentialStore(keyring_backend or MemoryKeyring()), **settings
    )


def remembering(url: str, username: str = OFFICER) -> MemoryKeyring:
    """A keyring that remembers the officer's password for ``url``."""
    backend = MemoryKeyring()
    CredentialStore(backend).save(url, username, PASSWORD)
    return backend


def dead_url() -> str:
    """A loopback URL where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


# -- the client's own tests -----------------------------------------------------------------


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with training_server(dossiers=6, seed=5) as url:
        yield url


@pytest.fixture
def trainer(server_url: str) -> Iterator[Trainer]:
    trainer = Trainer(server_url)
    trainer.clear_faults()
    yield trainer
    trainer.clear_faults()


def test_an_officer_signs_in_and_reads_the_catalog_the_list_and_a_dossier(
    server_url: str,
) -> None:
    with source_for(server_url) as source:
        officer = source.login(PASSWORD)
        procedures = source.list_procedures()
        page = source.list_dossiers(limit=3)
        dossier = source.get_dossier(page.items[0].code)

    assert officer.username == OFFICER and officer.name
    assert procedures and all(p.components for p in procedures)
    assert len(page.items) == 3 and page.next_cursor is not None
    assert page.server_time.tzinfo is not None
    assert dossier.code == page.items[0].code and dossier.components


def test_paging_with_the_cursor_visits_every_dossier_once(server_url: str) -> None:
    codes: list[str] = []
    with source_for(server_url) as source:
        source.login(PASSWORD)
        cursor = None
        while True:
            page = source.list_dossiers(cursor=cursor, limit=3)
            codes.extend(item.code for item in page.items)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        everything = source.list_dossiers(limit=500)

    assert len(codes) == len(set(codes)) == len(everything.items)


def test_a_wrong_password_is_refused(server_url: str) -> None:
    with source_for(server_url) as source, pytest.raises(AuthenticationFailed):
        source.login("not-the-password")


def test_an_attachment_streams_whole_and_resumes_from_an_offset(server_url: str) -> None:
    with source_for(server_url) as source:
        source.login(PASSWORD)
        dossier = source.get_dossier(source.list_dossiers(limit=1).items[0].code)
        attachment = dossier.components[0].attachments[0]
        with source.open_attachment(attachment.remote_id) as stream:
            whole = b"".join(stream.chunks())
            assert stream.etag == attachment.sha256
            assert stream.size == attachment.size
        with source.open_attachment(attachment.remote_id, offset=100) as stream:
            rest = b"".join(stream.chunks())
            assert stream.size == attachment.size - 100

    assert hashlib.sha256(whole).hexdigest() == attachment.sha256
    assert rest == whole[100:]


def test_unknown_dossiers_and_attachments_are_not_found(server_url: str) -> None:
    with source_for(server_url) as source:
        source.login(PASSWORD)
        with pytest.raises(NotFound):
            source.get_dossier("000.00.00.H00-000000-0000")
        with pytest.raises(NotFound):
            source.open_attachment("no-such-attachment").close()


def test_a_burst_of_503_is_ridden_out(server_url: str, trainer: Trainer) -> None:
    trainer.faults(status_burst={"code": 503, "count": 2, "path_prefix": "/api/v1/dossiers"})
    with source_for(server_url) as source:
        source.login(PASSWORD)
        page = source.list_dossiers(limit=2)
    assert len(page.items) == 2


def test_a_500_is_not_retried(server_url: str, trainer: Trainer) -> None:
    trainer.faults(status_burst={"code": 500, "count": 1, "path_prefix": "/api/v1/dossiers"})
    with source_for(server_url) as source:
        source.login(PASSWORD)
        with pytest.raises(SourceUnavailable, match="500"):
            source.list_dossiers(limit=2)
        assert len(source.list_dossiers(limit=2).items) == 2  # the burst was one answer


def test_an_answer_slower_than_the_timeout_is_unavailable(
    server_url: str, trainer: Trainer
) -> None:
    with source_for(server_url, timeout=(0.5, 0.3), max_retries=1) as source:
        source.login(PASSWORD)
        trainer.faults(delay_seconds=1.0)
        started = time.monotonic()
        with pytest.raises(SourceUnavailable, match="Timeout"):
            source.list_dossiers(limit=1)
    assert time.monotonic() - started < 0.9  # two attempts of 0.3 s, not 1 s each
    time.sleep(1.0)  # let the server finish the answers it holds


def test_expired_tokens_are_renewed_transparently_with_the_remembered_password(
    server_url: str, trainer: Trainer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with source_for(server_url, keyring_backend=remembering(server_url)) as source:
        source.login()
        trainer.faults(expire_tokens=True)
        page = source.list_dossiers(limit=1)

    assert len(page.items) == 1
    assert "signing in again" in caplog.text
    assert PASSWORD not in caplog.text and "Bearer" not in caplog.text


def test_decisions_conflict_and_validation_come_back_as_their_own_errors(
    server_url: str,
) -> None:
    with source_for(server_url) as source:
        source.login(PASSWORD)
        summary = source.list_dossiers(status=DossierStatus.AWAITING_INTAKE, limit=1).items[0]
        with pytest.raises(DecisionRejected) as rejected:
            source.submit_decision(
                DecisionRequest(summary.code, summary.version, DecisionKind.REFUSE)
            )
        with pytest.raises(DecisionConflict) as conflict:
            source.submit_decision(
                DecisionRequest(
                    summary.code, summary.version + 7, DecisionKind.REFUSE, reasons=("Sai mẫu",)
                )
            )

    assert rejected.value.fields
    assert conflict.value.status is DossierStatus.AWAITING_INTAKE
    assert conflict.value.version == summary.version


def test_nothing_listening_is_unavailable() -> None:
    with source_for(dead_url(), max_retries=1) as source, pytest.raises(SourceUnavailable):
        source.login(PASSWORD)
