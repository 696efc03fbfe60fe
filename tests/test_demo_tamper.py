"""Each tampering helper does what it claims, as pyHanko and PyMuPDF see the result."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import pymupdf
import pytest
from pyhanko.pdf_utils.crypt import PdfKeyNotAvailableError
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import PdfSignatureStatus
from pyhanko.sign.validation.status import SignatureCoverageLevel

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_birth_registration, page_text
from intake_desktop.demo.pki import VN_TZ, DemoPki, SignerIdentity
from intake_desktop.demo.signing import pyhanko_statuses, sign_pdf

SIGNED_AT = datetime(2025, 3, 15, 9, 30, tzinfo=VN_TZ)
CCCD = "001090001234"


@pytest.fixture(scope="module")
def pki() -> DemoPki:
    return DemoPki.create(seed=23)


@pytest.fixture(scope="module")
def an(pki: DemoPki) -> SignerIdentity:
    return pki.issue_citizen("Nguyễn Văn An", CCCD)


@pytest.fixture(scope="module")
def signed(an: SignerIdentity) -> bytes:
    """A compressed form with a fillable field, signed once."""
    return sign_pdf(make_birth_registration(text_field="GhiChu"), an, signing_time=SIGNED_AT)


@pytest.fixture(scope="module")
def signed_plain(an: SignerIdentity) -> bytes:
    """The same form with uncompressed content streams, signed once."""
    return sign_pdf(make_birth_registration(compress=False), an, signing_time=SIGNED_AT)


def _only(data: bytes, pki: DemoPki) -> PdfSignatureStatus:
    (status,) = pyhanko_statuses(data, pki.validation_context())
    return status


def test_flipping_a_digit_of_the_visible_cccd(pki: DemoPki, signed_plain: bytes) -> None:
    target = tamper.signed_byte_target(signed_plain)
    assert target.kind == "content"
    damaged = tamper.flip_signed_byte(signed_plain)
    assert len(damaged) == len(signed_plain)
    assert sum(a != b for a, b in zip(damaged, signed_plain, strict=True)) == 1
    assert f"Số định danh cá nhân: 1{CCCD[1:]}" in page_text(damaged)
    status = _only(damaged, pki)
    assert not status.intact and not status.bottom_line


def test_flipping_a_byte_of_compressed_file_hits_metadata(pki: DemoPki, signed: bytes) -> None:
    assert tamper.signed_byte_target(signed).kind == "info"
    damaged = tamper.flip_signed_byte(signed)
    with pymupdf.open(stream=damaged, filetype="pdf") as doc:
        assert not doc.is_repaired
        assert CCCD in doc[0].get_text()
    assert not _only(damaged, pki).intact


def test_shadow_replace_keeps_the_signature_intact(pki: DemoPki, signed: bytes) -> None:
    forged = tamper.incremental_replace_text(signed, CCCD, "001090009999")
    assert forged.startswith(signed)
    text = page_text(forged)
    assert "001090009999" in text and CCCD not in text
    status = _only(forged, pki)
    assert status.intact and status.valid and status.trusted
    assert status.coverage is SignatureCoverageLevel.ENTIRE_REVISION
    assert status.modification_level is ModificationLevel.OTHER
    assert not status.bottom_line
    with pytest.raises(ValueError, match="not on page 1"):
        tamper.incremental_replace_text(signed, "999999999999", "1")


def test_replace_leaves_the_signature_stamp_alone(signed: bytes) -> None:
    # "Văn An" is in the form and, upper-cased, in the stamp: only the form's changes.
    forged = tamper.incremental_replace_text(signed, "Văn An", "Văn Ân")
    text = page_text(forged)
    assert "Văn Ân" in text
    assert "Nguyễn Văn An" not in text
    assert "Ký bởi: NGUYỄN VĂN AN" in text


def test_overlay_draws_on_top(pki: DemoPki, signed: bytes) -> None:
    forged = tamper.incremental_overlay(signed, "ĐÃ NỘP LỆ PHÍ")
    assert forged.startswith(signed)
    assert "ĐÃ NỘP LỆ PHÍ" in page_text(forged) and CCCD in page_text(forged)
    status = _only(forged, pki)
    assert status.intact and status.modification_level is ModificationLevel.OTHER


@pytest.mark.parametrize("kind", ["note", "freetext"])
def test_annotation_after_signing(
    pki: DemoPki, signed: bytes, kind: Literal["note", "freetext"]
) -> None:
    noted = tamper.add_annotation(signed, "Da kiem tra ban chinh", kind=kind)
    assert noted.startswith(signed)
    with pymupdf.open(stream=noted, filetype="pdf") as doc:
        (annot,) = [a for a in doc[0].annots() if a.type[1] in ("Text", "FreeText")]
        assert annot.info["content"] == "Da kiem tra ban chinh"
    status = _only(noted, pki)
    # pyHanko's default policy calls any new annotation suspicious.
    assert status.intact and status.modification_level is ModificationLevel.OTHER


def test_form_filling_after_signing_is_allowed(pki: DemoPki, signed: bytes) -> None:
    filled = tamper.fill_form_field(signed, "GhiChu", "Da bo sung giay to")
    assert filled.startswith(signed)
    status = _only(filled, pki)
    assert status.intact and status.bottom_line
    assert status.modification_level is ModificationLevel.FORM_FILLING
    with pytest.raises(KeyError):
        tamper.fill_form_field(signed, "KhongCo", "x")


def test_full_resave_breaks_the_byte_range(pki: DemoPki, signed: bytes) -> None:
    resaved = tamper.full_resave(signed)
    assert not resaved.startswith(signed[:1000])
    status = _only(resaved, pki)
    assert not status.intact and not status.bottom_line


def test_zeroed_signature_cannot_be_parsed(pki: DemoPki, signed: bytes) -> None:
    zeroed = tamper.zero_signature(signed)
    assert len(zeroed) == len(signed)
    (br,) = tamper.byte_ranges(zeroed)
    assert set(zeroed[br.contents_start + 1 : br.contents_end - 1]) == {ord("0")}
    # pyHanko fails while listing the signatures, before any validation.
    with pytest.raises(ValueError, match="ContentInfo"):
        pyhanko_statuses(zeroed, pki.validation_context())


def test_shortened_byte_range(pki: DemoPki, signed: bytes, an: SignerIdentity) -> None:
    shortened = tamper.shorten_byte_range(signed, by=16)
    assert len(shortened) == len(signed)
    (br,) = tamper.byte_ranges(shortened)
    assert br.signed_end == len(signed) - 16
    assert not _only(shortened, pki).intact
    # Re-signed over the shorter range: intact, but it does not cover the whole revision.
    partial = tamper.shorten_byte_range(signed, by=16, resign_with=an, signing_time=SIGNED_AT)
    status = _only(partial, pki)
    assert status.intact and status.valid and status.trusted
    assert status.coverage is SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START
    assert not status.bottom_line


def test_truncated_file(pki: DemoPki, signed: bytes) -> None:
    cut = tamper.truncate(signed, keep=0.6)
    assert len(cut) == int(len(signed) * 0.6)
    with pytest.raises(PdfReadError):
        pyhanko_statuses(cut, pki.validation_context())


def test_encrypted_copy_needs_a_password(pki: DemoPki, signed: bytes) -> None:
    locked = tamper.encrypt(signed, user_password="1234")
    with pymupdf.open(stream=locked, filetype="pdf") as doc:
        assert doc.needs_pass
        assert doc.authenticate("1234")
        assert CCCD in doc[0].get_text()
    with pytest.raises(PdfKeyNotAvailableError):
        pyhanko_statuses(locked, pki.validation_context())


@pytest.mark.parametrize(
    ("kind", "start"), [("jpeg", b"\xff\xd8\xff"), ("html", b"<!DOCTYPE"), ("text", b"T")]
)
def test_not_a_pdf(pki: DemoPki, kind: Literal["jpeg", "html", "text"], start: bytes) -> None:
    data = tamper.not_a_pdf(kind)
    assert data.startswith(start)
    with pytest.raises(PdfReadError, match="header"):
        pyhanko_statuses(data, pki.validation_context())
    # PyMuPDF sniffs the content: even with filetype="pdf" it opens an image or a web page.
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except pymupdf.FileDataError:
        return
    with doc:
        assert not doc.is_pdf


def test_empty_upload() -> None:
    assert tamper.not_a_pdf("empty") == b""
    with pytest.raises(pymupdf.EmptyFileError):
        pymupdf.open(stream=tamper.not_a_pdf("empty"), filetype="pdf")
