"""The HTTP client against servers that misbehave in ways the training server does not.

A tiny scripted server on loopback (``http.server``) answers each request with the next
scripted reply: Retry-After, malformed JSON, redirects, an ignored Range, a self-signed
certificate. No mock of requests: real sockets, real HTTP.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from test_credentials import MemoryKeyring

from intake_desktop.domain import DecisionKind, DossierStatus
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.source import (
    AuthenticationFailed,
    CertificateVerificationFailed,
    DecisionConflict,
    DecisionRejected,
    DecisionRequest,
    MalformedResponse,
    NotFound,
    SourceError,
    SourceUnavailable,
)

PASSWORD = "Mk-b1m4t-7731"
OFFICER = {"username": "canbo01", "name": "Nguyễn Thị Lan", "unit": "UBND phường Dịch Vọng"}
TOKEN = {
    "access_token": "tok-1",
    "token_type": "Bearer",
    "expires_in": 300,
    "expires_at": "2026-11-20T08:15:00+07:00",
    "officer": OFFICER,
}
EMPTY_PAGE = {"items": [], "next_cursor": None, "server_time": "2026-11-20T08:15:00+07:00"}


@dataclass
class Reply:
    status: int = 200
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    delay: float = 0.0
    ranged: bool = False
    """Honour a ``Range: bytes=N-`` request with a 206."""
    cut_after: int | None = None
    """Announce the whole body, send this many bytes, then drop the connection."""


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    """Answers ``(method, path without query)`` with the next scripted reply (the last repeats)."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.script: dict[tuple[str, str], list[Reply]] = {}
        self.seen: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes: without this, Nagle's algorithm and
                # the client's delayed ACK add 40 ms to every answer.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                server.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                replies = server.script.get((self.command, path)) or [Reply(404, {"error": "x"})]
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                status, headers = reply.status, {"Content-Type": "application/json"}
                asked = self.headers.get("Range", "")
                if reply.ranged and asked.startswith("bytes="):
                    start = int(asked[6:].rstrip("-"))
                    status = 206
                    headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
                    data = data[start:]
                headers.update(reply.headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if reply.cut_after is not None:
                        self.wfile.write(data[: reply.cut_after])
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    self.wfile.write(data)

            do_GET = do_POST = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if context is not None:
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if context else "http"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def on(self, method: str, path: str, *replies: Reply) -> None:
        self.script[(method, path)] = list(replies)

    def count(self, method: str, path: str) -> int:
        return sum(1 for s in self.seen if s.method == method and s.path.split("?")[0] == path)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        running.on("POST", "/api/v1/auth/token", Reply(200, TOKEN))
        yield running


@pytest.fixture
def keyring_with_password() -> MemoryKeyring:
    return MemoryKeyring()


def _client(
    url: str, keyring_backend: MemoryKeyring | None = None, **options: object
) -> HttpDossierSource:
    settings: dict[str, object] = {"timeout": (0.5, 0.5), "backoff": 0.01, "max_retries": 2}
    settings.update(options)
    return HttpDossierSource(
        url,
        "canbo01",
        credentials=CredentialStore(keyring_backend or MemoryKeyring()),
        **settings,  # type: ignore[arg-type]
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_nothing_listening_is_unavailable_after_a_few_quick_retries() -> None:
    with _client(f"http://127.0.0.1:{_free_port()}") as source:
        started = time.monotonic()
        with pytest.raises(SourceUnavailable, match="unreachable"):
            source.login(PASSWORD)
    assert time.monotonic() - started < 2


def test_503_is_retried_and_retry_after_is_honoured(server: ScriptedServer) -> None:
    server.on(
        "GET",
        "/api/v1/dossiers",
        Reply(503, {"error": "server_error", "message": "busy"}, {"Retry-After": "0"}),
        Reply(504, {"error": "server_error", "message": "gateway"}, {"Retry-After": "1"}),
        Reply(200, EMPTY_PAGE),
    )
    with _client(server.url) as source:
        source.login(PASSWORD)
        started = time.monotonic()
        page = source.list_dossiers()

    assert page.items == () and page.next_cursor is None
    assert server.count("GET", "/api/v1/dossiers") == 3
    assert time.monotonic() - started >= 1.0  # waited the second Retry-After


def test_a_retry_after_longer_than_we_wait_fails_at_once_and_carries_the_delay(
    server: ScriptedServer,
) -> None:
    server.on(
        "GET",
        "/api/v1/dossiers",
        Reply(503, {"error": "x", "message": "m"}, {"Retry-After": "120"}),
    )
    with _client(server.url) as source:
        source.login(PASSWORD)
        with pytest.raises(SourceUnavailable) as raised:
            source.list_dossiers()

    assert raised.value.retry_after == 120
    assert server.count("GET", "/api/v1/dossiers") == 1


def test_500_and_4xx_are_answers_not_retried(server: ScriptedServer) -> None:
    server.on("GET", "/api/v1/dossiers", Reply(500, {"error": "server_error", "message": "bug"}))
    server.on("GET", "/api/v1/dossiers/X-1", Reply(404, {"error": "not_found", "message": "no"}))
    server.on("GET", "/api/v1/procedures", Reply(400, {"error": "validation", "message": "bad"}))
    with _client(server.url) as source:
        source.login(PASSWORD)
        with pytest.raises(SourceUnavailable, match="server error 500: bug"):
            source.list_dossiers()
        with pytest.raises(NotFound):
            source.get_dossier("X-1")
        with pytest.raises(SourceError, match="HTTP 400: bad"):
            source.list_procedures()

    assert server.count("GET", "/api/v1/dossiers") == 1
    assert server.count("GET", "/api/v1/dossiers/X-1") == 1
    assert server.count("GET", "/api/v1/procedures") == 1


def test_decision_answers_map_to_conflict_and_rejection(server: ScriptedServer) -> None:
    path = "/api/v1/dossiers/X-1/decisions"
    decision = DecisionRequest("X-1", 3, DecisionKind.REFUSE, reasons=("Thiếu tờ khai",))
    with _client(server.url) as source:
        source.login(PASSWORD)
        server.on(
            "POST",
            path,
            Reply(
                409,
                {"error": "conflict", "message": "decided", "status": "accepted", "version": 4},
            ),
        )
        with pytest.raises(DecisionConflict) as conflict:
            source.submit_decision(decision)
        server.on(
            "POST",
            path,
            Reply(
                422,
                {
                    "error": "validation",
                    "message": "invalid",
                    "fields": {"reasons": "at least one reason"},
                },
            ),
        )
        with pytest.raises(DecisionRejected) as rejected:
            source.submit_decision(decision)

    assert (conflict.value.status, conflict.value.version) == (DossierStatus.ACCEPTED, 4)
    assert rejected.value.fields == {"reasons": "at least one reason"}
    sent = [s for s in server.seen if s.path == path]
    assert {s.headers["Idempotency-Key"] for s in sent} == {decision.decision_id}
    assert json.loads(sent[0].body)["reasons"] == ["Thiếu tờ khai"]


def test_a_malformed_answer_says_where_instead_of_a_key_error(server: ScriptedServer) -> None:
    bad_item = {
        "code": "X-1",
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "applicant_name": "A",
        "applicant_citizen_id": "001",
        "submitted_at": "2026-11-20T08:15:00+07:00",
        "status": "archived",
        "national_status_code": 1,
        "version": 1,
        "updated_at": "2026-11-20T08:15:00+07:00",
        "component_count": 1,
    }
    server.on(
        "GET",
        "/api/v1/dossiers",
        Reply(200, {**EMPTY_PAGE, "items": [bad_item]}),
        Reply(200, raw=b"<html>"),
    )
    server.on("GET", "/api/v1/dossiers/X-1", Reply(200, {"code": "X-1"}))
    with _client(server.url) as source:
        source.login(PASSWORD)
        with pytest.raises(MalformedResponse, match=r"items\[0\]\.status: expected one of"):
            source.list_dossiers()
        with pytest.raises(MalformedResponse, match="not JSON"):
            source.list_dossiers()
        with pytest.raises(MalformedResponse, match=r"X-1: missing field '\w+'"):
            source.get_dossier("X-1")


def test_redirects_are_not_followed(server: ScriptedServer) -> None:
    server.on("GET", "/api/v1/procedures", Reply(302, {}, {"Location": "http://example.com/x"}))
    with _client(server.url) as source:
        source.login(PASSWORD)
        with pytest.raises(SourceError, match="unexpected redirect"):
            source.list_procedures()
    assert not any(s.path.startswith("/x") for s in server.seen)


def test_a_slow_answer_times_out_and_is_retried_then_unavailable(server: ScriptedServer) -> None:
    server.on("GET", "/api/v1/procedures", Reply(200, {"items": []}, delay=1.0))
    with _client(server.url, timeout=(0.5, 0.2), max_retries=1) as source:
        source.login(PASSWORD)
        started = time.monotonic()
        with pytest.raises(SourceUnavailable, match="ReadTimeout"):
            source.list_procedures()

    assert server.count("GET", "/api/v1/procedures") == 2
    assert time.monotonic() - started < 1.5


def test_an_expired_token_is_renewed_once_with_the_remembered_password(
    server: ScriptedServer, keyring_with_password: MemoryKeyring
) -> None:
    CredentialStore(keyring_with_password).save(server.url, "canbo01", PASSWORD)
    expired = Reply(401, {"error": "unauthorized", "message": "token expired"})
    server.on("GET", "/api/v1/dossiers", expired, Reply(200, EMPTY_PAGE))
    with _client(server.url, keyring_with_password) as source:
        source.login()  # from the keyring
        source.list_dossiers()
        server.on("GET", "/api/v1/dossiers", expired)  # refused even after signing in again
        with pytest.raises(AuthenticationFailed):
            source.list_dossiers()

    assert server.count("POST", "/api/v1/auth/token") == 3  # login, renewal, one more renewal
    assert server.count("GET", "/api/v1/dossiers") == 4


def test_without_a_remembered_password_an_expired_token_asks_for_sign_in(
    server: ScriptedServer,
) -> None:
    server.on("GET", "/api/v1/dossiers", Reply(401, {"error": "unauthorized", "message": "no"}))
    with _client(server.url) as source:
        with pytest.raises(AuthenticationFailed, match="not signed in"):
            source.list_dossiers()
        source.login(PASSWORD)
        with pytest.raises(AuthenticationFailed, match="no password is remembered"):
            source.list_dossiers()
    assert server.count("POST", "/api/v1/auth/token") == 1


def test_a_server_that_ignores_range_still_resumes_at_the_right_byte(
    server: ScriptedServer,
) -> None:
    content = bytes(range(256)) * 40
    server.on(
        "GET",
        "/api/v1/attachments/a%2F..%2Fb/content",
        Reply(200, raw=content, headers={"ETag": '"abc"', "Content-Type": "application/pdf"}),
    )
    with _client(server.url) as source:
        source.login(PASSWORD)
        with source.open_attachment("a/../b", offset=1000) as stream:
            rest = b"".join(stream.chunks(333))
            size, etag = stream.size, stream.etag

    assert rest == content[1000:]
    assert (size, etag) == (len(content) - 1000, "abc")
    assert server.seen[-1].headers["Range"] == "bytes=1000-"


def test_secrets_never_reach_the_log(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.on("GET", "/api/v1/dossiers", Reply(200, EMPTY_PAGE))
    with _client(server.url) as source:
        source.login(PASSWORD)
        source.list_dossiers()

    assert "GET /api/v1/dossiers 200" in caplog.text
    for secret in (PASSWORD, "tok-1", "Authorization", "Bearer"):
        assert secret not in caplog.text
    assert server.seen[-1].headers["Authorization"] == "Bearer tok-1"


def test_plain_http_is_refused_except_on_loopback(tmp_path: Path) -> None:
    credentials = CredentialStore(MemoryKeyring())
    with pytest.raises(ValueError, match="use https"):
        HttpDossierSource("http://dichvucong.example.gov.vn", "canbo01", credentials=credentials)
    with pytest.raises(ValueError, match="http"):
        HttpDossierSource("ftp://127.0.0.1", "canbo01", credentials=credentials)
    with pytest.raises(FileNotFoundError):
        HttpDossierSource(
            "https://dichvucong.example.gov.vn",
            "canbo01",
            credentials=credentials,
            ca_bundle=tmp_path / "missing.pem",
        )
    HttpDossierSource("http://localhost:8750/", "canbo01", credentials=credentials).close()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # Wide, so the clock check's travelled "now" still falls inside what OpenSSL, on
        # the machine's real clock, accepts.
        .not_valid_before(now - dt.timedelta(days=800))
        .not_valid_after(now + dt.timedelta(days=800))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_tls_is_always_verified_and_a_private_ca_can_be_added(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with ScriptedServer(context) as https:
        https.on("POST", "/api/v1/auth/token", Reply(200, TOKEN))
        # Even a session configured not to verify is overridden: there is no way to turn it off.
        careless = requests.Session()
        careless.verify = False
        with (
            _client(https.url, session=careless) as source,
            pytest.raises(CertificateVerificationFailed, match="could not be verified"),
        ):
            source.login(PASSWORD)
        careless.close()
        with _client(https.url, ca_bundle=cert) as source:
            assert source.login(PASSWORD).username == "canbo01"


def test_a_classroom_may_use_plain_http_on_the_local_network_only() -> None:
    from intake_desktop.services.http_source import plain_http_allowed

    credentials = CredentialStore(MemoryKeyring())
    with pytest.raises(ValueError, match="use https"):
        HttpDossierSource("http://192.168.1.20:8750", "canbo01", credentials=credentials)
    HttpDossierSource(
        "http://192.168.1.20:8750", "canbo01", credentials=credentials, classroom=True
    ).close()
    assert plain_http_allowed("10.0.0.5", classroom=True)
    assert not plain_http_allowed("10.0.0.5")
    # Never a public address or a name that could resolve anywhere, even for a classroom.
    assert not plain_http_allowed("203.162.4.190", classroom=True)
    assert not plain_http_allowed("dvc.example.gov.vn", classroom=True)
    assert not plain_http_allowed("169.254.10.1", classroom=True)
