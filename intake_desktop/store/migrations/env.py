"""Alembic environment of the local store.

The application runs migrations through ``intake_desktop.store.db.open_store``, which hands
its own connection over in ``config.attributes["connection"]`` (foreign keys off, one
transaction). To write a new revision during development, against a database at head::

    from alembic import command
    from intake_desktop.store.db import alembic_config
    command.revision(alembic_config("sqlite:///dev.sqlite3"), "what changed", autogenerate=True)

then review the generated script: SQLite needs batch operations (``render_as_batch``).
"""

from __future__ import annotations

from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, create_engine

from intake_desktop.store.models import Base, UtcDateTime

config = context.config


def _render_item(kind: str, obj: object, _context: AutogenContext) -> str | Literal[False]:
    # Scripts must not import app types: they describe the schema as it was at the time.
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.String(length=32)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url: use alembic_config(url)")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=Base.metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    _run_online()
