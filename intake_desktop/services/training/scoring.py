"""Practice scoring in test mode: each decision against the case's right decision.

Kept in the test-mode database (table ``practice_attempts``) so a class can close the app
and carry on; a reset starts a new scoring session and keeps the old attempts for the
record. The live database never gets attempts: only test mode makes a scorer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_desktop.domain import DecisionKind
from intake_desktop.services.training.scenarios import ScenarioLibrary
from intake_desktop.store.db import Store
from intake_desktop.store.models import PracticeAttemptRow, SettingRow, utc_now

SESSION_KEY = "training.practice_session"
"""Settings key holding the current scoring session's id."""

DECISION_VI = {
    DecisionKind.ACCEPT: "Tiếp nhận",
    DecisionKind.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
    DecisionKind.REFUSE: "Từ chối",
}


@dataclass(frozen=True, slots=True)
class PracticeAttempt:
    """One scored decision."""

    dossier_code: str
    scenario: str
    """The :class:`Scenario` value of the case."""
    expected: DecisionKind
    given: DecisionKind
    correct: bool
    explanation: str
    """The case's guidance in Vietnamese: why the expected decision is right."""
    explanation_en: str
    """``explanation`` for the English UI; the Vietnamese when the case is no longer served."""
    at: datetime


@dataclass(frozen=True, slots=True)
class PracticeScore:
    """The score of the current session."""

    attempts: tuple[PracticeAttempt, ...]
    """Oldest first."""

    @property
    def total(self) -> int:
        return len(self.attempts)

    @property
    def correct(self) -> int:
        return sum(1 for attempt in self.attempts if attempt.correct)


class PracticeScorer:
    """Scores decisions on the dossiers of ``library`` and keeps them in ``store``."""

    def __init__(self, store: Store, library: ScenarioLibrary) -> None:
        self._store = store
        self._library = library

    @property
    def library(self) -> ScenarioLibrary:
        return self._library

    def set_library(self, library: ScenarioLibrary) -> None:
        """Score against these cases from now on (after a scenario pack was imported)."""
        self._library = library

    def record(
        self, dossier_code: str, given: DecisionKind, *, at: datetime | None = None
    ) -> PracticeAttempt | None:
        """Score a decision; ``None`` (nothing kept) for a dossier that is not a case."""
        case = self._library.case(dossier_code)
        if case is None:
            return None
        attempt = PracticeAttempt(
            dossier_code=dossier_code,
            scenario=case.scenario.scenario.value,
            expected=case.expected_decision,
            given=given,
            correct=given is case.expected_decision,
            explanation=case.guidance_vi,
            explanation_en=case.guidance_en,
            at=at or utc_now(),
        )
        with self._store.session() as session:
            session.add(
                PracticeAttemptRow(
                    session=self._session_id(session),
                    at=attempt.at,
                    dossier_code=attempt.dossier_code,
                    scenario=attempt.scenario,
                    expected=attempt.expected.value,
                    given=attempt.given.value,
                    correct=attempt.correct,
                    explanation=attempt.explanation,
                )
            )
        return attempt

    def score(self) -> PracticeScore:
        """The current session's attempts."""
        with self._store.session() as session:
            current = self._session_id(session)
            rows = session.scalars(
                select(PracticeAttemptRow)
                .where(PracticeAttemptRow.session == current)
                .order_by(PracticeAttemptRow.id)
            )
            return PracticeScore(tuple(self._attempt(row) for row in rows))

    def reset(self) -> None:
        """Start a new session at 0/0 (earlier attempts stay in the table)."""
        with self._store.session() as session:
            session.merge(SettingRow(key=SESSION_KEY, value=str(uuid.uuid4())))

    def _attempt(self, row: PracticeAttemptRow) -> PracticeAttempt:
        # Only the Vietnamese is kept: the English comes from the case while it still words
        # the kept text (the library may have changed since).
        case = self._library.case(row.dossier_code)
        english = row.explanation
        if case is not None and case.guidance_vi == row.explanation:
            english = case.guidance_en
        return PracticeAttempt(
            dossier_code=row.dossier_code,
            scenario=row.scenario,
            expected=DecisionKind(row.expected),
            given=DecisionKind(row.given),
            correct=row.correct,
            explanation=row.explanation,
            explanation_en=english,
            at=row.at,
        )

    @staticmethod
    def _session_id(session: Session) -> str:
        row = session.get(SettingRow, SESSION_KEY)
        if row is None:
            row = SettingRow(key=SESSION_KEY, value=str(uuid.uuid4()))
            session.add(row)
            session.flush()
        return row.value
