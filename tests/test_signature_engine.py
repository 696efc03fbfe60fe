"""The signature engine on real PDFs signed by a PKI the tests generate.

Each case is a situation a reception officer meets: what the engine says must be exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pymupdf
import pytest

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import DemoPki, SignerIdentity
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import (
    Coverage,
    DocumentReport,
    InspectOptions,
    ModificationsAfter,
    RevocationStatus,
    TrustStatus,
    TrustStore,
    Verdict,
    inspect_pdf,
    signed_revision_bytes,
)
from intake_desktop.services.signatures.messages import known_codes

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SIGNED_AT = NOW - timedelta(days=2)
OPTIONS = InspectOptions(moment=NOW)
CITIZEN_ID = "062090001234"


@dataclass(frozen=True)
class World:
    pki: DemoPki
    trust: TrustStore
    citizen: SignerIdentity
    second: SignerIdentity
    form: bytes
    signed: bytes


@pytest.fixture(scope="module")
def world() -> World:
    pki = DemoPki.create(seed=7, now=NOW - timedelta(days=400))
    citizen = pki.issue_citizen("NGUYỄN VĂN AN", CITIZEN_ID)
    second = pki.issue_citizen("TRẦN THỊ BÌNH", "001190000111", provider="Viettel")
    form = make_form_pdf(
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        [("Họ, chữ đệm, tên người yêu cầu", "Nguyễn Văn An"), ("Số CCCD", CITIZEN_ID)],
        compress=False,
    )
    signed = sign_pdf(form, citizen, signing_time=SIGNED_AT)
    return World(pki, TrustStore.of([pki.root_asn1()]), citizen, second, form, signed)


def check(data: bytes, world: World, options: InspectOptions = OPTIONS) -> DocumentReport:
    report = inspect_pdf(data, world.trust, options)
    for sig in report.signatures:
        assert {r.code for r in sig.reasons} <= known_codes()
    return report


def codes(report: DocumentReport, index: int = 0) -> set[str]:
    return {r.code for r in report.signatures[index].reasons}


def test_citizen_signed_declaration_is_valid_with_every_field(world: World) -> None:
    report = check(world.signed, world)
    assert report.verdict is Verdict.VALID
    assert (report.pages, report.revisions) == (1, 2)
    assert not report.content_after_last_signature
    (sig,) = report.signatures
    assert sig.verdict is Verdict.VALID
    assert (sig.index, sig.revision, sig.field) == (0, 1, "Signature1")
    assert sig.intact and sig.crypto_valid and sig.trusted
    assert sig.trust is TrustStatus.TRUSTED
    assert sig.revocation is RevocationStatus.NOT_CHECKED
    assert sig.coverage is Coverage.ENTIRE_FILE
    assert sig.modifications_after is ModificationsAfter.NONE
    assert sig.signer is not None
    assert sig.signer.name == "NGUYỄN VĂN AN"
    assert sig.signer.citizen_id == CITIZEN_ID
    assert sig.signer.tax_code is None
    assert "VNPT" in sig.signer.issuer and "DEMO" in sig.signer.issuer
    assert sig.signer.not_before < SIGNED_AT < sig.signer.not_after
    assert sig.signing_time == SIGNED_AT
    assert sig.timestamp_time is None and sig.timestamp_valid is None
    assert sig.digest_algorithm == "sha256"
    assert "ecdsa" in sig.signature_algorithm
    assert sig.page == 0 and sig.rect is not None
    assert sig.rect[2] > sig.rect[0] and sig.rect[3] > sig.rect[1]
    # Offline: revocation not checked is said, not hidden, and does not spoil the verdict.
    assert codes(report) == {"revocation_not_checked", "no_timestamp"}


def test_rsa_signature_and_id_in_serial_number(world: World) -> None:
    signer = world.pki.issue_citizen(
        "LÊ VĂN CƯỜNG", "079085004321", key_type="rsa", id_attribute="serial_number"
    )
    report = check(sign_pdf(world.form, signer, signing_time=SIGNED_AT), world)
    (sig,) = report.signatures
    assert sig.verdict is Verdict.VALID
    assert sig.signer is not None and sig.signer.citizen_id == "079085004321"
    assert "rsa" in sig.signature_algorithm


def test_old_cmnd_identity_is_read(world: World) -> None:
    signer = world.pki.issue_citizen("PHẠM THỊ DUNG", "012345678", id_prefix="CMND")
    report = check(sign_pdf(world.form, signer, signing_time=SIGNED_AT), world)
    assert report.signatures[0].signer is not None
    assert report.signatures[0].signer.citizen_id == "012345678"


def test_organisation_tax_code_is_read(world: World) -> None:
    org = world.pki.issue_organisation("CÔNG TY TNHH AN BÌNH", "0101234567")
    report = check(sign_pdf(world.form, org, signing_time=SIGNED_AT), world)
    (sig,) = report.signatures
    assert sig.signer is not None
    assert sig.signer.tax_code == "0101234567" and sig.signer.citizen_id is None


def test_timestamped_signature_reports_the_timestamp(world: World) -> None:
    data = sign_pdf(
        world.form,
        world.citizen,
        signing_time=SIGNED_AT,
        timestamper=world.pki.timestamper(fixed_time=SIGNED_AT),
    )
    report = check(data, world)
    (sig,) = report.signatures
    assert sig.verdict is Verdict.VALID
    assert sig.timestamp_valid is True
    assert sig.timestamp_time == SIGNED_AT
    assert "no_timestamp" not in codes(report)


def test_second_signature_does_not_spoil_the_first(world: World) -> None:
    both = sign_pdf(world.signed, world.second, field_name="Signature2", signing_time=NOW)
    report = check(both, world)
    assert report.verdict is Verdict.VALID
    first, second = report.signatures
    assert first.verdict is Verdict.VALID and second.verdict is Verdict.VALID
    assert first.coverage is Coverage.ENTIRE_REVISION
    assert first.modifications_after is ModificationsAfter.SIGNATURES_OR_LTV
    assert "later_signatures" in codes(report, 0)
    assert second.coverage is Coverage.ENTIRE_FILE
    assert (first.revision, second.revision) == (1, 2)
    assert second.signer is not None and second.signer.citizen_id == "001190000111"
    assert not report.content_after_last_signature


def test_byte_changed_inside_signed_range_is_invalid(world: World) -> None:
    report = check(tamper.flip_signed_byte(world.signed), world)
    (sig,) = report.signatures
    assert report.verdict is Verdict.INVALID
    assert not sig.intact
    assert "digest_mismatch" in codes(report)
    # A broken signature proves nothing about its certificate.
    assert sig.trust is TrustStatus.NOT_CHECKED


def test_content_replaced_by_incremental_update_is_invalid(world: World) -> None:
    forged = tamper.incremental_replace_text(world.signed, CITIZEN_ID, "000000000000")
    report = check(forged, world)
    (sig,) = report.signatures
    assert report.verdict is Verdict.INVALID
    assert sig.intact and sig.crypto_valid  # the signed bytes themselves are untouched
    assert sig.coverage is Coverage.ENTIRE_REVISION
    assert sig.modifications_after is ModificationsAfter.OTHER
    assert "modified_other" in codes(report)
    assert report.content_after_last_signature


def test_overlay_drawn_after_signing_is_invalid(world: World) -> None:
    report = check(tamper.incremental_overlay(world.signed, "ĐÃ DUYỆT"), world)
    assert report.verdict is Verdict.INVALID
    assert report.signatures[0].modifications_after is ModificationsAfter.OTHER


def test_signed_revision_shows_the_document_as_signed(world: World) -> None:
    forged = tamper.incremental_replace_text(world.signed, CITIZEN_ID, "000000000000")
    (sig,) = check(forged, world).signatures
    original = signed_revision_bytes(forged, sig.byte_range)
    assert original is not None
    assert original == world.signed
    with pymupdf.open(stream=original) as doc:
        assert CITIZEN_ID in doc[0].get_text()
    with pymupdf.open(stream=forged) as doc:
        assert CITIZEN_ID not in doc[0].get_text()


def test_annotation_added_after_signing_is_a_warning(world: World) -> None:
    report = check(tamper.add_annotation(world.signed, "Đã xem, cần bổ sung"), world)
    (sig,) = report.signatures
    assert report.verdict is Verdict.VALID_WITH_WARNINGS
    assert sig.verdict is Verdict.VALID_WITH_WARNINGS
    assert sig.modifications_after is ModificationsAfter.ANNOTATIONS
    assert "modified_annotations" in codes(report)


def test_full_resave_breaks_the_signature(world: World) -> None:
    report = check(tamper.full_resave(world.signed), world)
    assert report.verdict is Verdict.INVALID
    assert not report.signatures[0].intact


def test_self_signed_certificate_is_indeterminate(world: World) -> None:
    selfie = world.pki.issue_self_signed("NGUYỄN VĂN AN", CITIZEN_ID)
    report = check(sign_pdf(world.form, selfie, signing_time=SIGNED_AT), world)
    (sig,) = report.signatures
    assert report.verdict is Verdict.INDETERMINATE
    assert sig.intact and sig.crypto_valid
    assert sig.trust is TrustStatus.UNTRUSTED_ROOT
    assert "self_signed" in codes(report)


def test_chain_to_unknown_root_is_indeterminate(world: World) -> None:
    stranger = DemoPki.untrusted(seed=3, now=NOW - timedelta(days=400))
    signer = stranger.issue_citizen("NGUYỄN VĂN AN", CITIZEN_ID)
    report = check(sign_pdf(world.form, signer, signing_time=SIGNED_AT), world)
    (sig,) = report.signatures
    assert report.verdict is Verdict.INDETERMINATE
    assert sig.trust is TrustStatus.UNTRUSTED_ROOT
    assert "untrusted_root" in codes(report)


def test_expired_certificate_without_timestamp_is_indeterminate(world: World) -> None:
    signer = world.pki.issue_citizen(
        "HOÀNG VĂN EM",
        "031088009999",
        not_before=NOW - timedelta(days=380),
        not_after=NOW - timedelta(days=10),
    )
    report = check(sign_pdf(world.form, signer, signing_time=NOW - timedelta(days=20)), world)
    (sig,) = report.signatures
    assert report.verdict is Verdict.INDETERMINATE
    assert sig.trust is TrustStatus.EXPIRED
    assert "certificate_expired" in codes(report)


def test_an_expiry_date_is_told_in_vietnam_time(world: World) -> None:
    # 20:00 UTC is 03:00 the next morning in Vietnam: that is the day the officer reads.
    ends = datetime.combine((NOW - timedelta(days=10)).date(), time(20, 0), tzinfo=UTC)
    signer = world.pki.issue_citizen(
        "HOÀNG VĂN EM", "031088009999", not_before=NOW - timedelta(days=380), not_after=ends
    )
    report = check(sign_pdf(world.form, signer, signing_time=NOW - timedelta(days=20)), world)
    (why,) = [r for r in report.signatures[0].reasons if r.code == "certificate_expired"]
    shown = (ends + timedelta(days=1)).strftime("%d/%m/%Y")
    assert shown in why.vi and shown in why.en


def test_expired_certificate_with_timestamp_from_its_lifetime_is_valid(world: World) -> None:
    when = NOW - timedelta(days=20)
    signer = world.pki.issue_citizen(
        "HOÀNG VĂN EM",
        "031088009999",
        not_before=NOW - timedelta(days=380),
        not_after=NOW - timedelta(days=10),
    )
    data = sign_pdf(
        world.form, signer, signing_time=when, timestamper=world.pki.timestamper(fixed_time=when)
    )
    report = check(data, world)
    (sig,) = report.signatures
    assert sig.verdict is Verdict.VALID
    assert sig.trust is TrustStatus.TRUSTED
    assert "expired_since_timestamp" in codes(report)


def test_zeroed_signature_is_invalid(world: World) -> None:
    report = check(tamper.zero_signature(world.signed), world)
    (sig,) = report.signatures
    assert report.verdict is Verdict.INVALID
    assert codes(report) == {"signature_unreadable"}
    assert sig.signer is None


def test_shortened_byte_range_is_invalid(world: World) -> None:
    report = check(tamper.shorten_byte_range(world.signed), world)
    assert report.verdict is Verdict.INVALID
    assert report.signatures[0].verdict is Verdict.INVALID


def test_unsigned_document(world: World) -> None:
    report = check(world.form, world)
    assert report.verdict is Verdict.UNSIGNED
    assert report.signatures == ()
    assert report.pages == 1
    assert [r.code for r in report.reasons] == ["unsigned"]


def test_truncated_file_is_reported_not_raised(world: World) -> None:
    report = check(tamper.truncate(world.signed), world)
    assert report.verdict in (Verdict.ERROR, Verdict.INVALID)
    assert report.verdict is not Verdict.VALID


def test_not_a_pdf(world: World) -> None:
    report = check(tamper.not_a_pdf(), world)
    assert report.verdict is Verdict.ERROR
    assert report.error is not None and report.error.code == "not_pdf"
    assert "PDF" in report.error.vi


def test_encrypted_pdf(world: World) -> None:
    report = check(tamper.encrypt(world.signed), world)
    assert report.verdict is Verdict.ERROR
    assert report.error is not None and report.error.code == "encrypted"
    assert "mật khẩu" in report.error.vi


def test_empty_and_oversized_files(world: World) -> None:
    assert check(b"", world).error is not None
    small = InspectOptions(moment=NOW, max_bytes=1024)
    report = check(world.signed, world, small)
    assert report.error is not None and report.error.code == "too_large"


def test_every_reason_has_both_languages() -> None:
    from intake_desktop.services.signatures.messages import _TEXTS

    for code, (_severity, en, vi) in _TEXTS.items():
        assert en and vi and en != vi, code
