"""The render thread: the one thread that owns the viewer's PyMuPDF documents.

PyMuPDF is not thread-safe and holds the GIL while it works, so every ``pymupdf.Document``
the viewer opens lives on this single thread, which opens, renders, reads words from and
closes them. Requests are kept short (one page at screen resolution, one tile of a huge
page, the words of one page): the GUI thread waits for the GIL at most one request. Work on
many pages goes to worker processes instead (:mod:`.bulk`).

The GUI thread talks to it through :class:`RenderService`: ``open``/``close`` are queued in
order; ``request`` *replaces* a client's pending page requests, so when the officer scrolls
fast the pages scrolled past are never rendered. Results come back as signals of the
service, a QObject living on the GUI thread, connected to bound methods of GUI objects.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import atexit
import ctypes
import enum
import itertools
import logging
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pymupdf
import shiboken6
from pymupdf import mupdf
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from intake_desktop.services.mupdf_lock import MUPDF_LOCK
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
from intake_desktop.viewer.sources import DocumentSource, Kind, Sniffed, sniff

log = logging.getLogger(__name__)

MAX_REQUEST_PIXELS = 40_000_000
"""Refuse larger renders outright (the view asks for tiles long before this)."""
MAX_FILE_BYTES = 512 * 1024 * 1024
YIELD_MIN, YIELD_MAX = 0.001, 0.015
"""Pause after each request, as long as it took, within these bounds (seconds).

