"""The iGate imitation (``serve --flavor igate``): VNPT iGate's URL shapes over the same data.

Keycloak's token and userinfo endpoints, ``/pa/dossier/search``, ``/pa/dossier/{id}/--online``,
``/fi/file/{id}`` and the status change, with iGate's field names, Spring's page and error
shapes and Keycloak's error bodies, as ``docs/adapters/igate.md`` describes (what is inferred
there is imitated as inferred). Decisions land in the same tables as the contract's, so the
trainer's routes under ``/api/v1/_training/`` work for both flavors.

One trainer route of its own: ``PUT /api/v1/_training/igate/foreign-status`` with
``{"code": "<dossier code>", "id": 99, "name": "Tạm dừng"}`` shows that dossier in an iGate
status outside the desk's table (``"id": null`` puts it back), for the lesson and the tests on
statuses the desk does not know. ``POST /api/v1/_training/reset`` forgets these too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Flask, Response, current_app, g, request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake_desktop.domain import DecisionKind, DossierStatus
from intake_desktop.server.accounts import check_token, issue_token, token_sha256, verify_password
from intake_desktop.server.api import FileBody
from intake_desktop.server.decisions import DecisionInput, decision_history, record_decision
from intake_desktop.server.errors import ApiError, Conflict, NotFound, ValidationFailed
from intake_desktop.server.faults import TRAINING_PREFIX
from intake_desktop.server.http_io import SignedIn, json_response, read_json, require_trainer
from intake_desktop.server.igate_json import (
    dossier_document,
    dossier_id,
    file_id,
    summary_document,
)
from intake_desktop.server.models import (
    AttachmentRow,
    ComponentRow,
    DecisionRow,
    DossierRow,
    OfficerRow,
)
from intake_desktop.server.state import server_state
from intake_desktop.services.adapters.igate import DEFAULT_CLIENT_ID, DEFAULT_REALM, MAX_PAGE_SIZE
from intake_desktop.services.adapters.igate_codes import igate_status, igate_status_for
from intake_desktop.services.adapters.igate_payloads import tagged_decision, tagged_snapshot

REFRESH_TTL = 1800
"""Seconds a refresh token lives (Keycloak's default SSO session idle time)."""
_REFRESH_KEY = "intake_igate_refresh_tokens"
_FOREIGN_KEY = "intake_igate_foreign_statuses"
_OIDC = "/auth/realms/<realm>/protocol/openid-connect"
NO_PASSWORD_GRANT_CLIENT = "dichvucong-web"
"""A client the imitation's realm has that may not use the password grant (Keycloak's
"Direct access grants" off), as a citizen portal's client would be: imitation only."""

igate = Blueprint("igate", __name__)


class SpringError(ApiError):
    """An error as iGate's Spring services answer it (``timestamp, status, error, …``)."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error

    def body(self) -> dict[str, Any]:
        return spring_body(self.status, self.error, self.message)


def spring_body(status: int, error: str, message: str) -> dict[str, Any]:
    return {
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "status": status,
        "error": error,
        "message": message,
        "path": request.path,
    }


@igate.errorhandler(ApiError)
def _spring_error(error: ApiError) -> Response:
    # The contract's errors raised by shared code (tokens, decisions) in iGate's shape.
    if isinstance(error, SpringError):
        return json_response(error.body(), error.status, error.headers)
    reason = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}.get(error.status)
    status = error.status if reason else 400
    return json_response(
        spring_body(status, reason or "Bad Request", error.message), status, error.headers
    )


# -- Keycloak ---------------------------------------------------------------------------------


def _keycloak(status: int, error: str, description: str | None = None) -> Response:
    body = (
        {"error": error}
        if description is None
        else {"error": error, "error_description": description}
    )
    return json_response(body, status)


def _realm_ok(realm: str) -> bool:
    return realm == DEFAULT_REALM


@igate.post(f"{_OIDC}/token")
def token(realm: str) -> Response:
    """OpenID Connect token endpoint: password and refresh_token grants (form body)."""
    if not _realm_ok(realm):
        return _keycloak(404, "Realm does not exist")
    form = request.form
    grant_type = form.get("grant_type")
    if not grant_type:
        return _keycloak(400, "invalid_request", "Missing form parameter: grant_type")
    client_id = form.get("client_id")
    if client_id == NO_PASSWORD_GRANT_CLIENT and grant_type == "password":
        # Keycloak's ResourceOwnerPasswordCredentialsGrantType for such a client.
        return _keycloak(400, "unauthorized_client", "Client not allowed for direct access grants")
    if client_id != DEFAULT_CLIENT_ID:
        # Keycloak's AuthenticationProcessor for a client id the realm does not have.
        return _keycloak(401, "invalid_client", "Invalid client or Invalid client credentials")
    state = server_state()
    refresh_tokens = _refresh_tokens(current_app)
    if grant_type == "password":
        username = (form.get("username") or "").strip()
        with state.database.session() as session:
            officer = session.get(OfficerRow, username)
            known = verify_password(
                form.get("password") or "", officer.password_hash if officer else None
            )
        if not known:
            return _keycloak(401, "invalid_grant", "Invalid user credentials")
    elif grant_type == "refresh_token":
        presented = form.get("refresh_token") or ""
        with state.database.session() as session:
            checked = check_token(session, presented, datetime.now(UTC))
            username = checked.officer.username if checked.officer is not None else ""
        if not username or token_sha256(presented) not in refresh_tokens:
            return _keycloak(400, "invalid_grant", "Token is not active")
    else:
        return _keycloak(400, "unsupported_grant_type", "Unsupported grant_type")
    now = datetime.now(UTC)
    with state.database.session(write=True) as session:
        access = issue_token(session, username, now, timedelta(seconds=state.config.token_ttl))
        refresh = issue_token(session, username, now, timedelta(seconds=REFRESH_TTL))
    refresh_tokens.add(token_sha256(refresh))
    return json_response(
        {
            "access_token": access,
            "expires_in": state.config.token_ttl,
            "refresh_expires_in": REFRESH_TTL,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "session_state": str(uuid.uuid4()),
            "scope": "openid profile email",
        }
    )


def _refresh_tokens(app: Flask) -> set[str]:
    tokens = app.extensions.setdefault(_REFRESH_KEY, set())
    assert isinstance(tokens, set)
    return tokens


@igate.get(f"{_OIDC}/userinfo")
def userinfo(realm: str) -> Response:
    if not _realm_ok(realm):
        return _keycloak(404, "Realm does not exist")
    officer = _signed_in()
    return json_response(
        {
            "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, officer.username)),
            "preferred_username": officer.username,
            "name": officer.name,
            "organization": officer.unit,
            # Keycloak's realm roles claim, mapped into userinfo (roles: inferred names).
            "realm_access": {"roles": _realm_roles(officer)},
            "email_verified": False,
        }
    )


def _realm_roles(officer: SignedIn) -> list[str]:
    return [
        "offline_access",
        "officer",
        *(["supervisor"] if officer.supervisor else []),
        *(["trainer"] if officer.trainer else []),
    ]


def _signed_in() -> SignedIn:
    """The officer of the bearer token; refresh tokens are not accepted as bearer tokens."""
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented:
        raise SpringError(
            401, "Unauthorized", "Full authentication is required to access this resource"
        )
    if token_sha256(presented) in _refresh_tokens(current_app):
        raise SpringError(401, "Unauthorized", "Invalid token")
    with server_state().database.session() as session:
        checked = check_token(session, presented, datetime.now(UTC))
        if checked.officer is None:
            raise SpringError(401, "Unauthorized", f"Invalid token: {checked.problem}")
        officer = checked.officer
        signed_in = SignedIn(
            officer.username,
            officer.name,
            officer.unit,
            officer.trainer,
            bool(officer.supervisor),
        )
    g.username = signed_in.username
    return signed_in


# -- dossiers -----------------------------------------------------------------------------------


@igate.get("/pa/dossier/search")
def search() -> Response:
    """A Spring page (``spec=page``) or slice (``spec=slice``) of dossiers, newest change first."""
    _signed_in()
    page = _whole("page", 0, 0, 1_000_000)
    size = min(_whole("size", 20, 1, 10_000), MAX_PAGE_SIZE)
    wanted = _status_ids(request.args.get("dossier-status", ""))
    code = (request.args.get("code") or "").strip()
    sort = request.args.get("sort", "updatedDate,desc")
    query = select(DossierRow)
    if code:
        query = query.where(DossierRow.code == code)
    # The submission range (inferred names, after S2's accepted-from / appointment-from).
    applied_from, applied_to = _moment_arg("applied-from"), _moment_arg("applied-to")
    if applied_from is not None:
        query = query.where(DossierRow.submitted_at >= applied_from)
    if applied_to is not None:
        query = query.where(DossierRow.submitted_at <= applied_to)
    field, _, direction = sort.partition(",")
    column = {"updatedDate": DossierRow.updated_at, "appliedDate": DossierRow.submitted_at}.get(
        field
    )
    if column is None:
        raise SpringError(400, "Bad Request", f"No property '{field}' found for type 'Dossier'")
    order = column.asc() if direction.lower() == "asc" else column.desc()
    foreign = _foreign_statuses(current_app)
    with server_state().database.session() as session:
        rows = list(session.scalars(query.order_by(order, DossierRow.code)))
        if wanted is not None:
            # By the id iGate shows, which for a trainer's foreign status is not ours.
            rows = [row for row in rows if _status_id(row, foreign) in wanted]
        shown = rows[page * size : (page + 1) * size]
        latest = _latest_decisions(session, [row.id for row in shown])
        content = [
            summary_document(row, latest.get(row.id), foreign.get(row.code)) for row in shown
        ]
    total = len(rows)
    last = (page + 1) * size >= total
    document: dict[str, Any] = {
        "content": content,
        "pageable": {"pageNumber": page, "pageSize": size, "offset": page * size},
        "first": page == 0,
        "last": last,
        "size": size,
        "number": page,
        "numberOfElements": len(content),
        "empty": not content,
    }
    if request.args.get("spec", "page") != "slice":
        document["totalElements"] = total
        document["totalPages"] = (total + size - 1) // size
    return json_response(document)


def _moment_arg(name: str) -> datetime | None:
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SpringError(
            400,
            "Bad Request",
            f"Failed to convert value of type 'java.lang.String' to required type "
            f"'java.util.Date'; value '{text}'",
        )
    return moment


def _whole(name: str, default: int, low: int, high: int) -> int:
    text = request.args.get(name, "")
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise SpringError(
            400,
            "Bad Request",
            f"Failed to convert value of type 'java.lang.String' to required type 'int'; "
            f'For input string: "{text}"',
        )
    return int(text)


def _status_ids(text: str) -> set[int] | None:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        return None
    return {int(part) for part in ids if part.isdigit()}


def _status_id(row: DossierRow, foreign: Mapping[str, tuple[int, str]]) -> int:
    shown = foreign.get(row.code)
    return shown[0] if shown is not None else igate_status_for(DossierStatus(row.status)).id


def _foreign_statuses(app: Flask) -> dict[str, tuple[int, str]]:
    """Dossier code → the (id, name) of an iGate status outside the desk's table."""
    statuses = app.extensions.setdefault(_FOREIGN_KEY, {})
    assert isinstance(statuses, dict)
    return statuses


@igate.put(f"{TRAINING_PREFIX}igate/foreign-status")
def foreign_status() -> Response:
    """Trainer only: show a dossier in an iGate status the desk does not know, or (``id``
    null) in its own again. Its ``updatedDate`` moves, so an incremental sync sees it."""
    require_trainer()
    body = read_json()
    if not isinstance(body, Mapping) or not isinstance(body.get("code"), str):
        raise SpringError(400, "Bad Request", "expected {code, id, name}")
    code, status_id, name = body["code"], body.get("id"), body.get("name", "")
    if status_id is not None and (
        not isinstance(status_id, int)
        or isinstance(status_id, bool)
        or igate_status(status_id) is not None
    ):
        raise SpringError(400, "Bad Request", "id must be an iGate status the desk does not know")
    if not isinstance(name, str):
        raise SpringError(400, "Bad Request", "name must be a string")
    database = server_state().database
    with database.session(write=True) as session:
        row = session.scalar(select(DossierRow).where(DossierRow.code == code))
        if row is None:
            raise SpringError(404, "Not Found", f"Không tìm thấy hồ sơ {code}")
        row.updated_at = datetime.now(UTC)
        row.version += 1
    statuses = _foreign_statuses(current_app)
    if status_id is None:
        statuses.pop(code, None)
    else:
        statuses[code] = (status_id, name)
    return json_response({"code": code, "id": status_id, "name": name})


@igate.after_app_request
def _forget_foreign_statuses_on_reset(response: Response) -> Response:
    # The trainer's reset (training.py) restores the seed: these belong to it too.
    if (
        request.method == "POST"
        and request.path == f"{TRAINING_PREFIX}reset"
        and response.status_code == 200
    ):
        _foreign_statuses(current_app).clear()
    return response


def _latest_decisions(session: Session, dossier_ids: list[int]) -> dict[int, DecisionRow]:
    history = decision_history(session, dossier_ids)
    return {dossier: rows[-1] for dossier, rows in history.items() if rows}


def _dossier_row(session: Session, igate_id: str) -> DossierRow:
    for row in session.scalars(
        select(DossierRow).options(
            selectinload(DossierRow.components).selectinload(ComponentRow.attachments)
        )
    ):
        if dossier_id(row) == igate_id:
            return row
    raise SpringError(404, "Not Found", f"Không tìm thấy hồ sơ {igate_id}")


@igate.get("/pa/dossier/<igate_id>/--online")
def detail(igate_id: str) -> Response:
    _signed_in()
    with server_state().database.session() as session:
        row = _dossier_row(session, igate_id)
        history = decision_history(session, [row.id])[row.id]
        latest = history[-1] if history else None
        foreign = _foreign_statuses(current_app).get(row.code)
        document = dossier_document(row, latest, foreign, history)
    return json_response(document)


@igate.get("/fi/file/<igate_id>")
def file_content(igate_id: str) -> Response:
    """A file's bytes, whole (no Range: not seen on iGate, so not imitated)."""
    _signed_in()
    state = server_state()
    with state.database.session() as session:
        found = next(
            (row for row in session.scalars(select(AttachmentRow)) if file_id(row) == igate_id),
            None,
        )
        if found is None:
            raise SpringError(404, "Not Found", f"File not found: {igate_id}")
        size, media_type, file_name, sha256 = (
            found.size,
            found.media_type,
            found.file_name,
            found.sha256,
        )
    handle = state.data.file_path(sha256).open("rb")
    cut = state.faults.cut_download_after_bytes if state.config.fault_injection else None
    headers = {
        "Content-Length": str(size),
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name, safe='')}",
    }
    return Response(
        FileBody(handle, 0, size, cut),
        status=200,
        headers=headers,
        content_type=media_type,
        direct_passthrough=True,
    )


