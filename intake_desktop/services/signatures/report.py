"""What the signature inspection engine reports, as plain frozen records.

The enum values are the contract of ``intake-desktop verify --json``: lowercase snake_case.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime


class Verdict(enum.StrEnum):
    """Verdict of one signature or of a whole document, worst last."""

    VALID = "valid"
    VALID_WITH_WARNINGS = "valid_with_warnings"
    UNSIGNED = "unsigned"
    INDETERMINATE = "indeterminate"
    INVALID = "invalid"
    ERROR = "error"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {
    Verdict.VALID: 0,
    Verdict.VALID_WITH_WARNINGS: 1,
    Verdict.UNSIGNED: 2,
    Verdict.INDETERMINATE: 3,
    Verdict.INVALID: 4,
    Verdict.ERROR: 5,
}


class Severity(enum.StrEnum):
    """How much a reason weighs: the verdict of a signature is its heaviest reason's."""

    INFO = "info"
    WARNING = "warning"
    INDETERMINATE = "indeterminate"
    INVALID = "invalid"

    @property
    def verdict(self) -> Verdict:
        return _VERDICT_OF_SEVERITY[self]


_VERDICT_OF_SEVERITY = {
    Severity.INFO: Verdict.VALID,
    Severity.WARNING: Verdict.VALID_WITH_WARNINGS,
    Severity.INDETERMINATE: Verdict.INDETERMINATE,
    Severity.INVALID: Verdict.INVALID,
}


def worst(verdicts: Iterable[Verdict], default: Verdict = Verdict.VALID) -> Verdict:
    """Return the most severe of ``verdicts`` (``default`` when there are none)."""
    return max(verdicts, key=lambda v: v.severity, default=default)


class TrustStatus(enum.StrEnum):
    """Whether the signer's certificate chains to a trust anchor, and why not."""

    TRUSTED = "trusted"
    UNTRUSTED_ROOT = "untrusted_root"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REVOCATION_UNKNOWN = "revocation_unknown"
    NOT_CHECKED = "not_checked"


class RevocationStatus(enum.StrEnum):
    """What is known of revocation: offline validation never fetches OCSP/CRL."""

    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"
    NOT_CHECKED = "not_checked"


class Coverage(enum.StrEnum):
    ENTIRE_FILE = "entire_file"
    ENTIRE_REVISION = "entire_revision"
    PARTIAL = "partial"


class ModificationsAfter(enum.StrEnum):
    """What later revisions changed, mildest first."""

    NONE = "none"
    SIGNATURES_OR_LTV = "signatures_or_ltv"
    FORM_FILLING = "form_filling"
    ANNOTATIONS = "annotations"
    OTHER = "other"


@dataclass(frozen=True)
class Reason:
    """One finding, as a stable code plus the words for people in both languages."""

    code: str
    """Stable identifier, e.g. ``digest_mismatch``; see :mod:`.messages`."""
    severity: Severity
    en: str
    vi: str

    def text(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class SignerInfo:
    """The signer's certificate in the words an officer needs."""

    name: str
    """Common name of the subject (the person or organisation that signed)."""
    citizen_id: str | None
    """CCCD or CMND number from the subject's UID or serialNumber, if present."""
    tax_code: str | None
    """MST from the subject, if present (organisations)."""
    subject: str
    issuer: str
    """Human-friendly issuer name: the certificate provider (VNPT-CA, Viettel-CA, …)."""
    serial: str
    """Certificate serial number in hexadecimal."""
    not_before: datetime
    not_after: datetime
    certificate_der: bytes = field(repr=False, default=b"")
    passport: str | None = None
    """Passport number (HC) from the subject, if present (foreign or travelling signers)."""


@dataclass(frozen=True, slots=True)
class ChangedRegion:
    page: int
    """Page index from 0, like :attr:`SignatureReport.page`."""
    rect: tuple[float, float, float, float]
    """PDF user space (x0, y0, x1, y1), like :attr:`SignatureReport.rect`."""


@dataclass(frozen=True, slots=True)
class TextChange:
    page: int
    removed: str
    """The lines as signed (several lines joined with newlines); empty when text was added."""
    added: str
    """The lines shown now; empty when text was removed."""


@dataclass(frozen=True, slots=True)
class ObjectChanges:
    """How many objects of each kind later revisions added or changed."""

    page_content: int = 0
    annotations: int = 0
    form_fields: int = 0
    fonts: int = 0
    images: int = 0
    xobjects: int = 0
    catalog: int = 0
    pages_added: int = 0
    pages_removed: int = 0

    @property
    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class SignatureChanges:
    """What a reader sees now that was not there when the signature was made, and how."""

    shown_differs_from_signed: bool = False
    pages: tuple[int, ...] = ()
    regions: tuple[ChangedRegion, ...] = ()
    text: tuple[TextChange, ...] = ()
    objects: ObjectChanges = field(default_factory=ObjectChanges)
    later_revision_damaged: bool = False
    """Only a repairing reader could open the file after the signed revision."""

    @property
    def nothing(self) -> bool:
        return not (
            self.shown_differs_from_signed
            or self.text
            or self.objects.any
            or self.later_revision_damaged
        )


NO_CHANGES = SignatureChanges()


@dataclass(frozen=True)
class SignatureReport:
    """One embedded signature, as validated."""

    index: int
    """Position among the document's signatures, oldest first, from 0."""
    revision: int
    """Index of the revision this signature signed (0 = the original file)."""
    field: str
    verdict: Verdict
    reasons: tuple[Reason, ...]
    intact: bool
    """The digest of the signed bytes matches the one in the signature."""
    crypto_valid: bool
    """The signature value verifies with the signer's public key."""
    trust: TrustStatus
    revocation: RevocationStatus
    coverage: Coverage
    modifications_after: ModificationsAfter
    signer: SignerInfo | None
    signing_time: datetime | None
    """Time claimed by the signer (not proof of anything)."""
    timestamp_time: datetime | None
    timestamp_valid: bool | None
    """Whether the embedded timestamp token validates; None when there is none."""
    digest_algorithm: str
    signature_algorithm: str
    byte_range: tuple[int, ...]
    page: int | None
    """Page index (from 0) of the visible signature widget, None when invisible."""
    rect: tuple[float, float, float, float] | None
    """Widget rectangle in PDF user space (x0, y0, x1, y1)."""
    is_document_timestamp: bool = False
    changes: SignatureChanges | None = None
    """What a reader sees now that was not signed (:mod:`.changes`); ``None`` when the
    signed revision could not be compared."""

    @property
    def trusted(self) -> bool:
        return self.trust is TrustStatus.TRUSTED


@dataclass(frozen=True)
class DocumentReport:
    """All signatures of one PDF and a verdict on the whole document."""

    sha256: str
    size: int
    pages: int
    revisions: int
    verdict: Verdict
    signatures: tuple[SignatureReport, ...]
    content_after_last_signature: bool
    """Later revisions exist after the last signature that are not LTV data."""
    error: Reason | None = None
    """Why the file could not be read at all (verdict ``error``)."""
    reasons: tuple[Reason, ...] = ()
    """Document-level findings."""
