"""The trainer's routes under ``/api/v1/_training/``: not part of the contract.

Only the trainer's account (``giangvien``) may use them:

- ``GET  decisions`` — every decision recorded, oldest first (``?dossier_code=`` to filter).
- ``GET  dossiers`` — every dossier with its demo scenario and the decision it calls for.
- ``POST reset`` — restore the seeded dossiers and forget every decision (nobody is signed out).
- ``GET/POST/DELETE faults`` — network trouble on demand (see :mod:`.faults`); only when the
  server was started with ``--fault-injection``, 404 otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intake_desktop.server.accounts import expire_all_tokens
from intake_desktop.server.contract_json import moment, recorded_decision_document
from intake_desktop.server.errors import NotFound
from intake_desktop.server.faults import TRAINING_PREFIX, parse_update
from intake_desktop.server.http_io import json_response, read_json, require_trainer
from intake_desktop.server.models import DecisionRow, DossierRow
from intake_desktop.server.seed import restore_seed_in_place
from intake_desktop.server.state import server_state

training = Blueprint("training", __name__, url_prefix=TRAINING_PREFIX.rstrip("/"))


@training.before_request
def _trainer_only() -> None:
    require_trainer()


@training.get("/decisions")
def decisions() -> Response:
    """Every recorded decision, in the order recorded."""
    code = request.args.get("dossier_code")
    with server_state().database.session() as session:
        query = (
            select(DecisionRow)
            .options(selectinload(DecisionRow.dossier))
            .order_by(DecisionRow.recorded_at, DecisionRow.decision_id)
        )
        if code:
            query = query.join(DecisionRow.dossier).where(DossierRow.code == code)
        items = [recorded_decision_document(row) for row in session.scalars(query)]
    return json_response({"items": items, "server_time": moment(datetime.now(UTC))})


@training.get("/dossiers")
def dossiers() -> Response:
    """Every dossier with what the trainer needs to grade: scenario and expected decision."""
    with server_state().database.session() as session:
        rows = session.scalars(select(DossierRow).order_by(DossierRow.code))
        items = [
            {
                "code": row.code,
                "procedure_code": row.procedure_code,
                "applicant_name": row.applicant_name,
                "status": row.status,
                "version": row.version,
                "updated_at": moment(row.updated_at),
                "scenario": row.scenario,
                "expected_decision": row.expected_decision,
            }
            for row in rows
        ]
    return json_response({"items": items, "server_time": moment(datetime.now(UTC))})


@training.post("/reset")
def reset() -> Response:
    """Restore the seeded dossiers; every decision is forgotten."""
    state = server_state()
    restored = restore_seed_in_place(state.database, state.config.data_dir)
    return json_response({"dossiers": restored, "server_time": moment(datetime.now(UTC))})


@training.route("/faults", methods=["GET", "POST", "DELETE"])
def faults() -> Response:
    """Show (GET), change (POST) or clear (DELETE) the injected faults."""
    state = server_state()
    if not state.config.fault_injection:
        raise NotFound("fault injection is off: start the server with --fault-injection")
    expired = 0
    if request.method == "DELETE":
        state.faults.clear()
    elif request.method == "POST":
        update = parse_update(read_json())
        state.faults.apply(update)
        if update.expire_tokens:
            with state.database.session(write=True) as session:
                expired = expire_all_tokens(session, datetime.now(UTC))
    return json_response({**state.faults.document(), "expired_tokens": expired})
