"""First start and sign-in: how an officer gets from a fresh install to a session (or not)."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest
from keyring_support import MemoryKeyring
from PySide6.QtCore import QPoint, QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QAbstractButton, QDialog

from intake_desktop.services.credentials import SERVICE, CredentialStore, credential_key
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.signatures.certificates import CertificateFileError
from intake_desktop.services.signatures.trust import TrustManifestError
from intake_desktop.services.source import (
    AuthenticationFailed,
    CertificateVerificationFailed,
    MalformedResponse,
    Officer,
    SourceUnavailable,
)
from intake_desktop.ui.app_settings import AppSettings, load_settings, save_settings
from intake_desktop.ui.error_text import sign_in_error_text
from intake_desktop.ui.first_start_dialog import FirstStartDialog, server_url_problem
from intake_desktop.ui.sign_in_dialog import SignInDialog

ARTIFACTS = Path(__file__).parent / "_artifacts"
SERVER = "https://dvc.example.gov.vn"
PASSWORD = "Mk#2026-canbo01"
OFFICER = Officer("canbo01", "Nguyễn Thị Lan", "Bộ phận Một cửa UBND phường Dịch Vọng")


@pytest.fixture(autouse=True)
def _no_work_left_behind() -> Iterator[None]:
    yield
    # A login still running would outlive the test's keyring and settings.
    QThreadPool.globalInstance().waitForDone(10_000)


def _shot(widget: QDialog, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    image = widget.grab()
    assert not image.isNull()
    assert image.save(str(ARTIFACTS / f"{name}.png"))


def _tick(qtbot, button: QAbstractButton) -> None:  # type: ignore[no-untyped-def]
    """Click a check box or radio button on its indicator (it ignores clicks past its label)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(5, button.height() // 2))


class FakeLogin:
    """Stands in for the server: accepts one password, remembers what it was asked."""

    def __init__(self, password: str = PASSWORD, error: Exception | None = None) -> None:
        self.password = password
        self.error = error
        self.calls: list[tuple[str, str, bool]] = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, username: str, password: str) -> Officer:
        self.calls.append(
            (username, password, threading.current_thread() is threading.main_thread())
        )
        self.release.wait(10)
        if self.error is not None:
            raise self.error
        if password != self.password:
            raise AuthenticationFailed("POST /api/v1/auth/token: the server refused the sign-in")
        return OFFICER


def _sign_in_dialog(
    qtbot, login: FakeLogin | None = None, credentials: CredentialStore | None = None, **kw
) -> SignInDialog:  # type: ignore[no-untyped-def]
    settings = AppSettings(server_url=SERVER, username="canbo01", **kw)
    dialog = SignInDialog(
        settings,
        login or FakeLogin(),
        credentials or CredentialStore(keyring.backends.fail.Keyring()),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


# -- first start -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("abc", False),
        ("", False),
        ("dvc.example.gov.vn", False),
        ("ftp://dvc.example.gov.vn", False),
        ("https://", False),
        ("https://dvc example.gov.vn", False),
        ("https://dvc.example.gov.vn:99999", False),
        ("https://canbo:pw@dvc.example.gov.vn", False),
        ("https://dvc.example.gov.vn/?q=1", False),
        ("http://dvc.example.gov.vn", False),
        ("https://dvc.example.gov.vn", True),
        ("https://dvc.example.gov.vn:8443/intake/", True),
        ("http://127.0.0.1:8750", True),
        ("http://localhost:8750", True),
        ("http://[::1]:8750", True),
    ],
)
def test_server_address_rules(text: str, accepted: bool) -> None:
    assert (server_url_problem(text) is None) is accepted


