"""Reading contract 1.1's additions: roles at sign-in and a dossier's decision history.

A server of contract 1.0 sends neither: the desk then sees an officer without roles beyond
``officer`` and a dossier without history. A history that contradicts itself is refused
with the place it went wrong.
"""

from __future__ import annotations

from typing import Any

import pytest

from intake_desktop.domain import DecisionKind
from intake_desktop.services import payloads
from intake_desktop.services.source import MalformedResponse

SHA = "ab" * 32


def _dossier(**extra: Any) -> dict[str, Any]:
    return {
        "code": "000.00.53.H48-261201-0001",
        "procedure_code": "1.001193.000.00.00.H48",
        "procedure_name": "Đăng ký khai sinh",
        "submitted_at": "2026-12-01T08:15:00+07:00",
        "status": "accepted",
        "national_status_code": 2,
        "version": 2,
        "applicant": {
            "name": "Nguyễn Văn An",
            "citizen_id": "001090001234",
            "birth_date": None,
            "phone": None,
            "email": None,
            "address": None,
        },
        "components": [],
        **extra,
    }


def _record(**changes: Any) -> dict[str, Any]:
    return {
        "decision_id": "3F2A0000-0000-4000-8000-000000000001",
        "kind": "accept",
        "officer": {"username": "canbo02", "name": "Trần Văn Hùng"},
        "recorded_at": "2026-12-01T09:00:00.123456+07:00",
        "dossier_version": 1,
        "national_status_code": 2,
        "reasons": [],
        "components": [],
        "appointment_date": "2026-12-04",
        "verdict_snapshot": [
            {
                "attachment_id": "f1",
                "sha256": SHA.upper(),
                "verdict": "valid",
                "signer_citizen_ids": ["001090001234"],
            }
        ],
        **changes,
    }


def test_a_history_is_read_with_its_snapshot() -> None:
    dossier = payloads.dossier(_dossier(decisions=[_record()]), "GET")

    (record,) = dossier.decisions
    assert record.decision_id == "3f2a0000-0000-4000-8000-000000000001"  # as the outbox keys it
    assert record.kind is DecisionKind.ACCEPT and record.officer_name == "Trần Văn Hùng"
    assert record.recorded_at.utcoffset() is not None
    (seen,) = record.verdict_snapshot
    assert (seen.attachment_id, seen.sha256, seen.signer_citizen_ids) == (
        "f1",
        SHA,
        ("001090001234",),
    )


def test_a_contract_1_0_answer_has_no_history_and_no_roles() -> None:
    dossier = payloads.dossier(_dossier(), "GET")
    officer = payloads.officer({"username": "canbo01", "name": "Lan", "unit": "UBND"})

    assert dossier.decisions == ()
    assert officer.roles == ("officer",) and not officer.supervisor


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"national_status_code": 5}, "decisions[0]: accept leads to national code 2"),
        ({"kind": "approve"}, "decisions[0].kind"),
        ({"officer": {"username": "canbo02"}}, "decisions[0].officer: missing field 'name'"),
        (
            {"verdict_snapshot": [{"attachment_id": "f1", "sha256": "xyz", "verdict": "valid"}]},
            "decisions[0].verdict_snapshot[0].sha256",
        ),
        ({"recorded_at": "2026-12-01T09:00:00"}, "has no UTC offset"),
    ],
)
def test_a_history_that_contradicts_the_contract_is_refused(
    changes: dict[str, Any], where: str
) -> None:
    with pytest.raises(MalformedResponse, match=where.replace("[", r"\[").replace("]", r"\]")):
        payloads.dossier(_dossier(decisions=[_record(**changes)]), "GET")
