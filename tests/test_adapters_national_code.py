"""Every decision keeps its national TrangThaiHoSo in the store, whatever the system.

A database written by the previous version (schema 0002) gets the codes of its decisions
filled in by the upgrade; decisions recorded since carry theirs from the start.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from intake_desktop.domain import DecisionKind
from intake_desktop.services.outbox import Outbox
from intake_desktop.services.source import DecisionRequest
from intake_desktop.store import open_store
from intake_desktop.store import outbox as stored
from intake_desktop.store.db import alembic_config

_OLD_DECISION = """
INSERT INTO decisions (uuid, dossier_code, kind, reasons_json, components_json,
  appointment_date, officer_note, verdict_snapshot_json, dossier_version, state, attempts,
  next_attempt_at, last_error, server_receipt_json, created_at, sent_at, officer)
VALUES (?, ?, ?, '[]', '[]', NULL, '', '[]', 1, 'sent', 1, NULL, NULL, NULL,
  '2026-12-01T01:00:00.000000+00:00', NULL, 'canbo01')
"""


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
