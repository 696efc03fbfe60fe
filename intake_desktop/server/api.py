"""The contract's routes (``resources/api/openapi.json``), exactly: nothing more under them."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import BinaryIO
from urllib.parse import quote

from flask import Blueprint, Response, request
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from intake_desktop.domain import DossierStatus
from intake_desktop.server.accounts import issue_token, verify_password
from intake_desktop.server.contract_json import (
    declared_sha256,
    dossier_document,
    moment,
    officer_document,
    parse_moment,
    procedure_document,
    summary_document,
)
from intake_desktop.server.decisions import (
    IDEMPOTENCY_HEADER,
    decision_history,
    parse_decision,
    parse_idempotency_key,
    record_decision,
)
from intake_desktop.server.errors import (
    NotFound,
    RangeNotSatisfiable,
    Unauthorized,
    ValidationFailed,
)
from intake_desktop.server.http_io import authenticate, json_response, read_json
from intake_desktop.server.models import (
    VN_TZ,
    AttachmentRow,
    ComponentRow,
    DossierRow,
    OfficerRow,
    ProcedureRow,
    utc_text,
)
from intake_desktop.server.state import server_state

API_PREFIX = "/api/v1"
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
CHUNK_BYTES = 64 * 1024

api = Blueprint("api", __name__, url_prefix=API_PREFIX)


@api.post("/auth/token")
def create_token() -> Response:
    """Sign in with username and password; answer a bearer token (``Token``)."""
    document = read_json()
    username, password = _credentials(document)
    state = server_state()
    # The slow hash check runs outside the write transaction: sign-ins don't queue on it.
    with state.database.session() as session:
        officer = session.get(OfficerRow, username)
        known = verify_password(password, officer.password_hash if officer else None)
        officer_json = officer_document(officer) if officer is not None else None
    if not known or officer_json is None:
        raise Unauthorized("wrong username or password")
    ttl = timedelta(seconds=state.config.token_ttl)
    with state.database.session(write=True) as session:
        now = datetime.now(UTC)
        token = issue_token(session, username, now, ttl)
    return json_response(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": state.config.token_ttl,
            "expires_at": moment(now + ttl),
            "officer": officer_json,
        }
    )


def _credentials(document: object) -> tuple[str, str]:
    if not isinstance(document, Mapping):
        raise ValidationFailed("expected username and password", {"body": "expected an object"})
    problems = {
        str(key): "unknown field" for key in document if key not in ("username", "password")
    }
    for key in ("username", "password"):
        value = document.get(key)
        if not isinstance(value, str) or not value:
            problems[key] = "required"
    if problems:
        raise ValidationFailed("expected username and password", problems)
    return str(document["username"]).strip(), str(document["password"])


@api.get("/procedures")
def list_procedures() -> Response:
    """The procedure catalog (``ProcedureList``), changed since ``updated_since`` if given."""
    authenticate()
    since = _moment_param("updated_since")
    with server_state().database.session() as session:
        server_time = datetime.now(UTC)
        query = select(ProcedureRow).order_by(ProcedureRow.position)
        if since is not None:
            query = query.where(ProcedureRow.updated_at >= since)
        items = [procedure_document(row) for row in session.scalars(query)]
    return json_response({"items": items, "server_time": moment(server_time)})


@api.get("/dossiers")
def list_dossiers() -> Response:
    """A page of dossier summaries ordered by (updated_at, code) (``DossierPage``)."""
    authenticate()
    status = _status_param()
    since = _moment_param("updated_since")
    submitted_from = _date_param("submitted_from")
    submitted_to = _date_param("submitted_to")
    if submitted_from and submitted_to and submitted_from > submitted_to:
        raise ValidationFailed(
            "submitted_from is after submitted_to",
            {"submitted_to": f"must be on or after {submitted_from.isoformat()}"},
        )
    after = _cursor_param()
    limit = _limit_param()
    components = (
        select(func.count(ComponentRow.id))
        .where(ComponentRow.dossier_id == DossierRow.id)
        .correlate(DossierRow)
        .scalar_subquery()
    )
    query = select(DossierRow, components).order_by(DossierRow.updated_at, DossierRow.code)
    if status is not None:
        query = query.where(DossierRow.status == status.value)
    if since is not None:
        query = query.where(DossierRow.updated_at >= since)
    # Vietnam calendar days, as the officers read the submission dates.
    if submitted_from is not None:
        query = query.where(DossierRow.submitted_at >= _day_start(submitted_from))
    if submitted_to is not None:
        query = query.where(DossierRow.submitted_at < _day_start(submitted_to + timedelta(days=1)))
    if after is not None:
        updated_at, code = after
        query = query.where(
            or_(
                DossierRow.updated_at > updated_at,
                and_(DossierRow.updated_at == updated_at, DossierRow.code > code),
            )
        )
    # Under the write lock, server_time is later than every change committed so far and
    # earlier than every change to come: an incremental sync from it misses nothing.
    with server_state().database.session(write=True) as session:
        server_time = datetime.now(UTC)
        rows = session.execute(query.limit(limit + 1)).all()
    page = rows[:limit]
    next_cursor = (
        _encode_cursor(page[-1][0].updated_at, page[-1][0].code) if len(rows) > limit else None
    )
    return json_response(
        {
            "items": [summary_document(row, count) for row, count in page],
            "next_cursor": next_cursor,
            "server_time": moment(server_time),
        }
    )


@api.get("/dossiers/<code>")
def get_dossier(code: str) -> Response:
    """The whole dossier (``Dossier``)."""
    authenticate()
    state = server_state()
    with state.database.session() as session:
        row = session.scalar(
            select(DossierRow)
            .where(DossierRow.code == code)
            .options(selectinload(DossierRow.components).selectinload(ComponentRow.attachments))
        )
        if row is None:
            raise NotFound(f"no dossier {code}")
        decisions = decision_history(session, [row.id])[row.id]
        document = dossier_document(row, _wrong_sha256_for(), decisions)
    return json_response(document)


@api.get("/attachments/<path:attachment_id>/content")
def attachment_content(attachment_id: str) -> Response:
    """An attachment's bytes, streamed; ``Range: bytes=N-`` answers 206 (or 416)."""
    authenticate()
    state = server_state()
    with state.database.session() as session:
        row = session.get(AttachmentRow, attachment_id)
        if row is None:
            raise NotFound(f"no attachment {attachment_id}")
        size, media_type, file_name = row.size, row.media_type, row.file_name
        sha256 = row.sha256
        etag = f'"{declared_sha256(row, _wrong_sha256_for())}"'
    start, end, status = 0, size - 1, 200
    wanted = request.headers.get("Range")
    # If-Range: resume only if the file is still the one the client started with.
    if wanted and request.headers.get("If-Range", etag) == etag:
        chosen = parse_range(wanted, size)
        if chosen is not None:
            (start, end), status = chosen, 206
    headers = {
        "Content-Length": str(end - start + 1),
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name, safe='')}",
        "Cache-Control": "private, no-cache",
    }
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    # Opened before the headers go out: a missing file is a 500, not a truncated body.
    handle = state.data.file_path(sha256).open("rb")
    cut = state.faults.cut_download_after_bytes if state.config.fault_injection else None
    body = FileBody(handle, start, end - start + 1, cut)
    return Response(
        body, status=status, headers=headers, content_type=media_type, direct_passthrough=True
    )


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Return the inclusive byte range a ``Range`` header asks of a file of ``size`` bytes.

    ``None`` means answer the whole file (syntax we don't serve, such as several ranges, is
    ignored as RFC 9110 allows). Raises :class:`RangeNotSatisfiable` when the range starts
    at or past the end.
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    first, last = first.strip(), last.strip()
    if not dash:
        return None
    if not first:  # a suffix: the last N bytes
        if not last.isdigit():
            return None
        if size == 0 or int(last) == 0:
            raise RangeNotSatisfiable(f"the file has {size} bytes", size)
        return max(0, size - int(last)), size - 1
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable(f"the file has {size} bytes; cannot start at byte {start}", size)
    return start, min(int(last), size - 1) if last else size - 1


