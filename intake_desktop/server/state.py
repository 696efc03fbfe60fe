"""What a running training server holds: its settings, database, data folder and faults."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from intake_desktop.server.db import ServerDatabase
from intake_desktop.server.faults import Faults
from intake_desktop.server.seed import DataDir, DataDirLock

EXTENSION_KEY = "intake_training_server"

DEFAULT_TOKEN_TTL = 300
"""Seconds a token lives: about what VNPT iGate's tokens live (~5 minutes)."""
MAX_BODY_BYTES = 1_000_000
"""Largest request body accepted (413 beyond)."""


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Settings of one training server app."""

    data_dir: Path
    """A seeded data folder (see :func:`intake_desktop.server.seed.prepare_data_dir`)."""
    token_ttl: int = DEFAULT_TOKEN_TTL
    """Lifetime of a bearer token in seconds."""
    fault_injection: bool = False
    """Allow ``/api/v1/_training/faults`` (off by default: a classroom server behaves)."""
    max_body_bytes: int = MAX_BODY_BYTES
    flavor: str = "contract"
    """Which system it plays: ``contract`` (``openapi.json``) or ``igate`` (VNPT iGate)."""


@dataclass
class ServerState:
    """The app's shared state; safe to use from the server's threads."""

    config: ServerConfig
    database: ServerDatabase
    lock: DataDirLock
    faults: Faults = field(default_factory=Faults)
    stopping: threading.Event = field(default_factory=threading.Event)
    """Set when the server stops: cuts fault delays short."""

    @property
    def data(self) -> DataDir:
        return DataDir(self.config.data_dir)

    def close(self) -> None:
        """Stop delays, close the database and release the data folder."""
        self.stopping.set()
        self.database.close()
        self.lock.release()


def server_state(app: Flask | None = None) -> ServerState:
    """Return the state of ``app`` (default: the app handling the current request)."""
    state = (app or current_app).extensions[EXTENSION_KEY]
    assert isinstance(state, ServerState)
    return state
