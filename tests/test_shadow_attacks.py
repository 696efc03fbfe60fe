"""Shadow attacks (Mainka, Mladenov, Rohlmann, NDSS 2021) against the changes report.

Each attack is a document prepared by the attacker before the citizen signs it, and an
incremental update written after the signature with pyHanko's incremental writer (or, for
the cross-reference variants, by hand), so the signed bytes stay intact. Every manipulated
file must name its page, a region over what changed, and the kind of object that changed;
every honest later revision must show nothing new.

The document, in PDF user space (origin bottom-left), 14-point Helvetica lines at x = 72:
line y = 700 the name, y = 650 the amount, y = 600 a note hidden under a white form XObject
(the overlay), y = 550 a note hidden under a white square annotation, y = 500 a text field
holding the amount. The signed revision also holds objects nothing uses: another content
stream (a bigger amount), another page drawing it, and an empty form XObject.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pymupdf
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from intake_desktop.demo import tamper
from intake_desktop.demo.pki import DemoPki, SignerIdentity
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.signatures import InspectOptions, TrustStore, Verdict, inspect_pdf
from intake_desktop.services.signatures.changes import compare_signed
from intake_desktop.services.signatures.inspect import signed_revision_bytes
from intake_desktop.services.signatures.report import SignatureChanges
from intake_desktop.services.signatures.xref_view import xref_reading

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SIGNED_AT = NOW - timedelta(days=2)

NAME_Y, AMOUNT_Y, OVERLAID_Y, ANNOTATED_Y, FIELD_Y = 700, 650, 600, 550, 500


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<<" + extra + b"/Length %d>>stream\n" % len(data) + data + b"\nendstream"


def _line(y: int, text: bytes) -> bytes:
    return b"BT /F1 14 Tf 72 %d Td (%s) Tj ET\n" % (y, text)


def _white_box(y: int) -> bytes:
    return b"1 1 1 rg 66 %d 320 24 re f\n" % (y - 6)


def _field_look(value: bytes) -> bytes:
    return b"/Tx BMC BT /F1 14 Tf 2 6 Td (%s) Tj ET EMC" % value


OBJECTS: dict[int, bytes] = {
    1: b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[10 0 R]/DA(/F1 14 Tf 0 g)"
    b"/DR<</Font<</F1 6 0 R>>>>>>>>",
    2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
    3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents[4 0 R 5 0 R]"
    b"/Resources<</Font<</F1 6 0 R>>/XObject<</Cover 7 0 R>>>>/Annots[12 0 R 10 0 R]>>",
    4: _stream(
        _line(NAME_Y, b"Ho ten: Nguyen Van An")
        + _line(AMOUNT_Y, b"So tien: 1.000.000 dong")
        + _line(OVERLAID_Y, b"Ghi chu: MIEN LE PHI")
        + _line(ANNOTATED_Y, b"Uy quyen: TRAN VAN BINH")
    ),
    5: _stream(b"q /Cover Do Q\n"),
    6: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
    7: _stream(_white_box(OVERLAID_Y), b"/Type/XObject/Subtype/Form/BBox[0 0 595 842]"),
    # Present in the signed revision, used by nothing: the hide-and-replace material.
    8: _stream(
        _line(NAME_Y, b"Ho ten: Nguyen Van An") + _line(AMOUNT_Y, b"So tien: 9.000.000 dong")
    ),
    9: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 8 0 R"
    b"/Resources<</Font<</F1 6 0 R>>>>>>",
    13: _stream(b"", b"/Type/XObject/Subtype/Form/BBox[0 0 595 842]"),
    # The amount field and its look.
    10: b"<</FT/Tx/T(SoTien)/V(1.000.000)/Type/Annot/Subtype/Widget/F 4/P 3 0 R"
    b"/Rect[72 %d 272 %d]/DA(/F1 14 Tf 0 g)/AP<</N 11 0 R>>>>" % (FIELD_Y - 6, FIELD_Y + 18),
    11: _stream(
        _field_look(b"1.000.000"),
        b"/Type/XObject/Subtype/Form/BBox[0 0 200 24]/Resources<</Font<</F1 6 0 R>>>>",
    ),
    # A white square annotation over the authorisation line.
    12: b"<</Type/Annot/Subtype/Square/F 4/P 3 0 R/Rect[66 %d 386 %d]/C[1 1 1]/IC[1 1 1]"
    b"/AP<</N 14 0 R>>>>" % (ANNOTATED_Y - 6, ANNOTATED_Y + 18),
    14: _stream(b"1 1 1 rg 0 0 320 24 re f", b"/Type/XObject/Subtype/Form/BBox[0 0 320 24]"),
}


def build_pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A classic PDF with exactly these objects (numbers kept) and a plain xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % offsets[number]
            if number in offsets
            else b"0" * 10 + b" 00001 f \n"
        )
    out += b"trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start)
    return bytes(out)


@pytest.fixture(scope="module")
def pki() -> DemoPki:
    return DemoPki.create(seed=41, now=NOW - timedelta(days=30))


@pytest.fixture(scope="module")
def an(pki: DemoPki) -> SignerIdentity:
    return pki.issue_citizen("Nguyễn Văn An", "001090001234")


@pytest.fixture(scope="module")
def trust(pki: DemoPki) -> TrustStore:
    return TrustStore.of([pki.root_asn1()])


@pytest.fixture(scope="module")
def signed(an: SignerIdentity) -> bytes:
    return sign_pdf(build_pdf(OBJECTS), an, signing_time=SIGNED_AT)


# --- the attacker's tools ------------------------------------------------------------------


def _update(data: bytes, edit: Callable[[IncrementalPdfFileWriter], None]) -> bytes:
    """An incremental update written by pyHanko's incremental writer."""
    out = BytesIO(data)
    writer = IncrementalPdfFileWriter(out, strict=False)
    edit(writer)
    writer.write_in_place()
    result = out.getvalue()
    assert result.startswith(data) and len(result) > len(data)
    return result


