"""Vietnamese demo forms as A4 PDFs, made with PyMuPDF.

Text is set in the shipped DejaVu Sans (embedded, subset) so PyMuPDF's text extraction
returns exactly the Vietnamese strings that were written. The same arguments give the same
bytes: fixed metadata dates, a document ID derived from the content, no random IDs.

Layout of page 1 (top to bottom): the national header, the title, the label/value lines, an
optional text field and body text, then "NGƯỜI YÊU CẦU (Ký, ghi rõ họ tên)" above the box
where :func:`intake_desktop.demo.signing.sign_pdf` puts the first visible signature.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import functools
import hashlib
import random
import re
from collections.abc import Sequence
from datetime import datetime

import pymupdf

from intake_desktop.demo.pki import VN_TZ
from intake_desktop.paths import resource

PAGE_WIDTH = 595.0
PAGE_HEIGHT = 842.0
"""A4 in points, as PyMuPDF rounds it."""

NATIONAL_HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SIGNER_CAPTION = ("NGƯỜI YÊU CẦU", "(Ký, ghi rõ họ tên)")
DEMO_FOOTER = "Tài liệu mẫu (DEMO), không có giá trị pháp lý"

SIGNATURE_RECTS: tuple[tuple[float, float, float, float], ...] = (
    (330.0, 70.0, 560.0, 140.0),
    (60.0, 70.0, 290.0, 140.0),
    (330.0, 150.0, 560.0, 220.0),
    (60.0, 150.0, 290.0, 220.0),
)
"""Signature boxes on page 1 in PDF user space (x0, y0, x1, y1; origin bottom-left): the
first signature goes bottom right under the caption, later ones beside and above it."""

DEFAULT_CREATED = datetime(2025, 1, 1, 8, 0, tzinfo=VN_TZ)

FILLER_TEXT = (
    "Căn cứ Luật Hộ tịch năm 2014 và các văn bản hướng dẫn thi hành, người yêu cầu cam đoan "
    "những nội dung khai trên đây là đúng sự thật, được sự thỏa thuận nhất trí của các bên liên "
    "quan theo quy định pháp luật. Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung "
    "cam đoan của mình. Hồ sơ được nộp trực tuyến qua Cổng Dịch vụ công và được ký số bằng chứng "
    "thư số của người yêu cầu."
)
"""Vietnamese body text for the extra pages of benchmark documents."""

_LEFT = 70.0
_RIGHT = PAGE_WIDTH - 57.0
_TOP = 57.0
_BOTTOM = PAGE_HEIGHT - 57.0
# Page 1 keeps its lower part for the signer's caption and the signature box.
_PAGE1_BOTTOM = PAGE_HEIGHT - SIGNATURE_RECTS[0][3] - 60.0
_REGULAR = "dvs"
_BOLD = "dvsb"


@functools.cache
def _font(bold: bool = False) -> pymupdf.Font:
    return pymupdf.Font(fontfile=str(_font_path(bold)))


@functools.cache
def _advance(char: str, bold: bool) -> float:
    font = _font(bold)
    gid, used = pymupdf.mupdf.fz_encode_character_with_fallback(font.this, ord(char), 0, 0)
    return float(pymupdf.mupdf.fz_advance_glyph(used, gid, 0))


def _text_length(text: str, size: float, *, bold: bool = False) -> float:
    """``pymupdf.Font.text_length`` with each glyph's advance cached (same sum, same order):
    PyMuPDF asks MuPDF twice per character, which made wrapping a form's lines slow."""
    total = 0.0
    for char in text:
        total += _advance(char, bold)
    return total * size


# Widths PyMuPDF needs for every code point up to the last Vietnamese letter (U+1EF9) and the
# dong sign (U+20AB).
_WIDTHS_LIMIT = 0x20AC


