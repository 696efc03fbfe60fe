"""The supervisor's audit tab: every file's verdicts and decision, filtered, charted, exported."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.domain import DecisionKind
from intake_desktop.services.audit import (
    AuditFilter,
    AuditRow,
    AuditSummary,
    VerdictFilter,
    apply_filter,
    load_rows,
    summarize,
)
from intake_desktop.services.audit.export import (
    DECISION_WORDS,
    VERDICT_WORDS,
    ReportHeading,
    export_csv,
    export_pdf,
    export_xlsx,
)
from intake_desktop.services.audit.revalidate import Revalidation, revalidate
from intake_desktop.services.audit.summary import problem_text
from intake_desktop.services.signatures import TrustStore
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.store.db import Store
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.error_text import error_text
from intake_desktop.ui.table_model import Index, TableModel
from intake_desktop.ui.verdict_style import verdict_colour, verdict_icon


class AuditModel(TableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[AuditRow]:
        return self._rows

    def row_count(self) -> int:
        return len(self._rows)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Mã hồ sơ"),
            self.tr("Chủ hồ sơ"),
            self.tr("Thành phần"),
            self.tr("Kết luận hiện nay"),
            self.tr("Khi quyết định"),
            self.tr("Người ký"),
            self.tr("Tổ chức cung cấp"),
            self.tr("Quyết định"),
            self.tr("Cán bộ"),
            self.tr("Lúc"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == 3 and row.verdict_now is not None:
            if role == Qt.ItemDataRole.DecorationRole:
                return verdict_icon(row.verdict_now)
            if role == Qt.ItemDataRole.ForegroundRole:
                return verdict_colour(row.verdict_now)
        if column == 5 and role == Qt.ItemDataRole.ForegroundRole and row.signer_mismatch:
            return QColor("#c62828")
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(problem_text(code) for code in row.problems) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        now = row.verdict_now.value if row.verdict_now else "not_checked"
        values = (
            row.dossier_code,
            row.applicant_name,
            row.component,
            VERDICT_WORDS[now],
            VERDICT_WORDS.get(row.verdict_then or "", "—"),
            ", ".join(row.signers) + (" ≠" if row.signer_mismatch else ""),
            ", ".join(row.providers),
            DECISION_WORDS.get(row.decision.value, "") if row.decision else "",
            row.officer,
            f"{row.decided_at.astimezone(VN_TZ):%d/%m/%Y %H:%M}" if row.decided_at else "",
        )
        return values[column]


class BarChart(QWidget):
    """Horizontal bars with their labels and counts, drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[tuple[str, int]] = []
        self.setMinimumHeight(140)

    def set_values(self, values: dict[str, int]) -> None:
        self._values = list(values.items())[:10]
        self.update()

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height() + 6
        return QSize(420, max(140, line * len(self._values) + 12))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height() + 6
        label_width = min(self.width() // 2, 300)
        top = max((v for _, v in self._values), default=1) or 1
        bar_room = self.width() - label_width - metrics.horizontalAdvance("00000") - 16
        for i, (label, count) in enumerate(self._values):
            y = 6 + i * line
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(self.palette().text().color())
            painter.drawText(4, y, label_width - 8, line, Qt.AlignmentFlag.AlignVCenter, shown)
            width = max(2, int(bar_room * count / top))
            painter.fillRect(label_width, y + 3, width, line - 6, QColor("#2a6bb5"))
            painter.drawText(
                label_width + width + 6, y, 60, line, Qt.AlignmentFlag.AlignVCenter, str(count)
            )
        painter.end()


class AuditView(QWidget):
    """Filters over every stored file, charts of the selection, re-validation and exports."""

    revalidationProgressed = Signal(int, int)
    loaded = Signal()

    def __init__(self, store: Store, trust: Callable[[], TrustStore], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_view")
        self._store = store
        self._trust = trust
        self._all: list[AuditRow] = []
        self._summary = AuditSummary()
        self._built = False
        """Filters fire while they are set up: nothing to filter until the table exists."""
        self._cancel: threading.Event | None = None

        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for date_edit in (self.date_from, self.date_to):
            date_edit.setCalendarPopup(True)
            date_edit.setDisplayFormat("dd/MM/yyyy")
            date_edit.dateChanged.connect(self.refilter)
        today = QDate.currentDate()
        self.date_from.setDate(today.addDays(-30))
        self.date_to.setDate(today)
        self.all_dates = QCheckBox(self.tr("Mọi ngày"))
        self.all_dates.setChecked(True)
        self.all_dates.toggled.connect(self.refilter)
        self.officer = QComboBox()
        self.officer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.officer.currentIndexChanged.connect(self.refilter)
        self.decision = QComboBox()
        self.decision.addItem(self.tr("Mọi quyết định"), None)
        self.decision.addItem(self.tr("Chưa quyết định"), "undecided")
        for decision_kind in DecisionKind:
            self.decision.addItem(DECISION_WORDS[decision_kind.value], decision_kind.value)
        self.decision.currentIndexChanged.connect(self.refilter)
        self.verdict = QComboBox()
        for value, text in (
            (VerdictFilter.ANY, self.tr("Mọi kết luận")),
            (VerdictFilter.ACCEPTED_DESPITE_PROBLEMS, self.tr("Tiếp nhận dù chữ ký có vấn đề")),
            (VerdictFilter.CHANGED_SINCE_DECISION, self.tr("Kết luận đã đổi từ khi quyết định")),
            (VerdictFilter.INVALID, self.tr("Không hợp lệ")),
            (VerdictFilter.INDETERMINATE, self.tr("Chưa xác định được")),
            (VerdictFilter.WITH_WARNINGS, self.tr("Hợp lệ, có lưu ý")),
            (VerdictFilter.VALID, self.tr("Hợp lệ")),
            (VerdictFilter.UNSIGNED, self.tr("Chưa ký")),
            (VerdictFilter.NOT_CHECKED, self.tr("Chưa kiểm tra")),
        ):
            self.verdict.addItem(text, value.value)
        self.verdict.currentIndexChanged.connect(self.refilter)
        self.procedure = QLineEdit()
        self.procedure.setPlaceholderText(self.tr("Thủ tục"))
        self.provider = QLineEdit()
        self.provider.setPlaceholderText(self.tr("Tổ chức cung cấp (VNPT, Viettel…)"))
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Mã hồ sơ, chủ hồ sơ, tệp…"))
        for edit in (self.procedure, self.provider, self.text):
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self.refilter)
        self.mismatch = QCheckBox(self.tr("Người ký khác chủ hồ sơ"))
        self.mismatch.toggled.connect(self.refilter)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Từ")))
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel(self.tr("đến")))
        filters.addWidget(self.date_to)
        filters.addWidget(self.all_dates)
        filters.addWidget(self.officer)
        filters.addWidget(self.decision)
        filters.addWidget(self.verdict, 1)
        filters2 = QHBoxLayout()
        filters2.addWidget(self.procedure, 1)
        filters2.addWidget(self.provider, 1)
        filters2.addWidget(self.text, 1)
        filters2.addWidget(self.mismatch)

        self.model = AuditModel(self)
        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.chart_kind = QComboBox()
        self.chart_kind.addItem(self.tr("Kết luận theo tuần (tệp có vấn đề)"), "weeks")
        self.chart_kind.addItem(self.tr("Vấn đề theo loại"), "problems")
        self.chart_kind.addItem(self.tr("Tệp có vấn đề theo tổ chức cung cấp"), "providers")
        self.chart_kind.addItem(self.tr("Tệp có vấn đề theo thủ tục"), "procedures")
        self.chart_kind.addItem(self.tr("Kết luận chữ ký số"), "verdicts")
        self.chart_kind.currentIndexChanged.connect(self._show_chart)
        self.chart = BarChart()
        self.chart.setObjectName("audit_chart")
        self.figures = QLabel()
        self.figures.setObjectName("audit_figures")
        self.figures.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.figures)
        side_layout.addWidget(self.chart_kind)
        side_layout.addWidget(self.chart, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.table)
        body.addWidget(side)
        body.setSizes([900, 420])

        self.revalidate_button = QPushButton(self.tr("Kiểm tra lại các tệp đang lọc"))
        self.revalidate_button.clicked.connect(self.start_revalidation)
        self.cancel_button = QPushButton(self.tr("Dừng"))
        self.cancel_button.clicked.connect(self.cancel_revalidation)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.revalidate_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.status, 1)
        for label, kind in (
            (self.tr("Xuất CSV…"), "csv"),
            (self.tr("Xuất Excel…"), "xlsx"),
            (self.tr("Xuất báo cáo PDF…"), "pdf"),
        ):
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=kind: self.ask_export(k))
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(filters2)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)
        self.revalidationProgressed.connect(self._progressed)
        self._built = True

    # --- data --------------------------------------------------------------------------

    def reload(self) -> None:
        store, trust = self._store, self._trust
        run_in_background(self, lambda: load_rows(store, trust()), self._loaded, self._failed)

    def _loaded(self, rows: list[AuditRow]) -> None:
        self._all = rows
        current = self.officer.currentData()
        self.officer.blockSignals(True)
        self.officer.clear()
        self.officer.addItem(self.tr("Mọi cán bộ"), None)
        for name in sorted({r.officer for r in rows if r.officer}):
            self.officer.addItem(name, name)
        index = self.officer.findData(current)
        self.officer.setCurrentIndex(max(0, index))
        self.officer.blockSignals(False)
        self.refilter()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_text(error))

    def criteria(self) -> AuditFilter:
        decision = self.decision.currentData()

        def day(edit: QDateEdit) -> date | None:
            if self.all_dates.isChecked():
                return None
            value = edit.date()
            return date(value.year(), value.month(), value.day())

        return AuditFilter(
            date_from=day(self.date_from),
            date_to=day(self.date_to),
            officer=self.officer.currentData(),
            procedure=self.procedure.text().strip() or None,
            decision=DecisionKind(decision) if decision not in (None, "undecided") else None,
            undecided=decision == "undecided",
            verdict=VerdictFilter(self.verdict.currentData()),
            provider=self.provider.text().strip() or None,
            signer_mismatch=self.mismatch.isChecked(),
            text=self.text.text().strip() or None,
        )

    def refilter(self) -> None:
        if not self._built:
            return
        rows = apply_filter(self._all, self.criteria())
        self.model.set_rows(rows)
        self._summary = summarize(rows)
        s = self._summary
        self.figures.setText(
            self.tr("%1 hồ sơ, %2 tệp; %3 hồ sơ đã quyết định; %4 tệp có vấn đề.")
            .replace("%1", str(s.dossiers))
            .replace("%2", str(s.files))
            .replace("%3", str(s.decided))
            .replace("%4", str(sum(1 for r in rows if r.problems)))
        )
        self._show_chart()

    def _show_chart(self) -> None:
        summary = self._summary
        kind = self.chart_kind.currentData()
        if kind == "weeks":
            values = {
                week: sum(n for v, n in counts.items() if v not in ("valid", "not_checked"))
                for week, counts in summary.by_week.items()
            }
        elif kind == "problems":
            values = {problem_text(code): n for code, n in summary.problems.items()}
        elif kind == "providers":
            values = summary.by_provider
        elif kind == "procedures":
            values = summary.by_procedure
        else:
            values = {VERDICT_WORDS.get(v, v): n for v, n in summary.by_verdict.items()}
        self.chart.set_values(values)
        self.chart.updateGeometry()

    # --- re-validation -----------------------------------------------------------------

    def start_revalidation(self) -> None:
        rows = self.model.rows()
        if not rows or self._cancel is not None:
            return
        cancel = self._cancel = threading.Event()
        store, trust = self._store, self._trust()
        self.revalidate_button.setEnabled(False)
        self.cancel_button.show()
        self.progress.setRange(0, 0)
        self.progress.show()

        def work() -> Revalidation:
            return revalidate(
                store, rows, trust, progress=self.revalidationProgressed.emit, cancel=cancel
            )

        run_in_background(self, work, self._revalidated, self._revalidation_failed)

    def cancel_revalidation(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _revalidated(self, result: Revalidation) -> None:
        self._revalidation_over()
        text = self.tr("Đã kiểm tra lại %1 tệp, %2 tệp đổi kết luận.")
        text = text.replace("%1", str(result.checked)).replace("%2", str(result.changed))
        if result.cancelled:
            text += " " + self.tr("(đã dừng giữa chừng)")
        if result.missing:
            text += " " + self.tr("%1 tệp không còn trong bộ nhớ đệm.").replace(
                "%1", str(result.missing)
            )
        self.status.setText(text)
        self.reload()

    def _revalidation_failed(self, error: BaseException) -> None:
        self._revalidation_over()
        self.status.setText(error_text(error))

    def _revalidation_over(self) -> None:
        self._cancel = None
        self.revalidate_button.setEnabled(True)
        self.cancel_button.hide()
        self.progress.hide()

    # --- exports -----------------------------------------------------------------------

    def ask_export(self, kind: str) -> None:
        filters = {"csv": "CSV (*.csv)", "xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)"}
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Xuất dữ liệu kiểm tra"), f"kiem-tra-chu-ky.{kind}", filters[kind]
        )
        if name:
            self.export(kind, Path(name))

    def export(self, kind: str, path: Path) -> None:
        rows = list(self.model.rows())
        criteria = self.criteria()

        def work() -> Path:
            if kind == "csv":
                export_csv(rows, path)
            elif kind == "xlsx":
                export_xlsx(rows, path)
            else:
                period = (criteria.date_from, criteria.date_to)
                export_pdf(rows, path, criteria, ReportHeading(period=period))
            return path

        run_in_background(self, work, self._exported, self._failed)

    def _exported(self, path: Path) -> None:
        self.status.setText(self.tr("Đã xuất: %1").replace("%1", str(path)))
