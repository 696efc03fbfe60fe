"""The signature inspection engine: every embedded signature of a PDF, judged and explained.

Built on pyHanko. ``inspect_pdf`` never raises for bad input: unreadable files give a
report with verdict ``error`` and a reason. pyHanko's synchronous API runs ``asyncio.run``
inside, so call this from a thread or process without a running event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathValidationError
from pyhanko_certvalidator.util import get_declared_revinfo

from intake_desktop.clock import VN_TZ
from intake_desktop.services.signatures import crypto_checks, legacy_formats, pyhanko_speedups
from intake_desktop.services.signatures.certificates import embedded_signer, signer_info
from intake_desktop.services.signatures.changes import compare_signed
from intake_desktop.services.signatures.diff_policy import DIFF_POLICY, harmless_updates
from intake_desktop.services.signatures.messages import reason
from intake_desktop.services.signatures.pdf_objects import (
    READ_ERRORS,
    as_dict,
    deref,
    final_reference,
    get_array,
    page_refs,
    rect_of,
    reference,
)
from intake_desktop.services.signatures.report import (
    NO_CHANGES,
    Coverage,
    DocumentReport,
    ModificationsAfter,
    Reason,
    RevocationStatus,
    SignatureChanges,
    SignatureReport,
    TrustStatus,
    Verdict,
    worst,
)
from intake_desktop.services.signatures.trust import TrustStore

log = logging.getLogger(__name__)

pyhanko_speedups.install()

ENGINE_VERSION = "5"
"""Part of the report cache key: bump when reports gain fields or verdict rules change, so
cached reports of older engines are not reused (2: changes; 3: online revocation is "good"
only on an answer)."""

MAX_FILE_BYTES = 200 * 1024 * 1024

_WEAK_DIGESTS = frozenset({"md5", "sha1"})


@dataclass(frozen=True)
class InspectOptions:
    online: bool = False
    """Fetch OCSP/CRL over the network (short timeouts). Off: revocation is not checked."""
    moment: datetime | None = None
    """Validation time; now when None (tests pin it)."""
    max_bytes: int = MAX_FILE_BYTES

    @property
    def cache_key(self) -> str:
        return "online" if self.online else "offline"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inspect_pdf(
    source: bytes | Path, trust: TrustStore, options: InspectOptions | None = None
) -> DocumentReport:
    """Validate every signature of a PDF given as bytes or a path.

    Returns a :class:`DocumentReport`; never raises for bad input.
    """
    options = options or InspectOptions()
    if isinstance(source, Path):
        try:
            size = source.stat().st_size
            if size > options.max_bytes:
                return _error_report("", size, reason("too_large", limit_mb=_mb(options)))
            data = source.read_bytes()
        except OSError as exc:
            return _error_report("", 0, reason("unreadable_file", detail=exc.strerror or exc))
    else:
        data = source
    digest = sha256_hex(data)
    if not data:
        return _error_report(digest, 0, reason("empty"))
    if len(data) > options.max_bytes:
        return _error_report(digest, len(data), reason("too_large", limit_mb=_mb(options)))
    if b"%PDF-" not in data[:1024]:
        return _error_report(digest, len(data), reason("not_pdf"))
    try:
        return _inspect_bytes(data, digest, trust, options)
    except Exception as exc:  # noqa: BLE001 - a damaged file must never crash the caller
        log.info("unreadable PDF %s: %r", digest[:12], exc)
        salvaged = _signed_part_of_damaged(data, digest, trust, options)
        if salvaged is not None:
            return salvaged
        return _error_report(digest, len(data), reason("damaged", detail=_short(exc)))


_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _signed_part_of_damaged(
    data: bytes, digest: str, trust: TrustStore, options: InspectOptions
) -> DocumentReport | None:
    """pyHanko cannot read the file, but a signed revision inside it may be intact: judge
    the signatures on that revision and report what the damaged rest shows instead.

    Returns ``None`` when no signed revision can be read either.
    """
    ends = sorted(
        {int(b) + int(c) for _a, b, c in _BYTE_RANGE.findall(data) if int(b) + int(c) < len(data)}
    )
    for end in reversed(ends):
        try:
            inner = _inspect_bytes(data[:end], sha256_hex(data[:end]), trust, options)
        except Exception:  # noqa: BLE001 - try an older revision
            continue
        if not inner.signatures:
            continue
        damaged = [
            replace(
                sig,
                coverage=Coverage.PARTIAL,
                modifications_after=ModificationsAfter.OTHER,
            )
            for sig in inner.signatures
        ]
        signatures = _with_changes(data, damaged, damaged_reason="later_revision_damaged")
        return replace(
            inner,
            sha256=digest,
            size=len(data),
            verdict=worst(sig.verdict for sig in signatures),
            signatures=tuple(signatures),
            content_after_last_signature=True,
            reasons=(*inner.reasons, reason("later_revision_damaged")),
        )
    return None


def _with_changes(
    data: bytes,
    reports: Sequence[SignatureReport],
    *,
    damaged_reason: str,
    reader: PdfFileReader | None = None,
) -> list[SignatureReport]:
    """Attach to each signature what changed after it (:mod:`.changes`); ``reader`` is
    pyHanko's reader of ``data``, shared by every signature's comparison."""
    out = []
    for index, sig in enumerate(reports):
        signed = signed_revision_bytes(data, sig.byte_range)
        later = [
            (other.page, other.rect)
            for other in reports[index + 1 :]
            if other.page is not None and other.rect is not None
        ]
        changes: SignatureChanges | None = None
        if sig.coverage is Coverage.ENTIRE_FILE:
            # Bytes changed inside the signed range leave no signed revision to compare.
            changes = NO_CHANGES if sig.intact else None
        elif signed is not None:
            try:
                changes = compare_signed(signed, data, ignore=later, reader=reader)
            except Exception as error:  # noqa: BLE001 - it explains a verdict, never makes one
                log.info("cannot compare signature %d with the file: %r", index, error)
        if changes is not None and changes.later_revision_damaged:
            reasons = (*sig.reasons, reason(damaged_reason))
            sig = replace(sig, reasons=reasons, verdict=worst(r.severity.verdict for r in reasons))
        out.append(replace(sig, changes=changes))
    return out


def _mb(options: InspectOptions) -> int:
    return options.max_bytes // (1024 * 1024)


_INTERNAL_ERRORS = (AttributeError, TypeError, LookupError, AssertionError, RecursionError)
"""What a library's code raises when a PDF object has a type it did not expect: its text
("'NullObject' object has no attribute 'get'") says nothing about the file to a reader."""
_REPRS = (
    (re.compile(r"IndirectObject\((\d+), (\d+)\)"), r"\1 \2 R"),
    (re.compile(r"<[\w.]*NullObject object at 0x[0-9a-f]+>"), "null"),
    (re.compile(r"<([\w.]*\.)?(\w+) object at 0x[0-9a-f]+>"), r"\2"),
)


def _short(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and str(exc.args[0] if exc.args else "").startswith("/"):
        return f"the entry {exc.args[0]} is missing"
    if isinstance(exc, _INTERNAL_ERRORS):
        return "an object of the file is missing or of the wrong type"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for pattern, replacement in _REPRS:
        text = pattern.sub(replacement, text)  # object reprs as the PDF writes them
    return text[:160]


def _error_report(digest: str, size: int, why: Reason) -> DocumentReport:
    return DocumentReport(
        sha256=digest,
        size=size,
        pages=0,
        revisions=0,
        verdict=Verdict.ERROR,
        signatures=(),
        content_after_last_signature=False,
        error=why,
    )


def _inspect_bytes(
    data: bytes, digest: str, trust: TrustStore, options: InspectOptions
) -> DocumentReport:
    reader = PdfFileReader(BytesIO(data), strict=False)
    if reader.encrypted:
        return _error_report(digest, len(data), reason("encrypted"))
    page_refs = _page_refs(reader)
    revisions = reader.xrefs.total_revisions
    fields = list(enumerate_sig_fields(reader, filled_status=True))
    if not fields:
        return DocumentReport(
            sha256=digest,
            size=len(data),
            pages=len(page_refs),
            revisions=revisions,
            verdict=Verdict.UNSIGNED,
            signatures=(),
            content_after_last_signature=False,
            reasons=(reason("unsigned"),),
        )

    loaded: list[_Loaded] = [_load(reader, name, value, ref) for name, value, ref in fields]
    loaded.sort(key=lambda item: item.revision)
    moment = options.moment or datetime.now(UTC)
    reports: list[SignatureReport] = []
    for index, item in enumerate(loaded):
        later_fields = {other.field for other in loaded[index + 1 :]}
        page, rect = _widget_location(item.field_obj, page_refs)
        report = _judge(item, index, later_fields, trust, options, moment, page, rect)
        reports.append(_with_trailing_data(report, data))
    reports = _with_changes(data, reports, damaged_reason="later_revision_repaired", reader=reader)

    last = reports[-1]
    content_after = last.modifications_after not in (
        ModificationsAfter.NONE,
        ModificationsAfter.SIGNATURES_OR_LTV,
    )
    doc_reasons = (reason("content_after_last_signature"),) if content_after else ()
    return DocumentReport(
        sha256=digest,
        size=len(data),
        pages=len(page_refs),
        revisions=revisions,
        verdict=worst(r.verdict for r in reports),
        signatures=tuple(reports),
        content_after_last_signature=content_after,
        reasons=doc_reasons,
    )


@dataclass
class _Loaded:
    field: str
    field_obj: Any
    revision: int
    byte_range: tuple[int, ...]
    embedded: EmbeddedPdfSignature | None
    load_error: str | None
    reader: PdfFileReader | None = None


def _load(reader: PdfFileReader, name: str, value: Any, field_ref: Any) -> _Loaded:
    """Parse one signature field; a damaged signature becomes a load error, not an exception."""
    name = str(name)  # pyHanko passes a /T of another type (a number…) through as it is
    field_obj: Any = as_dict(field_ref) if reference(field_ref) is not None else None
    sig_ref = field_obj.raw_get("/V") if field_obj is not None and "/V" in field_obj else value
    revision = reader.xrefs.total_revisions - 1
    if (sig_key := reference(sig_ref)) is not None:
        with contextlib.suppress(KeyError):
            revision = reader.xrefs.get_last_change(sig_key)
    byte_range: tuple[int, ...] = ()
    with contextlib.suppress(*READ_ERRORS):
        byte_range = tuple(int(deref(x)) for x in get_array(value, "/ByteRange") or ())
    try:
        embedded = EmbeddedPdfSignature(reader, field_obj, name)
        revision = embedded.signed_revision
    except Exception as exc:  # noqa: BLE001 - zeroed or malformed CMS, bad /ByteRange …
        return _Loaded(name, field_obj, revision, byte_range, None, _short(exc), reader)
    if legacy_formats.is_typed_sig_timestamp(embedded.sig_object):
        embedded = legacy_formats.TimestampTypedSig(reader, field_obj, name)
    return _Loaded(name, field_obj, revision, byte_range, embedded, None, reader)


def _judge(
    item: _Loaded,
    index: int,
    later_fields: set[str],
    trust: TrustStore,
    options: InspectOptions,
    moment: datetime,
    page: int | None,
    rect: tuple[float, float, float, float] | None,
) -> SignatureReport:
    emb = item.embedded
    ctx = trust.validation_context(moment=moment, online=options.online)
    status: Any = None
    if legacy_formats.needs_own_check(emb):
        try:
            status = legacy_formats.own_status(
                item.reader, item.field_obj, item.field, ctx, DIFF_POLICY
            )
        except legacy_formats.UnsupportedFormat as exc:
            return _unreadable(item, index, page, rect, str(exc), unsupported=True)
        except Exception as exc:  # noqa: BLE001 - our check met what pyHanko also refuses
            log.info("signature %s: own check failed: %r", item.field, exc)
    if emb is None and status is None:
        return _unreadable(item, index, page, rect, item.load_error or "?")
    is_timestamp = emb is not None and emb.sig_object_type == "/DocTimeStamp"
    if status is None and emb is not None:
        try:
            status = _validate(emb, is_timestamp, ctx, skip_diff=False)
        except Exception as exc:  # noqa: BLE001 - pyHanko raises many types on malformed input
            log.info("signature %s could not be validated: %r", item.field, exc)
            # Often only the later revisions cannot be compared: the signature itself can
            # still be checked, and what came after it is then "changed" (not vouched for).
            try:
                fresh = type(emb)(emb.reader, emb.sig_field, emb.fq_name)
                status = _validate(fresh, is_timestamp, ctx, skip_diff=True)
            except Exception as again:  # noqa: BLE001 - as above
                log.info("signature %s: not even without comparison: %r", item.field, again)
                return _unreadable(item, index, page, rect, _short(exc))

    reasons: list[Reason] = list(getattr(status, "notes", ()))
    if emb is not None and status.intact and status.valid:
        reasons.extend(crypto_checks.findings(emb, status))
    if isinstance(emb, legacy_formats.TimestampTypedSig):
        reasons.append(reason("timestamp_typed_sig"))
    broken = any(r.code in crypto_checks.BROKEN for r in reasons)
    intact, crypto_valid = bool(status.intact), bool(status.valid) and not broken
    if not intact:
        reasons.append(reason("digest_mismatch"))
    elif not crypto_valid and not broken:
        reasons.append(reason("signature_crypto_invalid"))

    coverage = _coverage(status.coverage)
    if coverage is Coverage.PARTIAL:
        reasons.append(reason("coverage_partial"))
    modifications = _modifications(status, coverage, later_fields)
    harmless: list[Reason] = []
    if modifications is ModificationsAfter.SIGNATURES_OR_LTV and emb is not None:
        harmless = harmless_updates(emb.reader, emb.signed_revision)
    reasons.extend(_modification_reasons(status, modifications, later_fields, harmless))

    cert: x509.Certificate = status.signing_cert
    trust_status, revocation, trust_reasons = _trust(
        status, cert, emb, trust, options, intact and crypto_valid, ctx
    )
    reasons.extend(trust_reasons)

    ts_time, ts_valid = _timestamp(status, is_timestamp)
    if ts_valid is False:
        reasons.extend(crypto_checks.timestamp_reasons(status, is_timestamp))
    elif ts_time is None and not is_timestamp:
        reasons.append(reason("no_timestamp"))
    if status.md_algorithm in _WEAK_DIGESTS:
        reasons.append(reason("weak_digest", algorithm=status.md_algorithm.upper()))

    signing_time = None if is_timestamp else status.signer_reported_dt
    return SignatureReport(
        index=index,
        revision=item.revision,
        field=item.field,
        verdict=worst(r.severity.verdict for r in reasons),
        reasons=tuple(reasons),
        intact=intact,
        crypto_valid=crypto_valid,
        trust=trust_status,
        revocation=revocation,
        coverage=coverage,
        modifications_after=modifications,
        signer=signer_info(cert),
        signing_time=signing_time,
        timestamp_time=ts_time,
        timestamp_valid=ts_valid,
        digest_algorithm=str(status.md_algorithm),
        signature_algorithm=str(status.pkcs7_signature_mechanism),
        byte_range=item.byte_range,
        page=page,
        rect=rect,
        is_document_timestamp=is_timestamp,
    )


def _validate(
    emb: EmbeddedPdfSignature, is_timestamp: bool, ctx: ValidationContext, *, skip_diff: bool
) -> Any:
    """pyHanko's validation of one signature or document timestamp."""
    if is_timestamp:
        return validate_pdf_timestamp(
            emb, validation_context=ctx, diff_policy=DIFF_POLICY, skip_diff=skip_diff
        )
    return validate_pdf_signature(
        emb, signer_validation_context=ctx, diff_policy=DIFF_POLICY, skip_diff=skip_diff
    )