@functools.cache
def _glyph_widths(bold: bool) -> tuple[tuple[int, float], ...]:
    doc = pymupdf.open()
    try:
        xref = doc.new_page().insert_font(fontname="f", fontfile=_font_path(bold))
        return tuple(doc.get_char_widths(xref, limit=_WIDTHS_LIMIT))
    finally:
        doc.close()


def _seed_glyph_widths(doc: pymupdf.Document, xref: int, bold: bool) -> None:
    """Give PyMuPDF the font's glyph widths computed once per process.

    ``insert_text`` otherwise recomputes them in a Python loop over every code point up to
    the highest one in the text (~8,000 for Vietnamese), for each new document: most of the
    time a form took. Relies on PyMuPDF's ``Document.FontInfos`` cache; if that ever changes
    shape, nothing is seeded and PyMuPDF computes the (same) widths itself.
    """
    infos = getattr(doc, "FontInfos", None)
    if not isinstance(infos, list):
        return
    for info in infos:
        if isinstance(info, list) and len(info) == 2 and info[0] == xref:
            fontdict = info[1]
            if isinstance(fontdict, dict) and len(fontdict.get("glyphs") or ()) < _WIDTHS_LIMIT:
                fontdict["glyphs"] = list(_glyph_widths(bold))
            return


def _font_path(bold: bool = False) -> str:
    return str(resource("fonts", "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"))


def font_path(bold: bool = False) -> str:
    """Path of the shipped DejaVu Sans (regular or bold), which has Vietnamese glyphs."""
    return _font_path(bold)


