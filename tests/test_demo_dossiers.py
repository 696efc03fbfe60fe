"""Demo dossiers: every situation an officer must recognise, with the verdicts they would see."""

from __future__ import annotations

import collections
import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intake_desktop.demo.documents import make_form_pdf, page_text
from intake_desktop.demo.dossiers import (
    DemoDossier,
    Scenario,
    demo_pki,
    demo_trust,
    generate_dossiers,
)
from intake_desktop.demo.people import PROVINCE_CODES
from intake_desktop.demo.pki import PROVIDERS, DemoPki, KeyType
from intake_desktop.demo.signing import sign_pdf, signature_space
from intake_desktop.domain import DecisionKind, DossierStatus, Procedure
from intake_desktop.services.dossier_check import Gravity, check_dossier
from intake_desktop.services.signatures import (
    DocumentReport,
    InspectOptions,
    ModificationsAfter,
    TrustStatus,
    Verdict,
    inspect_pdf,
)
from intake_desktop.services.signatures.certificates import fingerprint
from intake_desktop.store.catalog import read_catalog

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=VN)
"""A Monday: the dossiers came in over the previous week and weekend."""
SEED = 7

DOSSIER_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}$")
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}\.\d{3}\.\d{2}\.\d{2}\.H\d{2}$")
PHONE = re.compile(r"^0(3[2-9]|5[68]|7[06-9]|8[1-9]|9[0-8])\d{7}$")
EMAIL = re.compile(r"^[a-z0-9.]+@[a-z]+\.[a-z]+$")
FILE_NAME = re.compile(r"^[a-z0-9-]+\.pdf$")


@pytest.fixture(scope="module")
def catalog() -> dict[str, Procedure]:
    return {p.code: p for p in read_catalog()[1]}


@pytest.fixture(scope="module")
def demos() -> list[DemoDossier]:
    return generate_dossiers(30, seed=SEED, now=NOW, workers=1)


@pytest.fixture(scope="module")
def reports(demos: list[DemoDossier]) -> dict[str, DocumentReport]:
    """The engine's report on every attachment, as test mode shows it (demo root trusted)."""
    options = InspectOptions(moment=NOW)
    return {
        remote_id: inspect_pdf(data, demo_trust(), options)
        for demo in demos
        for remote_id, data in demo.files.items()
    }


def procedure_of(demo: DemoDossier, catalog: dict[str, Procedure]) -> Procedure:
    return catalog[".".join(demo.dossier.procedure_code.split(".")[:2])]


def attachment_of(demo: DemoDossier, spec_code: str | None) -> str:
    (component,) = [c for c in demo.dossier.components if c.spec_code == spec_code]
    (attachment,) = component.attachments
    return attachment.remote_id


def of(demos: list[DemoDossier], scenario: Scenario) -> list[DemoDossier]:
    found = [d for d in demos if d.scenario is scenario]
    assert found, f"no {scenario} dossier"
    return found


def signer_ids(report: DocumentReport) -> list[str | None]:
    return [s.signer.citizen_id if s.signer else None for s in report.signatures]


# --- what is generated ---------------------------------------------------------------------


def test_the_first_30_hold_every_situation_and_mostly_good_ones(demos: list[DemoDossier]) -> None:
    counts = collections.Counter(d.scenario for d in demos)
    assert set(counts) == set(Scenario)
    assert counts[Scenario.ALL_GOOD] == 12  # 40 %
    assert counts.most_common(1)[0][0] is Scenario.ALL_GOOD
    for demo in demos:
        acceptable = demo.scenario in (
            Scenario.ALL_GOOD,
            Scenario.TWO_SIGNATURES,
            Scenario.ANNOTATED_AFTER_SIGNING,
            Scenario.UNSIGNED_NOT_REQUIRED,
        )
        expected = DecisionKind.ACCEPT if acceptable else DecisionKind.REQUEST_SUPPLEMENT
        assert demo.expected_decision is expected
        assert (demo.problem_component is None) == (demo.scenario is Scenario.ALL_GOOD)
        assert "Quyết định đúng" in demo.guidance_vi
        assert demo.scenario.label_vi


