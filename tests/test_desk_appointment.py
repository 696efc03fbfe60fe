"""The suggested appointment date counts from reception, never from an old submission."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intake_desktop.demo.dossiers import generate_dossiers
from intake_desktop.desk import DeskSettings, DossierView
from intake_desktop.domain import DecisionKind, OutboxState
from intake_desktop.services.demo_source import DemoDossierSource
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.session import Session, open_test_mode_session


def _decidable_view(session: Session) -> DossierView:
    desk = session.desk
    for row in desk.queue_rows():
        view = desk.open_dossier(row.code)
        if view.decidable and view.procedure is not None and view.procedure.processing_days > 0:
            return view
    raise AssertionError("no decidable demo dossier with a processing time")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    source = DemoDossierSource(tmp_path / "demo", dossiers=generate_dossiers(6, 5))
    opened = open_test_mode_session(DeskSettings(test_mode=True), home=tmp_path, source=source)
    opened.desk.sync()
    yield opened
    opened.close()


def test_a_dossier_accepted_weeks_after_submission_gets_a_future_date(session: Session) -> None:
    desk = session.desk
    view = _decidable_view(session)
    assert view.procedure is not None
    submitted = view.dossier.submitted_at
    calendar = desk.settings.calendar
    on_submission = calendar.appointment_date(submitted, view.procedure.processing_days)
    assert desk.suggested_appointment(view, now=submitted) == on_submission
    later = submitted + timedelta(days=40)
    suggested = desk.suggested_appointment(view, now=later)
    assert suggested is not None and suggested > later.astimezone(VN_TZ).date() > on_submission


def test_accepting_with_the_suggested_date_is_delivered(session: Session) -> None:
    desk = session.desk
    view = _decidable_view(session)
    suggested = desk.suggested_appointment(view)
    assert suggested is not None and suggested >= datetime.now(UTC).astimezone(VN_TZ).date()
    desk.decide(view, DecisionKind.ACCEPT, appointment_date=suggested)
    desk.send_pending()
    assert desk.open_dossier(view.dossier.code).outbox is OutboxState.SENT
