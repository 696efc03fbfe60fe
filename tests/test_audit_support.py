"""Helpers of the supervisor audit's tests: an office's store, filled the way an office fills it.

No tests here; the fixtures ``demos`` and ``office`` are imported by the audit's test
modules. The demo dossiers are synced into the app's own test-mode home (so the CLI
reads the same store), their files validated, and decisions recorded and delivered: one
accepted despite a file altered after signing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_desktop.demo.dossiers import DemoDossier, Scenario, generate_dossiers
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


# Named apart from the fixture names, so that test parameters called ``demos`` and ``office``
# do not shadow an imported name.
@pytest.fixture(scope="module", name="demos")
def demos_fixture() -> list[DemoDossier]:
    return generate_dossiers(DOSSIERS, SEED)


@pytest.fixture(name="office")
def office_fixture(tmp_path: Path, demos: list[DemoDossier]) -> Iterator[Session]:
    session = open_office(tmp_path, demos)
    yield session
    session.close()
