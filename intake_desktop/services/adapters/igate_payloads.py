"""VNPT iGate's JSON to and from the domain's records (fields in ``docs/adapters/igate.md``).

Readers check what they take and ignore everything else (an iGate dossier carries dozens of
fields the desk does not need); a missing required field is a
:class:`~intake_desktop.services.source.MalformedResponse` naming it.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import mimetypes
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from intake_desktop.clock import VN_TZ
from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    CopyKind,
    DecisionKind,
    DecisionRecord,
    Dossier,
    DossierStatus,
    VerdictSnapshot,
)
from intake_desktop.services.adapters.igate_codes import (
    DECISION_TAG,
    SNAPSHOT_TAG,
    SUPERVISOR_ROLES,
    decision_tag,
    igate_status,
    igate_status_after,
)
from intake_desktop.services.payloads import JsonObject
from intake_desktop.services.source import (
    SUPERVISOR_ROLE,
    DecisionRequest,
    DossierSummary,
    MalformedResponse,
    Officer,
)

log = logging.getLogger(__name__)

VIETNAMESE = 228
"""``languageId`` of Vietnamese in iGate's translated names."""

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Grant:
    """An OpenID Connect token answer."""

    access_token: str
    expires_in: int
    refresh_token: str | None
    refresh_expires_in: int | None


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of ``/pa/dossier/search``: summaries with iGate's ids."""

    items: tuple[tuple[str, DossierSummary], ...]
    """(iGate id, summary) in the server's order."""
    last: bool


@dataclass(frozen=True, slots=True)
class IgateDossier:
    """A dossier's detail with what only the adapter needs."""

    id: str
    dossier: Dossier
    status_comment: str
    """``dossierStatus.comment`` (inferred field): carries the decision tag."""
    updated_at: datetime


def grant(document: object, where: str) -> Grant:
    """Parse a token answer. Raises :class:`MalformedResponse`."""
    item = JsonObject(document, where)
    access_token = item.text("access_token")
    if not access_token:
        raise MalformedResponse(f"{where}.access_token: empty")
    token_type = item.opt_text("token_type", default="Bearer") or "Bearer"
    if token_type.lower() != "bearer":
        raise MalformedResponse(f"{where}.token_type: expected Bearer, got {token_type!r}")
    refresh = item.opt_text("refresh_token")
    return Grant(
        access_token=access_token,
        expires_in=item.integer("expires_in"),
        refresh_token=refresh or None,
        refresh_expires_in=item.integer("refresh_expires_in")
        if item.has("refresh_expires_in")
        else None,
    )


def officer(document: object, where: str, username: str) -> Officer:
    """Parse OpenID Connect ``userinfo``. Raises :class:`MalformedResponse`."""
    item = JsonObject(document, where)
    name = item.opt_text("name") or ""
    return Officer(
        username=item.opt_text("preferred_username") or username,
        name=name or username,
        unit=item.opt_text("organization") or "",
        roles=roles(item),
    )


def roles(item: JsonObject) -> tuple[str, ...]:
    """The desk's roles from Keycloak's ``realm_access.roles`` claim (standard Keycloak; in
    ``userinfo`` when the realm maps it there): every account is an officer, a role in
    :data:`SUPERVISOR_ROLES` also a supervisor. A malformed claim gives no extra role."""
    access = item.value("realm_access") if item.has("realm_access") else None
    granted = access.get("roles") if isinstance(access, dict) else None
    names = {r for r in granted if isinstance(r, str)} if isinstance(granted, list) else set()
    return ("officer", SUPERVISOR_ROLE) if names & SUPERVISOR_ROLES else ("officer",)


def moment(item: JsonObject, key: str) -> datetime:
    """iGate's date-times, ``2025-06-20T10:15:30.000+0700``."""
    return item.moment(key)


def version_of(updated_at: datetime) -> int:
    """The dossier's version: ``updatedDate`` in milliseconds (iGate keeps no version)."""
    return int(updated_at.astimezone(UTC).timestamp() * 1000)


