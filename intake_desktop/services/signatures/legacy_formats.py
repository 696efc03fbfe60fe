"""Signatures pyHanko refuses to read, checked with our own code over asn1crypto.

Other producers write signatures pyHanko does not validate: the legacy SubFilters
``adbe.pkcs7.sha1`` (the SHA-1 of the document inside the CMS) and ``adbe.x509.rsa_sha1``
(a bare PKCS#1 value, the certificate in /Cert), a CMS with several SignerInfos or with
the content encapsulated, and plain ECDSA (BSI TR-03111: ``r || s`` instead of a DER
SEQUENCE). Their signed bytes and signature values can be checked for real; a file in one of
them is "invalid" only when that check fails, and "indeterminate: format not supported"
when we cannot tell. Coverage and the difference analysis stay pyHanko's.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from asn1crypto import algos, cms, core, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffPolicy
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature, extract_contents
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)

from intake_desktop.services.signatures.messages import reason
from intake_desktop.services.signatures.pdf_objects import deref
from intake_desktop.services.signatures.report import Reason

log = logging.getLogger(__name__)

PKCS7_SHA1 = "/adbe.pkcs7.sha1"
X509_RSA_SHA1 = "/adbe.x509.rsa_sha1"
RFC3161 = "/ETSI.RFC3161"

# BSI TR-03111 § 5.2.1: ecdsa-plain-SHA*; the signature value is r || s.
_PLAIN_ECDSA = {
    "0.4.0.127.0.7.1.1.4.1.1": "sha1",
    "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256",
    "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
}


def subfilter(sig_object: Any) -> str:
    value = sig_object.get("/SubFilter") if sig_object is not None else None
    return str(value) if value is not None else ""


def _signature_dict(field_obj: Any) -> generic.DictionaryObject | None:
    if field_obj is None or "/V" not in field_obj:
        return None
    value = field_obj["/V"]  # indexing dereferences; .get() does not
    return value if isinstance(value, generic.DictionaryObject) else None


def is_typed_sig_timestamp(sig_object: Any) -> bool:
    """A document timestamp (ETSI.RFC3161) whose dictionary says /Type /Sig (or nothing)."""
    return subfilter(sig_object) == RFC3161 and sig_object.get("/Type") != "/DocTimeStamp"


class TimestampTypedSig(EmbeddedPdfSignature):
    """pyHanko's view of a document timestamp whose dictionary is typed /Sig."""

    @property
    def sig_object_type(self) -> generic.NameObject:
        return generic.NameObject("/DocTimeStamp")


@dataclass(frozen=True)
class OwnCheck:
    """What our own code found for a signature pyHanko could not validate."""

    intact: bool
    """The signed bytes' digest matches the signed one (for adbe.x509.rsa_sha1: the value
    decrypts to the digest of these bytes)."""
    crypto_valid: bool
    signer_cert: x509.Certificate
    other_certs: tuple[x509.Certificate, ...]
    md_algorithm: str
    signature_algorithm: str
    signing_time: datetime | None
    notes: tuple[Reason, ...] = ()
    """What is unusual about the format, in words for the officer."""
    coverage: Any = None
    """pyHanko's coverage level; ``None`` when it could not be evaluated."""
    diff_result: Any = None
    docmdp_ok: bool | None = None
    co_signers: tuple[x509.Certificate, ...] = field(default=())


class UnsupportedFormat(Exception):
    """Our own check cannot tell either: the message names what is not supported."""


def own_check(
    reader: PdfFileReader, field_obj: Any, name: str, diff_policy: DiffPolicy
) -> OwnCheck | None:
    """Check a signature in one of the formats this module knows.

    Returns ``None`` when the signature is in none of them (pyHanko's error stands), and
    raises :class:`UnsupportedFormat` when it is but cannot be checked.
    """
    if field_obj is None:
        return None
    sig_object = _signature_dict(field_obj)
    if sig_object is None:
        return None
    kind = subfilter(sig_object)
    try:
        contents = extract_contents(sig_object)
    except Exception:  # noqa: BLE001 - no /Contents: nothing we could check
        return None
    emb = _Embedded(reader, field_obj, name)
    if kind == X509_RSA_SHA1:
        check = _x509_rsa_sha1(emb, sig_object, contents)
    else:
        try:
            signed_data = cms.ContentInfo.load(contents)["content"]
            infos = list(signed_data["signer_infos"])
            signed_data["certificates"].native  # noqa: B018 - parse now, fail here
        except (ValueError, TypeError, KeyError):
            return None
        if not infos:
            return None
        found = _cms(emb, kind, signed_data, infos)
        if found is None:
            return None
        check = found
    integrity: Any = emb  # pyHanko's compute_integrity_info is untyped
    integrity.compute_integrity_info(diff_policy=diff_policy)
    summary = emb.summarise_integrity_info()
    return replace(
        check,
        coverage=summary["coverage"],
        diff_result=summary["diff_result"],
        docmdp_ok=summary["docmdp_ok"],
    )


