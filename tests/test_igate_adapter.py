"""The VNPT iGate adapter on its own: sign-in, token refresh, paging, and bad answers.

Against the iGate imitation where it behaves, and against a small hand-written HTTP server
on loopback where an answer must be wrong in one exact way.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from test_credentials import MemoryKeyring
from test_igate_flow import OFFICER, PASSWORD

from intake_desktop.domain import CopyKind, DecisionKind, DossierStatus
from intake_desktop.server.igate_api import NO_PASSWORD_GRANT_CLIENT
from intake_desktop.server.testing import running_server
from intake_desktop.services.adapters.igate import IgateDossierSource
from intake_desktop.services.adapters.igate_codes import decision_tag
from intake_desktop.services.adapters.igate_payloads import (
    copy_kind,
    tagged_decision,
    version_of,
)
from intake_desktop.services.adapters.sign_in import (
    NoSignInService,
    SignInSettingWrong,
    UnknownClient,
    UnknownRealm,
    WrongCredentials,
)
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.source import (
    AuthenticationFailed,
    DecisionConflict,
    DecisionRequest,
    MalformedResponse,
    NotFound,
    SourceUnavailable,
)
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import open_store
from intake_desktop.store.dossiers import get_dossier
from intake_desktop.store.models import DossierRow


def _source(url: str, *, remember: bool = False, **options: Any) -> IgateDossierSource:
    backend = MemoryKeyring()
    if remember:
        CredentialStore(backend).save(url, OFFICER, PASSWORD)
    settings: dict[str, Any] = {"timeout": (0.5, 2.0), "backoff": 0.02, "max_retries": 2}
    settings.update(options)
    return IgateDossierSource(url, OFFICER, credentials=CredentialStore(backend), **settings)


@pytest.fixture(scope="module")
def igate_url() -> Iterator[str]:
    with running_server(dossiers=6, seed=5, flavor="igate") as server:
        yield server.url


def test_a_short_lived_token_is_renewed_with_the_refresh_token_before_it_expires() -> None:
    # No password remembered: only the refresh token can keep the session alive.
    with (
        running_server(dossiers=2, seed=5, flavor="igate", token_ttl=1) as server,
        _source(server.url) as source,
    ):
        source.login(PASSWORD)
        first = source.list_dossiers()
        threading.Event().wait(1.2)
        second = source.list_dossiers()

    assert len(first.items) == len(second.items) == 2


@pytest.mark.parametrize(
    ("options", "password", "kind", "expected"),
    [
        ({"realm": "khac"}, PASSWORD, UnknownRealm, "no sign-in realm 'khac'"),
        ({"client_id": "sai-client"}, PASSWORD, UnknownClient, "invalid_client: Invalid client"),
        # A client the realm has, but without the password grant: Keycloak's 400.
        (
            {"client_id": NO_PASSWORD_GRANT_CLIENT},
            PASSWORD,
            UnknownClient,
            "unauthorized_client: Client not allowed for direct access grants",
        ),
        ({}, "sai-mat-khau", WrongCredentials, "invalid_grant: Invalid user credentials"),
    ],
)
def test_a_refused_sign_in_says_which_setting_or_the_password(
    igate_url: str,
    options: dict[str, str],
    password: str,
    kind: type[AuthenticationFailed],
    expected: str,
) -> None:
    with _source(igate_url, **options) as source, pytest.raises(kind, match=expected) as raised:
        source.login(password)

    # Only a wrong password is not a setting, and the setting's value travels with it.
    assert isinstance(raised.value, SignInSettingWrong) is (kind is not WrongCredentials)
    if isinstance(raised.value, SignInSettingWrong):
        assert raised.value.value == next(iter(options.values()))


def test_a_sign_in_address_with_no_keycloak_names_the_sso_setting(igate_url: str) -> None:
    # The imitation's API gateway answers 404 for a path Keycloak would serve: wrong address.
    wrong = f"{igate_url}/sso-khac"
    with _source(igate_url, sso_url=wrong) as source, pytest.raises(NoSignInService) as raised:
        source.login(PASSWORD)

    assert raised.value.setting == "sso_url" and raised.value.value == wrong


def test_pages_cover_every_dossier_once_and_stop_at_updated_since(igate_url: str) -> None:
    with _source(igate_url) as source:
        source.login(PASSWORD)
        codes: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            page = source.list_dossiers(limit=2, cursor=cursor)
            codes += [item.code for item in page.items]
            pages += 1
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        awaiting = source.list_dossiers(limit=50, status=DossierStatus.AWAITING_INTAKE).items[0]
        receipt = source.submit_decision(
            DecisionRequest(
                awaiting.code, awaiting.version, DecisionKind.REFUSE, reasons=("Sai thẩm quyền",)
            )
        )
        since = source.list_dossiers(limit=2, updated_since=receipt.recorded_at)

    assert pages == 3 and len(codes) == len(set(codes)) == 6
    # Newest first: the decided dossier, then paging stops at the first older one.
    assert [item.code for item in since.items] == [awaiting.code]
    assert since.next_cursor is None


def test_an_unknown_dossier_code_is_not_found(igate_url: str) -> None:
    with _source(igate_url) as source:
        source.login(PASSWORD)
        with pytest.raises(NotFound):
            source.get_dossier("000.00.00.H00-000000-0000")


def test_status_comments_and_copy_kinds_are_read_as_igate_writes_them() -> None:
    tag = decision_tag("3f2a4b6c-0000-4000-8000-000000000001")
    assert tagged_decision(f"Thiếu giấy tờ\n{tag}") == "3f2a4b6c-0000-4000-8000-000000000001"
    assert tagged_decision("Thiếu giấy tờ") is None
    assert copy_kind("Bản chính") is CopyKind.ORIGINAL
    assert (
        copy_kind("Bản     sao    (Scan/Chụp ảnh Bản sao có chứng thực hoặc Bản sao kèm bản chính)")
        is CopyKind.COPY
    )


# -- a hand-written iGate that answers wrongly -------------------------------------------------

Route = Callable[[str, bytes], tuple[int, Any, dict[str, str]]]


@contextmanager
def fake_igate(routes: dict[str, Route]) -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback: ``routes`` maps "METHOD /path" to an answer; the requests
    it received are listed as they come."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            path = self.path.split("?", 1)[0]
            key = f"{self.command} {path}"
            seen.append(key)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            route = routes.get(key)
            status, document, headers = (
                route(self.path, body) if route else (404, {"status": 404}, {})
            )
            data = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


VERSION = version_of(datetime.fromisoformat("2026-12-01T08:16:00.000+0700"))
"""The version of :func:`_dossier` (its ``updatedDate`` in milliseconds)."""
TOKEN = "/auth/realms/digo/protocol/openid-connect/token"
USERINFO = "/auth/realms/digo/protocol/openid-connect/userinfo"


def _signed_in_routes() -> dict[str, Route]:
    return {
        f"POST {TOKEN}": lambda _p, _b: (
            200,
            {"access_token": "t", "expires_in": 300, "token_type": "Bearer", "extra": 1},
            {},
        ),
        f"GET {USERINFO}": lambda _p, _b: (200, {"preferred_username": OFFICER, "name": "Lan"}, {}),
    }


def _dossier(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": "64f0c0ffee0000000000abcd",
        "code": "000.00.53.H48-261201-0001",
        "procedure": {
            "id": "x",
            "code": "1.001193.000.00.00.H48",
            "translate": {"languageId": 228, "name": "Đăng ký khai sinh"},
            "sector": {"code": "HT"},
        },
        "applicant": {"data": {"fullname": "Nguyễn Văn An", "identityNumber": "001090001234"}},
        "appliedDate": "2026-12-01T08:15:00.000+0700",
        "updatedDate": "2026-12-01T08:16:00.000+0700",
        "dossierStatus": {"id": 0, "name": "Chờ tiếp nhận"},
        "somethingNew": {"nested": [1, 2]},
        "dossierFormFile": [
            {
                "procedureForm": {"id": "f1", "name": "Tờ khai đăng ký khai sinh"},
                "requirement": {"typeName": "Bản chính", "quantity": 1},
                "file": [{"id": "file1", "filename": "to-khai.pdf", "size": 1234, "uuid": "u"}],
            }
        ],
    }
    document.update(changes)
    return document


def _routes(listed: dict[str, Any], shown: dict[str, Any] | None = None) -> dict[str, Route]:
    """Signed in; the search lists ``listed``; its detail answers ``shown`` (default: it)."""
    routes = _signed_in_routes()
    routes["GET /pa/dossier/search"] = _page(listed)
    detail = listed if shown is None else shown
    routes[f"GET /pa/dossier/{listed['id']}/--online"] = lambda _p, _b: (200, detail, {})
    return routes


def _page(*items: dict[str, Any]) -> Route:
    def answer(_path: str, _body: bytes) -> tuple[int, Any, dict[str, str]]:
        return 200, {"content": list(items), "last": True, "number": 0}, {}

    return answer


def test_unknown_fields_are_ignored_and_what_the_officer_needs_is_kept() -> None:
    routes = _routes(_dossier())
    with fake_igate(routes) as (url, _seen), _source(url) as source:
        source.login(PASSWORD)
        [summary] = source.list_dossiers().items
        dossier = source.get_dossier(summary.code)

    assert dossier.procedure_code == "1.001193.000.00.00.H48"
    assert dossier.procedure_name == "Đăng ký khai sinh"
    assert dossier.applicant.citizen_id == "001090001234"
    [component] = dossier.components
    assert component.copy_kind is CopyKind.ORIGINAL
    [attachment] = component.attachments
    assert (attachment.file_name, attachment.size, attachment.media_type) == (
        "to-khai.pdf",
        1234,
        "application/pdf",
    )


@pytest.mark.parametrize(
    ("broken", "field"),
    [
        ({"applicant": {"data": {"fullname": "Nguyễn Văn An"}}}, "identityNumber"),
        ({"dossierFormFile": [{"requirement": {}, "file": []}]}, "procedureForm.name"),
        ({"updatedDate": "hôm qua"}, "updatedDate"),
    ],
)
def test_a_missing_or_wrong_required_field_is_named(broken: dict[str, Any], field: str) -> None:
    routes = _routes(_dossier(), _dossier(**broken))
    with fake_igate(routes) as (url, _seen), _source(url) as source:
        source.login(PASSWORD)
        with pytest.raises(MalformedResponse, match=field):
            source.get_dossier("000.00.53.H48-261201-0001")


def test_a_status_the_desk_does_not_know_is_kept_raw_and_never_decided(tmp_path: Path) -> None:
    odd = _dossier(dossierStatus={"id": 99, "name": [{"languageId": 228, "name": "Tạm dừng"}]})
    plain = _dossier(id="64f0c0ffee0000000000abce", code="000.00.53.H48-261201-0002")
    routes = _routes(odd)
    routes["GET /pa/dossier/search"] = _page(odd, plain)
    routes[f"GET /pa/dossier/{plain['id']}/--online"] = lambda _p, _b: (200, plain, {})
    with fake_igate(routes) as (url, seen), _source(url) as source:
        source.login(PASSWORD)
        listed = {item.code: item.status for item in source.list_dossiers().items}
        shown = source.get_dossier(odd["code"])
        with open_store(tmp_path / "intake.sqlite3") as store:
            result = Synchronizer(source, store, tmp_path / "cache").sync()
            stored = get_dossier(store, odd["code"])
            with store.session(write=False) as session:
                row = session.query(DossierRow).filter_by(code=odd["code"]).one()
                national = row.national_status_code
        with pytest.raises(DecisionConflict) as conflict:
            source.submit_decision(
                DecisionRequest(odd["code"], VERSION, DecisionKind.REFUSE, reasons=("Sai",))
            )

    assert listed == {
        odd["code"]: DossierStatus.OTHER,
        plain["code"]: DossierStatus.AWAITING_INTAKE,
    }
    assert (shown.status, shown.raw_status) == (DossierStatus.OTHER, "Tạm dừng (99)")
    # The other dossier syncs as ever (this fake serves no file bytes, hence only
    # attachment issues); the odd one is stored with iGate's words.
    assert [e for e in result.errors if e.attachment_id is None] == []
    assert result.dossiers_new == 2 and result.high_water_mark is not None
    assert stored is not None and stored.raw_status == "Tạm dừng (99)"
    assert national is None  # its national TrangThaiHoSo is not known, so none is made up
    assert conflict.value.status is DossierStatus.OTHER
    assert not [request for request in seen if request.startswith("PUT")]


def test_an_unnamed_unknown_status_is_shown_by_its_id() -> None:
    odd = _dossier(dossierStatus={"id": 17})
    with fake_igate(_routes(odd)) as (url, _seen), _source(url) as source:
        source.login(PASSWORD)
        shown = source.get_dossier(odd["code"])
        with pytest.raises(ValueError, match="cannot be searched"):
            source.list_dossiers(status=DossierStatus.OTHER)

    assert (shown.status, shown.raw_status) == (DossierStatus.OTHER, "17")


def test_a_session_refused_again_after_signing_in_once_says_so() -> None:
    # The token is refused even when fresh: one new sign-in, then the officer is told.
    routes = _signed_in_routes()
    routes["GET /pa/dossier/search"] = lambda _p, _b: (
        401,
        {"status": 401, "error": "Unauthorized", "message": "Invalid token"},
        {},
    )
    with fake_igate(routes) as (url, seen), _source(url, remember=True) as source:
        source.login(PASSWORD)
        with pytest.raises(AuthenticationFailed, match="refused the sign-in: Invalid token"):
            source.list_dossiers()

    assert seen.count(f"POST {TOKEN}") == 2  # the first sign-in and exactly one more
    assert seen.count("GET /pa/dossier/search") == 2


def test_a_status_change_is_never_resent_blindly_after_a_gateway_error() -> None:
    routes = _routes(_dossier())
    routes["PUT /pa/dossier/64f0c0ffee0000000000abcd/status"] = lambda _p, _b: (
        503,
        {"status": 503, "error": "Service Unavailable"},
        {},
    )
    decision = DecisionRequest(
        "000.00.53.H48-261201-0001",
        VERSION,
        DecisionKind.REFUSE,
        reasons=("Không thuộc thẩm quyền",),
    )
    with fake_igate(routes) as (url, seen), _source(url) as source:
        source.login(PASSWORD)
        with pytest.raises(SourceUnavailable):
            source.submit_decision(decision)

    puts = [request for request in seen if request.startswith("PUT")]
    assert len(puts) == 1
    # Looked before sending, and again after the failure.
    assert seen.count("GET /pa/dossier/64f0c0ffee0000000000abcd/--online") == 2


def test_the_decision_body_carries_the_status_the_national_code_follows_from() -> None:
    bodies: list[dict[str, Any]] = []

    def put(_path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
        bodies.append(json.loads(body))
        comment = bodies[-1]["comment"]
        return 200, _dossier(dossierStatus={"id": 6, "comment": comment}), {}

    routes = _routes(_dossier())
    routes["PUT /pa/dossier/64f0c0ffee0000000000abcd/status"] = put
    decision = DecisionRequest(
        "000.00.53.H48-261201-0001",
        VERSION,
        DecisionKind.REFUSE,
        reasons=("Không thuộc thẩm quyền",),
    )
    with fake_igate(routes) as (url, _seen), _source(url) as source:
        source.login(PASSWORD)
        receipt = source.submit_decision(decision)

    [body] = bodies
    assert body["dossierStatus"] == {"id": 6}
    assert body["comment"].startswith("Không thuộc thẩm quyền")
    assert receipt.status is DossierStatus.REFUSED and receipt.status.national_code == 3
