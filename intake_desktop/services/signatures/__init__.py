"""Signature inspection: validate every embedded signature of a PDF and explain it."""

from intake_desktop.services.signatures.inspect import (
    ENGINE_VERSION,
    InspectOptions,
    inspect_pdf,
    signed_revision_bytes,
)
from intake_desktop.services.signatures.report import (
    Coverage,
    DocumentReport,
    ModificationsAfter,
    Reason,
    RevocationStatus,
    Severity,
    SignatureReport,
    SignerInfo,
    TrustStatus,
    Verdict,
)
from intake_desktop.services.signatures.trust import TrustStore, builtin_trust

__all__ = [
    "ENGINE_VERSION",
    "Coverage",
    "DocumentReport",
    "InspectOptions",
    "ModificationsAfter",
    "Reason",
    "RevocationStatus",
    "Severity",
    "SignatureReport",
    "SignerInfo",
    "TrustStatus",
    "TrustStore",
    "Verdict",
    "builtin_trust",
    "inspect_pdf",
    "signed_revision_bytes",
]
