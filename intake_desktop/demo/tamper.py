"""Attacks on and damage to signed PDFs: the cases the signature engine must catch.

Every function takes the bytes of a (usually signed) PDF and returns new bytes; the docstring
says what changed at byte level and what a validator should conclude. Incremental attacks go
through PyMuPDF's incremental save, which appends to the file and never touches the bytes a
signature covers.

Coordinates here are PyMuPDF page coordinates (points, origin top-left), unlike
:func:`intake_desktop.demo.signing.sign_pdf`'s rectangles in PDF user space.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import pymupdf
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

from intake_desktop.demo.documents import font_path
from intake_desktop.demo.pki import VN_TZ, SignerIdentity

_BYTE_RANGE_RE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


@dataclass(frozen=True)
class ByteRange:
    """Where one signature's /ByteRange is written, and what it says."""

    start: int
    """Offset of ``/ByteRange`` in the file."""
    end: int
    """Offset just after its closing bracket."""
    values: tuple[int, int, int, int]
    """(0, length before /Contents, offset after /Contents, length after)."""

    @property
    def contents_start(self) -> int:
        """Offset of the ``<`` opening the /Contents hex string."""
        return self.values[1]

    @property
    def contents_end(self) -> int:
        """Offset just after the ``>`` closing the /Contents hex string."""
        return self.values[2]

    @property
    def signed_end(self) -> int:
        return self.values[2] + self.values[3]


def byte_ranges(data: bytes) -> list[ByteRange]:
    """The /ByteRange arrays written in the file, in file order (oldest signature first)."""
    found = []
    for m in _BYTE_RANGE_RE.finditer(data):
        a, b, c, d = (int(g) for g in m.groups())
        found.append(ByteRange(start=m.start(), end=m.end(), values=(a, b, c, d)))
    return sorted(found, key=lambda br: br.values[1])


def _byte_range(data: bytes, signature: int) -> ByteRange:
    ranges = byte_ranges(data)
    if not ranges:
        raise ValueError("no signature /ByteRange found: is the PDF signed?")
    return ranges[signature]


# --- byte-level damage ----------------------------------------------------------------------


@dataclass(frozen=True)
class ByteTarget:
    offset: int
    kind: Literal["content", "info", "comment"]
    """``content``: a glyph or digit in an uncompressed page content stream; ``info``: a letter
    of a document information string; ``comment``: the binary comment under the header."""


_HEX_STRING_RE = re.compile(rb"<([0-9A-Fa-f]{4,})>")
_LITERAL_DIGIT_RE = re.compile(rb"\(([^()\\]*?)(\d)[^()\\]*\)\s*T[Jj']")
_INFO_STRING_RE = re.compile(rb"/(?:Producer|Creator|Title|Author|Subject)\s*\(([^()\\]*)\)")
# TrueType fonts in the standard Macintosh glyph order (DejaVu, Liberation, Arial) keep the
# digits 0-9 at glyphs 19-28; MuPDF's subsets keep glyph numbers.
_DIGIT_GLYPHS = range(19, 28)


