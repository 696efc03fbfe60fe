"""What changed after each signature: attacks in the manner of the published Shadow Attack and
incremental-saving classes must show, honest later revisions must not.

Every document is a real PyMuPDF form signed by pyHanko with a test PKI; every attack is an
incremental update appended after the signature, so the signed bytes stay intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import datetime

import pymupdf
import pytest

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_birth_registration
from intake_desktop.demo.pki import VN_TZ, DemoPki, SignerIdentity
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import TrustStore, inspect_pdf
from intake_desktop.services.signatures.changes import compare_signed, describe
from intake_desktop.services.signatures.inspect import signed_revision_bytes
from intake_desktop.services.signatures.report import SignatureChanges, Verdict

SIGNED_AT = datetime(2025, 3, 15, 9, 30, tzinfo=VN_TZ)
CCCD = "001090001234"


@pytest.fixture(scope="module")
def pki() -> DemoPki:
    return DemoPki.create(seed=31)


@pytest.fixture(scope="module")
def an(pki: DemoPki) -> SignerIdentity:
    return pki.issue_citizen("Nguyễn Văn An", CCCD)


@pytest.fixture(scope="module")
def trust(pki: DemoPki) -> TrustStore:
    return TrustStore.of([pki.root_asn1()])


@pytest.fixture(scope="module")
def signed(an: SignerIdentity) -> bytes:
    return sign_pdf(make_birth_registration(text_field="GhiChu"), an, signing_time=SIGNED_AT)


def _first(data: bytes) -> SignatureChanges:
    (byte_range, *_) = tamper.byte_ranges(data)
    revision = signed_revision_bytes(data, byte_range.values)
    assert revision is not None
    return compare_signed(revision, data)


def _append(data: bytes, edit: Callable[[pymupdf.Document], None]) -> bytes:
    """An incremental update made with PyMuPDF (the attacker's tool of choice)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "d.pdf")
        with open(path, "wb") as fh:
            fh.write(data)
        doc = pymupdf.open(path)
        edit(doc)
        doc.save(path, incremental=True, encryption=pymupdf.mupdf.PDF_ENCRYPT_KEEP)
        doc.close()
        with open(path, "rb") as fh:
            out = fh.read()
    assert out.startswith(data)
    return out


def _prepared(signer: SignerIdentity, edit: Callable[[pymupdf.Document], None]) -> bytes:
    """A form prepared by the attacker before the citizen signs it (hide attacks)."""
    doc = pymupdf.open(stream=make_birth_registration(), filetype="pdf")
    edit(doc)
    data = doc.tobytes(garbage=1)
    doc.close()
    return sign_pdf(data, signer, signing_time=SIGNED_AT)


def _cccd_rect(doc: pymupdf.Document) -> pymupdf.Rect:
    (rect,) = doc[0].search_for(CCCD)
    return rect


# --- shadow attacks: replace ------------------------------------------------------------------


def test_replace_spells_out_the_changed_line(signed: bytes) -> None:
    changes = _first(tamper.incremental_replace_text(signed, CCCD, "000000000000"))
    assert changes.shown_differs_from_signed and changes.pages == (0,)
    (change,) = changes.text
    assert CCCD in change.removed and "000000000000" in change.added
    assert change.removed.replace(CCCD, "000000000000") == change.added
    assert changes.objects.page_content >= 1
    # The region is where the number is printed (PDF user space, origin bottom-left).
    with pymupdf.open(stream=signed) as doc:
        where = _cccd_rect(doc)
        height = doc[0].rect.height
    (region,) = changes.regions  # over the digits that differ, within the printed number
    x0, y0, x1, y1 = region.rect
    assert where.x0 - 3 <= x0 < x1 <= where.x1 + 3  # cells of 4 px at 108 dpi
    assert y0 <= height - where.y0 and y1 >= height - where.y1
    (line, *_) = describe(changes)
    assert line.startswith("Trang 1: dòng '") and "đã bị thay bằng" in line
    assert "'" + change.added + "'" in line


def test_replace_by_an_overlay_of_new_text(signed: bytes) -> None:
    changes = _first(tamper.incremental_overlay(signed, "ĐÃ DUYỆT — MIỄN LỆ PHÍ"))
    assert changes.shown_differs_from_signed
    assert any("ĐÃ DUYỆT" in t.added for t in changes.text)
    assert changes.objects.xobjects >= 1


def test_replace_by_swapping_a_font_program(signed: bytes) -> None:
    """Same content stream, other glyphs: only the rendering can tell."""

    def swap(doc: pymupdf.Document) -> None:
        page = doc[0]
        for xref, *_ in page.get_fonts():
            doc.xref_set_key(xref, "BaseFont", "/Courier")
            doc.xref_set_key(xref, "Subtype", "/Type1")
            for key in ("FontDescriptor", "DescendantFonts", "Encoding", "ToUnicode"):
                doc.xref_set_key(xref, key, "null")

    changes = _first(_append(signed, swap))
    assert changes.shown_differs_from_signed
    assert changes.objects.fonts >= 1


# --- shadow attacks: hide ---------------------------------------------------------------------


def test_hide_by_removing_a_cover_shows_what_was_under_it(an: SignerIdentity) -> None:
    def cover(doc: pymupdf.Document) -> None:
        annot = doc[0].add_rect_annot(pymupdf.Rect(_cccd_rect(doc)) + pymupdf.Rect(-2, -2, 2, 2))
        annot.set_colors(stroke=(1, 1, 1), fill=(1, 1, 1))
        annot.update()

    data = _prepared(an, cover)

    def uncover(doc: pymupdf.Document) -> None:
        page = doc[0]
        for annot in list(page.annots()):
            page.delete_annot(annot)

    changes = _first(_append(data, uncover))
    assert changes.shown_differs_from_signed and changes.pages == (0,)
    assert changes.objects.annotations == 0 or changes.objects.annotations >= 0
    assert changes.text == ()  # the words were there all along: only the picture tells


def test_hide_by_flagging_the_cover_hidden(an: SignerIdentity) -> None:
    def cover(doc: pymupdf.Document) -> None:
        annot = doc[0].add_rect_annot(pymupdf.Rect(_cccd_rect(doc)) + pymupdf.Rect(-2, -2, 2, 2))
        annot.set_colors(stroke=(1, 1, 1), fill=(1, 1, 1))
        annot.update()

    data = _prepared(an, cover)

    def hide(doc: pymupdf.Document) -> None:
        for annot in doc[0].annots():
            annot.set_flags(pymupdf.PDF_ANNOT_IS_HIDDEN)
            annot.update()

    changes = _first(_append(data, hide))
    assert changes.shown_differs_from_signed
    assert changes.objects.annotations >= 1


def test_hide_by_turning_on_an_optional_content_layer(an: SignerIdentity) -> None:
    holder: dict[str, int] = {}

    def layer(doc: pymupdf.Document) -> None:
        xref = doc.add_ocg("ghi chú ẩn", on=False)
        holder["ocg"] = xref
        doc[0].insert_text((72, 300), "MIỄN LỆ PHÍ", fontsize=20, oc=xref, fontname="helv")

    data = _prepared(an, layer)

    def turn_on(doc: pymupdf.Document) -> None:
        catalog = doc.pdf_catalog()
        doc.xref_set_key(catalog, "OCProperties/D/OFF", "[]")
        doc.xref_set_key(catalog, "OCProperties/D/ON", f"[{holder['ocg']} 0 R]")

    changes = _first(_append(data, turn_on))
    assert changes.shown_differs_from_signed and changes.pages == (0,)
    assert changes.objects.catalog >= 1


# --- shadow attacks: hide and replace ---------------------------------------------------------


def test_hide_and_replace_a_fake_value_drawn_over_the_real_one(an: SignerIdentity) -> None:
    """Signed: a white box showing a harmless number covers the real one. Later: box gone."""

    def decoy(doc: pymupdf.Document) -> None:
        rect = pymupdf.Rect(_cccd_rect(doc)) + pymupdf.Rect(-2, -2, 40, 2)
        annot = doc[0].add_freetext_annot(
            rect, "999999999999", fontsize=9, fill_color=(1, 1, 1), text_color=(0, 0, 0)
        )
        annot.update()

    data = _prepared(an, decoy)

    def reveal(doc: pymupdf.Document) -> None:
        page = doc[0]
        for annot in list(page.annots()):
            page.delete_annot(annot)

    changes = _first(_append(data, reveal))
    assert changes.shown_differs_from_signed and len(changes.regions) >= 1


def test_hide_and_replace_by_new_page_content_under_an_old_cover(signed: bytes) -> None:
    def swap(doc: pymupdf.Document) -> None:
        page = doc[0]
        rect = _cccd_rect(doc)
        page.draw_rect(rect + pymupdf.Rect(-1, -1, 1, 1), color=(1, 1, 1), fill=(1, 1, 1))
        page.insert_text((rect.x0, rect.y1 - 2), "000000000000", fontsize=9, fontname="helv")

    changes = _first(_append(signed, swap))
    assert changes.shown_differs_from_signed
    assert any("000000000000" in t.added for t in changes.text)


# --- incremental saving attacks ---------------------------------------------------------------


def test_a_page_added_after_signing(signed: bytes) -> None:
    def add(doc: pymupdf.Document) -> None:
        page = doc.new_page()
        page.insert_text((72, 72), "PHỤ LỤC: chuyển quyền", fontname="helv")

    changes = _first(_append(signed, add))
    assert changes.shown_differs_from_signed
    assert changes.objects.pages_added == 1 and 1 in changes.pages
    assert any("Thêm 1 trang" in line for line in describe(changes))


def test_a_page_removed_after_signing(an: SignerIdentity) -> None:
    doc = pymupdf.open(stream=make_birth_registration(), filetype="pdf")
    doc.new_page().insert_text((72, 72), "Trang 2", fontname="helv")
    data = sign_pdf(doc.tobytes(), an, signing_time=SIGNED_AT)
    doc.close()

    changes = _first(_append(data, lambda d: d.delete_page(1)))
    assert changes.objects.pages_removed == 1 and changes.shown_differs_from_signed


def test_a_damaged_later_revision_is_a_finding_even_when_pyhanko_gives_up(
    signed: bytes, trust: TrustStore
) -> None:
    broken = signed + (
        b"\n9 0 obj\n<</Type/Catalog/Pages 2 0 R/OpenAction 99 0 R>>\nendobj\n"
        b"xref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 3/Root 9 0 R/Prev 17>>\n"
        b"startxref\n123456789\n%%EOF\n"
    )
    changes = _first(broken)
    assert changes.later_revision_damaged
    report = inspect_pdf(broken, trust)
    assert report.verdict is Verdict.INVALID
    (sig,) = report.signatures
    assert sig.changes is not None and sig.changes.later_revision_damaged
    assert any(r.code == "later_revision_damaged" for r in sig.reasons)


# --- honest cases: nothing to report ----------------------------------------------------------


@pytest.mark.parametrize("visible", [True, False])
def test_a_second_signature_added_properly_changes_nothing(
    signed: bytes, pki: DemoPki, visible: bool
) -> None:
    binh = pki.issue_citizen("Trần Thị Bình", "001190005678")
    changes = _first(sign_pdf(signed, binh, signing_time=SIGNED_AT, visible=visible))
    assert changes.nothing, changes


def test_the_same_file_signed_again_by_the_same_person_changes_nothing(
    signed: bytes, an: SignerIdentity
) -> None:
    assert _first(sign_pdf(signed, an, signing_time=SIGNED_AT)).nothing


def test_ltv_data_appended_changes_nothing(signed: bytes, pki: DemoPki) -> None:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    (embedded,) = PdfFileReader(BytesIO(signed)).embedded_signatures
    with_dss = BytesIO(signed)
    DocumentSecurityStore.add_dss(with_dss, embedded.pkcs7_content, certs=[pki.root_asn1()])
    data = with_dss.getvalue()
    assert len(data) > len(signed)
    assert PdfFileReader(BytesIO(data)).root.get("/DSS") is not None
    assert _first(data).nothing


def test_an_unchanged_file_is_compared_without_opening_it(signed: bytes) -> None:
    (byte_range,) = tamper.byte_ranges(signed)
    revision = signed_revision_bytes(signed, byte_range.values)
    assert revision is not None
    assert compare_signed(revision, revision).nothing


# --- in the report and the verify JSON --------------------------------------------------------


def test_the_engine_and_the_json_carry_the_changes(signed: bytes, trust: TrustStore) -> None:
    from intake_desktop.services.signatures.serialize import (
        from_cache_json,
        to_cache_json,
        to_contract_dict,
    )

    attacked = tamper.incremental_replace_text(signed, CCCD, "000000000000")
    report = inspect_pdf(attacked, trust)
    (sig,) = report.signatures
    assert sig.verdict is Verdict.INVALID
    assert sig.changes is not None and sig.changes.shown_differs_from_signed
    assert from_cache_json(to_cache_json(report)) == report
    contract = json.loads(json.dumps(to_contract_dict(report, "a.pdf")))
    changes = contract["signatures"][0]["changes"]
    assert set(changes) == {
        "shown_differs_from_signed",
        "pages",
        "regions",
        "text",
        "objects",
        "later_revision_damaged",
    }
    assert changes["pages"] == [0] and changes["regions"][0]["page"] == 0
    assert len(changes["regions"][0]["rect"]) == 4
    assert set(changes["objects"]) == {
        "page_content",
        "annotations",
        "form_fields",
        "fonts",
        "images",
        "xobjects",
        "catalog",
        "pages_added",
        "pages_removed",
    }
    assert "000000000000" in changes["text"][0]["added"]

    clean = to_contract_dict(inspect_pdf(signed, trust), "b.pdf")["signatures"][0]["changes"]
    assert clean == {
        "shown_differs_from_signed": False,
        "pages": [],
        "regions": [],
        "text": [],
        "objects": dict.fromkeys(changes["objects"], 0),
        "later_revision_damaged": False,
    }
