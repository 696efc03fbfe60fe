"""Audit exports: CSV and XLSX of the filtered rows, and a PDF report with charts.

Column titles are Vietnamese (the supervisors' reports go to Vietnamese offices); values are
the glossary's codes so spreadsheets can filter on them. The PDF embeds DejaVu Sans.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pymupdf

from intake_desktop.clock import vn_now
from intake_desktop.services.audit.charts import (
    Chart,
    ChartKind,
    chart_height,
    chart_of,
    draw_chart,
)
from intake_desktop.services.audit.filters import AuditFilter
from intake_desktop.services.audit.rows import AuditRow
from intake_desktop.services.audit.summary import AuditSummary, problem_text, summarize
from intake_desktop.services.audit.words import DECISION_WORDS, FILTER_WORDS, VERDICT_WORDS
from intake_desktop.services.mupdf_lock import MUPDF_LOCK
from intake_desktop.services.pdf_layout import BOLD, REGULAR, PageFlow, elide
from intake_desktop.services.working_days import VN_TZ

COLUMNS = (
    "Mã hồ sơ",
    "Thủ tục",
    "Chủ hồ sơ",
    "CCCD chủ hồ sơ",
    "Thành phần",
    "Tệp",
    "Kết luận hiện nay",
    "Kết luận khi quyết định",
    "Người ký",
    "CCCD người ký",
    "Tổ chức cung cấp",
    "Vấn đề",
    "Quyết định",
    "Cán bộ",
    "Thời điểm quyết định",
    "Ngày nộp",
    "Kiểm tra lúc",
    "Tên cán bộ",
    "Nguồn quyết định",
    "SHA-256 tệp khi quyết định",
    "Tệp đã đổi từ khi quyết định",
)


def _time(value: datetime | None) -> str:
    return value.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


def row_values(row: AuditRow) -> list[str]:
    return [
        row.dossier_code,
        row.procedure_name or row.procedure_code,
        row.applicant_name,
        row.applicant_citizen_id,
        row.component,
        row.file_name,
        row.verdict_now.value if row.verdict_now else "not_checked",
        row.verdict_then or "",
        "; ".join(row.signers),
        "; ".join(row.signer_ids),
        "; ".join(row.providers),
        "; ".join(row.problems),
        row.decision.value if row.decision else "",
        row.officer,
        _time(row.decided_at),
        _time(row.submitted_at),
        _time(row.checked_at),
        row.officer_name,
        row.origin.value if row.origin else "",
        row.sha256_then or "",
        "x" if row.file_changed else "",
    ]


def export_csv(rows: Sequence[AuditRow], path: Path) -> None:
    """UTF-8 with a byte-order mark, so Excel shows the Vietnamese as written."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(row_values(row) for row in rows)


