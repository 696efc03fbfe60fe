"""Logging for the CLI and the app: stderr for the CLI, a rotating file for support."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from intake_desktop.paths import log_dir

LOG_FILE_NAME = "intake-desktop.log"


def configure(verbose: bool = False) -> None:
    """Send warnings (everything with ``verbose``) to stderr; keep pyHanko quiet.

    pyHanko logs each rejected path or suspicious diff with a traceback; our reports say
    the same in words, so its records are only wanted when debugging.
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.CRITICAL)


def add_file_log() -> Path:
    """Also log INFO and up to a rotating file under the data directory; return its path."""
    path = log_dir() / LOG_FILE_NAME
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for handler_ in root.handlers:
        if isinstance(handler_, logging.StreamHandler) and handler_ is not handler:
            handler_.setLevel(max(handler_.level, logging.WARNING))
    return path
