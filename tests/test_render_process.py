"""The viewer's render process on its own: a real spawned process and a real pipe, files
and pixels through shared memory, no Qt."""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory

import pymupdf
import pytest
from pymupdf import mupdf

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import BIRTH_REGISTRATION_FIELDS, make_form_pdf
from intake_desktop.viewer import render_process
from intake_desktop.viewer.cache import RenderKey
from intake_desktop.viewer.render_process import (
    Closed,
    CloseDoc,
    Drawn,
    OpenDoc,
    Opened,
    Problem,
    ReadWords,
    RenderPage,
    Words,
    memory,
)

W, H = 300, 424
STRIDE = W * 3 + 4  # rows padded, as a QImage's are


@pytest.fixture(scope="module")
def conn() -> Iterator[Connection]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=render_process.serve, args=(theirs,), daemon=True)
    process.start()
    theirs.close()
    yield ours
    ours.send(None)
    process.join(10)
    assert process.exitcode == 0


@pytest.fixture
def segments() -> Iterator[list[SharedMemory]]:
    made: list[SharedMemory] = []
    yield made
    for segment in made:
        segment.close()
        segment.unlink()


def _open(conn: Connection, segments: list[SharedMemory], doc: int, data: bytes) -> Opened:
    segment = SharedMemory(create=True, size=max(1, len(data)))
    segments.append(segment)
    memory(segment)[: len(data)] = data
    conn.send(OpenDoc(doc, "pdf", memory=segment.name, size=len(data)))
    reply = conn.recv()
    assert isinstance(reply, Opened)
    return reply


def _encrypted() -> bytes:
    doc = pymupdf.open(stream=make_form_pdf("TỜ KHAI", BIRTH_REGISTRATION_FIELDS), filetype="pdf")
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u")


def _empty_pdf() -> bytes:
    """A PDF whose page tree has no pages (PyMuPDF refuses to save one)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def test_pages_words_and_closing(conn: Connection, segments: list[SharedMemory]) -> None:
    form = make_form_pdf("TỜ KHAI ĐĂNG KÝ KHAI SINH", BIRTH_REGISTRATION_FIELDS, pages=3)
    opened = _open(conn, segments, 1, form)
    assert opened.problem is None and len(opened.pages) == 3
    assert opened.pages[0].width == pytest.approx(595, abs=1)

    pixels = SharedMemory(create=True, size=STRIDE * H)
    segments.append(pixels)
    memory(pixels)[:] = b"\x00" * len(memory(pixels))
    conn.send(RenderPage(RenderKey(1, 0, 0, W, H, (0, 0, W, H)), pixels.name, STRIDE))
    drawn = conn.recv()
    assert isinstance(drawn, Drawn) and drawn.ok and drawn.seconds > 0
    rows = bytes(memory(pixels)[: STRIDE * H])
    assert rows[:3] == b"\xff\xff\xff"  # white paper where nothing is drawn
    assert any(rows[i] < 128 for i in range(0, len(rows), 3))  # and ink somewhere

    conn.send(ReadWords(1, 0))
    words = conn.recv()
    assert isinstance(words, Words) and words.text is not None
    assert "KHAI" in " ".join(w[4] for w in words.text.words)

    conn.send(CloseDoc(1))
    assert conn.recv() == Closed(0)
    conn.send(RenderPage(RenderKey(1, 0, 0, W, H, (0, 0, W, H)), pixels.name, STRIDE))
    assert conn.recv() == Drawn(False, missing=True)
    conn.send(ReadWords(1, 0))
    assert conn.recv() == Words(None)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (tamper.not_a_pdf("text"), Problem.DAMAGED),
        (_encrypted(), Problem.ENCRYPTED),
        (_empty_pdf(), Problem.NO_PAGES),
    ],
)
def test_files_that_cannot_be_shown(
    conn: Connection, segments: list[SharedMemory], data: bytes, problem: Problem
) -> None:
    opened = _open(conn, segments, 2, data)
    assert opened.problem is problem and opened.pages == ()
    conn.send(CloseDoc(2))
    assert conn.recv() == Closed(0)  # never kept


def test_oversized_and_empty_requests_are_refused(
    conn: Connection, segments: list[SharedMemory]
) -> None:
    _open(conn, segments, 3, make_form_pdf("TỜ KHAI", BIRTH_REGISTRATION_FIELDS))
    for clip in ((0, 0, 0, H), (0, 0, 8000, 6000)):
        conn.send(RenderPage(RenderKey(3, 0, 0, 8000, 6000, clip), "unused", 24000))
        reply = conn.recv()
        assert reply == Drawn(False, "request too large")
    conn.send(CloseDoc(3))
    assert conn.recv() == Closed(0)


def _store_size() -> int:
    """Bytes in MuPDF's store of decoded resources (PyMuPDF's own TOOLS.store_size is unset)."""
    buffer = mupdf.FzBuffer(1024)
    out = mupdf.FzOutput(buffer)
    mupdf.fz_debug_store(out)
    mupdf.fz_close_output(out)
    report = bytes(mupdf.fz_buffer_extract(buffer)).decode()
    found = re.search(r"max=\d+, size=(\d+)", report)
    assert found, report
    return int(found.group(1))


def test_mupdfs_store_is_emptied_between_requests_not_during_one(
    segments: list[SharedMemory],
) -> None:
    """Decoded pictures and fonts are freed every few pages (the store would grow to 256 MB),
    after a reply is sent rather than before: no page turn waits for it."""
    form = make_form_pdf("TỜ KHAI", BIRTH_REGISTRATION_FIELDS, pages=2, images=True)
    file = SharedMemory(create=True, size=len(form))
    pixels = SharedMemory(create=True, size=STRIDE * H)
    segments += [file, pixels]
    memory(file)[: len(form)] = form
    renderer = render_process._Renderer()
    try:
        assert renderer.handle(OpenDoc(4, "pdf", memory=file.name, size=len(form))).problem is None
        key = RenderKey(4, 0, 0, W, H, (0, 0, W, H))
        for _ in range(render_process.STORE_EMPTY_EVERY):
            assert renderer.handle(RenderPage(key, pixels.name, STRIDE)) == Drawn(
                True, seconds=pytest.approx(0, abs=5)
            )
        assert _store_size() > 0
        renderer.tidy()
        assert _store_size() == 0
        renderer.handle(RenderPage(key, pixels.name, STRIDE))
        renderer.tidy()  # one render since: not yet
        assert _store_size() > 0
    finally:
        renderer.shut()