class _Embedded(EmbeddedPdfSignature):
    """Enough of pyHanko's embedded signature for coverage and difference analysis."""

    def __init__(self, reader: PdfFileReader, sig_field: Any, fq_name: str) -> None:
        # pyHanko's constructor parses the CMS and insists on one SignerInfo; what the
        # coverage and the difference analysis need does not depend on either.
        self.reader = reader
        self.sig_field = sig_field
        sig_object_ref = sig_field.raw_get("/V")
        self.sig_object = sig_object_ref.get_object()
        self.byte_range = self.sig_object.raw_get("/ByteRange")
        self.pkcs7_content = extract_contents(self.sig_object)
        self.signed_revision = reader.xrefs.get_last_change(sig_object_ref.reference)
        self.coverage = None
        self.external_digests: dict[str, bytes] = {}
        self._docmdp = None
        self._fieldmdp = None
        self._docmdp_queried = self._fieldmdp_queried = False
        self.tst_signature_digest = None
        self.diff_result = None
        self._integrity_checked = False
        self.fq_name = fq_name
        self.md_algorithm = self.external_md_algorithm = "sha256"

    def signed_bytes(self) -> bytes:
        stream = self.reader.stream
        out = b""
        ranges = list(self.byte_range)
        for start, length in zip(ranges[::2], ranges[1::2], strict=False):
            stream.seek(int(start))
            out += stream.read(int(length))
        return out


def _digest(algorithm: str, data: bytes) -> bytes:
    return hashlib.new(algorithm, data).digest()


def _x509_rsa_sha1(emb: _Embedded, sig_object: Any, contents: bytes) -> OwnCheck:
    certs = _cert_entry(sig_object.get("/Cert"))
    if not certs:
        raise UnsupportedFormat("adbe.x509.rsa_sha1 without a certificate in /Cert")
    cert = certs[0]
    value = contents.rstrip(b"\0")
    with contextlib.suppress(ValueError):
        value = core.OctetString.load(value).native  # the spec wraps it; some do not
    public = cert.public_key
    if public.algorithm != "rsa":
        raise UnsupportedFormat(f"adbe.x509.rsa_sha1 with an {public.algorithm.upper()} key")
    key: Any = _pyca_public_key(cert)
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        recovered = key.recover_data_from_signature(value, padding.PKCS1v15(), None)
        info = algos.DigestInfo.load(recovered)
        crypto_valid = True
        signed_digest = info["digest"].native
        algorithm = info["digest_algorithm"]["algorithm"].native
    except (InvalidSignature, ValueError):
        crypto_valid, signed_digest, algorithm = False, b"", "sha1"
    intact = crypto_valid and signed_digest == _digest(algorithm, emb.signed_bytes())
    return OwnCheck(
        intact=intact,
        crypto_valid=crypto_valid,
        signer_cert=cert,
        other_certs=tuple(certs[1:]),
        md_algorithm=algorithm,
        signature_algorithm="rsassa_pkcs1v15",
        signing_time=_pdf_time(sig_object),
        notes=(reason("legacy_format", format="adbe.x509.rsa_sha1"),),
    )


def _encapsulated(signed_data: Any) -> bytes | None:
    """The content a CMS carries inside itself; ``None`` for a detached one (asn1crypto
    gives an empty ``Void`` there, not ``None``)."""
    econtent = signed_data["encap_content_info"]["content"]
    native = econtent.native if econtent is not None else None
    return native if isinstance(native, bytes) and native else None


