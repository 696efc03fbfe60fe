"""The contract's JSON (``resources/api/openapi.json``) to and from the domain's records.

Every reader checks what it takes, so a malformed answer becomes a
:class:`~intake_desktop.services.source.MalformedResponse` that says where
(``items[3].status: expected one of …``) instead of a ``KeyError`` deep in the app.
Unknown extra fields are ignored: a newer server may add some.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    ComponentSpec,
    CopyKind,
    DecisionKind,
    DecisionRecord,
    Dossier,
    DossierStatus,
    Procedure,
    VerdictSnapshot,
)
from intake_desktop.services.source import (
    DecisionReceipt,
    DecisionRequest,
    DossierPage,
    DossierSummary,
    MalformedResponse,
    Officer,
)

_SHA256 = re.compile(r"[0-9a-f]{64}")
_E = TypeVar("_E", bound=StrEnum)


class JsonObject:
    """A JSON object being read, with its place in the document for error messages.

    Shared by every adapter's readers (``services.adapters``)."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, Mapping):
            raise MalformedResponse(f"{where}: expected an object, got {_kind(value)}")
        self._value: Mapping[str, Any] = value
        self.where = where

    def _get(self, key: str) -> Any:
        if key not in self._value:
            raise MalformedResponse(f"{self.where}: missing field {key!r}")
        return self._value[key]

    def _bad(self, key: str, expected: str, value: object) -> MalformedResponse:
        return MalformedResponse(f"{self.where}.{key}: expected {expected}, got {_kind(value)}")

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self._bad(key, "a string", value)
        return value

    def opt_text(self, key: str, *, default: str | None = None) -> str | None:
        if key not in self._value:
            return default
        value = self._value[key]
        if value is not None and not isinstance(value, str):
            raise self._bad(key, "a string or null", value)
        return value

    def integer(self, key: str) -> int:
        value = self._get(key)
        # bool is an int in Python, not in JSON.
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._bad(key, "an integer", value)
        return value

    def opt_integer(self, key: str) -> int | None:
        value = self._get(key)
        return None if value is None else self.integer(key)

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise self._bad(key, "true or false", value)
        return value

    def moment(self, key: str) -> datetime:
        text = self.text(key)
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise self._bad(key, "an ISO 8601 date-time", text) from None
        if value.tzinfo is None:
            raise MalformedResponse(f"{self.where}.{key}: date-time {text!r} has no UTC offset")
        return value

    def opt_day(self, key: str) -> date | None:
        text = self.opt_text(key)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self._bad(key, "an ISO 8601 date", text) from None

    def enum(self, key: str, kind: type[_E]) -> _E:
        text = self.text(key)
        try:
            return kind(text)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise MalformedResponse(
                f"{self.where}.{key}: expected one of {allowed}, got {text!r}"
            ) from None

    def obj(self, key: str) -> JsonObject:
        return JsonObject(self._get(key), f"{self.where}.{key}")

    def opt_obj(self, key: str) -> JsonObject | None:
        """The object at ``key``, or ``None`` when it is absent or null."""
        value = self._value.get(key)
        return None if value is None else JsonObject(value, f"{self.where}.{key}")

    def value(self, key: str) -> Any:
        """The raw value at ``key`` (required), for fields of more than one JSON type."""
        return self._get(key)

    def has(self, key: str) -> bool:
        return self._value.get(key) is not None

    def objects(self, key: str) -> list[JsonObject]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self._bad(key, "an array", value)
        return [JsonObject(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(value)]

    def strings(self, key: str, *, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        if default is not None and key not in self._value:
            return default
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._bad(key, "an array of strings", value)
        return tuple(value)

    def status(self) -> DossierStatus:
        """The ``status`` field, checked against ``national_status_code`` when present."""
        status = self.enum("status", DossierStatus)
        if not status.known:
            # The desk's own name for statuses it cannot read; not a value of the contract.
            raise MalformedResponse(
                f"{self.where}.status: {status.value!r} is not a contract status"
            )
        if "national_status_code" in self._value:
            national = self.integer("national_status_code")
            if national != status.national_code:
                raise MalformedResponse(
                    f"{self.where}: status {status.value!r} is national code "
                    f"{status.national_code}, but national_status_code is {national}"
                )
        return status


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"{shown!r}"
    return type(value).__name__


def _root(document: object, context: str) -> JsonObject:
    return JsonObject(document, context)


def officer(document: object, context: str = "officer") -> Officer:
    """Parse an ``Officer``. Raises :class:`MalformedResponse`."""
    return _officer(_root(document, context))


def _officer(item: JsonObject) -> Officer:
    return Officer(
        username=item.text("username"),
        name=item.text("name"),
        unit=item.text("unit"),
        # Servers of contract 1.0 send no roles: every account is then an officer.
        roles=item.strings("roles", default=("officer",)),
    )


def token(document: object, context: str = "token") -> tuple[str, int, Officer]:
    """Parse a ``Token``: returns (access token, lifetime in seconds, officer).

    Raises :class:`MalformedResponse`.
    """
    item = _root(document, context)
    access_token = item.text("access_token")
    if not access_token:
        raise MalformedResponse(f"{context}.access_token: empty")
    token_type = item.text("token_type")
    if token_type.lower() != "bearer":
        raise MalformedResponse(f"{context}.token_type: expected Bearer, got {token_type!r}")
    expires_in = item.integer("expires_in")
    return access_token, expires_in, _officer(item.obj("officer"))


def procedures(document: object, context: str) -> list[Procedure]:
    """Parse a ``ProcedureList``. Raises :class:`MalformedResponse`."""
    return [_procedure(item) for item in _root(document, context).objects("items")]


def _procedure(item: JsonObject) -> Procedure:
    return Procedure(
        code=item.text("code"),
        name=item.text("name"),
        sector=item.text("sector"),
        agency_level=item.text("agency_level"),
        processing_days=item.integer("processing_days"),
        processing_note=item.text("processing_note"),
        fee_vnd=item.opt_integer("fee_vnd"),
        fee_note=item.text("fee_note"),
        legal_basis=item.strings("legal_basis"),
        source_urls=item.strings("source_urls"),
        components=tuple(_component_spec(spec) for spec in item.objects("components")),
        agency=item.opt_text("agency", default="") or "",
        channels=item.strings("channels", default=()),
    )


def _component_spec(item: JsonObject) -> ComponentSpec:
    return ComponentSpec(
        code=item.text("code"),
        name=item.text("name"),
        copy_kind=item.enum("copy_kind", CopyKind),
        quantity=item.integer("quantity"),
        required=item.flag("required"),
        signature_required=item.flag("signature_required"),
        condition=item.opt_text("condition"),
        note=item.text("note"),
        online=item.flag("online"),
        form=item.opt_text("form"),
    )


def dossier_page(document: object, context: str) -> DossierPage:
    """Parse a ``DossierPage``. Raises :class:`MalformedResponse`."""
    page = _root(document, context)
    return DossierPage(
        items=tuple(_summary(item) for item in page.objects("items")),
        next_cursor=page.opt_text("next_cursor") or None,
        server_time=page.moment("server_time"),
    )


def _summary(item: JsonObject) -> DossierSummary:
    return DossierSummary(
        code=item.text("code"),
        procedure_code=item.text("procedure_code"),
        procedure_name=item.text("procedure_name"),
        applicant_name=item.text("applicant_name"),
        applicant_citizen_id=item.text("applicant_citizen_id"),
        submitted_at=item.moment("submitted_at"),
        status=item.status(),
        version=item.integer("version"),
        updated_at=item.moment("updated_at"),
        component_count=item.integer("component_count"),
    )


def dossier(document: object, context: str) -> Dossier:
    """Parse a ``Dossier``. Raises :class:`MalformedResponse`."""
    item = _root(document, context)
    applicant = item.obj("applicant")
    return Dossier(
        code=item.text("code"),
        procedure_code=item.text("procedure_code"),
        procedure_name=item.text("procedure_name"),
        submitted_at=item.moment("submitted_at"),
        status=item.status(),
        version=item.integer("version"),
        applicant=Applicant(
            name=applicant.text("name"),
            citizen_id=applicant.text("citizen_id"),
            birth_date=applicant.opt_day("birth_date"),
            phone=applicant.opt_text("phone"),
            email=applicant.opt_text("email"),
            address=applicant.opt_text("address"),
        ),
        components=tuple(_component(component) for component in item.objects("components")),
        # Contract 1.1; a 1.0 server sends no history.
        decisions=tuple(_decision_record(d) for d in item.objects("decisions"))
        if item.has("decisions")
        else (),
    )


def _decision_record(item: JsonObject) -> DecisionRecord:
    officer = item.obj("officer")
    kind = item.enum("kind", DecisionKind)
    national = item.integer("national_status_code")
    if national != kind.resulting_status.national_code:
        raise MalformedResponse(
            f"{item.where}: {kind.value} leads to national code "
            f"{kind.resulting_status.national_code}, not {national}"
        )
    return DecisionRecord(
        decision_id=item.text("decision_id").lower(),
        kind=kind,
        officer=officer.text("username"),
        officer_name=officer.text("name"),
        recorded_at=item.moment("recorded_at"),
        dossier_version=item.integer("dossier_version"),
        national_status_code=national,
        reasons=item.strings("reasons", default=()),
        components=item.strings("components", default=()),
        appointment_date=item.opt_day("appointment_date"),
        verdict_snapshot=tuple(_snapshot(s) for s in item.objects("verdict_snapshot")),
    )


def _snapshot(item: JsonObject) -> VerdictSnapshot:
    sha256 = item.opt_text("sha256")
    if sha256 is not None:
        sha256 = sha256.lower()
        if not _SHA256.fullmatch(sha256):
            raise MalformedResponse(f"{item.where}.sha256: expected 64 hex digits, got {sha256!r}")
    return VerdictSnapshot(
        attachment_id=item.text("attachment_id"),
        sha256=sha256,
        verdict=item.text("verdict"),
        signer_citizen_ids=item.strings("signer_citizen_ids", default=()),
    )


def _component(item: JsonObject) -> Component:
    return Component(
        spec_code=item.opt_text("spec_code"),
        name=item.text("name"),
        copy_kind=item.enum("copy_kind", CopyKind),
        attachments=tuple(_attachment(attachment) for attachment in item.objects("attachments")),
    )


def _attachment(item: JsonObject) -> Attachment:
    sha256 = item.text("sha256").lower()
    if not _SHA256.fullmatch(sha256):
        raise MalformedResponse(f"{item.where}.sha256: expected 64 hex digits, got {sha256!r}")
    size = item.integer("size")
    if size < 0:
        raise MalformedResponse(f"{item.where}.size: negative ({size})")
    return Attachment(
        remote_id=item.text("id"),
        file_name=item.text("file_name"),
        media_type=item.text("media_type"),
        size=size,
        sha256=sha256,
    )


def decision_body(decision: DecisionRequest) -> dict[str, Any]:
    """Return the ``DecisionRequest`` JSON body for a decision (the code goes in the path)."""
    return {
        "dossier_version": decision.dossier_version,
        "kind": decision.kind.value,
        "reasons": list(decision.reasons),
        "components": list(decision.components),
        "appointment_date": (
            decision.appointment_date.isoformat() if decision.appointment_date else None
        ),
        "officer_note": decision.officer_note,
        "verdict_snapshot": [
            {
                "attachment_id": snapshot.attachment_id,
                "sha256": snapshot.sha256,
                "verdict": snapshot.verdict,
                "signer_citizen_ids": list(snapshot.signer_citizen_ids),
            }
            for snapshot in decision.verdict_snapshot
        ],
    }


def decision_receipt(document: object, context: str) -> DecisionReceipt:
    """Parse a ``DecisionReceipt``. Raises :class:`MalformedResponse`."""
    item = _root(document, context)
    return DecisionReceipt(
        decision_id=item.text("decision_id"),
        dossier_code=item.text("dossier_code"),
        kind=item.enum("kind", DecisionKind),
        status=item.status(),
        version=item.integer("version"),
        recorded_at=item.moment("recorded_at"),
        officer=item.text("officer"),
    )


def error_body(document: object) -> tuple[str | None, str | None, dict[str, str]]:
    """Read an ``Error`` (or ``Conflict``) body leniently: (code, message, fields).

    Error bodies only improve messages, so anything unexpected is dropped, never raised.
    """
    if not isinstance(document, Mapping):
        return None, None, {}
    code = document.get("error")
    # OpenID Connect token endpoints (Keycloak) put the words in error_description.
    message = document.get("message", document.get("error_description"))
    fields = document.get("fields")
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) else None,
        (
            {str(key): str(value) for key, value in fields.items()}
            if isinstance(fields, Mapping)
            else {}
        ),
    )


def conflict_state(document: object) -> tuple[DossierStatus | None, int | None]:
    """Read the dossier's status and version from a ``Conflict`` body, leniently."""
    if not isinstance(document, Mapping):
        return None, None
    status_text = document.get("status")
    version = document.get("version")
    try:
        status = DossierStatus(status_text) if isinstance(status_text, str) else None
    except ValueError:
        status = None
    if not isinstance(version, int) or isinstance(version, bool):
        version = None
    return status, version
