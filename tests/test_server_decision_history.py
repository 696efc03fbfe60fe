"""The training server serves each dossier's decision history (contract 1.1) over HTTP.

Every officer's decisions, with the verdict snapshot their desk sent, come embedded in the
dossier (``Dossier.decisions``); a seeded history by other officers' desks gives the
supervisor's audit something to find; the sign-in answer carries the roles; the dossier list
filters by submission date. Times are checked against the server's own seeding moment and
the dossiers' submissions, never against today.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from test_server_contract import Checker
from test_server_support import OFFICER, PASSWORD, TRAINER, Client, appointment_text

from intake_desktop.clock import VN_TZ
from intake_desktop.server.accounts import SUPERVISOR_USERNAME
from intake_desktop.server.db import open_database
from intake_desktop.server.seed import SEED_OFFICERS, DataDir, read_seed_info
from intake_desktop.server.testing import ServerHandle, running_server

DOSSIERS = 8
SEED = 3
DECIDED = 4


@pytest.fixture(scope="module")
def server() -> Iterator[ServerHandle]:
    # Module-wide: these tests only read, or decide dossiers the others do not look at.
    with running_server(dossiers=DOSSIERS, seed=SEED, decided=DECIDED) as server:
        yield server


def _detail(client: Client, code: str) -> dict[str, Any]:
    answer = client.get(f"/api/v1/dossiers/{code}")
    answer.raise_for_status()
    document: dict[str, Any] = answer.json()
    return document


def _seeded_at(server: ServerHandle) -> datetime:
    with open_database(DataDir(server.data_dir).database) as database:
        return read_seed_info(database).seeded_at


def test_the_sign_in_answer_carries_the_roles(server: ServerHandle) -> None:
    roles = {
        username: Client(server.url, username).token_document["officer"]["roles"]
        for username in (OFFICER, SUPERVISOR_USERNAME, TRAINER)
    }

    assert roles[OFFICER] == ["officer"]
    assert roles[SUPERVISOR_USERNAME] == ["officer", "supervisor"]
    assert set(roles[TRAINER]) == {"officer", "supervisor", "trainer"}


def test_other_officers_decisions_are_seeded_with_their_snapshots(server: ServerHandle) -> None:
    seeded_at = _seeded_at(server)
    with Client(server.url) as client:
        summaries = client.all_summaries()
        decided = [s for s in summaries if s["status"] != "awaiting_intake"]
        details = {s["code"]: _detail(client, s["code"]) for s in summaries}
    with Client(server.url, TRAINER) as trainer:
        expected = {
            d["code"]: d["expected_decision"]
            for d in trainer.get("/api/v1/_training/dossiers").json()["items"]
        }

    assert len(decided) == DECIDED
    histories = {code: detail["decisions"] for code, detail in details.items()}
    assert all(histories[s["code"]] == [] for s in summaries if s["status"] == "awaiting_intake")
    records = [histories[s["code"]][0] for s in decided]
    assert all(len(histories[s["code"]]) == 1 for s in decided)
    # Several officers' desks, none of them the officer these tests sign in as.
    assert len({r["officer"]["username"] for r in records}) > 1
    assert {r["officer"]["username"] for r in records} <= set(SEED_OFFICERS)
    assert all(r["officer"]["name"] for r in records)
    for summary, record in zip(decided, records, strict=True):
        recorded = datetime.fromisoformat(record["recorded_at"])
        submitted = datetime.fromisoformat(summary["submitted_at"])
        assert submitted < recorded <= seeded_at
        assert record["dossier_version"] == summary["version"] - 1
        assert record["national_status_code"] == summary["national_status_code"]
        assert (record["appointment_date"] is not None) == (record["kind"] == "accept")
        attachments = {
            a["id"]: a["sha256"]
            for c in details[summary["code"]]["components"]
            for a in c["attachments"]
        }
        assert {s["attachment_id"] for s in record["verdict_snapshot"]} == set(attachments)
    # One acceptance of a dossier that needed a supplement, for the audit to find...
    wrongly = [r for s, r in zip(decided, records, strict=True) if r["kind"] != expected[s["code"]]]
    assert [r["kind"] for r in wrongly] == ["accept"]
    # ...and one snapshot of a file other than the one served now.
    replaced = [
        (s["code"], snap["attachment_id"])
        for s, r in zip(decided, records, strict=True)
        for snap in r["verdict_snapshot"]
        if snap["sha256"]
        != next(
            a["sha256"]
            for c in details[s["code"]]["components"]
            for a in c["attachments"]
            if a["id"] == snap["attachment_id"]
        )
    ]
    assert len(replaced) == 1


def test_a_decision_comes_back_in_the_history_once_whatever_the_resends(
    server: ServerHandle,
) -> None:
    key = str(uuid.uuid4())
    check = Checker()
    with Client(server.url) as client:
        target = next(s for s in client.all_summaries(status="awaiting_intake"))
        before = _detail(client, target["code"])
        attachment = before["components"][0]["attachments"][0]
        snapshot = [
            {
                "attachment_id": attachment["id"],
                "sha256": attachment["sha256"],
                "verdict": "valid",
                "signer_citizen_ids": [target["applicant_citizen_id"]],
            }
        ]
        body = {
            "dossier_version": target["version"],
            "kind": "accept",
            "appointment_date": appointment_text(),
            "verdict_snapshot": snapshot,
        }
        for _attempt in range(2):  # a resend with the same key records nothing new
            answer = client.post(
                f"/api/v1/dossiers/{target['code']}/decisions",
                json=body,
                headers={"Idempotency-Key": key},
            )
            assert answer.status_code in (200, 201)
        receipt = answer.json()
        after = check(
            client.get(f"/api/v1/dossiers/{target['code']}"), "/api/v1/dossiers/{code}", "get"
        )

    assert before["decisions"] == []
    (record,) = after["decisions"]
    assert record["decision_id"] == key
    assert record["kind"] == "accept" and record["national_status_code"] == 2
    assert record["officer"] == {"username": OFFICER, "name": "Nguyễn Thị Lan"}
    assert record["recorded_at"] == receipt["recorded_at"]
    assert record["dossier_version"] == target["version"]
    assert record["appointment_date"] == appointment_text()
    assert record["verdict_snapshot"] == snapshot


def test_a_seeded_history_validates_against_the_contract(server: ServerHandle) -> None:
    check = Checker()
    with Client(server.url, SUPERVISOR_USERNAME) as client:
        assert client.token_document["officer"]["roles"] == ["officer", "supervisor"]
        for summary in client.all_summaries(status="accepted"):
            code = summary["code"]
            check(client.get(f"/api/v1/dossiers/{code}"), "/api/v1/dossiers/{code}", "get")

    assert ("/api/v1/dossiers/{code}", "get", 200) in check.seen


def _day(summary: dict[str, Any]) -> date:
    return datetime.fromisoformat(summary["submitted_at"]).astimezone(VN_TZ).date()


def test_the_list_filters_by_submission_date_decided_dossiers_included(
    server: ServerHandle,
) -> None:
    check = Checker()
    with Client(server.url, SUPERVISOR_USERNAME) as client:
        everything = client.all_summaries()
        days = sorted({_day(s) for s in everything})
        first, last = days[0], days[len(days) // 2]
        answer = client.get(
            "/api/v1/dossiers",
            params={"submitted_from": first.isoformat(), "submitted_to": last.isoformat()},
        )
        page = check(answer, "/api/v1/dossiers", "get")
        after_all = client.all_summaries(submitted_from=(days[-1] + timedelta(days=1)).isoformat())
        backwards = client.get(
            "/api/v1/dossiers",
            params={"submitted_from": last.isoformat(), "submitted_to": first.isoformat()},
        )
        bad = client.get("/api/v1/dossiers", params={"submitted_to": "20261201"})

    wanted = {s["code"] for s in everything if first <= _day(s) <= last}
    assert {s["code"] for s in page["items"]} == wanted
    assert 0 < len(wanted) < len(everything) or len(days) == 1
    assert after_all == []
    assert backwards.status_code == 422 and "submitted_to" in backwards.json()["fields"]
    assert bad.status_code == 422 and "submitted_to" in bad.json()["fields"]


def test_a_password_is_still_needed_for_the_supervisor(server: ServerHandle) -> None:
    import requests

    answer = requests.post(
        f"{server.url}/api/v1/auth/token",
        json={"username": SUPERVISOR_USERNAME, "password": PASSWORD + "x"},
        timeout=10,
    )

    assert answer.status_code == 401
