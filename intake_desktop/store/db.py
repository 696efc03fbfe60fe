"""Opening the store: pragmas, schema upgrades, backups and sessions.

The store is a local SQLite file by default. An office that wants one database for all its
desks sets ``INTAKE_DESKTOP_DATABASE_URL`` to a PostgreSQL URL (``postgresql://user@host/db``,
the password from the keyring or libpq's usual sources); test mode always keeps its own file.

The schema is upgraded at start with Alembic (scripts in ``migrations/``, inside the package,
so no ``alembic.ini`` is needed). Before an existing database is upgraded, a consistent copy
is kept next to it as ``<file>.bak-<old revision>``; a database written by a newer version
of the app is refused rather than touched.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Engine, exc, inspect, make_url
from sqlalchemy.orm import Session, sessionmaker

from intake_desktop.closing import Closing
from intake_desktop.paths import database_path, database_url
from intake_desktop.sql_types import server_engine, sqlite_engine, writing
from intake_desktop.store.errors import DatabaseTooNew, MigrationFailed, NotAStoreDatabase

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
"""How long a connection waits for another writer before 'database is locked'."""


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic config for the store's migration scripts, built in code.

    ``url`` is only needed to run Alembic commands by hand (e.g. autogenerate during
    development); the app passes its own connection.
    """
    from alembic.config import Config

    config = Config()
    # Config values go through configparser interpolation: a literal % must be doubled.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """Return the newest schema revision this version of the app knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError(f"no migration scripts in {MIGRATIONS_DIR}")
    return head