def _with_trailing_data(sig: SignatureReport, data: bytes) -> SignatureReport:
    """Flag bytes after a signature's revision that no later revision explains.

    pyHanko's difference analysis only sees revisions; junk appended after the last
    ``%%EOF`` leaves the signature "entire revision, nothing changed". Signers cover the
    whole file they write, so even whitespace here was added by someone else.
    """
    if (
        sig.coverage is not Coverage.ENTIRE_REVISION
        or sig.modifications_after is not ModificationsAfter.NONE
        or len(sig.byte_range) != 4
    ):
        return sig
    extra = data[sig.byte_range[2] + sig.byte_range[3] :]
    if not extra:
        return sig
    reasons = (*sig.reasons, reason("trailing_data", count=len(extra)))
    return replace(sig, reasons=reasons, verdict=worst(r.severity.verdict for r in reasons))


def _unreadable(
    item: _Loaded,
    index: int,
    page: int | None,
    rect: tuple[float, float, float, float] | None,
    detail: str,
    *,
    unsupported: bool = False,
) -> SignatureReport:
    # "Invalid" needs proof of damage; a well-formed container we cannot check is not one.
    contents = legacy_formats.raw_contents(item.field_obj)
    unsupported = unsupported or legacy_formats.is_well_formed(contents)
    why = reason("unsupported_signature" if unsupported else "signature_unreadable", detail=detail)
    if legacy_formats.document_digest_matches(item.reader, item.field_obj) is False:
        why = reason("digest_mismatch")  # whatever else failed, the signed bytes changed
    return SignatureReport(
        index=index,
        revision=item.revision,
        field=item.field,
        verdict=why.severity.verdict,
        reasons=(why,),
        intact=False,
        crypto_valid=False,
        trust=TrustStatus.NOT_CHECKED,
        revocation=RevocationStatus.NOT_CHECKED,
        coverage=Coverage.PARTIAL,
        modifications_after=ModificationsAfter.OTHER,
        signer=embedded_signer(contents) if contents else None,
        signing_time=None,
        timestamp_time=None,
        timestamp_valid=None,
        digest_algorithm="",
        signature_algorithm="",
        byte_range=item.byte_range,
        page=page,
        rect=rect,
    )