class FileBody:
    """A WSGI body reading ``length`` bytes of a file from ``start``, in chunks.

    With ``cut`` (a training fault) it stops after that many bytes although Content-Length
    promised more: waitress then closes the connection and the client sees a short read.
    ``close()`` closes the file, also when the body was never read (HEAD).
    """

    def __init__(self, handle: BinaryIO, start: int, length: int, cut: int | None) -> None:
        self._handle = handle
        self._start = start
        self._remaining = length if cut is None else min(length, cut)

    def __iter__(self) -> Iterator[bytes]:
        self._handle.seek(self._start)
        while self._remaining > 0:
            chunk = self._handle.read(min(CHUNK_BYTES, self._remaining))
            if not chunk:
                return
            self._remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        self._handle.close()


@api.post("/dossiers/<code>/decisions")
def submit_decision(code: str) -> Response:
    """Record a decision (201 ``DecisionReceipt``); a repeated Idempotency-Key answers 200."""
    signed_in = authenticate()
    problems: dict[str, str] = {}
    key = decision = None
    try:
        key = parse_idempotency_key(request.headers.get(IDEMPOTENCY_HEADER))
    except ValidationFailed as error:
        problems.update(error.fields)
    try:
        decision = parse_decision(read_json())
    except ValidationFailed as error:
        problems.update(error.fields)
    if problems or key is None or decision is None:
        raise ValidationFailed("the decision is invalid: see fields", problems)
    recorded = record_decision(server_state().database, code, key, decision, signed_in.username)
    return json_response(recorded.receipt, 201 if recorded.created else 200)


