"""SQLAlchemy pieces shared by the desktop store and the training server's database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Dialect, String, TypeDecorator

# Named constraints: SQLite batch migrations can only drop or alter what has a name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


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
