"""The contract's JSON (``resources/api/openapi.json``) made from the server's rows.

Field names and shapes are exactly the contract's schemas, which forbid extra properties;
trainer-only facts (scenario, expected decision) never appear here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from intake_desktop.domain import DecisionKind
from intake_desktop.server.accounts import roles_of
from intake_desktop.server.models import (
    VN_TZ,
    AttachmentRow,
    DecisionRow,
    DossierRow,
    OfficerRow,
    ProcedureRow,
)

Json = dict[str, Any]


def moment(value: datetime) -> str:
    """Return an aware datetime as ISO 8601 in Asia/Ho_Chi_Minh (+07:00), with microseconds.

    Microseconds are kept so ``server_time`` and ``updated_at`` compare exactly when a
    client sends them back as ``updated_since``.
    """
    return value.astimezone(VN_TZ).isoformat(timespec="microseconds")


def parse_moment(text: str) -> datetime:
    """Parse an ISO 8601 date-time with offset. Raises ``ValueError`` (also when naive).

    A ``+`` left unencoded in a hand-typed query string arrives as a space: it is put back.
    """
    text = text.strip()
    if len(text) > 6 and text[-6] == " " and text[-5:-3].isdigit() and text[-3] == ":":
        text = f"{text[:-6]}+{text[-5:]}"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("no UTC offset")
    return value


def declared_sha256(attachment: AttachmentRow, wrong_for: Collection[str]) -> str:
    """Return the SHA-256 the server declares for an attachment.

    For ids in ``wrong_for`` (a training fault) it is a well-formed hash of other bytes.
    """
    if attachment.id in wrong_for:
        return hashlib.sha256(bytes.fromhex(attachment.sha256) + b"wrong").hexdigest()
    return attachment.sha256


def officer_document(officer: OfficerRow) -> Json:
    """Return an ``Officer`` with its roles."""
    return {
        "username": officer.username,
        "name": officer.name,
        "unit": officer.unit,
        "roles": list(roles_of(trainer=officer.trainer, supervisor=bool(officer.supervisor))),
    }


def procedure_document(row: ProcedureRow) -> Json:
    """Return a ``Procedure``."""
    return {
        "code": row.code,
        "name": row.name,
        "sector": row.sector,
        "agency_level": row.agency_level,
        "processing_days": row.processing_days,
        "processing_note": row.processing_note,
        "fee_vnd": row.fee_vnd,
        "fee_note": row.fee_note,
        "legal_basis": json.loads(row.legal_basis_json),
        "source_urls": json.loads(row.source_urls_json),
        "components": json.loads(row.components_json),
        "updated_at": moment(row.updated_at),
    }


def summary_document(row: DossierRow, component_count: int) -> Json:
    """Return a ``DossierSummary``."""
    return {
        "code": row.code,
        "procedure_code": row.procedure_code,
        "procedure_name": row.procedure_name,
        "applicant_name": row.applicant_name,
        "applicant_citizen_id": row.applicant_citizen_id,
        "submitted_at": moment(row.submitted_at),
        "status": row.status,
        "national_status_code": row.national_status_code,
        "version": row.version,
        "updated_at": moment(row.updated_at),
        "component_count": component_count,
    }


def dossier_document(
    row: DossierRow,
    wrong_sha256_for: Collection[str] = (),
    decisions: Sequence[DecisionRow] = (),
) -> Json:
    """Return a ``Dossier`` with its applicant, components, attachments and ``decisions``
    (the dossier's decision rows, oldest first)."""
    return {
        "code": row.code,
        "procedure_code": row.procedure_code,
        "procedure_name": row.procedure_name,
        "submitted_at": moment(row.submitted_at),
        "status": row.status,
        "national_status_code": row.national_status_code,
        "channel": row.channel,
        "version": row.version,
        "updated_at": moment(row.updated_at),
        "applicant": {
            "name": row.applicant_name,
            "citizen_id": row.applicant_citizen_id,
            "birth_date": (
                row.applicant_birth_date.isoformat() if row.applicant_birth_date else None
            ),
            "phone": row.applicant_phone,
            "email": row.applicant_email,
            "address": row.applicant_address,
        },
        "components": [
            {
                "spec_code": component.spec_code,
                "name": component.name,
                "copy_kind": component.copy_kind,
                "attachments": [
                    {
                        "id": attachment.id,
                        "file_name": attachment.file_name,
                        "media_type": attachment.media_type,
                        "size": attachment.size,
                        "sha256": declared_sha256(attachment, wrong_sha256_for),
                    }
                    for attachment in component.attachments
                ],
            }
            for component in row.components
        ],
        "decisions": [decision_record_document(decision) for decision in decisions],
    }


def decision_record_document(row: DecisionRow) -> Json:
    """Return a ``DecisionRecord``: the decision as its officer's desk sent it."""
    kind = DecisionKind(row.kind)
    return {
        "decision_id": row.decision_id,
        "kind": kind.value,
        "officer": {"username": row.officer, "name": row.officer_row.name},
        "recorded_at": moment(row.recorded_at),
        "dossier_version": row.dossier_version,
        "national_status_code": kind.resulting_status.national_code,
        "reasons": json.loads(row.reasons_json),
        "components": json.loads(row.components_json),
        "appointment_date": row.appointment_date.isoformat() if row.appointment_date else None,
        "verdict_snapshot": json.loads(row.verdict_snapshot_json),
    }


def recorded_decision_document(row: DecisionRow) -> Json:
    """Return a recorded decision for the trainer's listing (not part of the contract)."""
    receipt = json.loads(row.receipt_json)
    return {
        "decision_id": row.decision_id,
        "dossier_code": row.dossier.code,
        "kind": row.kind,
        "officer": row.officer,
        "dossier_version": row.dossier_version,
        "reasons": json.loads(row.reasons_json),
        "components": json.loads(row.components_json),
        "appointment_date": row.appointment_date.isoformat() if row.appointment_date else None,
        "officer_note": row.officer_note,
        "verdict_snapshot": json.loads(row.verdict_snapshot_json),
        "recorded_at": moment(row.recorded_at),
        "status": receipt["status"],
        "version": receipt["version"],
    }


def error_document(error: str, message: str, fields: dict[str, str] | None = None) -> Json:
    """Return an ``Error`` (``fields`` only when given)."""
    document: Json = {"error": error, "message": message}
    if fields:
        document["fields"] = fields
    return document
