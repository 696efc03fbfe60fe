"""The trainer injects network trouble and the client really sees it.

Each fault of ``POST /api/v1/_training/faults`` is observed from the client's side: failed
answers, late answers, a body cut short of its Content-Length, a declared SHA-256 that does
not match the bytes, tokens that stop working.
"""

from __future__ import annotations

import hashlib
import http.client
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from test_server_support import DOSSIERS, SEED, TRAINER, Client

from intake_desktop.server.testing import ServerHandle, running_server


@pytest.fixture(scope="module")
def server() -> Iterator[ServerHandle]:
    with running_server(dossiers=DOSSIERS, seed=SEED, fault_injection=True) as server:
        yield server


@pytest.fixture
def trainer(server: ServerHandle) -> Iterator[Client]:
    with Client(server.url, TRAINER) as trainer:
        trainer.delete("/api/v1/_training/faults").raise_for_status()
        yield trainer
        trainer.delete("/api/v1/_training/faults").raise_for_status()


@pytest.fixture
def officer(server: ServerHandle) -> Iterator[Client]:
    with Client(server.url) as officer:
        yield officer


def _faults(trainer: Client, **faults: Any) -> dict[str, Any]:
    answer = trainer.post("/api/v1/_training/faults", json=faults)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert isinstance(body, dict)
    return body


def _attachment(officer: Client) -> dict[str, Any]:
    code = officer.all_summaries()[0]["code"]
    attachment = officer.get(f"/api/v1/dossiers/{code}").json()["components"][0]["attachments"][0]
    assert isinstance(attachment, dict)
    return attachment


def test_without_fault_injection_the_fault_route_is_not_found() -> None:
    with (
        running_server(dossiers=DOSSIERS, seed=SEED, fault_injection=False) as server,
        Client(server.url, TRAINER) as trainer,
    ):
        answer = trainer.post("/api/v1/_training/faults", json={"delay_seconds": 5})
    assert answer.status_code == 404
    assert "--fault-injection" in answer.json()["message"]


def test_a_status_burst_fails_the_next_matching_requests_then_stops(
    trainer: Client, officer: Client
) -> None:
    _faults(
        trainer,
        status_burst={"code": 503, "count": 2, "path_prefix": "/api/v1/dossiers", "retry_after": 3},
    )
    elsewhere = officer.get("/api/v1/procedures")
    failed = [officer.get("/api/v1/dossiers") for _ in range(2)]
    recovered = officer.get("/api/v1/dossiers")

    assert elsewhere.status_code == 200  # not under the prefix
    assert [answer.status_code for answer in failed] == [503, 503]
    assert failed[0].headers["Retry-After"] == "3"
    assert failed[0].json()["error"] == "server_error"
    assert recovered.status_code == 200
    assert trainer.get("/api/v1/_training/faults").json()["status_burst"] is None