def test_english_guidance_states_the_same_facts_in_english(
    demos: list[DemoDossier], reports: dict[str, DocumentReport], catalog: dict[str, Procedure]
) -> None:
    quoted = re.compile(r"«[^»]*»")
    for demo in demos:
        vi, en = demo.guidance_vi, demo.guidance_en
        assert "Right decision: " in en, en
        applicant = demo.dossier.applicant
        signers = [
            s.signer.name
            for remote_id in demo.files
            for s in reports[remote_id].signatures
            if s.signer is not None
        ]
        facts = [
            applicant.citizen_id,
            applicant.name,
            *signers,
            *(a.file_name for c in demo.dossier.components for a in c.attachments),
            *(spec.name for spec in procedure_of(demo, catalog).components),
            *(provider.common_name for provider in PROVIDERS.values()),
        ]
        for fact in facts:
            if fact.casefold() in vi.casefold():
                assert fact.casefold() in en.casefold(), (demo.scenario, fact, en)
        # Every number (citizen IDs, dates, days) and every quoted name or note carries over;
        # «bản đã ký» is a button, named in English.
        assert sorted(re.findall(r"\d+", vi)) == sorted(re.findall(r"\d+", en)), en
        assert set(quoted.findall(vi)) - {"«bản đã ký»"} == set(quoted.findall(en)), en
        # Outside names of people and quoted Vietnamese names, the text is English.
        rest = quoted.sub("", en)
        for name in (applicant.name, *signers):
            rest = re.sub(re.escape(name), "", rest, flags=re.IGNORECASE)
        assert rest.replace("“", "").replace("”", "").isascii(), (demo.scenario, rest)


def test_same_seed_same_dossiers_and_bytes(demos: list[DemoDossier]) -> None:
    first = generate_dossiers(3, seed=SEED, now=NOW, workers=1)
    again = generate_dossiers(3, seed=SEED, now=NOW, workers=1)
    assert [d.dossier for d in first] == [d.dossier for d in again]
    assert [dict(d.files) for d in first] == [dict(d.files) for d in again]
    # A dossier's files do not depend on how many others were generated with it.
    assert [dict(d.files) for d in first] == [dict(d.files) for d in demos[:3]]
    other = generate_dossiers(3, seed=SEED + 1, now=NOW, workers=1)
    assert {d.dossier.applicant for d in other}.isdisjoint({d.dossier.applicant for d in first})


def test_records_are_awaiting_intake_with_declared_files(demos: list[DemoDossier]) -> None:
    codes = [d.dossier.code for d in demos]
    assert len(set(codes)) == len(codes)
    remote_ids: set[str] = set()
    for demo in demos:
        dossier = demo.dossier
        assert dossier.status is DossierStatus.AWAITING_INTAKE and dossier.version == 1
        attachments = [a for c in dossier.components for a in c.attachments]
        assert {a.remote_id for a in attachments} == set(demo.files)
        for attachment in attachments:
            data = demo.files[attachment.remote_id]
            assert attachment.media_type == "application/pdf"
            assert attachment.size == len(data)
            assert attachment.sha256 is not None and len(attachment.sha256) == 64
            assert FILE_NAME.match(attachment.file_name), attachment.file_name
        names = [a.file_name for a in attachments]
        assert len(set(names)) == len(names)
        remote_ids.update(a.remote_id for a in attachments)
    assert len(remote_ids) == sum(len(d.files) for d in demos)


def test_codes_people_and_times_look_real(
    demos: list[DemoDossier], catalog: dict[str, Procedure]
) -> None:
    late = 0
    for demo in demos:
        dossier = demo.dossier
        assert DOSSIER_CODE.match(dossier.code), dossier.code
        assert PROCEDURE_CODE.match(dossier.procedure_code), dossier.procedure_code
        procedure = procedure_of(demo, catalog)
        assert dossier.procedure_name == procedure.name
        submitted = dossier.submitted_at.astimezone(VN)
        assert submitted < NOW
        assert (NOW - submitted).days < 14
        assert dossier.code.split("-")[1] == submitted.strftime("%y%m%d")
        late += submitted.hour >= 15
        person = dossier.applicant
        assert len(person.name.split()) >= 3 and not person.name.isascii()
        cid = person.citizen_id
        assert re.fullmatch(r"\d{12}", cid) and cid[:3] in PROVINCE_CODES
        assert person.birth_date is not None
        century = int(cid[3]) // 2
        assert person.birth_date.year == 1900 + 100 * century + int(cid[4:6])
        assert person.phone and PHONE.match(person.phone), person.phone
        assert person.email is None or EMAIL.match(person.email), person.email
        address = person.address or ""
        assert re.search(r"\b(phường|xã) ", address) and re.search(r"\b(quận|huyện) ", address)
    assert late, "some dossiers come in after the 15:00 cut-off"


def test_required_components_are_there_unless_missing_is_the_point(
    demos: list[DemoDossier], catalog: dict[str, Procedure]
) -> None:
    for demo in demos:
        procedure = procedure_of(demo, catalog)
        submitted = {c.spec_code for c in demo.dossier.components}
        specs = {s.code: s for s in procedure.components}
        assert submitted <= {code for code, s in specs.items() if s.online}
        required = {code for code, s in specs.items() if s.online and s.required}
        if demo.scenario is Scenario.MISSING_COMPONENT:
            assert demo.problem_component in required - submitted
            assert required - submitted == {demo.problem_component}
        else:
            assert required <= submitted