class Store(Closing):
    """An open local database. Use :meth:`session` for each unit of work.

    The store may be shared between threads (its connection pool is thread-safe); a
    session may not: open one per unit of work, on the thread that does the work.
    """

    def __init__(self, path: Path | None, engine: Engine) -> None:
        self.path = path
        """The SQLite file, or ``None`` for a shared PostgreSQL database."""
        self.engine = engine
        self._writer = sessionmaker(writing(engine), expire_on_commit=False)
        self._reader = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """Open a session for one unit of work: commit on success, roll back on error.

        A writing session takes SQLite's write lock when it begins (``BEGIN IMMEDIATE``), so
        concurrent writers wait for each other (up to the busy timeout) instead of failing
        half-way, and read-then-write logic such as the audit chain sees the latest row.
        Pass ``write=False`` for read-only work that should not wait for writers.
        """
        factory = self._writer if write else self._reader
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def revision(self) -> str | None:
        """Return the schema revision recorded in the database."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def close(self) -> None:
        """Close every pooled connection. The store must not be used afterwards."""
        self.engine.dispose()


def open_store(
    path: Path | None = None, *, test_mode: bool = False, url: str | None = None
) -> Store:
    """Open (creating if needed) the database at ``path`` and upgrade it to the app's schema.

    ``path`` defaults to ``paths.database_path(test_mode)``. Outside test mode, ``url`` (by
    default ``paths.database_url()``) names a shared PostgreSQL database to use instead.
    Returns the open :class:`Store`. Raises :class:`DatabaseTooNew` if a newer app wrote the
    database, :class:`NotAStoreDatabase` if it is something else, and
    :class:`MigrationFailed` if the upgrade failed (the database is then left at its old
    revision).
    """
    url = url if url is not None else (None if test_mode else database_url())
    if url:
        return _open_server(_server_url(url))
    path = database_path(test_mode) if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    _upgrade(path)
    return Store(path, _engine(path, foreign_keys=True))


def _engine(path: Path, *, foreign_keys: bool, pooled: bool = True) -> Engine:
    return sqlite_engine(
        path, foreign_keys=foreign_keys, pooled=pooled, busy_timeout_ms=BUSY_TIMEOUT_MS
    )


_REVISION = re.compile(r'^(down_)?revision(?:: [^=]+)? = "([^"]+)"', re.M)


def _head_from_scripts() -> str | None:
    """The head revision read straight from the scripts (one linear chain), or ``None`` if
    they cannot be read so simply. Spares loading Alembic (a quarter second) at each start."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((bool(m[1]), m[2]) for m in _REVISION.finditer(script.read_text("utf-8")))
        if False not in found:
            return None
        revisions.add(found[False])
        if True in found:
            parents.add(found[True])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _recorded_revision(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _server_url(text: str) -> URL:
    url = make_url(text)
    if url.get_backend_name() != "postgresql":
        raise NotAStoreDatabase(text, "only PostgreSQL can be a shared store")
    # psycopg 3, whatever driver the URL names; the password from the keyring when it has one.
    url = url.set(drivername="postgresql+psycopg")
    if url.password is None and url.username:
        from intake_desktop.services.credentials import CredentialError, CredentialStore

        port = f":{url.port}" if url.port else ""
        where = f"postgresql://{url.host or 'localhost'}{port}/{url.database or ''}"
        try:
            password = CredentialStore().get(where, url.username)
        except CredentialError:
            password = None
        if password is not None:
            url = url.set(password=password)
    return url


def _open_server(url: URL) -> Store:
    where = url.render_as_string(hide_password=True)
    engine = server_engine(url, pooled=False)
    try:
        _upgrade_engine(engine, where, backup=None)
    except exc.OperationalError as error:
        raise NotAStoreDatabase(where, f"cannot connect: {error.orig}") from error
    finally:
        engine.dispose()
    return Store(None, server_engine(url))


def _upgrade(path: Path) -> None:
    head = _head_from_scripts()
    if head is not None and _recorded_revision(path) == head:
        return  # already current: the usual start
    # Foreign keys off while migrating: SQLite's batch "copy and move" drops and recreates
    # tables, which would otherwise cascade deletes. The check below replaces them.
    engine = _engine(path, foreign_keys=False, pooled=False)
    try:
        _upgrade_engine(engine, path, backup=lambda current: _backup(path, current))
    finally:
        engine.dispose()


def _upgrade_engine(
    engine: Engine, where: Path | str, backup: Callable[[str], Path] | None
) -> None:
    """Bring the database behind ``engine`` to head; ``backup`` copies it first (SQLite)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    current, tables = _current_state(where, engine)
    if current == head:
        return
    if current is not None and not _knows(script, current):
        raise DatabaseTooNew(where, current)
    if current is None and tables:
        raise NotAStoreDatabase(
            where, f"it has tables ({', '.join(sorted(tables)[:5])}) but no schema revision"
        )
    copy = backup(current) if backup is not None and current is not None else None
    try:
        # One transaction: PostgreSQL's DDL is transactional too, so a failure changes nothing.
        with writing(engine).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if connection.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"foreign key check failed after upgrade: {broken[:5]}")
    except Exception as error:
        raise MigrationFailed(where, copy, error) from error


def _current_state(where: Path | str, engine: Engine) -> tuple[str | None, list[str]]:
    """Return the recorded revision and the names of the tables other than Alembic's."""
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            tables = [
                name for name in inspect(connection).get_table_names() if name != "alembic_version"
            ]
    except exc.OperationalError as error:
        if engine.dialect.name != "sqlite":
            raise NotAStoreDatabase(where, f"cannot connect: {error.orig}") from error
        raise NotAStoreDatabase(where, f"SQLite cannot read it: {error.orig}") from error
    except exc.DatabaseError as error:
        raise NotAStoreDatabase(where, f"SQLite cannot read it: {error.orig}") from error
    return current, tables


def _knows(script: ScriptDirectory, revision: str) -> bool:
    from alembic.script.revision import ResolutionError
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except (ResolutionError, CommandError):
        return False


def _backup(path: Path, revision: str) -> Path:
    """Copy the database with SQLite's online backup (it includes the WAL's pages)."""
    target = path.with_name(f"{path.name}.bak-{revision}")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target