def test_a_500_burst_also_fails_a_decision_before_it_is_recorded(
    server: ServerHandle, trainer: Client, officer: Client
) -> None:
    code = officer.all_summaries(status="awaiting_intake")[0]["code"]
    _faults(trainer, status_burst={"code": 500, "count": 1})
    answer = officer.post(
        f"/api/v1/dossiers/{code}/decisions",
        json={"dossier_version": 1, "kind": "refuse", "reasons": ["x"]},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 500 and "Retry-After" not in answer.headers
    assert [d for d in server.decisions() if d["dossier_code"] == code] == []


def test_a_delay_holds_every_answer_but_the_trainers(trainer: Client, officer: Client) -> None:
    _faults(trainer, delay_seconds=0.6)
    started = time.monotonic()
    slow = officer.get("/api/v1/procedures")
    slow_seconds = time.monotonic() - started
    with pytest.raises(requests.exceptions.ReadTimeout):
        officer.get("/api/v1/dossiers", timeout=(1, 0.2))
    started = time.monotonic()
    trainer.get("/api/v1/_training/faults")
    trainer_seconds = time.monotonic() - started

    assert slow.status_code == 200 and slow_seconds >= 0.6
    assert trainer_seconds < 0.5


def test_a_download_is_cut_short_of_its_content_length(trainer: Client, officer: Client) -> None:
    attachment = _attachment(officer)
    path = f"/api/v1/attachments/{attachment['id']}/content"
    whole = officer.get(path).content
    _faults(trainer, cut_download_after_bytes=1000)

    # On the wire: the headers promise the whole file, the connection ends after 1000 bytes.
    status, length, received, complete = _raw_get(officer, path)
    resumed = _raw_get(officer, path, offset=1000)
    # And what an HTTP library makes of it.
    with (
        officer.get(path, stream=True) as streamed,
        pytest.raises(requests.exceptions.ChunkedEncodingError),
    ):
        b"".join(streamed.iter_content(256))

    assert (status, length, complete) == (200, attachment["size"], False)
    assert received == whole[:1000]
    assert resumed == (206, attachment["size"] - 1000, whole[1000:2000], False)


def _raw_get(client: Client, path: str, offset: int = 0) -> tuple[int, int, bytes, bool]:
    """GET over a bare connection: (status, Content-Length, body received, body complete)."""
    parts = urlsplit(client.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    headers = {"Authorization": str(client.http.headers["Authorization"])}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        length = int(response.getheader("Content-Length") or -1)
        try:
            return response.status, length, response.read(), True
        except http.client.IncompleteRead as error:
            return response.status, length, error.partial, False
    finally:
        connection.close()


def test_a_wrong_sha256_is_declared_for_the_named_attachments_only(
    trainer: Client, officer: Client
) -> None:
    dossiers = [
        officer.get(f"/api/v1/dossiers/{d['code']}").json() for d in officer.all_summaries()
    ]
    code, attachments = next(
        (d["code"], files)
        for d in dossiers
        if len(files := [a for c in d["components"] for a in c["attachments"]]) >= 2
    )
    bad, good = attachments[0], attachments[1]
    _faults(trainer, wrong_sha256_for=[bad["id"]])
    after = officer.get(f"/api/v1/dossiers/{code}").json()
    declared = {a["id"]: a["sha256"] for c in after["components"] for a in c["attachments"]}
    served = officer.get(f"/api/v1/attachments/{bad['id']}/content")

    assert declared[good["id"]] == good["sha256"]
    assert declared[bad["id"]] != bad["sha256"] and len(declared[bad["id"]]) == 64
    assert served.headers["ETag"] == f'"{declared[bad["id"]]}"'
    assert hashlib.sha256(served.content).hexdigest() == bad["sha256"] != declared[bad["id"]]


def test_expiring_tokens_signs_every_officer_out_but_not_the_trainer(
    server: ServerHandle, trainer: Client, officer: Client
) -> None:
    with Client(server.url, "canbo02") as colleague:
        expired = _faults(trainer, expire_tokens=True)["expired_tokens"]
        answers = [officer.get("/api/v1/dossiers"), colleague.get("/api/v1/dossiers")]
    with Client(server.url) as signed_in_again:
        fresh = signed_in_again.get("/api/v1/dossiers")

    assert expired >= 2
    assert [a.status_code for a in answers] == [401, 401]
    assert answers[0].json()["error"] == "unauthorized"
    assert trainer.get("/api/v1/_training/faults").status_code == 200
    assert fresh.status_code == 200


def test_a_post_changes_only_the_faults_it_names_and_delete_clears_all(
    trainer: Client,
) -> None:
    _faults(trainer, delay_seconds=0.01, cut_download_after_bytes=10)
    merged = _faults(trainer, wrong_sha256_for=["x"], cut_download_after_bytes=None)
    cleared = trainer.delete("/api/v1/_training/faults").json()

    assert merged["delay_seconds"] == 0.01 and merged["cut_download_after_bytes"] is None
    assert merged["wrong_sha256_for"] == ["x"]
    assert cleared["delay_seconds"] == 0 and cleared["wrong_sha256_for"] == []


@pytest.mark.parametrize(
    ("faults", "field"),
    [
        ({"status_burst": {"code": 404, "count": 1}}, "status_burst.code"),
        ({"status_burst": {"code": 503, "count": -1}}, "status_burst.count"),
        ({"status_burst": {"code": 503, "paths": "/"}}, "status_burst"),
        ({"delay_seconds": "slow"}, "delay_seconds"),
        ({"delay_seconds": 1e9}, "delay_seconds"),
        ({"cut_download_after_bytes": -5}, "cut_download_after_bytes"),
        ({"wrong_sha256_for": "a1"}, "wrong_sha256_for"),
        ({"expire_tokens": "yes"}, "expire_tokens"),
        ({"drop_packets": True}, "drop_packets"),
    ],
)
def test_invalid_faults_are_422(trainer: Client, faults: dict[str, Any], field: str) -> None:
    answer = trainer.post("/api/v1/_training/faults", json=faults)
    assert answer.status_code == 422 and field in answer.json()["fields"]
