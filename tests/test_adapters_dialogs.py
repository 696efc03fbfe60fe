"""An officer chooses "VNPT iGate" as "Loại hệ thống", signs in to the iGate imitation, works
the queue and decides: through the same dialogs and the same app wiring as the contract."""

from __future__ import annotations

from collections.abc import Iterator
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
from intake_desktop.server.testing import ServerHandle, running_server
from intake_desktop.services.adapters import RemoteSource, SystemKind
from intake_desktop.services.adapters.igate import IgateDossierSource
from intake_desktop.services.credentials import CredentialStore
from intake_desktop.services.http_source import HttpDossierSource
from intake_desktop.services.outbox import Outbox, Sender
from intake_desktop.services.source import DecisionRequest
from intake_desktop.services.sync import Synchronizer
from intake_desktop.store import open_store
from intake_desktop.store.dossiers import get_dossier, list_dossiers
from intake_desktop.ui.app_settings import AppSettings, load_settings, save_settings
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
