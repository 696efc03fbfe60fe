"""Helpers of the supervisor audit's tests: an office's store, filled the way an office fills it.

No tests here. The demo dossiers are synced into the app's own test-mode home (so the CLI
reads the same store), their files validated, and decisions recorded and delivered: one
accepted despite a file altered after signing.
"""

from __future__ import annotations

import os
from pathlib import Path

from intake_desktop.demo.dossiers import DemoDossier, Scenario
from intake_desktop.desk import Desk, DeskSettings
from intake_desktop.domain import DecisionKind
from intake_desktop.services.audit import AuditRow, load_rows
from intake_desktop.services.demo_source import DemoDossierSource
from intake_desktop.session import Session, open_test_mode_session

DOSSIERS, SEED = 30, 9


def code_of(demos: list[DemoDossier], scenario: Scenario, nth: int = 0) -> str:
    return [d.dossier.code for d in demos if d.scenario is scenario][nth]


def decide(desk: Desk, code: str, kind: DecisionKind, reason: str = "") -> None:
    view = desk.open_dossier(code)
    desk.decide(
        view,
        kind,
        reasons=(reason,) if reason else (),
        appointment_date=desk.suggested_appointment(view) if kind is DecisionKind.ACCEPT else None,
    )


def open_office(tmp_path: Path, demos: list[DemoDossier]) -> Session:
    """A test-mode session with four dossiers decided and sent; close it after use."""
    source = DemoDossierSource(tmp_path / "demo", dossiers=demos)
    home = Path(os.environ["INTAKE_DESKTOP_HOME"])
    session = open_test_mode_session(DeskSettings(test_mode=True), home=home, source=source)
    desk = session.desk
    desk.sync()
    desk.check_signatures()
    decide(desk, code_of(demos, Scenario.ALL_GOOD), DecisionKind.ACCEPT)
    decide(
        desk, code_of(demos, Scenario.MODIFIED_AFTER_SIGNING), DecisionKind.ACCEPT, "đã đối chiếu"
    )
    decide(
        desk, code_of(demos, Scenario.SIGNER_MISMATCH), DecisionKind.REQUEST_SUPPLEMENT, "ký lại"
    )
    decide(desk, code_of(demos, Scenario.CORRUPT_ATTACHMENT), DecisionKind.REFUSE, "tệp hỏng")
    desk.send_pending()
    return session


def rows_of(session: Session) -> list[AuditRow]:
    return load_rows(session.store, session.desk.trust)
