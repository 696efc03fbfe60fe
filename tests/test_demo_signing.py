"""Citizens sign demo forms; pyHanko itself agrees the signatures are good (or not trusted)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation.status import SignatureCoverageLevel

from intake_desktop.demo.documents import make_birth_registration, page_text
from intake_desktop.demo.pki import VN_TZ, DemoPki, SignerIdentity
from intake_desktop.demo.signing import (
    pyhanko_statuses,
    sign_pdf,
    sign_pdf_invisible,
    signature_field_names,
)

SIGNED_AT = datetime(2025, 3, 15, 9, 30, tzinfo=VN_TZ)


@pytest.fixture(scope="module")
def pki() -> DemoPki:
    return DemoPki.create(seed=11)


@pytest.fixture(scope="module")
def an(pki: DemoPki) -> SignerIdentity:
    return pki.issue_citizen("Nguyễn Văn An", "001090001234")


@pytest.fixture(scope="module")
def form() -> bytes:
    return make_birth_registration()


@pytest.fixture(scope="module")
def signed(form: bytes, an: SignerIdentity) -> bytes:
    return sign_pdf(form, an, signing_time=SIGNED_AT)


def test_signed_form_validates_against_the_demo_root(
    pki: DemoPki, signed: bytes, form: bytes
) -> None:
    assert signed.startswith(form)  # an incremental update
    (status,) = pyhanko_statuses(signed, pki.validation_context())
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == "NGUYỄN VĂN AN"
    assert status.signer_reported_dt == SIGNED_AT
    # The visible stamp writes the signer's name in Vietnamese.
    text = page_text(signed)
    assert "Ký bởi: NGUYỄN VĂN AN" in text
    assert "Ký ngày: 15/03/2025 09:30:00" in text


def test_another_pki_root_does_not_trust_it(signed: bytes) -> None:
    other = DemoPki.untrusted(seed=11)
    (status,) = pyhanko_statuses(signed, other.validation_context())
    assert status.intact and status.valid
    assert not status.trusted and not status.bottom_line


def test_fixed_signing_time_gives_identical_files(form: bytes, an: SignerIdentity) -> None:
    assert sign_pdf(form, an, signing_time=SIGNED_AT) == sign_pdf(form, an, signing_time=SIGNED_AT)


def test_second_signature_leaves_the_first_valid(
    pki: DemoPki, signed: bytes, an: SignerIdentity
) -> None:
    binh = pki.issue_citizen("Trần Thị Bình", "079185004321", provider="Viettel", key_type="rsa")
    twice = sign_pdf(signed, binh, signing_time=SIGNED_AT + timedelta(hours=1))
    assert twice.startswith(signed)
    assert signature_field_names(twice) == ["Signature1", "Signature2"]
    first, second = pyhanko_statuses(twice, pki.validation_context())
    assert first.bottom_line and second.bottom_line
    # pyHanko counts a new signature field as form filling, allowed after a plain signature.
    assert first.coverage is SignatureCoverageLevel.ENTIRE_REVISION
    assert first.modification_level is ModificationLevel.FORM_FILLING
    assert second.coverage is SignatureCoverageLevel.ENTIRE_FILE
    assert second.modification_level is ModificationLevel.NONE
    assert "Ký bởi: TRẦN THỊ BÌNH" in page_text(twice)


def test_timestamp_token_from_the_demo_tsa(pki: DemoPki, form: bytes, an: SignerIdentity) -> None:
    stamped = sign_pdf(form, an, signing_time=SIGNED_AT, timestamper=pki.timestamper(SIGNED_AT))
    (status,) = pyhanko_statuses(stamped, pki.validation_context())
    assert status.bottom_line
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted
    assert status.timestamp_validity.timestamp == SIGNED_AT
    again = sign_pdf(form, an, signing_time=SIGNED_AT, timestamper=pki.timestamper(SIGNED_AT))
    assert again == stamped


def test_invisible_signature_has_no_stamp(pki: DemoPki, form: bytes, an: SignerIdentity) -> None:
    data = sign_pdf_invisible(form, an, field_name="ChuKyCongDan")
    (status,) = pyhanko_statuses(data, pki.validation_context())
    assert status.bottom_line
    assert signature_field_names(data) == ["ChuKyCongDan"]
    assert "Ký bởi" not in page_text(data)


def test_expired_and_self_signed_certificates_are_not_trusted(pki: DemoPki, form: bytes) -> None:
    expired = pki.issue_expired("Hoàng Thị Em", "001195003333")
    (status,) = pyhanko_statuses(sign_pdf(form, expired), pki.validation_context())
    assert status.intact and status.valid and not status.trusted
    forged = pki.issue_self_signed("Nguyễn Văn An", "001090001234")
    (status,) = pyhanko_statuses(sign_pdf(form, forged), pki.validation_context())
    assert status.intact and status.valid and not status.trusted


def test_signing_an_already_signed_field_fails(signed: bytes, an: SignerIdentity) -> None:
    with pytest.raises(SigningError, match="filled already"):
        sign_pdf(signed, an, field_name="Signature1")


def test_refuses_to_run_inside_an_event_loop(form: bytes, an: SignerIdentity) -> None:
    async def inside_loop() -> bytes:
        return sign_pdf(form, an)

    with pytest.raises(RuntimeError, match="worker thread"):
        asyncio.run(inside_loop())
