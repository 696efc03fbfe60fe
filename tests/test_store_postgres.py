"""An office's shared store on PostgreSQL (``INTAKE_DESKTOP_DATABASE_URL``).

The first tests run everywhere (choosing and refusing a server); the rest need the test
server that ``INTAKE_TEST_POSTGRES=1`` starts (``make test-postgres``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring_support import MemoryKeyring
from postgres_support import ENABLED
from sqlalchemy import inspect, text

from intake_desktop.store import MigrationFailed, NotAStoreDatabase, Store, open_store
from intake_desktop.store import db as store_db
from intake_desktop.store.audit import append, verify_chain
from intake_desktop.store.errors import DatabaseTooNew
from intake_desktop.store.models import SettingRow

needs_server = pytest.mark.skipif(not ENABLED, reason="needs INTAKE_TEST_POSTGRES=1")


@pytest.mark.sqlite_only
def test_only_postgresql_can_be_shared(tmp_path: Path) -> None:
    with pytest.raises(NotAStoreDatabase, match="only PostgreSQL"):
        open_store(url="mysql://office@db.example/intake")


@pytest.mark.sqlite_only
def test_an_unreachable_server_is_named_not_raised(tmp_path: Path) -> None:
    url = f"postgresql://officer@/intake?host={tmp_path / 'no-server-here'}"
    with pytest.raises(NotAStoreDatabase, match="cannot connect") as caught:
        open_store(url=url)
    assert "no-server-here" in str(caught.value)


@pytest.mark.sqlite_only
def test_test_mode_keeps_its_own_file_whatever_the_office_shares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTAKE_DESKTOP_DATABASE_URL", "postgresql://officer@/nowhere")
    with open_store(test_mode=True) as store:
        assert store.path is not None and store.path.name == "intake-test-mode.sqlite3"
        assert store.engine.dialect.name == "sqlite"


@pytest.mark.sqlite_only
def test_the_password_comes_from_the_keyring_never_the_settings(
    memory_keyring: MemoryKeyring,
) -> None:
    memory_keyring.set_password(
        "intake-desktop", "postgresql://db.office.example:5433/intake|officer", "s3cret"
    )
    url = store_db._server_url("postgresql://officer@db.office.example:5433/intake")
    assert url.password == "s3cret" and url.drivername == "postgresql+psycopg"
    # A URL that carries its own password keeps it; one for someone else gets none.
    given = store_db._server_url("postgresql://officer:given@db.office.example:5433/intake")
    assert given.password == "given"
    other = store_db._server_url("postgresql://clerk@db.office.example:5433/intake")
    assert other.password is None


@pytest.fixture
def shared() -> Iterator[Store]:
    with open_store() as store:
        yield store


@needs_server
def test_the_shared_store_is_postgresql_at_the_head_revision(shared: Store) -> None:
    assert shared.path is None and shared.engine.dialect.name == "postgresql"
    assert shared.revision() == store_db.head_revision()
    assert "audit_log" in inspect(shared.engine).get_table_names()


@needs_server
def test_two_desks_on_one_database_see_each_others_work(shared: Store) -> None:
    with open_store() as other_desk:
        with other_desk.session() as session:
            session.add(SettingRow(key="desk-2", value="le.van.c"))
        append(other_desk, "le.van.c", "dossier.opened", "000.00.53.H48-261120-0007")
    append(shared, "nguyen.van.a", "dossier.opened", "000.00.53.H48-261120-0008")
    with shared.session(write=False) as session:
        assert session.get(SettingRow, "desk-2") is not None
    assert verify_chain(shared) is None


@needs_server
def test_the_audit_log_is_append_only_on_postgresql(shared: Store) -> None:
    append(shared, "nguyen.van.a", "dossier.opened", "000.00.53.H48-261120-0007")
    with shared.engine.connect() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("UPDATE audit_log SET actor = 'someone'"))


@needs_server
def test_a_database_from_a_newer_app_is_refused_untouched(shared: Store) -> None:
    with shared.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(DatabaseTooNew):
        open_store()
    assert shared.revision() == "9999_future"


@needs_server
def test_a_failed_upgrade_changes_nothing(
    shared: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = store_db.head_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(store_db.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9000_test.py").write_text(
        f'''"""Test-only revision."""
import sqlalchemy as sa
from alembic import op

revision = "9000"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("officer_notes", sa.Column("id", sa.Integer(), primary_key=True))
    raise RuntimeError("disk full while migrating")


def downgrade() -> None:
    pass
''',
        encoding="utf-8",
    )
    monkeypatch.setattr(store_db, "MIGRATIONS_DIR", scripts)

    with pytest.raises(MigrationFailed, match="disk full") as caught:
        open_store()

    assert caught.value.backup is None  # PostgreSQL's DDL rolls back: no copy is needed
    assert shared.revision() == head
    assert "officer_notes" not in inspect(shared.engine).get_table_names()