def _ref(writer: IncrementalPdfFileWriter, number: int) -> generic.Reference:
    return generic.Reference(number, 0, writer)


def _redefine_stream(number: int, data: bytes) -> Callable[[IncrementalPdfFileWriter], None]:
    def edit(writer: IncrementalPdfFileWriter) -> None:
        stream = writer.get_object(_ref(writer, number))
        assert isinstance(stream, generic.StreamObject)
        stream._data, stream._encoded_data = data, None
        stream.pop("/Filter", None)
        writer.mark_update(_ref(writer, number))

    return edit


def _set_key(
    number: int, key: str, value: generic.PdfObject
) -> Callable[[IncrementalPdfFileWriter], None]:
    def edit(writer: IncrementalPdfFileWriter) -> None:
        obj = writer.get_object(_ref(writer, number))
        obj[generic.NameObject(key)] = value
        writer.mark_update(_ref(writer, number))

    return edit


def _points_to(writer: IncrementalPdfFileWriter, number: int) -> generic.IndirectObject:
    return generic.IndirectObject(number, 0, writer)


def _xref_only(data: bytes, number: int, target: int) -> bytes:
    """An update that is nothing but a cross-reference table: object ``number`` is said to
    be where the unused object ``target`` of the signed revision is written."""
    offset = data.index(b"\n%d 0 obj" % target) + 1
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    return data + (
        b"xref\n%d 1\n%010d 00000 n \ntrailer\n<</Size %d/Root %s/Prev %d>>\nstartxref\n%d\n"
        b"%%%%EOF\n" % (number, offset, size, root, prev, len(data))
    )


def hide_by_dropping_the_overlay(data: bytes) -> bytes:
    """Hide, overlay variant: the page stops drawing the white XObject over the note."""
    return _update(data, lambda w: _set_key(3, "/Contents", _points_to(w, 4))(w))


def hide_by_flagging_the_overlay_annotation(data: bytes) -> bytes:
    """Hide, annotation variant: the white square covering the authorisation is hidden."""
    return _update(data, _set_key(12, "/F", generic.NumberObject(2)))


