"""The training server is the contract: ``resources/api/openapi.json``, no more, no less.

Every path and method of the document is served and the server serves no other (its
``/api/v1/_training/`` routes aside); real answers, success and error alike, carry a status
the document lists for the operation and validate against its schema (OpenAPI 3.1 schemas
are JSON Schema 2020-12).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator, FormatChecker
from test_server_support import DOSSIERS, OFFICER, PASSWORD, SEED, Client, appointment_text

from intake_desktop.paths import resource
from intake_desktop.server.testing import ServerHandle, running_server

CONTRACT: dict[str, Any] = json.loads(resource("api", "openapi.json").read_text(encoding="utf-8"))
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
TRAINING = "/api/v1/_training/"

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time_with_offset(value: object) -> bool:
    # jsonschema checks date-time only with an extra package; ours is fromisoformat + offset.
    if not isinstance(value, str):
        return True
    return datetime.fromisoformat(value).tzinfo is not None


@pytest.fixture(scope="module")
def server() -> Iterator[ServerHandle]:
    with running_server(dossiers=DOSSIERS, seed=SEED) as server:
        yield server


def _template(path: str) -> str:
    """``/dossiers/{code}`` and ``/dossiers/<code>`` both as ``/dossiers/{}``."""
    return re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path)


def test_every_contract_operation_is_served_and_no_other(server: ServerHandle) -> None:
    contract = {
        (_template(path), method.upper())
        for path, operations in CONTRACT["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }
    served = {
        (_template(rule.rule), method)
        for rule in server.app.url_map.iter_rules()
        if not rule.rule.startswith(TRAINING)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert served == contract


def test_the_contracts_schemas_are_valid_json_schema() -> None:
    for schema in CONTRACT["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


class Checker:
    """Checks answers against the contract and remembers which (operation, status) it saw."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str, int]] = set()

    def __call__(self, answer: requests.Response, path: str, method: str) -> Any:
        operation = CONTRACT["paths"][path][method]
        listed = operation["responses"]
        status = str(answer.status_code)
        assert status in listed, f"{method.upper()} {path} answered {status}: not in the contract"
        self.seen.add((path, method, answer.status_code))
        content = listed[status].get("content", {})
        if "application/json" not in content:
            for header in listed[status].get("headers", {}):
                assert header in answer.headers, f"{method.upper()} {path} {status}: no {header}"
            return None
        assert answer.headers["Content-Type"].startswith("application/json")
        body = answer.json()
        schema = {**content["application/json"]["schema"], "components": CONTRACT["components"]}
        errors = sorted(
            Draft202012Validator(schema, format_checker=FORMATS).iter_errors(body), key=str
        )
        assert not errors, f"{method.upper()} {path} {status}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
        )
        return body


def _new_key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_real_answers_validate_against_the_contract(server: ServerHandle) -> None:
    check = Checker()
    url = server.url
    token_path = "/api/v1/auth/token"
    check(
        requests.post(f"{url}{token_path}", json={"username": OFFICER}, timeout=10),
        token_path,
        "post",
    )
    check(
        requests.post(
            f"{url}{token_path}", json={"username": OFFICER, "password": "x"}, timeout=10
        ),
        token_path,
        "post",
    )
    check(
        requests.post(
            f"{url}{token_path}", json={"username": OFFICER, "password": PASSWORD}, timeout=10
        ),
        token_path,
        "post",
    )
    for path in ("/api/v1/procedures", "/api/v1/dossiers"):
        check(requests.get(f"{url}{path}", timeout=10), path, "get")

    with Client(url) as client:
        check(client.get("/api/v1/procedures"), "/api/v1/procedures", "get")
        page = check(client.get("/api/v1/dossiers", params={"limit": 2}), "/api/v1/dossiers", "get")
        check(client.get("/api/v1/dossiers", params={"limit": 0}), "/api/v1/dossiers", "get")
        check(
            client.get("/api/v1/dossiers", params={"cursor": page["next_cursor"]}),
            "/api/v1/dossiers",
            "get",
        )

        dossier_path = "/api/v1/dossiers/{code}"
        code = page["items"][0]["code"]
        dossier = check(client.get(f"/api/v1/dossiers/{code}"), dossier_path, "get")
        check(client.get("/api/v1/dossiers/nope"), dossier_path, "get")
        check(requests.get(f"{url}/api/v1/dossiers/{code}", timeout=10), dossier_path, "get")

        content_path = "/api/v1/attachments/{id}/content"
        attachment = dossier["components"][0]["attachments"][0]
        content = f"/api/v1/attachments/{attachment['id']}/content"
        check(client.get(content), content_path, "get")
        check(client.get(content, headers={"Range": "bytes=5-"}), content_path, "get")
        check(client.get(content, headers={"Range": "bytes=99999999-"}), content_path, "get")
        check(client.get("/api/v1/attachments/nope/content"), content_path, "get")
        check(requests.get(f"{url}{content}", timeout=10), content_path, "get")

        decisions_path = "/api/v1/dossiers/{code}/decisions"
        decisions = f"/api/v1/dossiers/{code}/decisions"
        accept = {"dossier_version": 1, "kind": "accept", "appointment_date": appointment_text()}
        key = _new_key()
        check(client.post(decisions, json=accept), decisions_path, "post")
        check(
            client.post(decisions, json={**accept, "kind": "refuse"}, headers=key),
            decisions_path,
            "post",
        )
        check(client.post(decisions, json=accept, headers=key), decisions_path, "post")
        check(client.post(decisions, json=accept, headers=key), decisions_path, "post")
        check(client.post(decisions, json=accept, headers=_new_key()), decisions_path, "post")
        unknown = "/api/v1/dossiers/nope/decisions"
        check(client.post(unknown, json=accept, headers=_new_key()), decisions_path, "post")
        check(
            requests.post(f"{url}{decisions}", json=accept, headers=key, timeout=10),
            decisions_path,
            "post",
        )

    expected = {
        (path, method, int(status))
        for path, operations in CONTRACT["paths"].items()
        for method, operation in operations.items()
        if method in HTTP_METHODS
        for status in operation["responses"]
    }
    assert expected - check.seen == set(), "contract answers this test did not produce"
