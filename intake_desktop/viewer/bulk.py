"""The viewer's pools for long work: one of processes (PyMuPDF), one of threads (waiting).

PyMuPDF holds the GIL while it renders or extracts, so work on many pages (search, the
comparison with the signed revision, printing) runs in worker processes, which open the
document from a file themselves. The thread pool only waits: on those processes, on
LibreOffice, on the disk. No Qt here; :mod:`.tasks` brings results back to the GUI thread.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_processes: ProcessPoolExecutor | None = None
_threads: ThreadPoolExecutor | None = None


def _process_count() -> int:
    # Leave a core for the GUI and the render process; two workers are plenty for one officer.
    return max(1, min(2, (os.cpu_count() or 2) - 1))


def process_pool() -> ProcessPoolExecutor:
    """The shared pool of worker processes, started on first use.

    "spawn" everywhere: forking a process that runs Qt threads is unsafe, and Windows (the
    desks' platform) only spawns. Workers import only Qt-free modules.
    """
    global _processes
    with _lock:
        if _processes is None:
            _processes = ProcessPoolExecutor(
                max_workers=_process_count(), mp_context=multiprocessing.get_context("spawn")
            )
        return _processes


def thread_pool() -> ThreadPoolExecutor:
    """The shared pool of threads that wait for slow things (never run PyMuPDF here)."""
    global _threads
    with _lock:
        if _threads is None:
            _threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="viewer-bulk")
        return _threads


def in_process(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` in a worker process and wait for it (call from a pool thread).

    A worker that died (MuPDF crashing on a hostile file) breaks the pool: it is replaced,
    and the caller gets ``BrokenProcessPool``.
    """
    global _processes
    pool = process_pool()
    future: Future[T] = pool.submit(fn, *args)
    try:
        return future.result()
    except BrokenProcessPool:
        with _lock:
            if _processes is pool:
                _processes = None
        pool.shutdown(wait=False, cancel_futures=True)
        raise
