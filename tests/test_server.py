"""The training server answers officers as the contract says: sign-in, lists, files, decisions.

A real server runs on a free loopback port over a real SQLite file, seeded with demo dossiers;
``requests`` is the client. Tests that change the server get a fresh one (a copy of the
seeded data: milliseconds).
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from test_server_support import (
    DOSSIERS,
    OFFICER,
    PASSWORD,
    SEED,
    TRAINER,
    Client,
    appointment_text,
)

from intake_desktop.server.db import ServerDataError
from intake_desktop.server.models import VN_TZ
from intake_desktop.server.seed import prepare_data_dir
from intake_desktop.server.testing import ServerHandle, running_server
from intake_desktop.store.catalog import read_catalog


@pytest.fixture(scope="module")
def shared() -> Iterator[ServerHandle]:
    """A server the read-only tests share."""
    with running_server(dossiers=DOSSIERS, seed=SEED) as server:
        yield server


@pytest.fixture
def server() -> Iterator[ServerHandle]:
    """A server of one's own, for tests that decide dossiers."""
    with running_server(dossiers=DOSSIERS, seed=SEED) as server:
        yield server


@pytest.fixture
def officer(server: ServerHandle) -> Iterator[Client]:
    with Client(server.url) as client:
        yield client


def _awaiting(client: Client) -> dict[str, Any]:
    return client.all_summaries(status="awaiting_intake")[0]


