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

from intake_desktop.services.audit.filters import AuditFilter
from intake_desktop.services.audit.rows import AuditRow
from intake_desktop.services.audit.summary import AuditSummary, problem_text, summarize
from intake_desktop.services.mupdf_lock import MUPDF_LOCK
from intake_desktop.services.pdf_layout import BOLD, REGULAR, PageFlow, text_width
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
)

VERDICT_WORDS = {
    "valid": "Hợp lệ",
    "valid_with_warnings": "Hợp lệ, có lưu ý",
    "invalid": "Không hợp lệ",
    "indeterminate": "Chưa xác định được",
    "unsigned": "Chưa ký",
    "error": "Không đọc được",
    "not_checked": "Chưa kiểm tra",
}
DECISION_WORDS = {
    "accept": "Tiếp nhận",
    "request_supplement": "Yêu cầu bổ sung",
    "refuse": "Từ chối",
}


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


_BAR = (0.16, 0.42, 0.71)
_TABLE_COLUMNS = (
    ("Mã hồ sơ", 150.0),
    ("Thành phần", 135.0),
    ("Kết luận", 85.0),
    ("Quyết định", 75.0),
    ("Cán bộ", 40.0),
)


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
    flow.centered(f"Lập lúc {datetime.now(VN_TZ):%H:%M ngày %d/%m/%Y}", size=9)
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
    _bar_chart(
        flow,
        "Kết luận chữ ký số (số tệp)",
        {VERDICT_WORDS.get(k, k): v for k, v in summary.by_verdict.items()},
    )
    _bar_chart(
        flow,
        "Vấn đề thường gặp (số tệp)",
        {problem_text(k): v for k, v in list(summary.problems.items())[:8]},
    )
    _bar_chart(
        flow,
        "Tệp có vấn đề theo tổ chức cung cấp chứng thư",
        dict(list(summary.by_provider.items())[:8]),
    )
    _bar_chart(flow, "Tệp có vấn đề theo thủ tục", dict(list(summary.by_procedure.items())[:8]))
    _weekly(flow, summary)
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
        parts.append(f"kết luận {criteria.verdict.value}")
    if criteria.provider:
        parts.append(f"tổ chức cung cấp {criteria.provider}")
    if criteria.signer_mismatch:
        parts.append("người ký khác chủ hồ sơ")
    if criteria.text:
        parts.append(f"có chữ “{criteria.text}”")
    return ", ".join(parts) or "không"


def _bar_chart(flow: PageFlow, title: str, values: dict[str, int]) -> None:
    if not values:
        return
    label_width, bar_width, row = 200.0, flow.width - 240.0, 14.0
    flow.room(22 + row * len(values))
    flow.line(title, size=10, bold=True)
    top = max(values.values()) or 1
    for label, count in values.items():
        flow.y += row
        y = flow.y
        shown = label if text_width(label, 8) <= label_width - 6 else _cut(label, label_width - 6)
        flow.page.insert_text((flow.margins.left, y - 3), shown, fontname=REGULAR, fontsize=8)
        x0 = flow.margins.left + label_width
        rect = pymupdf.Rect(x0, y - 11, x0 + max(1.0, bar_width * count / top), y - 2)
        flow.page.draw_rect(rect, color=None, fill=_BAR)
        flow.page.insert_text((rect.x1 + 4, y - 3), str(count), fontname=REGULAR, fontsize=8)
    flow.skip(8)


def _weekly(flow: PageFlow, summary: AuditSummary) -> None:
    """Stacked bars per ISO week: valid (green), warnings (amber), problems (red), others."""
    if not summary.by_week:
        return
    weeks = list(summary.by_week.items())[-12:]
    height, base_gap = 110.0, 24.0
    flow.room(height + 40)
    flow.line("Kết luận theo tuần (số tệp)", size=10, bold=True)
    top = max(sum(v.values()) for _, v in weeks) or 1
    bottom = flow.y + height
    slot = flow.width / len(weeks)
    colours = {
        "valid": (0.11, 0.5, 0.23),
        "valid_with_warnings": (0.7, 0.42, 0.0),
        "invalid": (0.78, 0.16, 0.16),
        "indeterminate": (0.4, 0.3, 0.65),
    }
    for i, (week, counts) in enumerate(weeks):
        x0 = flow.margins.left + i * slot + slot * 0.2
        x1 = x0 + slot * 0.6
        y = bottom
        for verdict in ("valid", "valid_with_warnings", "indeterminate", "invalid"):
            n = counts.get(verdict, 0)
            if n:
                h = height * n / top
                flow.page.draw_rect(
                    pymupdf.Rect(x0, y - h, x1, y), color=None, fill=colours[verdict]
                )
                y -= h
        rest = sum(n for k, n in counts.items() if k not in colours)
        if rest:
            h = height * rest / top
            flow.page.draw_rect(pymupdf.Rect(x0, y - h, x1, y), color=None, fill=(0.6, 0.6, 0.6))
        flow.page.insert_text((x0, bottom + 10), week[-3:], fontname=REGULAR, fontsize=7)
    flow.y = bottom + base_gap


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
            if lines:
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
            DECISION_WORDS.get(row.decision.value, "") if row.decision else "",
            row.officer,
        )
        for (_, width), value, lines in zip(_TABLE_COLUMNS, values, columns, strict=True):
            lines.append(_cut(value, width - 4, 7.5))
    flush()


def _cut(text: str, width: float, size: float = 8) -> str:
    """Shorten ``text`` to ``width`` with an ellipsis (halving first: long names are common)."""
    if text_width(text, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if text_width(text[:middle] + "…", size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"
