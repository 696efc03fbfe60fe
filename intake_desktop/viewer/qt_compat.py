"""Work around PySide6 6.12.0's reference-count bug on CPython 3.11.

PySide6-Essentials 6.12.0 (cp310-abi3 wheel) returns ``None`` from every void method
(``QPainter.fillRect``, ``QWidget.update``, ``QLabel.setText``…) and a bool from
``Signal.emit`` without taking a reference. On CPython 3.12+ those objects are immortal and
nothing happens; on 3.11 each call takes one reference away, and after a few thousand calls
(a few hundred repaints of a page) the interpreter aborts: "Fatal Python error: none_dealloc:
deallocating None". 6.11.3 does not have the bug.

Until the project pins PySide6 below 6.12 or moves to Python 3.12, :func:`guard` gives
``None``, ``True`` and ``False`` so many references (2**40) that they can never run out:
what CPython 3.12 does for them itself (PEP 683). It changes nothing else.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_RESERVE = 1 << 40
_done = False


def affected() -> bool:
    """True for PySide6 6.12 on a CPython whose singletons are not immortal."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    import PySide6

    return tuple(PySide6.__version_info__[:2]) == (6, 12)


def guard() -> None:
    """Make ``None``, ``True`` and ``False`` immortal in practice, once, when needed."""
    global _done
    if _done or not affected():
        return
    _done = True
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in CPython's (non-debug) layout.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        count.value += _RESERVE
    log.warning("PySide6 6.12 on Python 3.11: reference-count guard applied to None/True/False")
