"""One way to run slow work off the GUI thread and get the answer back on it.

``run_in_background(owner, work, on_done, on_error)`` runs ``work()`` on the global
QThreadPool; its result or exception is delivered to the callbacks on the GUI thread through
a relay QObject that lives there. ``work`` must not touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; queued signals from the worker land here."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        owner: QObject,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        super().__init__(owner)
        self._on_done = on_done
        self._on_error = on_error
        self.succeeded.connect(self._done)
        self.failed.connect(self._error)

    @Slot(object)
    def _done(self, value: object) -> None:
        try:
            self._on_done(value)
        finally:
            self.deleteLater()

    @Slot(object)
    def _error(self, exc: object) -> None:
        try:
            if self._on_error is not None and isinstance(exc, BaseException):
                self._on_error(exc)
            else:
                log.error("background work failed: %r", exc)
        finally:
            self.deleteLater()


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            value = self._work()
        except Exception as exc:
            log.exception("background work raised")
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(value)


def run_in_background(
    owner: QObject,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Run ``work`` on a pool thread; ``on_done``/``on_error`` are called on the GUI thread."""
    relay = _Relay(owner, on_done, on_error)
    (pool or QThreadPool.globalInstance()).start(_Job(work, relay))