def search_page(document: object, where: str, size: int) -> SearchPage:
    """Parse a Spring page (or slice) of dossiers. Raises :class:`MalformedResponse`.

    A dossier in a status the desk does not know is listed as ``DossierStatus.OTHER``.
    """
    page = JsonObject(document, where)
    content = page.objects("content")
    items = [(entry.text("id"), _summary(entry)) for entry in content]
    last = page.value("last") if page.has("last") else len(content) < size
    return SearchPage(tuple(items), bool(last))


def _summary(item: JsonObject) -> DossierSummary:
    procedure = item.obj("procedure")
    applicant = item.obj("applicant").obj("data")
    updated_at = moment(item, "updatedDate")
    forms = item.objects("dossierFormFile") if item.has("dossierFormFile") else []
    return DossierSummary(
        code=item.text("code"),
        procedure_code=procedure.text("code"),
        procedure_name=_procedure_name(procedure),
        applicant_name=applicant.text("fullname"),
        applicant_citizen_id=applicant.text("identityNumber"),
        submitted_at=moment(item, "appliedDate"),
        status=status(item)[0],
        version=version_of(updated_at),
        updated_at=updated_at,
        component_count=len(forms),
    )


def status(item: JsonObject) -> tuple[DossierStatus, str | None]:
    """Our status for the dossier's ``dossierStatus``, and iGate's own words when the desk
    does not know it (``DossierStatus.OTHER``, e.g. ``"Tạm dừng (99)"``), else ``None``.

    An unknown id is no error: the dossier is shown read-only with what iGate calls it.
    """
    field = item.obj("dossierStatus")
    status_id = field.integer("id")
    known = igate_status(status_id)
    if known is not None:
        return known.status, None
    name = translated(field.value("name")).strip() if field.has("name") else ""
    return DossierStatus.OTHER, f"{name} ({status_id})" if name else str(status_id)


