"""Accept / return decisions: checking a ``DecisionRequest`` and recording it exactly once.

The Idempotency-Key is the decision's primary key, and the lookup, the checks and the insert
run in one transaction that holds SQLite's write lock from its start: two requests with the
same key, even at the same instant, record one decision, and the second gets the first's
answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeGuard

from sqlalchemy import exc, select
from sqlalchemy.orm import Session, selectinload

from intake_desktop.domain import DecisionKind, DossierStatus
from intake_desktop.server.contract_json import Json, moment
from intake_desktop.server.db import ServerDatabase
from intake_desktop.server.errors import Conflict, NotFound, ValidationFailed
from intake_desktop.server.models import VN_TZ, DecisionRow, DossierRow

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_REASONS = 50
MAX_TEXT = 2000
MAX_NOTE = 4000
MAX_SNAPSHOT = 1000

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_FIELDS = frozenset(
    {
        "dossier_version",
        "kind",
        "reasons",
        "components",
        "appointment_date",
        "officer_note",
        "verdict_snapshot",
    }
)
_SNAPSHOT_FIELDS = frozenset({"attachment_id", "sha256", "verdict", "signer_citizen_ids"})
_VERDICTS = frozenset(
    {"valid", "valid_with_warnings", "invalid", "indeterminate", "unsigned", "error"}
)


@dataclass(frozen=True, slots=True)
class DecisionInput:
    """A checked ``DecisionRequest`` body."""

    dossier_version: int
    kind: DecisionKind
    reasons: tuple[str, ...]
    components: tuple[str, ...]
    appointment_date: date | None
    officer_note: str
    verdict_snapshot: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Recorded:
    """The answer to a decision: the receipt, and whether this request recorded it."""

    receipt: Json
    created: bool


def parse_idempotency_key(value: str | None) -> str:
    """Return the key in canonical form (lowercase UUID). Raises :class:`ValidationFailed`."""
    if value is None or not value.strip():
        raise ValidationFailed(
            "the Idempotency-Key header is required",
            {IDEMPOTENCY_HEADER: "required: the decision's UUID"},
        )
    key = value.strip().lower()
    if not _UUID.fullmatch(key):
        raise ValidationFailed(
            "the Idempotency-Key header must be a UUID",
            {IDEMPOTENCY_HEADER: "expected a UUID like 3f2a…-…, e.g. str(uuid.uuid4())"},
        )
    return key


def parse_decision(document: object) -> DecisionInput:
    """Check a ``DecisionRequest`` body. Raises :class:`ValidationFailed` naming every problem.

    Checks that need the dossier (the appointment date against its submission) are made
    when recording.
    """
    if not isinstance(document, Mapping):
        raise ValidationFailed("the body must be a JSON object", {"body": "expected an object"})
    problems: dict[str, str] = {}
    for key in document:
        if key not in _FIELDS:
            problems[str(key)] = "unknown field"

    version = document.get("dossier_version")
    if version is None:
        problems["dossier_version"] = "required: the version of the dossier the officer saw"
    elif not _integer(version) or version < 1:
        problems["dossier_version"] = "expected a positive integer"

    kind: DecisionKind | None = None
    kind_text = document.get("kind")
    if kind_text is None:
        problems["kind"] = "required: accept, request_supplement or refuse"
    else:
        try:
            kind = DecisionKind(kind_text) if isinstance(kind_text, str) else None
        except ValueError:
            kind = None
        if kind is None:
            problems["kind"] = "expected accept, request_supplement or refuse"

    reasons = _texts(document, "reasons", problems, MAX_REASONS, MAX_TEXT)
    components = _texts(document, "components", problems, MAX_REASONS, 100)
    # Blank reasons carry nothing: drop them before counting.
    reasons = tuple(reason.strip() for reason in reasons if reason.strip())
    needs_reason = kind in (DecisionKind.REQUEST_SUPPLEMENT, DecisionKind.REFUSE)
    if needs_reason and not reasons and "reasons" not in problems:
        problems["reasons"] = f"{kind} needs at least one reason"

    appointment: date | None = None
    appointment_text = document.get("appointment_date")
    if appointment_text is not None:
        try:
            if not isinstance(appointment_text, str):
                raise ValueError
            appointment = date.fromisoformat(appointment_text)
            if len(appointment_text) != 10:
                raise ValueError  # fromisoformat also takes 20261201 and 2026-W49-1
        except ValueError:
            problems["appointment_date"] = "expected an ISO date, e.g. 2026-12-01"
    elif kind is DecisionKind.ACCEPT:
        problems["appointment_date"] = "accept needs the appointment date (ngày hẹn trả kết quả)"

    note = document.get("officer_note", "")
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        problems["officer_note"] = f"expected a text of at most {MAX_NOTE} characters"
        note = ""

    snapshot = _snapshot(document.get("verdict_snapshot", []), problems)

    if problems:
        raise ValidationFailed("the decision is invalid: see fields", problems)
    assert kind is not None and isinstance(version, int)
    return DecisionInput(
        dossier_version=version,
        kind=kind,
        reasons=reasons,
        components=components,
        appointment_date=appointment,
        officer_note=note,
        verdict_snapshot=snapshot,
    )


def _integer(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _texts(
    document: Mapping[str, Any], key: str, problems: dict[str, str], most: int, longest: int
) -> tuple[str, ...]:
    value = document.get(key, [])
    if value is None:
        return ()
    if (
        not isinstance(value, list)
        or len(value) > most
        or not all(isinstance(item, str) and len(item) <= longest for item in value)
    ):
        problems[key] = f"expected a list of at most {most} texts of at most {longest} characters"
        return ()
    return tuple(value)


def _snapshot(value: object, problems: dict[str, str]) -> tuple[dict[str, Any], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_SNAPSHOT:
        problems["verdict_snapshot"] = f"expected a list of at most {MAX_SNAPSHOT} objects"
        return ()
    checked: list[dict[str, Any]] = []
    for index, item in enumerate(value):
        where = f"verdict_snapshot[{index}]"
        if not isinstance(item, Mapping):
            problems[where] = "expected an object"
            continue
        unknown = sorted(str(key) for key in item if key not in _SNAPSHOT_FIELDS)
        sha256 = item.get("sha256")
        ids = item.get("signer_citizen_ids", [])
        if unknown:
            problems[where] = f"unknown fields: {', '.join(unknown)}"
        elif not isinstance(item.get("attachment_id"), str) or not item["attachment_id"]:
            problems[f"{where}.attachment_id"] = "required: the attachment id"
        elif sha256 is not None and not isinstance(sha256, str):
            problems[f"{where}.sha256"] = "expected a hex SHA-256 or null"
        elif item.get("verdict") not in _VERDICTS:
            problems[f"{where}.verdict"] = f"expected one of {', '.join(sorted(_VERDICTS))}"
        elif not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems[f"{where}.signer_citizen_ids"] = "expected a list of texts"
        else:
            checked.append(
                {
                    "attachment_id": item["attachment_id"],
                    "sha256": sha256,
                    "verdict": item["verdict"],
                    "signer_citizen_ids": list(ids),
                }
            )
    return tuple(checked)


def record_decision(
    database: ServerDatabase, code: str, key: str, decision: DecisionInput, officer: str
) -> Recorded:
    """Record ``decision`` on dossier ``code`` under Idempotency-Key ``key``, exactly once.

    A key seen before returns the first receipt (``created=False``) and changes nothing, even
    if the dossier changed since. Raises :class:`NotFound`, :class:`Conflict` (decided or not
    at that version) and :class:`ValidationFailed` (key used for another dossier, appointment
    before the submission date).
    """
    try:
        with database.session(write=True) as session:
            existing = session.get(DecisionRow, key)
            if existing is not None:
                return _repeat(existing, code)
            dossier = session.scalar(select(DossierRow).where(DossierRow.code == code))
            if dossier is None:
                raise NotFound(f"no dossier {code}")
            _check_still_open(dossier, decision)
            _check_appointment(dossier, decision)
            # The time is read inside the write transaction, so updated_at values follow
            # commit order: a list's server_time never passes a change not yet visible.
            now = datetime.now(UTC)
            status = decision.kind.resulting_status
            dossier.status = status.value
            dossier.national_status_code = status.national_code
            dossier.version += 1
            dossier.updated_at = now
            receipt = decision_receipt(key, dossier, decision.kind, officer, now)
            session.add(
                DecisionRow(
                    decision_id=key,
                    dossier_id=dossier.id,
                    officer=officer,
                    kind=decision.kind.value,
                    dossier_version=decision.dossier_version,
                    reasons_json=_dump(list(decision.reasons)),
                    components_json=_dump(list(decision.components)),
                    appointment_date=decision.appointment_date,
                    officer_note=decision.officer_note,
                    verdict_snapshot_json=_dump(list(decision.verdict_snapshot)),
                    recorded_at=now,
                    receipt_json=_dump(receipt),
                )
            )
            session.flush()
            return Recorded(receipt, created=True)
    except exc.IntegrityError:
        # Only reachable if another writer slipped in with the same key (the write lock
        # makes that impossible here); the unique key still keeps it to one decision.
        with database.session() as session:
            existing = session.get(DecisionRow, key)
            if existing is None:
                raise
            return _repeat(existing, code)


def decision_history(session: Session, dossier_ids: Sequence[int]) -> dict[int, list[DecisionRow]]:
    """Each dossier's decision rows with their officers, oldest first: the one query behind
    every flavor's history (the contract's ``decisions``, iGate's ``task[]``)."""
    history: dict[int, list[DecisionRow]] = {dossier_id: [] for dossier_id in dossier_ids}
    if not dossier_ids:
        return history
    rows = session.scalars(
        select(DecisionRow)
        .where(DecisionRow.dossier_id.in_(list(dossier_ids)))
        .options(selectinload(DecisionRow.officer_row))
        .order_by(DecisionRow.recorded_at, DecisionRow.decision_id)
    )
    for row in rows:
        history[row.dossier_id].append(row)
    return history