def _cms(emb: _Embedded, kind: str, signed_data: Any, infos: list[Any]) -> OwnCheck | None:
    certs = [c.chosen for c in signed_data["certificates"] or [] if c.name == "certificate"]
    encapsulated = _encapsulated(signed_data)
    plain = [i for i in infos if i["signature_algorithm"]["algorithm"].dotted in _PLAIN_ECDSA]
    if kind not in (PKCS7_SHA1,) and encapsulated is None and len(infos) == 1 and not plain:
        return None  # pyHanko's own format: its verdict stands
    document = emb.signed_bytes()
    notes: list[Reason] = []
    if kind == PKCS7_SHA1:
        notes.append(reason("legacy_format", format="adbe.pkcs7.sha1"))
    if plain:
        notes.append(reason("plain_ecdsa"))
    results = []
    for info in infos:
        cert = _signer_cert(info, certs)
        if cert is None:
            raise UnsupportedFormat("the signer's certificate is not in the signature")
        md = info["digest_algorithm"]["algorithm"].native
        content = document if encapsulated is None else encapsulated
        intact_content = True
        if encapsulated is not None:
            # Encapsulated: the CMS signs its own content, which must be this document
            # (or, for adbe.pkcs7.sha1, the document's SHA-1).
            expected = _digest("sha1", document) if kind == PKCS7_SHA1 else document
            intact_content = encapsulated == expected
            if kind != PKCS7_SHA1:
                notes.append(reason("encapsulated_content"))
        try:
            intact, valid = validate_sig_integrity(
                _as_der_ecdsa(info), cert, "data", _digest(md, content)
            )
        except (SignatureValidationError, ValueError, KeyError) as exc:
            raise UnsupportedFormat(str(exc)[:160]) from exc
        results.append((cert, md, info, intact and intact_content, valid))
    cert, md, info, intact, valid = results[0]
    co_signers = tuple(r[0] for r in results[1:])
    if co_signers:
        notes.append(
            reason(
                "multiple_signer_infos",
                count=len(results),
                names=", ".join(_cn(c) for c in co_signers),
            )
        )
    return OwnCheck(
        intact=all(r[3] for r in results),
        crypto_valid=all(r[4] for r in results),
        signer_cert=cert,
        other_certs=tuple(c for c in certs if c is not cert),
        md_algorithm=str(md),
        signature_algorithm=_algorithm_name(info),
        signing_time=_signing_time(info) or _pdf_time(emb.sig_object),
        notes=tuple(dict.fromkeys(notes)),
        co_signers=co_signers,
    )


def _as_der_ecdsa(info: Any) -> Any:
    """The SignerInfo with a plain-ECDSA value rewritten as the DER ECDSA one it stands for."""
    dotted = info["signature_algorithm"]["algorithm"].dotted
    md = _PLAIN_ECDSA.get(dotted)
    if md is None:
        return info
    raw = info["signature"].native
    half = len(raw) // 2
    der = encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
    copy = cms.SignerInfo.load(info.dump())
    copy["signature_algorithm"] = {"algorithm": f"{md}_ecdsa"}
    copy["signature"] = der
    return copy


def _algorithm_name(info: Any) -> str:
    dotted = info["signature_algorithm"]["algorithm"].dotted
    if dotted in _PLAIN_ECDSA:
        return "ecdsa (plain)"
    return str(info["signature_algorithm"].signature_algo)


def _signer_cert(info: Any, certs: Sequence[x509.Certificate]) -> x509.Certificate | None:
    sid = info["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.serial_number == wanted["serial_number"].native
                and cert.issuer == wanted["issuer"]
            ):
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _cert_entry(value: Any) -> list[x509.Certificate]:
    items = value if isinstance(value, generic.ArrayObject) else [value]
    out = []
    for item in items:
        if isinstance(item, generic.ByteStringObject | generic.TextStringObject):
            try:
                cert = x509.Certificate.load(item.original_bytes)
                cert.native  # noqa: B018 - full parse
            except ValueError:
                continue
            out.append(cert)
    return out


def _pyca_public_key(cert: x509.Certificate) -> Any:
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    return load_der_public_key(cert.public_key.dump())


def _signing_time(info: Any) -> datetime | None:
    attrs = info["signed_attrs"]
    if attrs is core.VOID or not attrs:
        return None
    for attr in attrs:
        if attr["type"].native == "signing_time":
            moment = attr["values"][0].native
            return moment if isinstance(moment, datetime) else None
    return None


def _pdf_time(sig_object: Any) -> datetime | None:
    try:
        moment = generic.parse_pdf_date(sig_object["/M"], strict=False)
    except (KeyError, ValueError, TypeError):
        return None
    return moment if isinstance(moment, datetime) else None


def _cn(cert: x509.Certificate) -> str:
    name = cert.subject.native.get("common_name")
    return str(name or cert.subject.human_friendly)


@dataclass(frozen=True)
class _Indication:
    name: str


@dataclass(frozen=True)
class OwnStatus:
    """An :class:`OwnCheck` with its chain validated, in the attributes of pyHanko's
    signature status that the engine reads, so one judgement serves both."""

    check: OwnCheck
    validation_path: Any
    trust_problem_indic: _Indication | None
    revocation_details: Any = None
    timestamp_validity: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.check, name)

    @property
    def valid(self) -> bool:
        return self.check.crypto_valid

    @property
    def signing_cert(self) -> x509.Certificate:
        return self.check.signer_cert

    @property
    def signer_reported_dt(self) -> datetime | None:
        return self.check.signing_time

    @property
    def pkcs7_signature_mechanism(self) -> str:
        return self.check.signature_algorithm


