"""Where two versions of a document look different: pixel comparison of their pages.

Both documents are rendered page by page at the same resolution; changed pixels are grouped
into cells, neighbouring cells are merged into boxes, and each box is returned in PDF user
space (origin bottom-left, like :attr:`SignatureReport.rect`). Unchanged pages produce
nothing. No Qt here: it runs in worker processes, and the signature changes report uses it.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pymupdf

from intake_desktop.services.pdf_pages import (
    PageGeometry,
    Rect4,
    invert,
    page_geometry,
    transform_rect,
)

DEFAULT_ZOOM = 1.5
"""Pixels per point for the comparison (108 dpi): 8-point digits are still several pixels
tall, and an A4 page is about a megapixel."""
CELL = 4
"""Changed pixels are grouped into square cells of this many pixels before merging."""
MERGE_GAP = (10, 2)
"""Boxes closer than this many cells across (about 27 points at the default zoom) or down
(about 5 points) become one: a changed number is one box, not one per changed digit, but
neighbouring lines stay apart."""
THRESHOLD = 24
"""A pixel differs when a colour channel differs by more than this (of 255): ignores
anti-aliasing noise, catches any visible stroke."""


class Side(enum.StrEnum):
    BOTH = "both"
    """The page exists in both versions and changed inside :attr:`PageChange.rects`."""
    OLD_ONLY = "old_only"
    """The page exists only in the older version (removed since)."""
    NEW_ONLY = "new_only"
    """The page exists only in the newer version (added since)."""
    RESIZED = "resized"
    """The page exists in both but its size or rotation changed: the whole page differs."""


@dataclass(frozen=True)
class PageChange:
    page: int
    """Page index, from 0, in both documents."""
    rects: tuple[Rect4, ...]
    """Changed regions in PDF user space (x0, y0, x1, y1), in the newer document's page when
    it has the page, else the older one's. The whole page when :attr:`side` is not BOTH."""
    side: Side = Side.BOTH


Pixels = npt.NDArray[np.uint8]


