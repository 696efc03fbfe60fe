"""Reading requests and writing answers: JSON bodies, bearer tokens, JSON responses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Response, g, request

from intake_desktop.server.accounts import check_token
from intake_desktop.server.errors import Forbidden, Unauthorized, ValidationFailed
from intake_desktop.server.state import server_state


def json_response(
    document: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Return ``document`` as a UTF-8 JSON answer (Vietnamese kept readable)."""
    return Response(
        json.dumps(document, ensure_ascii=False),
        status=status,
        headers=headers,
        content_type="application/json",
    )


def read_json() -> object:
    """Return the request's JSON body. Raises :class:`ValidationFailed` if absent or invalid.

    The body size limit (413) applies while reading.
    """
    data = request.get_data(cache=True)
    if not data.strip():
        raise ValidationFailed("a JSON body is required", {"body": "required"})
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed("the body is not valid JSON", {"body": str(error)}) from None


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The officer a request's token belongs to."""

    username: str
    name: str
    unit: str
    trainer: bool
    supervisor: bool = False


def authenticate() -> SignedIn:
    """Return the officer of the request's bearer token. Raises :class:`Unauthorized`."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("sign in first: send Authorization: Bearer <token>")
    state = server_state()
    with state.database.session() as session:
        checked = check_token(session, token.strip(), datetime.now(UTC))
        if checked.officer is None:
            raise Unauthorized(checked.problem)
        officer = checked.officer
        signed_in = SignedIn(
            officer.username, officer.name, officer.unit, officer.trainer, officer.supervisor
        )
    g.username = signed_in.username  # for the request log line
    return signed_in


def require_trainer() -> SignedIn:
    """Return the signed-in trainer. Raises :class:`Unauthorized` or :class:`Forbidden`."""
    signed_in = authenticate()
    if not signed_in.trainer:
        raise Forbidden("only the trainer's account may use the training routes")
    return signed_in