def _decide(
    client: Client, code: str, body: dict[str, Any], key: str | None = None
) -> requests.Response:
    return client.post(
        f"/api/v1/dossiers/{code}/decisions",
        json=body,
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def _accept(version: int = 1) -> dict[str, Any]:
    return {"dossier_version": version, "kind": "accept", "appointment_date": appointment_text()}


# -- signing in ---------------------------------------------------------------------------


def test_an_officer_signs_in_for_a_five_minute_bearer_token(shared: ServerHandle) -> None:
    with Client(shared.url) as client:
        token = client.token_document

    assert token["token_type"] == "Bearer" and len(token["access_token"]) >= 40
    assert token["expires_in"] == 300
    expires_at = datetime.fromisoformat(token["expires_at"])
    assert expires_at.utcoffset() == timedelta(hours=7)
    assert token["officer"] == {
        "username": "canbo01",
        "name": "Nguyễn Thị Lan",
        "unit": "Bộ phận Một cửa UBND phường Dịch Vọng (DEMO)",
        "roles": ["officer"],
    }


@pytest.mark.parametrize(
    ("username", "password"), [(OFFICER, "sai-mat-khau"), ("canbo99", PASSWORD), ("", "")]
)
def test_wrong_credentials_are_refused(shared: ServerHandle, username: str, password: str) -> None:
    answer = requests.post(
        f"{shared.url}/api/v1/auth/token",
        json={"username": username, "password": password},
        timeout=10,
    )
    expected = 422 if not username else 401
    assert answer.status_code == expected
    assert answer.json()["error"] == ("validation" if expected == 422 else "unauthorized")


def test_a_sign_in_body_with_unknown_fields_or_not_json_is_422(shared: ServerHandle) -> None:
    url = f"{shared.url}/api/v1/auth/token"
    extra = requests.post(
        url, json={"username": OFFICER, "password": PASSWORD, "otp": "1"}, timeout=10
    )
    garbage = requests.post(url, data=b"{not json", timeout=10)

    assert extra.status_code == 422 and extra.json()["fields"] == {"otp": "unknown field"}
    assert garbage.status_code == 422 and "body" in garbage.json()["fields"]


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer not-a-token", "Basic eA=="])
def test_without_a_valid_token_the_api_answers_401(
    shared: ServerHandle, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for path in ("/api/v1/procedures", "/api/v1/dossiers", "/api/v1/_training/decisions"):
        answer = requests.get(f"{shared.url}{path}", headers=headers, timeout=10)
        assert answer.status_code == 401, path
        assert answer.json()["error"] == "unauthorized"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_expires_after_its_lifetime(tmp_path: Path) -> None:
    with (
        running_server(tmp_path, dossiers=DOSSIERS, seed=SEED, token_ttl=1) as server,
        Client(server.url) as client,
    ):
        assert client.token_document["expires_in"] == 1
        assert client.get("/api/v1/dossiers").status_code == 200
        time.sleep(1.1)
        expired = client.get("/api/v1/dossiers")

    assert expired.status_code == 401
    assert expired.json() == {"error": "unauthorized", "message": "token expired; sign in again"}


# -- catalog and lists --------------------------------------------------------------------


def test_the_catalog_is_served_with_component_requirements(shared: ServerHandle) -> None:
    _, catalog = read_catalog()
    with Client(shared.url) as client:
        body = client.get("/api/v1/procedures").json()
        later = client.get(
            "/api/v1/procedures", params={"updated_since": body["server_time"]}
        ).json()

    assert [p["code"] for p in body["items"]] == [p.code for p in catalog]
    birth = body["items"][0]
    assert birth["name"] == catalog[0].name
    assert [c["code"] for c in birth["components"]] == [c.code for c in catalog[0].components]
    assert later["items"] == []  # nothing changed since


def test_paging_with_a_small_limit_visits_every_dossier_once_in_order(
    shared: ServerHandle,
) -> None:
    pages: list[list[dict[str, Any]]] = []
    with Client(shared.url) as client:
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 4}
            if cursor:
                params["cursor"] = cursor
            page = client.get("/api/v1/dossiers", params=params).json()
            pages.append(page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        everything = client.all_summaries()

    walked = [item for page in pages for item in page]
    assert [len(page) for page in pages] == [4, DOSSIERS - 4]
    assert walked == everything and len(walked) == DOSSIERS
    keys = [(datetime.fromisoformat(i["updated_at"]), i["code"]) for i in walked]
    assert keys == sorted(keys)


def test_list_parameters_are_checked(shared: ServerHandle) -> None:
    bad = {
        "limit": ["0", "501", "ten"],
        "status": ["pending"],
        "cursor": ["not-a-cursor", "W10"],
        "updated_since": ["2026-11-20T08:15:00", "yesterday"],
    }
    with Client(shared.url) as client:
        for name, values in bad.items():
            for value in values:
                answer = client.get("/api/v1/dossiers", params={name: value})
                assert answer.status_code == 422, (name, value)
                assert answer.json()["error"] == "validation"
                assert name in answer.json()["fields"]


def test_updated_since_typed_with_a_bare_plus_still_works(shared: ServerHandle) -> None:
    with Client(shared.url) as client:
        # "+07:00" typed into a URL by hand arrives as " 07:00".
        answer = client.get("/api/v1/dossiers?updated_since=2026-01-01T00:00:00+07:00")
    assert answer.status_code == 200 and len(answer.json()["items"]) == DOSSIERS


def test_a_dossier_shows_applicant_components_and_attachments(shared: ServerHandle) -> None:
    with Client(shared.url) as client:
        summary = client.all_summaries()[0]
        dossier = client.get(f"/api/v1/dossiers/{summary['code']}").json()

    assert dossier["code"] == summary["code"]
    assert dossier["status"] == "awaiting_intake" and dossier["national_status_code"] == 1
    assert dossier["channel"] == 2 and dossier["version"] == 1
    assert dossier["procedure_code"].endswith(".000.00.00.H48")
    assert dossier["applicant"]["name"] and len(dossier["applicant"]["citizen_id"]) == 12
    assert len(dossier["components"]) == summary["component_count"]
    attachment = dossier["components"][0]["attachments"][0]
    assert attachment["media_type"] == "application/pdf" and attachment["size"] > 0
    for moment in (dossier["submitted_at"], dossier["updated_at"]):
        assert datetime.fromisoformat(moment).utcoffset() == timedelta(hours=7)


def test_unknown_dossiers_attachments_and_routes_are_404_in_json(shared: ServerHandle) -> None:
    with Client(shared.url) as client:
        answers = [
            client.get("/api/v1/dossiers/000.00.00.H00-000000-0000"),
            client.get("/api/v1/attachments/no-such-file/content"),
            client.get("/api/v1/no-such-route"),
        ]
        wrong_method = client.http.delete(f"{shared.url}/api/v1/dossiers", timeout=10)

    for answer in answers:
        assert answer.status_code == 404
        assert answer.headers["Content-Type"] == "application/json"
        assert answer.json()["error"] == "not_found"
    assert wrong_method.status_code == 405 and wrong_method.json()["error"] == "method_not_allowed"


# -- attachments --------------------------------------------------------------------------


def _first_attachment(client: Client) -> dict[str, Any]:
    code = client.all_summaries()[0]["code"]
    attachment = client.get(f"/api/v1/dossiers/{code}").json()["components"][0]["attachments"][0]
    assert isinstance(attachment, dict)
    return attachment


def test_an_attachment_downloads_whole_with_its_sha256_as_etag(shared: ServerHandle) -> None:
    with Client(shared.url) as client:
        attachment = _first_attachment(client)
        with client.get(f"/api/v1/attachments/{attachment['id']}/content", stream=True) as answer:
            body = b"".join(answer.iter_content(8192))
            headers = answer.headers

    with Client(shared.url) as client:
        head = client.http.head(f"{shared.url}/api/v1/attachments/{attachment['id']}/content")

    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] == str(attachment["size"])
    assert headers["Content-Length"] == str(attachment["size"]) == str(len(body))
    assert headers["ETag"] == f'"{attachment["sha256"]}"'
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == attachment["sha256"]
    assert body.startswith(b"%PDF")


def test_a_download_resumes_from_an_offset(shared: ServerHandle) -> None:
    with Client(shared.url) as client:
        attachment = _first_attachment(client)
        path = f"/api/v1/attachments/{attachment['id']}/content"
        whole = client.get(path).content
        size = len(whole)
        rest = client.get(path, headers={"Range": "bytes=1000-"})
        middle = client.get(path, headers={"Range": "bytes=10-19"})
        tail = client.get(path, headers={"Range": "bytes=-5"})
        other_file = client.get(path, headers={"Range": "bytes=1000-", "If-Range": '"0000"'})

    assert rest.status_code == 206 and rest.content == whole[1000:]
    assert rest.headers["Content-Range"] == f"bytes 1000-{size - 1}/{size}"
    assert rest.headers["Content-Length"] == str(size - 1000)
    assert rest.headers["ETag"] == f'"{attachment["sha256"]}"'
    assert middle.status_code == 206 and middle.content == whole[10:20]
    assert tail.status_code == 206 and tail.content == whole[-5:]
    # If-Range names another version of the file: the whole (current) file comes back.
    assert other_file.status_code == 200 and other_file.content == whole


def test_a_range_at_or_past_the_end_is_416(shared: ServerHandle) -> None:
    with Client(shared.url) as client:
        attachment = _first_attachment(client)
        path = f"/api/v1/attachments/{attachment['id']}/content"
        answers = [
            client.get(path, headers={"Range": f"bytes={attachment['size']}-"}),
            client.get(path, headers={"Range": "bytes=99999999-"}),
        ]

    for answer in answers:
        assert answer.status_code == 416
        assert answer.headers["Content-Range"] == f"bytes */{attachment['size']}"
        assert answer.json()["error"] == "range_not_satisfiable"


# -- decisions ----------------------------------------------------------------------------


def test_accepting_a_dossier_records_one_decision_and_moves_the_dossier_on(
    server: ServerHandle, officer: Client
) -> None:
    summary = _awaiting(officer)
    key = str(uuid.uuid4())
    snapshot = [
        {
            "attachment_id": "a1",
            "sha256": "0" * 64,
            "verdict": "valid",
            "signer_citizen_ids": ["001090000001"],
        }
    ]
    answer = _decide(
        officer,
        summary["code"],
        {**_accept(), "verdict_snapshot": snapshot, "officer_note": "Đủ thành phần"},
        key,
    )
    after = officer.get(f"/api/v1/dossiers/{summary['code']}").json()

    assert answer.status_code == 201
    receipt = answer.json()
    assert receipt["decision_id"] == key and receipt["dossier_code"] == summary["code"]
    assert (receipt["kind"], receipt["status"], receipt["national_status_code"]) == (
        "accept",
        "accepted",
        2,
    )
    assert receipt["version"] == 2 and receipt["officer"] == OFFICER
    assert (after["status"], after["national_status_code"], after["version"]) == ("accepted", 2, 2)
    assert after["updated_at"] > summary["updated_at"]
    [recorded] = server.decisions()
    assert recorded["decision_id"] == key and recorded["officer"] == OFFICER
    assert recorded["verdict_snapshot"] == snapshot and recorded["officer_note"] == "Đủ thành phần"
    assert (
        recorded["appointment_date"] == _accept()["appointment_date"]
        and recorded["dossier_version"] == 1
    )


@pytest.mark.parametrize(
    ("kind", "status", "national"),
    [("request_supplement", "supplement_requested", 5), ("refuse", "refused", 3)],
)
def test_returning_a_dossier_sets_its_status_and_keeps_the_reasons(
    server: ServerHandle, officer: Client, kind: str, status: str, national: int
) -> None:
    code = _awaiting(officer)["code"]
    body = {
        "dossier_version": 1,
        "kind": kind,
        "reasons": ["Tờ khai chưa ký số", "  "],
        "components": ["KS_TK"],
    }
    answer = _decide(officer, code, body)

    assert answer.status_code == 201
    assert (answer.json()["status"], answer.json()["national_status_code"]) == (status, national)
    [recorded] = server.decisions()
    assert recorded["reasons"] == ["Tờ khai chưa ký số"] and recorded["components"] == ["KS_TK"]


def test_a_repeated_key_returns_the_first_answer_and_records_nothing_new(
    server: ServerHandle, officer: Client
) -> None:
    code = _awaiting(officer)["code"]
    key = str(uuid.uuid4())
    first = _decide(officer, code, _accept(), key)
    # The dossier has changed since (accepted, version 2): the repeat still gets the receipt.
    again = _decide(officer, code, _accept(), key.upper())

    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert len(server.decisions()) == 1


def test_the_same_key_sent_at_once_from_many_threads_records_one_decision(
    server: ServerHandle,
) -> None:
    with Client(server.url) as client:
        code = _awaiting(client)["code"]
    key = str(uuid.uuid4())
    answers = _race(server.url, code, [(key, _accept())] * 8)

    assert sorted(a.status_code for a in answers) == [200] * 7 + [201]
    assert len({a.text for a in answers}) == 1
    assert [d["dossier_code"] for d in server.decisions()] == [code]


def test_different_decisions_racing_on_one_dossier_let_exactly_one_win(
    server: ServerHandle,
) -> None:
    with Client(server.url) as client:
        code = _awaiting(client)["code"]
    refuse = {"dossier_version": 1, "kind": "refuse", "reasons": ["Sai thẩm quyền"]}
    answers = _race(
        server.url,
        code,
        [(str(uuid.uuid4()), _accept()) for _ in range(4)]
        + [(str(uuid.uuid4()), refuse) for _ in range(4)],
    )

    assert sorted(a.status_code for a in answers) == [201] + [409] * 7
    assert len(server.decisions()) == 1


def _race(
    url: str, code: str, requests_: list[tuple[str, dict[str, Any]]]
) -> list[requests.Response]:
    """Send each (key, body) from its own thread, all released at the same moment."""
    clients = [Client(url, f"canbo{i + 1:02d}") for i in range(len(requests_))]
    start = threading.Barrier(len(requests_))
    answers: list[requests.Response | None] = [None] * len(requests_)

    def send(index: int) -> None:
        key, body = requests_[index]
        start.wait()
        answers[index] = _decide(clients[index], code, body, key)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests_))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for client in clients:
        client.close()
    assert all(answer is not None for answer in answers)
    return [answer for answer in answers if answer is not None]


