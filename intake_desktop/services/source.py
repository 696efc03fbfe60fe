"""Where dossiers come from and where decisions go: the ``DossierSource`` interface.

Provinces run different back ends; the app talks to one documented contract
(``resources/api/openapi.json``) through this interface. Two implementations:
``HttpDossierSource`` (a provincial system or the training server) and
``DemoDossierSource`` (test mode, in process, offline).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from intake_desktop.domain import DecisionKind, Dossier, DossierStatus, Procedure
from intake_desktop.domain import VerdictSnapshot as VerdictSnapshot  # moved; same class


class SourceError(Exception):
    """Something went wrong talking to the dossier source; ``str()`` says what, in English."""


class SourceUnavailable(SourceError):
    """The server could not be reached or kept failing (network down, timeout, 5xx)."""

    retry_after: float | None = None
    """Seconds the server asked us to wait (``Retry-After``), when it said."""


class AuthenticationFailed(SourceError):
    """The server refused the credentials (or they are missing): sign in again."""


class NotFound(SourceError):
    """The dossier or attachment does not exist on the server."""


class DecisionConflict(SourceError):
    """Someone else decided the dossier, or it changed, since the officer looked at it (409)."""

    def __init__(self, message: str, status: DossierStatus | None, version: int | None) -> None:
        super().__init__(message)
        self.status = status
        """The dossier's status on the server now."""
        self.version = version
        """The dossier's version on the server now."""


class DecisionRejected(SourceError):
    """The server refused the decision as invalid (422): the officer must correct it."""

    def __init__(self, message: str, fields: dict[str, str]) -> None:
        super().__init__(message)
        self.fields = fields
        """Field name -> what is wrong with it, as the server said."""


class IntegrityError(SourceError):
    """Downloaded bytes do not match the declared size or SHA-256."""


class MalformedResponse(SourceError):
    """The server answered, but not as the contract says (missing field, wrong type, not JSON)."""


class RangeNotSatisfiable(SourceError):
    """The server cannot resume a download from the requested offset (416): start again."""


class CertificateVerificationFailed(SourceError):
    """The server's TLS certificate could not be verified against the trusted CAs.

    Not retried: the connection is refused until the certificate (or the configured CA bundle)
    is fixed. Verification cannot be turned off.
    """


SUPERVISOR_ROLE = "supervisor"
"""The role (contract: ``Officer.roles``) that allows the office-wide sync."""


@dataclass(frozen=True, slots=True)
class Officer:
    """The signed-in reception officer (cán bộ tiếp nhận) as the server knows them."""

    username: str
    name: str
    unit: str
    """The one-stop desk they work at, e.g. "Bộ phận Một cửa UBND phường Dịch Vọng"."""
    roles: tuple[str, ...] = ()
    """What the server lets them do (``officer``, ``supervisor``, ``trainer``)."""

    @property
    def supervisor(self) -> bool:
        """May audit the whole unit: the office-wide sync of every officer's decisions."""
        return SUPERVISOR_ROLE in self.roles


@dataclass(frozen=True, slots=True)
class DossierSummary:
    """One row of the dossier list: enough to fill the queue before details arrive."""

    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_citizen_id: str
    submitted_at: datetime
    status: DossierStatus
    version: int
    updated_at: datetime
    component_count: int


@dataclass(frozen=True, slots=True)
class DossierPage:
    items: tuple[DossierSummary, ...]
    next_cursor: str | None
    """Pass back to get the next page; ``None`` on the last page."""
    server_time: datetime
    """The server's clock when it answered: the next incremental sync starts from here."""


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """An accept / return decision as the officer made it."""

    dossier_code: str
    dossier_version: int
    """The version the officer looked at; the server answers 409 if it changed since."""
    kind: DecisionKind
    reasons: tuple[str, ...] = ()
    """Reasons in the officer's words (required to request a supplement or refuse)."""
    components: tuple[str, ...] = ()
    """Component spec codes the reasons are about."""
    appointment_date: date | None = None
    """Ngày hẹn trả kết quả: required to accept."""
    officer_note: str = ""
    verdict_snapshot: tuple[VerdictSnapshot, ...] = ()
    decision_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    """Our UUID for the decision, sent as the Idempotency-Key: a resend records nothing new."""


@dataclass(frozen=True, slots=True)
class DecisionReceipt:
    """The server's acknowledgement of a decision."""

    decision_id: str
    dossier_code: str
    kind: DecisionKind
    status: DossierStatus
    """The dossier's status after the decision."""
    version: int
    """The dossier's version after the decision."""
    recorded_at: datetime
    officer: str
    """Username of the officer the server recorded."""


class AttachmentStream(Protocol):
    """Bytes of an attachment, read in chunks; close it (or use ``with``) when done."""

    size: int | None
    """Content-Length of this response (the rest of the file when resuming), if known."""
    etag: str | None
    """The server's ETag: the SHA-256 of the whole file, in hex."""

    def chunks(self, chunk_size: int = 65536) -> Iterator[bytes]: ...

    def close(self) -> None: ...

    def __enter__(self) -> AttachmentStream: ...

    def __exit__(self, *exc: object) -> None: ...


class DossierSource(Protocol):
    """The provincial procedure system, as Intake Desktop needs it."""

    def list_procedures(self, updated_since: datetime | None = None) -> list[Procedure]:
        """The procedure catalog with component specs (changed since ``updated_since``)."""
        ...

    def list_dossiers(
        self,
        *,
        status: DossierStatus | None = None,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DossierPage:
        """A page of dossier summaries, oldest change first; ``status=None`` lists all."""
        ...

    def get_dossier(self, code: str) -> Dossier:
        """The whole dossier. Raises :class:`NotFound`."""
        ...

    def open_attachment(self, attachment_id: str, offset: int = 0) -> AttachmentStream:
        """Stream an attachment's bytes from ``offset`` (to resume a download)."""
        ...

    def submit_decision(self, decision: DecisionRequest) -> DecisionReceipt:
        """Record a decision. Idempotent on ``decision.decision_id``.

        Raises :class:`DecisionConflict` (409), :class:`DecisionRejected` (422),
        :class:`SourceUnavailable` (retry later), :class:`AuthenticationFailed`.
        """
        ...


@runtime_checkable
class UnitListing(Protocol):
    """A source that lists every dossier of the signed-in officer's unit submitted in a date
    range, decided ones included (the contract's ``submitted_from``/``submitted_to``): what a
    supervisor's office-wide sync reads. Sources without it sync only the desk's view."""

    def list_unit_dossiers(
        self,
        *,
        submitted_from: date,
        submitted_to: date,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> DossierPage:
        """A page of the unit's dossiers submitted on those Vietnam dates (inclusive)."""
        ...