def changed_boxes(
    old: Pixels, new: Pixels, *, cell: int = CELL, gap: tuple[int, int] = MERGE_GAP
) -> list[tuple[int, int, int, int]]:
    """Pixel boxes (x0, y0, x1, y1, exclusive ends) around the differences of two images.

    ``old`` and ``new`` are ``height x width x channels`` arrays of the same shape.
    """
    if old.shape != new.shape:
        raise ValueError("images differ in size")
    diff = np.abs(old.astype(np.int16) - new.astype(np.int16)) > THRESHOLD
    mask = diff.any(axis=2) if diff.ndim == 3 else diff
    if not mask.any():
        return []
    h, w = mask.shape
    rows, cols = -(-h // cell), -(-w // cell)
    padded = np.zeros((rows * cell, cols * cell), dtype=bool)
    padded[:h, :w] = mask
    cells = np.asarray(padded.reshape(rows, cell, cols, cell).any(axis=(1, 3)), dtype=np.bool_)
    grown = _dilate(cells, gap)
    boxes = []
    for component in _components(grown):
        # The box of the really changed cells of this merged group.
        sub = cells[component[1] : component[3], component[0] : component[2]]
        ys, xs = np.nonzero(sub)
        y0, y1 = component[1] + int(ys.min()), component[1] + int(ys.max()) + 1
        x0, x1 = component[0] + int(xs.min()), component[0] + int(xs.max()) + 1
        boxes.append((x0 * cell, y0 * cell, min(w, x1 * cell), min(h, y1 * cell)))
    return boxes


def _dilate(cells: npt.NDArray[np.bool_], gap: tuple[int, int]) -> npt.NDArray[np.bool_]:
    """Grow each changed cell by half the gap each way (x, y), so nearby groups touch."""
    grown = cells.copy()
    across, down = (gap[0] + 1) // 2, (gap[1] + 1) // 2
    for _ in range(across):
        step = grown.copy()
        step[:, 1:] |= grown[:, :-1]
        step[:, :-1] |= grown[:, 1:]
        grown = step
    for _ in range(down):
        step = grown.copy()
        step[1:, :] |= grown[:-1, :]
        step[:-1, :] |= grown[1:, :]
        grown = step
    return grown


def _components(mask: npt.NDArray[np.bool_]) -> Iterator[tuple[int, int, int, int]]:
    """Bounding boxes (x0, y0, x1, y1 in cells, exclusive ends) of 4-connected groups."""
    seen = np.zeros_like(mask)
    rows, cols = mask.shape
    for y, x in zip(*np.nonzero(mask), strict=True):
        if seen[y, x]:
            continue
        seen[y, x] = True
        stack = [(int(y), int(x))]
        y0, y1, x0, x1 = int(y), int(y), int(x), int(x)
        while stack:
            cy, cx = stack.pop()
            y0, y1, x0, x1 = min(y0, cy), max(y1, cy), min(x0, cx), max(x1, cx)
            for ny, nx in ((cy - 1, cx), (cy + 1, cx), (cy, cx - 1), (cy, cx + 1)):
                if 0 <= ny < rows and 0 <= nx < cols and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        yield (x0, y0, x1 + 1, y1 + 1)


def _pixels(page: pymupdf.Page, zoom: float) -> Pixels:
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    rows = np.frombuffer(pix.samples_mv, dtype=np.uint8).reshape(pix.height, pix.stride)
    # Copy: the memoryview does not keep the pixmap's memory alive.
    return rows[:, : pix.width * pix.n].reshape(pix.height, pix.width, pix.n).copy()


def _to_user(box: Rect4, geometry: PageGeometry) -> Rect4:
    """Page-space box to PDF user space (page space itself when there is no user space)."""
    if geometry.user_matrix is None:
        return box
    return transform_rect(box, invert(geometry.user_matrix))


def _whole(geometry: PageGeometry) -> Rect4:
    return _to_user((0.0, 0.0, geometry.width, geometry.height), geometry)


def compare_pages(
    old: pymupdf.Document,
    new: pymupdf.Document,
    pages: Sequence[int],
    *,
    zoom: float = DEFAULT_ZOOM,
) -> list[PageChange]:
    """Compare ``pages`` (indexes) of two open documents; changed pages only, in order."""
    changes = []
    for number in pages:
        in_old, in_new = number < old.page_count, number < new.page_count
        if not (in_old or in_new):
            continue
        if not in_new:
            changes.append(PageChange(number, (_whole(page_geometry(old[number])),), Side.OLD_ONLY))
            continue
        new_page = new[number]
        new_geometry = page_geometry(new_page)
        if not in_old:
            changes.append(PageChange(number, (_whole(new_geometry),), Side.NEW_ONLY))
            continue
        old_page = old[number]
        old_geometry = page_geometry(old_page)
        if (round(old_geometry.width, 2), round(old_geometry.height, 2)) != (
            round(new_geometry.width, 2),
            round(new_geometry.height, 2),
        ):
            changes.append(PageChange(number, (_whole(new_geometry),), Side.RESIZED))
            continue
        boxes = changed_boxes(_pixels(old_page, zoom), _pixels(new_page, zoom))
        if boxes:
            rects = tuple(
                _to_user((x0 / zoom, y0 / zoom, x1 / zoom, y1 / zoom), new_geometry)
                for x0, y0, x1, y1 in boxes
            )
            changes.append(PageChange(number, rects))
    return changes


def compare_files(
    old_path: str, new_path: str, pages: Sequence[int] | None = None, zoom: float = DEFAULT_ZOOM
) -> list[PageChange]:
    """Compare two documents on disk (all pages, or ``pages``); for worker processes.

    Raises what PyMuPDF raises for unreadable files.
    """
    with pymupdf.open(old_path) as old, pymupdf.open(new_path) as new:
        if pages is None:
            pages = range(max(old.page_count, new.page_count))
        return compare_pages(old, new, pages, zoom=zoom)


def compare_bytes(old: bytes, new: bytes, zoom: float = DEFAULT_ZOOM) -> list[PageChange]:
    """Compare two PDFs given as bytes, every page."""
    with (
        pymupdf.open(stream=old, filetype="pdf") as a,
        pymupdf.open(stream=new, filetype="pdf") as b,
    ):
        return compare_pages(a, b, range(max(a.page_count, b.page_count)), zoom=zoom)


def page_count(path: str) -> int:
    """Number of pages of the document at ``path`` (for splitting work across processes)."""
    with pymupdf.open(path) as doc:
        return int(doc.page_count)
