"""UI languages. Source strings are Vietnamese (the default); English comes from a catalog.

``resources/translations/intake_en.ts`` is compiled to ``.qm`` with pyside6-lrelease when the
compiled file is missing or older than the source.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from intake_desktop.paths import cache_dir, resource

log = logging.getLogger(__name__)

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"


def _lrelease() -> str | None:
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    return str(beside) if beside.exists() else shutil.which("pyside6-lrelease")


def compiled_catalog(language: str) -> Path | None:
    """Path of the compiled ``.qm`` for ``language``, compiling it if needed."""
    source = resource("translations", f"intake_{language}.ts")
    if not source.exists():
        return None
    shipped = source.with_suffix(".qm")
    if shipped.exists() and shipped.stat().st_mtime >= source.stat().st_mtime:
        return shipped
    target = cache_dir() / shipped.name
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        log.warning("pyside6-lrelease not found; UI stays in Vietnamese")
        return None
    result = subprocess.run(
        [tool, str(source), "-qm", str(target)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        log.warning("lrelease failed for %s: %s", source, result.stderr.strip())
        return None
    return target


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the catalogs for ``language`` on ``app``; return them (keep them alive)."""
    translators: list[QTranslator] = []
    if language == DEFAULT_LANGUAGE:
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        qt_own = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load("qtbase_vi", qt_dir):
            app.installTranslator(qt_own)
            translators.append(qt_own)
        return translators
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    qm = compiled_catalog(language)
    if qm is not None:
        ours = QTranslator(app)
        if ours.load(str(qm)):
            app.installTranslator(ours)
            translators.append(ours)
    return translators


def current_language() -> str:
    """The UI language in use ("vi" or "en"), from the default locale install_translators set."""
    return "en" if QLocale().language() == QLocale.Language.English else DEFAULT_LANGUAGE
