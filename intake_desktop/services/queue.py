"""The intake queue as rows: what the officer's dossier list shows, computed without Qt."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from intake_desktop.domain import DossierStatus, OutboxState
from intake_desktop.services.dossier_check import SignatureBadge
from intake_desktop.services.text_search import fold


@dataclass(frozen=True)
class QueueRow:
    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    citizen_id: str
    submitted_at: datetime
    deadline: datetime
    """When the desk must have accepted or returned the dossier."""
    component_count: int
    status: DossierStatus
    badge: SignatureBadge
    outbox: OutboxState | None = None
    """State of the officer's decision on its way to the server, if any."""
    raw_status: str | None = None
    """The source's own words for a status the desk does not know (``DossierStatus.OTHER``)."""
    search_key: str = field(default="", compare=False)
    """Diacritic-free text the quick filter looks in (filled by :func:`with_search_key`)."""


def with_search_key(row: QueueRow) -> QueueRow:
    """``row`` with its search key: code, applicant, citizen ID, procedure code and name."""
    key = fold(
        " ".join(
            (row.code, row.applicant_name, row.citizen_id, row.procedure_code, row.procedure_name)
        )
    )
    return replace(row, search_key=key)
