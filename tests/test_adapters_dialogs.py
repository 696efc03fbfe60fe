"""An officer chooses "VNPT iGate" as "Loại hệ thống", signs in to the iGate imitation, works
the queue and decides: through the same dialogs and the same app wiring as the contract."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from test_credentials import MemoryKeyring

from intake_desktop.app import _http_source, _login
from intake_desktop.clock import VN_TZ
from intake_desktop.domain import DecisionKind, DossierStatus, OutboxState
from intake_desktop.server.igate_api import NO_PASSWORD_GRANT_CLIENT
from intake_desktop.server.testing import ServerHandle, running_server
from intake_desktop.services.adapters import RemoteSource, SystemKind
from intake_desktop.services.adapters.igate import IgateDossierSource
from intake_desktop.services.adapters.sign_in import (
    AccountUnusable,
    NoSignInService,
    UnknownClient,
    UnknownRealm,
    WrongCredentials,
)
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.source import DecisionRequest
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import open_store
from intake_desktop.store.dossiers import get_dossier, list_dossiers
from intake_desktop.ui.app_settings import AppSettings, load_settings, save_settings
from intake_desktop.ui.error_text import error_text, sign_in_error_text
from intake_desktop.ui.first_start_dialog import FirstStartDialog
from intake_desktop.ui.settings_dialog import SettingsDialog
from intake_desktop.ui.sign_in_dialog import SignInDialog


@pytest.fixture(scope="module")
def igate() -> Iterator[ServerHandle]:
    with running_server(dossiers=4, seed=5, flavor="igate") as server:
        yield server


def test_the_igate_fields_show_only_for_igate(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstStartDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.system.selected() is SystemKind.INTAKE
    assert dialog.system.realm.isHidden() and dialog.system.client_id.isHidden()

    dialog.system.kind.setCurrentIndex(dialog.system.kind.findData("igate"))
    assert not dialog.system.realm.isHidden() and not dialog.system.sso_url.isHidden()
    assert dialog.system.realm.placeholderText() == "digo"

    qtbot.keyClicks(dialog.server_url, "https://apiigate.kontum.gov.vn")
    qtbot.keyClicks(dialog.system.sso_url, "ssodvc.kontum")  # not an address
    assert not dialog.ok_button.isEnabled() and not dialog.system.sso_error.isHidden()
    dialog.system.sso_url.clear()
    qtbot.keyClicks(dialog.system.sso_url, "https://ssodvc.kontum.gov.vn/")
    assert dialog.ok_button.isEnabled() and dialog.system.sso_error.isHidden()

    chosen = dialog.result_settings()
    assert (chosen.system_kind, chosen.server_url, chosen.sso_url, chosen.realm) == (
        "igate",
        "https://apiigate.kontum.gov.vn",
        "https://ssodvc.kontum.gov.vn",
        "",
    )
    assert isinstance(
        _http_source(chosen, CredentialStore(MemoryKeyring()), "a"), IgateDossierSource
    )


def test_the_choice_survives_saving_and_the_contract_stays_the_default(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path
) -> None:
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert load_settings(store).system_kind == "intake"
    with open_store(tmp_path / "intake.sqlite3") as desk_store:
        dialog = SettingsDialog(
            AppSettings(server_url="https://apiigate.kontum.gov.vn"), desk_store
        )
        qtbot.addWidget(dialog)
        dialog.system.kind.setCurrentIndex(dialog.system.kind.findData("igate"))
        qtbot.keyClicks(dialog.system.client_id, "motcua-kontum")
        save_settings(dialog.result_settings(), store)
        dialog.close()

    again = load_settings(store)
    assert (again.system_kind, again.client_id) == ("igate", "motcua-kontum")
    contract = _http_source(
        AppSettings(server_url="https://dvc.example.gov.vn"), CredentialStore(MemoryKeyring()), "a"
    )
    assert type(contract) is HttpDossierSource


def test_an_officer_picks_igate_signs_in_works_the_queue_and_decides(  # type: ignore[no-untyped-def]
    qtbot, igate: ServerHandle, tmp_path: Path
) -> None:
    first = FirstStartDialog(AppSettings())
    qtbot.addWidget(first)
    first.show()
    first.system.kind.setCurrentIndex(first.system.kind.findData("igate"))
    qtbot.keyClicks(first.server_url, igate.url)
    qtbot.keyClick(first.server_url, Qt.Key.Key_Return)
    assert first.result() == QDialog.DialogCode.Accepted
    settings = first.result_settings()

    credentials = CredentialStore(MemoryKeyring())
    sources: dict[str, RemoteSource] = {}
    sign_in = SignInDialog(settings, partial(_login, settings, credentials, sources), credentials)
    qtbot.addWidget(sign_in)
    sign_in.show()
    assert "VNPT iGate" in sign_in.server_label.text()
    qtbot.keyClicks(sign_in.username, "canbo01")
    qtbot.keyClicks(sign_in.password, "matkhau123")
    qtbot.mouseClick(sign_in.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sign_in.result() == QDialog.DialogCode.Accepted, timeout=10000)
    assert sign_in.officer is not None and sign_in.officer.username == "canbo01"

    source = sources["canbo01"]
    with open_store(tmp_path / "intake.sqlite3") as store, source:
        Synchronizer(source, store, tmp_path / "cache").sync()
        queue = list_dossiers(store, [DossierStatus.AWAITING_INTAKE])
        dossier = get_dossier(store, queue[0].code)
        assert dossier is not None
        Outbox(store).record(
            DecisionRequest(
                dossier.code,
                dossier.version,
                DecisionKind.ACCEPT,
                appointment_date=dossier.submitted_at.astimezone(VN_TZ).date() + timedelta(days=10),
            ),
            "canbo01",
        )
        [sent] = Sender(source, store).send_pending()
        on_server = source.get_dossier(dossier.code)

    assert sent.state is OutboxState.SENT
    assert on_server.status is DossierStatus.ACCEPTED
    [recorded] = [d for d in igate.decisions() if d["dossier_code"] == dossier.code]
    assert recorded["officer"] == "canbo01"


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("realm", "khac", "Hệ thống đăng nhập không có realm “khac”: ô Realm bị sai."),
        ("client_id", "sai-client", "client id “sai-client”"),
        ("client_id", NO_PASSWORD_GRANT_CLIENT, "không được đăng nhập bằng mật khẩu"),
    ],
)
def test_a_wrong_realm_or_client_id_names_the_setting_not_the_password(  # type: ignore[no-untyped-def]
    qtbot, igate: ServerHandle, setting: str, value: str, expected: str
) -> None:
    settings = replace(
        AppSettings(server_url=igate.url, system_kind="igate", username="canbo01"),
        **{setting: value},
    )
    credentials = CredentialStore(MemoryKeyring())
    sources: dict[str, RemoteSource] = {}
    dialog = SignInDialog(settings, partial(_login, settings, credentials, sources), credentials)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "matkhau123")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=10000)

    text = dialog.error.text()
    assert expected in text and "Đổi máy chủ…" in text
    assert "mật khẩu." not in text  # not "Sai tên đăng nhập hoặc mật khẩu."
    assert dialog.change_server.hasFocus()  # where the fix is
    assert dialog.result() != QDialog.DialogCode.Accepted
    sources["canbo01"].close()


def test_a_wrong_password_is_still_a_wrong_password(qtbot, igate: ServerHandle) -> None:  # type: ignore[no-untyped-def]
    settings = AppSettings(server_url=igate.url, system_kind="igate", username="canbo01")
    credentials = CredentialStore(MemoryKeyring())
    sources: dict[str, RemoteSource] = {}
    dialog = SignInDialog(settings, partial(_login, settings, credentials, sources), credentials)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "sai-mat-khau")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=10000)

    assert dialog.error.text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert dialog.password.hasFocus() and dialog.password.selectedText() == "sai-mat-khau"
    sources["canbo01"].close()


def test_each_sign_in_refusal_has_its_own_words(qapp) -> None:  # type: ignore[no-untyped-def]
    texts = {
        sign_in_error_text(UnknownRealm("x", "khac")),
        sign_in_error_text(UnknownClient("x", "web")),
        sign_in_error_text(NoSignInService("x", "https://sso.example.gov.vn")),
        sign_in_error_text(AccountUnusable("x")),
        sign_in_error_text(WrongCredentials("x")),
    }
    assert len(texts) == 5
    assert "https://sso.example.gov.vn" in sign_in_error_text(
        NoSignInService("x", "https://sso.example.gov.vn")
    )
    assert "Địa chỉ đăng nhập (SSO)" in error_text(NoSignInService("x", "https://sso.vn"))
    # Outside the sign-in dialog (a sync), a setting is still named, not "session expired".
    assert "Realm" in error_text(UnknownRealm("x", "khac"))
