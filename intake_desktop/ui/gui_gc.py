"""Garbage collection on the GUI thread only.

Python's cyclic collector runs on whichever thread happens to allocate when a threshold is
crossed: a sync or render worker, say. If the cycles it frees hold Qt objects, they are
destroyed on that thread, which Qt does not allow (crashes). So the automatic collector is
switched off and the GUI thread collects on a timer, with the same generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    def check(self) -> None:
        first, second, third = gc.get_count()
        if first > self._thresholds[0]:
            generation = 0
            if second > self._thresholds[1]:
                generation = 2 if third > self._thresholds[2] else 1
            gc.collect(generation)

    def stop(self) -> None:
        """Give collection back to Python (at shutdown)."""
        self._timer.stop()
        gc.enable()
