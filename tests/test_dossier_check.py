"""Checking a dossier against the catalog: what an officer must see before deciding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

import pytest

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    CopyKind,
    Dossier,
    DossierStatus,
    Procedure,
)
from intake_desktop.services.dossier_check import (
    FindingKind,
    Gravity,
    Presence,
    SignatureBadge,
    check_dossier,
)
from intake_desktop.services.signatures import DocumentReport, TrustStore, inspect_pdf
from intake_desktop.store.catalog import read_catalog

APPLICANT = Applicant(name="Nguyễn Văn An", citizen_id="062090001234")
WHEN = datetime.now(UTC) - timedelta(hours=2)


@cache
def birth_registration() -> Procedure:
    return next(p for p in read_catalog()[1] if p.code == "1.001193")


@cache
def reports() -> dict[str, DocumentReport]:
    pki = DemoPki.create(seed=41)
    trust = TrustStore.of([pki.root_asn1()])
    applicant = pki.issue_citizen("NGUYỄN VĂN AN", APPLICANT.citizen_id)
    stranger = pki.issue_citizen("TRẦN VĂN BA", "001090009999")
    form = make_form_pdf("TỜ KHAI ĐĂNG KÝ KHAI SINH", [("Họ tên", "Nguyễn Văn An")])
    signed = sign_pdf(form, applicant, signing_time=WHEN)
    files = {
        "good": signed,
        "unsigned": form,
        "altered": tamper.incremental_replace_text(signed, "Nguyễn Văn An", "Nguyễn Văn Ân"),
        "stranger": sign_pdf(form, stranger, signing_time=WHEN),
        "broken": tamper.not_a_pdf(),
    }
    return {key: inspect_pdf(data, trust) for key, data in files.items()}


def dossier(*components: tuple[str, str]) -> Dossier:
    """A birth registration whose components are (spec code, attachment id)."""
    return Dossier(
        code="000.00.53.H48-261120-0001",
        procedure_code="1.001193.000.00.00.H48",
        submitted_at=WHEN,
        status=DossierStatus.AWAITING_INTAKE,
        version=1,
        applicant=APPLICANT,
        components=tuple(
            Component(
                spec_code=code,
                name=code,
                copy_kind=CopyKind.ORIGINAL,
                attachments=(Attachment(att, f"{att}.pdf", "application/pdf", 1000),),
            )
            for code, att in components
        ),
    )


def test_complete_dossier_signed_by_the_applicant_has_no_problem() -> None:
    check = check_dossier(
        dossier(("KS_TK", "good"), ("KS_GCS", "unsigned")), birth_registration(), reports()
    )
    assert check.problems == ()
    assert [c.presence for c in check.checklist][:2] == [Presence.PRESENT, Presence.PRESENT]
    assert check.badge is SignatureBadge.WARNINGS  # the birth certificate copy is unsigned


def test_missing_required_component_is_a_problem_with_a_reason() -> None:
    check = check_dossier(dossier(("KS_TK", "good")), birth_registration(), reports())
    (problem,) = check.problems
    assert problem.kind is FindingKind.MISSING_COMPONENT and problem.component_code == "KS_GCS"
    assert check.supplement_reasons() == [f"Bổ sung thành phần hồ sơ: {problem.component_name}."]


@pytest.mark.parametrize(
    ("attachment", "kind"),
    [
        ("unsigned", FindingKind.UNSIGNED),
        ("altered", FindingKind.SIGNATURE_INVALID),
        ("stranger", FindingKind.SIGNER_MISMATCH),
        ("broken", FindingKind.UNREADABLE),
    ],
)
def test_declaration_problems(attachment: str, kind: FindingKind) -> None:
    check = check_dossier(
        dossier(("KS_TK", attachment), ("KS_GCS", "unsigned")), birth_registration(), reports()
    )
    kinds = [f.kind for f in check.problems]
    assert kinds == [kind]
    assert check.problems[0].component_code == "KS_TK"
    assert check.problems[0].gravity is Gravity.PROBLEM
    assert check.supplement_reasons()[0]


def test_altered_declaration_reason_says_what_happened() -> None:
    check = check_dossier(
        dossier(("KS_TK", "altered"), ("KS_GCS", "unsigned")), birth_registration(), reports()
    )
    problem = check.problems[0]
    assert "thay đổi nội dung sau khi ký" in problem.message_vi
    assert problem.message("vi") == problem.message_vi
    # The English UI gets the engine's English reason, not the Vietnamese one.
    english = problem.message("en")
    assert english.startswith("The digital signature on") and "changed" in english
    assert "ký" not in english.replace(problem.component_name, "")
    assert check.badge is SignatureBadge.PROBLEMS


def test_signer_mismatch_names_both_people() -> None:
    check = check_dossier(
        dossier(("KS_TK", "stranger"), ("KS_GCS", "unsigned")), birth_registration(), reports()
    )
    message = check.problems[0].message_vi
    assert "TRẦN VĂN BA (CCCD 001090009999)" in message and "062090001234" in message


def test_not_yet_checked_attachments() -> None:
    check = check_dossier(dossier(("KS_TK", "good"), ("KS_GCS", "later")), birth_registration(), {})
    assert check.badge is SignatureBadge.NOT_CHECKED
    assert {f.kind for f in check.findings} == {FindingKind.NOT_CHECKED}


def test_unknown_procedure_and_extra_components() -> None:
    check = check_dossier(dossier(("KS_TK", "good")), None, reports())
    assert FindingKind.UNKNOWN_PROCEDURE in {f.kind for f in check.findings}
    assert check.checklist[0].presence is Presence.EXTRA
