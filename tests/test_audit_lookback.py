"""Looking back: old verdicts, verdicts that changed since the decision, re-validation that is
stopped half-way, the PDF report's charts and columns, and the log's broken links.

The store is filled the way an office fills it (see ``test_audit_support``).
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import update
from test_audit_support import code_of, demos_fixture, office_fixture, rows_of  # noqa: F401 - used by name

from intake_desktop.cli import main as cli_main
from intake_desktop.demo.dossiers import DemoDossier, Scenario
from intake_desktop.domain import DecisionKind
from intake_desktop.services.audit import AuditFilter, VerdictFilter, apply_filter, load_rows
from intake_desktop.services.audit.charts import ChartKind, chart_of, chart_png
from intake_desktop.services.audit.export import export_pdf
from intake_desktop.services.audit.revalidate import revalidate
from intake_desktop.services.audit.summary import summarize
from intake_desktop.services.signatures import TrustStore, Verdict
from intake_desktop.session import Session
from intake_desktop.store.models import AuditVerdictRow, SignatureReportRow


def test_a_verdict_reached_last_month_is_still_shown_with_its_date(office: Session) -> None:
    """The desk re-checks files after a day; the audit looks back and keeps the last verdict."""
    month_ago = datetime.now(UTC) - timedelta(days=30)
    with office.store.session() as s:
        # The report and the audit's narrow copy of it were written together, a month ago.
        s.execute(update(SignatureReportRow).values(created_at=month_ago))
        s.execute(update(AuditVerdictRow).values(checked_at=month_ago))

    rows = rows_of(office)

    assert all(r.verdict_now is not None for r in rows if r.sha256)
    assert {r.checked_at for r in rows if r.sha256} == {month_ago}
    assert apply_filter(rows, AuditFilter(verdict=VerdictFilter.NOT_CHECKED)) == [
        r for r in rows if not r.sha256
    ]


def test_a_root_removed_since_the_decision_shows_beside_what_the_officer_saw(
    office: Session, demos: list[DemoDossier]
) -> None:
    accepted = code_of(demos, Scenario.ALL_GOOD)
    no_roots = TrustStore.of([])

    before = load_rows(office.store, no_roots)
    assert all(r.verdict_now is None for r in before)  # not checked with these anchors yet
    done = revalidate(office.store, before, no_roots)
    assert done.checked > 0 and done.changed == done.checked  # every one was "not checked"

    rows = load_rows(office.store, no_roots)
    mine = [r for r in rows if r.dossier_code == accepted]
    assert mine and all(r.verdict_then == "valid" for r in mine)
    assert all(r.verdict_now in (Verdict.INDETERMINATE, Verdict.INVALID) for r in mine)
    changed = apply_filter(rows, AuditFilter(verdict=VerdictFilter.CHANGED_SINCE_DECISION))
    assert accepted in {r.dossier_code for r in changed}
    assert all(r.decision is not None for r in changed)  # only decisions have a "then"
    despite = apply_filter(rows, AuditFilter(verdict=VerdictFilter.ACCEPTED_DESPITE_PROBLEMS))
    assert accepted in {r.dossier_code for r in despite}
    # With the anchors the officer had, nothing changed.
    same = rows_of(office)
    assert apply_filter(same, AuditFilter(verdict=VerdictFilter.CHANGED_SINCE_DECISION)) == []


def test_revalidation_stopped_half_way_keeps_what_it_checked(office: Session) -> None:
    rows = rows_of(office)
    stop = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        stop.set()  # the supervisor presses "Dừng" after the first round

    result = revalidate(office.store, rows, office.desk.trust, progress=progress, cancel=stop)

    assert result.cancelled and result.checked == seen[-1][0] == 1
    assert seen[-1][1] > 1  # there was more to do
    assert result.changed == 0  # same anchors, same files: same verdicts
    again = revalidate(office.store, rows, office.desk.trust)
    assert not again.cancelled and again.checked == seen[-1][1]


def test_the_pdf_report_has_every_chart_and_both_verdict_columns(
    office: Session, tmp_path: Path, demos: list[DemoDossier]
) -> None:
    rows = apply_filter(rows_of(office), AuditFilter(decision=DecisionKind.ACCEPT))
    out = tmp_path / "report.pdf"

    export_pdf(rows, out, AuditFilter(verdict=VerdictFilter.ACCEPTED_DESPITE_PROBLEMS))

    with pymupdf.open(out) as pdf:
        text = "\n".join(page.get_text() for page in pdf)
        drawings = sum(len(page.get_drawings()) for page in pdf)
    assert "kết luận: tiếp nhận dù chữ ký có vấn đề" in text
    for title in (
        "Kết luận chữ ký số (số tệp)",
        "Kết luận chữ ký số theo tuần (số tệp)",
        "Vấn đề thường gặp (số tệp)",
        "Tệp có vấn đề theo tổ chức cung cấp chứng thư",
        "Tệp có vấn đề theo thủ tục",
    ):
        assert title in text
    assert "Kết luận nay" in text and "Khi quyết định" in text
    assert "Không hợp lệ" in text and "Hợp lệ" in text  # the verdicts, then and now
    assert code_of(demos, Scenario.MODIFIED_AFTER_SIGNING) in text
    assert drawings >= len(rows)  # bars and table rules, not just text


def test_each_chart_renders_as_a_png_the_window_can_show(office: Session) -> None:
    summary = summarize(rows_of(office))
    for kind in ChartKind:
        chart = chart_of(summary, kind)
        assert not chart.empty, kind
        image = pymupdf.Pixmap(chart_png(chart, width=400, zoom=1.5))
        assert image.width == 600 and image.height > 60, kind  # sharp on a 1.5x screen
    weeks = chart_of(summary, ChartKind.WEEKS, "en")
    assert weeks.title == "Signature verdicts per week (files)"
    assert sum(n for _, counts in weeks.weeks for _, n in counts) == summary.files
    empty = chart_of(summarize([]), ChartKind.PROBLEMS)
    assert empty.empty and chart_png(empty).startswith(b"\x89PNG")


def test_a_deleted_entry_is_named_by_the_one_after_it(office: Session, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli_main(["audit", "--test-mode", "--verify-log"]) == 0
    intact = capsys.readouterr().out
    path = office.store.path
    office.store.engine.dispose()
    with sqlite3.connect(path) as db:
        (count,) = db.execute("SELECT count(*) FROM audit_log").fetchone()
        assert f"audit log intact: {count} entries" in intact
        db.execute("DROP TRIGGER audit_log_no_delete")
        first, second, third = (
            row[0] for row in db.execute("SELECT id FROM audit_log ORDER BY id LIMIT 3")
        )
        db.execute("DELETE FROM audit_log WHERE id = ?", (second,))
        (action,) = db.execute("SELECT action FROM audit_log WHERE id = ?", (third,)).fetchone()

    assert cli_main(["audit", "--test-mode", "--verify-log"]) == 1

    message = capsys.readouterr().err
    assert f"BROKEN at entry {third} (after entry {first})" in message
    assert f"action '{action}'" in message and "an entry before it was deleted" in message


def test_the_cli_writes_an_excel_file_of_accepted_despite_problems(
    office: Session, tmp_path: Path, demos: list[DemoDossier]
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "loi.xlsx"
    args = ["audit", "--test-mode", "--verdict", "accepted_despite_problems", "--out", str(out)]

    assert cli_main(args) == 0

    sheet = list(load_workbook(out, read_only=True)["Hồ sơ"].iter_rows(values_only=True))
    assert sheet[0][16] == "Kiểm tra lúc" and sheet[0][-1] == "Tệp đã đổi từ khi quyết định"
    assert {line[0] for line in sheet[1:]} == {code_of(demos, Scenario.MODIFIED_AFTER_SIGNING)}
    assert all(line[12] == "accept" and line[13] == "demo" for line in sheet[1:])


def test_a_report_of_one_undecided_file_has_its_empty_cells_without_complaint(
    office: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    complaints: list[str] = []
    # PyMuPDF swallows an error inside insert_text and only prints it: catch the print.
    monkeypatch.setattr(pymupdf, "exception_info", lambda: complaints.append("insert_text"))
    row = next(r for r in rows_of(office) if r.decision is None)
    out = tmp_path / "one.pdf"

    export_pdf([row], out)

    assert complaints == []
    with pymupdf.open(out) as pdf:
        assert row.dossier_code in pdf[-1].get_text()
