"""Test mode's trainer tools in the main window: the guidance dock and scenario packs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from intake_desktop.domain import DecisionKind
from intake_desktop.services.demo_source import DemoDossierSource
from intake_desktop.services.training.packs import ImportedPack, PackError, import_pack
from intake_desktop.services.training.scenarios import ScenarioLibrary
from intake_desktop.services.training.scoring import PracticeScorer
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.error_text import error_text
from intake_desktop.ui.guidance_panel import GuidancePanel
from intake_desktop.ui.i18n import current_language
from intake_desktop.ui.scenario_pack_dialogs import (
    PackImportedDialog,
    choose_pack_file,
    export_pack_dialog,
    show_import_refused,
)

if TYPE_CHECKING:
    from intake_desktop.session import Session


class TrainingTools(QObject):
    """The "Tập huấn" menu: guidance (Ctrl+H), practice score, scenario packs.

    The library is built off the GUI thread the first time guidance is turned on: it needs
    the demo dossiers, which the demo source may still have to generate.
    """

    ready = Signal()
    packImported = Signal(object)  # ImportedPack, once its dossiers are served

    def __init__(self, window: QMainWindow, session: Session, source: DemoDossierSource) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._source = source
        self._code: str | None = None
        self.panel: GuidancePanel | None = None
        self.scorer: PracticeScorer | None = None
        self.dock = QDockWidget(self.tr("Hướng dẫn tập huấn"), window)
        self.dock.setObjectName("guidance_dock")
        self.dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock.hide()
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)

        menu = QMenu(self.tr("&Tập huấn"), window)
        self.guidance_action = QAction(self.tr("&Hướng dẫn"), self)
        self.guidance_action.setCheckable(True)
        self.guidance_action.setShortcut(QKeySequence("Ctrl+H"))
        self.guidance_action.toggled.connect(self.show_guidance)
        self.dock.visibilityChanged.connect(self.guidance_action.setChecked)
        menu.addAction(self.guidance_action)
        menu.addSeparator()
        export = menu.addAction(self.tr("&Xuất bộ tình huống…"))
        export.triggered.connect(self.export_pack)
        imported = menu.addAction(self.tr("&Nhập bộ tình huống…"))
        imported.triggered.connect(self.import_pack)
        window.menuBar().insertMenu(window.menuBar().actions()[-1], menu)

    @property
    def packs_dir(self) -> Path:
        return self._source.packs or self._session.desk.cache_dir.parent / "packs"

    def show_guidance(self, on: bool) -> None:
        if not on:
            self.dock.hide()
            return
        if self.panel is not None:
            self.dock.show()
            return
        source, store = self._source, self._session.store

        def build() -> PracticeScorer:
            return PracticeScorer(store, ScenarioLibrary(source.demo_dossiers))

        run_in_background(self, build, self._built, self._failed)

    def _built(self, scorer: PracticeScorer) -> None:
        self.scorer = scorer
        self.panel = GuidancePanel(scorer, language=current_language())
        self.dock.setWidget(self.panel)
        self.dock.show()
        self.panel.show_dossier(self._code)
        self.ready.emit()

    def _failed(self, error: BaseException) -> None:
        self._window.statusBar().showMessage(error_text(error), 10_000)

    def dossier_shown(self, code: str | None) -> None:
        self._code = code
        if self.panel is not None:
            self.panel.show_dossier(code)

    def decided(self, code: str, kind: DecisionKind) -> None:
        if self.panel is not None:
            self.panel.record_decision(code, kind)

    def export_pack(self) -> None:
        export_pack_dialog(self._window, self._source.demo_dossiers)

    def import_pack(self) -> None:
        """Choose a pack here; check its PDFs on a worker (about a second a file)."""
        from intake_desktop.demo.dossiers import demo_trust

        path = choose_pack_file(self._window)
        if path is None:
            return
        taken = {d.dossier.code for d in self._source.demo_dossiers}
        packs_dir = self.packs_dir
        self._window.statusBar().showMessage(self.tr("Đang kiểm tra bộ tình huống…"))

        def work() -> ImportedPack:
            return import_pack(path, packs_dir, demo_trust(), taken=taken)

        run_in_background(self, work, self._imported, self._import_failed)

    def _imported(self, imported: ImportedPack) -> None:
        self._window.statusBar().clearMessage()
        PackImportedDialog(imported, self._window).exec()
        self._source.add_dossiers(imported.pack.cases)
        if self.scorer is not None:
            self.scorer.set_library(ScenarioLibrary(self._source.demo_dossiers))
        self.packImported.emit(imported)
        sync = getattr(self._window, "start_sync", None)
        if callable(sync):
            sync()

    def _import_failed(self, error: BaseException) -> None:
        self._window.statusBar().clearMessage()
        if isinstance(error, PackError):
            show_import_refused(self._window, error)
        else:
            self._failed(error)
