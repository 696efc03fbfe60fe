"""Background work: results come back on the GUI thread, errors too, and a closed window is
simply not called back."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread

from intake_desktop.ui.background import run_in_background


def test_many_jobs_return_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    owner = QObject()
    results: list[tuple[int, bool]] = []
    gui = QThread.currentThread()

    def work(i: int) -> int:
        assert threading.current_thread() is not threading.main_thread()
        time.sleep(0.002 * (i % 5))
        return i * i

    def done(value: int) -> None:
        results.append((value, QThread.currentThread() is gui))

    for i in range(60):
        run_in_background(owner, lambda i=i: work(i), done)
    qtbot.waitUntil(lambda: len(results) == 60, timeout=10_000)
    assert sorted(v for v, _ in results) == sorted(i * i for i in range(60))
    assert all(on_gui for _, on_gui in results)


def test_errors_reach_the_error_handler(qtbot) -> None:  # type: ignore[no-untyped-def]
    owner = QObject()
    errors: list[BaseException] = []

    def fail() -> None:
        raise ValueError("tệp hỏng")

    run_in_background(owner, fail, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5_000)
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "tệp hỏng"


def test_destroyed_owner_is_not_called_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    owner = QObject()
    called: list[object] = []
    done = threading.Event()

    def slow() -> int:
        done.wait(5)
        return 1

    run_in_background(owner, slow, called.append)
    owner.deleteLater()
    qtbot.wait(50)  # the deferred delete happens
    done.set()
    marker = QObject()
    seen: list[object] = []
    run_in_background(marker, lambda: 2, seen.append)
    qtbot.waitUntil(lambda: seen == [2], timeout=5_000)
    qtbot.wait(50)
    assert called == []
