"""The contract's JSON read into domain records, and refused with a clear place when wrong."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest

from intake_desktop.domain import CopyKind, DecisionKind, DossierStatus
from intake_desktop.services import payloads
from intake_desktop.services.source import DecisionRequest, MalformedResponse, VerdictSnapshot

DOSSIER: dict[str, Any] = {
    "code": "000.00.53.H48-261120-0007",
    "procedure_code": "1.001193.000.00.00.H48",
    "procedure_name": "Đăng ký khai sinh",
    "submitted_at": "2026-11-20T16:05:00+07:00",
    "status": "awaiting_intake",
    "national_status_code": 1,
    "channel": 2,
    "version": 3,
    "updated_at": "2026-11-20T16:05:00+07:00",
    "applicant": {
        "name": "Phạm Thị Dung",
        "citizen_id": "048190001234",
        "birth_date": "1990-05-17",
        "phone": None,
        "email": "dung@example.vn",
        "address": None,
    },
    "components": [
        {
            "spec_code": "KS_TK",
            "name": "Tờ khai đăng ký khai sinh",
            "copy_kind": "original",
            "attachments": [
                {
                    "id": "f-1",
                    "file_name": "to-khai.pdf",
                    "media_type": "application/pdf",
                    "size": 51234,
                    "sha256": "AB" * 32,
                }
            ],
        }
    ],
}


def test_a_dossier_is_read_into_the_domain_records() -> None:
    dossier = payloads.dossier(DOSSIER, "GET /x")

    assert dossier.status is DossierStatus.AWAITING_INTAKE and dossier.version == 3
    assert dossier.submitted_at.utcoffset() == timedelta(hours=7)
    assert dossier.applicant.birth_date == date(1990, 5, 17)
    [component] = dossier.components
    assert component.copy_kind is CopyKind.ORIGINAL
    assert component.attachments[0].sha256 == "ab" * 32  # normalised to lowercase
    assert component.attachments[0].remote_id == "f-1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("applicant"), r"GET /x: missing field 'applicant'"),
        (lambda d: d.update(version="3"), r"GET /x\.version: expected an integer"),
        (lambda d: d.update(version=True), r"GET /x\.version: expected an integer"),
        (lambda d: d.update(submitted_at="2026-11-20T16:05:00"), "has no UTC offset"),
        (lambda d: d.update(national_status_code=2), "national_status_code is 2"),
        (
            lambda d: d["components"][0]["attachments"][0].update(sha256="abc"),
            r"components\[0\]\.attachments\[0\]\.sha256: expected 64 hex digits",
        ),
        (
            lambda d: d["components"][0].update(copy_kind="scan"),
            r"components\[0\]\.copy_kind: expected one of original, copy",
        ),
        (lambda d: d.update(components={}), r"GET /x\.components: expected an array"),
    ],
)
def test_a_contract_violation_is_a_malformed_response_that_says_where(
    change: Any, message: str
) -> None:
    broken = copy.deepcopy(DOSSIER)
    change(broken)

    with pytest.raises(MalformedResponse, match=message):
        payloads.dossier(broken, "GET /x")


def test_a_decision_goes_out_in_the_contracts_shape() -> None:
    decision = DecisionRequest(
        "X-1",
        3,
        DecisionKind.ACCEPT,
        appointment_date=date(2026, 11, 27),
        verdict_snapshot=(VerdictSnapshot("f-1", None, "unsigned"),),
    )

    assert payloads.decision_body(decision) == {
        "dossier_version": 3,
        "kind": "accept",
        "reasons": [],
        "components": [],
        "appointment_date": "2026-11-27",
        "officer_note": "",
        "verdict_snapshot": [
            {
                "attachment_id": "f-1",
                "sha256": None,
                "verdict": "unsigned",
                "signer_citizen_ids": [],
            }
        ],
    }


def test_error_bodies_are_read_leniently() -> None:
    assert payloads.error_body("oops") == (None, None, {})
    assert payloads.error_body({"error": "validation", "message": "m", "fields": {"a": 1}}) == (
        "validation",
        "m",
        {"a": "1"},
    )
    assert payloads.conflict_state({"status": "nonsense", "version": "2"}) == (None, None)
