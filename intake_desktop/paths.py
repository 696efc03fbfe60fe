"""Where Intake Desktop keeps its files.

User data (database, cache, logs) lives under platformdirs' user data dir, or under
``$INTAKE_DESKTOP_HOME`` when set (tests point it at a temporary directory).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "intake-desktop"
HOME_ENV = "INTAKE_DESKTOP_HOME"
DATABASE_URL_ENV = "INTAKE_DESKTOP_DATABASE_URL"


def data_dir() -> Path:
    """Return the user data directory, creating it if needed."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(test_mode: bool = False) -> Path:
    """Return the SQLite file: test mode never shares the live database."""
    return data_dir() / ("intake-test-mode.sqlite3" if test_mode else "intake.sqlite3")


def database_url() -> str | None:
    """Return the shared PostgreSQL database of the office, when one is configured."""
    return os.environ.get(DATABASE_URL_ENV) or None


def cache_dir() -> Path:
    path = data_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """Return the shipped resources: inside the wheel, or the repository's ``resources/``."""
    packaged = Path(__file__).resolve().parent / "_resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