def test_a_decision_on_a_stale_version_is_409_with_the_current_state(
    server: ServerHandle, officer: Client
) -> None:
    code = _awaiting(officer)["code"]
    stale = _decide(officer, code, _accept(version=7))

    assert stale.status_code == 409
    assert stale.json() == {
        "error": "conflict",
        "message": f"dossier {code} changed since version 7: it is at version 1",
        "status": "awaiting_intake",
        "version": 1,
    }
    assert server.decisions() == []


def test_a_decision_on_a_decided_dossier_is_409(server: ServerHandle, officer: Client) -> None:
    code = _awaiting(officer)["code"]
    assert _decide(officer, code, _accept()).status_code == 201
    with Client(server.url, "canbo02") as colleague:
        late = _decide(
            colleague, code, {"dossier_version": 1, "kind": "refuse", "reasons": ["Thiếu giấy"]}
        )

    assert late.status_code == 409
    assert (late.json()["status"], late.json()["version"]) == ("accepted", 2)
    assert len(server.decisions()) == 1


ACCEPT = {"dossier_version": 1, "kind": "accept", "appointment_date": appointment_text()}
BAD_SNAPSHOT = [{"attachment_id": "a", "sha256": None, "verdict": "ok", "signer_citizen_ids": []}]


@pytest.mark.parametrize(
    ("body", "key", "field"),
    [
        pytest.param(ACCEPT, None, "Idempotency-Key", id="no key"),
        pytest.param(ACCEPT, "123", "Idempotency-Key", id="key not a UUID"),
        pytest.param({"dossier_version": 1, "kind": "approve"}, "new", "kind", id="bad kind"),
        pytest.param(
            {**ACCEPT, "dossier_version": None}, "new", "dossier_version", id="no version"
        ),
        pytest.param({**ACCEPT, "dossier_version": True}, "new", "dossier_version", id="bool"),
        pytest.param({**ACCEPT, "appointment_date": None}, "new", "appointment_date", id="no date"),
        pytest.param(
            {**ACCEPT, "appointment_date": "01/12/2026"}, "new", "appointment_date", id="bad date"
        ),
        pytest.param(
            {**ACCEPT, "appointment_date": "2020-01-01"},
            "new",
            "appointment_date",
            id="date before submission",
        ),
        pytest.param({"dossier_version": 1, "kind": "refuse"}, "new", "reasons", id="no reason"),
        pytest.param(
            {"dossier_version": 1, "kind": "request_supplement", "reasons": [" ", ""]},
            "new",
            "reasons",
            id="blank reasons",
        ),
        pytest.param(
            {"dossier_version": 1, "kind": "refuse", "reasons": "Sai mẫu"},
            "new",
            "reasons",
            id="reasons not a list",
        ),
        pytest.param({**ACCEPT, "priority": 1}, "new", "priority", id="unknown field"),
        pytest.param(
            {**ACCEPT, "verdict_snapshot": BAD_SNAPSHOT},
            "new",
            "verdict_snapshot[0].verdict",
            id="bad verdict",
        ),
        pytest.param([1, 2], "new", "body", id="not an object"),
    ],
)
def test_an_invalid_decision_is_422_naming_the_field_and_records_nothing(
    server: ServerHandle, officer: Client, body: Any, key: str | None, field: str
) -> None:
    code = _awaiting(officer)["code"]
    headers = {} if key is None else {"Idempotency-Key": str(uuid.uuid4()) if key == "new" else key}
    answer = officer.post(f"/api/v1/dossiers/{code}/decisions", json=body, headers=headers)

    assert answer.status_code == 422
    assert answer.json()["error"] == "validation"
    assert field in answer.json()["fields"]
    assert server.decisions() == []
    assert officer.get(f"/api/v1/dossiers/{code}").json()["version"] == 1