def test_officer_chooses_test_mode_for_training(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstStartDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.choose_server.isChecked()
    assert not dialog.ok_button.isEnabled()  # no address yet
    assert dialog.server_error.isHidden()  # …but no scolding before anything was typed

    _tick(qtbot, dialog.choose_test_mode)
    assert dialog.choose_test_mode.isChecked()
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    chosen = dialog.result_settings()
    assert chosen.test_mode and chosen.configured and chosen.server_url == ""


def test_officer_types_the_provincial_server_address(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstStartDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()

    qtbot.keyClicks(dialog.server_url, "abc")
    assert not dialog.ok_button.isEnabled()
    assert not dialog.server_error.isHidden()
    assert "https://" in dialog.server_error.text()
    _shot(dialog, "first-start-invalid")

    dialog.server_url.clear()
    qtbot.keyClicks(dialog.server_url, "http://192.168.1.20:8750")
    assert not dialog.ok_button.isEnabled()
    assert "máy chủ đào tạo" in dialog.server_error.text()

    dialog.server_url.clear()
    qtbot.keyClicks(dialog.server_url, "http://127.0.0.1:8750")
    assert dialog.ok_button.isEnabled() and dialog.server_error.isHidden()

    dialog.server_url.clear()
    qtbot.keyClicks(dialog.server_url, "https://dvc.example.gov.vn/")
    assert dialog.ok_button.isEnabled() and dialog.server_error.isHidden()
    _shot(dialog, "first-start")
    qtbot.keyClick(dialog.server_url, Qt.Key.Key_Return)  # Enter = "Tiếp tục"

    assert dialog.result() == QDialog.DialogCode.Accepted
    chosen = dialog.result_settings()
    assert chosen.server_url == SERVER  # stored as the HTTP client stores it
    assert not chosen.test_mode and chosen.configured


def test_typing_an_address_leaves_test_mode(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstStartDialog(AppSettings(test_mode=True))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.choose_test_mode.isChecked()
    qtbot.keyClicks(dialog.server_url, SERVER)
    assert dialog.choose_server.isChecked()


# -- sign in ---------------------------------------------------------------------------------


def test_officer_signs_in_while_the_login_runs_in_background(qtbot) -> None:  # type: ignore[no-untyped-def]
    login = FakeLogin()
    login.release.clear()  # hold the "server" to see the dialog waiting
    dialog = _sign_in_dialog(qtbot, login)
    assert dialog.server_label.text() == SERVER
    assert dialog.username.text() == "canbo01"
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password

    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter = "Đăng nhập"
    qtbot.waitUntil(lambda: len(login.calls) == 1)
    assert not dialog.busy_box.isHidden()
    assert not dialog.username.isEnabled() and not dialog.password.isEnabled()
    assert not dialog.sign_in_button.isEnabled()
    assert dialog.offline_button.isEnabled()  # a slow server never traps the officer
    _shot(dialog, "sign-in-busy")

    login.release.set()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert dialog.officer == OFFICER
    assert login.calls == [("canbo01", PASSWORD, False)]  # not on the GUI thread
    assert dialog.password.text() == ""


def test_wrong_password_is_explained_inline_and_the_officer_retries(qtbot) -> None:  # type: ignore[no-untyped-def]
    login = FakeLogin()
    dialog = _sign_in_dialog(qtbot, login)
    qtbot.keyClicks(dialog.password, "matkhausai")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden())

    assert dialog.error.text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.password.isEnabled() and dialog.sign_in_button.isEnabled()
    assert dialog.busy_box.isHidden()
    _shot(dialog, "sign-in-wrong-password")

    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert dialog.officer == OFFICER


def test_server_unreachable_then_officer_works_offline(qtbot) -> None:  # type: ignore[no-untyped-def]
    login = FakeLogin(error=SourceUnavailable("POST /api/v1/auth/token: unreachable"))
    dialog = _sign_in_dialog(qtbot, login)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden())
    assert dialog.error.text().startswith("Không kết nối được hệ thống của tỉnh")

    qtbot.mouseClick(dialog.offline_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == SignInDialog.WORK_OFFLINE
    assert dialog.officer is None


def test_empty_password_is_asked_for_without_calling_the_server(qtbot) -> None:  # type: ignore[no-untyped-def]
    login = FakeLogin()
    dialog = _sign_in_dialog(qtbot, login)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Hãy nhập tên đăng nhập và mật khẩu."
    assert login.calls == []


def test_change_server_and_show_password(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _sign_in_dialog(qtbot)
    qtbot.keyClicks(dialog.password, "abc")
    _tick(qtbot, dialog.show_password)
    assert dialog.password.echoMode() == dialog.password.EchoMode.Normal
    qtbot.mouseClick(dialog.change_server, Qt.MouseButton.LeftButton)
    assert dialog.result() == SignInDialog.CHANGE_SERVER


def test_a_late_answer_after_cancel_is_ignored(qtbot) -> None:  # type: ignore[no-untyped-def]
    login = FakeLogin()
    login.release.clear()
    dialog = _sign_in_dialog(qtbot, login)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(login.calls) == 1)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc = cancel, even while waiting
    assert dialog.result() == QDialog.DialogCode.Rejected
    login.release.set()
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(50)  # let the queued answer arrive
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.officer is None


def test_remembered_password_goes_to_the_keyring_not_the_settings_file(
    qtbot, memory_keyring: MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    dialog = _sign_in_dialog(qtbot, credentials=CredentialStore())
    assert dialog.remember.isEnabled() and dialog.keyring_note.isHidden()
    qtbot.keyClicks(dialog.password, PASSWORD)
    _tick(qtbot, dialog.remember)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert dialog.keyring_warning is None
    assert memory_keyring.entries == {(SERVICE, credential_key(SERVER, "canbo01")): PASSWORD}

    save_settings(dialog.result_settings())
    ini = Path(QSettings().fileName())
    content = ini.read_bytes()
    assert PASSWORD.encode() not in content
    assert b"remember_password=true" in content
    assert load_settings().remember_password

    # Next start: the password is filled in from the keyring, and cannot be revealed.
    again = _sign_in_dialog(qtbot, credentials=CredentialStore(), remember_password=True)
    qtbot.waitUntil(lambda: again.password.text() == PASSWORD)
    assert again.remember.isChecked()
    assert not again.show_password.isEnabled()
    again.password.clear()
    assert again.show_password.isEnabled()

    # Unticking "remember" forgets it once the server accepts the password.
    qtbot.keyClicks(again.password, PASSWORD)
    _tick(qtbot, again.remember)
    qtbot.mouseClick(again.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.result() == QDialog.DialogCode.Accepted)
    assert memory_keyring.entries == {}
    assert not again.result_settings().remember_password


def test_a_wrong_password_is_not_remembered(qtbot, memory_keyring: MemoryKeyring) -> None:  # type: ignore[no-untyped-def]
    dialog = _sign_in_dialog(qtbot, credentials=CredentialStore())
    qtbot.keyClicks(dialog.password, "matkhausai")
    _tick(qtbot, dialog.remember)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden())
    assert memory_keyring.entries == {}


def test_without_a_keyring_remember_is_off_and_explained(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _sign_in_dialog(qtbot, remember_password=True)  # the failing backend
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert "kho mật khẩu" in dialog.remember.toolTip()
    assert not dialog.keyring_note.isHidden()
    _shot(dialog, "sign-in-no-keyring")
    assert not dialog.result_settings().remember_password


# -- sign in against a real HTTP client ------------------------------------------------------


class _TokenHandler(BaseHTTPRequestHandler):
    """The token endpoint of the API contract, and nothing else."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        if self.path == "/api/v1/auth/token" and body == {
            "username": OFFICER.username,
            "password": PASSWORD,
        }:
            status, payload = (
                200,
                {
                    "access_token": "token-1",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "officer": {
                        "username": OFFICER.username,
                        "name": OFFICER.name,
                        "unit": OFFICER.unit,
                    },
                },
            )
        else:
            status, payload = 401, {"error": "unauthorized", "message": "sai mật khẩu"}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def token_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _http_login(url: str, credentials: CredentialStore):  # type: ignore[no-untyped-def]
    def login(username: str, password: str) -> Officer:
        with HttpDossierSource(
            url, username, credentials=credentials, max_retries=0, timeout=(2.0, 5.0)
        ) as source:
            return source.login(password)

    return login


def test_sign_in_through_the_http_client_never_logs_the_password(
    qtbot, token_server: str, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    credentials = CredentialStore(keyring.backends.fail.Keyring())
    dialog = SignInDialog(
        AppSettings(server_url=token_server, username="canbo01"),
        _http_login(token_server, credentials),
        credentials,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "matkhausai")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=10_000)
    assert dialog.error.text() == "Sai tên đăng nhập hoặc mật khẩu."

    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    # This server's answer names no roles, as an older contract's: a plain officer.
    assert dialog.officer == dataclasses.replace(OFFICER, roles=("officer",))
    assert "matkhausai" not in caplog.text and PASSWORD not in caplog.text


def test_sign_in_to_a_server_that_is_down(qtbot) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    credentials = CredentialStore(keyring.backends.fail.Keyring())
    dialog = SignInDialog(
        AppSettings(server_url=url, username="canbo01"), _http_login(url, credentials), credentials
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=10_000)
    assert dialog.error.text().startswith("Không kết nối được hệ thống của tỉnh")
    assert dialog.isVisible()


@pytest.mark.parametrize(
    ("error", "start"),
    [
        (AuthenticationFailed("401"), "Sai tên đăng nhập hoặc mật khẩu"),
        (SourceUnavailable("down"), "Không kết nối được hệ thống của tỉnh"),
        (CertificateVerificationFailed("tls"), "Không xác minh được chứng thư TLS"),
        (MalformedResponse("html"), "Máy chủ trả lời không đúng chuẩn"),
        (TrustManifestError("x.pem"), "Tệp chứng thư gốc đi kèm ứng dụng"),
        (CertificateFileError("a.pem: no certificate found"), "Không đọc được chứng thư"),
    ],
)
def test_sign_in_and_certificate_errors_read_in_vietnamese(error: Exception, start: str) -> None:
    assert sign_in_error_text(error).startswith(start)
