"""The render process: it owns the viewer's PyMuPDF documents and draws their pages.

PyMuPDF holds the GIL for the whole of a page render (10-20 ms for a full-HD page), so in
the GUI process every page turn waited for the window and the window for every page
(measured: a cold page turn at 2.5x mutool's render time). In a process of its own the
render runs on the other core while the GUI process's render thread (:mod:`.render`) waits
on the pipe with the GIL released. One thread here does everything, so each Document has a
single owner. No Qt here.

The parent sends one request at a time and reads exactly one reply for each. Page pixels
go through shared memory the parent owns (:class:`RenderPage` names the segment); files
given as bytes come the same way, and MuPDF reads them in place.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import enum
import gc
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path

import pymupdf
from pymupdf import mupdf

from intake_desktop.services.pdf_pages import (
    PageGeometry,
    device_matrix,
    display_list,
    open_document,
    page_geometry,
    render_into,
)
from intake_desktop.viewer import page_text
from intake_desktop.viewer.cache import RenderKey

log = logging.getLogger(__name__)

MAX_REQUEST_PIXELS = 40_000_000
"""Refuse larger renders outright (the view asks for tiles long before this)."""
DISPLAY_LISTS = 4
"""Tiled pages whose interpreted drawing commands are kept."""
STORE_EMPTY_EVERY = 8
"""Renders between emptyings of MuPDF's cache of decoded fonts and images. It may grow to
256 MB otherwise (PyMuPDF cannot set its limit), and ``fz_shrink_store`` frees too little:
scrolling through 300 pages grew the process by 150 MB, by 106 MB shrinking the store to
half every 16 renders, by 20 MB emptying it every 16. Reloading what the next page needs
costs about a millisecond."""


class Problem(enum.StrEnum):
    """Why a file cannot be shown as pages (the viewer words it for the officer)."""

    ENCRYPTED = "encrypted"
    DAMAGED = "damaged"
    NO_PAGES = "no_pages"
    EMPTY = "empty"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too_large"
    OFFICE = "office"
    HTML = "html"
    TEXT = "text"
    UNKNOWN = "unknown"


# --- requests and replies -------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDoc:
    doc: int
    filetype: str
    path: str = ""
    """The file, read by MuPDF as it needs it; or else:"""
    memory: str = ""
    """Shared memory segment holding the file; the parent unlinks it after the reply."""
    size: int = 0


@dataclass(frozen=True)
class Opened:
    pages: tuple[PageGeometry, ...] = ()
    problem: Problem | None = None
    detail: str = ""
    repaired: bool = False


@dataclass(frozen=True)
class CloseDoc:
    doc: int


@dataclass(frozen=True)
class Closed:
    open_documents: int


@dataclass(frozen=True)
class RenderPage:
    key: RenderKey
    memory: str
    """Shared memory segment to draw into: RGB, ``stride`` bytes a row, from offset 0."""
    stride: int


@dataclass(frozen=True)
class Drawn:
    ok: bool
    detail: str = ""
    missing: bool = False
    """The document is not open here (closed meanwhile): nothing to report."""
    seconds: float = 0.0
    """Time MuPDF took (loading the page and drawing it)."""


@dataclass(frozen=True)
class ReadWords:
    doc: int
    page: int


@dataclass(frozen=True)
class Words:
    text: page_text.PageText | None
    """None when the document or page is gone."""


Request = OpenDoc | CloseDoc | RenderPage | ReadWords
Reply = Opened | Closed | Drawn | Words


# --- shared memory --------------------------------------------------------------------------


def attach(name: str) -> SharedMemory:
    """Map a segment the parent created; the parent unlinks it.

    Spawned children share the parent's resource tracker (POSIX), so the registration this
    makes is the parent's own and the parent's unlink clears it.
    """
    return SharedMemory(name=name)


def memory(segment: SharedMemory) -> memoryview:
    """The segment's bytes (typeshed allows None, which only a closed segment has)."""
    view = segment.buf
    assert view is not None, "segment closed"
    return view


def release(segment: SharedMemory) -> bool:
    """Unmap ``segment``; False while something still uses its memory."""
    try:
        segment.close()
    except BufferError:
        gc.collect()  # a Document's reference to the buffer may be in a cycle
        try:
            segment.close()
        except BufferError:
            return False
    return True


# --- the process ----------------------------------------------------------------------------


@dataclass
class _Open:
    document: pymupdf.Document
    file: SharedMemory | None


