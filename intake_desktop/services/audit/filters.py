"""Narrowing the audit rows: period, officer, procedure, decision, verdict, provider, mismatch."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from intake_desktop.domain import DecisionKind
from intake_desktop.services.audit.rows import AuditRow
from intake_desktop.services.signatures import Verdict
from intake_desktop.services.text_search import fold

_DOUBTFUL = frozenset({Verdict.INVALID, Verdict.INDETERMINATE, Verdict.ERROR})


class VerdictFilter(enum.StrEnum):
    """Which verdicts a supervisor wants to see."""

    ANY = "any"
    VALID = "valid"
    WITH_WARNINGS = "valid_with_warnings"
    INVALID = "invalid"
    INDETERMINATE = "indeterminate"
    UNSIGNED = "unsigned"
    NOT_CHECKED = "not_checked"
    ACCEPTED_DESPITE_PROBLEMS = "accepted_despite_problems"
    """Accepted although a file is invalid, indeterminate or unreadable (now or then)."""
    CHANGED_SINCE_DECISION = "changed_since_decision"
    """The verdict today differs from the one the officer saw."""
    FILE_CHANGED_SINCE_DECISION = "file_changed_since_decision"
    """The file on the server now is not the one the officer saw (its SHA-256 differs)."""

    def matches(self, row: AuditRow) -> bool:
        if self is VerdictFilter.ANY:
            return True
        if self is VerdictFilter.NOT_CHECKED:
            return row.verdict_now is None
        if self is VerdictFilter.ACCEPTED_DESPITE_PROBLEMS:
            then = Verdict(row.verdict_then) if row.verdict_then in _VALUES else None
            return row.decision is DecisionKind.ACCEPT and (
                row.verdict_now in _DOUBTFUL or then in _DOUBTFUL
            )
        if self is VerdictFilter.CHANGED_SINCE_DECISION:
            return row.verdict_changed
        if self is VerdictFilter.FILE_CHANGED_SINCE_DECISION:
            return row.file_changed
        return row.verdict_now is not None and row.verdict_now.value == self.value


_VALUES = frozenset(v.value for v in Verdict)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Every criterion is optional; rows must meet all that are given."""

    date_from: date | None = None
    date_to: date | None = None
    """Inclusive; on the decision date, or the submission date for undecided dossiers."""
    officer: str | None = None
    """The deciding officer's username, whichever desk the decision came from."""
    procedure: str | None = None
    """A procedure code (its national prefix matches too) or words of its name."""
    decision: DecisionKind | None = None
    undecided: bool = False
    verdict: VerdictFilter = VerdictFilter.ANY
    provider: str | None = None
    """Words of the certificate provider's name (e.g. "VNPT"), diacritics-insensitive."""
    signer_mismatch: bool = False
    text: str | None = None
    """Words found in the dossier code, applicant, file or component name."""


def apply_filter(rows: Iterable[AuditRow], criteria: AuditFilter) -> list[AuditRow]:
    procedure = fold(criteria.procedure) if criteria.procedure else None
    provider = fold(criteria.provider) if criteria.provider else None
    words = fold(criteria.text).split() if criteria.text else []
    out = []
    for row in rows:
        day = row.day
        if criteria.date_from and day < criteria.date_from:
            continue
        if criteria.date_to and day > criteria.date_to:
            continue
        if criteria.officer and row.officer != criteria.officer:
            continue
        if criteria.undecided and row.decision is not None:
            continue
        if criteria.decision and row.decision is not criteria.decision:
            continue
        if procedure and not (
            row.procedure_code.startswith(criteria.procedure or "")
            or procedure in fold(row.procedure_name)
        ):
            continue
        if provider and not any(provider in fold(p) for p in row.providers):
            continue
        if criteria.signer_mismatch and not row.signer_mismatch:
            continue
        if not criteria.verdict.matches(row):
            continue
        if words:
            haystack = fold(
                f"{row.dossier_code} {row.applicant_name} {row.component} {row.file_name}"
            )
            if not all(w in haystack for w in words):
                continue
        out.append(row)
    return out
