"""The settings dialog: a supervisor sets up the desk, manages trusted roots, checks the cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool, QTime, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from intake_desktop.demo.pki import DemoPki
from intake_desktop.services.signatures.trust import shipped_certificates
from intake_desktop.store import Store, open_store
from intake_desktop.store.trust_anchors import list_anchors
from intake_desktop.ui.app_settings import AppSettings, load_settings, save_settings
from intake_desktop.ui.settings_dialog import SettingsDialog, ca_bundle_problem
from intake_desktop.ui.trust_anchor_model import ANCHOR_ROLE, AnchorEntry, grouped_fingerprint

ARTIFACTS = Path(__file__).parent / "_artifacts"
SHIPPED_ANCHORS = 9


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake.sqlite3") as opened:
        yield opened
        # Nothing may still be reading the store when it closes.
        QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def root_pem(tmp_path: Path) -> Path:
    path = tmp_path / "demo-root.pem"
    path.write_bytes(DemoPki.create(seed=1).root_pem())
    return path


def _open(qtbot, store: Store, settings: AppSettings | None = None, **kw) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(settings or AppSettings(), store, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    # The roots are read in the background; the buttons come back when they are listed.
    qtbot.waitUntil(lambda: dialog.trust_model.rowCount() > 0 and dialog.import_button.isEnabled())
    return dialog


def _shot(dialog: SettingsDialog, tab: int, name: str) -> None:
    dialog.tabs.setCurrentIndex(tab)
    # The size the dialog opens at on a 1366×768 screen (the offscreen screen is smaller).
    dialog.resize(900, 560)
    ARTIFACTS.mkdir(exist_ok=True)
    image = dialog.grab()
    assert not image.isNull()
    assert image.save(str(ARTIFACTS / f"{name}.png"))


def _entries(dialog: SettingsDialog) -> list[AnchorEntry]:
    model = dialog.trust_model
    return [model.index(row, 0).data(ANCHOR_ROLE) for row in range(model.rowCount())]


def _answer_confirmation(button_text: str) -> list[str]:
    """Click ``button_text`` in the confirmation box once it is up (it runs its own loop).

    Returns a list that receives the box's text when answered; gives up after 5 s.
    """
    answered: list[str] = []
    tries = iter(range(500))

    def click() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                answered.append(widget.text())
                next(b for b in widget.buttons() if b.text() == button_text).click()
                return
        if next(tries, None) is not None:
            QTimer.singleShot(10, click)

    QTimer.singleShot(0, click)
    return answered


def test_settings_round_trip_through_qsettings(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, store)
    assert dialog.cutoff.time() == QTime(15, 0)
    dialog.test_mode.setChecked(False)
    dialog.server_url.setText("https://dichvucong.hanoi.gov.vn/")
    dialog.username.setText("  canbo07 ")
    dialog.online_revocation.setChecked(True)
    dialog.office_fields["agency"].setText("UBND xã Tân Lập")
    dialog.office_fields["desk"].setText("Bộ phận tiếp nhận và trả kết quả")
    dialog.office_fields["place"].setText("Đan Phượng")
    dialog.office_fields["result_location"].setText("Bộ phận Một cửa UBND xã Tân Lập")
    dialog.office_fields["phone"].setText("024 3388 1234")
    dialog.saturday_morning.setChecked(True)
    dialog.cutoff.setTime(QTime(16, 30))
    dialog.intake_days.setValue(2)
    dialog.cache_limit.setValue(4096)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted

    edited = dialog.result_settings()
    save_settings(edited)
    loaded = load_settings(QSettings())
    assert loaded == edited
    assert loaded.server_url == "https://dichvucong.hanoi.gov.vn"
    assert loaded.username == "canbo07"
    assert loaded.calendar().cutoff.strftime("%H:%M") == "16:30"
    assert loaded.calendar().saturday_morning and loaded.calendar().intake_days == 2
    assert loaded.office().agency == "UBND xã Tân Lập"
    assert (loaded.online_revocation, loaded.cache_limit_mb, loaded.language) == (True, 4096, "en")

    # Opened again, the dialog shows what was saved.
    again = _open(qtbot, store, loaded)
    assert again.result_settings() == loaded


def test_wrong_server_or_ca_bundle_keeps_the_dialog_open(
    qtbot, store: Store, tmp_path: Path, root_pem: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, store, AppSettings(server_url="https://dvc.example.gov.vn"))
    dialog.tabs.setCurrentIndex(2)
    dialog.server_url.setText("dvc.example.gov.vn")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 0
    assert not dialog.server_error.isHidden()

    dialog.server_url.setText("https://dvc.example.gov.vn")
    not_pem = tmp_path / "ca.der"
    not_pem.write_bytes(DemoPki.create(seed=1).root_der())
    dialog.ca_bundle.setText(str(not_pem))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "PEM" in dialog.ca_error.text() and not dialog.ca_error.isHidden()
    _shot(dialog, 0, "settings-server")

    dialog.ca_bundle.setText(str(root_pem))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_settings().ca_bundle_path() == root_pem


def test_ca_bundle_rules(tmp_path: Path, root_pem: Path) -> None:
    text = tmp_path / "notes.pem"
    text.write_text(
        "-----BEGIN CERTIFICATE-----\nkhông phải chứng thư\n-----END CERTIFICATE-----\n"
    )
    assert ca_bundle_problem("") is None
    assert ca_bundle_problem(str(root_pem)) is None
    assert ca_bundle_problem(str(tmp_path / "missing.pem")) == "Không tìm thấy tệp."
    assert ca_bundle_problem(str(text)) is not None
    assert ca_bundle_problem(str(tmp_path)) is not None  # a folder


def test_test_mode_needs_no_server_but_live_work_does(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, store, AppSettings(test_mode=True))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted

    dialog = _open(qtbot, store, AppSettings(test_mode=True))
    dialog.test_mode.setChecked(False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "chế độ thử nghiệm" in dialog.server_error.text()


def test_office_fields_printed_on_slips_must_not_be_empty(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, store, AppSettings(test_mode=True))
    dialog.office_fields["agency"].clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 2
    assert not dialog.office_error.isHidden()
    _shot(dialog, 2, "settings-office")


def test_built_in_roots_are_listed_and_cannot_be_removed(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, store)
    entries = _entries(dialog)
    shipped = [s for s in shipped_certificates() if s.role == "anchor"]
    assert len(shipped) == SHIPPED_ANCHORS
    assert len(entries) == SHIPPED_ANCHORS and all(e.builtin for e in entries)
    model = dialog.trust_model
    assert {model.index(r, 3).data() for r in range(model.rowCount())} == {"Có sẵn"}
    names = {e.name for e in entries}
    assert {"Vietnam National Root CA", "RootCA chuyên dùng Chính phủ G2"} <= names
    fp_cell = model.index(0, 2).data()
    assert fp_cell == grouped_fingerprint(entries[0].fingerprint)
    assert len(fp_cell.splitlines()) == 2 and all(len(g) == 4 for g in fp_cell.split())
    assert "4 chứng thư trung gian" in dialog.trust_status.text()

    dialog.trust_view.selectRow(0)
    assert not dialog.remove_button.isEnabled()
    assert dialog.remove_button.toolTip()
    _shot(dialog, 1, "settings-trust")


def test_supervisor_imports_a_root_then_removes_it(
    qtbot, store: Store, root_pem: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, store)
    dialog.tabs.setCurrentIndex(1)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(root_pem), ""))
    )
    with qtbot.waitSignal(dialog.trustChanged, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())

    assert dialog.trust_status.text() == "Đã nhập 1 chứng thư."
    assert dialog.trust_model.rowCount() == SHIPPED_ANCHORS + 1
    imported = dialog.selected_anchor()  # the new root is selected
    assert imported is not None and not imported.builtin
    assert imported.source == "demo-root.pem"
    assert [a.fingerprint for a in list_anchors(store)] == [imported.fingerprint]
    assert dialog.remove_button.isEnabled()
    _shot(dialog, 1, "settings-trust-imported")

    # Importing the same file again adds nothing.
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "đã có" in dialog.trust_status.text())
    assert dialog.trust_model.rowCount() == SHIPPED_ANCHORS + 1

    # The supervisor changes their mind at the confirmation first…
    assert dialog.selected_anchor() == imported and dialog.remove_button.isEnabled()
    answered = _answer_confirmation("Hủy")
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert answered and imported.name in answered[0]
    assert len(list_anchors(store)) == 1

    # …then confirms.
    dialog.trust_changed = False
    answered = _answer_confirmation("Xóa")
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert answered
    qtbot.waitUntil(lambda: dialog.trust_model.rowCount() == SHIPPED_ANCHORS)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    assert dialog.trust_changed
    assert list_anchors(store) == []
    assert "Đã xóa" in dialog.trust_status.text()


def test_a_file_without_certificates_is_refused_in_vietnamese(
    qtbot, store: Store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "khong-phai-chung-thu.pem"
    junk.write_bytes(b"%PDF-1.7 day la to khai, khong phai chung thu")
    dialog = _open(qtbot, store)
    dialog.import_certificates(junk)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    assert dialog.trust_status.text().startswith("Không đọc được chứng thư trong tệp")
    assert dialog.trust_model.rowCount() == SHIPPED_ANCHORS
    assert not dialog.trust_changed


def test_cache_tab_shows_what_the_cache_uses(qtbot, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    (cache / "attachments").mkdir(parents=True)
    (cache / "attachments" / "a.pdf").write_bytes(b"x" * 3 * 1024 * 1024)
    (cache / "attachments" / "b.pdf").write_bytes(b"x" * 1024 * 1024)
    dialog = _open(qtbot, store, AppSettings(cache_limit_mb=1024), cache_dir=cache)
    qtbot.waitUntil(lambda: "tệp" in dialog.cache_usage.text())
    assert "4" in dialog.cache_usage.text() and "2 tệp" in dialog.cache_usage.text()
    assert not dialog.cache_bar.isHidden() and dialog.cache_bar.value() == 4  # 4 MB of 1 GB
    assert dialog.cache_bar.text().startswith(("0.4 %", "0,4 %"))
    _shot(dialog, 3, "settings-cache")
    _shot(dialog, 4, "settings-language")
