"""Summary charts drawn with PyMuPDF shapes in DejaVu Sans: one drawing for two places.

The PDF report draws a chart straight onto its page; the audit window shows the same
drawing rendered to a PNG (:func:`chart_png`). No Qt here, and no plotting library: bars,
labels and a legend are all these charts need, and PyMuPDF is already embedded for the
report's Vietnamese text.
"""

# PyMuPDF ships py.typed but leaves most functions unannotated.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import enum
from dataclasses import dataclass

import pymupdf

from intake_desktop.services.audit.summary import AuditSummary, problem_text
from intake_desktop.services.audit.words import verdict_word
from intake_desktop.services.mupdf_lock import MUPDF_LOCK
from intake_desktop.services.pdf_layout import BOLD, REGULAR, elide, font_path, text_width

Colour = tuple[float, float, float]


class ChartKind(enum.StrEnum):
    WEEKS = "weeks"
    """Files per ISO week, stacked by verdict."""
    VERDICTS = "verdicts"
    PROBLEMS = "problems"
    """Files per problem (reason code)."""
    PROVIDERS = "providers"
    """Files with a problem per certificate provider."""
    PROCEDURES = "procedures"
    """Files with a problem per procedure."""


_TITLES = {
    ChartKind.WEEKS: (
        "Kết luận chữ ký số theo tuần (số tệp)",
        "Signature verdicts per week (files)",
    ),
    ChartKind.VERDICTS: ("Kết luận chữ ký số (số tệp)", "Signature verdicts (files)"),
    ChartKind.PROBLEMS: ("Vấn đề thường gặp (số tệp)", "Most frequent problems (files)"),
    ChartKind.PROVIDERS: (
        "Tệp có vấn đề theo tổ chức cung cấp chứng thư",
        "Files with a problem per certificate provider",
    ),
    ChartKind.PROCEDURES: ("Tệp có vấn đề theo thủ tục", "Files with a problem per procedure"),
}
_EMPTY = ("Không có dữ liệu", "No data")
_WEEK = ("Tuần", "Week")

BAR: Colour = (0.16, 0.42, 0.71)
_TEXT: Colour = (0.1, 0.1, 0.1)
_GRID: Colour = (0.82, 0.82, 0.82)
STACK: tuple[tuple[str, Colour], ...] = (
    ("valid", (0.11, 0.5, 0.23)),
    ("valid_with_warnings", (0.8, 0.5, 0.0)),
    ("indeterminate", (0.4, 0.3, 0.65)),
    ("invalid", (0.78, 0.16, 0.16)),
)
"""Bottom to top: the verdicts a week's bar is made of; anything else is grey on top."""
_OTHER: Colour = (0.6, 0.6, 0.6)

_TITLE_SIZE, _LABEL_SIZE, _SMALL = 10.0, 8.0, 7.0
_ROW = 15.0
_LEGEND_ROW = 11.0
_PLOT = 110.0
"""Height of the weekly plot area, in points."""
MARGIN = 6.0
"""White space around a chart rendered on its own (:func:`chart_png`), in points."""
MAX_BARS = 8
MAX_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Chart:
    kind: ChartKind
    title: str
    bars: tuple[tuple[str, int], ...] = ()
    """Label and count of each bar (bar charts), largest first."""
    weeks: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    """ISO week ("2026-W47") and its files per verdict (the weekly chart), oldest first."""
    lang: str = "vi"

    @property
    def empty(self) -> bool:
        return not self.bars and not self.weeks


def chart_of(summary: AuditSummary, kind: ChartKind, lang: str = "vi") -> Chart:
    """The chart of ``kind`` for ``summary``, at most :data:`MAX_BARS` bars or
    :data:`MAX_WEEKS` weeks (the most frequent, the latest)."""
    title = _TITLES[kind][lang == "en"]
    if kind is ChartKind.WEEKS:
        weeks = tuple(
            (week, tuple(counts.items())) for week, counts in list(summary.by_week.items())
        )
        return Chart(kind, title, weeks=weeks[-MAX_WEEKS:], lang=lang)
    if kind is ChartKind.VERDICTS:
        values = {verdict_word(k, lang): n for k, n in summary.by_verdict.items()}
    elif kind is ChartKind.PROBLEMS:
        values = {problem_text(k, lang): n for k, n in summary.problems.items()}
    elif kind is ChartKind.PROVIDERS:
        values = summary.by_provider
    else:
        values = summary.by_procedure
    return Chart(kind, title, bars=tuple(values.items())[:MAX_BARS], lang=lang)


def chart_height(chart: Chart) -> float:
    """Points the chart needs, whatever its width."""
    if chart.empty:
        return 2 * _ROW + 4
    if chart.kind is ChartKind.WEEKS:
        # title, counts above the bars, the plot, week numbers, the legend (two rows at most)
        return _ROW + 12 + _PLOT + 14 + 2 * _LEGEND_ROW + 4
    return _ROW + _ROW * len(chart.bars) + 6