# --- what the engine says about them (test mode trusts the demo root) ---------------------


def test_all_good_files_are_valid_and_signed_by_the_applicant(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.ALL_GOOD):
        for remote_id in demo.files:
            report = reports[remote_id]
            assert report.verdict is Verdict.VALID, report
            assert signer_ids(report) == [demo.dossier.applicant.citizen_id]


def test_other_situations_change_only_the_component_concerned(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    whole_dossier = (Scenario.UNTRUSTED_CERTIFICATE, Scenario.EXPIRED_CERTIFICATE)
    for demo in demos:
        if demo.scenario is Scenario.ALL_GOOD or demo.scenario in whole_dossier:
            continue
        for component in demo.dossier.components:
            if component.spec_code == demo.problem_component:
                continue
            report = reports[component.attachments[0].remote_id]
            assert report.verdict is Verdict.VALID, (demo.scenario, component.spec_code)
            assert signer_ids(report) == [demo.dossier.applicant.citizen_id]


def test_a_missing_component_leaves_a_valid_but_incomplete_dossier(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.MISSING_COMPONENT):
        assert demo.problem_component not in {c.spec_code for c in demo.dossier.components}
        assert all(reports[r].verdict is Verdict.VALID for r in demo.files)


def test_an_unsigned_declaration_is_unsigned(
    demos: list[DemoDossier], reports: dict[str, DocumentReport], catalog: dict[str, Procedure]
) -> None:
    for demo in of(demos, Scenario.UNSIGNED_COMPONENT):
        spec = procedure_of(demo, catalog).component(demo.problem_component or "")
        assert spec is not None and spec.signature_required
        report = reports[attachment_of(demo, spec.code)]
        assert report.verdict is Verdict.UNSIGNED and not report.signatures


def test_a_scan_that_need_not_be_signed_is_unsigned(
    demos: list[DemoDossier], reports: dict[str, DocumentReport], catalog: dict[str, Procedure]
) -> None:
    for demo in of(demos, Scenario.UNSIGNED_NOT_REQUIRED):
        spec = procedure_of(demo, catalog).component(demo.problem_component or "")
        assert spec is not None and not spec.signature_required
        assert reports[attachment_of(demo, spec.code)].verdict is Verdict.UNSIGNED


def test_someone_else_signed_validly(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.SIGNER_MISMATCH):
        report = reports[attachment_of(demo, demo.problem_component)]
        assert report.verdict is Verdict.VALID
        (signer,) = signer_ids(report)
        assert signer is not None and signer != demo.dossier.applicant.citizen_id
        assert signer in demo.guidance_vi


def test_the_cccd_replaced_after_signing_is_invalid(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.MODIFIED_AFTER_SIGNING):
        remote_id = attachment_of(demo, demo.problem_component)
        report = reports[remote_id]
        assert report.verdict is Verdict.INVALID
        (signature,) = report.signatures
        assert signature.intact and signature.modifications_after is ModificationsAfter.OTHER
        assert signature.signer is not None
        applicant = demo.dossier.applicant.citizen_id
        assert signature.signer.citizen_id == applicant
        # The current page shows another number than the one the applicant signed.
        assert applicant not in page_text(demo.files[remote_id])
        assert applicant in demo.guidance_vi


def test_an_unknown_root_or_a_self_signed_certificate_is_indeterminate(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.UNTRUSTED_CERTIFICATE):
        for remote_id in demo.files:
            report = reports[remote_id]
            assert report.verdict is Verdict.INDETERMINATE
            assert all(s.trust is TrustStatus.UNTRUSTED_ROOT for s in report.signatures)
            assert all(s.intact and s.crypto_valid for s in report.signatures)


def test_an_expired_certificate_without_timestamp_is_indeterminate(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.EXPIRED_CERTIFICATE):
        for remote_id in demo.files:
            report = reports[remote_id]
            assert report.verdict is Verdict.INDETERMINATE
            (signature,) = report.signatures
            assert signature.trust is TrustStatus.EXPIRED
            assert signature.timestamp_time is None
            assert signature.signer is not None and signature.signer.not_after < NOW


def test_two_valid_signatures_include_the_applicants(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.TWO_SIGNATURES):
        report = reports[attachment_of(demo, demo.problem_component)]
        assert report.verdict is Verdict.VALID
        first, second = signer_ids(report)
        assert first == demo.dossier.applicant.citizen_id
        assert second is not None and second != first


def test_a_corrupt_attachment_cannot_be_read(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.CORRUPT_ATTACHMENT):
        report = reports[attachment_of(demo, demo.problem_component)]
        assert report.verdict is Verdict.ERROR and report.error is not None


def test_a_note_added_after_signing_is_a_warning(
    demos: list[DemoDossier], reports: dict[str, DocumentReport]
) -> None:
    for demo in of(demos, Scenario.ANNOTATED_AFTER_SIGNING):
        report = reports[attachment_of(demo, demo.problem_component)]
        assert report.verdict is Verdict.VALID_WITH_WARNINGS
        assert report.signatures[0].modifications_after is ModificationsAfter.ANNOTATIONS


def test_the_dossier_check_leads_to_the_expected_decision(
    demos: list[DemoDossier], reports: dict[str, DocumentReport], catalog: dict[str, Procedure]
) -> None:
    """What the officer sees in the checklist points at the decision the trainer expects."""
    for demo in demos:
        check = check_dossier(demo.dossier, procedure_of(demo, catalog), reports)
        problems = [f for f in check.findings if f.gravity is Gravity.PROBLEM]
        if demo.expected_decision is DecisionKind.ACCEPT:
            assert not problems, (demo.scenario, problems)
        else:
            assert problems, demo.scenario
            assert demo.problem_component in {f.component_code for f in problems}


# --- trust, arguments ----------------------------------------------------------------------


def test_test_mode_trusts_the_demo_root_whatever_the_day() -> None:
    (anchor,) = demo_trust().anchors
    assert fingerprint(anchor) == fingerprint(demo_pki().root_asn1())
    assert fingerprint(anchor) == fingerprint(DemoPki.create(seed=0, now=NOW).root_asn1())
    assert demo_pki() is not demo_pki()  # fresh: a DemoPki counts what it issued


@pytest.mark.parametrize("key_type", ["ecdsa", "rsa"])
def test_the_reserved_signature_space_fits_a_timestamped_signature(key_type: KeyType) -> None:
    """The generator skips pyHanko's dry-run signature by reserving room up front."""
    pki = DemoPki.create(seed=0, now=NOW)
    signer = pki.issue_citizen("Trần Thị Phương Thảo", "079185004321", key_type=key_type)
    signed_at = NOW.replace(hour=7)
    form = make_form_pdf("TỜ KHAI", [("Họ, chữ đệm, tên", "Trần Thị Phương Thảo")])
    signed = sign_pdf(
        form,
        signer,
        signing_time=signed_at,
        timestamper=pki.timestamper(signed_at),
        bytes_reserved=signature_space(signer, timestamped=True),
    )
    report = inspect_pdf(signed, demo_trust(), InspectOptions(moment=NOW))
    assert report.verdict is Verdict.VALID
    assert report.signatures[0].timestamp_time == signed_at


def test_a_catalog_that_cannot_express_a_situation_gives_good_dossiers(
    catalog: dict[str, Procedure],
) -> None:
    copies = catalog["2.000815"]  # one required component, not to be signed
    demos = generate_dossiers(4, seed=SEED, catalog=[copies], now=NOW, workers=1)
    possible = {
        Scenario.ALL_GOOD,
        Scenario.UNTRUSTED_CERTIFICATE,
        Scenario.EXPIRED_CERTIFICATE,
        Scenario.CORRUPT_ATTACHMENT,
        Scenario.UNSIGNED_NOT_REQUIRED,
    }
    assert {d.scenario for d in demos} <= possible
    assert all(d.dossier.procedure_code.startswith("2.000815.") for d in demos)


def test_bad_arguments_are_refused(catalog: dict[str, Procedure]) -> None:
    with pytest.raises(ValueError, match="count"):
        generate_dossiers(-1)
    with pytest.raises(ValueError, match="timezone"):
        generate_dossiers(1, now=datetime(2026, 11, 23, 8, 0))
    unusable = [replace(p, components=()) for p in catalog.values()]
    with pytest.raises(ValueError, match="catalog"):
        generate_dossiers(1, catalog=unusable, now=NOW)
    assert generate_dossiers(0, now=NOW) == []


@pytest.mark.slow
def test_bulk_generation_is_fast_and_the_same_in_worker_processes(
    demos: list[DemoDossier], record_property: Callable[[str, object], None]
) -> None:
    started = time.perf_counter()
    bulk = generate_dossiers(200, seed=SEED, now=NOW)  # a process pool from 100 dossiers
    seconds = time.perf_counter() - started
    files = sum(len(d.files) for d in bulk)
    record_property("seconds_for_200_dossiers", round(seconds, 1))
    print(f"\n200 demo dossiers ({files} files) in {seconds:.1f} s")
    assert seconds < 60
    assert len({d.dossier.code for d in bulk}) == 200
    # Built in other processes, the first 30 are the same people, situations and bytes.
    assert [d.scenario for d in bulk[:30]] == [d.scenario for d in demos]
    assert [d.dossier.applicant for d in bulk[:30]] == [d.dossier.applicant for d in demos]
    assert [dict(d.files) for d in bulk[:30]] == [dict(d.files) for d in demos]
