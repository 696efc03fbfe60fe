"""MuPDF's messages go to the ``pymupdf`` logger, never to stdout.

PyMuPDF prints MuPDF's errors ("MuPDF error: unsupported error: cannot create appearance
stream for  annotations", for a file with an annotation MuPDF cannot draw) with ``print`` to
the ``sys.stdout`` it found when first imported, in every process that loads it: they came
before the document ``intake-desktop verify --json`` prints. PyMuPDF reads where to send them
from ``PYMUPDF_MESSAGE`` (and its debugging lines from ``PYMUPDF_LOG``) when it is imported,
so :func:`route_to_log` sets both before our first import of it. The environment reaches
every worker process too: spawned and forkserver children inherit it and import this package
before PyMuPDF; forked ones inherit the setting itself.

The messages are logged at INFO: the app's support log keeps them, the CLI shows them on
stderr only with ``--verbose``. Our reports say in words what a damaged file means.
"""

from __future__ import annotations

import logging
import os
import sys

LOGGER_NAME = "pymupdf"
MESSAGES_VARIABLE = "PYMUPDF_MESSAGE"
DEBUG_VARIABLE = "PYMUPDF_LOG"
_DESTINATIONS = {
    MESSAGES_VARIABLE: f"logging:name={LOGGER_NAME},level={logging.INFO}",
    DEBUG_VARIABLE: f"logging:name={LOGGER_NAME},level={logging.DEBUG}",
}


def route_to_log() -> None:
    """Send PyMuPDF's messages to the ``pymupdf`` logger, in this process and its children.

    A destination the user chose in the environment is kept. Call before importing PyMuPDF;
    if something imported it already, it is told directly.
    """
    chosen_here = [name for name in _DESTINATIONS if name not in os.environ]
    for name in chosen_here:
        os.environ[name] = _DESTINATIONS[name]
    pymupdf = sys.modules.get("pymupdf")
    if pymupdf is None:
        return
    if MESSAGES_VARIABLE in chosen_here:
        pymupdf.set_messages(text=_DESTINATIONS[MESSAGES_VARIABLE])
    if DEBUG_VARIABLE in chosen_here:
        pymupdf.set_log(text=_DESTINATIONS[DEBUG_VARIABLE])
