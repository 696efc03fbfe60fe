"""Supervisor audit over a real test-mode store: filters, summaries, exports, CLI, the log.

The store is filled the way an office fills it (see ``test_audit_support``).
"""

from __future__ import annotations

import csv
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pymupdf
from test_audit_support import code_of, demos_fixture, office_fixture, rows_of  # noqa: F401 - used by name

from intake_desktop.cli import main as cli_main
from intake_desktop.clock import vn_today
from intake_desktop.demo.dossiers import Scenario
from intake_desktop.domain import DecisionKind
from intake_desktop.services.audit import (
    AuditFilter,
    VerdictFilter,
    apply_filter,
    summarize,
)
from intake_desktop.services.audit.export import export_csv, export_pdf, export_xlsx
from intake_desktop.services.audit.revalidate import revalidate
from intake_desktop.services.signatures import Verdict
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.session import Session


def test_every_file_is_a_row_with_its_verdict_and_decision(office: Session, demos) -> None:  # type: ignore[no-untyped-def]
    rows = rows_of(office)
    files = sum(len(c.attachments) for d in demos for c in d.dossier.components)
    assert len(rows) == files
    modified = [
        r for r in rows if r.dossier_code == code_of(demos, Scenario.MODIFIED_AFTER_SIGNING)
    ]
    assert any(r.verdict_now is Verdict.INVALID for r in modified)
    assert all(r.decision is DecisionKind.ACCEPT and r.officer == "demo" for r in modified)
    assert any(r.verdict_then == "invalid" for r in modified)  # what the officer saw
    assert any("modified_other" in r.problems for r in modified)


def test_each_filter(office: Session, demos) -> None:  # type: ignore[no-untyped-def]
    rows = rows_of(office)
    today = vn_today()

    def codes(criteria: AuditFilter) -> set[str]:
        return {r.dossier_code for r in apply_filter(rows, criteria)}

    despite = codes(AuditFilter(verdict=VerdictFilter.ACCEPTED_DESPITE_PROBLEMS))
    assert despite == {code_of(demos, Scenario.MODIFIED_AFTER_SIGNING)}
    assert codes(AuditFilter(decision=DecisionKind.REFUSE)) == {
        code_of(demos, Scenario.CORRUPT_ATTACHMENT)
    }
    assert len(codes(AuditFilter(undecided=True))) == 26
    assert len(codes(AuditFilter(officer="demo"))) == 4
    assert codes(AuditFilter(officer="someone else")) == set()
    mismatch = codes(AuditFilter(signer_mismatch=True))
    assert code_of(demos, Scenario.SIGNER_MISMATCH) in mismatch
    assert code_of(demos, Scenario.ALL_GOOD) not in mismatch
    assert codes(AuditFilter(verdict=VerdictFilter.INVALID)) >= {
        code_of(demos, Scenario.MODIFIED_AFTER_SIGNING)
    }
    fpt = codes(AuditFilter(provider="fpt"))
    viettel = codes(AuditFilter(provider="viettel"))
    assert fpt and viettel and fpt != viettel
    birth = codes(AuditFilter(procedure="khai sinh"))  # diacritics optional
    assert birth and all(
        "khai sinh" in next(d.dossier.procedure_name for d in demos if d.dossier.code == c).lower()
        for c in birth
    )
    # Decided today; undecided ones are dated by their submission (before today).
    assert len(codes(AuditFilter(date_from=today, date_to=today))) == 4
    assert codes(AuditFilter(date_to=today - timedelta(days=400))) == set()
    someone = demos[0].dossier.applicant.name
    assert demos[0].dossier.code in codes(AuditFilter(text=someone.upper()))


def test_summaries_count_by_verdict_week_problem_provider_procedure(office: Session) -> None:
    summary = summarize(rows_of(office))
    assert summary.files == sum(summary.by_verdict.values())
    assert summary.dossiers == 30 and summary.decided == 4
    assert summary.by_verdict["valid"] > 0 and summary.by_verdict["invalid"] > 0
    assert "modified_other" in summary.problems
    assert sum(sum(w.values()) for w in summary.by_week.values()) == summary.files
    assert all(name.startswith("DEMO") or name == "—" for name in summary.by_provider)
    assert summary.by_procedure


def test_csv_xlsx_and_pdf_exports_hold_the_rows(office: Session, tmp_path: Path, demos) -> None:  # type: ignore[no-untyped-def]
    rows = apply_filter(rows_of(office), AuditFilter(officer="demo"))
    code = code_of(demos, Scenario.MODIFIED_AFTER_SIGNING)

    export_csv(rows, tmp_path / "a.csv")
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    table = list(csv.reader((tmp_path / "a.csv").open(encoding="utf-8-sig")))
    assert table[0][0] == "Mã hồ sơ" and len(table) == len(rows) + 1
    assert any(line[0] == code and line[6] == "invalid" for line in table[1:])

    from openpyxl import load_workbook

    export_xlsx(rows, tmp_path / "a.xlsx")
    book = load_workbook(tmp_path / "a.xlsx", read_only=True)
    sheet = list(book["Hồ sơ"].iter_rows(values_only=True))
    assert sheet[0][2] == "Chủ hồ sơ" and len(sheet) == len(rows) + 1
    assert {line[0] for line in sheet[1:]} == {r.dossier_code for r in rows}
    totals = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert ("Không hợp lệ", sum(1 for r in rows if r.verdict_now is Verdict.INVALID)) in totals

    export_pdf(rows, tmp_path / "a.pdf", AuditFilter(officer="demo"))
    with pymupdf.open(tmp_path / "a.pdf") as pdf:
        text = "\n".join(page.get_text() for page in pdf)
        fonts = {f[3] for page in pdf for f in page.get_fonts()}
    assert "BÁO CÁO KIỂM TRA CHỮ KÝ SỐ" in text and "cán bộ demo" in text
    assert "Kết luận chữ ký số" in text and "Tài liệu đã bị thay đổi nội dung sau khi ký" in text
    assert code in text
    assert any("DejaVu" in name for name in fonts)


