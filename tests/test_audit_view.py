"""The supervisor's audit view on its own, as the main window embeds it: AuditView(store, trust).

The store is filled the way an office fills it (see ``test_audit_support``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_audit_support import code_of, demos_fixture, office_fixture, rows_of  # noqa: F401 - used by name

from intake_desktop.demo.dossiers import Scenario
from intake_desktop.services.audit.charts import ChartKind
from intake_desktop.session import Session

ARTIFACTS = Path(__file__).parent / "_artifacts"


@pytest.fixture
def view(qtbot, office: Session):  # type: ignore[no-untyped-def]
    from intake_desktop.ui.audit_view import AuditView

    view = AuditView(office.store, office.desk.trust)
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        view.reload()
    qtbot.waitUntil(lambda: view.chart.image is not None, timeout=30_000)
    return view


def test_a_supervisor_filters_and_sees_the_chart(qtbot, view, office: Session, demos) -> None:  # type: ignore[no-untyped-def]
    rows = rows_of(office)
    assert view.model.rowCount() == len(rows)
    assert view.officer.findData("demo") > 0

    view.mismatch.setChecked(True)
    shown = view.model.rows()
    assert shown and all(r.signer_mismatch for r in shown)
    assert code_of(demos, Scenario.SIGNER_MISMATCH) in {r.dossier_code for r in shown}
    view.mismatch.setChecked(False)

    view.decision.setCurrentIndex(view.decision.findData("refuse"))
    assert {r.dossier_code for r in view.model.rows()} == {
        code_of(demos, Scenario.CORRUPT_ATTACHMENT)
    }
    view.decision.setCurrentIndex(0)
    view.provider.setText("viettel")
    assert view.model.rows() and all(
        any("Viettel" in p for p in r.providers) for r in view.model.rows()
    )
    view.provider.clear()

    with qtbot.waitSignal(view.chart.rendered, timeout=30_000):
        view.chart_kind.setCurrentIndex(view.chart_kind.findData(ChartKind.WEEKS.value))
    assert view.chart.chart is not None and view.chart.chart.kind is ChartKind.WEEKS
    assert view.chart.image is not None
    assert view.chart.image.width() >= view.chart.width()  # drawn for its width, not stretched
    shown = view.chart.image.height() / view.chart.image.devicePixelRatio()
    assert abs(view.chart.height() - shown) <= 1  # the widget is as tall as its chart

    # The dossier code is what a supervisor reads first: its column shows it whole.
    code = view.model.rows()[0].dossier_code
    needed = view.table.fontMetrics().horizontalAdvance(code)
    assert view.table.columnWidth(0) >= needed
    assert view.table.rowHeight(0) < 2 * view.table.fontMetrics().height()  # one line a row

    ARTIFACTS.mkdir(exist_ok=True)
    assert view.grab().save(str(ARTIFACTS / "audit_view.png"))


def test_revalidation_can_be_stopped_and_the_view_recovers(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    view.start_revalidation()
    assert view.progress.isVisible() and view.cancel_button.isVisible()
    assert not view.revalidate_button.isEnabled()
    view.cancel_revalidation()

    qtbot.waitUntil(lambda: "Đã kiểm tra lại" in view.status.text(), timeout=60_000)

    assert "đã dừng giữa chừng" in view.status.text()
    assert view.revalidate_button.isEnabled() and view.progress.isHidden()
    assert view.cancel_button.isHidden()


def test_the_view_exports_what_it_shows(qtbot, view, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    view.verdict.setCurrentIndex(view.verdict.findData("invalid"))
    out = tmp_path / "khong-hop-le.xlsx"
    view.export("xlsx", out)
    qtbot.waitUntil(lambda: "Đã xuất" in view.status.text(), timeout=30_000)

    sheet = list(load_workbook(out, read_only=True)["Hồ sơ"].iter_rows(values_only=True))
    assert len(sheet) == view.model.rowCount() + 1 > 1
    assert {line[6] for line in sheet[1:]} == {"invalid"}


def test_a_decision_not_yet_delivered_says_so(qtbot, view, office: Session, demos) -> None:  # type: ignore[no-untyped-def]
    from test_audit_support import decide

    from intake_desktop.domain import DecisionKind
    from intake_desktop.ui.audit_model import DECISION

    waiting = code_of(demos, Scenario.ALL_GOOD, 1)
    decide(office.desk, waiting, DecisionKind.ACCEPT)  # recorded, not sent
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        view.reload()
    model = view.model
    texts = {
        model.rows()[r].dossier_code: model.index(r, DECISION).data()
        for r in range(model.rowCount())
    }
    assert texts[waiting] == "Tiếp nhận (chờ gửi)"
    assert texts[code_of(demos, Scenario.ALL_GOOD)] == "Tiếp nhận"  # delivered
