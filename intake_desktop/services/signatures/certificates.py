"""Reading certificates: files (PEM, DER, PKCS#7) and the identity Vietnamese CAs put in them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import cms, pem, x509

from intake_desktop.services.signatures.report import SignerInfo

# Vietnamese providers write the identity as "CCCD:0xxxxxxxxxxx", "CMND:xxxxxxxxx" or
# "MST:0101234567[-001]" in the subject's UID, sometimes in serialNumber; a few put several
# such values in one attribute separated by commas or spaces.
_ID_RE = re.compile(r"\b(CCCD|CMND|HC|MST|CMT)\s*[:=]\s*([0-9A-Za-z-]+)", re.IGNORECASE)


class CertificateFileError(ValueError):
    """A certificate file could not be read; the message says which and why."""


@dataclass(frozen=True)
class SubjectIds:
    citizen_id: str | None
    tax_code: str | None


def subject_ids(cert: x509.Certificate) -> SubjectIds:
    """Return the citizen ID (CCCD/CMND) and tax code (MST) found in the subject."""
    citizen_id: str | None = None
    tax_code: str | None = None
    for rdn in cert.subject.chosen:
        for attr in rdn:
            if attr["type"].native not in ("user_id", "serial_number", "0.9.2342.19200300.100.1.1"):
                continue
            value = attr["value"].native
            if not isinstance(value, str):
                continue
            for kind, number in _ID_RE.findall(value):
                kind = kind.upper()
                if kind in ("CCCD", "CMND", "CMT") and citizen_id is None:
                    citizen_id = number
                elif kind == "MST" and tax_code is None:
                    tax_code = number
    return SubjectIds(citizen_id=citizen_id, tax_code=tax_code)


def _name_part(name: x509.Name, field: str) -> str | None:
    value = name.native.get(field)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value else None


def display_name(name: x509.Name) -> str:
    """Common name, else organisation, else the whole name."""
    return (
        _name_part(name, "common_name")
        or _name_part(name, "organization_name")
        or (name.human_friendly)
    )


def signer_info(cert: x509.Certificate) -> SignerInfo:
    """Describe ``cert`` as the signer of a document."""
    ids = subject_ids(cert)
    validity = cert["tbs_certificate"]["validity"]
    not_before: datetime = validity["not_before"].native
    not_after: datetime = validity["not_after"].native
    return SignerInfo(
        name=display_name(cert.subject),
        citizen_id=ids.citizen_id,
        tax_code=ids.tax_code,
        subject=cert.subject.human_friendly,
        issuer=display_name(cert.issuer),
        serial=format(cert.serial_number, "X"),
        not_before=not_before,
        not_after=not_after,
        certificate_der=cert.dump(),
    )


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint in lowercase hex, as in the trust MANIFEST."""
    return hashlib.sha256(cert.dump()).hexdigest()


def parse_certificates(data: bytes, origin: str = "data") -> list[x509.Certificate]:
    """Parse PEM (one or many), DER, or PKCS#7 (.p7b/.p7c, PEM or DER) certificate data.

    Raises :class:`CertificateFileError` when nothing usable is found.
    """
    blobs: list[tuple[str, bytes]] = []
    if pem.detect(data):
        blobs = [(kind, der) for kind, _headers, der in pem.unarmor(data, multiple=True)]
    else:
        blobs = [("", data)]
    certs: list[x509.Certificate] = []
    for kind, der in blobs:
        try:
            if kind in ("PKCS7", "CMS") or (not kind and _looks_like_pkcs7(der)):
                certs.extend(_pkcs7_certificates(der))
            elif kind in ("CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", ""):
                cert = x509.Certificate.load(der)
                cert.native  # noqa: B018 - forces a full parse so damage shows here
                certs.append(cert)
        except (ValueError, TypeError, KeyError) as exc:
            raise CertificateFileError(f"{origin}: not a readable certificate ({exc})") from exc
    if not certs:
        raise CertificateFileError(f"{origin}: no certificate found")
    return certs


def _looks_like_pkcs7(der: bytes) -> bool:
    try:
        info = cms.ContentInfo.load(der)
        return bool(info["content_type"].native == "signed_data")
    except (ValueError, TypeError):
        return False


def _pkcs7_certificates(der: bytes) -> list[x509.Certificate]:
    info = cms.ContentInfo.load(der)
    signed = info["content"]
    out: list[x509.Certificate] = []
    for choice in signed["certificates"] or []:
        if choice.name == "certificate":
            out.append(choice.chosen)
    return out


def load_certificate_files(path: Path) -> list[x509.Certificate]:
    """Load every certificate from a file, or from each .pem/.crt/.cer/.der/.p7b in a folder."""
    if path.is_dir():
        out: list[x509.Certificate] = []
        for child in sorted(path.iterdir()):
            if child.suffix.lower() in {".pem", ".crt", ".cer", ".der", ".p7b", ".p7c"}:
                out.extend(load_certificate_files(child))
        return out
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CertificateFileError(f"{path}: {exc.strerror or exc}") from exc
    return parse_certificates(data, origin=str(path))
