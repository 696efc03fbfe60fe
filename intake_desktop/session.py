"""One working session: which store, source and trust the desk uses (live or test mode).

Plain Python: the app bootstrap builds a session after the first-start and sign-in dialogs,
and tests build one directly. Test mode never touches the live database or a server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from intake_desktop import paths
from intake_desktop.desk import Desk, DeskSettings
from intake_desktop.services.signatures import TrustStore
from intake_desktop.services.source import DossierSource, Officer
from intake_desktop.services.trust_anchors import current_trust, stored_anchors
from intake_desktop.store.db import Store, open_store

log = logging.getLogger(__name__)

DEMO_OFFICER = "demo"
DEMO_OFFICER_NAME = "Cán bộ tập huấn"


@dataclass
class Session:
    desk: Desk
    test_mode: bool
    offline: bool = False
    """Started without signing in (the server was unreachable): works from the local cache."""
    officer: Officer | None = None
    _owned: list[object] = field(default_factory=list)

    @property
    def store(self) -> Store:
        return self.desk.store

    def rebuild_trust(self) -> TrustStore:
        """Re-read the trust anchors after the officer imported or removed one."""
        trust = session_trust(self.store, test_mode=self.test_mode)
        self.desk.set_trust(trust)
        return trust

    def close(self) -> None:
        for item in reversed(self._owned):
            close = getattr(item, "close", None)
            if callable(close):
                close()
        self._owned.clear()


def session_trust(store: Store, *, test_mode: bool) -> TrustStore:
    """Live: the shipped Vietnamese roots plus imported ones. Test mode: the demo root (plus
    anything a trainer imported into the test-mode store), never the real roots' dossiers."""
    if test_mode:
        from intake_desktop.demo.dossiers import demo_trust

        return demo_trust().with_anchors(stored_anchors(store))
    return current_trust(store)


def demo_directory(home: Path | None = None) -> Path:
    path = (home or paths.data_dir()) / "demo"
    path.mkdir(parents=True, exist_ok=True)
    return path


def open_test_mode_session(
    settings: DeskSettings, *, home: Path | None = None, source: DossierSource | None = None
) -> Session:
    """The self-contained demo: its own database, the in-process demo source, the demo root.

    ``source`` replaces the demo source (tests pass one built from pre-generated dossiers).
    """
    from intake_desktop.services.demo_source import DemoDossierSource

    home = home or paths.data_dir()
    store = open_store(home / paths.database_path(test_mode=True).name, test_mode=True)
    if source is None:
        source = DemoDossierSource(demo_directory(home), officer=DEMO_OFFICER, packs=home / "packs")
    cache = home / "cache-test-mode"
    desk = Desk(
        store,
        source,
        session_trust(store, test_mode=True),
        cache,
        settings,
        officer=DEMO_OFFICER,
        officer_name=DEMO_OFFICER_NAME,
    )
    return Session(desk, test_mode=True, _owned=[store])


def open_live_session(
    source: DossierSource,
    settings: DeskSettings,
    officer: Officer | None,
    *,
    username: str,
    store: Store | None = None,
    test_mode: bool = False,
) -> Session:
    """The provincial system through ``source``, or with ``test_mode`` a classroom training
    server (test mode's own database and the demo root). ``officer`` is ``None`` when the
    officer chose to work offline from the local cache."""
    owned: list[object] = [source]
    if store is None:
        store = open_store(test_mode=test_mode)
        owned.insert(0, store)
    cache = paths.data_dir() / "cache-test-mode" if test_mode else paths.cache_dir()
    desk = Desk(
        store,
        source,
        session_trust(store, test_mode=test_mode),
        cache,
        replace(settings, test_mode=test_mode),
        officer=username,
        officer_name=officer.name if officer is not None else username,
        # The role the server gave at sign-in; offline, the last session's role is unknown.
        supervisor=officer is not None and officer.supervisor,
    )
    return Session(
        desk, test_mode=test_mode, offline=officer is None, officer=officer, _owned=owned
    )