def _content_streams(data: bytes, limit: int) -> list[tuple[int, int]]:
    """(start, end) of the uncompressed page content streams defined before ``limit``."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        xrefs = [xref for page in doc.pages() for xref in page.get_contents()]
    spans = []
    for xref in xrefs:
        pattern = rb"(?<![0-9])%d 0 obj\s*<<(.*?)>>\s*stream\r?\n" % xref
        m = re.compile(pattern, re.DOTALL).search(data, 0, limit)
        if m is None or b"/Filter" in m.group(1):
            continue
        end = data.find(b"endstream", m.end(), limit)
        if end > 0:
            spans.append((m.end(), end))
    return spans


def _text_byte(data: bytes, start: int, end: int) -> int | None:
    """Offset of a byte to change in the text shown by a content stream, if any."""
    body = data[start:end]
    literal = _LITERAL_DIGIT_RE.search(body)
    if literal:
        return start + literal.start(2)
    first: int | None = None
    for m in _HEX_STRING_RE.finditer(body):
        codes = m.group(1)
        for i in range(0, len(codes) - 3, 4):
            if int(codes[i : i + 4], 16) in _DIGIT_GLYPHS:
                return start + m.start(1) + i + 3  # that digit becomes the next one
        if first is None:
            first = start + m.start(1) + 3
    return first


def signed_byte_target(data: bytes, signature: int = 0) -> ByteTarget:
    """Choose the byte :func:`flip_signed_byte` changes: in the original revision, inside the
    part of the file ``signature`` (0 = oldest) covers, where a change keeps it parseable.

    Prefers visible text in an uncompressed page content stream (a digit if it can find
    one), then a document information string, then the binary comment under the header.
    Raises ``ValueError`` if none exists.
    """
    limit = _byte_range(data, signature).contents_start
    first_eof = data.find(b"%%EOF")
    if 0 < first_eof < limit:
        limit = first_eof
    for start, end in _content_streams(data, limit):
        offset = _text_byte(data, start, end)
        if offset is not None:
            return ByteTarget(offset, "content")
    for m in _INFO_STRING_RE.finditer(data, 0, limit):
        for i in range(m.start(1), m.end(1)):
            if chr(data[i]).isalpha():
                return ByteTarget(i, "info")
    header_end = data.find(b"\n", 0, 32)
    if header_end > 0 and data[header_end + 1 : header_end + 2] == b"%":
        for i in range(header_end + 2, min(header_end + 10, limit)):
            if data[i] >= 0x80:
                return ByteTarget(i, "comment")
    raise ValueError("no byte found that can change without breaking the file")


def flip_signed_byte(data: bytes, signature: int = 0) -> bytes:
    """Change one byte that ``signature`` (0 = oldest) covers; the file still parses.

    See :func:`signed_byte_target` for which byte: a digit becomes another digit, a glyph code
    another glyph code, a letter changes case, a high byte in the header comment changes. The
    digest no longer matches: pyHanko reports ``intact=False``.
    """
    target = signed_byte_target(data, signature)
    out = bytearray(data)
    old = out[target.offset]
    char = chr(old)
    if char.isdigit():
        out[target.offset] = ord(str((int(char) + 1) % 10))
    elif target.kind == "content":  # a hex digit
        out[target.offset] = ord(format((int(char, 16) + 1) % 16, "X"))
    elif char.isalpha():
        out[target.offset] = ord(char.swapcase())
    else:
        out[target.offset] = old ^ 0x01
    return bytes(out)


def zero_signature(data: bytes, signature: int = -1) -> bytes:
    """Overwrite the hex digits of ``signature``'s /Contents (default: the newest) with "0".

    The file keeps its size and structure but the signature container is gone: pyHanko fails
    to parse the CMS (see the tests for the exact error).
    """
    br = _byte_range(data, signature)
    start, end = br.contents_start, br.contents_end
    if data[start : start + 1] != b"<" or data[end - 1 : end] != b">":
        raise ValueError("the /ByteRange gap does not hold a hex string")
    return data[: start + 1] + b"0" * (end - start - 2) + data[end - 1 :]


def shorten_byte_range(
    data: bytes,
    by: int = 16,
    *,
    signature: int = -1,
    resign_with: SignerIdentity | None = None,
    signing_time: datetime | None = None,
) -> bytes:
    """Make ``signature`` (default: the newest) cover ``by`` fewer bytes at its end.

    The /ByteRange is rewritten in place with the same width (padded with spaces), so its
    last ``by`` bytes (e.g. the end of the revision's trailer) fall outside the signature.
    Alone this breaks the digest (``intact=False``). With ``resign_with``, a new signature
    container over the shortened range replaces the old one, so the signature is intact but
    does not cover the whole revision: the "partial coverage" case.
    """
    br = _byte_range(data, signature)
    a, b, c, d = br.values
    if not 0 < by < d:
        raise ValueError(f"by must be between 1 and {d - 1}")
    text = f"/ByteRange [{a} {b} {c} {d - by}]".encode()
    width = br.end - br.start
    text += b" " * (width - len(text))
    out = data[: br.start] + text + data[br.end :]
    if resign_with is None:
        return out
    digest = hashlib.sha256(out[a : a + b] + out[c : c + d - by]).digest()
    moment = signing_time or datetime.now(VN_TZ).replace(microsecond=0)
    cms = asyncio.run(
        resign_with.simple_signer().async_sign(
            digest, "sha256", signed_attr_settings=PdfCMSSignedAttributes(signing_time=moment)
        )
    )
    hex_cms: bytes = cms.dump().hex().upper().encode()
    room = c - b - 2
    if len(hex_cms) > room:
        raise ValueError("the new signature container does not fit the reserved space")
    return out[: b + 1] + hex_cms.ljust(room, b"0") + out[c - 1 :]


def truncate(data: bytes, keep: float = 0.6) -> bytes:
    """Keep the first ``keep`` fraction of the file (an interrupted download)."""
    if not 0 < keep < 1:
        raise ValueError("keep must be between 0 and 1")
    return data[: int(len(data) * keep)]


# --- changes made with a PDF tool -----------------------------------------------------------


def _incremental(data: bytes, edit: Callable[[pymupdf.Document], None]) -> bytes:
    """Open ``data`` in PyMuPDF, apply ``edit`` and append its changes as a new revision."""
    # PyMuPDF saves incrementally only into the file it opened, so go through a temp file.
    with tempfile.TemporaryDirectory(prefix="intake-demo-") as folder:
        path = os.path.join(folder, "document.pdf")
        with open(path, "wb") as fh:
            fh.write(data)
        doc = pymupdf.open(path)
        try:
            if not doc.can_save_incrementally():
                raise ValueError("PyMuPDF had to repair this file: it cannot append to it")
            edit(doc)
            # Keep the trailer ID: the same edit of the same file gives the same bytes.
            doc.save(
                path,
                incremental=True,
                no_new_id=True,
                encryption=pymupdf.mupdf.PDF_ENCRYPT_KEEP,
            )
        finally:
            doc.close()
        with open(path, "rb") as fh:
            out = fh.read()
    if not out.startswith(data):  # pragma: no cover - would mean MuPDF rewrote signed bytes
        raise RuntimeError("PyMuPDF changed bytes of the original revision")
    return out


def _text_page(
    width: float, height: float, items: list[tuple[pymupdf.Point, str, float]]
) -> pymupdf.Document:
    """A one-page PDF with Vietnamese text, to stamp onto another page as a form XObject.

    Embedding DejaVu through a separate document lets PyMuPDF subset it, so the attack's
    revision stays small (inserting the font into the signed file embeds all of it).
    """
    src = pymupdf.open()
    page = src.new_page(width=width, height=height)
    page.insert_font(fontname="dvs", fontfile=font_path())
    for point, text, size in items:
        page.insert_text(point, text, fontname="dvs", fontsize=size, color=(0, 0, 0))
    src.subset_fonts()
    data = src.tobytes(garbage=3, deflate=True, no_new_id=True)
    src.close()
    return pymupdf.open(stream=data, filetype="pdf")


def incremental_replace_text(data: bytes, old: str, new: str, *, page: int = 0) -> bytes:
    """Append a revision in which page ``page`` shows ``new`` wherever it showed ``old``.

    The "shadow replace" attack: the page's content stream is rewritten without ``old``
    (PyMuPDF redaction of its glyphs only) and ``new`` is drawn in its place from a new form
    XObject. Only page content is touched, matched with its case; text drawn by annotations
    such as a signature stamp is left alone. The signed revision is untouched, so pyHanko
    still finds the signature intact and valid, but its difference analysis rates the change
    OTHER (bottom_line False).

    Raises ``ValueError`` if ``old`` is not on the page.
    """

    def edit(doc: pymupdf.Document) -> None:
        target = doc[page]
        # search_for ignores case and also finds text drawn by annotations (the signature
        # stamp): keep matches in page content whose span has ``old`` with the same case.
        covered = [w.rect for w in target.widgets()] + [a.rect for a in target.annots()]
        spans = [
            span
            for block in target.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
            if old in span["text"]
        ]
        items = []
        for rect in target.search_for(old):
            if any(rect.intersects(area) for area in covered):
                continue
            span = next((s for s in spans if rect.intersects(pymupdf.Rect(s["bbox"]))), None)
            if span is None:
                continue
            target.add_redact_annot(rect)
            baseline = float(span["origin"][1])
            items.append((pymupdf.Point(rect.x0, baseline), new, float(span["size"])))
        if not items:
            raise ValueError(f"{old!r} is not on page {page + 1}")
        target.apply_redactions(
            images=pymupdf.mupdf.PDF_REDACT_IMAGE_NONE,
            graphics=pymupdf.mupdf.PDF_REDACT_LINE_ART_NONE,
        )
        with _text_page(target.rect.width, target.rect.height, items) as src:
            target.show_pdf_page(target.rect, src, 0)

    return _incremental(data, edit)


def incremental_overlay(
    data: bytes,
    text: str,
    *,
    page: int = 0,
    at: tuple[float, float] = (70.0, 560.0),
    size: float = 16.0,
) -> bytes:
    """Append a revision that draws ``text`` on top of page ``page`` (the "overlay" attack).

    The page gets an extra content stream painting a form XObject; nothing is removed. The
    signature stays intact; pyHanko's difference analysis rates the change OTHER.
    """

    def edit(doc: pymupdf.Document) -> None:
        target = doc[page]
        items = [(pymupdf.Point(*at), text, size)]
        with _text_page(target.rect.width, target.rect.height, items) as src:
            target.show_pdf_page(target.rect, src, 0)

    return _incremental(data, edit)


def add_annotation(
    data: bytes,
    text: str,
    *,
    kind: Literal["note", "freetext"] = "note",
    page: int = 0,
    at: tuple[float, float] = (480.0, 300.0),
) -> bytes:
    """Append a revision adding a comment: a sticky note (``note``) or a text box.

    The page's /Annots gains one markup annotation (plus its appearance and, for a note, a
    popup); the content is unchanged. pyHanko's default policy rates this OTHER; a policy
    that accepts annotations rates it ANNOTATIONS. A text box is drawn with Helvetica, so
    its appearance only renders unaccented text well.
    """

    def edit(doc: pymupdf.Document) -> None:
        target = doc[page]
        x, y = at
        if kind == "note":
            target.add_text_annot(pymupdf.Point(x, y), text)
        else:
            target.add_freetext_annot(pymupdf.Rect(x - 200, y, x + 60, y + 40), text, fontsize=11)

    return _incremental(data, edit)


def fill_form_field(data: bytes, field_name: str, value: str) -> bytes:
    """Append a revision that fills text field ``field_name`` with ``value``.

    Only the field's value and its widget's appearance change: pyHanko rates this
    FORM_FILLING, allowed after an ordinary (non-certifying) signature. Use a form made with
    ``make_form_pdf(..., text_field=...)``. Raises ``KeyError`` if there is no such field.
    """

    def edit(doc: pymupdf.Document) -> None:
        for target in doc.pages():
            for widget in target.widgets():
                if widget.field_name == field_name:
                    widget.field_value = value
                    widget.update()
                    return
        raise KeyError(f"no form field named {field_name!r}")

    return _incremental(data, edit)


# --- whole-file rewrites --------------------------------------------------------------------


def full_resave(data: bytes) -> bytes:
    """Open and save the whole file again with PyMuPDF (garbage collection, compression).

    What a "save as" in many tools does: objects are renumbered and moved, the revisions are
    merged into one, and the /ByteRange values still written in the signature dictionary
    point at unrelated bytes. The signature can no longer be checked against its document.
    """
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return bytes(doc.tobytes(garbage=4, deflate=True, clean=True, no_new_id=True))


def encrypt(data: bytes, user_password: str = "1234", owner_password: str | None = None) -> bytes:
    """Save the PDF again with AES-256 encryption and a password needed to open it.

    PyMuPDF's ``needs_pass`` is True for the result; it is a full rewrite, so any signature
    is broken as with :func:`full_resave`.
    """
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return bytes(
            doc.tobytes(
                encryption=pymupdf.mupdf.PDF_ENCRYPT_AES_256,
                user_pw=user_password,
                owner_pw=owner_password or f"{user_password}-owner",
                garbage=3,
                deflate=True,
            )
        )


def not_a_pdf(kind: Literal["jpeg", "html", "text", "empty"] = "jpeg") -> bytes:
    """Bytes that arrive with a .pdf name but are not a PDF.

    ``jpeg``: a photo of a paper form; ``html``: a portal's "session expired" page saved
    instead of the file; ``text``: a plain note; ``empty``: a zero-byte upload.
    """
    if kind == "jpeg":
        pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 32, 24), False)
        pix.set_rect(pix.irect, (200, 180, 150))
        return bytes(pix.tobytes("jpg"))
    if kind == "html":
        return (
            '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            "<title>Phiên đăng nhập đã hết hạn</title></head>"
            "<body><h1>Phiên đăng nhập đã hết hạn</h1>"
            "<p>Vui lòng đăng nhập lại Cổng Dịch vụ công.</p></body></html>\n"
        ).encode()
    if kind == "text":
        return "Tệp này không phải PDF: hồ sơ sẽ được bổ sung sau.\n".encode()
    if kind == "empty":
        return b""
    raise ValueError(f"unknown kind {kind!r}")
