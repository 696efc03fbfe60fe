"""The training server's rows as VNPT iGate shows them (``docs/adapters/igate.md``).

Ids are 24 hex digits like iGate's (MongoDB ObjectIds), derived from the contract's own ids
so they stay the same across resets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from intake_desktop.domain import CopyKind, DecisionKind, DossierStatus, VerdictSnapshot
from intake_desktop.server.contract_json import decision_record_document
from intake_desktop.server.models import AttachmentRow, ComponentRow, DecisionRow, DossierRow
from intake_desktop.services.adapters.igate_codes import (
    DECISION_TAG,
    TASK_STATUS_NAMES,
    decision_tag,
    igate_status_after,
    igate_status_for,
)
from intake_desktop.services.adapters.igate_payloads import igate_time, snapshot_tag

Json = dict[str, Any]
VIETNAMESE = 228


def object_id(kind: str, key: str) -> str:
    """A stable ObjectId-like id (24 hex digits) for a row of ``kind``."""
    return hashlib.sha1(f"{kind}:{key}".encode()).hexdigest()[:24]


def dossier_id(row: DossierRow) -> str:
    return object_id("dossier", row.code)


def file_id(row: AttachmentRow) -> str:
    return attachment_file_id(row.id)


def attachment_file_id(attachment_id: str) -> str:
    """The iGate file id of the contract's attachment ``attachment_id``."""
    return object_id("file", attachment_id)


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
        # S2's list shows who received it: ``accepter.fullname``.
        document["accepter"] = {
            "id": object_id("user", last.officer),
            "fullname": last.officer_row.name,
        }
    return document


def dossier_document(
    row: DossierRow,
    last: DecisionRow | None,
    foreign: tuple[int, str] | None = None,
    history: Sequence[DecisionRow] = (),
) -> Json:
    """A dossier as ``/pa/dossier/{id}/--online`` shows it, with ``dossierFormFile`` and
    its reception decisions in ``task[]`` (``history``: the dossier's rows, oldest first)."""
    document = summary_document(row, last, foreign)
    document["dossierFormFile"] = [_form(component) for component in row.components]
    document["task"] = [task_document(decision) for decision in history]
    return document


def task_document(row: DecisionRow) -> Json:
    """One decision as a finished reception step of ``task[]`` (shape inferred; see
    docs/adapters/igate.md): the assignee as S5 shows one, the status the step left the
    dossier in, and the officer's comment with the decision's tag and verdict snapshot."""
    record = decision_record_document(row)  # the contract's own reading of the row
    kind = DecisionKind(record["kind"])
    status = igate_status_after(kind)
    entry: Json = {
        "id": object_id("task", row.decision_id),
        "assignee": {
            "id": object_id("user", row.officer),
            "fullname": record["officer"]["name"],
            "account": {
                "id": object_id("account", row.officer),
                "username": [{"value": record["officer"]["username"]}],
            },
        },
        "isCurrent": 0,
        "createdDate": igate_time(row.recorded_at),
        "updatedDate": igate_time(row.recorded_at),
        "bpmProcessDefinitionTask": {
            "id": object_id("bpm-task", "reception"),
            "name": {"id": object_id("bpm-task-name", "reception"), "name": "Tiếp nhận hồ sơ"},
        },
        "dossierStatus": {"id": status.id, "name": _names(status.name)},
        "comment": _comment(row, record),
    }
    if row.appointment_date is not None:
        entry["appointmentDate"] = _day(row.appointment_date)
    return entry


def _comment(row: DecisionRow, record: Json) -> str:
    if f"[{DECISION_TAG}" in row.officer_note:
        return row.officer_note  # sent through iGate: the comment as the desk wrote it
    # Decided through the contract: the comment the iGate adapter would have written.
    lines = [*record["reasons"]]
    if row.officer_note:
        lines.append(row.officer_note)
    snapshot = tuple(
        VerdictSnapshot(
            attachment_id=attachment_file_id(str(item["attachment_id"])),
            sha256=item.get("sha256"),
            verdict=str(item["verdict"]),
            signer_citizen_ids=tuple(item.get("signer_citizen_ids", ())),
        )
        for item in record["verdict_snapshot"]
    )
    if snapshot:
        lines.append(snapshot_tag(snapshot))
    lines.append(decision_tag(row.decision_id))
    return "\n".join(lines)


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
