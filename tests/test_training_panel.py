"""The trainer's guidance panel and the scenario pack dialogs (pytest-qt, offscreen)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from intake_desktop.demo.dossiers import DemoDossier, Scenario, demo_trust, generate_dossiers
from intake_desktop.domain import DecisionKind
from intake_desktop.services.signatures import Verdict
from intake_desktop.services.training.scenarios import ScenarioLibrary
from intake_desktop.services.training.scoring import PracticeScorer
from intake_desktop.store import Store, open_store
from intake_desktop.ui.guidance_panel import GuidancePanel
from intake_desktop.ui.scenario_pack_dialogs import (
    PackImportedDialog,
    export_pack_dialog,
    import_pack_dialog,
)

ARTIFACTS = Path(__file__).parent / "_artifacts"
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(scope="module")
def demos() -> list[DemoDossier]:
    return generate_dossiers(30, seed=5, now=NOW, workers=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "intake-test-mode.sqlite3") as opened:
        yield opened


def save_shot(qtbot: QtBot, widget: QWidget, name: str) -> None:
    qtbot.wait(50)  # let posted layout requests run, as the event loop would
    widget.grab().save(str(ARTIFACTS / name))


def first(demos: list[DemoDossier], scenario: Scenario) -> DemoDossier:
    return next(d for d in demos if d.scenario is scenario)


def test_the_panel_hides_the_answer_until_decided_and_keeps_the_score(
    qtbot: QtBot, store: Store, demos: list[DemoDossier]
) -> None:
    scorer = PracticeScorer(store, ScenarioLibrary(demos))
    panel = GuidancePanel(scorer)
    qtbot.addWidget(panel)
    panel.resize(380, 860)
    panel.show()
    forged = first(demos, Scenario.MODIFIED_AFTER_SIGNING)
    good = first(demos, Scenario.ALL_GOOD)

    panel.show_dossier(forged.dossier.code)
    assert panel.scenario_label.text() == "Bị sửa nội dung sau khi ký"
    assert "bản đã ký" in panel.look_for_label.text()
    assert panel.reveal_button.isVisible()
    assert not panel.answer_label.isVisible()

    with qtbot.waitSignal(panel.score_changed) as changed:
        attempt = panel.record_decision(forged.dossier.code, DecisionKind.ACCEPT)
    assert changed.args == [0, 1]
    assert attempt is not None and not attempt.correct
    assert panel.answer_label.isVisible() and not panel.reveal_button.isVisible()
    assert panel.answer_label.text() == "Yêu cầu bổ sung, hoàn thiện hồ sơ"
    assert "Chưa đúng" in panel.result_label.text()
    assert panel.guidance_label.text() == forged.guidance_vi
    assert panel.attempts.item(0).toolTip() == forged.guidance_vi
    assert panel.score_label.text() == "Đúng 0/1"
    save_shot(qtbot, panel, "guidance_panel_wrong.png")

    # Another dossier: the answer is hidden again until the trainer asks for it.
    panel.show_dossier(good.dossier.code)
    assert not panel.answer_label.isVisible() and not panel.result_label.isVisible()
    with qtbot.waitSignal(panel.answer_revealed) as revealed:
        panel.reveal_button.click()
    assert revealed.args == [good.dossier.code]
    assert panel.answer_label.text() == "Tiếp nhận"
    panel.record_decision(good.dossier.code, DecisionKind.ACCEPT)
    assert panel.score_label.text() == "Đúng 1/2"
    assert panel.attempts.count() == 2
    assert panel.attempts.item(0).text().startswith("✓ " + good.dossier.code)
    save_shot(qtbot, panel, "guidance_panel.png")

    # A decision on a dossier that is not a case is not scored.
    assert panel.record_decision("HS-KHAC", DecisionKind.ACCEPT) is None
    panel.show_dossier("HS-KHAC")
    assert "HS-KHAC" in panel.code_label.text() and not panel.reveal_button.isVisible()

    with qtbot.waitSignal(panel.score_changed) as changed:
        panel.reset_button.click()
    assert changed.args == [0, 0]
    assert panel.attempts.count() == 0
    assert PracticeScorer(store, ScenarioLibrary(demos)).score().total == 0


def test_the_panel_speaks_english_from_the_library(
    qtbot: QtBot, store: Store, demos: list[DemoDossier]
) -> None:
    panel = GuidancePanel(PracticeScorer(store, ScenarioLibrary(demos)), language="en")
    qtbot.addWidget(panel)
    two = first(demos, Scenario.TWO_SIGNATURES)
    panel.show_dossier(two.dossier.code)
    assert panel.scenario_label.text() == "Two valid signatures"
    assert panel.look_for_label.text().startswith("The file carries two signatures")

    # The dossier's own guidance and the scored explanation are in English too.
    panel.record_decision(two.dossier.code, DecisionKind.REQUEST_SUPPLEMENT)
    assert panel.guidance_label.text() == two.guidance_en
    assert panel.guidance_label.text().startswith("The file ")
    assert two.dossier.applicant.citizen_id in panel.guidance_label.text()
    assert panel.attempts.item(0).toolTip() == two.guidance_en
    panel.resize(380, 760)
    save_shot(qtbot, panel, "guidance_panel_en.png")


def test_export_then_import_dialogs_show_every_file_verdict(
    qtbot: QtBot, tmp_path: Path, demos: list[DemoDossier], monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [first(demos, Scenario.ALL_GOOD), first(demos, Scenario.MODIFIED_AFTER_SIGNING)]
    target = tmp_path / "lop"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Lớp tháng 11", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    exported = export_pack_dialog(None, cases)
    assert exported == tmp_path / "lop.zip" and zipfile.is_zipfile(exported)
    assert "2 hồ sơ" in told[0]

    shown: list[PackImportedDialog] = []

    def keep(dialog: PackImportedDialog) -> int:
        shown.append(dialog)
        qtbot.addWidget(dialog)
        dialog.show()
        save_shot(qtbot, dialog, "scenario_pack_imported.png")
        return 0

    monkeypatch.setattr(PackImportedDialog, "exec", keep)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(exported), ""))
    imported = import_pack_dialog(None, tmp_path / "packs", demo_trust(), taken=())
    assert imported is not None
    model = shown[0].model
    assert model.rowCount() == len(imported.checks)
    verdicts = {model.index(row, 2).data() for row in range(model.rowCount())}
    assert "Không hợp lệ" in verdicts and "Hợp lệ" in verdicts
    assert Verdict.INVALID in {check.verdict for check in imported.checks}


def test_a_refused_pack_says_why_in_vietnamese(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = tmp_path / "slip.zip"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("../../ngoai.pdf", b"%PDF-1.7")
    warned: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(hostile), ""))

    def warn(_parent: QWidget | None, _title: str, text: str) -> int:
        warned.append(text)
        return 0

    monkeypatch.setattr(QMessageBox, "warning", warn)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert import_pack_dialog(parent, tmp_path / "packs", demo_trust(), taken=()) is None
    assert "không an toàn" in warned[0] and "../../ngoai.pdf" in warned[0]