def test_a_key_used_for_another_dossier_is_422(server: ServerHandle, officer: Client) -> None:
    first, second = officer.all_summaries(status="awaiting_intake")[:2]
    key = str(uuid.uuid4())
    assert _decide(officer, first["code"], _accept(), key).status_code == 201
    reused = _decide(officer, second["code"], _accept(), key)

    assert reused.status_code == 422
    assert reused.json()["fields"] == {
        "Idempotency-Key": f"already used for dossier {first['code']}"
    }
    assert len(server.decisions()) == 1


def test_a_decision_on_an_unknown_dossier_is_404(officer: Client) -> None:
    assert _decide(officer, "000.00.00.H00-000000-0000", _accept()).status_code == 404


def test_an_incremental_list_from_server_time_returns_only_what_changed(
    server: ServerHandle, officer: Client
) -> None:
    first = officer.get("/api/v1/dossiers", params={"limit": 500}).json()
    mark = first["server_time"]
    quiet = officer.get("/api/v1/dossiers", params={"updated_since": mark}).json()
    code = first["items"][2]["code"]
    assert _decide(officer, code, _accept()).status_code == 201
    changed = officer.get("/api/v1/dossiers", params={"updated_since": mark}).json()
    accepted = officer.all_summaries(status="accepted")

    assert quiet["items"] == [] and quiet["next_cursor"] is None
    assert [item["code"] for item in changed["items"]] == [code]
    assert changed["items"][0]["version"] == 2
    assert [item["code"] for item in accepted] == [code]
    assert changed["server_time"] >= changed["items"][0]["updated_at"]