def translated(value: Any) -> str:
    """A name as iGate gives it: a string, or ``[{"languageId": 228, "name": …}, …]``."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        names = [entry for entry in value if isinstance(entry, dict)]
        for entry in names:
            if entry.get("languageId") == VIETNAMESE and isinstance(entry.get("name"), str):
                return str(entry["name"])
        for entry in names:
            if isinstance(entry.get("name"), str):
                return str(entry["name"])
    return ""


def _procedure_name(procedure: JsonObject) -> str:
    if procedure.has("translate"):
        translate = procedure.value("translate")
        if isinstance(translate, dict):
            return translated(translate.get("name"))
        return translated(translate)
    return translated(procedure.value("name")) if procedure.has("name") else ""


def dossier(document: object, where: str) -> IgateDossier:
    """Parse ``/pa/dossier/{id}/--online``. Raises :class:`MalformedResponse`."""
    item = JsonObject(document, where)
    summary = _summary(item)
    applicant = item.obj("applicant").obj("data")
    status_field = item.obj("dossierStatus")
    _ours, raw_status = status(item)
    return IgateDossier(
        id=item.text("id"),
        dossier=Dossier(
            code=summary.code,
            procedure_code=summary.procedure_code,
            procedure_name=summary.procedure_name,
            submitted_at=summary.submitted_at,
            status=summary.status,
            version=summary.version,
            applicant=Applicant(
                name=summary.applicant_name,
                citizen_id=summary.applicant_citizen_id,
                birth_date=_day(applicant.value("birthday")) if applicant.has("birthday") else None,
                phone=_text_or_none(applicant, "phoneNumber"),
                email=_text_or_none(applicant, "email"),
                address=_text_or_none(applicant, "address"),
            ),
            components=tuple(_component(form) for form in item.objects("dossierFormFile")),
            raw_status=raw_status,
            decisions=decision_history(item),
        ),
        status_comment=_text_or_none(status_field, "comment") or "",
        updated_at=summary.updated_at,
    )


def _text_or_none(item: JsonObject, key: str) -> str | None:
    value = item.opt_text(key)
    return value or None


def _day(value: object) -> date | None:
    # Seen as ISO date-times and as dd/mm/yyyy; anything else is not worth failing a dossier.
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def _component(item: JsonObject) -> Component:
    form = item.opt_obj("procedureForm")
    name = (form.opt_text("name") if form is not None else None) or item.opt_text("formName")
    if not name:
        raise MalformedResponse(f"{item.where}: missing field 'procedureForm.name' (or 'formName')")
    requirement = item.opt_obj("requirement")
    type_name = (requirement.opt_text("typeName") if requirement is not None else None) or ""
    return Component(
        spec_code=(form.opt_text("code") if form is not None else None) or None,
        name=name,
        copy_kind=copy_kind(type_name),
        attachments=tuple(_attachment(file) for file in item.objects("file")),
    )


def copy_kind(type_name: str) -> CopyKind:
    """``requirement.typeName`` ("Bản chính", "Bản     sao (Scan/…)") to original or copy."""
    words = _SPACES.sub(" ", type_name).strip().casefold()
    return CopyKind.ORIGINAL if words.startswith("bản chính") else CopyKind.COPY


def _attachment(item: JsonObject) -> Attachment:
    size = item.integer("size")
    if size < 0:
        raise MalformedResponse(f"{item.where}.size: negative ({size})")
    file_name = item.text("filename")
    media_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    return Attachment(
        remote_id=item.text("id"), file_name=file_name, media_type=media_type, size=size
    )


def status_body(decision: DecisionRequest, when: datetime) -> dict[str, Any]:
    """The body of ``PUT /pa/dossier/{id}/status`` for a decision (inferred shape).

    The comment carries the reasons, the officer's note and the decision's tag.
    """
    target = igate_status_after(decision.kind)
    lines = [*decision.reasons]
    if decision.officer_note:
        lines.append(decision.officer_note)
    if decision.verdict_snapshot:
        lines.append(snapshot_tag(decision.verdict_snapshot))
    lines.append(decision_tag(decision.decision_id))
    body: dict[str, Any] = {
        "dossierStatus": {"id": target.id},
        "comment": "\n".join(lines),
        "updatedDate": igate_time(when),
    }
    if decision.kind is DecisionKind.ACCEPT and decision.appointment_date is not None:
        # iGate keeps date-times: the end of the office day, Vietnam time.
        body["appointmentDate"] = f"{decision.appointment_date.isoformat()}T17:00:00.000+0700"
    if decision.components:
        body["dossierFormFileIds"] = list(decision.components)
    return body


def igate_time(value: datetime) -> str:
    """A date-time as iGate writes it: milliseconds and a ``+0700`` offset."""
    local = value.astimezone(VN_TZ)
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}+0700"


def tagged_decision(comment: str) -> str | None:
    """The decision UUID a status comment carries, or ``None``."""
    start = comment.rfind(f"[{DECISION_TAG}")
    if start < 0:
        return None
    end = comment.find("]", start)
    return comment[start + len(DECISION_TAG) + 1 : end] if end > start else None


# -- the decision history (``task[]``; see docs/adapters/igate.md, "Decision history") ------

_HISTORY_NAMESPACE = uuid.UUID("6f1d3c52-3b0e-4c1a-9d39-7a52e0f4b8a1")
"""Names the decision of a history entry without our tag (decided in iGate's own screens)."""

_KIND_AFTER = {kind.resulting_status: kind for kind in DecisionKind}


def decision_history(item: JsonObject) -> tuple[DecisionRecord, ...]:
    """The reception decisions in a dossier's ``task[]``, oldest first.

    One small reader on purpose: the shape is inferred (docs/adapters/igate.md), and a
    province whose iGate words it otherwise replaces this function alone. An entry is a
    decision when it names the ``dossierStatus`` the step left the dossier in and that
    status is one a decision leads to; other steps (processing, approval) are not. A
    malformed entry is skipped with a log line: one bad step never fails the dossier.
    """
    if not item.has("task"):
        return ()
    tasks = item.value("task")
    if not isinstance(tasks, list):
        log.warning("%s.task: expected an array; decision history skipped", item.where)
        return ()
    appointment = _day(item.value("appointmentDate")) if item.has("appointmentDate") else None
    records: list[DecisionRecord] = []
    for index, raw in enumerate(tasks):
        where = f"{item.where}.task[{index}]"
        try:
            record = _history_entry(JsonObject(raw, where), appointment)
        except MalformedResponse as error:
            log.warning("decision history entry skipped: %s", error)
            continue
        if record is not None:
            records.append(record)
    return tuple(sorted(records, key=lambda r: (r.recorded_at, r.decision_id)))


def _history_entry(task: JsonObject, dossier_appointment: date | None) -> DecisionRecord | None:
    status_field = task.opt_obj("dossierStatus")
    if status_field is None:
        return None  # a processing step, not a reception decision
    known = igate_status(status_field.integer("id"))
    kind = _KIND_AFTER.get(known.status) if known is not None else None
    if kind is None:
        return None  # a step that moved the dossier elsewhere (e.g. "Chờ tiếp nhận")
    assignee = task.obj("assignee")
    usernames = assignee.obj("account").objects("username")
    if not usernames or not usernames[0].text("value"):
        raise MalformedResponse(f"{assignee.where}.account.username: empty")
    comment = task.opt_text("comment") or ""
    decision_id = tagged_decision(comment)
    if decision_id is None or not _is_uuid(decision_id):
        decision_id = str(uuid.uuid5(_HISTORY_NAMESPACE, task.text("id")))
    appointment = _day(task.value("appointmentDate")) if task.has("appointmentDate") else None
    if kind is DecisionKind.ACCEPT and appointment is None:
        appointment = dossier_appointment
    created = moment(task, "createdDate")
    return DecisionRecord(
        decision_id=decision_id.lower(),
        kind=kind,
        officer=usernames[0].text("value"),
        officer_name=assignee.opt_text("fullname") or usernames[0].text("value"),
        recorded_at=moment(task, "updatedDate"),
        # iGate keeps no version: the dossier's as the step began (updatedDate in ms).
        dossier_version=version_of(created),
        national_status_code=kind.resulting_status.national_code,
        reasons=tuple(
            line.strip()
            for line in comment.splitlines()
            if line.strip() and not line.startswith("[")
        ),
        appointment_date=appointment,
        verdict_snapshot=tagged_snapshot(comment, task.where),
    )


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def snapshot_tag(snapshot: tuple[VerdictSnapshot, ...]) -> str:
    """The comment line carrying a verdict snapshot: ``[intake-desktop-snapshot:<b64>]``.

    base64url of compact JSON rows ``[attachment_id, sha256, verdict, [signer ids]]``: no
    ``]`` or line break inside, whatever the ids hold, and about 120 characters a file.
    """
    rows = [[s.attachment_id, s.sha256, s.verdict, list(s.signer_citizen_ids)] for s in snapshot]
    packed = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f"[{SNAPSHOT_TAG}{base64.urlsafe_b64encode(packed).decode('ascii').rstrip('=')}]"


def tagged_snapshot(comment: str, where: str = "comment") -> tuple[VerdictSnapshot, ...]:
    """The verdict snapshot a status comment carries; ``()`` when it carries none, or one
    that cannot be read (logged): the decision still counts, without what was seen."""
    start = comment.rfind(f"[{SNAPSHOT_TAG}")
    end = comment.find("]", start)
    if start < 0 or end < 0:
        return ()
    text = comment[start + len(SNAPSHOT_TAG) + 1 : end]
    try:
        rows = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        if not isinstance(rows, list):
            raise ValueError("not a list")
        return tuple(_snapshot_row(row) for row in rows)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as error:
        log.warning("%s: unreadable verdict snapshot skipped (%s)", where, error)
        return ()


def _snapshot_row(row: object) -> VerdictSnapshot:
    if not isinstance(row, list) or len(row) != 4:
        raise ValueError("expected [attachment_id, sha256, verdict, signer ids]")
    attachment_id, sha256, verdict, ids = row
    if (
        not isinstance(attachment_id, str)
        or not attachment_id
        or not (sha256 is None or isinstance(sha256, str))
        or not isinstance(verdict, str)
        or not isinstance(ids, list)
        or not all(isinstance(i, str) for i in ids)
    ):
        raise ValueError("a snapshot row has a field of the wrong type")
    return VerdictSnapshot(
        attachment_id=attachment_id,
        sha256=sha256.lower() if sha256 else None,
        verdict=verdict,
        signer_citizen_ids=tuple(ids),
    )