def _coverage(level: Any) -> Coverage:
    if level == SignatureCoverageLevel.ENTIRE_FILE:
        return Coverage.ENTIRE_FILE
    if level == SignatureCoverageLevel.ENTIRE_REVISION:
        return Coverage.ENTIRE_REVISION
    return Coverage.PARTIAL


def _modifications(status: Any, coverage: Coverage, later_fields: set[str]) -> ModificationsAfter:
    if coverage is Coverage.ENTIRE_FILE:
        return ModificationsAfter.NONE
    diff = status.diff_result
    if not isinstance(diff, DiffResult):
        return ModificationsAfter.OTHER
    level = diff.modification_level
    if level == ModificationLevel.NONE:
        return ModificationsAfter.NONE
    if level == ModificationLevel.LTA_UPDATES:
        return ModificationsAfter.SIGNATURES_OR_LTV
    if level == ModificationLevel.FORM_FILLING:
        # pyHanko counts a later signature as "form filling": it fills a signature field.
        if set(diff.changed_form_fields) <= later_fields:
            return ModificationsAfter.SIGNATURES_OR_LTV
        return ModificationsAfter.FORM_FILLING
    if level == ModificationLevel.ANNOTATIONS:
        return ModificationsAfter.ANNOTATIONS
    return ModificationsAfter.OTHER