# -- robustness ---------------------------------------------------------------------------


def test_a_body_over_one_megabyte_is_refused(shared: ServerHandle) -> None:
    with Client(shared.url) as client:
        code = client.all_summaries()[0]["code"]
        answer = client.post(
            f"/api/v1/dossiers/{code}/decisions",
            data=b"{" + b" " * 1_100_000 + b"}",
            headers={"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"},
        )
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"


def test_each_request_is_logged_once_without_secrets(
    server: ServerHandle, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="intake_desktop.server")
    with Client(server.url) as client:
        token = client.token_document["access_token"]
        client.get("/api/v1/dossiers", params={"limit": 1})

    lines = [r.getMessage() for r in caplog.records if r.name == "intake_desktop.server"]
    assert any(line.startswith("POST /api/v1/auth/token 200 ") for line in lines)
    assert any(line.startswith("GET /api/v1/dossiers 200 ") and "canbo01" in line for line in lines)
    assert PASSWORD not in caplog.text and token not in caplog.text
    assert "Bearer" not in caplog.text and "Authorization" not in caplog.text


def test_decided_dossiers_survive_a_restart(tmp_path: Path) -> None:
    with (
        running_server(tmp_path, dossiers=DOSSIERS, seed=SEED) as server,
        Client(server.url) as client,
    ):
        code = _awaiting(client)["code"]
        assert _decide(client, code, _accept()).status_code == 201
    with (
        running_server(tmp_path, dossiers=DOSSIERS, seed=SEED) as again,
        Client(again.url) as client,
    ):
        status = client.get(f"/api/v1/dossiers/{code}").json()["status"]
        decisions = again.decisions()

    assert status == "accepted" and len(decisions) == 1


