"""The iGate imitation (``serve --flavor igate``) answers in iGate's shapes (docs/adapters)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from intake_desktop.server.igate_api import NO_PASSWORD_GRANT_CLIENT
from intake_desktop.server.testing import running_server, server_process
from intake_desktop.services.adapters.igate import DEFAULT_CLIENT_ID

TOKEN = "/auth/realms/digo/protocol/openid-connect/token"
PASSWORD = "matkhau123"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with running_server(dossiers=4, seed=5, flavor="igate") as server:
        yield server.url


def _grant(url: str, **form: str) -> requests.Response:
    body = {"grant_type": "password", "client_id": DEFAULT_CLIENT_ID, "username": "canbo01"}
    body.update(form)
    return requests.post(url + TOKEN, data=body, timeout=5)


def _bearer(url: str) -> dict[str, str]:
    answer = _grant(url, password=PASSWORD)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_sign_in_answers_as_keycloak_does(url: str) -> None:
    good = _grant(url, password=PASSWORD)
    wrong = _grant(url, password="sai")
    realm = requests.post(url + TOKEN.replace("digo", "khac"), data={}, timeout=5)
    missing = requests.post(url + TOKEN, data={"client_id": DEFAULT_CLIENT_ID}, timeout=5)
    client = _grant(url, password=PASSWORD, client_id="khong-co")
    no_password_grant = _grant(url, password=PASSWORD, client_id=NO_PASSWORD_GRANT_CLIENT)

    token = good.json()
    assert good.status_code == 200 and token["token_type"] == "Bearer"
    assert token["expires_in"] == 300 and token["refresh_expires_in"] > token["expires_in"]
    assert (wrong.status_code, wrong.json()) == (
        401,
        {"error": "invalid_grant", "error_description": "Invalid user credentials"},
    )
    assert (realm.status_code, realm.json()) == (404, {"error": "Realm does not exist"})
    # Keycloak's AuthenticationProcessor, and its password grant for a client without
    # "Direct access grants" (docs/adapters/igate.md, sign-in errors).
    assert (client.status_code, client.json()) == (
        401,
        {
            "error": "invalid_client",
            "error_description": "Invalid client or Invalid client credentials",
        },
    )
    assert (no_password_grant.status_code, no_password_grant.json()) == (
        400,
        {
            "error": "unauthorized_client",
            "error_description": "Client not allowed for direct access grants",
        },
    )
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"


def test_a_refresh_token_renews_but_is_no_bearer_token(url: str) -> None:
    refresh = _grant(url, password=PASSWORD).json()["refresh_token"]
    renewed = _grant(url, grant_type="refresh_token", refresh_token=refresh)
    as_bearer = requests.get(
        url + "/pa/dossier/search", headers={"Authorization": f"Bearer {refresh}"}, timeout=5
    )

    assert renewed.status_code == 200 and renewed.json()["access_token"]
    assert as_bearer.status_code == 401 and as_bearer.json()["error"] == "Unauthorized"


def test_search_is_a_spring_page_or_slice_and_errors_are_springs(url: str) -> None:
    headers = _bearer(url)
    page = requests.get(url + "/pa/dossier/search", params={"size": 3}, headers=headers, timeout=5)
    sliced = requests.get(
        url + "/pa/dossier/search",
        params={"size": 3, "page": 1, "spec": "slice"},
        headers=headers,
        timeout=5,
    )
    missing = requests.get(
        url + "/pa/dossier/0123456789abcdef01234567/--online", headers=headers, timeout=5
    )

    body: dict[str, Any] = page.json()
    assert (body["totalElements"], body["totalPages"], body["last"], len(body["content"])) == (
        4,
        2,
        False,
        3,
    )
    assert "Date" in page.headers
    assert "totalElements" not in sliced.json() and sliced.json()["last"] is True
    item = body["content"][0]
    assert {
        "id",
        "code",
        "procedure",
        "applicant",
        "appliedDate",
        "updatedDate",
        "dossierStatus",
    } <= set(item)
    assert item["updatedDate"].endswith("+0700")
    assert missing.status_code == 404
    assert {"timestamp", "status", "error", "message", "path"} <= set(missing.json())


def test_a_second_status_change_is_refused(url: str) -> None:
    headers = _bearer(url)
    [waiting] = requests.get(
        url + "/pa/dossier/search",
        params={"dossier-status": "0", "size": 1},
        headers=headers,
        timeout=5,
    ).json()["content"]
    change = {"dossierStatus": {"id": 6}, "comment": "Không thuộc thẩm quyền"}
    first = requests.put(
        url + f"/pa/dossier/{waiting['id']}/status", json=change, headers=headers, timeout=5
    )
    again = requests.put(
        url + f"/pa/dossier/{waiting['id']}/status", json=change, headers=headers, timeout=5
    )

    assert first.status_code == 200 and first.json()["dossierStatus"]["id"] == 6
    assert again.status_code == 400 and "Không được tiếp nhận" in again.json()["message"]


def test_serve_flavor_igate_runs_the_imitation_from_the_command_line(tmp_path: Path) -> None:
    with server_process(tmp_path / "server", dossiers=2, seed=5, flavor="igate") as child:
        answer = requests.get(child.url + "/api/v1/dossiers", timeout=5)
        token = requests.post(
            child.url + TOKEN,
            data={
                "grant_type": "password",
                "client_id": DEFAULT_CLIENT_ID,
                "username": "canbo01",
                "password": PASSWORD,
            },
            timeout=5,
        )

    assert "VNPT iGate imitation" in child.banner and "realm digo" in child.banner
    assert answer.status_code == 404  # the contract's routes are not served
    assert token.status_code == 200
