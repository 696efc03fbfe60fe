"""The English catalog: complete, in step with the sources, and really used by the UI."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "resources" / "translations" / "intake_en.ts"
PLACEHOLDER = re.compile(r"%(?:\d|n)")


def _messages(path: Path) -> list[ET.Element]:
    return list(ET.parse(path).getroot().iter("message"))


def _texts(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    forms = [f.text or "" for f in translation.findall("numerusform")]
    return forms if message.get("numerus") == "yes" else [translation.text or ""]


def test_every_message_is_translated_with_its_placeholders() -> None:
    messages = _messages(CATALOG)
    assert len(messages) > 400
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None and translation.get("type") is None, source
        texts = _texts(message)
        if message.get("numerus") == "yes":
            assert len(texts) == 2, source  # English: singular and plural
        for text in texts:
            assert text.strip(), source
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), source
            assert ("&" in source) <= ("&" in text), f"accelerator lost: {source}"


def test_the_catalog_is_in_step_with_the_sources(tmp_path: Path) -> None:
    """A UI string added without its English fails here: run ``make translations``."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed beside this Python")
    copy = tmp_path / "intake_en.ts"
    shutil.copy(CATALOG, copy)
    sources = sorted(
        str(p)
        for folder in ("ui", "viewer")
        for p in (ROOT / "intake_desktop" / folder).rglob("*.py")
    )
    subprocess.run(
        [str(lupdate), *sources, "-ts", str(copy), "-source-language", "vi_VN",
         "-target-language", "en_GB", "-no-obsolete", "-locations", "none"],
        check=True, capture_output=True,
    )  # fmt: skip
    unfinished = [
        m.findtext("source")
        for m in _messages(copy)
        if (m.find("translation") is not None and m.find("translation").get("type"))  # type: ignore[union-attr]
    ]
    assert unfinished == [], "run `make translations` and translate: " + repr(unfinished[:5])


class _TrCalls(ast.NodeVisitor):
    """(context, source, line) of every ``self.tr("…")`` / ``translate("Ctx", "…")`` call."""

    def __init__(self) -> None:
        self.classes: list[str] = []
        self.found: list[tuple[str | None, str, int]] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        name = getattr(node.func, "attr", getattr(node.func, "id", None))
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if name == "tr" and args and isinstance(args[0], str):
            self.found.append((self.classes[-1] if self.classes else None, args[0], node.lineno))
        elif name == "translate" and len(args) >= 2 and isinstance(args[1], str):
            context = args[0] if isinstance(args[0], str) else None
            self.found.append((context, args[1], node.lineno))
        self.generic_visit(node)


def test_every_literal_tr_call_is_in_the_catalog() -> None:
    """lupdate skips tr() inside an f-string's braces: call tr() outside it, as a plain literal."""
    catalog = ET.parse(CATALOG).getroot()
    known = {
        (context.findtext("name"), message.findtext("source"))
        for context in catalog.iter("context")
        for message in context.iter("message")
    }
    unseen = []
    for folder in ("ui", "viewer"):
        for path in sorted((ROOT / "intake_desktop" / folder).rglob("*.py")):
            calls = _TrCalls()
            calls.visit(ast.parse(path.read_text(encoding="utf-8")))
            unseen += [
                f"{path.relative_to(ROOT)}:{line}: {source!r}"
                for context, source, line in calls.found
                if (context, source) not in known
            ]
    assert unseen == [], "lupdate cannot see these tr() calls: " + "; ".join(unseen)


def test_the_english_ui_speaks_english(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    from intake_desktop.ui.app_settings import AppSettings
    from intake_desktop.ui.first_start_dialog import FirstStartDialog
    from intake_desktop.ui.i18n import current_language, install_translators

    app = QCoreApplication.instance()
    assert app is not None
    translators = install_translators(app, "en")
    try:
        assert translators and current_language() == "en"
        dialog = FirstStartDialog(AppSettings())
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.windowTitle() == "Start using Intake Desktop"
        assert dialog.choose_test_mode.text() == "Use &test mode"
        artifacts = ROOT / "tests" / "_artifacts"
        artifacts.mkdir(exist_ok=True)
        assert dialog.grab().save(str(artifacts / "first-start-en.png"))
    finally:
        for translator in translators:
            QCoreApplication.removeTranslator(translator)
        install_translators(app, "vi")  # back to the default for the tests that follow
    assert current_language() == "vi"
