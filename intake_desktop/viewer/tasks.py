"""Long viewer jobs on the thread pool, with results delivered on the GUI thread.

The viewer cannot use ``ui.background`` (``ui`` depends on the viewer, not the reverse) and
needs more: partial results (search hits page by page) and cancelling. Like it, one
long-lived relay QObject receives every result through a queued signal; no per-job QObject.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from intake_desktop.viewer.bulk import thread_pool

log = logging.getLogger(__name__)


class Task:
    """Handle of one job: the job reports progress with it, the GUI cancels with it."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._relay: _Relay | None = None
        self.id = 0

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """No callback runs for this job after this call (on the GUI thread)."""
        self._cancelled.set()
        if self._relay is not None:
            self._relay.drop(self.id)

    def report(self, value: object) -> None:
        """Send a partial result to ``on_partial`` (from the job's thread)."""
        if self._relay is not None and not self.cancelled:
            self._relay.partial.emit(self.id, value)


_Callbacks = tuple[
    QObject,
    Callable[[Any], None],
    Callable[[BaseException], None] | None,
    Callable[[Any], None] | None,
]


class _Relay(QObject):
    """Lives on the GUI thread for the whole session; pool threads emit its signals."""

    finished = Signal(int, bool, object)
    partial = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self._pending: dict[int, _Callbacks] = {}
        self._ids = itertools.count(1)
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.partial.connect(self._deliver_partial, Qt.ConnectionType.QueuedConnection)

    def register(self, callbacks: _Callbacks) -> int:
        job_id = next(self._ids)
        self._pending[job_id] = callbacks
        return job_id

    def drop(self, job_id: int) -> None:
        self._pending.pop(job_id, None)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, value: object) -> None:
        callbacks = self._pending.pop(job_id, None)
        if callbacks is None:
            return  # cancelled
        owner, on_done, on_error, _partial = callbacks
        if not shiboken6.isValid(owner):
            return
        if ok:
            on_done(value)
        elif on_error is not None and isinstance(value, BaseException):
            on_error(value)
        else:
            log.error("viewer job failed: %r", value)

    @Slot(int, object)
    def _deliver_partial(self, job_id: int, value: object) -> None:
        callbacks = self._pending.get(job_id)
        if callbacks is None or callbacks[3] is None or not shiboken6.isValid(callbacks[0]):
            return
        callbacks[3](value)


_relay: _Relay | None = None


def _get_relay() -> _Relay:
    global _relay
    if _relay is None or not shiboken6.isValid(_relay):
        _relay = _Relay()
    return _relay


def run_task(
    owner: QObject,
    work: Callable[[Task], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    on_partial: Callable[[Any], None] | None = None,
) -> Task:
    """Run ``work(task)`` on the viewer's thread pool; call back on the GUI thread.

    ``work`` must not touch widgets; it may call ``task.report(value)`` for ``on_partial``
    and should stop early when ``task.cancelled``. Nothing is called back once ``owner`` is
    destroyed or the task cancelled. Call from the GUI thread.
    """
    relay = _get_relay()
    task = Task()
    task._relay = relay
    task.id = relay.register((owner, on_done, on_error, on_partial))

    def run() -> None:
        if task.cancelled:
            return
        try:
            value = work(task)
        except Exception as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            log.info("viewer job raised: %r", exc)
            relay.finished.emit(task.id, False, exc)
        else:
            relay.finished.emit(task.id, True, value)

    thread_pool().submit(run)
    return task
