"""VNPT iGate's status codes and their meaning at the desk (``docs/adapters/igate.md``).

One table, used by the adapter and by the iGate imitation server, so the two cannot drift.
iGate numbers its own dossier statuses (``dossierStatus.id``); the national portal's
``TrangThaiHoSo`` (DOMAIN.md) is derived from ours: accepted 2, refused 3, supplement 5.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake_desktop.domain import DecisionKind, DossierStatus


@dataclass(frozen=True, slots=True)
class IgateStatus:
    """One ``dossierStatus`` of iGate as the desk reads it."""

    id: int
    """``dossierStatus.id``."""
    name: str
    """``dossierStatus.name`` (Vietnamese) as iGate shows it to officers."""
    status: DossierStatus
    """Ours."""
    confirmed: bool
    """Seen in public material (``True``), or inferred from the workflow (``False``)."""

    @property
    def national_code(self) -> int:
        """The national ``TrangThaiHoSo`` the province reports for this status."""
        return self.status.national_code


STATUSES = (
    IgateStatus(0, "Chờ tiếp nhận", DossierStatus.AWAITING_INTAKE, confirmed=False),
    IgateStatus(1, "Chờ bổ sung", DossierStatus.SUPPLEMENT_REQUESTED, confirmed=False),
    IgateStatus(2, "Đang xử lý", DossierStatus.ACCEPTED, confirmed=True),
    IgateStatus(6, "Không được tiếp nhận", DossierStatus.REFUSED, confirmed=False),
)

_BY_ID = {status.id: status for status in STATUSES}
_BY_OURS = {status.status: status for status in STATUSES}

TASK_STATUS_NAMES = {
    DossierStatus.AWAITING_INTAKE: "Mới đăng ký",
    DossierStatus.ACCEPTED: "Đã tiếp nhận",
    DossierStatus.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
    DossierStatus.REFUSED: "Từ chối tiếp nhận",
}
"""``dossierTaskStatus.name`` per status (only "Mới đăng ký" was seen; ids vary by province)."""

DECISION_TAG = "intake-desktop:"
"""Written into the status comment before the decision's UUID: how a resend recognises a
decision it already delivered (iGate has no Idempotency-Key)."""


SNAPSHOT_TAG = "intake-desktop-snapshot:"
"""Written into the status comment before the verdict snapshot (base64url of compact JSON):
iGate keeps no field for what the officer saw, and the comment is the one free text the desk
writes that every history entry carries back (inferred, ``docs/adapters/igate.md``)."""

SUPERVISOR_ROLES = frozenset({"supervisor", "lanh-dao-bo-phan-mot-cua"})
"""Keycloak realm roles (``realm_access.roles``) that make an account the unit's supervisor.
Inferred: iGate's own role names were not found; a province maps its role here."""


def igate_status(status_id: int) -> IgateStatus | None:
    """Return the table's entry for an iGate ``dossierStatus.id``, or ``None`` if unknown."""
    return _BY_ID.get(status_id)


def igate_status_for(status: DossierStatus) -> IgateStatus:
    """Return iGate's status for one of ours."""
    return _BY_OURS[status]


def igate_status_after(kind: DecisionKind) -> IgateStatus:
    """Return the iGate status a decision moves the dossier to."""
    return _BY_OURS[kind.resulting_status]


def decision_tag(decision_id: str) -> str:
    """Return the marker of a decision written into iGate's status comment."""
    return f"[{DECISION_TAG}{decision_id}]"
