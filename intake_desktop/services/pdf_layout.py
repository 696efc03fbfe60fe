"""Flowing Vietnamese text onto A4 pages with PyMuPDF, in the shipped DejaVu Sans.

PyMuPDF's base-14 fonts have no Vietnamese glyphs; DejaVu Sans does, and is embedded (as
a subset) so every reader shows and extracts the exact text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pymupdf

from intake_desktop.paths import resource

A4_WIDTH, A4_HEIGHT = 595.0, 842.0
REGULAR, BOLD, ITALIC = "dvs", "dvsb", "dvsi"
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans.ttf",  # DejaVu Sans Oblique is not shipped; regular stands in
}


def font_path(name: str = REGULAR) -> str:
    return str(resource("fonts", _FILES[name]))


@functools.cache
def font(name: str = REGULAR) -> pymupdf.Font:
    return pymupdf.Font(fontfile=font_path(name))


@functools.cache
def _advance(name: str, char: str) -> float:
    return float(font(name).text_length(char, fontsize=1.0))


def text_width(text: str, size: float, name: str = REGULAR) -> float:
    """Width in points; MuPDF's own measure goes through C for every character, so each
    character's advance is measured once and summed (the same result, 50x faster)."""
    return size * sum(_advance(name, char) for char in text)


def elide(text: str, width: float, size: float, name: str = REGULAR) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (whole when it fits)."""
    if text_width(text, size, name) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis (a binary search)
        middle = (low + high + 1) // 2
        if text_width(text[:middle] + "…", size, name) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def wrap(text: str, width: float, size: float, name: str = REGULAR) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` (words longer than a line stay whole)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, name) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


@dataclass
class Margins:
    left: float = 62.0
    right: float = A4_WIDTH - 48.0
    top: float = 48.0
    bottom: float = A4_HEIGHT - 48.0


class PageFlow:
    """Writes lines down the pages of a document, adding pages as needed.

    ``y`` is the baseline of the last line written; each call moves it down first.
    """

    def __init__(self, doc: pymupdf.Document, margins: Margins | None = None) -> None:
        self.doc = doc
        self.margins = margins or Margins()
        self.page = self._new_page()
        self.y = self.margins.top

    @property
    def width(self) -> float:
        return self.margins.right - self.margins.left

    def _new_page(self) -> pymupdf.Page:
        page = self.doc.new_page(width=A4_WIDTH, height=A4_HEIGHT)
        for name in (REGULAR, BOLD):
            page.insert_font(fontname=name, fontfile=font_path(name))
        return page

    def next_page(self) -> None:
        self.page = self._new_page()
        self.y = self.margins.top

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` more points fit on this one."""
        if self.y + height > self.margins.bottom:
            self.next_page()

    def text_at(self, x: float, text: str, *, size: float = 11, bold: bool = False) -> None:
        self.page.insert_text((x, self.y), text, fontname=BOLD if bold else REGULAR, fontsize=size)

    def line(
        self,
        text: str,
        *,
        size: float = 11,
        bold: bool = False,
        indent: float = 0.0,
        gap: float = 1.45,
    ) -> None:
        """Wrap ``text`` to the text width and write it, flowing onto new pages."""
        name = BOLD if bold else REGULAR
        for part in wrap(text, self.width - indent, size, name):
            self.room(size * gap)
            self.y += size * gap
            self.text_at(self.margins.left + indent, part, size=size, bold=bold)

    def centered(
        self,
        text: str,
        *,
        size: float = 11,
        bold: bool = False,
        x0: float | None = None,
        x1: float | None = None,
        advance: bool = True,
        gap: float = 1.45,
    ) -> None:
        """Write ``text`` centred between ``x0`` and ``x1`` (the margins by default)."""
        left = self.margins.left if x0 is None else x0
        right = self.margins.right if x1 is None else x1
        if advance:
            self.room(size * gap)
            self.y += size * gap
        width = text_width(text, size, BOLD if bold else REGULAR)
        self.text_at(left + (right - left - width) / 2, text, size=size, bold=bold)

    def skip(self, points: float) -> None:
        self.room(points)
        self.y += points
