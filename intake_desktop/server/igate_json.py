"""The training server's rows as VNPT iGate shows them (``docs/adapters/igate.md``).

Ids are 24 hex digits like iGate's (MongoDB ObjectIds), derived from the contract's own ids
so they stay the same across resets.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from intake_desktop.domain import CopyKind, DossierStatus
from intake_desktop.server.models import AttachmentRow, ComponentRow, DecisionRow, DossierRow
from intake_desktop.services.adapters.igate_codes import TASK_STATUS_NAMES, igate_status_for
from intake_desktop.services.adapters.igate_payloads import igate_time

Json = dict[str, Any]
VIETNAMESE = 228


def object_id(kind: str, key: str) -> str:
    """A stable ObjectId-like id (24 hex digits) for a row of ``kind``."""
    return hashlib.sha1(f"{kind}:{key}".encode()).hexdigest()[:24]


def dossier_id(row: DossierRow) -> str:
    return object_id("dossier", row.code)


def file_id(row: AttachmentRow) -> str:
    return object_id("file", row.id)


def _day(value: date | None) -> str | None:
    return None if value is None else f"{value.isoformat()}T00:00:00.000+0700"


def _names(name: str) -> list[Json]:
    return [{"languageId": VIETNAMESE, "name": name}]


def summary_document(
    row: DossierRow, last: DecisionRow | None, foreign: tuple[int, str] | None = None
) -> Json:
    """A dossier as ``/pa/dossier/search`` lists it (no files).

    ``foreign`` (id, name) shows it in an iGate status outside the desk's table instead of
    its own (set by the trainer, see ``igate_api.foreign_status``).
    """
    status = DossierStatus(row.status)
    igate = igate_status_for(status)
    status_id, status_name = foreign if foreign is not None else (igate.id, igate.name)
    document: Json = {
        "id": dossier_id(row),
        "code": row.code,
        "nationCode": row.code,
        "procedure": {
            "id": object_id("procedure", row.procedure_code),
            "code": row.procedure_code,
            "translate": {"languageId": VIETNAMESE, "name": row.procedure_name},
        },
        "applicant": {
            "eformId": object_id("eform", "applicant"),
            "data": {
                "fullname": row.applicant_name,
                "identityNumber": row.applicant_citizen_id,
                "birthday": _day(row.applicant_birth_date),
                "phoneNumber": row.applicant_phone or "",
                "email": row.applicant_email or "",
                "address": row.applicant_address or "",
            },
        },
        "applyMethod": {"id": 0, "name": "Trực tuyến"},
        "appliedDate": igate_time(row.submitted_at),
        "updatedDate": igate_time(row.updated_at),
        "dossierStatus": {
            "id": status_id,
            "name": _names(status_name),
            "comment": last.officer_note if last is not None else "",
        },
        "dossierTaskStatus": {
            "id": object_id("task-status", status.value),
            "name": _names(status_name if foreign else TASK_STATUS_NAMES[status]),
        },
    }
    if last is not None and status is DossierStatus.ACCEPTED:
        document["acceptedDate"] = igate_time(last.recorded_at)
        document["appointmentDate"] = _day(last.appointment_date)
    return document


def dossier_document(
    row: DossierRow, last: DecisionRow | None, foreign: tuple[int, str] | None = None
) -> Json:
    """A dossier as ``/pa/dossier/{id}/--online`` shows it, with ``dossierFormFile``."""
    document = summary_document(row, last, foreign)
    document["dossierFormFile"] = [_form(component) for component in row.components]
    return document


def _form(component: ComponentRow) -> Json:
    form_id = object_id("procedure-form", f"{component.dossier_id}:{component.position}")
    original = component.copy_kind == CopyKind.ORIGINAL.value
    return {
        "id": object_id("dossier-form-file", f"{component.dossier_id}:{component.position}"),
        "procedureFormId": form_id,
        "formName": component.name,
        "procedureForm": {"id": form_id, "name": component.name, "code": component.spec_code},
        "requirement": {
            "typeId": object_id("requirement", component.copy_kind),
            "typeName": "Bản chính" if original else "Bản sao",
            "quantity": 1,
        },
        "file": [
            {
                "id": file_id(attachment),
                "filename": attachment.file_name,
                "size": attachment.size,
                "uuid": object_id("uuid", attachment.id),
                "additionalFlag": 0,
                "updateCount": 0,
                "downloadURL": "",
            }
            for attachment in component.attachments
        ],
    }