PyMuPDF returns holding the GIL and, without a pause, this thread takes it straight back
for the next page: the GUI thread then gets the GIL for one Python call per page rendered
and falls behind (measured: 35 ms median between 5 ms timer ticks). Pausing as long as the
request took leaves the GUI thread at least half the time; the page asked for is delivered
before the pause, so page turns do not wait for it."""


SPARE_BYTES = 32 * 1024 * 1024
"""Evicted page images kept for reuse: rendering into memory already touched saves the
page faults of a fresh 15 MB image (measured: 5 ms instead of 8-10 ms a full-HD page)."""
DISPLAY_LISTS = 4
"""Tiled pages whose interpreted drawing commands the render thread keeps."""
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


@dataclass(frozen=True)
class OpenResult:
    """What the render thread found when it opened a document."""

    doc: int
    source: DocumentSource | None
    sniffed: Sniffed | None
    pages: tuple[PageGeometry, ...] = ()
    problem: Problem | None = None
    detail: str = ""
    repaired: bool = False
    """MuPDF had to rebuild a damaged file: what is shown may be incomplete."""

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class RenderRequest:
    key: RenderKey
    priority: float
    """Lower first."""


@dataclass
class _Open:
    doc: int
    name: str
    data: bytes | None
    path: Path | None


@dataclass
class _Close:
    doc: int


@dataclass
class _TextRequest:
    doc: int
    page: int


@dataclass
class _Queue:
    control: deque[_Open | _Close] = field(default_factory=deque)
    renders: dict[int, list[RenderRequest]] = field(default_factory=dict)
    texts: deque[_TextRequest] = field(default_factory=deque)
    running: tuple[int, RenderKey] | None = None
    stop: bool = False


class RenderService(QObject):
    """The GUI thread's handle on the render thread (one per application)."""

    opened = Signal(object)
    """:class:`OpenResult`."""
    rendered = Signal(int, object, object)
    """(client, :class:`RenderKey`, QImage)."""
    renderFailed = Signal(int, object, str)
    """(client, :class:`RenderKey`, technical detail)."""
    textReady = Signal(int, int, object)
    """(doc, page, :class:`~.page_text.PageText`)."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._queue = _Queue()
        self._spares: list[QImage] = []
        self._renders = 0
        self._thread = threading.Thread(target=self._run, name="viewer-render", daemon=True)
        self._thread.start()
        self.open_documents = 0
        """Documents open on the render thread (for tests of leaks)."""

    # --- GUI thread -------------------------------------------------------------------------

    def open(self, *, name: str, data: bytes | None = None, path: Path | None = None) -> int:
        """Queue opening a document from ``data`` or ``path``; returns its id at once.

        :attr:`opened` follows with an :class:`OpenResult` for that id.
        """
        doc = next(self._ids)
        with self._cond:
            self._queue.control.append(_Open(doc, name, data, path))
            self._cond.notify()
        return doc

    def close(self, doc: int) -> None:
        """Close a document; its pending requests are dropped."""
        with self._cond:
            self._queue.control.append(_Close(doc))
            self._queue.texts = deque(t for t in self._queue.texts if t.doc != doc)
            for client, requests in self._queue.renders.items():
                self._queue.renders[client] = [r for r in requests if r.key.doc != doc]
            self._cond.notify()

    def request(self, client: int, requests: Sequence[RenderRequest]) -> None:
        """Make ``requests`` the pending renders of ``client`` (a view), dropping the older ones."""
        with self._cond:
            running = self._queue.running
            self._queue.renders[client] = [r for r in requests if (client, r.key) != running]
            self._cond.notify()

    def request_text(self, doc: int, page: int) -> None:
        """Ask for the words of one page (:attr:`textReady`)."""
        with self._cond:
            self._queue.texts.append(_TextRequest(doc, page))
            self._cond.notify()

    def recycle(self, image: QImage) -> None:
        """Hand an image nobody uses any more to the render thread for reuse.

        The caller must hold no other reference to it (the page cache's eviction does this).
        """
        if image.format() != QImage.Format.Format_RGB888:
            return
        with self._cond:
            spare = sum(i.sizeInBytes() for i in self._spares)
            if spare + image.sizeInBytes() <= SPARE_BYTES:
                self._spares.append(image)

    def _take_spare(self, width: int, height: int) -> QImage:
        with self._cond:
            for i, image in enumerate(self._spares):
                if image.width() == width and image.height() == height:
                    return self._spares.pop(i)
        return QImage(width, height, QImage.Format.Format_RGB888)

    def new_client(self) -> int:
        return next(self._ids)

    def drop_client(self, client: int) -> None:
        with self._cond:
            self._queue.renders.pop(client, None)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the render thread after its current request (documents are closed)."""
        with self._cond:
            self._queue.stop = True
            self._cond.notify()
        self._thread.join(timeout)

    # --- render thread ----------------------------------------------------------------------

    def _next(self) -> _Open | _Close | _TextRequest | tuple[int, RenderRequest] | None:
        """The next thing to do, or None to stop. Holds the lock while choosing."""
        with self._cond:
            while True:
                q = self._queue
                if q.stop:
                    return None
                if q.control:
                    return q.control.popleft()
                best: tuple[int, int] | None = None
                best_priority = float("inf")
                for client, requests in q.renders.items():
                    for i, request in enumerate(requests):
                        if request.priority < best_priority:
                            best, best_priority = (client, i), request.priority
                # A page's words are wanted by a waiting officer: before prefetching.
                if q.texts and best_priority >= 1.0:
                    return q.texts.popleft()
                if best is not None:
                    request = q.renders[best[0]].pop(best[1])
                    q.running = (best[0], request.key)
                    return best[0], request
                q.running = None
                self._cond.wait()

    def _run(self) -> None:
        docs: dict[int, pymupdf.Document] = {}
        self._lists: OrderedDict[tuple[int, int], mupdf.FzDisplayList] = OrderedDict()
        try:
            while (job := self._next()) is not None:
                started = time.perf_counter()
                try:
                    self._do(job, docs)
                except Exception:
                    log.exception("render thread: %r failed", job)
                took = time.perf_counter() - started
                time.sleep(min(YIELD_MAX, max(YIELD_MIN, took)))
        finally:
            with MUPDF_LOCK:
                self._lists.clear()
                for doc in docs.values():
                    doc.close()
                docs.clear()

    def _do(
        self,
        job: _Open | _Close | _TextRequest | tuple[int, RenderRequest],
        docs: dict[int, pymupdf.Document],
    ) -> None:
        """One request, holding the process-wide PyMuPDF lock (see services.mupdf_lock)."""
        with MUPDF_LOCK:
            if isinstance(job, _Open):
                self._open(job, docs)
            elif isinstance(job, _Close):
                for item in [k for k in self._lists if k[0] == job.doc]:
                    del self._lists[item]
                if (doc := docs.pop(job.doc, None)) is not None:
                    doc.close()
                    self.open_documents = len(docs)
            elif isinstance(job, _TextRequest):
                self._text(job, docs)
            else:
                self._render(job[0], job[1].key, docs)

    def _emit(self, signal_name: str, *args: object) -> None:
        if shiboken6.isValid(self):
            getattr(self, signal_name).emit(*args)

    def _open(self, job: _Open, docs: dict[int, pymupdf.Document]) -> None:
        name = job.name
        try:
            if job.data is not None:
                data = job.data
            else:
                assert job.path is not None
                if job.path.stat().st_size > MAX_FILE_BYTES:
                    self._emit("opened", OpenResult(job.doc, None, None, (), Problem.TOO_LARGE))
                    return
                data = job.path.read_bytes()
        except OSError as exc:
            detail = exc.strerror or str(exc)
            self._emit("opened", OpenResult(job.doc, None, None, (), Problem.UNREADABLE, detail))
            return
        source = DocumentSource(name, data, job.path)
        sniffed = sniff(data, name)
        result = OpenResult(job.doc, source, sniffed)
        problem = {
            Kind.EMPTY: Problem.EMPTY,
            Kind.OFFICE: Problem.OFFICE,
            Kind.HTML: Problem.HTML,
            Kind.TEXT: Problem.TEXT,
            Kind.UNKNOWN: Problem.UNKNOWN,
        }.get(sniffed.kind)
        if len(data) > MAX_FILE_BYTES:
            problem = Problem.TOO_LARGE
        if problem is not None:
            self._emit("opened", replace(result, problem=problem))
            return
        try:
            doc = open_document(data, sniffed.filetype)
        except Exception as exc:  # noqa: BLE001 - any MuPDF failure means "damaged"
            self._emit("opened", replace(result, problem=Problem.DAMAGED, detail=str(exc)))
            return
        if doc.needs_pass:
            doc.close()
            self._emit("opened", replace(result, problem=Problem.ENCRYPTED))
            return
        if doc.page_count == 0:
            doc.close()
            self._emit("opened", replace(result, problem=Problem.NO_PAGES))
            return
        try:
            pages = tuple(page_geometry(doc[i]) for i in range(doc.page_count))
        except Exception as exc:  # noqa: BLE001 - a broken page tree
            doc.close()
            self._emit("opened", replace(result, problem=Problem.DAMAGED, detail=str(exc)))
            return
        docs[job.doc] = doc
        self.open_documents = len(docs)
        repaired = bool(doc.is_pdf and doc.is_repaired)
        self._emit("opened", replace(result, pages=pages, repaired=repaired))

    def _render(self, client: int, key: RenderKey, docs: dict[int, pymupdf.Document]) -> None:
        doc = docs.get(key.doc)
        if doc is None:
            return
        _x, _y, w, h = key.clip
        if w * h > MAX_REQUEST_PIXELS or w <= 0 or h <= 0:
            self._emit("renderFailed", client, key, "request too large")
            return
        started = time.perf_counter()
        try:
            page = doc[key.page]
            ctm = device_matrix(page_geometry(page), key.rotation, (key.width, key.height))
            image = self._take_spare(w, h)
            if image.isNull():
                raise MemoryError(f"no memory for a {w}x{h} image")
            # A whole page is drawn straight from the file; a tile from the page's display list,
            # so its other tiles do not interpret the page again.
            commands = page if key.whole else self._display_list(key.doc, page)
            render_into(commands, ctm, key.clip, memoryview(image.bits()), image.bytesPerLine())
        except Exception as exc:  # noqa: BLE001 - a page MuPDF cannot draw
            log.info("render of %s failed: %r", key, exc)
            self._emit("renderFailed", client, key, str(exc))
            return
        log.debug("rendered %s in %.1f ms", key, (time.perf_counter() - started) * 1000)
        self._emit("rendered", client, key, image)
        self._renders += 1
        if self._renders % STORE_EMPTY_EVERY == 0:
            mupdf.fz_empty_store()

    def _display_list(self, doc: int, page: pymupdf.Page) -> mupdf.FzDisplayList:
        item = (doc, int(page.number))
        commands = self._lists.pop(item, None)
        if commands is None:
            commands = display_list(page)
        self._lists[item] = commands
        while len(self._lists) > DISPLAY_LISTS:
            self._lists.popitem(last=False)
        return commands

    def _text(self, job: _TextRequest, docs: dict[int, pymupdf.Document]) -> None:
        doc = docs.get(job.doc)
        if doc is None or not 0 <= job.page < doc.page_count:
            return
        try:
            text = page_text.extract(doc[job.page])
        except Exception as exc:  # noqa: BLE001 - no words is better than no viewer
            log.info("words of page %d failed: %r", job.page, exc)
            text = page_text.PageText(())
        self._emit("textReady", job.doc, job.page, text)


_service: RenderService | None = None


def _return_big_blocks_to_the_system() -> None:
    """On glibc, serve allocations of 1 MiB and more with their own mmap.

    Page images are allocated on the render thread and freed on the GUI thread; glibc
    otherwise keeps such blocks in the render thread's arena, and the process only grows
    (measured: 730 MB after scrolling through 300 pages, 475 MB with this). Windows' heap
    already gives large blocks back.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return
    m_mmap_threshold = -3
    mallopt(ctypes.c_int(m_mmap_threshold), ctypes.c_int(1 << 20))


def render_service() -> RenderService:
    """The application's render service, started on first use (call from the GUI thread)."""
    global _service
    if _service is None or not shiboken6.isValid(_service):
        _return_big_blocks_to_the_system()
        _service = RenderService()
        atexit.register(_service.shutdown)
    return _service