def hide_by_redefining_the_content_stream(data: bytes) -> bytes:
    """Hide via referenced object: the page's second content stream (which drew the
    overlay) is redefined as empty."""
    return _update(data, _redefine_stream(5, b""))


def hide_by_redefining_the_overlay_xobject(data: bytes) -> bytes:
    """Hide via referenced object: the overlay XObject the page uses is redefined empty."""
    return _update(data, _redefine_stream(7, b""))


def replace_the_field_value(data: bytes) -> bytes:
    """Replace: the amount field gets another /V and appearance."""

    def edit(writer: IncrementalPdfFileWriter) -> None:
        _set_key(10, "/V", generic.TextStringObject("9.000.000"))(writer)
        _redefine_stream(11, _field_look(b"9.000.000"))(writer)

    return _update(data, edit)


def replace_the_font(data: bytes) -> bytes:
    """Replace font: the same content stream now draws every "1" as a "9"."""
    encoding = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Encoding"),
            generic.NameObject("/Differences"): generic.ArrayObject(
                [generic.NumberObject(49), generic.NameObject("/nine")]
            ),
        }
    )
    return _update(data, _set_key(6, "/Encoding", encoding))


def point_the_page_at_unused_content(data: bytes) -> bytes:
    """Hide-and-replace, change object references: /Contents names the unused stream."""
    return _update(data, lambda w: _set_key(3, "/Contents", _points_to(w, 8))(w))


def point_the_page_tree_at_an_unused_page(data: bytes) -> bytes:
    """Hide-and-replace, change object references: /Pages lists the unused page."""
    kids = lambda w: generic.ArrayObject([_points_to(w, 9)])  # noqa: E731
    return _update(data, lambda w: _set_key(2, "/Kids", kids(w))(w))


def redirect_the_content_in_the_xref(data: bytes) -> bytes:
    """Change object references through the table alone: object 4 "is" the unused 8."""
    return _xref_only(data, 4, 8)


def redirect_the_overlay_in_the_xref(data: bytes) -> bytes:
    """Hide via referenced object through the table alone: the overlay "is" empty 13."""
    return _xref_only(data, 7, 13)


# (attack, region's baseline, bucket of ObjectChanges that must count it)
ATTACKS: list[tuple[Callable[[bytes], bytes], int, str]] = [
    (hide_by_dropping_the_overlay, OVERLAID_Y, "page_content"),
    (hide_by_flagging_the_overlay_annotation, ANNOTATED_Y, "annotations"),
    (hide_by_redefining_the_content_stream, OVERLAID_Y, "page_content"),
    (hide_by_redefining_the_overlay_xobject, OVERLAID_Y, "xobjects"),
    (replace_the_field_value, FIELD_Y, "form_fields"),
    (replace_the_font, AMOUNT_Y, "fonts"),
    (point_the_page_at_unused_content, AMOUNT_Y, "page_content"),
    (point_the_page_tree_at_an_unused_page, AMOUNT_Y, "page_content"),
    (redirect_the_content_in_the_xref, AMOUNT_Y, "page_content"),
    (redirect_the_overlay_in_the_xref, OVERLAID_Y, "xobjects"),
]


def _changes(data: bytes) -> SignatureChanges:
    (byte_range, *_) = tamper.byte_ranges(data)
    revision = signed_revision_bytes(data, byte_range.values)
    assert revision is not None
    return compare_signed(revision, data)


def _covers(rect: tuple[float, float, float, float], baseline: int) -> bool:
    """``rect`` (user space) meets the 14-point line at ``baseline``, from x = 72."""
    x0, y0, x1, y1 = rect
    return y0 <= baseline + 12 and y1 >= baseline - 3 and x0 <= 300 and x1 >= 72