@igate.put("/pa/dossier/<igate_id>/status")
def change_status(igate_id: str) -> Response:
    """Receive (2, with appointmentDate), ask for a supplement (1) or refuse (6) a dossier.

    Like iGate, nothing makes a repeat harmless: the change is refused (400) once the dossier
    left "Chờ tiếp nhận".
    """
    officer = _signed_in()
    body = request.get_json(silent=True)
    if not isinstance(body, Mapping):
        raise SpringError(400, "Bad Request", "Required request body is missing")
    kind, appointment, comment = _status_change(body)
    database = server_state().database
    with database.session() as session:
        row = _dossier_row(session, igate_id)
        code, version, status = row.code, row.version, DossierStatus(row.status)
        # iGate file id -> the contract's attachment id, for the snapshot's rows.
        attachments = {
            file_id(attachment): attachment.id
            for component in row.components
            for attachment in component.attachments
        }
    foreign = _foreign_statuses(current_app).get(code)
    if foreign is not None:
        raise SpringError(400, "Bad Request", f"Hồ sơ {code} đang ở trạng thái {foreign[1]}")
    if status is not DossierStatus.AWAITING_INTAKE:
        raise SpringError(
            400, "Bad Request", f"Hồ sơ {code} đang ở trạng thái {igate_status_for(status).name}"
        )
    reasons = tuple(
        line for line in comment.splitlines() if line.strip() and not line.startswith("[")
    )
    decision = DecisionInput(
        dossier_version=version,
        kind=kind,
        reasons=reasons,
        components=(),
        appointment_date=appointment,
        officer_note=comment,
        verdict_snapshot=_snapshot_rows(comment, attachments),
    )
    try:
        record_decision(database, code, _decision_key(comment), decision, officer.username)
    except Conflict as error:
        raise SpringError(400, "Bad Request", error.message) from None
    except (ValidationFailed, NotFound) as error:
        raise SpringError(400, "Bad Request", error.message) from None
    with database.session() as session:
        row = _dossier_row(session, igate_id)
        history = decision_history(session, [row.id])[row.id]
        document = dossier_document(row, history[-1] if history else None, None, history)
    return json_response(document)


