"""Opening documents with PyMuPDF, page geometry and rendering into a caller's buffer.

No Qt here: the viewer's render process and the worker processes share this module. Every function
that takes a ``pymupdf.Document`` or ``Page`` must be called from the one thread that owns
that document.

Coordinate spaces (all in points):

- *PDF user space*: origin bottom-left, as in ``/Rect`` and :class:`SignatureReport.rect`.
- *text space*: PyMuPDF's unrotated page space, origin top-left of the CropBox; what
  ``get_text`` and ``search_for`` return.
- *page space*: the page as displayed at rotation 0 by the viewer, after the page's own
  ``/Rotate``; ``(0, 0, width, height)``.

``PageGeometry`` carries the matrices from the first two to page space. PyMuPDF's
``Page.transformation_matrix`` ignores the CropBox offset on rotated pages, so the user-space
matrix comes from MuPDF's ``pdf_page_transform`` instead.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from pymupdf import mupdf

Matrix6 = tuple[float, float, float, float, float, float]
"""An affine matrix as PyMuPDF and QTransform write it: x' = a·x + c·y + e, y' = b·x + d·y + f."""
Rect4 = tuple[float, float, float, float]

IDENTITY: Matrix6 = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
HUGE_PAGE_POINTS = 14400.0
"""The largest page side PDF 1.x allows (200 inches); beyond it we tell the officer."""


@dataclass(frozen=True)
class PageGeometry:
    width: float
    height: float
    """Page size in points after the page's ``/Rotate``."""
    text_matrix: Matrix6
    """Text space to page space."""
    user_matrix: Matrix6 | None
    """PDF user space to page space (None for images)."""

    @property
    def huge(self) -> bool:
        return max(self.width, self.height) > HUGE_PAGE_POINTS


def open_document(data: bytes | memoryview | Path, filetype: str) -> pymupdf.Document:
    """Open ``data`` (or the file at that path) with PyMuPDF as ``filetype``, whatever the
    file's name says; raises whatever PyMuPDF raises for unreadable input."""
    if isinstance(data, Path):
        return pymupdf.open(data, filetype=filetype)
    return pymupdf.open(stream=data, filetype=filetype)


def page_geometry(page: pymupdf.Page) -> PageGeometry:
    rect = page.rect
    text_matrix = _m6(page.rotation_matrix)
    user_matrix: Matrix6 | None = None
    pdf_page = mupdf.pdf_page_from_fz_page(page.this)
    if pdf_page.m_internal is not None:
        mediabox, ctm = mupdf.FzRect(), mupdf.FzMatrix()
        mupdf.pdf_page_transform(pdf_page, mediabox, ctm)
        user_matrix = (ctm.a, ctm.b, ctm.c, ctm.d, ctm.e, ctm.f)
    return PageGeometry(float(rect.width), float(rect.height), text_matrix, user_matrix)


def _m6(m: pymupdf.Matrix) -> Matrix6:
    return (float(m.a), float(m.b), float(m.c), float(m.d), float(m.e), float(m.f))


