"""SQLAlchemy pieces shared by the desktop store and the training server's database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    URL,
    BigInteger,
    Connection,
    Dialect,
    Engine,
    Integer,
    String,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.pool import NullPool

# Named constraints: SQLite batch migrations can only drop or alter what has a name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


WIDE_INTEGER = BigInteger().with_variant(Integer(), "sqlite")
"""Integers a system may make large (iGate's versions are epoch milliseconds, file sizes):
64-bit on PostgreSQL, where INTEGER is 32; SQLite's INTEGER is 64-bit already."""


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def utc_text(value: datetime) -> str:
    """Return the stored text of an aware datetime (see :class:`UtcDateTime`)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; pass an aware datetime")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as ISO-8601 UTC text with microseconds.

    One fixed format makes text order equal time order (list orderings and cursors rely on
    it) and lets the audit chain hash the exact stored value. Naive datetimes are refused:
    their meaning depends on the machine.
    """

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else utc_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


BEGIN_MODE = "intake_begin_mode"
"""Execution option read by the BEGIN hook: DEFERRED (default, for reads and raw
connections) or IMMEDIATE (writing sessions, migrations): see :func:`writing`."""


def sqlite_engine(
    path: Path, *, foreign_keys: bool = True, pooled: bool = True, busy_timeout_ms: int = 5000
) -> Engine:
    """An engine on the SQLite file ``path``: WAL, foreign keys, a busy timeout, and one real
    transaction per unit of work (BEGIN emitted by us, in the mode :func:`writing` asks)."""
    url = URL.create("sqlite", database=str(path))
    engine = create_engine(url) if pooled else create_engine(url, poolclass=NullPool)
    fk = "ON" if foreign_keys else "OFF"

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module opens transactions itself but skips SELECTs and DDL; we turn
        # that off and emit BEGIN in on_begin, so every unit of work (and migrations) is
        # one real transaction. Legacy control is pinned: from Python 3.16 it is no longer
        # the default, and in the new modes commit() would not end our BEGIN.
        legacy = getattr(sqlite3, "LEGACY_TRANSACTION_CONTROL", None)
        if legacy is not None:
            dbapi_connection.autocommit = legacy
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA foreign_keys={fk}")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()

    def on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_MODE, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


WRITER_LOCK = 0x1A7A_4E00
"""The PostgreSQL advisory lock a writing transaction holds: one writer at a time, as on
SQLite, so read-then-write logic (the audit chain, outbox states) stays serial."""


def server_engine(url: URL, *, pooled: bool = True) -> Engine:
    """An engine on a PostgreSQL database shared by an office's desks.

    Writing transactions (see :func:`writing`) take :data:`WRITER_LOCK` first, the
    counterpart of SQLite's ``BEGIN IMMEDIATE``; reads never wait for it.
    """
    engine = create_engine(url) if pooled else create_engine(url, poolclass=NullPool)

    def on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(BEGIN_MODE) == "IMMEDIATE":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")

    event.listen(engine, "begin", on_begin)
    return engine


def writing(engine: Engine) -> Engine:
    """The engine with transactions that take the write lock at BEGIN."""
    return engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