def _decision_key(comment: str) -> str:
    """The desk's decision UUID from its tag, so both flavors' histories name the decision
    alike; a comment without one (iGate's own screens) gets a new key."""
    tagged = tagged_decision(comment)
    try:
        return str(uuid.UUID(tagged)) if tagged else str(uuid.uuid4())
    except ValueError:
        return str(uuid.uuid4())


def _snapshot_rows(comment: str, attachments: Mapping[str, str]) -> tuple[dict[str, Any], ...]:
    """The comment's verdict snapshot as the decisions table keeps it (contract ids); rows
    naming a file the dossier does not have are dropped."""
    return tuple(
        {**snapshot.to_json(), "attachment_id": attachments[snapshot.attachment_id]}
        for snapshot in tagged_snapshot(comment)
        if snapshot.attachment_id in attachments
    )


_KINDS = {
    DossierStatus.ACCEPTED: DecisionKind.ACCEPT,
    DossierStatus.SUPPLEMENT_REQUESTED: DecisionKind.REQUEST_SUPPLEMENT,
    DossierStatus.REFUSED: DecisionKind.REFUSE,
}


def _status_change(body: Mapping[str, Any]) -> tuple[DecisionKind, date | None, str]:
    target = body.get("dossierStatus")
    status_id = target.get("id") if isinstance(target, Mapping) else None
    known = (
        igate_status(status_id)
        if isinstance(status_id, int) and not isinstance(status_id, bool)
        else None
    )
    kind = _KINDS.get(known.status) if known is not None else None
    if kind is None:
        raise SpringError(
            400, "Bad Request", f"dossierStatus.id {status_id!r} is not a reception status"
        )
    comment = body.get("comment")
    if not isinstance(comment, str):
        comment = ""
    appointment: date | None = None
    if kind is DecisionKind.ACCEPT:
        text = body.get("appointmentDate")
        try:
            appointment = datetime.fromisoformat(text).date() if isinstance(text, str) else None
        except ValueError:
            appointment = None
        if appointment is None:
            raise SpringError(
                400, "Bad Request", "appointmentDate is required to receive a dossier"
            )
    elif not any(line.strip() and not line.startswith("[") for line in comment.splitlines()):
        raise SpringError(400, "Bad Request", "comment (lý do) is required")
    return kind, appointment, comment
