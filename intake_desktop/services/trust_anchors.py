"""Trust anchors a supervisor manages: imported into the store, merged with the shipped ones."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import x509

from intake_desktop.services.signatures.certificates import (
    display_name,
    load_certificate_files,
)
from intake_desktop.services.signatures.trust import TrustStore, builtin_trust
from intake_desktop.store import trust_anchors as stored
from intake_desktop.store.db import Store, open_store


def stored_anchors(store: Store | None = None) -> list[x509.Certificate]:
    """Anchors imported into ``store`` (the live store by default)."""
    if store is None:
        with open_store() as own:
            return stored_anchors(own)
    return [x509.Certificate.load(rec.der) for rec in stored.list_anchors(store)]


def current_trust(store: Store | None = None) -> TrustStore:
    """The shipped Vietnamese roots plus every anchor imported into the store."""
    return builtin_trust().with_anchors(stored_anchors(store))


def import_anchors(store: Store, path: Path) -> list[stored.TrustAnchorRecord]:
    """Import every certificate of a PEM/DER/P7B file (or folder) as a trust anchor.

    Raises :class:`~intake_desktop.services.signatures.certificates.CertificateFileError`
    when the file holds no readable certificate; nothing is imported then.
    """
    certs = load_certificate_files(path)
    records = []
    for cert in certs:
        validity = cert["tbs_certificate"]["validity"]
        records.append(
            stored.add_anchor(
                store,
                cert.dump(),
                subject=display_name(cert.subject),
                not_before=validity["not_before"].native,
                not_after=validity["not_after"].native,
                source=path.name,
            )
        )
    return records
