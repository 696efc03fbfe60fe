"""Start the desktop application."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from intake_desktop import __version__
from intake_desktop.paths import log_dir

log = logging.getLogger(__name__)


def setup_file_logging() -> Path:
    """Log to a rotating file under the data directory (for support); return its path."""
    path = log_dir() / "intake-desktop.log"
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level, logging.INFO) if root.level else logging.INFO)
    return path


def make_inspector():  # type: ignore[no-untyped-def]
    """Build the trust store (slow-ish: reads files and the store) and return an inspector."""
    from functools import partial

    from intake_desktop.services.signatures import inspect_pdf
    from intake_desktop.services.trust_anchors import current_trust

    return partial(inspect_pdf, trust=current_trust())


def run_gui(test_mode: bool = False, argv: list[str] | None = None) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from intake_desktop.ui.i18n import DEFAULT_LANGUAGE, install_translators
    from intake_desktop.ui.signature_check_window import SignatureCheckWindow

    log_path = setup_file_logging()
    log.info("Intake Desktop %s starting (test mode: %s), log at %s", __version__, test_mode, log_path)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Intake Desktop")
    app.setOrganizationName("intake-desktop")
    app.setApplicationVersion(__version__)
    settings = QSettings()
    language = str(settings.value("ui/language", DEFAULT_LANGUAGE))
    translators = install_translators(app, language)
    window = SignatureCheckWindow(make_inspector, test_mode=test_mode)
    window.resize(1280, 760)
    window.show()
    code = app.exec()
    del translators
    return int(code)
