"""Every test starts from defaults: its own data directory, no keyring, no user settings."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

# Before pytest-qt builds the session's QApplication: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Shared fixtures: memory_keyring.
pytest_plugins = ["keyring_support"]

_TRAVELLER: list[Any] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("intake-desktop clock")
    group.addoption(
        "--instant",
        metavar="ISO",
        help="run as if the machine's clock said this moment (ISO 8601 with an offset, "
        "e.g. 2027-02-01T00:30+07:00); the clock ticks on from there",
    )
    group.addoption(
        "--machine-tz",
        metavar="ZONE",
        help="the machine's own time zone for the run (TZ), e.g. UTC or America/New_York",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Before collection: module-level "now"s of the tests see the travelled clock too.
    zone = config.getoption("--machine-tz")
    if zone:
        os.environ["TZ"] = zone
        time.tzset()
    instant = config.getoption("--instant")
    if instant:
        import time_machine

        moment = datetime.fromisoformat(instant)
        if moment.tzinfo is None:
            raise pytest.UsageError("--instant needs a UTC offset, e.g. +07:00")
        share_clock_with_children(moment)
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        _TRAVELLER.append(traveller)


TRAVEL_DIR = Path(__file__).parent / "travel"


def share_clock_with_children(moment: datetime, env: dict[str, str] | None = None) -> None:
    """Make Python children started with ``env`` (this process's by default) travel to
    ``moment`` too, ticking from now (see tests/travel/sitecustomize.py)."""
    target = os.environ if env is None else env
    target["INTAKE_TEST_CLOCK"] = f"{moment.isoformat()}|{_real_time()}"
    path = target.get("PYTHONPATH", "")
    target["PYTHONPATH"] = os.pathsep.join(p for p in (str(TRAVEL_DIR), path) if p)


def _real_time() -> float:
    # The children's clocks are real: under a travelled clock, time.time() is not.
    import time_machine

    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()


def pytest_unconfigure(config: pytest.Config) -> None:
    while _TRAVELLER:
        _TRAVELLER.pop().stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    instant, zone = config.getoption("--instant"), config.getoption("--machine-tz")
    if not (instant or zone):
        return None
    return f"clock: as if at {instant or 'now'}, machine time zone {zone or 'unchanged'}"


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


@pytest.fixture(scope="session")
def _postgres_server() -> Iterator[Any]:
    from postgres_support import running_server

    with running_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _store_on_postgres(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With INTAKE_TEST_POSTGRES=1, each test's live store is a fresh PostgreSQL database."""
    from postgres_support import ENABLED

    if not ENABLED or request.node.get_closest_marker("sqlite_only"):
        return
    server = request.getfixturevalue("_postgres_server")
    monkeypatch.setenv("INTAKE_DESKTOP_DATABASE_URL", server.new_database())


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
