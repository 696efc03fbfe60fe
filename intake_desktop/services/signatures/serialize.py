"""Reports to and from JSON: full form for the cache, contract form for ``verify --json``."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from intake_desktop.services.signatures.report import (
    ChangedRegion,
    Coverage,
    DocumentReport,
    ModificationsAfter,
    ObjectChanges,
    Reason,
    RevocationStatus,
    Severity,
    SignatureChanges,
    SignatureReport,
    SignerInfo,
    TextChange,
    TrustStatus,
    Verdict,
)


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _reason_full(r: Reason) -> dict[str, str]:
    return {"code": r.code, "severity": r.severity.value, "en": r.en, "vi": r.vi}


def _reason_from(d: dict[str, str]) -> Reason:
    return Reason(code=d["code"], severity=Severity(d["severity"]), en=d["en"], vi=d["vi"])


def _signer_full(s: SignerInfo | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "name": s.name,
        "citizen_id": s.citizen_id,
        "tax_code": s.tax_code,
        "subject": s.subject,
        "issuer": s.issuer,
        "serial": s.serial,
        "not_before": _dt(s.not_before),
        "not_after": _dt(s.not_after),
        "certificate": base64.b64encode(s.certificate_der).decode("ascii"),
    }


def _signer_from(d: dict[str, Any] | None) -> SignerInfo | None:
    if d is None:
        return None
    not_before = _parse_dt(d["not_before"])
    not_after = _parse_dt(d["not_after"])
    assert not_before is not None and not_after is not None
    return SignerInfo(
        name=d["name"],
        citizen_id=d["citizen_id"],
        tax_code=d["tax_code"],
        subject=d["subject"],
        issuer=d["issuer"],
        serial=d["serial"],
        not_before=not_before,
        not_after=not_after,
        certificate_der=base64.b64decode(d.get("certificate") or ""),
    )


def to_cache_json(report: DocumentReport) -> str:
    """Serialise every field, so :func:`from_cache_json` gives back an equal report."""
    doc = {
        "sha256": report.sha256,
        "size": report.size,
        "pages": report.pages,
        "revisions": report.revisions,
        "verdict": report.verdict.value,
        "content_after_last_signature": report.content_after_last_signature,
        "error": _reason_full(report.error) if report.error else None,
        "reasons": [_reason_full(r) for r in report.reasons],
        "signatures": [
            {
                "index": s.index,
                "revision": s.revision,
                "field": s.field,
                "verdict": s.verdict.value,
                "reasons": [_reason_full(r) for r in s.reasons],
                "intact": s.intact,
                "crypto_valid": s.crypto_valid,
                "trust": s.trust.value,
                "revocation": s.revocation.value,
                "coverage": s.coverage.value,
                "modifications_after": s.modifications_after.value,
                "signer": _signer_full(s.signer),
                "signing_time": _dt(s.signing_time),
                "timestamp_time": _dt(s.timestamp_time),
                "timestamp_valid": s.timestamp_valid,
                "digest_algorithm": s.digest_algorithm,
                "signature_algorithm": s.signature_algorithm,
                "byte_range": list(s.byte_range),
                "page": s.page,
                "rect": list(s.rect) if s.rect else None,
                "is_document_timestamp": s.is_document_timestamp,
                "changes": changes_dict(s.changes, digits=None) if s.changes else None,
            }
            for s in report.signatures
        ],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def from_cache_json(text: str) -> DocumentReport:
    """Inverse of :func:`to_cache_json`. Raises ``ValueError``/``KeyError`` on bad input."""
    d = json.loads(text)
    sigs = []
    for s in d["signatures"]:
        rect = s["rect"]
        sigs.append(
            SignatureReport(
                index=s["index"],
                revision=s["revision"],
                field=s["field"],
                verdict=Verdict(s["verdict"]),
                reasons=tuple(_reason_from(r) for r in s["reasons"]),
                intact=s["intact"],
                crypto_valid=s["crypto_valid"],
                trust=TrustStatus(s["trust"]),
                revocation=RevocationStatus(s["revocation"]),
                coverage=Coverage(s["coverage"]),
                modifications_after=ModificationsAfter(s["modifications_after"]),
                signer=_signer_from(s["signer"]),
                signing_time=_parse_dt(s["signing_time"]),
                timestamp_time=_parse_dt(s["timestamp_time"]),
                timestamp_valid=s["timestamp_valid"],
                digest_algorithm=s["digest_algorithm"],
                signature_algorithm=s["signature_algorithm"],
                byte_range=tuple(s["byte_range"]),
                page=s["page"],
                rect=(rect[0], rect[1], rect[2], rect[3]) if rect else None,
                is_document_timestamp=s["is_document_timestamp"],
                changes=_changes_from(s["changes"]) if s.get("changes") is not None else None,
            )
        )
    return DocumentReport(
        sha256=d["sha256"],
        size=d["size"],
        pages=d["pages"],
        revisions=d["revisions"],
        verdict=Verdict(d["verdict"]),
        signatures=tuple(sigs),
        content_after_last_signature=d["content_after_last_signature"],
        error=_reason_from(d["error"]) if d["error"] else None,
        reasons=tuple(_reason_from(r) for r in d["reasons"]),
    )


def to_contract_dict(report: DocumentReport, file: str, lang: str = "en") -> dict[str, Any]:
    """The ``verify --json`` shape of one file (see README), reasons in ``lang``."""
    return {
        "file": file,
        "sha256": report.sha256,
        "pages": report.pages,
        "revisions": report.revisions,
        "verdict": report.verdict.value,
        "error": report.error.text(lang) if report.error else None,
        "signatures": [
            {
                "index": s.index,
                "revision": s.revision,
                "field": s.field,
                "verdict": s.verdict.value,
                "reasons": [r.text(lang) for r in s.reasons],
                "reason_codes": [r.code for r in s.reasons],
                "intact": s.intact,
                "crypto_valid": s.crypto_valid,
                "trusted": s.trusted,
                "trust": s.trust.value,
                "revocation": s.revocation.value,
                "coverage": s.coverage.value,
                "modifications_after": s.modifications_after.value,
                "signing_time": _dt(s.signing_time),
                "timestamp_time": _dt(s.timestamp_time),
                "timestamp_valid": s.timestamp_valid,
                "document_timestamp": s.is_document_timestamp,
                "signer": (
                    {
                        "name": s.signer.name,
                        "citizen_id": s.signer.citizen_id,
                        "tax_code": s.signer.tax_code,
                        "subject": s.signer.subject,
                        "issuer": s.signer.issuer,
                        "serial": s.signer.serial,
                        "not_before": _dt(s.signer.not_before),
                        "not_after": _dt(s.signer.not_after),
                    }
                    if s.signer
                    else None
                ),
                "digest_algorithm": s.digest_algorithm,
                "signature_algorithm": s.signature_algorithm,
                "page": s.page,
                "rect": list(s.rect) if s.rect else None,
                "changes": changes_dict(s.changes) if s.changes is not None else None,
            }
            for s in report.signatures
        ],
    }


def changes_dict(changes: SignatureChanges, digits: int | None = 2) -> dict[str, Any]:
    """The ``changes`` object of the contract (rects rounded to ``digits``; the cache keeps
    them exact with ``None``)."""
    return {
        "shown_differs_from_signed": changes.shown_differs_from_signed,
        "pages": list(changes.pages),
        "regions": [
            {"page": r.page, "rect": [v if digits is None else round(v, digits) for v in r.rect]}
            for r in changes.regions
        ],
        "text": [{"page": t.page, "removed": t.removed, "added": t.added} for t in changes.text],
        "objects": {name: getattr(changes.objects, name) for name in ObjectChanges.__slots__},
        "later_revision_damaged": changes.later_revision_damaged,
    }


def _changes_from(d: dict[str, Any]) -> SignatureChanges:
    return SignatureChanges(
        shown_differs_from_signed=d["shown_differs_from_signed"],
        pages=tuple(d["pages"]),
        regions=tuple(
            ChangedRegion(r["page"], (r["rect"][0], r["rect"][1], r["rect"][2], r["rect"][3]))
            for r in d["regions"]
        ),
        text=tuple(TextChange(t["page"], t["removed"], t["added"]) for t in d["text"]),
        objects=ObjectChanges(**d["objects"]),
        later_revision_damaged=d["later_revision_damaged"],
    )
