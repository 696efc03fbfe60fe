"""VNPT iGate's JSON to and from the domain's records (fields in ``docs/adapters/igate.md``).

Readers check what they take and ignore everything else (an iGate dossier carries dozens of
fields the desk does not need); a missing required field is a
:class:`~intake_desktop.services.source.MalformedResponse` naming it.
"""

from __future__ import annotations

import mimetypes
import re
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
    Dossier,
    DossierStatus,
)
from intake_desktop.services.adapters.igate_codes import (
    DECISION_TAG,
    decision_tag,
    igate_status,
    igate_status_after,
)
from intake_desktop.services.payloads import JsonObject
from intake_desktop.services.source import (
    DecisionRequest,
    DossierSummary,
    MalformedResponse,
    Officer,
)

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
    )


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