def needs_own_check(emb: EmbeddedPdfSignature | None) -> bool:
    """True for signatures pyHanko cannot load, or loads but would judge wrongly."""
    if emb is None:
        return True
    if subfilter(emb.sig_object) == PKCS7_SHA1 or len(emb.signed_data["signer_infos"]) != 1:
        return True
    content_type = emb.signed_data["encap_content_info"]["content_type"].native
    if content_type == "data" and _encapsulated(emb.signed_data) is not None:
        return True
    return emb.signer_info["signature_algorithm"]["algorithm"].dotted in _PLAIN_ECDSA


def own_status(
    reader: PdfFileReader | None,
    field_obj: Any,
    name: str,
    ctx: ValidationContext,
    diff_policy: DiffPolicy,
) -> OwnStatus | None:
    """Check the signature with our own code and validate its chain against ``ctx``.

    Returns ``None`` when the signature is in no format this module knows; raises
    :class:`UnsupportedFormat` when it is but cannot be checked.
    """
    if reader is None:
        return None
    check = own_check(reader, field_obj, name, diff_policy)
    if check is None:
        return None
    if not (check.intact and check.crypto_valid):
        return OwnStatus(check, None, None)
    validator: Any = CertificateValidator(
        check.signer_cert, intermediate_certs=list(check.other_certs), validation_context=ctx
    )
    try:
        path = asyncio.run(validator.async_validate_usage(set()))
    except RevokedError as exc:
        return OwnStatus(check, None, _Indication("REVOKED"), revocation_details=exc)
    except (ExpiredError, NotYetValidError):
        return OwnStatus(check, None, _Indication("EXPIRED"))
    except PathBuildingError:
        return OwnStatus(check, None, _Indication("NO_CERTIFICATE_CHAIN_FOUND"))
    except (PathValidationError, ValueError) as exc:
        log.info("chain of a signature in a legacy format not valid: %r", exc)
        return OwnStatus(check, None, _Indication("CHAIN_CONSTRAINTS_FAILURE"))
    return OwnStatus(check, path, None)


def raw_contents(field_obj: Any) -> bytes:
    """The /Contents bytes of a field's signature dictionary, or ``b""``."""
    try:
        sig_object = _signature_dict(field_obj)
        if sig_object is None:
            return b""
        try:
            return bytes(extract_contents(sig_object))
        except Exception:  # noqa: BLE001 - pyHanko wants it direct, see below
            # An indirect /Contents: no conforming signer writes one and pyHanko refuses
            # it, but it proves nothing damaged; read, it names the signer (never checked).
            value = deref(sig_object.raw_get("/Contents"))
            if isinstance(value, generic.ByteStringObject | generic.TextStringObject):
                return bytes(value.original_bytes)
    except Exception:  # noqa: BLE001 - a damaged dictionary has no contents to offer
        pass
    return b""


def is_well_formed(contents: bytes) -> bool:
    """True when /Contents is one complete CMS ContentInfo followed by nothing but zero
    padding: a container we could not check, not a damaged one."""
    try:
        info = cms.ContentInfo.load(contents)  # not strict: the padding follows
        info.native  # noqa: B018 - parse everything
        used = len(info.dump())
    except (ValueError, TypeError, KeyError):
        return False
    # A DER value may itself end in zero bytes: only what follows it must be padding.
    return used <= len(contents) and not contents[used:].strip(b"\0")


def document_digest_matches(reader: PdfFileReader | None, field_obj: Any) -> bool | None:
    """Whether the bytes a signature's /ByteRange covers still have the digest its signed
    attributes name; ``None`` when that cannot be read (no CMS, no signed attributes).

    For a signature pyHanko could not validate (a later revision it cannot parse, say):
    when the signed bytes changed, the officer is told that, not "unreadable".
    """
    if reader is None or field_obj is None:
        return None
    try:
        emb = _Embedded(reader, field_obj, "")
        info = cms.ContentInfo.load(bytes(emb.pkcs7_content))["content"]["signer_infos"][0]
        wanted = next(
            attr["values"][0].native
            for attr in info["signed_attrs"]
            if attr["type"].native == "message_digest"
        )
        algorithm = info["digest_algorithm"]["algorithm"].native
        return bool(_digest(algorithm, emb.signed_bytes()) == wanted)
    except Exception:  # noqa: BLE001 - anything unreadable: we cannot tell
        return None
