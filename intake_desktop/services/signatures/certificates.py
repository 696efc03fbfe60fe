"""Reading certificates: files (PEM, DER, PKCS#7) and the identity Vietnamese CAs put in them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import cms, pem, x509

from intake_desktop.services.signatures.report import SignerInfo

# Vietnamese providers write the identity as "CCCD:0xxxxxxxxxxx", "CMND:xxxxxxxxx",
# "HC:B1234567" (passport) or "MST:0101234567[-001]" in the subject's UID, sometimes in
# serialNumber, and several in one attribute joined by "-", "," or spaces
# ("MST:0801206940-CMND:030084004974"). A value ends where the next label starts, so the
# "-" of a branch suffix is told apart from the "-" that joins two values.
_LABEL_RE = re.compile(r"(?<![A-Za-z])(CCCD|CMND|CMT|HC|MST)\s*[:=]\s*", re.IGNORECASE)
_PERSONAL_ID_RE = re.compile(r"(\d+)")
_TAX_CODE_RE = re.compile(r"(\d{10})(?:\s*-\s*(\d{3})|(\d{3}))?(?!\d)")
_MORE_DIGITS_RE = re.compile(r"\s*-\s*\d")
_PASSPORT_RE = re.compile(r"([A-Za-z]{1,2}\d{6,8})(?![0-9A-Za-z])")
_PERSONAL_ID_LENGTHS = frozenset({9, 12})  # CMND 9 digits, CCCD (and new CMND) 12
_ID_ATTRIBUTES = ("user_id", "serial_number")


class CertificateFileError(ValueError):
    """A certificate file could not be read; the message says which and why."""


@dataclass(frozen=True)
class SubjectIds:
    citizen_id: str | None
    """CCCD, else CMND: 9 or 12 digits."""
    tax_code: str | None
    """MST: 10 digits, or ``0101234567-001`` for a branch (13 digits)."""
    passport: str | None = None
    """Passport number (HC), upper case."""


def identity_values(text: str) -> dict[str, str]:
    """The identity numbers in one UID or serialNumber value, by label (``CCCD``, ``CMND``,
    ``HC``, ``MST``; ``CMT`` counts as ``CMND``), the first of each label only.

    A number that does not have the shape its label requires is left out rather than
    guessed at (a 10-digit "CCCD" is a typing error, not someone's ID).
    """
    labels = list(_LABEL_RE.finditer(text))
    out: dict[str, str] = {}
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        segment = text[label.end() : end].strip()
        kind = label.group(1).upper().replace("CMT", "CMND")
        value = _identity_value(kind, segment)
        if value is not None:
            out.setdefault(kind, value)
    return out


def _identity_value(kind: str, segment: str) -> str | None:
    if kind == "MST":
        tax = _TAX_CODE_RE.match(segment)
        if tax is None or _MORE_DIGITS_RE.match(segment, tax.end()):
            return None  # a branch suffix of another length: not an MST we can name
        branch = tax.group(2) or tax.group(3)
        return f"{tax.group(1)}-{branch}" if branch else tax.group(1)
    if kind == "HC":
        passport = _PASSPORT_RE.match(segment)
        return passport.group(1).upper() if passport else None
    digits = _PERSONAL_ID_RE.match(segment)
    if digits is None or len(digits.group(1)) not in _PERSONAL_ID_LENGTHS:
        return None
    return digits.group(1)


def subject_ids(cert: x509.Certificate) -> SubjectIds:
    """Return the citizen ID (CCCD, else CMND), tax code (MST) and passport number (HC)
    found in the subject's UID and serialNumber attributes."""
    found: dict[str, str] = {}
    for attribute in _ID_ATTRIBUTES:  # UID first: that is where providers put them
        for rdn in cert.subject.chosen:
            for attr in rdn:
                if attr["type"].native != attribute:
                    continue
                value = attr["value"].native
                if isinstance(value, str):
                    for kind, number in identity_values(value).items():
                        found.setdefault(kind, number)
    return SubjectIds(
        citizen_id=found.get("CCCD") or found.get("CMND"),
        tax_code=found.get("MST"),
        passport=found.get("HC"),
    )


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
        passport=ids.passport,
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


def embedded_signer(contents: bytes) -> SignerInfo | None:
    """The signer's certificate read from a signature's /Contents that pyHanko refused.

    The CMS may be damaged elsewhere (a bad SignerInfo, a truncated tail), while its
    certificates still parse: the officer should see who claims to have signed. Uses the
    SignerInfo's issuer and serial when readable, else the one certificate that issued no
    other. Returns ``None`` when no certificate can be read.
    """
    certs = _certificates_in(contents)
    if not certs:
        return None
    wanted = _signer_serial(contents)
    for cert in certs:
        if wanted is not None and cert.serial_number == wanted:
            return signer_info(cert)
    issuers = {cert.issuer.dump() for cert in certs if cert.self_signed == "no"}
    leaves = [cert for cert in certs if cert.subject.dump() not in issuers]
    return signer_info(leaves[0]) if len(leaves) == 1 else None


def _certificates_in(contents: bytes) -> list[x509.Certificate]:
    try:
        info = cms.ContentInfo.load(contents, strict=False)
        certs = [
            choice.chosen
            for choice in info["content"]["certificates"] or []
            if choice.name == "certificate"
        ]
        for cert in certs:
            cert.native  # noqa: B018 - forces a full parse so damage shows here
        if certs:
            return certs
    except (ValueError, TypeError, KeyError, AttributeError):
        pass
    return _scan_certificates(contents)


# A DER certificate starts SEQUENCE (long length) { SEQUENCE (long length) { [0] version
_CERT_START = re.compile(rb"\x30\x82..\x30\x82..\xa0\x03\x02\x01", re.DOTALL)


def _scan_certificates(contents: bytes) -> list[x509.Certificate]:
    """Certificates found anywhere in bytes whose outer structure does not parse."""
    out: list[x509.Certificate] = []
    for match in _CERT_START.finditer(contents):
        start = match.start()
        length = int.from_bytes(contents[start + 2 : start + 4], "big") + 4
        try:
            cert = x509.Certificate.load(contents[start : start + length])
            cert.native  # noqa: B018 - forces a full parse
        except (ValueError, TypeError, KeyError):
            continue
        out.append(cert)
    return out


def _signer_serial(contents: bytes) -> int | None:
    try:
        info = cms.ContentInfo.load(contents, strict=False)
        sid = info["content"]["signer_infos"][0]["sid"]
        if sid.name == "issuer_and_serial_number":
            return int(sid.chosen["serial_number"].native)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        pass
    return None
