"""The local database: created, opened, upgraded with a backup, or refused."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    CopyKind,
    Dossier,
    DossierStatus,
)
from intake_desktop.store import (
    DatabaseTooNew,
    MigrationFailed,
    NotAStoreDatabase,
    Store,
    open_store,
)
from intake_desktop.store import db as store_db
from intake_desktop.store.db import head_revision
from intake_desktop.store.dossiers import get_dossier, save_dossier
from intake_desktop.store.models import Base, ComponentRow, SettingRow

DOSSIER = Dossier(
    code="000.00.53.H48-261120-0007",
    procedure_code="1.001193.000.00.00.H48",
    submitted_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    status=DossierStatus.AWAITING_INTAKE,
    version=1,
    applicant=Applicant(name="Phạm Thị Dung", citizen_id="048190001234"),
    components=(
        Component(
            spec_code="KS_TK",
            name="Tờ khai đăng ký khai sinh",
            copy_kind=CopyKind.ORIGINAL,
            attachments=(Attachment("f-1", "to-khai.pdf", "application/pdf", 51234),),
        ),
    ),
)

TABLES = {
    "procedures",
    "component_specs",
    "dossiers",
    "components",
    "attachments",
    "signature_reports",
    "decisions",
    "audit_log",
    "trust_anchors",
    "settings",
}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "intake.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with open_store(db_path) as opened:
        yield opened


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _backups(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f"{path.name}.bak-*"))


def test_a_new_database_gets_every_table_at_the_head_revision(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())

    assert tables >= TABLES
    assert store.revision() == HEAD
    if store.path is not None:
        assert _backups(store.path) == []  # nothing to back up on a fresh file


def test_migrations_and_models_describe_the_same_schema(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


@pytest.mark.sqlite_only
def test_every_connection_has_wal_foreign_keys_and_a_busy_timeout(store: Store) -> None:
    # Two connections at once: the pragmas are set per connection, not once per file.
    with store.engine.connect() as first, store.engine.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(ComponentRow(dossier_id=4242, position=0, name="Tờ khai", copy_kind="original"))


def test_a_session_commits_on_success_and_rolls_back_on_error(store: Store) -> None:
    with store.session() as session:
        session.add(SettingRow(key="kept", value="1"))
    with pytest.raises(RuntimeError, match="officer closed the app"), store.session() as session:
        session.add(SettingRow(key="lost", value="1"))
        session.flush()
        raise RuntimeError("officer closed the app")

    with store.session(write=False) as session:
        keys = set(session.scalars(select(SettingRow.key)))
    assert keys == {"kept"}


def test_reopening_keeps_the_data_and_makes_no_backup(db_path: Path) -> None:
    with open_store(db_path) as first, first.session() as session:
        session.add(SettingRow(key="officer", value="nguyen.van.a"))

    with open_store(db_path) as again, again.session(write=False) as session:
        assert session.get(SettingRow, "officer") is not None
        assert again.revision() == head_revision()
    assert _backups(db_path) == []


def test_default_location_separates_test_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTAKE_DESKTOP_HOME", str(tmp_path / "home"))

    with open_store(test_mode=True) as store:
        assert store.path == tmp_path / "home" / "intake-test-mode.sqlite3"
    assert store.path.is_file()
    assert not (tmp_path / "home" / "intake.sqlite3").exists()


@pytest.mark.sqlite_only
def test_a_database_from_a_newer_app_is_refused_untouched(db_path: Path) -> None:
    open_store(db_path).close()
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '0042_from_the_future'")

    with pytest.raises(DatabaseTooNew, match="newer version of Intake Desktop") as caught:
        open_store(db_path)

    assert caught.value.revision == "0042_from_the_future"
    assert _revision(db_path) == "0042_from_the_future"
    assert _backups(db_path) == []


@pytest.mark.sqlite_only
def test_a_file_that_is_not_sqlite_is_refused(db_path: Path) -> None:
    db_path.write_bytes(b"%PDF-1.7 not a database" + bytes(2048))

    with pytest.raises(NotAStoreDatabase, match="not an Intake Desktop database"):
        open_store(db_path)


@pytest.mark.sqlite_only
def test_someone_elses_sqlite_database_is_refused(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")

    with pytest.raises(NotAStoreDatabase, match="invoices"):
        open_store(db_path)


# The app's newest revision: the test-only one below chains after it.
HEAD = head_revision()

# A second revision exists only in these tests, in a copy of the migration scripts.
_REVISION_0002 = '''
"""Test-only revision."""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("officer_notes", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("settings") as batch:
        batch.add_column(sa.Column("changed_by", sa.String(100), nullable=True))
    # Rebuilds a table other tables point to: must not cascade-delete their rows.
    with op.batch_alter_table("dossiers", recreate="always") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=True))
    {failure}


def downgrade() -> None:
    pass
'''


def _scripts_with_0002(tmp_path: Path, failure: str = "") -> Path:
    scripts = tmp_path / "migrations"
    shutil.copytree(store_db.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0002_test.py").write_text(
        _REVISION_0002.format(failure=failure, head=HEAD), encoding="utf-8"
    )
    return scripts


@pytest.mark.sqlite_only
def test_upgrading_an_older_database_keeps_a_backup_and_the_data(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as old:
        with old.session() as session:
            session.add(SettingRow(key="officer", value="tran.thi.b"))
            session.add(SettingRow(key="desk", value="01"))
        save_dossier(old, DOSSIER, source="demo")
    monkeypatch.setattr(store_db, "MIGRATIONS_DIR", _scripts_with_0002(tmp_path))

    with open_store(db_path) as upgraded:
        assert upgraded.revision() == "0002"
        with upgraded.session(write=False) as session:
            assert session.get(SettingRow, "officer") is not None
            assert "officer_notes" in inspect(session.connection()).get_table_names()
        assert get_dossier(upgraded, DOSSIER.code) == DOSSIER

    assert _backups(db_path) == [f"intake.sqlite3.bak-{HEAD}"]
    backup = db_path.with_name(f"intake.sqlite3.bak-{HEAD}")
    assert _revision(backup) == HEAD
    with closing(sqlite3.connect(backup)) as connection:
        rows = connection.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    assert rows == [("desk", "01"), ("officer", "tran.thi.b")]


@pytest.mark.sqlite_only
def test_a_failed_upgrade_leaves_the_database_as_it_was(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as old, old.session() as session:
        session.add(SettingRow(key="officer", value="le.van.c"))
    failing = "raise RuntimeError('disk full while migrating')"
    monkeypatch.setattr(store_db, "MIGRATIONS_DIR", _scripts_with_0002(tmp_path, failing))

    with pytest.raises(MigrationFailed, match="disk full") as caught:
        open_store(db_path)

    assert caught.value.backup == db_path.with_name(f"intake.sqlite3.bak-{HEAD}")
    assert _revision(db_path) == HEAD
    with closing(sqlite3.connect(db_path)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        columns = {row[1] for row in connection.execute("PRAGMA table_info(settings)")}
        officer = connection.execute("SELECT value FROM settings").fetchall()
    # One transaction: the table created before the failure is gone too.
    assert "officer_notes" not in tables
    assert "changed_by" not in columns
    assert officer == [("le.van.c",)]


def test_writers_on_several_threads_queue_up_instead_of_failing(store: Store) -> None:
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(20):
                with store.session() as session:
                    counter = session.get(SettingRow, "counter")
                    if counter is None:
                        session.add(SettingRow(key="counter", value="1"))
                    else:
                        counter.value = str(int(counter.value) + 1)
                    session.add(SettingRow(key=f"w{worker}-{n}", value=""))
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with store.session(write=False) as session:
        counter = session.scalar(select(SettingRow.value).where(SettingRow.key == "counter"))
        written = session.scalar(select(func.count()).select_from(SettingRow))
    # Read-modify-write under BEGIN IMMEDIATE: no increment is lost.
    assert counter == "80"
    assert written == 81


def test_the_quick_head_check_agrees_with_alembic() -> None:
    from intake_desktop.store.db import _head_from_scripts, head_revision

    assert _head_from_scripts() == head_revision()