class _Writer:
    """Flows lines of text down the pages of a document, adding pages as needed."""

    def __init__(self, doc: pymupdf.Document) -> None:
        self.doc = doc
        self.shape: pymupdf.Shape | None = None
        self.page = self._new_page()
        self.y = _TOP
        self.bottom = _PAGE1_BOTTOM

    def _new_page(self) -> pymupdf.Page:
        page = self.doc.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
        for fontname, bold in ((_REGULAR, False), (_BOLD, True)):
            xref = page.insert_font(fontname=fontname, fontfile=_font_path(bold))
            _seed_glyph_widths(self.doc, xref, bold)
        return page

    def next_page(self) -> None:
        self.flush()
        self.page = self._new_page()
        self.y = _TOP
        self.bottom = _BOTTOM

    def room(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.next_page()

    def text(self, x: float, text: str, *, size: float = 11, bold: bool = False) -> None:
        if self.shape is None:
            self.shape = self.page.new_shape()
        self.shape.insert_text(
            (x, self.y), text, fontname=_BOLD if bold else _REGULAR, fontsize=size
        )

    def flush(self) -> None:
        if self.shape is not None:
            self.shape.commit(True)
            self.shape = None

    def centered(
        self, text: str, *, size: float, bold: bool = False, x0: float = _LEFT, x1: float = _RIGHT
    ) -> None:
        width = _text_length(text, size, bold=bold)
        self.text(x0 + (x1 - x0 - width) / 2, text, size=size, bold=bold)

    def fill(self, text: str, *, size: float = 11) -> None:
        """Repeat ``text``'s lines until the current page is full."""
        lines = [*_wrap(text, _RIGHT - _LEFT, size, bold=False), ""]
        i = 0
        while self.y + size * 1.5 <= self.bottom:
            self.y += size * 1.5
            self.text(_LEFT, lines[i % len(lines)], size=size)
            i += 1

    def paragraph(self, text: str, *, size: float = 11, indent: float = 0.0) -> None:
        """Wrap ``text`` to the text width, flowing onto new pages."""
        for line in _wrap(text, _RIGHT - _LEFT - indent, size, bold=False):
            self.room(size * 1.5)
            self.y += size * 1.5
            self.text(_LEFT + indent, line, size=size)


def _wrap(text: str, width: float, size: float, *, bold: bool) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            candidate = f"{line} {word}" if line else word
            if line and _text_length(candidate, size, bold=bold) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _pdf_date(moment: datetime) -> str:
    offset = moment.strftime("%z") or "+0000"
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"


@functools.cache
def _image_samples(width: int, height: int, seed: int) -> bytes:
    # Cached: pixel loops in Python are slow and benchmarks reuse the same pictures.
    grain = random.Random(seed).randbytes(width * height)
    samples = bytearray(width * height * 3)
    for y in range(height):
        row = y * width
        green = y * 200 // height
        for x in range(width):
            g = grain[row + x] >> 3
            i = (row + x) * 3
            samples[i] = x * 200 // width + g
            samples[i + 1] = green + g
            samples[i + 2] = 160 + g
    return bytes(samples)


def _image(width: int, height: int, seed: int) -> pymupdf.Pixmap:
    """A deterministic RGB picture: a gradient with grain, so it compresses like a scan."""
    return pymupdf.Pixmap(pymupdf.csRGB, width, height, _image_samples(width, height, seed), False)


def make_form_pdf(
    title: str,
    fields: Sequence[tuple[str, str]],
    *,
    pages: int = 1,
    body: str | None = None,
    images: bool = False,
    text_field: str | None = None,
    compress: bool = True,
    created: datetime = DEFAULT_CREATED,
) -> bytes:
    """Return an A4 PDF of a Vietnamese administrative form.

    ``fields`` are (label, value) lines written as "label: value". ``body`` is text after the
    fields. ``pages`` is the minimum page count: extra pages are filled with
    :data:`FILLER_TEXT` (benchmark documents). ``images`` adds a 3x4 photo on page 1 and a
    picture on each extra page. ``text_field`` adds an empty fillable text field with that
    name on page 1. ``compress=False`` leaves content streams uncompressed (readable bytes).
    """
    doc = pymupdf.open()
    w = _Writer(doc)
    # National header, title.
    w.y += 14
    w.centered(NATIONAL_HEADER[0], size=12, bold=True)
    w.y += 17
    w.centered(NATIONAL_HEADER[1], size=12, bold=True)
    underline = _text_length(NATIONAL_HEADER[1], 12, bold=True)
    mid = (_LEFT + _RIGHT) / 2
    w.flush()
    w.page.draw_line((mid - underline / 2, w.y + 4), (mid + underline / 2, w.y + 4), width=0.7)
    w.y += 45
    for line in _wrap(title, _RIGHT - _LEFT, 14, bold=True):
        w.centered(line, size=14, bold=True)
        w.y += 20
    w.y += 10
    if images:
        # The applicant's 3x4 photo, top left as on passport and ID forms.
        photo = pymupdf.Rect(_LEFT, _TOP, _LEFT + 60, _TOP + 80)
        w.flush()
        w.page.insert_image(photo, pixmap=_image(90, 120, seed=1))
        w.page.draw_rect(photo, width=0.5)
        w.y = max(w.y, photo.y1 + 20)
    # Label/value lines; a value too long for the line continues indented.
    for label, value in fields:
        head = f"{label}: "
        head_width = _text_length(head, 11)
        lines = _wrap(value, _RIGHT - _LEFT - head_width, 11, bold=False)
        w.room(18 * len(lines))
        w.text(_LEFT, head)
        for line in lines:
            w.text(_LEFT + head_width, line)
            w.y += 18
    if text_field is not None:
        w.room(30)
        w.y += 4
        w.text(_LEFT, "Ghi chú: ")
        widget = pymupdf.Widget()
        widget.field_type = pymupdf.mupdf.PDF_WIDGET_TYPE_TEXT
        widget.field_name = text_field
        widget.rect = pymupdf.Rect(_LEFT + 50, w.y - 12, _RIGHT, w.y + 6)
        widget.text_fontsize = 10
        widget.border_width = 1
        widget.border_color = (0.6, 0.6, 0.6)
        w.flush()
        w.page.add_widget(widget)
        w.y += 20
    if body:
        w.paragraph(body)
    # Caption above the first signature box, on page 1.
    w.flush()
    first = doc[0]
    x0, _, x1, y1 = SIGNATURE_RECTS[0]
    caption_y = PAGE_HEIGHT - y1 - 24
    for i, (text, bold) in enumerate(((SIGNER_CAPTION[0], True), (SIGNER_CAPTION[1], False))):
        width = _text_length(text, 11, bold=bold)
        first.insert_text(
            (x0 + (x1 - x0 - width) / 2, caption_y + 14 * i),
            text,
            fontname=_BOLD if bold else _REGULAR,
            fontsize=11,
        )
    # Extra pages up to ``pages``, full of filler text.
    while doc.page_count < pages:
        w.next_page()
        if images:
            picture = pymupdf.Rect(_LEFT, _TOP, _RIGHT, _TOP + 250)
            w.flush()
            w.page.insert_image(picture, pixmap=_image(400, 220, seed=doc.page_count))
            w.y = picture.y1
        w.fill(FILLER_TEXT)
    w.flush()
    for page in doc.pages():
        footer = f"{DEMO_FOOTER} - Trang {page.number + 1}/{doc.page_count}"
        width = _text_length(footer, 8)
        page.insert_text(
            ((PAGE_WIDTH - width) / 2, PAGE_HEIGHT - 25), footer, fontname=_REGULAR, fontsize=8
        )
        # PyMuPDF adds a content stream per insertion; producers write one per page.
        page.clean_contents()
    date = _pdf_date(created)
    doc.set_metadata(
        {
            "title": title,
            "author": "Intake Desktop (DEMO)",
            "subject": "Hồ sơ mẫu cho chế độ thử nghiệm",
            "creator": "Intake Desktop demo",
            "producer": "Intake Desktop demo",
            "creationDate": date,
            "modDate": date,
        }
    )
    if text_field is not None:
        _merge_single_widget_fields(doc)
    doc.subset_fonts()
    _compact_width_tables(doc)
    digest = hashlib.sha256(
        repr((title, list(fields), pages, body, images, text_field, compress, date)).encode()
    ).hexdigest()[:32]
    # A stable /ID instead of MuPDF's random one (the trailer is xref -1).
    doc.xref_set_key(-1, "ID", f"[<{digest}><{digest}>]")
    if compress:
        data = doc.tobytes(garbage=3, deflate=True, no_new_id=True, reproducible=True)
    else:
        data = doc.tobytes(garbage=3, expand=255, no_new_id=True, reproducible=True)
    doc.close()
    return bytes(data)


_W_TOKEN = re.compile(r"\[|\]|-?\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=8)
def _parse_widths(text: str) -> dict[int, str]:
    """Glyph id -> width from a CIDFont /W array (both ``c [w …]`` and ``c1 c2 w`` forms).

    Cached: before compaction every form carries the same whole-font table. Do not mutate
    the result.
    """
    tokens = _W_TOKEN.findall(text)[1:-1]  # drop the outer brackets
    widths: dict[int, str] = {}
    i = 0
    while i < len(tokens):
        first = int(tokens[i])
        if tokens[i + 1] == "[":
            j = i + 2
            while tokens[j] != "]":
                widths[first + j - i - 2] = tokens[j]
                j += 1
            i = j + 1
        else:
            for gid in range(first, int(tokens[i + 1]) + 1):
                widths[gid] = tokens[i + 2]
            i += 3
    return widths


def _compact_width_tables(doc: pymupdf.Document) -> None:
    """Keep only the widths of glyphs the pages use, as PDF producers that subset fonts do.

    MuPDF keeps the whole font's /W table (thousands of numbers) after subsetting; real
    citizen PDFs (Word, e-form generators) carry a few dozen, and parsers pay for each.
    """
    used: set[int] = set()
    for number in range(doc.page_count):
        for span in doc[number].get_texttrace():
            used.update(char[1] for char in span["chars"])
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Subtype")[1] != "/CIDFontType2":
            continue
        kind, value = doc.xref_get_key(xref, "W")
        if kind == "xref":
            text = doc.xref_object(int(value.split()[0]))
        elif kind == "array":
            text = value
        else:
            continue
        widths = _parse_widths(text)
        kept = sorted(gid for gid in used if gid in widths)
        runs: list[list[int]] = []
        for gid in kept:
            if runs and runs[-1][-1] == gid - 1:
                runs[-1].append(gid)
            else:
                runs.append([gid])
        array = " ".join(f"{run[0]} [{' '.join(widths[g] for g in run)}]" for run in runs)
        doc.xref_set_key(xref, "W", f"[{array}]")


def _merge_single_widget_fields(doc: pymupdf.Document) -> None:
    """Make each form field with a single widget one dictionary, as most producers do.

    MuPDF files a new field as a parent dictionary with the widget as its only kid. pyHanko's
    difference analysis then cannot match the widget's new appearance to the field when the
    field is filled after signing, and calls legitimate form filling "OTHER".
    """
    catalog = doc.pdf_catalog()
    kind, fields = doc.xref_get_key(catalog, "AcroForm/Fields")
    if kind != "array":
        return
    for page in doc.pages():
        for widget in page.widgets():
            kind, parent = doc.xref_get_key(widget.xref, "Parent")
            if kind != "xref":
                continue
            parent_xref = int(parent.split()[0])
            if doc.xref_get_key(parent_xref, "Kids")[1].count(" R") != 1:
                continue
            for key in doc.xref_get_keys(parent_xref):
                if key == "Kids":
                    continue
                kind, value = doc.xref_get_key(parent_xref, key)
                doc.xref_set_key(
                    widget.xref, key, pymupdf.get_pdf_str(value) if kind == "string" else value
                )
            doc.xref_set_key(widget.xref, "Parent", "null")
            fields = re.sub(rf"\b{parent_xref} 0 R", f"{widget.xref} 0 R", fields)
    doc.xref_set_key(catalog, "AcroForm/Fields", fields)


def page_text(data: bytes, page: int = 0) -> str:
    """Return PyMuPDF's plain text of one page of a PDF given as bytes."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return str(doc[page].get_text())


BIRTH_REGISTRATION_TITLE = "TỜ KHAI ĐĂNG KÝ KHAI SINH"
BIRTH_REGISTRATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("Kính gửi", "Ủy ban nhân dân phường Dịch Vọng, quận Cầu Giấy, thành phố Hà Nội"),
    ("Họ, chữ đệm, tên người yêu cầu", "Nguyễn Văn An"),
    ("Số định danh cá nhân", "001090001234"),
    ("Nơi cư trú", "Số 12, ngõ 34 phố Trần Thái Tông, phường Dịch Vọng, quận Cầu Giấy, Hà Nội"),
    ("Quan hệ với người được khai sinh", "Cha"),
    ("Họ, chữ đệm, tên người được khai sinh", "Nguyễn Thị Bảo Ngọc"),
    ("Ngày, tháng, năm sinh", "15/03/2025"),
    ("Giới tính", "Nữ"),
    ("Dân tộc", "Kinh"),
    ("Quốc tịch", "Việt Nam"),
)
"""A typical sample: the birth registration declaration (Tờ khai đăng ký khai sinh)."""


def make_birth_registration(
    *, pages: int = 1, images: bool = False, text_field: str | None = None, compress: bool = True
) -> bytes:
    """The sample birth registration declaration (see :func:`make_form_pdf` for options)."""
    return make_form_pdf(
        BIRTH_REGISTRATION_TITLE,
        BIRTH_REGISTRATION_FIELDS,
        pages=pages,
        images=images,
        text_field=text_field,
        compress=compress,
    )