def _wrong_sha256_for() -> frozenset[str]:
    state = server_state()
    return state.faults.wrong_sha256_for if state.config.fault_injection else frozenset()


def _moment_param(name: str) -> datetime | None:
    text = request.args.get(name)
    if text is None or not text.strip():
        return None
    try:
        return parse_moment(text)
    except ValueError:
        raise ValidationFailed(
            f"{name} must be an ISO 8601 date-time with offset",
            {name: "expected e.g. 2026-11-20T08:15:00+07:00"},
        ) from None


def _date_param(name: str) -> date | None:
    text = request.args.get(name)
    if text is None or not text.strip():
        return None
    try:
        if len(text.strip()) != 10:
            raise ValueError  # fromisoformat also takes 20261201 and 2026-W49-1
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            f"{name} must be an ISO date", {name: "expected e.g. 2026-11-01"}
        ) from None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=VN_TZ)


def _status_param() -> DossierStatus | None:
    text = request.args.get("status")
    if text is None or not text:
        return None
    try:
        return DossierStatus(text)
    except ValueError:
        allowed = ", ".join(status.value for status in DossierStatus)
        raise ValidationFailed("unknown status", {"status": f"expected one of {allowed}"}) from None


def _limit_param() -> int:
    text = request.args.get("limit")
    if text is None or not text:
        return DEFAULT_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise ValidationFailed(
            "limit out of range", {"limit": f"expected a whole number from 1 to {MAX_LIMIT}"}
        )
    return int(text)


def _encode_cursor(updated_at: datetime, code: str) -> str:
    raw = json.dumps([1, utc_text(updated_at), code], ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _cursor_param() -> tuple[datetime, str] | None:
    text = request.args.get("cursor")
    if text is None or not text:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        version, updated_at, code = json.loads(raw)
        if version != 1 or not isinstance(code, str) or not isinstance(updated_at, str):
            raise ValueError
        moment_ = datetime.fromisoformat(updated_at)
        if moment_.tzinfo is None:
            raise ValueError
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise ValidationFailed(
            "unknown cursor", {"cursor": "pass back next_cursor from the previous page"}
        ) from None
    return moment_, code
