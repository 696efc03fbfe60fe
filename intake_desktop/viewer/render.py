"""The render thread: the GUI process's end of the render process.

The viewer's PyMuPDF documents live in a process of their own (:mod:`.render_process`):
PyMuPDF holds the GIL while it renders, which in this process stalled the window during
every page and slowed every page by the window's own work. This thread sends that process
one request at a time and waits on the pipe with the GIL released; page pixels come back
through a shared memory segment and are copied (about 0.5 ms a full-HD page) into a
QImage. Work on many pages goes to worker processes instead (:mod:`.bulk`).

The GUI thread talks to it through :class:`RenderService`: ``open``/``close`` are queued in
order; ``request`` *replaces* a client's pending page requests, so when the officer scrolls
fast the pages scrolled past are never rendered. Results come back as signals of the
service, a QObject living on the GUI thread, connected to bound methods of GUI objects.
If the render process dies (MuPDF crashing on a hostile file), a new one is started and
every document reopened but the one it died on, whose pages then fail with a message.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import itertools
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from intake_desktop.services.pdf_pages import PageGeometry
from intake_desktop.viewer import page_text, render_process
from intake_desktop.viewer.cache import RenderKey
from intake_desktop.viewer.render_process import (
    MAX_REQUEST_PIXELS,
    Closed,
    CloseDoc,
    Drawn,
    OpenDoc,
    Opened,
    Problem,
    ReadWords,
    RenderPage,
    Reply,
    Request,
    Words,
    memory,
)
from intake_desktop.viewer.sources import DocumentSource, Kind, Sniffed, sniff

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_FILE_BYTES = 512 * 1024 * 1024
SPARE_BYTES = 32 * 1024 * 1024
"""Evicted page images kept for reuse: copying into memory already touched saves the page
faults of a fresh 15 MB image (measured: 0.5 ms instead of 5 ms a full-HD page)."""
STOP_TIMEOUT = 2.0
"""Seconds the render process gets to close its documents before it is killed."""
REPLY_TIMEOUT = 30.0
"""Seconds a request may take before the render process is taken for hung (a hostile file
can send MuPDF into a loop) and replaced."""
STOPPED = "render process stopped"
HANDOVER_SECONDS = 0.0005
"""A pause that lets the other thread waiting for the GIL take it now (the interpreter would
hand it over only at its 5 ms switch interval, or at the holder's next blocking call)."""


@dataclass(frozen=True)
class OpenResult:
    """What the render process found when it opened a document."""

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
    opens: deque[_Open] = field(default_factory=deque)
    closes: deque[_Close] = field(default_factory=deque)
    """Done when nothing else waits: closing a big file frees its memory (15-25 ms for
    70 MB), time the first page of the file opened in its place should not wait for."""
    renders: dict[int, list[RenderRequest]] = field(default_factory=dict)
    texts: deque[_TextRequest] = field(default_factory=deque)
    running: tuple[int, RenderKey] | None = None
    stop: bool = False


@dataclass
class _File:
    """A document open in the render process, kept to reopen it in a new one."""

    filetype: str
    data: bytes
    broken: bool = False
    """The render process died working on it: not reopened, its pages fail."""


class _Stopped(Exception):
    """The render process is gone (crashed or killed)."""


def _address(buffer: memoryview) -> int:
    """Address of a writable buffer's memory (the ctypes view is dropped at once)."""
    view = ctypes.c_char.from_buffer(buffer)
    try:
        return ctypes.addressof(view)
    finally:
        del view


def _copy(destination: memoryview, source: memoryview | bytes, size: int) -> None:
    """Copy ``size`` bytes with the GIL released (ctypes calls drop it), unlike slicing."""
    if isinstance(source, bytes):
        ctypes.memmove(_address(destination), source, size)
    else:
        ctypes.memmove(_address(destination), _address(source), size)


def _write_all(descriptor: int, data: bytes) -> None:
    view, done = memoryview(data), 0
    while done < len(data):
        done += os.pwrite(descriptor, view[done:], done)


class _Process:
    """The render process and this side of its pipe (used by the render thread only)."""

    def __init__(self) -> None:
        # "spawn" everywhere: forking a process that runs Qt threads is unsafe, and Windows
        # only spawns. The child imports only Qt-free modules.
        context = multiprocessing.get_context("spawn")
        self.conn: Connection
        self.conn, theirs = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=render_process.serve, args=(theirs,), name="intake-render", daemon=True
        )
        self.process.start()
        theirs.close()

    def call(self, request: Request) -> Reply:
        try:
            self.conn.send(request)
            if not self.conn.poll(REPLY_TIMEOUT):
                log.warning("render process hung on %r; killing it", request)
                self.process.kill()
                raise _Stopped
            reply: Reply = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise _Stopped from exc
        return reply

    def stop(self, timeout: float) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout)
        self.conn.close()


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
        # Render thread only:
        self._process: _Process | None = None
        self._files: dict[int, _File] = {}
        self._pixels: SharedMemory | None = None
        self._thread = threading.Thread(target=self._run, name="viewer-render", daemon=True)
        self._thread.start()
        self.open_documents = 0
        """Documents open in the render process (for tests of leaks)."""
        self.restarts = 0
        """Render processes started after one died."""
        self.render_seconds: deque[tuple[RenderKey, float]] = deque(maxlen=1000)
        """MuPDF's time for each of the latest renders, in the render process (for the
        benchmark: the render alone, beside the page turn the officer sees)."""

    # --- GUI thread -------------------------------------------------------------------------

    def open(self, *, name: str, data: bytes | None = None, path: Path | None = None) -> int:
        """Queue opening a document from ``data`` or ``path``; returns its id at once.

        :attr:`opened` follows with an :class:`OpenResult` for that id.
        """
        doc = next(self._ids)
        with self._cond:
            self._queue.opens.append(_Open(doc, name, data, path))
            self._cond.notify()
        return doc

    def close(self, doc: int) -> None:
        """Close a document; its pending requests are dropped."""
        with self._cond:
            self._queue.closes.append(_Close(doc))
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
                if q.opens:
                    return q.opens.popleft()
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
                if q.closes:
                    return q.closes.popleft()
                self._cond.wait()

    @property
    def process_id(self) -> int | None:
        """The render process's pid (for tests that kill it)."""
        process = self._process
        return None if process is None else process.process.pid

    def _run(self) -> None:
        try:
            self._process = _Process()
            while (job := self._next()) is not None:
                try:
                    self._do(job)
                except Exception:
                    log.exception("render thread: %r failed", job)
        finally:
            if self._process is not None:
                self._process.stop(STOP_TIMEOUT)
            if self._pixels is not None:
                self._pixels.close()
                self._pixels.unlink()
            self._files.clear()

    def _do(self, job: _Open | _Close | _TextRequest | tuple[int, RenderRequest]) -> None:
        if isinstance(job, _Open):
            self._open(job)
        elif isinstance(job, _Close):
            self._close(job.doc)
        elif isinstance(job, _TextRequest):
            self._text(job)
        else:
            self._render(job[0], job[1].key)

    def _emit(self, signal_name: str, *args: object) -> None:
        if shiboken6.isValid(self):
            getattr(self, signal_name).emit(*args)

    def _call(self, request: Request) -> Reply:
        assert self._process is not None
        return self._process.call(request)

    def _send_file(self, doc: int, file: _File, path: Path | None = None) -> Opened:
        """Open ``file`` in the render process: from ``path``, else handed over in shared
        memory (written with ``pwrite`` where there is a descriptor: half the time of a copy
        through a fresh mapping, 25 ms instead of 40-55 for 70 MB)."""
        if path is not None:
            reply = self._call(OpenDoc(doc, file.filetype, path=str(path)))
        else:
            size = len(file.data)
            segment = SharedMemory(create=True, size=max(1, size))
            try:
                descriptor = getattr(segment, "_fd", -1)  # POSIX only
                if descriptor >= 0:
                    _write_all(descriptor, file.data)
                else:
                    _copy(memory(segment), file.data, size)
                reply = self._call(OpenDoc(doc, file.filetype, memory=segment.name, size=size))
            finally:
                # The render process keeps its own mapping for as long as the document is open.
                segment.close()
                segment.unlink()
        assert isinstance(reply, Opened)
        return reply

    def _ask(self, send: Callable[[], T], doc: int | None) -> T:
        """``send()`` to the render process; if it dies, start a new one and send once more.

        A process that dies twice on the same request died of that document: it is marked
        broken, a third process started, and :class:`_Stopped` raised.
        """
        for attempt in range(2):
            try:
                return send()
            except _Stopped:
                if attempt == 1 and doc is not None and doc in self._files:
                    self._files[doc].broken = True
                self._restart(doc)
        raise _Stopped

    def _restart(self, doc: int | None) -> None:
        """Start a new render process and reopen every document not marked broken."""
        old = self._process
        log.warning(
            "render process stopped (exit code %s) on a request for document %s; restarting",
            old.process.exitcode if old is not None else None,
            doc,
        )
        while True:
            if self._process is not None:
                self._process.stop(0)
            self._process = _Process()
            self.restarts += 1
            reopening: _File | None = None
            try:
                for number, file in self._files.items():
                    if not file.broken:
                        reopening = file
                        if not self._send_file(number, file).pages:
                            file.broken = True
                return
            except _Stopped:
                assert reopening is not None
                reopening.broken = True  # it died again, on this one

    def _open(self, job: _Open) -> None:
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
        file = _File(sniffed.filetype, data)
        try:
            reply = self._ask(lambda: self._send_file(job.doc, file, job.path), None)
        except _Stopped:
            self._emit("opened", replace(result, problem=Problem.DAMAGED, detail=STOPPED))
            return
        if reply.problem is None:
            self._files[job.doc] = file
            self.open_documents = len(self._files)
        self._emit(
            "opened",
            replace(
                result,
                pages=reply.pages,
                problem=reply.problem,
                detail=reply.detail,
                repaired=reply.repaired,
            ),
        )

    def _close(self, doc: int) -> None:
        if self._files.pop(doc, None) is None:
            return
        try:
            reply = self._call(CloseDoc(doc))
        except _Stopped:
            self._restart(None)  # the new one never opens it
            return
        assert isinstance(reply, Closed)
        self.open_documents = reply.open_documents

    def _output(self, size: int) -> SharedMemory:
        """The segment the render process draws into, at least ``size`` bytes."""
        if self._pixels is None or self._pixels.size < size:
            if self._pixels is not None:
                self._pixels.close()
                self._pixels.unlink()
                self._pixels = None
            self._pixels = SharedMemory(create=True, size=size)
        return self._pixels

    def _render(self, client: int, key: RenderKey) -> None:
        file = self._files.get(key.doc)
        if file is None:
            return  # closed meanwhile
        if file.broken:
            self._emit("renderFailed", client, key, STOPPED)
            return
        _x, _y, w, h = key.clip
        if w * h > MAX_REQUEST_PIXELS or w <= 0 or h <= 0:
            self._emit("renderFailed", client, key, "request too large")
            return
        image = self._take_spare(w, h)
        if image.isNull():
            self._emit("renderFailed", client, key, f"no memory for a {w}x{h} image")
            return
        stride = image.bytesPerLine()
        pixels = self._output(stride * h)
        try:
            reply = self._ask(lambda: self._call(RenderPage(key, pixels.name, stride)), key.doc)
        except _Stopped:
            self._emit("renderFailed", client, key, STOPPED)
            return
        assert isinstance(reply, Drawn)
        if reply.missing:
            return
        if not reply.ok:
            self._emit("renderFailed", client, key, reply.detail)
            return
        _copy(memoryview(image.bits()), memory(pixels), stride * h)
        self.render_seconds.append((key, reply.seconds))
        self._emit("rendered", client, key, image)
        # The GUI thread wants the GIL to show this page; the next request's Python work
        # would keep it waiting (measured: the page reached the GUI thread 0.7-1.0 ms after
        # it was sent, 0.1-0.3 ms with this pause).
        time.sleep(HANDOVER_SECONDS)

    def _text(self, job: _TextRequest) -> None:
        if job.doc not in self._files:
            return
        try:
            reply = self._ask(lambda: self._call(ReadWords(job.doc, job.page)), job.doc)
        except _Stopped:
            reply = Words(page_text.PageText(()))
        assert isinstance(reply, Words)
        if reply.text is not None:
            self._emit("textReady", job.doc, job.page, reply.text)


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