def test_a_data_folder_serves_one_server_at_a_time(tmp_path: Path) -> None:
    with running_server(tmp_path, dossiers=DOSSIERS, seed=SEED):
        with pytest.raises(ServerDataError, match="in use by a running training server"):
            prepare_data_dir(tmp_path, count=DOSSIERS, seed=SEED, reset=True)
        with pytest.raises(ServerDataError, match="_training/reset"), running_server(tmp_path):
            pass
    with running_server(tmp_path) as server, Client(server.url) as client:
        assert len(client.all_summaries()) == DOSSIERS


def test_a_database_of_another_schema_version_is_refused_until_reset(tmp_path: Path) -> None:
    with running_server(tmp_path, dossiers=DOSSIERS, seed=SEED):
        pass
    with sqlite3.connect(tmp_path / "server.sqlite3") as connection:
        connection.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    connection.close()

    with pytest.raises(ServerDataError, match="--reset"), running_server(tmp_path):
        pass
    info = prepare_data_dir(tmp_path, count=DOSSIERS, seed=SEED, reset=True)
    with running_server(tmp_path) as server, Client(server.url) as client:
        assert len(client.all_summaries()) == DOSSIERS == info.count


# -- the trainer's view -------------------------------------------------------------------


def test_the_training_routes_are_the_trainers_only(shared: ServerHandle) -> None:
    with Client(shared.url) as officer:
        for path in ("/api/v1/_training/decisions", "/api/v1/_training/dossiers"):
            answer = officer.get(path)
            assert answer.status_code == 403 and answer.json()["error"] == "forbidden"
        assert officer.post("/api/v1/_training/reset").status_code == 403


def test_the_trainer_sees_each_dossiers_scenario_and_expected_decision(
    shared: ServerHandle,
) -> None:
    with Client(shared.url, TRAINER) as trainer:
        items = trainer.get("/api/v1/_training/dossiers").json()["items"]
    assert len(items) == DOSSIERS
    assert all(item["scenario"] and item["expected_decision"] for item in items)
    assert {item["expected_decision"] for item in items} <= {
        "accept",
        "request_supplement",
        "refuse",
    }


def test_the_trainers_reset_restores_the_seed_and_keeps_everyone_signed_in(
    server: ServerHandle, officer: Client
) -> None:
    before = officer.all_summaries()
    code = _awaiting(officer)["code"]
    assert _decide(officer, code, _accept()).status_code == 201
    with Client(server.url, TRAINER) as trainer:
        decisions_before = trainer.get("/api/v1/_training/decisions").json()["items"]
        reset = trainer.post("/api/v1/_training/reset")
        decisions_after = trainer.get("/api/v1/_training/decisions").json()["items"]
    after = officer.all_summaries()  # the officer's token still works

    assert [d["dossier_code"] for d in decisions_before] == [code]
    assert reset.status_code == 200 and reset.json()["dossiers"] == DOSSIERS
    assert decisions_after == []
    assert {(d["code"], d["status"], d["version"]) for d in after} == {
        (d["code"], "awaiting_intake", 1) for d in before
    }
    # updated_at moves on, so apps that synced before the reset see it.
    assert min(d["updated_at"] for d in after) > max(d["updated_at"] for d in before)
    assert _decide(officer, code, _accept()).status_code == 201


def test_an_appointment_on_the_submission_day_is_accepted(
    server: ServerHandle, officer: Client
) -> None:
    summary = _awaiting(officer)
    submitted: date = datetime.fromisoformat(summary["submitted_at"]).astimezone(VN_TZ).date()
    body = {**_accept(), "appointment_date": submitted.isoformat()}
    assert _decide(officer, summary["code"], body).status_code == 201
