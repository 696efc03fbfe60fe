"""The set of certificates signatures are checked against.

Anchors are the roots we trust (the shipped Vietnamese national roots, what a supervisor
imported, or the test-mode demo root); intermediates only help build chains when a signature
omits them and are never trusted by themselves.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from asn1crypto import x509
from pyhanko_certvalidator import ValidationContext

from intake_desktop.paths import resource
from intake_desktop.services.signatures.certificates import (
    CertificateFileError,
    fingerprint,
    parse_certificates,
)

# How long one OCSP/CRL request may take when online checks are on.
ONLINE_FETCH_TIMEOUT_S = 5


class TrustManifestError(ValueError):
    """A shipped trust file does not match its MANIFEST fingerprint."""


@dataclass(frozen=True)
class TrustStore:
    anchors: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...] = ()
    version: str = field(default="")
    """Short hash over the anchors' and intermediates' fingerprints: caches key on it."""

    @staticmethod
    def of(
        anchors: Iterable[x509.Certificate], intermediates: Iterable[x509.Certificate] = ()
    ) -> TrustStore:
        """Build a store, dropping duplicates, with its version computed."""
        a = _dedupe(anchors)
        i = tuple(c for c in _dedupe(intermediates) if fingerprint(c) not in _fps(a))
        digest = hashlib.sha256()
        for cert in sorted(a, key=fingerprint):
            digest.update(b"A" + bytes.fromhex(fingerprint(cert)))
        for cert in sorted(i, key=fingerprint):
            digest.update(b"I" + bytes.fromhex(fingerprint(cert)))
        return TrustStore(anchors=a, intermediates=i, version=digest.hexdigest()[:16])

    def with_anchors(self, extra: Iterable[x509.Certificate]) -> TrustStore:
        return TrustStore.of([*self.anchors, *extra], self.intermediates)

    def validation_context(
        self, *, moment: datetime | None = None, online: bool = False
    ) -> ValidationContext:
        """Return a fresh pyHanko validation context.

        Offline (the default) nothing is fetched and revocation is soft-fail, so an
        unknown revocation status does not by itself fail the chain; the report says
        it was not checked. Online, OCSP/CRL are fetched with a short timeout.
        """
        kwargs: dict[str, object] = {}
        if online:
            from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

            kwargs["fetcher_backend"] = RequestsFetcherBackend(
                per_request_timeout=ONLINE_FETCH_TIMEOUT_S
            )
        return ValidationContext(
            trust_roots=list(self.anchors),
            other_certs=list(self.intermediates),
            moment=moment,
            allow_fetching=online,
            revocation_mode="soft-fail",
            **kwargs,  # type: ignore[arg-type]
        )


def _dedupe(certs: Iterable[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    seen: dict[str, x509.Certificate] = {}
    for cert in certs:
        seen.setdefault(fingerprint(cert), cert)
    return tuple(seen.values())


def _fps(certs: Iterable[x509.Certificate]) -> set[str]:
    return {fingerprint(c) for c in certs}


@dataclass(frozen=True)
class ShippedCertificate:
    file: str
    role: str
    """``anchor`` or ``intermediate``."""
    certificate: x509.Certificate


def shipped_certificates(folder: Path | None = None) -> list[ShippedCertificate]:
    """Read ``resources/trust/`` and check each file against the MANIFEST fingerprint.

    Raises :class:`TrustManifestError` if a file is missing from the MANIFEST or differs.
    """
    folder = folder or resource("trust")
    with (folder / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        rows = {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}
    out: list[ShippedCertificate] = []
    for path in sorted(folder.glob("*.pem")):
        row = rows.get(path.name)
        if row is None:
            raise TrustManifestError(f"{path.name} is not listed in the trust MANIFEST")
        try:
            (cert,) = parse_certificates(path.read_bytes(), origin=path.name)
        except (CertificateFileError, ValueError) as exc:
            raise TrustManifestError(f"{path.name}: {exc}") from exc
        if fingerprint(cert) != row["sha256_fingerprint"]:
            raise TrustManifestError(f"{path.name}: fingerprint differs from the MANIFEST")
        out.append(ShippedCertificate(path.name, row["role"], cert))
    return out


def builtin_trust() -> TrustStore:
    """The shipped Vietnamese national roots as anchors, with the shipped intermediates."""
    shipped = shipped_certificates()
    return TrustStore.of(
        [s.certificate for s in shipped if s.role == "anchor"],
        [s.certificate for s in shipped if s.role != "anchor"],
    )
