"""One way to run slow work off the GUI thread and get the answer back on it.

``run_in_background(owner, work, on_done, on_error)`` runs ``work()`` on the global
QThreadPool; its result or exception is delivered to the callbacks on the GUI thread, unless
``owner`` has been destroyed by then. ``work`` must not touch widgets.

One long-lived dispatcher object receives every result through a queued signal: creating
and deleting a relay QObject per job raced with Qt's deferred deletion and crashed.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_Callbacks = tuple[QObject, Callable[[Any], None], Callable[[BaseException], None] | None]


class _Dispatcher(QObject):
    """Lives on the GUI thread; worker threads post results to it."""

    finished = Signal(int, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self._pending: dict[int, _Callbacks] = {}
        self._ids = itertools.count(1)
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def register(self, callbacks: _Callbacks) -> int:
        job_id = next(self._ids)
        self._pending[job_id] = callbacks
        return job_id

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, value: object) -> None:
        owner, on_done, on_error = self._pending.pop(job_id)
        if not shiboken6.isValid(owner):
            return  # the window that asked is gone: nobody to tell
        if ok:
            on_done(value)
        elif on_error is not None and isinstance(value, BaseException):
            on_error(value)
        else:
            log.error("background work failed: %r", value)


_dispatcher: _Dispatcher | None = None


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], dispatcher: _Dispatcher, job_id: int) -> None:
        super().__init__()
        self._work = work
        self._dispatcher = dispatcher
        self._job_id = job_id

    def run(self) -> None:
        try:
            value = self._work()
        except Exception as exc:
            log.exception("background work raised")
            self._dispatcher.finished.emit(self._job_id, False, exc)
        else:
            self._dispatcher.finished.emit(self._job_id, True, value)


def run_in_background(
    owner: QObject,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Run ``work`` on a pool thread; ``on_done``/``on_error`` are called on the GUI thread.

    Call from the GUI thread.
    """
    dispatcher = _get_dispatcher()
    job_id = dispatcher.register((owner, on_done, on_error))
    (pool or QThreadPool.globalInstance()).start(_Job(work, dispatcher, job_id))