def draw_chart(page: pymupdf.Page, rect: pymupdf.Rect, chart: Chart) -> None:
    """Draw ``chart`` inside ``rect`` of ``page`` (whose fonts are :data:`REGULAR` and
    :data:`BOLD` of :mod:`~intake_desktop.services.pdf_layout`). Hold ``MUPDF_LOCK``."""
    page.insert_text(
        (rect.x0, rect.y0 + _TITLE_SIZE + 1),
        elide(chart.title, rect.width, _TITLE_SIZE, BOLD),
        fontname=BOLD,
        fontsize=_TITLE_SIZE,
        color=_TEXT,
    )
    top = rect.y0 + _ROW
    if chart.empty:
        _text(page, rect.x0, top + _ROW - 4, _EMPTY[chart.lang == "en"], _LABEL_SIZE)
    elif chart.kind is ChartKind.WEEKS:
        _draw_weeks(page, pymupdf.Rect(rect.x0, top, rect.x1, rect.y1), chart)
    else:
        _draw_bars(page, pymupdf.Rect(rect.x0, top, rect.x1, rect.y1), chart.bars)


def _text(page: pymupdf.Page, x: float, y: float, text: str, size: float) -> None:
    page.insert_text((x, y), text, fontname=REGULAR, fontsize=size, color=_TEXT)


def _draw_bars(page: pymupdf.Page, rect: pymupdf.Rect, bars: tuple[tuple[str, int], ...]) -> None:
    """Horizontal bars: the label on the left, the count after the bar."""
    longest = max(text_width(label, _LABEL_SIZE) for label, _ in bars) + 8
    label_width = min(longest, rect.width * 0.5)
    top = max(n for _, n in bars) or 1
    count_room = text_width(str(top), _LABEL_SIZE) + 8
    room = max(10.0, rect.width - label_width - count_room)
    x0 = rect.x0 + label_width
    for i, (label, count) in enumerate(bars):
        y = rect.y0 + i * _ROW
        _text(page, rect.x0, y + 11, elide(label, label_width - 8, _LABEL_SIZE), _LABEL_SIZE)
        bar = pymupdf.Rect(x0, y + 3, x0 + max(1.5, room * count / top), y + _ROW - 2)
        page.draw_rect(bar, color=None, fill=BAR)
        _text(page, bar.x1 + 4, y + 11, str(count), _LABEL_SIZE)


def _draw_weeks(page: pymupdf.Page, rect: pymupdf.Rect, chart: Chart) -> None:
    """Stacked columns per week (valid at the bottom, problems on top), a legend below."""
    en = chart.lang == "en"
    totals = [sum(n for _, n in counts) for _, counts in chart.weeks]
    top = max(totals) or 1
    plot_top = rect.y0 + 12
    bottom = plot_top + _PLOT
    page.draw_line((rect.x0, bottom), (rect.x1, bottom), color=_GRID, width=0.8)
    slot = rect.width / len(chart.weeks)
    stacked = {verdict for verdict, _ in STACK}
    for i, ((week, counts), total) in enumerate(zip(chart.weeks, totals, strict=True)):
        by_verdict = dict(counts)
        bar = min(slot * 0.6, 36.0)  # a few weeks make slim columns, not slabs
        x0 = rect.x0 + i * slot + (slot - bar) / 2
        x1 = x0 + bar
        y = bottom
        layers = [(by_verdict.get(v, 0), colour) for v, colour in STACK]
        layers.append((sum(n for v, n in counts if v not in stacked), _OTHER))
        for n, colour in layers:
            if n:
                height = _PLOT * n / top
                page.draw_rect(pymupdf.Rect(x0, y - height, x1, y), color=None, fill=colour)
                y -= height
        number = str(total)
        middle = (x0 + x1) / 2
        _text(page, middle - text_width(number, _SMALL) / 2, y - 3, number, _SMALL)
        week_no = week.rsplit("W", 1)[-1]
        label = f"{_WEEK[en]} {week_no}"
        if text_width(label, _SMALL) > slot - 2:
            label = week_no
        _text(page, middle - text_width(label, _SMALL) / 2, bottom + 10, label, _SMALL)
    _legend(page, rect.x0, bottom + 14 + 11, rect.x1, en)


def _legend(page: pymupdf.Page, x: float, y: float, right: float, en: bool) -> None:
    """Colour keys in a row, wrapping once onto a second row when the chart is narrow."""
    entries = [(verdict_word(v, "en" if en else "vi"), c) for v, c in STACK]
    entries.append(("Other" if en else "Khác", _OTHER))
    left = x
    for word, colour in entries:
        width = 11 + text_width(word, _SMALL) + 12
        if x + width > right and x > left:
            x, y = left, y + _LEGEND_ROW
        page.draw_rect(pymupdf.Rect(x, y - 7, x + 8, y + 1), color=None, fill=colour)
        _text(page, x + 11, y, word, _SMALL)
        x += width


def chart_png(chart: Chart, width: float = 420.0, zoom: float = 2.0) -> bytes:
    """The chart as a PNG on white, ``width`` points wide (with :data:`MARGIN` around it),
    rendered at ``zoom`` pixels per point (the window passes its screen's, so text is sharp)."""
    margin = MARGIN
    height = chart_height(chart) + 2 * margin
    with MUPDF_LOCK:
        doc = pymupdf.open()
        try:
            page = doc.new_page(width=width, height=height)
            for name in (REGULAR, BOLD):
                page.insert_font(fontname=name, fontfile=font_path(name))
            area = pymupdf.Rect(margin, margin, width - margin, height - margin)
            draw_chart(page, area, chart)
            pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
            return bytes(pixmap.tobytes("png"))
        finally:
            doc.close()
