"""Start the desktop application."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from intake_desktop import __version__
from intake_desktop.logs import add_file_log
from intake_desktop.services.signatures import DocumentReport, inspect_pdf
from intake_desktop.services.trust_anchors import current_trust

log = logging.getLogger(__name__)


def make_inspector() -> Callable[[Path], DocumentReport]:
    """Build the trust store (reads files and the store: run it off the GUI thread)."""
    trust = current_trust()

    def inspect(path: Path) -> DocumentReport:
        return inspect_pdf(path, trust)

    return inspect


def run_gui(test_mode: bool = False, argv: list[str] | None = None) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from intake_desktop.ui.i18n import DEFAULT_LANGUAGE, install_translators
    from intake_desktop.ui.signature_check_window import SignatureCheckWindow

    log_path = add_file_log()
    log.info("Intake Desktop %s (test mode: %s), log at %s", __version__, test_mode, log_path)
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
