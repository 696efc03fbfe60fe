"""The audit log: append-only, hash-chained, and loud when someone edits it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import DatabaseError

from intake_desktop.store import Store, open_store
from intake_desktop.store.audit import GENESIS_HASH, append, entries, verify_chain
from intake_desktop.store.errors import AuditDetailsError
from intake_desktop.store.models import SettingRow

DOSSIER = "000.00.53.H48-261120-0007"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "intake.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with open_store(db_path) as opened:
        yield opened


def _a_days_work(store: Store) -> None:
    append(store, "system", "dossier.synced", DOSSIER, {"version": 1})
    append(store, "nguyen.van.a", "dossier.opened", DOSSIER)
    append(
        store,
        "nguyen.van.a",
        "decision.recorded",
        DOSSIER,
        {"kind": "request_supplement", "reasons": ["Tờ khai bị sửa sau khi ký"]},
    )


def _tamper(store: Store, sql: str) -> None:
    """What someone with the database and its shell could do: lift the triggers, then edit."""
    with store.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
        connection.exec_driver_sql(sql)


def test_entries_chain_to_each_other(store: Store) -> None:
    _a_days_work(store)

    newest_first = entries(store)

    assert [e.action for e in newest_first] == [
        "decision.recorded",
        "dossier.opened",
        "dossier.synced",
    ]
    oldest = newest_first[-1]
    assert oldest.prev_hash == GENESIS_HASH
    assert newest_first[1].prev_hash == oldest.hash
    assert newest_first[0].details["reasons"] == ["Tờ khai bị sửa sau khi ký"]
    assert verify_chain(store) is None


def test_an_empty_log_verifies(store: Store) -> None:
    assert verify_chain(store) is None


def test_the_database_refuses_to_edit_or_delete_entries(store: Store) -> None:
    _a_days_work(store)

    for sql in ("UPDATE audit_log SET actor = 'someone' WHERE id = 2", "DELETE FROM audit_log"):
        with (
            store.engine.connect() as connection,
            pytest.raises(DatabaseError, match="append-only"),
        ):
            connection.exec_driver_sql(sql)


def test_an_edited_entry_is_found(store: Store, db_path: Path) -> None:
    _a_days_work(store)
    store.close()

    _tamper(
        store,
        """UPDATE audit_log SET details_json = '{"kind":"accept","reasons":[]}' WHERE id = 3""",
    )

    with open_store(db_path) as reopened:
        assert verify_chain(reopened) == 3


def test_an_edited_actor_in_the_middle_is_found(store: Store) -> None:
    _a_days_work(store)

    _tamper(store, "UPDATE audit_log SET actor = 'tran.thi.b' WHERE id = 2")

    assert verify_chain(store) == 2


def test_a_deleted_entry_breaks_the_chain_at_the_next_one(store: Store) -> None:
    _a_days_work(store)

    _tamper(store, "DELETE FROM audit_log WHERE id = 2")

    assert verify_chain(store) == 3


def test_an_unreadable_edit_is_reported_not_raised(store: Store) -> None:
    _a_days_work(store)

    _tamper(store, "UPDATE audit_log SET at = 'yesterday', details_json = '{' WHERE id = 1")

    assert verify_chain(store) == 1


def test_an_entry_in_a_unit_of_work_rolls_back_with_it(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as session:
        session.add(SettingRow(key="last_decision", value=DOSSIER))
        append(session, "nguyen.van.a", "decision.recorded", DOSSIER, {"kind": "accept"})
        raise RuntimeError("the outbox write failed")

    assert entries(store) == []

    with store.session() as session:
        append(session, "nguyen.van.a", "decision.recorded", DOSSIER, {"kind": "accept"})
        append(session, "system", "outbox.queued", DOSSIER)
    assert [e.action for e in entries(store)] == ["outbox.queued", "decision.recorded"]
    assert verify_chain(store) is None


def test_details_must_be_plain_json(store: Store) -> None:
    with pytest.raises(AuditDetailsError, match="plain JSON"):
        append(store, "nguyen.van.a", "decision.recorded", DOSSIER, {"on": date(2026, 11, 23)})
    with pytest.raises(AuditDetailsError):
        append(store, "nguyen.van.a", "decision.recorded", DOSSIER, {"score": float("nan")})
    assert entries(store) == []


def test_two_desks_appending_at_once_keep_one_chain(store: Store) -> None:
    errors: list[BaseException] = []

    def desk(officer: str) -> None:
        try:
            for n in range(15):
                append(store, officer, "dossier.opened", f"{DOSSIER}-{n}")
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=desk, args=(f"officer-{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(entries(store, limit=100)) == 45
    assert verify_chain(store) is None
