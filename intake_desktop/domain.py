"""The domain of the one-stop desk as plain, frozen records.

No Qt and no SQLAlchemy here: the store maps these to tables, services and the UI pass them
around. Names follow ``GLOSSARY.md``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class CopyKind(enum.StrEnum):
    """Whether a component is the original (bản chính) or a copy (bản sao)."""

    ORIGINAL = "original"
    COPY = "copy"


class DossierStatus(enum.StrEnum):
    """Where a dossier stands at the desk (trạng thái hồ sơ)."""

    AWAITING_INTAKE = "awaiting_intake"
    ACCEPTED = "accepted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    REFUSED = "refused"
    OTHER = "other"
    """A status of the provincial system the desk has no meaning for (trạng thái khác): the
    dossier is shown read-only with the system's own words (``Dossier.raw_status``) and is
    never decided at the desk."""

    @property
    def national_code(self) -> int:
        """The national portal's ``TrangThaiHoSo`` for this status (DOMAIN.md).

        Raises ``ValueError`` for :attr:`OTHER`, whose national code the desk cannot know.
        """
        code = _NATIONAL_CODES.get(self)
        if code is None:
            raise ValueError(f"dossier status {self.value!r} has no known national code")
        return code

    @property
    def national_code_if_known(self) -> int | None:
        """:attr:`national_code`, or ``None`` for :attr:`OTHER`."""
        return _NATIONAL_CODES.get(self)

    @property
    def known(self) -> bool:
        """Whether the desk knows what this status means (every status but :attr:`OTHER`)."""
        return self is not DossierStatus.OTHER

    @classmethod
    def from_national_code(cls, code: int) -> DossierStatus:
        """Return the status for a national ``TrangThaiHoSo``.

        Raises ``ValueError`` for codes the desk does not handle (4 = in process, 9 = done...).
        """
        for status, national in _NATIONAL_CODES.items():
            if national == code:
                return status
        raise ValueError(f"national dossier status {code} has no intake status")


_NATIONAL_CODES = {
    DossierStatus.AWAITING_INTAKE: 1,
    DossierStatus.ACCEPTED: 2,
    DossierStatus.REFUSED: 3,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
}


class DecisionKind(enum.StrEnum):
    """What the officer decides about an online dossier."""

    ACCEPT = "accept"
    REQUEST_SUPPLEMENT = "request_supplement"
    REFUSE = "refuse"

    @property
    def resulting_status(self) -> DossierStatus:
        """The dossier status once the provincial system has taken the decision."""
        return _RESULTING_STATUS[self]


_RESULTING_STATUS = {
    DecisionKind.ACCEPT: DossierStatus.ACCEPTED,
    DecisionKind.REQUEST_SUPPLEMENT: DossierStatus.SUPPLEMENT_REQUESTED,
    DecisionKind.REFUSE: DossierStatus.REFUSED,
}


class OutboxState(enum.StrEnum):
    """Life of a decision in the outbox (hàng đợi gửi)."""

    PENDING = "pending"
    """Recorded locally, waiting for its (next) attempt."""
    SENDING = "sending"
    """An attempt is in flight; after a crash it is retried with the same idempotency key."""
    SENT = "sent"
    """The server acknowledged it; its receipt is stored."""
    CONFLICT = "conflict"
    """The dossier changed on the server since the officer looked at it: needs a new look."""
    REJECTED = "rejected"
    """The server refused the decision for good (validation error): needs the officer."""


class DecisionOrigin(enum.StrEnum):
    """Where the store learned of a decision (one table holds both)."""

    DESK = "desk"
    """Made at this desk: it went through this desk's outbox."""
    SERVER = "server"
    """Read from the provincial system's decision history: another officer, or another desk."""