def decision_receipt(
    key: str, dossier: DossierRow, kind: DecisionKind, officer: str, recorded: datetime
) -> Json:
    """The contract's receipt of a decision just applied to ``dossier`` (its new version)."""
    status = kind.resulting_status
    return {
        "decision_id": key,
        "dossier_code": dossier.code,
        "kind": kind.value,
        "status": status.value,
        "national_status_code": status.national_code,
        "version": dossier.version,
        "recorded_at": moment(recorded),
        "officer": officer,
    }


def _repeat(existing: DecisionRow, code: str) -> Recorded:
    if existing.dossier.code != code:
        raise ValidationFailed(
            "this Idempotency-Key was already used for another dossier",
            {IDEMPOTENCY_HEADER: f"already used for dossier {existing.dossier.code}"},
        )
    receipt = json.loads(existing.receipt_json)
    assert isinstance(receipt, dict)
    return Recorded(receipt, created=False)


def _check_still_open(dossier: DossierRow, decision: DecisionInput) -> None:
    if dossier.status != DossierStatus.AWAITING_INTAKE.value:
        raise Conflict(
            f"dossier {dossier.code} was already decided: it is {dossier.status} "
            f"(version {dossier.version})",
            dossier.status,
            dossier.version,
        )
    if dossier.version != decision.dossier_version:
        raise Conflict(
            f"dossier {dossier.code} changed since version {decision.dossier_version}: "
            f"it is at version {dossier.version}",
            dossier.status,
            dossier.version,
        )


def _check_appointment(dossier: DossierRow, decision: DecisionInput) -> None:
    if decision.kind is not DecisionKind.ACCEPT or decision.appointment_date is None:
        return
    submitted = dossier.submitted_at.astimezone(VN_TZ).date()
    if decision.appointment_date < submitted:
        raise ValidationFailed(
            "the appointment date is before the dossier was submitted",
            {"appointment_date": f"must be on or after {submitted.isoformat()}"},
        )


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