def export_xlsx(rows: Sequence[AuditRow], path: Path, summary: AuditSummary | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Hồ sơ")
    bold = Font(bold=True)
    head = []
    for title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append(row_values(row))
    summary = summary or summarize(rows)
    totals = book.create_sheet("Tổng hợp")
    totals.append(["Kết luận", "Số tệp"])
    for verdict, count in summary.by_verdict.items():
        totals.append([VERDICT_WORDS.get(verdict, verdict), count])
    totals.append([])
    totals.append(["Vấn đề", "Số tệp"])
    for code, count in summary.problems.items():
        totals.append([problem_text(code), count])
    book.save(path)


@dataclass(frozen=True)
class ReportHeading:
    title: str = "BÁO CÁO KIỂM TRA CHỮ KÝ SỐ HỒ SƠ TRỰC TUYẾN"
    office: str = ""
    period: tuple[date | None, date | None] = (None, None)


_TABLE_COLUMNS = (
    ("Mã hồ sơ", 113.0),
    ("Thành phần", 100.0),
    ("Kết luận nay", 79.0),
    ("Khi quyết định", 79.0),
    ("Quyết định", 67.0),
    ("Cán bộ", 47.0),
)
"""Titles and widths in points: together the text width of an A4 page."""


def export_pdf(
    rows: Sequence[AuditRow],
    path: Path,
    criteria: AuditFilter | None = None,
    heading: ReportHeading | None = None,
) -> None:
    with MUPDF_LOCK:
        _export_pdf(rows, path, criteria, heading or ReportHeading())


def _export_pdf(
    rows: Sequence[AuditRow], path: Path, criteria: AuditFilter | None, heading: ReportHeading
) -> None:
    summary = summarize(rows)
    doc = pymupdf.open()
    flow = PageFlow(doc)
    flow.centered(heading.title, size=14, bold=True)
    if heading.office:
        flow.centered(heading.office, size=11)
    start, end = heading.period
    period = f"Kỳ báo cáo: {_day(start)} – {_day(end)}"
    flow.centered(period, size=10)
    flow.centered(f"Lập lúc {vn_now():%H:%M ngày %d/%m/%Y}", size=9)
    flow.skip(8)
    if criteria is not None:
        flow.line("Điều kiện lọc: " + describe_filter(criteria), size=9)
    flow.line(
        f"Số hồ sơ: {summary.dossiers} · đã quyết định: {summary.decided} · "
        f"số tệp: {summary.files}",
        size=10,
        bold=True,
    )
    flow.skip(6)
    for kind in (
        ChartKind.VERDICTS,
        ChartKind.WEEKS,
        ChartKind.PROBLEMS,
        ChartKind.PROVIDERS,
        ChartKind.PROCEDURES,
    ):
        _chart(flow, chart_of(summary, kind))
    _table(flow, rows)
    doc.set_metadata({"title": heading.title, "creator": "Intake Desktop"})
    doc.subset_fonts()
    doc.save(path, garbage=3, deflate=True)
    doc.close()


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def describe_filter(criteria: AuditFilter) -> str:
    parts = []
    if criteria.officer:
        parts.append(f"cán bộ {criteria.officer}")
    if criteria.procedure:
        parts.append(f"thủ tục {criteria.procedure}")
    if criteria.decision:
        parts.append(f"quyết định {DECISION_WORDS[criteria.decision.value]}")
    if criteria.undecided:
        parts.append("chưa quyết định")
    if criteria.verdict.value != "any":
        parts.append(f"kết luận: {FILTER_WORDS[criteria.verdict.value]}")
    if criteria.provider:
        parts.append(f"tổ chức cung cấp {criteria.provider}")
    if criteria.signer_mismatch:
        parts.append("người ký khác chủ hồ sơ")
    if criteria.text:
        parts.append(f"có chữ “{criteria.text}”")
    return ", ".join(parts) or "không"


def _chart(flow: PageFlow, chart: Chart) -> None:
    """The chart across the text width, on this page if it fits (empty ones are left out)."""
    if chart.empty:
        return
    height = chart_height(chart)
    flow.room(height)
    rect = pymupdf.Rect(flow.margins.left, flow.y, flow.margins.right, flow.y + height)
    draw_chart(flow.page, rect, chart)
    flow.y += height + 10


_ROW = 12.0
"""Points between table rows."""


def _table(flow: PageFlow, rows: Sequence[AuditRow]) -> None:
    """The rows, one text call per column and page (a call per cell is 20x slower)."""
    flow.room(40)
    flow.line("Danh sách tệp", size=10, bold=True)
    columns: list[list[str]] = [[] for _ in _TABLE_COLUMNS]
    top = 0.0

    def head() -> None:
        nonlocal top
        flow.y += 14
        x = flow.margins.left
        for title, width in _TABLE_COLUMNS:
            flow.page.insert_text((x, flow.y), title, fontname=BOLD, fontsize=8)
            x += width
        flow.page.draw_line((flow.margins.left, flow.y + 3), (flow.margins.right, flow.y + 3))
        top = flow.y + _ROW

    def flush() -> None:
        x = flow.margins.left
        for (_, width), lines in zip(_TABLE_COLUMNS, columns, strict=True):
            if any(lines):  # PyMuPDF fails on text with no character at all (one empty cell)
                flow.page.insert_text(
                    (x, top), lines, fontname=REGULAR, fontsize=7.5, lineheight=_ROW / 7.5
                )
            lines.clear()
            x += width

    head()
    for row in rows:
        if flow.y + _ROW > flow.margins.bottom:
            flush()
            flow.next_page()
            head()
        flow.y += _ROW
        values = (
            row.dossier_code,
            row.component,
            VERDICT_WORDS.get(row.verdict_now.value if row.verdict_now else "not_checked", ""),
            VERDICT_WORDS.get(row.verdict_then, row.verdict_then) if row.verdict_then else "",
            DECISION_WORDS.get(row.decision.value, "") if row.decision else "",
            row.officer,
        )
        for (_, width), value, lines in zip(_TABLE_COLUMNS, values, columns, strict=True):
            lines.append(elide(value, width - 4, 7.5))
    flush()