class DownloadState(enum.StrEnum):
    """Whether an attachment's bytes are in the local cache."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    """One component the catalog requires for a procedure (thành phần hồ sơ, in the catalog)."""

    code: str
    """Stable code of the requirement, unique in the catalog, e.g. ``KS_TK``."""
    name: str
    """Name in Vietnamese as the public procedure page words it."""
    copy_kind: CopyKind
    """Original or copy."""
    quantity: int
    """Number of pieces (bản) expected."""
    required: bool
    """Required for an online dossier. Conditional components are not required."""
    signature_required: bool
    """The applicant uploads it as a digitally signed PDF (at least the declaration form)."""
    condition: str | None = None
    """When a conditional component applies (``None``: always)."""
    note: str = ""
    """Guidance for the officer."""
    online: bool = True
    """Uploaded with an online dossier; ``False`` for papers only shown in person (xuất trình)."""
    form: str | None = None
    """Name of the official form (mẫu) to fill in, if any."""


@dataclass(frozen=True, slots=True)
class Procedure:
    """An administrative procedure of the catalog (thủ tục hành chính)."""

    code: str
    """National procedure code, e.g. ``1.001193`` (without the provincial agency suffix)."""
    name: str
    """Official name in Vietnamese."""
    sector: str
    """Sector (lĩnh vực), e.g. ``Hộ tịch``."""
    agency_level: str
    """Level of the deciding agency: ``commune``, ``province`` or ``central``."""
    processing_days: int
    """Processing time in working days; 0 = the same day."""
    processing_note: str
    """Processing time as the source words it, with its exceptions."""
    fee_vnd: int | None
    """Fee in VND for the locality the source cites; 0 = free; ``None`` = not known."""
    fee_note: str
    """How the fee varies (fees are set per province), exemptions and reductions."""
    legal_basis: tuple[str, ...]
    """Laws, decrees and circulars the procedure rests on."""
    source_urls: tuple[str, ...]
    """Public pages the catalog entry was compiled from."""
    components: tuple[ComponentSpec, ...]
    """Required and conditional components, in the order of the public page."""
    agency: str = ""
    """The deciding agency as the source names it."""
    channels: tuple[str, ...] = ()
    """Submission channels the source lists (trực tiếp, bưu chính, trực tuyến)."""
    processing_calendar_days: bool = False
    """``processing_days`` counts calendar days, not working days (the law says "ngày")."""
    code_verified: bool = True
    """``False`` when no public source confirmed the national code."""
    components_verified: bool = True
    """``False`` when the component list was compiled from the legal text, not a public page."""
    notes: str = ""
    """Anything else the officer should know."""

    def component(self, code: str) -> ComponentSpec | None:
        """Return the component requirement with this code, or ``None``."""
        return next((spec for spec in self.components if spec.code == code), None)


@dataclass(frozen=True, slots=True)
class Applicant:
    """Who submitted the dossier (chủ hồ sơ / người nộp)."""

    name: str
    citizen_id: str
    """Citizen ID number (số CCCD / CMND)."""
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a submitted component (tệp đính kèm)."""

    remote_id: str
    """The provincial system's id of the file; stable across syncs."""
    file_name: str
    media_type: str
    """MIME type as the server declares it, e.g. ``application/pdf``."""
    size: int
    """Size in bytes as the server declares it."""
    sha256: str | None = None
    """Hex SHA-256 of the bytes, when the server gives it or once downloaded."""


@dataclass(frozen=True, slots=True)
class Component:
    """A component as submitted with a dossier (thành phần hồ sơ, submitted)."""

    spec_code: str | None
    """Code of the catalog requirement it answers, ``None`` if the server did not say."""
    name: str
    copy_kind: CopyKind
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class VerdictSnapshot:
    """What the officer saw for one attachment when deciding (kept with the decision)."""

    attachment_id: str
    sha256: str | None
    """The SHA-256 of the file the officer looked at (``None``: not downloaded)."""
    verdict: str
    """Document verdict (``valid``, ``invalid``, … see the signature engine)."""
    signer_citizen_ids: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The stored and sent shape (outbox rows, history rows, the decision payload)."""
        return {
            "attachment_id": self.attachment_id,
            "sha256": self.sha256,
            "verdict": self.verdict,
            "signer_citizen_ids": list(self.signer_citizen_ids),
        }


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """A decision the provincial system recorded on a dossier, whoever made it."""

    decision_id: str
    """The decision's UUID (the Idempotency-Key it was sent with)."""
    kind: DecisionKind
    officer: str
    """Username of the officer who decided."""
    officer_name: str
    recorded_at: datetime
    dossier_version: int
    """The version the officer decided on."""
    national_status_code: int
    """The national ``TrangThaiHoSo`` the decision led to (2, 3, 5)."""
    reasons: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    appointment_date: date | None = None
    verdict_snapshot: tuple[VerdictSnapshot, ...] = ()


@dataclass(frozen=True, slots=True)
class Dossier:
    """An online dossier (hồ sơ) as the provincial system last showed it."""

    code: str
    """Dossier code (mã hồ sơ), e.g. ``000.00.53.H48-220921-0099``."""
    procedure_code: str
    """Procedure code as the server gives it; may carry an agency suffix."""
    submitted_at: datetime
    """When the applicant submitted it (timezone-aware)."""
    status: DossierStatus
    version: int
    """The server's version of the dossier: a decision names the version it was made on."""
    applicant: Applicant
    components: tuple[Component, ...]
    procedure_name: str = ""
    """Procedure name as the server gives it."""
    raw_status: str | None = None
    """The provincial system's own status, as it words it, when ``status`` is
    ``DossierStatus.OTHER`` (e.g. ``Tạm dừng (99)``); ``None`` otherwise."""
    decisions: tuple[DecisionRecord, ...] = field(default=(), compare=False)
    """The decision history the system sent with the dossier, oldest first. Left out of
    equality: the store keeps it in its decisions table, not with the dossier's row."""

    @property
    def national_status_code(self) -> int:
        """The national ``TrangThaiHoSo`` of the current status (``ValueError`` for OTHER)."""
        return self.status.national_code
