"""Every test starts from defaults: its own data directory, no keyring, no user settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before pytest-qt builds the session's QApplication: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("INTAKE_DESKTOP_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    _isolate_qsettings(home / "config")
    yield home


def _isolate_qsettings(folder: Path) -> None:
    """QSettings() in code under test reads and writes an INI file in the test's home."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("intake-desktop")
    QCoreApplication.setApplicationName("Intake Desktop")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


@pytest.fixture(autouse=True)
def _qt_garbage_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collect a Qt test's garbage here, on the GUI thread.

    Left to the automatic collector, reference cycles holding Qt objects may be collected
    on whatever thread allocates next — a training server's worker in a later test — and
    destroying a QObject there crashes the process (seen once in a full run). The app does
    the same with :mod:`intake_desktop.ui.gui_gc`.
    """
    yield
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        import gc

        gc.collect()
