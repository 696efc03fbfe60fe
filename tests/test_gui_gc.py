"""The app collects garbage on the GUI thread only."""

from __future__ import annotations

import gc
import weakref

from intake_desktop.ui.gui_gc import GuiThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle only the cyclic collector frees


def test_cycles_wait_for_the_gui_thread_then_go(qapp) -> None:  # type: ignore[no-untyped-def]
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        node = _Node()
        alive = weakref.ref(node)
        del node
        for _ in range(gc.get_threshold()[0] + 10):
            _Node()  # enough allocations to have triggered the automatic collector
        assert alive() is not None  # nothing collected behind the GUI thread's back
        collector.check()
        assert alive() is None
    finally:
        collector.stop()
    assert gc.isenabled()