def _modification_reasons(
    status: Any,
    modifications: ModificationsAfter,
    later_fields: set[str],
    harmless: Sequence[Reason] = (),
) -> list[Reason]:
    """``harmless``: what :func:`harmless_updates` found the later revisions touched."""
    out: list[Reason] = []
    if modifications is ModificationsAfter.OTHER:
        out.append(reason("modified_other"))
    elif modifications is ModificationsAfter.ANNOTATIONS:
        out.append(reason("modified_annotations"))
    elif modifications is ModificationsAfter.FORM_FILLING:
        fields = sorted(set(status.diff_result.changed_form_fields) - later_fields)
        out.append(reason("modified_form_filling", fields=", ".join(fields) or "?"))
    elif modifications is ModificationsAfter.SIGNATURES_OR_LTV:
        # Only metadata or tags updated, no signature added: those reasons say it all.
        if later_fields or not harmless:
            out.append(reason("later_signatures"))
        out.extend(harmless)
    if status.docmdp_ok is False and modifications is not ModificationsAfter.OTHER:
        out.append(reason("docmdp_violation"))
    return out


def _revocation_checked(
    cert: x509.Certificate, options: InspectOptions, ctx: ValidationContext
) -> tuple[RevocationStatus, list[Reason]]:
    """What a chain that validated says of revocation, and the note that goes with it.

    Revocation is soft-fail: a responder that cannot be reached, or a certificate naming
    none, lets the chain validate without any answer, which is not a "good" one.
    """
    if not options.online:
        return RevocationStatus.NOT_CHECKED, [reason("revocation_not_checked")]
    if ctx.soft_fail_exceptions:
        return RevocationStatus.UNKNOWN, [reason("revocation_unreachable")]
    has_crl, has_ocsp = get_declared_revinfo(cert)
    if not (has_crl or has_ocsp):
        return RevocationStatus.NOT_CHECKED, [reason("revocation_no_service")]
    return RevocationStatus.GOOD, []