def concat(m1: Matrix6, m2: Matrix6) -> Matrix6:
    """``m1`` then ``m2``."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def invert(m: Matrix6) -> Matrix6:
    a, b, c, d, e, f = m
    det = a * d - b * c
    if det == 0:
        raise ValueError("matrix is not invertible")
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def transform_rect(rect: Rect4, m: Matrix6) -> Rect4:
    """The bounding box of ``rect`` mapped by ``m`` (normalised: x0 <= x1, y0 <= y1)."""
    x0, y0, x1, y1 = rect
    a, b, c, d, e, f = m
    xs = [a * x + c * y + e for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    ys = [b * x + d * y + f for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    return (min(xs), min(ys), max(xs), max(ys))


def orientation(width: float, height: float, rotation: int) -> Matrix6:
    """Turn a ``width`` x ``height`` page clockwise by ``rotation`` (0/90/180/270) degrees,
    keeping it at the origin. Same convention as ``pymupdf.Matrix(rotation)`` and QTransform."""
    rotation %= 360
    if rotation == 90:
        return (0.0, 1.0, -1.0, 0.0, height, 0.0)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, -1.0, width, height)
    if rotation == 270:
        return (0.0, -1.0, 1.0, 0.0, 0.0, width)
    return IDENTITY


def pixel_size(width: float, height: float, rotation: int, scale: float) -> tuple[int, int]:
    """Device pixels of a page ``width`` x ``height`` points shown at ``scale`` px/pt."""
    if rotation % 180:
        width, height = height, width
    return max(1, math.ceil(width * scale - 0.01)), max(1, math.ceil(height * scale - 0.01))


def device_matrix(geometry: PageGeometry, rotation: int, size: tuple[int, int]) -> Matrix6:
    """Page space to device pixels of a page image ``size`` (from :func:`pixel_size`).

    Stretches to the exact integer size, so the viewer and the renderer never disagree by a
    rounding pixel.
    """
    turned = orientation(geometry.width, geometry.height, rotation)
    w, h = (
        (geometry.height, geometry.width) if rotation % 180 else (geometry.width, geometry.height)
    )
    return concat(turned, (size[0] / w, 0.0, 0.0, size[1] / h, 0.0, 0.0))


def display_list(page: pymupdf.Page) -> mupdf.FzDisplayList:
    """The page's drawing commands (contents, annotations, form widgets), interpreted once:
    rendering it piece by piece then costs only the drawing of each piece."""
    return mupdf.fz_new_display_list_from_page(page.this)


def render_into(
    content: pymupdf.Page | mupdf.FzDisplayList,
    ctm: Matrix6,
    clip: tuple[int, int, int, int],
    buffer: memoryview,
    stride: int,
) -> None:
    """Render a page, or its :func:`display_list`, into ``buffer``.

    ``ctm`` maps page space to device pixels of the whole page image; ``clip`` is (x, y,
    width, height) in those pixels: the piece to draw. ``buffer`` receives RGB, 3 bytes a
    pixel, rows ``stride`` bytes apart (a QImage's Format_RGB888 memory): MuPDF draws
    straight into it, which saves copying the image once more. Annotations and form widgets
    (signature appearances) are drawn too.
    """
    x, y, w, h = clip
    if len(buffer) < stride * h or stride < 3 * w:
        raise ValueError("buffer too small for the clip")
    # fz_run_page already applies the page's /Rotate: map page space to device, shifted so the
    # clip's corner is the buffer's origin.
    shifted = mupdf.FzMatrix(*concat(ctm, (1.0, 0.0, 0.0, 1.0, -float(x), -float(y))))
    pix = mupdf.fz_new_pixmap_with_data(
        mupdf.fz_device_rgb(),
        w,
        h,
        mupdf.FzSeparations(),
        0,
        stride,
        mupdf.python_mutable_buffer_data(buffer),
    )
    mupdf.fz_clear_pixmap_with_value(pix, 255)
    device = mupdf.fz_new_draw_device(mupdf.FzMatrix(), pix)
    try:
        if isinstance(content, mupdf.FzDisplayList):
            # Only commands whose box meets the clip are drawn.
            area = mupdf.FzRect(0, 0, w, h)
            mupdf.fz_run_display_list(content, device, shifted, area, mupdf.FzCookie())
        else:
            mupdf.fz_run_page(content.this, device, shifted, mupdf.FzCookie())
        mupdf.fz_close_device(device)
    finally:
        # The pixmap only borrows ``buffer``: drop it before the caller's memory can move.
        del device, pix


def render_rgb(page: pymupdf.Page, zoom: float) -> tuple[int, int, bytes]:
    """The whole page at ``zoom`` (pixels per point) as (width, height, packed RGB bytes)."""
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    if pix.stride == pix.width * 3:
        return pix.width, pix.height, bytes(pix.samples_mv)
    rows = bytearray()
    mv = pix.samples_mv
    for row in range(pix.height):
        rows += mv[row * pix.stride : row * pix.stride + pix.width * 3]
    return pix.width, pix.height, bytes(rows)


def render_file_page(path: str, filetype: str, page: int, zoom: float) -> tuple[int, int, bytes]:
    """:func:`render_rgb` of one page of the document at ``path`` (for worker processes)."""
    with pymupdf.open(path, filetype=filetype) as doc:
        return render_rgb(doc[page], zoom)


def render_thumbnails(
    path: str, filetype: str, rotation: int, wanted: Sequence[tuple[int, int, int]]
) -> list[tuple[int, int, int, bytes]]:
    """Small images of pages for a worker process: ``wanted`` is (page, width, height) in
    pixels; returns (page, width, height, packed RGB) for each page that could be drawn."""
    done = []
    with pymupdf.open(path, filetype=filetype) as doc:
        for number, w, h in wanted:
            if not 0 <= number < doc.page_count:
                continue
            page = doc[number]
            buffer = bytearray(w * h * 3)
            try:
                ctm = device_matrix(page_geometry(page), rotation, (w, h))
                render_into(page, ctm, (0, 0, w, h), memoryview(buffer), w * 3)
            except Exception:  # noqa: BLE001 - a page that cannot be drawn keeps its placeholder
                continue
            done.append((number, w, h, bytes(buffer)))
    return done


def user_rects_to_page(rects: Sequence[Rect4], geometry: PageGeometry) -> list[Rect4]:
    """PDF user-space rectangles in page space (unchanged when the page has no user space)."""
    if geometry.user_matrix is None:
        return list(rects)
    return [transform_rect(r, geometry.user_matrix) for r in rects]
