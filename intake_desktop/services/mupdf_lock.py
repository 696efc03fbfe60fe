"""One lock for every use of PyMuPDF in this process.

PyMuPDF (MuPDF underneath) does not support being used from several threads at once, even on
different documents: its context, font and image caches are shared. The app uses it from
background work (signature changes, slips, reports, demo data) and from tests' threads; each
of those holds this lock while it calls PyMuPDF. Other *processes* (the viewer's render
process, bulk rendering, batch validation) have their own copy of PyMuPDF.
"""

from __future__ import annotations

import os
import threading
from types import TracebackType


class _ProcessLock:
    """A re-entrant lock that a forked child gets fresh: the parent's may be held by one of
    its threads at the moment of the fork, and nothing in the child would ever release it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def renew(self) -> None:
        self._lock = threading.RLock()

    def __enter__(self) -> bool:
        return self._lock.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._lock.release()


MUPDF_LOCK = _ProcessLock()
os.register_at_fork(after_in_child=MUPDF_LOCK.renew)