# --- every manipulation shows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("attack", "baseline", "bucket"), ATTACKS, ids=[a[0].__name__ for a in ATTACKS]
)
def test_each_shadow_attack_shows_its_page_region_and_objects(
    signed: bytes, attack: Callable[[bytes], bytes], baseline: int, bucket: str
) -> None:
    changes = _changes(attack(signed))
    assert changes.shown_differs_from_signed and changes.pages == (0,), changes
    assert any(_covers(r.rect, baseline) for r in changes.regions if r.page == 0), changes.regions
    assert getattr(changes.objects, bucket) >= 1, changes.objects


def test_a_replaced_value_is_spelled_out(signed: bytes) -> None:
    for attack in (
        point_the_page_at_unused_content,
        redirect_the_content_in_the_xref,
        replace_the_font,
    ):
        texts = _changes(attack(signed)).text
        assert any("1.000.000" in t.removed and "9.000.000" in t.added for t in texts), attack


def test_readers_disagree_on_a_redirected_table_and_both_readings_count(signed: bytes) -> None:
    """MuPDF and poppler rebuild a table whose entry names another object's header (they
    show the signed page); a reader following the table shows the unused content."""
    attacked = redirect_the_content_in_the_xref(signed)
    with pymupdf.open(stream=attacked, filetype="pdf") as doc:
        assert "1.000.000" in doc[0].get_text()  # MuPDF alone would see nothing
    (byte_range,) = tamper.byte_ranges(signed)
    reading = xref_reading(signed[: byte_range.signed_end], attacked, repaired=False)
    assert reading is not None
    with pymupdf.open(stream=reading, filetype="pdf") as doc:
        assert "9.000.000" in doc[0].get_text() and not doc.is_repaired


def test_the_engine_reports_a_table_only_attack_even_when_pyhanko_calls_it_broken(
    signed: bytes, trust: TrustStore
) -> None:
    report = inspect_pdf(
        redirect_the_content_in_the_xref(signed), trust, InspectOptions(moment=NOW)
    )
    (sig,) = report.signatures
    assert sig.verdict is Verdict.INVALID
    assert sig.changes is not None and sig.changes.shown_differs_from_signed
    assert sig.changes.objects.page_content >= 1


# --- honest later revisions show nothing new ------------------------------------------------


def test_the_signed_original_is_valid_and_unchanged(signed: bytes, trust: TrustStore) -> None:
    report = inspect_pdf(signed, trust, InspectOptions(moment=NOW))
    assert report.verdict is Verdict.VALID_WITH_WARNINGS or report.verdict is Verdict.VALID
    (sig,) = report.signatures
    assert sig.page == 0 and sig.changes is not None and sig.changes.nothing


@pytest.mark.parametrize("visible", [True, False])
def test_a_second_signature_shows_nothing(signed: bytes, pki: DemoPki, visible: bool) -> None:
    binh = pki.issue_citizen("Trần Thị Bình", "001190005678")
    data = sign_pdf(signed, binh, signing_time=SIGNED_AT + timedelta(hours=1), visible=visible)
    assert _changes(data).nothing
    (first, _) = tamper.byte_ranges(data)
    assert xref_reading(data[: first.signed_end], data, repaired=False) is None


def test_ltv_data_shows_nothing(signed: bytes, pki: DemoPki) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    (embedded,) = PdfFileReader(BytesIO(signed)).embedded_signatures
    out = BytesIO(signed)
    DocumentSecurityStore.add_dss(out, embedded.pkcs7_content, certs=[pki.root_asn1()])
    assert _changes(out.getvalue()).nothing


def test_a_sticky_note_counts_as_an_annotation_only(signed: bytes) -> None:
    def note(writer: IncrementalPdfFileWriter) -> None:
        annot = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Text"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (450, 700, 470, 720)]
                ),
                generic.NameObject("/Contents"): generic.TextStringObject("Đã xem"),
            }
        )
        writer.register_annotation(_ref(writer, 3), writer.add_object(annot))

    objects = _changes(_update(signed, note)).objects
    assert objects.annotations == 1
    assert (objects.page_content, objects.form_fields, objects.fonts, objects.xobjects) == (
        0,
        0,
        0,
        0,
    )
    assert objects.catalog == 0
