"""Start the desktop application: first start, sign-in (or test mode), then the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from intake_desktop import __version__
from intake_desktop.desk import DeskSettings
from intake_desktop.logs import add_file_log
from intake_desktop.services.signatures import DocumentReport, inspect_pdf
from intake_desktop.services.trust_anchors import current_trust

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from intake_desktop.services.adapters import RemoteSource
    from intake_desktop.services.credentials import CredentialStore
    from intake_desktop.services.source import Officer
    from intake_desktop.session import Session
    from intake_desktop.ui.app_settings import AppSettings

log = logging.getLogger(__name__)


def make_inspector() -> Callable[[Path], DocumentReport]:
    """Build the trust store (reads files and the store: run it off the GUI thread)."""
    trust = current_trust()

    def inspect(path: Path) -> DocumentReport:
        return inspect_pdf(path, trust)

    return inspect


def desk_settings(settings: AppSettings) -> DeskSettings:
    return DeskSettings(
        test_mode=settings.test_mode,
        online_revocation=settings.online_revocation,
        calendar=settings.calendar(),
        office=settings.office(),
        cache_limit_mb=settings.cache_limit_mb,
        supervisor=settings.test_mode and settings.test_supervisor,
    )


def _application(argv: list[str] | None) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from intake_desktop.viewer import qt_compat

    qt_compat.guard()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("Intake Desktop")
    app.setOrganizationName("intake-desktop")
    app.setApplicationVersion(__version__)
    return app


def open_session(settings: AppSettings) -> tuple[Session | None, AppSettings]:
    """Ask what the officer must answer before work starts; ``None`` if they gave up.

    Loops between the first-start and sign-in dialogs while the officer changes servers.
    """
    from PySide6.QtWidgets import QDialog

    from intake_desktop.services.credentials import CredentialStore
    from intake_desktop.session import open_live_session, open_test_mode_session
    from intake_desktop.ui.app_settings import save_settings
    from intake_desktop.ui.first_start_dialog import FirstStartDialog
    from intake_desktop.ui.sign_in_dialog import SignInDialog

    credentials = CredentialStore()
    while True:
        if not settings.configured:
            first = FirstStartDialog(settings)
            if first.exec() != QDialog.DialogCode.Accepted:
                return None, settings
            settings = first.result_settings()
            save_settings(settings)
        if settings.test_mode and not settings.server_url:
            return open_test_mode_session(desk_settings(settings)), settings

        sources: dict[str, RemoteSource] = {}
        login = partial(_login, settings, credentials, sources)
        dialog = SignInDialog(settings, login, credentials)
        code = dialog.exec()
        settings = dialog.result_settings()
        save_settings(settings)
        if code == SignInDialog.CHANGE_SERVER:
            settings = replace(settings, server_url="")
            continue
        officer: Officer | None = None
        if code == QDialog.DialogCode.Accepted and dialog.officer is not None:
            officer = dialog.officer
            source = sources[officer.username]
        elif code == SignInDialog.WORK_OFFLINE:  # no session: the local cache only
            source = _http_source(settings, credentials, settings.username)
        else:
            return None, settings
        session = open_live_session(
            source,
            desk_settings(settings),
            officer,
            username=officer.username if officer is not None else settings.username,
            test_mode=settings.test_mode,
        )
        return session, settings


def _login(
    settings: AppSettings,
    credentials: CredentialStore,
    sources: dict[str, RemoteSource],
    username: str,
    password: str,
) -> Officer:
    """Runs on the sign-in dialog's pool thread; keeps the signed-in source for the session."""
    source = _http_source(settings, credentials, username)
    sources[username] = source
    return source.login(password)


def _http_source(
    settings: AppSettings, credentials: CredentialStore, username: str
) -> RemoteSource:
    """The configured system ("Loại hệ thống"); plain http to a LAN address only for a
    classroom (test mode)."""
    from intake_desktop.services.adapters import SourceSettings, SystemKind, make_source

    return make_source(
        SourceSettings(
            SystemKind.parse(settings.system_kind),
            settings.server_url,
            username,
            sso_url=settings.sso_url,
            realm=settings.realm,
            client_id=settings.client_id,
            ca_bundle=settings.ca_bundle_path(),
            classroom=settings.test_mode,
        ),
        credentials,
    )


def run_gui(
    test_mode: bool = False, argv: list[str] | None = None, *, test_mode_if_new: bool = False
) -> int:
    """Run the app. ``test_mode``: the demo on this computer, for this run only;
    ``test_mode_if_new``: the same, but only while no server is configured (``make run``)."""
    from PySide6.QtCore import QThreadPool

    from intake_desktop.ui.app_settings import load_settings
    from intake_desktop.ui.gui_gc import GuiThreadCollector
    from intake_desktop.ui.i18n import install_translators
    from intake_desktop.ui.main_window import MainWindow

    log_path = add_file_log()
    log.info("Intake Desktop %s (test mode: %s), log at %s", __version__, test_mode, log_path)
    app = _application(argv)
    settings = load_settings()
    translators = install_translators(app, settings.language)
    forced = test_mode or (test_mode_if_new and not settings.configured)
    if forced:  # the demo on this computer, this run only: the saved choice is kept
        settings = replace(settings, test_mode=True, server_url="")
    session, settings = open_session(settings)
    if session is None:
        return 0
    collector = GuiThreadCollector(app)
    window = MainWindow(session, settings, log_path=log_path, keep_saved_mode=forced)
    window.show()
    try:
        code = app.exec()
    finally:
        # Background work still running uses the session: let it finish first.
        QThreadPool.globalInstance().waitForDone(30_000)
        collector.stop()
        session.close()
    del translators
    return int(code)
