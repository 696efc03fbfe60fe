"""Opening the training server's SQLite file: pragmas, schema version check, sessions.

Same habits as the desktop store (``intake_desktop.store.db``): WAL, foreign keys, a busy
timeout, and writing sessions that take SQLite's write lock at ``BEGIN IMMEDIATE`` so
read-then-write work (idempotent decisions) is atomic across the server's threads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, exc, inspect
from sqlalchemy.orm import Session, sessionmaker

from intake_desktop.closing import Closing
from intake_desktop.server.models import SCHEMA_VERSION, Base, MetaRow
from intake_desktop.sql_types import sqlite_engine, writing

BUSY_TIMEOUT_MS = 10_000
"""How long a connection waits for another writer before 'database is locked'."""

SCHEMA_KEY = "schema_version"


class ServerDataError(Exception):
    """The server's data folder cannot be used as it is; the message says what to do."""


class ServerDatabase(Closing):
    """The open server database. Use :meth:`session` for each unit of work.

    Shared between the server's threads (the pool is thread-safe); a session is not.
    """

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._writer = sessionmaker(writing(engine), expire_on_commit=False)
        self._reader = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """Open a session for one unit of work: commit on success, roll back on error.

        ``write=True`` takes the write lock when the transaction begins, so writers wait
        for each other instead of failing half-way, and what they read stays true until
        they commit.
        """
        factory = self._writer if write else self._reader
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        """Close every pooled connection. The database must not be used afterwards."""
        self.engine.dispose()


def make_engine(path: Path) -> Engine:
    """Return an engine on ``path`` with the server's pragmas and explicit transactions."""
    return sqlite_engine(path, busy_timeout_ms=BUSY_TIMEOUT_MS)


def create_database(path: Path) -> ServerDatabase:
    """Create a new, empty server database at ``path`` (which must not exist)."""
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    database = ServerDatabase(path, make_engine(path))
    Base.metadata.create_all(database.engine)
    with database.session(write=True) as session:
        session.add(MetaRow(key=SCHEMA_KEY, value=str(SCHEMA_VERSION)))
    return database


def open_database(path: Path) -> ServerDatabase:
    """Open an existing server database of this version.

    Raises :class:`ServerDataError` when the file is missing, is not a server database, or
    was written by another version of the server (start with ``--reset`` to rebuild it).
    """
    if not path.is_file():
        raise ServerDataError(f"{path}: no training server database here")
    engine = make_engine(path)
    try:
        version = _schema_version(path, engine)
    except BaseException:
        engine.dispose()
        raise
    if version != SCHEMA_VERSION:
        engine.dispose()
        found = "no schema version" if version is None else f"schema version {version}"
        raise ServerDataError(
            f"{path}: {found}, this server needs {SCHEMA_VERSION}; "
            "start it with --reset to rebuild the training data"
        )
    return ServerDatabase(path, engine)


def _schema_version(path: Path, engine: Engine) -> int | None:
    try:
        with engine.connect() as connection:
            if "meta" not in inspect(connection).get_table_names():
                return None
            row = connection.exec_driver_sql(
                "SELECT value FROM meta WHERE key = ?", (SCHEMA_KEY,)
            ).first()
    except exc.DatabaseError as error:
        raise ServerDataError(f"{path}: SQLite cannot read it ({error.orig})") from error
    if row is None:
        return None
    try:
        return int(row[0])
    except ValueError:
        return None


def remove_database_files(path: Path) -> None:
    """Delete a SQLite file and its WAL and shared-memory companions, if present."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        candidate.unlink(missing_ok=True)


def backup_database(source: Path, target: Path) -> None:
    """Copy a SQLite database consistently (SQLite's online backup includes the WAL)."""
    remove_database_files(target)
    source_connection = sqlite3.connect(source)
    try:
        target_connection = sqlite3.connect(target)
        try:
            source_connection.backup(target_connection)
        finally:
            target_connection.close()
    finally:
        source_connection.close()
