"""Every decision keeps its national TrangThaiHoSo in the store, whatever the system.

A database written by the previous version (schema 0002) gets the codes of its decisions
filled in by the upgrade; decisions recorded since carry theirs from the start. A dossier in
a status the desk does not know keeps the system's words and no made-up national code
(schema 0004).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command

from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    CopyKind,
    DecisionKind,
    Dossier,
    DossierStatus,
)
from intake_desktop.services.outbox import Outbox
from intake_desktop.services.source import DecisionRequest
from intake_desktop.store import open_store
from intake_desktop.store import outbox as stored
from intake_desktop.store.db import alembic_config
from intake_desktop.store.dossiers import get_dossier, save_dossier

_OLD_DECISION = """
INSERT INTO decisions (uuid, dossier_code, kind, reasons_json, components_json,
  appointment_date, officer_note, verdict_snapshot_json, dossier_version, state, attempts,
  next_attempt_at, last_error, server_receipt_json, created_at, sent_at, officer)
VALUES (?, ?, ?, '[]', '[]', NULL, '', '[]', 1, 'sent', 1, NULL, NULL, NULL,
  '2026-12-01T01:00:00.000000+00:00', NULL, 'canbo01')
"""


@pytest.mark.sqlite_only  # upgrades an older SQLite file
def test_an_older_database_gets_the_national_code_of_each_decision(tmp_path: Path) -> None:
    path = tmp_path / "intake.sqlite3"
    config = alembic_config(f"sqlite:///{path}")
    command.upgrade(config, "0002_training")
    with sqlite3.connect(path) as connection:
        for number, kind in enumerate(("accept", "refuse", "request_supplement")):
            connection.execute(
                _OLD_DECISION,
                (f"00000000-0000-4000-8000-00000000000{number}", f"HS-{number}", kind),
            )

    with open_store(path) as store:
        codes = {entry.kind: entry.national_status_code for entry in stored.entries(store)}

    assert codes == {
        DecisionKind.ACCEPT: 2,
        DecisionKind.REFUSE: 3,
        DecisionKind.REQUEST_SUPPLEMENT: 5,
    }


def test_a_new_decision_is_stored_with_its_national_code(tmp_path: Path) -> None:
    with open_store(tmp_path / "intake.sqlite3") as store:
        decision_id = Outbox(store).record(
            DecisionRequest("HS-1", 3, DecisionKind.REQUEST_SUPPLEMENT, reasons=("Thiếu tờ khai",)),
            "canbo01",
        )
        entry = stored.get(store, decision_id)

    assert entry is not None and entry.national_status_code == 5


def _dossier(code: str, status: DossierStatus, raw: str | None = None) -> Dossier:
    return Dossier(
        code=code,
        procedure_code="1.001193.000.00.00.H48",
        submitted_at=datetime(2026, 12, 1, 8, 15, tzinfo=UTC),
        status=status,
        version=1,
        applicant=Applicant("Nguyễn Văn An", "001090001234"),
        components=(
            Component(None, "Tờ khai", CopyKind.ORIGINAL, (Attachment("f", "a.pdf", "x", 1),)),
        ),
        raw_status=raw,
    )


@pytest.mark.sqlite_only  # upgrades an older SQLite file
def test_a_status_the_desk_does_not_know_has_no_national_code_and_survives_the_schema(
    tmp_path: Path,
) -> None:
    path = tmp_path / "intake.sqlite3"
    with open_store(path) as store:
        save_dossier(store, _dossier("HS-1", DossierStatus.AWAITING_INTAKE), source="x")
        save_dossier(store, _dossier("HS-2", DossierStatus.OTHER, "Tạm dừng (99)"), source="x")
        odd = get_dossier(store, "HS-2")
    with sqlite3.connect(path) as connection:
        rows = dict(
            connection.execute("SELECT code, national_status_code FROM dossiers").fetchall()
        )
    # Back to 0003 (which cannot hold it): the odd dossier goes, with its components.
    command.downgrade(alembic_config(f"sqlite:///{path}"), "0003_national_code")
    with sqlite3.connect(path) as connection:
        kept = connection.execute("SELECT code, national_status_code FROM dossiers").fetchall()
        components = connection.execute("SELECT count(*) FROM components").fetchone()
        files = connection.execute("SELECT count(*) FROM attachments").fetchone()
    with open_store(path) as store:  # and up again, as the next start does
        again = get_dossier(store, "HS-1")

    assert odd is not None and (odd.status, odd.raw_status) == (
        DossierStatus.OTHER,
        "Tạm dừng (99)",
    )
    assert rows == {"HS-1": 1, "HS-2": None}
    assert kept == [("HS-1", 1)] and components == (1,) and files == (1,)
    assert again is not None and again.raw_status is None
    with pytest.raises(ValueError, match="no known national code"):
        _ = DossierStatus.OTHER.national_code
