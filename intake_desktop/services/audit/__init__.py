"""Supervisor audit: every component with its signature verdicts and the decision taken.

:mod:`.rows` reads the store into :class:`AuditRow` records, :mod:`.filters` narrows them,
:mod:`.summary` counts them for charts, :mod:`.export` writes CSV, XLSX and PDF, and
:mod:`.revalidate` checks a selection again with today's trust anchors.
"""

from intake_desktop.services.audit.filters import AuditFilter, VerdictFilter, apply_filter
from intake_desktop.services.audit.rows import AuditRow, load_rows
from intake_desktop.services.audit.summary import AuditSummary, summarize

__all__ = [
    "AuditFilter",
    "AuditRow",
    "AuditSummary",
    "VerdictFilter",
    "apply_filter",
    "load_rows",
    "summarize",
]