def test_the_cli_exports_headless_and_checks_the_log(office: Session, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    today = vn_today().isoformat()
    args = ["audit", "--test-mode", "--from", today, "--to", today, "--out", str(out)]
    assert cli_main(args) == 0
    lines = list(csv.reader(out.open(encoding="utf-8-sig")))[1:]
    assert len({line[0] for line in lines}) == 4  # the dossiers decided today
    pdf = tmp_path / "report.pdf"
    assert cli_main([*args[:-2], "--format", "pdf", "--out", str(pdf), "--mismatch"]) == 0
    with pymupdf.open(pdf) as report:
        assert "người ký khác chủ hồ sơ" in report[0].get_text()
    assert cli_main(["audit", "--test-mode", "--out", str(tmp_path / "r.txt")]) == 2
    assert cli_main(["audit", "--test-mode", "--verify-log"]) == 0


def test_an_edited_audit_entry_is_pointed_at(office: Session, capsys) -> None:  # type: ignore[no-untyped-def]
    path = office.store.path
    office.store.engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER audit_log_no_update")  # what someone editing the file would do
        (second,) = db.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1").fetchone()
        db.execute("UPDATE audit_log SET actor = 'canbo99' WHERE id = ?", (second,))
    assert cli_main(["audit", "--test-mode", "--verify-log"]) == 1
    message = capsys.readouterr().err
    assert f"BROKEN at entry {second}" in message
    # Names what the entry was, and when, so the supervisor can find it in the paper trail.
    with sqlite3.connect(path) as db:
        at, action = db.execute(
            "SELECT at, action FROM audit_log WHERE id = ?", (second,)
        ).fetchone()
    when = datetime.fromisoformat(at).astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M:%S")
    assert f"action '{action}' by 'canbo99'" in message and when in message
    assert "edited after it was written" in message


def test_revalidating_a_selection_follows_progress_and_can_be_cancelled(office: Session) -> None:
    rows = rows_of(office)
    seen: list[tuple[int, int]] = []
    done = revalidate(
        office.store, rows, office.desk.trust, progress=lambda a, b: seen.append((a, b))
    )
    assert done.missing == 0 and 0 < done.checked == seen[-1][1] <= len(rows)
    assert not done.cancelled and done.changed == 0 and seen[-1][0] == seen[-1][1]
    stop = threading.Event()
    stop.set()
    cancelled = revalidate(office.store, rows, office.desk.trust, cancel=stop)
    assert cancelled.cancelled and cancelled.checked == 0


def test_the_audit_tab_filters_charts_revalidates_and_exports(  # type: ignore[no-untyped-def]
    qtbot, office: Session, demos, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    from intake_desktop.ui.main_window import MainWindow

    window = MainWindow(office, auto_sync=False, show_slips=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.queueLoaded, timeout=30_000):
        pass
    view = window.show_audit()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=30_000)
    assert view.model.rowCount() == len(rows_of(office))
    view.verdict.setCurrentIndex(view.verdict.findData("accepted_despite_problems"))
    codes = {r.dossier_code for r in view.model.rows()}
    assert codes == {code_of(demos, Scenario.MODIFIED_AFTER_SIGNING)}
    view.verdict.setCurrentIndex(0)
    with qtbot.waitSignal(view.chart.rendered, timeout=30_000):
        view.chart_kind.setCurrentIndex(view.chart_kind.findData("problems"))
    assert view.chart.chart is not None and view.chart.chart.bars
    assert view.chart.image is not None and not view.chart.image.isNull()
    assert "30 hồ sơ" in view.figures.text()
    QApplication.processEvents()
    artifacts = Path(__file__).parent / "_artifacts"
    artifacts.mkdir(exist_ok=True)
    assert window.grab().save(str(artifacts / "audit_tab.png"))

    out = tmp_path / "tab.csv"
    view.export("csv", out)
    qtbot.waitUntil(lambda: out.exists() and "Đã xuất" in view.status.text(), timeout=30_000)
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == view.model.rowCount() + 1

    view.text.setText(code_of(demos, Scenario.ALL_GOOD))
    view.start_revalidation()
    qtbot.waitUntil(lambda: "Đã kiểm tra lại" in view.status.text(), timeout=60_000)
    assert view.revalidate_button.isEnabled() and view.progress.isHidden()
    QApplication.processEvents()
    qtbot.wait(200)  # the reload that follows a revalidation

    # Back and forth between the tabs: read again only when the store changed meanwhile.
    loads: list[int] = []
    view.loaded.connect(lambda: loads.append(1))
    window.tabs.setCurrentIndex(0)
    window.tabs.setCurrentWidget(view)
    qtbot.wait(300)
    assert loads == []
    window.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(window.queueLoaded, timeout=30_000):
        window.reload_queue()  # e.g. a sync while the officer's tab is shown
    assert loads == []
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        window.tabs.setCurrentWidget(view)
    # A sync while the audit is on screen reads it at once.
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        window.reload_queue()