_EXPIRY_INDICATIONS = frozenset(
    {"OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "EXPIRED", "NOT_YET_VALID"}
)
_REVOKED_INDICATIONS = frozenset({"REVOKED_NO_POE", "REVOKED_CA_NO_POE", "REVOKED"})
_REVOCATION_UNKNOWN_INDICATIONS = frozenset({"TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"})


def _trust(
    status: Any,
    cert: x509.Certificate,
    emb: EmbeddedPdfSignature | None,
    trust: TrustStore,
    options: InspectOptions,
    signature_ok: bool,
    ctx: ValidationContext,
) -> tuple[TrustStatus, RevocationStatus, list[Reason]]:
    not_checked = RevocationStatus.NOT_CHECKED
    if not signature_ok:
        # A broken signature proves nothing about its certificate: don't pretend we checked.
        return TrustStatus.NOT_CHECKED, not_checked, []
    checked, revocation_note = _revocation_checked(cert, options, ctx)
    if status.revocation_details is not None:
        return TrustStatus.REVOKED, RevocationStatus.REVOKED, [reason("certificate_revoked")]
    indic = status.trust_problem_indic
    if indic is None and status.validation_path is not None:
        return TrustStatus.TRUSTED, checked, revocation_note
    name = getattr(indic, "name", str(indic))
    validity = cert["tbs_certificate"]["validity"]
    not_before: datetime = validity["not_before"].native
    not_after: datetime = validity["not_after"].native
    if name in _EXPIRY_INDICATIONS:
        if not_before > (options.moment or datetime.now(UTC)):
            return (
                TrustStatus.EXPIRED,
                not_checked,
                [reason("certificate_not_yet_valid", not_before=_date(not_before))],
            )
        if _trusted_at_timestamp(status, cert, emb, trust, options):
            return (
                TrustStatus.TRUSTED,
                checked,
                [reason("expired_since_timestamp", not_after=_date(not_after)), *revocation_note],
            )
        return (
            TrustStatus.EXPIRED,
            not_checked,
            [reason("certificate_expired", not_after=_date(not_after))],
        )
    if name in _REVOKED_INDICATIONS:
        return TrustStatus.REVOKED, RevocationStatus.REVOKED, [reason("certificate_revoked")]
    if name in _REVOCATION_UNKNOWN_INDICATIONS:
        return (
            TrustStatus.REVOCATION_UNKNOWN,
            RevocationStatus.UNKNOWN,
            [reason("revocation_unknown")],
        )
    if cert.self_signed != "no":  # pyHanko reports these under several indications
        return TrustStatus.UNTRUSTED_ROOT, not_checked, [reason("self_signed")]
    if name == "NO_CERTIFICATE_CHAIN_FOUND":
        return TrustStatus.UNTRUSTED_ROOT, not_checked, [reason("untrusted_root")]
    return (
        TrustStatus.UNTRUSTED_ROOT,
        not_checked,
        [reason("trust_problem", detail=name.lower().replace("_", " "))],
    )


def _trusted_at_timestamp(
    status: Any,
    cert: x509.Certificate,
    emb: EmbeddedPdfSignature | None,
    trust: TrustStore,
    options: InspectOptions,
) -> bool:
    """True when a valid, trusted timestamp proves the certificate was valid at signing."""
    ts = status.timestamp_validity
    if ts is None or not (ts.valid and ts.intact and ts.trusted):
        return False
    ctx = trust.validation_context(moment=ts.timestamp, online=options.online)
    others = emb.other_embedded_certs if emb is not None else []
    validator: Any = CertificateValidator(cert, intermediate_certs=others, validation_context=ctx)
    try:
        asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except (PathValidationError, ValueError) as exc:
        log.info("chain not valid at timestamp time either: %r", exc)
        return False
    return True


def _timestamp(status: Any, is_timestamp: bool) -> tuple[datetime | None, bool | None]:
    if is_timestamp:
        ok = bool(status.valid and status.intact and status.trusted)
        return status.timestamp, ok
    ts = status.timestamp_validity
    if ts is None:
        return None, None
    return ts.timestamp, bool(ts.valid and ts.intact and ts.trusted)


def _date(moment: datetime) -> str:
    # The officer's calendar: a certificate ending 23:00 UTC ends the next day in Vietnam.
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y")


def _page_refs(reader: PdfFileReader) -> list[Any]:
    try:
        return page_refs(reader.root.raw_get("/Pages"), keep_direct=True)
    except READ_ERRORS as exc:
        log.info("page tree unreadable: %r", exc)
        return []


def _widget_location(
    field_obj: Any, page_refs: list[Any]
) -> tuple[int | None, tuple[float, float, float, float] | None]:
    """Page index and rectangle of a signature's visible widget, or (None, None).

    Only a convenience for the report: a widget too damaged to place gives (None, None).
    """
    try:
        return _locate_widget(field_obj, page_refs)
    except READ_ERRORS as exc:
        log.info("signature widget cannot be placed: %r", exc)
        return None, None


def _locate_widget(
    field_obj: Any, page_refs: list[Any]
) -> tuple[int | None, tuple[float, float, float, float] | None]:
    field = as_dict(field_obj)
    if field is None:
        return None, None
    # The field is its widget, or its /Kids are: the first widget with an area is shown
    # (a field may keep an invisible widget beside the visible one).
    widgets: list[tuple[Any, Any]] = [(getattr(field, "container_ref", None), field)]
    if "/Rect" not in field:
        kids = list(get_array(field, "/Kids") or ())[:MAX_WIDGETS]
        widgets = [(final_reference(kid), as_dict(kid)) for kid in kids]
    for widget_ref, widget in widgets:
        rect = rect_of(widget.raw_get("/Rect")) if widget and "/Rect" in widget else None
        if widget is not None and rect and rect[2] > rect[0] and rect[3] > rect[1]:
            return _widget_page(widget_ref, widget, page_refs), rect
    return None, None


MAX_WIDGETS = 64
"""Widgets of one field looked at; more is a damaged or hostile file."""


def _widget_page(widget_ref: Any, widget: Any, page_refs: list[Any]) -> int | None:
    page_ref = final_reference(widget.raw_get("/P")) if "/P" in widget else None
    if page_ref is not None and page_ref in page_refs:
        return page_refs.index(page_ref)
    # No usable /P back-link: find the page whose /Annots holds the widget.
    for index, ref in enumerate(page_refs):
        for annot in get_array(ref, "/Annots") or ():
            annot_ref = final_reference(annot)
            if annot_ref is not None and annot_ref == widget_ref:
                return index
            if annot_ref is None and deref(annot) is widget:
                return index
    return None


def signed_revision_bytes(data: bytes, byte_range: Sequence[int]) -> bytes | None:
    """The document exactly as signed: the file up to the end of the signature's ByteRange.

    Returns None when the ByteRange is not the standard two-part form starting at 0 or
    points past the end of the data.
    """
    if len(byte_range) != 4 or byte_range[0] != 0:
        return None
    end = byte_range[2] + byte_range[3]
    if end > len(data) or byte_range[1] > byte_range[2]:
        return None
    return data[:end]
