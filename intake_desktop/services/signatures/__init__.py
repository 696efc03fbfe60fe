"""Signature inspection: validate every embedded signature of a PDF and explain it.

The report types are light and imported at once. The engine (pyHanko, PyMuPDF: about half a
second) and the trust store load on first use of one of their names, so a command that only
reads or prints reports, or ``intake-desktop --help``, does not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from intake_desktop.services.signatures.pyhanko_imports import defer_signing_package
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

defer_signing_package()  # validation needs none of pyHanko's signing code (aiohttp…)

if TYPE_CHECKING:
    from intake_desktop.services.signatures.inspect import (
        ENGINE_VERSION,
        InspectOptions,
        inspect_pdf,
        signed_revision_bytes,
    )
    from intake_desktop.services.signatures.trust import TrustStore, builtin_trust

_LAZY = {
    "ENGINE_VERSION": "inspect",
    "InspectOptions": "inspect",
    "inspect_pdf": "inspect",
    "signed_revision_bytes": "inspect",
    "TrustStore": "trust",
    "builtin_trust": "trust",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


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
