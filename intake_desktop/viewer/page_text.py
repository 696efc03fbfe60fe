"""A page's words for selection, copying and search that ignores Vietnamese diacritics.

Built from PyMuPDF's ``get_text("words")`` (fast, C-level) rather than per-character
extraction (about seven times slower in Python). Character boxes inside a word are
interpolated evenly across the word's box: exact for digits (a CCCD number), within a
fraction of a letter for proportional text. Coordinates are in text space (see
:mod:`.pdf_pages`). No Qt here: the worker processes search with this module.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import unicodedata
from functools import cache

import pymupdf

from intake_desktop.services.pdf_pages import Rect4

Word = tuple[float, float, float, float, str, int]
"""x0, y0, x1, y1, text, line number on the page (reading order)."""


@cache
def _fold_char(ch: str) -> str:
    """One character folded for diacritic-insensitive matching, always one character long."""
    if ch.isspace():
        return " "
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


@cache
def _lower_char(ch: str) -> str:
    if ch.isspace():
        return " "
    low = ch.lower()
    return low if len(low) == 1 else ch


def _fold(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)


def _lower(text: str) -> str:
    return "".join(_lower_char(ch) for ch in text)


def normalise_query(query: str) -> tuple[str, bool]:
    """(query ready to match, whether to match diacritics exactly).

    A query typed without diacritics ("nguyen van an") matches any marks ("NGUYỄN VĂN AN");
    one typed with them ("Nhưng") matches only those letters, in any case.
    """
    collapsed = " ".join(unicodedata.normalize("NFC", query).split())
    folded = _fold(collapsed)
    exact = folded != _lower(collapsed)
    return (_lower(collapsed) if exact else folded), exact


class PageText:
    """The words of one page, the page's plain text, and where each character sits."""

    __slots__ = ("_owners", "_starts", "text", "words")

    def __init__(self, words: tuple[Word, ...]) -> None:
        self.words = words
        # One space between words and a newline between lines; for each character of the
        # text the word it belongs to (-1 for separators), and where each word starts.
        parts: list[str] = []
        self._owners: list[int] = []
        self._starts: list[int] = []
        pos = 0
        for i, (*_box, text, line) in enumerate(words):
            if i:
                parts.append("\n" if line != words[i - 1][5] else " ")
                self._owners.append(-1)
                pos += 1
            self._starts.append(pos)
            parts.append(text)
            self._owners.extend([i] * len(text))
            pos += len(text)
        self.text = "".join(parts)

    def __reduce__(self) -> tuple[type[PageText], tuple[tuple[Word, ...]]]:
        return PageText, (self.words,)

    @property
    def empty(self) -> bool:
        return not self.words

    def _char_box(self, index: int) -> Rect4:
        word = self._owners[index]
        x0, y0, x1, y1, text, _line = self.words[word]
        k = index - self._starts[word]
        step = (x1 - x0) / max(1, len(text))
        return (x0 + step * k, y0, x0 + step * (k + 1), y1)

    def caret_at(self, x: float, y: float) -> int:
        """Index in :attr:`text` of the caret nearest to the point (x, y)."""
        if not self.words:
            return 0
        # The nearest line: the one whose words' vertical span contains y, else the closest.
        best_word = min(
            range(len(self.words)),
            key=lambda i: (_gap(y, self.words[i][1], self.words[i][3]), _gap(x, *_xs(self, i))),
        )
        line = self.words[best_word][5]
        candidates = [i for i, w in enumerate(self.words) if w[5] == line]
        word = min(candidates, key=lambda i: _gap(x, *_xs(self, i)))
        x0, _y0, x1, _y1, text, _line = self.words[word]
        step = (x1 - x0) / max(1, len(text))
        k = min(len(text), max(0, round((x - x0) / step))) if step > 0 else 0
        return self._starts[word] + k

    def boxes(self, start: int, end: int) -> list[Rect4]:
        """Highlight boxes for ``text[start:end]``, one per line."""
        start, end = max(0, min(start, end)), min(len(self.text), max(start, end))
        by_line: dict[int, list[float]] = {}
        for index in range(start, end):
            word = self._owners[index]
            if word < 0:
                continue
            x0, y0, x1, y1 = self._char_box(index)
            line = self.words[word][5]
            box = by_line.get(line)
            if box is None:
                by_line[line] = [x0, y0, x1, y1]
            else:
                box[0], box[1] = min(box[0], x0), min(box[1], y0)
                box[2], box[3] = max(box[2], x1), max(box[3], y1)
        return [(b[0], b[1], b[2], b[3]) for b in by_line.values()]

    def find(self, query: str) -> list[list[Rect4]]:
        """Every match of ``query`` (see :func:`normalise_query`), as boxes per match."""
        needle, exact = normalise_query(query)
        if not needle:
            return []
        hay = _lower(self.text) if exact else _fold(self.text)
        hits = []
        pos = hay.find(needle)
        while pos >= 0:
            hits.append(self.boxes(pos, pos + len(needle)))
            pos = hay.find(needle, pos + len(needle))
        return hits


def _xs(page: PageText, i: int) -> tuple[float, float]:
    return page.words[i][0], page.words[i][2]


def _gap(v: float, lo: float, hi: float) -> float:
    return 0.0 if lo <= v <= hi else min(abs(v - lo), abs(v - hi))


def extract(page: pymupdf.Page) -> PageText:
    """The words of ``page`` in reading order."""
    lines: dict[tuple[int, int], int] = {}
    words: list[Word] = []
    for x0, y0, x1, y1, text, block, line, _n in page.get_text("words"):
        number = lines.setdefault((block, line), len(lines))
        words.append((float(x0), float(y0), float(x1), float(y1), str(text), number))
    return PageText(tuple(words))


def search_file(
    path: str, filetype: str, pages: list[int], query: str
) -> list[tuple[int, list[list[Rect4]]]]:
    """Search ``pages`` of the document at ``path``; (page, matches) for pages with matches.

    Runs in a worker process: the document is opened here and closed before returning.
    """
    found: list[tuple[int, list[list[Rect4]]]] = []
    with pymupdf.open(path, filetype=filetype) as doc:
        for number in pages:
            if number >= doc.page_count:
                break
            hits = extract(doc[number]).find(query)
            if hits:
                found.append((number, hits))
    return found
