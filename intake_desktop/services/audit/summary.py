"""Counts a supervisor would rather look at than read: by week, problem, provider, procedure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from intake_desktop.services.audit.rows import AuditRow
from intake_desktop.services.signatures.messages import reason_title


@dataclass(frozen=True)
class AuditSummary:
    files: int = 0
    dossiers: int = 0
    decided: int = 0
    by_verdict: dict[str, int] = field(default_factory=dict)
    """"not_checked" for files without a verdict yet."""
    by_week: dict[str, dict[str, int]] = field(default_factory=dict)
    """ISO week ("2026-W47") → verdict → files, weeks in order."""
    problems: dict[str, int] = field(default_factory=dict)
    """Reason code → files, most frequent first."""
    by_provider: dict[str, int] = field(default_factory=dict)
    """Certificate provider → files with a problem."""
    by_procedure: dict[str, int] = field(default_factory=dict)
    """Procedure name → files with a problem."""


def summarize(rows: Iterable[AuditRow]) -> AuditSummary:
    rows = list(rows)
    verdicts: Counter[str] = Counter()
    weeks: dict[str, Counter[str]] = {}
    problems: Counter[str] = Counter()
    providers: Counter[str] = Counter()
    procedures: Counter[str] = Counter()
    for row in rows:
        verdict = row.verdict_now.value if row.verdict_now else "not_checked"
        verdicts[verdict] += 1
        day = row.decided_at or row.submitted_at
        year, week, _ = day.isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", Counter())[verdict] += 1
        problems.update(row.problems)
        if row.problems:
            providers.update(row.providers or ("—",))
            procedures[row.procedure_name or row.procedure_code] += 1
    return AuditSummary(
        files=len(rows),
        dossiers=len({r.dossier_code for r in rows}),
        decided=len({r.dossier_code for r in rows if r.decision is not None}),
        by_verdict=dict(verdicts.most_common()),
        by_week={week: dict(weeks[week]) for week in sorted(weeks)},
        problems=dict(problems.most_common()),
        by_provider=dict(providers.most_common()),
        by_procedure=dict(procedures.most_common()),
    )


def problem_text(code: str, lang: str = "vi") -> str:
    """The officer's words for a reason code (the code itself if it is unknown)."""
    try:
        return reason_title(code, lang)
    except KeyError:
        return code