class _Renderer:
    def __init__(self) -> None:
        self.docs: dict[int, _Open] = {}
        self.lists: OrderedDict[tuple[int, int], mupdf.FzDisplayList] = OrderedDict()
        self.target: SharedMemory | None = None
        self.renders = 0
        self.unmapped_later: list[SharedMemory] = []

    def handle(self, request: Request) -> Reply:
        if isinstance(request, OpenDoc):
            return self.open(request)
        if isinstance(request, CloseDoc):
            self.close(request.doc)
            return Closed(len(self.docs))
        if isinstance(request, RenderPage):
            return self.render(request)
        return self.words(request)

    def open(self, request: OpenDoc) -> Opened:
        file = attach(request.memory) if request.memory else None
        try:
            content = memory(file)[: request.size] if file else Path(request.path)
            document = open_document(content, request.filetype)
        except Exception as exc:  # noqa: BLE001 - any MuPDF failure means "damaged"
            if file is not None:
                self._unmap(file)
            return Opened(problem=Problem.DAMAGED, detail=str(exc))
        problem = None
        if document.needs_pass:
            problem = Problem.ENCRYPTED
        elif document.page_count == 0:
            problem = Problem.NO_PAGES
        if problem is not None:
            self._drop(_Open(document, file))
            return Opened(problem=problem)
        try:
            pages = tuple(page_geometry(document[i]) for i in range(document.page_count))
        except Exception as exc:  # noqa: BLE001 - a broken page tree
            self._drop(_Open(document, file))
            return Opened(problem=Problem.DAMAGED, detail=str(exc))
        self.docs[request.doc] = _Open(document, file)
        return Opened(pages, repaired=bool(document.is_pdf and document.is_repaired))

    def close(self, doc: int) -> None:
        for item in [k for k in self.lists if k[0] == doc]:
            del self.lists[item]
        if (entry := self.docs.pop(doc, None)) is not None:
            self._drop(entry)

    def _drop(self, entry: _Open) -> None:
        entry.document.close()
        if entry.file is not None:
            self._unmap(entry.file)

    def _unmap(self, file: SharedMemory) -> None:
        self.unmapped_later = [s for s in self.unmapped_later if not release(s)]
        if not release(file):
            self.unmapped_later.append(file)

    def render(self, request: RenderPage) -> Drawn:
        key = request.key
        entry = self.docs.get(key.doc)
        if entry is None:
            return Drawn(False, missing=True)
        _x, _y, w, h = key.clip
        if w * h > MAX_REQUEST_PIXELS or w <= 0 or h <= 0:
            return Drawn(False, "request too large")
        started = time.perf_counter()
        try:
            target = self._target(request.memory)
            page = entry.document[key.page]
            ctm = device_matrix(page_geometry(page), key.rotation, (key.width, key.height))
            # A whole page, or a band across it shown before it, is drawn straight from the
            # file; a tile from the page's display list, so its other tiles do not interpret
            # the page again.
            across = key.clip[0] == 0 and key.clip[2] == key.width
            commands = page if across else self._display_list(key.doc, page)
            render_into(commands, ctm, key.clip, memory(target), request.stride)
        except Exception as exc:  # noqa: BLE001 - a page MuPDF cannot draw
            log.info("render of %s failed: %r", key, exc)
            return Drawn(False, str(exc))
        self.renders += 1
        return Drawn(True, seconds=time.perf_counter() - started)

    def tidy(self) -> None:
        """Work no reply waits for: done after sending one (freeing the store takes up to a
        millisecond, which a page turn would otherwise wait for)."""
        if self.renders >= STORE_EMPTY_EVERY:
            self.renders = 0
            mupdf.fz_empty_store()

    def _target(self, name: str) -> SharedMemory:
        if self.target is None or self.target.name != name:
            if self.target is not None:
                release(self.target)
            self.target = attach(name)
        return self.target

    def _display_list(self, doc: int, page: pymupdf.Page) -> mupdf.FzDisplayList:
        item = (doc, int(page.number))
        commands = self.lists.pop(item, None)
        if commands is None:
            commands = display_list(page)
        self.lists[item] = commands
        while len(self.lists) > DISPLAY_LISTS:
            self.lists.popitem(last=False)
        return commands

    def words(self, request: ReadWords) -> Words:
        entry = self.docs.get(request.doc)
        if entry is None or not 0 <= request.page < entry.document.page_count:
            return Words(None)
        try:
            return Words(page_text.extract(entry.document[request.page]))
        except Exception as exc:  # noqa: BLE001 - no words is better than no viewer
            log.info("words of page %d failed: %r", request.page, exc)
            return Words(page_text.PageText(()))

    def shut(self) -> None:
        self.lists.clear()
        for doc in list(self.docs):
            self.close(doc)
        if self.target is not None:
            release(self.target)


def serve(conn: Connection) -> None:
    """The render process's main loop: one reply per request until None or a closed pipe."""
    renderer = _Renderer()
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return  # the GUI process is gone
            if request is None:
                return
            conn.send(renderer.handle(request))
            renderer.tidy()
    finally:
        renderer.shut()
