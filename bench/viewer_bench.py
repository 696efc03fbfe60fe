"""Benchmark: the document viewer on a 300-page PDF, beside ``mutool draw`` on the same pages.

Run by hand: ``.venv/bin/python bench/viewer_bench.py [--pages 300] [--flips 50]``.
Offscreen Qt, the page area sized 1920x1080, fit width. Measures:

  * open → first page painted (the first open of the process, then warm opens);
  * page turns: PgDn pressed 50 times, time until every newly shown page is painted —
    "cold" with prefetching off (every page rendered after the key press: comparable with
    mutool's per-page time) and "reading" with prefetching on, at an officer's pace;
  * MuPDF's own time in the render process during those turns: for the band of a page on
    screen, drawn first, and for the whole page that follows;
  * peak memory (RSS) of the GUI process, of the render process and of the other worker
    processes while every page is shown once; the longest the GUI thread went without
    running a 5 ms timer.

mutool renders the same pages at the same resolution (``-c rgb -F pnm -o /dev/null``: render
only, as the viewer does); the brief's ``-o /dev/null`` alone also encodes each page as PNG,
so it is reported too but not used for the ratio. The mutool on PATH is a separate build
(its version is printed) from the MuPDF inside PyMuPDF.

A second peer, for the cold next-page turn: the viewer's own MuPDF drawing the pages that
turn showed, whole, back to back and then after the same idle time as between the presses
(a core idle for 50 ms starts slower: measured 0.7-1.7 ms a page here).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

OUT = Path(__file__).parent / "out"
VIEWPORT = (1920, 1080)
PACE = 0.05
"""Seconds between key presses in the cold page turns."""


def document(pages: int) -> Path:
    """The benchmark PDF (generated once: the demo's pictures take a while to draw)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"viewer-bench-{pages}.pdf"
    if not path.exists():
        # In a process of its own: drawing the pictures would grow this one's memory, which
        # the benchmark measures.
        started = time.perf_counter()
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            pool.submit(generate, path, pages).result()
        took = time.perf_counter() - started
        print(f"generated {path.name}: {path.stat().st_size / 1e6:.1f} MB in {took:.0f} s")
    return path


def generate(path: Path, pages: int) -> None:
    from intake_desktop.demo.documents import BIRTH_REGISTRATION_FIELDS, make_form_pdf

    data = make_form_pdf(
        "TỜ KHAI ĐĂNG KÝ KHAI SINH", BIRTH_REGISTRATION_FIELDS, pages=pages, images=True
    )
    path.write_bytes(data)


def mutool(path: Path, dpi: float, pages: int) -> dict[str, float]:
    version = subprocess.run(["mutool", "-v"], capture_output=True, text=True).stderr.strip()
    render = subprocess.run(
        ["mutool", "draw", "-q", "-s", "t", "-c", "rgb", "-F", "pnm", "-o", "/dev/null",
         "-r", f"{dpi:.2f}", str(path), f"1-{pages}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    # -s t prints one line per page on stderr: "page FILE N 7ms".
    times = [int(m) for m in re.findall(r"^page .* \d+ (\d+)ms$", render.stderr, re.M)]
    started = time.perf_counter()
    subprocess.run(
        ["mutool", "draw", "-q", "-o", "/dev/null", "-r", f"{dpi:.2f}", str(path), f"1-{pages}"],
        capture_output=True,
        check=True,
    )
    literal = (time.perf_counter() - started) * 1000 / pages
    return {
        "version": version.split()[-1] if version else "?",  # type: ignore[dict-item]
        "mean": statistics.fmean(times),
        # mutool times pages in whole milliseconds: the plain median jumps between them
        # (4.0 or 5.0 for pages of ~4.5 ms); the grouped median interpolates within.
        "median": statistics.median_grouped(times),
        "literal": literal,
    }


def engine(path: Path, size: tuple[int, int], pages: list[int], idle: float) -> float:
    """Median ms for the viewer's own MuPDF (PyMuPDF's build) to draw each of ``pages``
    whole, as the render process does, resting ``idle`` seconds before each.

    The second peer: mutool's figure is a hot batch loop of another MuPDF build, while a
    cold page turn starts on a core idle since the last key press. Run in a child process.
    """
    import pymupdf
    from pymupdf import mupdf

    from intake_desktop.services.pdf_pages import device_matrix, page_geometry, render_into
    from intake_desktop.viewer.render_process import STORE_EMPTY_EVERY

    doc = pymupdf.open(path)
    width, height = size
    buffer = memoryview(bytearray(width * 3 * height))
    buffer[:] = bytes(len(buffer))  # touched once: no page faults in the figures
    times = []
    mupdf.fz_empty_store()
    for i, number in enumerate(pages):
        if i and i % STORE_EMPTY_EVERY == 0:
            mupdf.fz_empty_store()  # as the render process does
        time.sleep(idle)
        started = time.perf_counter()
        page = doc[number]
        ctm = device_matrix(page_geometry(page), 0, size)
        render_into(page, ctm, (0, 0, width, height), buffer, width * 3)
        times.append((time.perf_counter() - started) * 1000)
    doc.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--flips", type=int, default=50)
    parser.add_argument("--opens", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    path = document(args.pages)

    import psutil
    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from intake_desktop.viewer.render import render_service
    from intake_desktop.viewer.viewer import PdfViewer

    app = QApplication.instance() or QApplication(sys.argv)
    me = psutil.Process()

    class Probe(QObject):
        """Samples memory and the GUI thread's timer latency; records painted pages."""

        def __init__(self) -> None:
            super().__init__()
            self.rss = self.children = self.renderer = 0
            self.worst_gap = 0.0
            self.phase = "start"
            self.worst_by_phase: dict[str, float] = {}
            self.last = time.perf_counter()
            self.painted: dict[int, float] = {}
            self.first_painted = 0.0
            self.timer = QTimer(self)
            self.timer.setInterval(5)
            self.timer.timeout.connect(self.tick)
            self.timer.start()

        @Slot()
        def tick(self) -> None:
            now = time.perf_counter()
            gap = now - self.last
            self.worst_gap = max(self.worst_gap, gap)
            self.worst_by_phase[self.phase] = max(self.worst_by_phase.get(self.phase, 0.0), gap)
            self.last = now
            self.rss = max(self.rss, me.memory_info().rss)  # /proc/self/statm: cheap

        def sample(self) -> None:
            """Also the worker processes' memory (slow: lists processes; not in the timer)."""
            self.rss = max(self.rss, me.memory_info().rss)
            kids = renderer = 0
            render_pid = render_service().process_id
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # a worker that just exited
                    if child.pid == render_pid:
                        renderer = child.memory_info().rss
                    else:
                        kids += child.memory_info().rss
            self.children = max(self.children, kids)
            self.renderer = max(self.renderer, renderer)

        @Slot(int)
        def page_painted(self, page: int) -> None:
            # The first time what is on screen of it is sharp (a band may come before the
            # whole page).
            self.painted.setdefault(page, time.perf_counter())

        @Slot()
        def first(self) -> None:
            self.first_painted = time.perf_counter()

    probe = Probe()

    def wait(condition: object, timeout: float = 10.0) -> bool:
        deadline = time.perf_counter() + timeout
        loop = QEventLoop()
        while not condition():  # type: ignore[operator]
            if time.perf_counter() > deadline:
                return False
            # Sleeps until something happens (the probe's timer ticks every 5 ms): a busy loop
            # here would hold the GIL and slow the render thread down.
            loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return True

    def viewer_window() -> PdfViewer:
        viewer = PdfViewer(soffice=None)
        viewer.resize(*VIEWPORT)
        viewer.show()
        wait(lambda: False, 0.05)
        port = viewer.view.viewport().size()
        viewer.resize(
            VIEWPORT[0] * 2 - port.width(), VIEWPORT[1] * 2 - port.height()
        )  # so the page area itself is 1920x1080
        wait(lambda: False, 0.05)
        viewer.view.pageImagePainted.connect(probe.page_painted)
        viewer.firstPagePainted.connect(probe.first)
        return viewer

    baseline = me.memory_info().rss
    data = path.read_bytes()
    print(f"document: {path.name}, {args.pages} pages, {len(data) / 1e6:.1f} MB")

    # --- open to first page painted ---------------------------------------------------------
    viewer = viewer_window()
    port = viewer.view.viewport().size()
    opens = []
    probe.phase = "open"
    for _ in range(args.opens):
        probe.first_painted = 0.0
        started = time.perf_counter()
        viewer.open_bytes(data, path.name)
        wait(lambda: probe.first_painted > 0)
        opens.append((probe.first_painted - started) * 1000)
        wait(lambda: False, 0.3)
    scale = viewer.view._zoom * viewer.view._px_per_pt() * viewer.view._dpr()
    dpi = scale * 72
    page_px = viewer.view._sizes[0]
    probe.timer.stop()  # mutool runs block this thread: not the viewer's doing
    early = mutool(path, dpi, args.pages)
    probe.timer.start()
    probe.last = time.perf_counter()

    def stats(values: list[float]) -> str:
        if not values:
            return "n/a"
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        median = statistics.median(values)
        return f"median {median:.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"

    # --- page turns -------------------------------------------------------------------------
    def flips(
        prefetch: int, pace: float, key_modifier: object, label: str
    ) -> tuple[list[float], list[int]]:
        """Times of the presses that showed a new page, and the pages they showed."""
        probe.phase = label
        viewer.open_bytes(data, path.name)
        probe.first_painted = 0.0
        wait(lambda: probe.first_painted > 0)
        view = viewer.view
        view._prefetch = bool(prefetch)
        wait(lambda: False, 0.5)
        view.setFocus()
        results, shown = [], []
        render_service().render_seconds.clear()
        for _ in range(args.flips):
            before = set(view._visible_pages())
            probe.painted.clear()
            pressed = time.perf_counter()
            QTest.keyClick(view, Qt.Key.Key_PageDown, key_modifier)  # type: ignore[arg-type]
            new = set(view._visible_pages()) - before
            if new:
                ok = wait(lambda new=new: new <= probe.painted.keys())  # type: ignore[misc]
                if ok:
                    results.append((max(probe.painted[p] for p in new) - pressed) * 1000)
                    shown += sorted(new)
            wait(lambda: False, pace)
        view._prefetch = True
        times = render_service().render_seconds
        bands = [t * 1000 for key, t in times if not key.whole]
        pages = [t * 1000 for key, t in times if key.whole]
        print(f"  {label}: {len(results)} of {args.flips} presses showed a new page")
        print(f"    MuPDF in the render process: band on screen {stats(bands)}")
        print(f"    MuPDF in the render process: whole page {stats(pages)}")
        return results, shown

    none = Qt.KeyboardModifier.NoModifier
    ctrl = Qt.KeyboardModifier.ControlModifier
    cold_pgdn, _ = flips(0, PACE, none, "PgDn, prefetch off")
    cold_turn, turned = flips(0, PACE, ctrl, "Ctrl+PgDn (next page), prefetch off")
    reading, _ = flips(1, 0.3, none, "PgDn, prefetch on, 300 ms between presses")

    # --- every page once, for memory --------------------------------------------------------
    probe.phase = "every page once"
    viewer.open_bytes(data, path.name)
    probe.first_painted = 0.0
    wait(lambda: probe.first_painted > 0)
    started = time.perf_counter()
    for page in range(args.pages):
        probe.painted.pop(page, None)
        viewer.go_to_page(page)
        wait(lambda page=page: page in probe.painted)  # type: ignore[misc]
        if page % 25 == 0:
            probe.sample()
    through = time.perf_counter() - started
    wait(lambda: False, 1.0)
    probe.sample()

    probe.timer.stop()
    viewer.close()
    # The machine may be busy: mutool's figure is the better of a run before and one after.
    tool = mutool(path, dpi, args.pages)
    if early["median"] < tool["median"]:
        tool = early

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        hot = pool.submit(engine, path, page_px, turned, 0.0).result()
        idle = pool.submit(engine, path, page_px, turned, PACE).result()

    per_page = tool["median"]
    print()
    print(f"page area {port.width()}x{port.height()}, fit width: {dpi:.1f} dpi, page image "
          f"{page_px[0]}x{page_px[1]} px")  # fmt: skip
    print(f"open → first page painted: first {opens[0]:.0f} ms, then {stats(opens[1:])}"
          f"   (target 150 ms)")  # fmt: skip
    print(f"page turn, cold, PgDn:       {stats(cold_pgdn)}")
    print(f"page turn, cold, Ctrl+PgDn:  {stats(cold_turn)}")
    print(f"page turn, reading pace:     {stats(reading)}")
    print(f"mutool {tool['version']} draw, same pages and dpi: median {per_page:.1f} ms/page, "
          f"mean {tool['mean']:.1f} ms/page (render only); with PNG encoding "
          f"(-o /dev/null alone): {tool['literal']:.1f} ms/page")  # fmt: skip
    for label, values in (("PgDn", cold_pgdn), ("Ctrl+PgDn", cold_turn)):
        if values:
            ratio = statistics.median(values) / per_page
            print(f"ratio cold {label} / mutool: {ratio:.2f}x   (target 1.3x)")
    if cold_turn:
        turn = statistics.median(cold_turn)
        print(f"the viewer's own MuPDF (PyMuPDF), the pages Ctrl+PgDn showed, whole: median "
              f"{hot:.1f} ms/page back to back, {idle:.1f} ms/page after {PACE * 1000:.0f} ms "
              f"idle as between the presses; ratio cold Ctrl+PgDn / the latter: "
              f"{turn / idle:.2f}x")  # fmt: skip
    print(f"every page shown once in {through:.1f} s ({through * 1000 / args.pages:.0f} ms/page)")
    print(f"peak RSS: GUI process {probe.rss / 2**20:.0f} MB (target 400 MB), of which "
          f"{baseline / 2**20:.0f} MB before the first document (Qt, PyMuPDF) and "
          f"{len(data) / 2**20:.0f} MB the file itself; render process "
          f"{probe.renderer / 2**20:.0f} MB (the file mapped in, MuPDF's store); other worker "
          f"processes (thumbnails) {probe.children / 2**20:.0f} MB")  # fmt: skip
    stalls = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in probe.worst_by_phase.items())
    print(f"longest GUI-thread stall (5 ms timer): {probe.worst_gap * 1000:.0f} ms ({stalls})")
    print(f"page cache: {viewer._cache.bytes / 2**20:.0f} MB in {len(viewer._cache)} images "
          f"(budget {viewer._cache.budget / 2**20:.0f} MB)")  # fmt: skip
    del app


if __name__ == "__main__":
    main()
