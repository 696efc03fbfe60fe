"""The supervisor's audit tab: every file's verdicts and decision, filtered, charted, exported."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.clock import SYSTEM_CLOCK, Clock, vn_today
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
from intake_desktop.services.audit.charts import ChartKind, chart_of
from intake_desktop.services.audit.export import (
    ReportHeading,
    export_csv,
    export_pdf,
    export_xlsx,
)
from intake_desktop.services.audit.revalidate import Revalidation, revalidate
from intake_desktop.services.signatures import TrustStore
from intake_desktop.store.db import Store
from intake_desktop.ui import audit_model
from intake_desktop.ui.audit_model import AuditModel
from intake_desktop.ui.background import run_in_background
from intake_desktop.ui.chart_image import ChartImage
from intake_desktop.ui.error_text import error_text
from intake_desktop.ui.i18n import current_language
from intake_desktop.ui.qt_dates import qdate
from intake_desktop.ui.queue_model import decision_text

if TYPE_CHECKING:
    from intake_desktop.desk import Desk
    from intake_desktop.ui.office_sync_panel import OfficeSyncPanel


class AuditView(QWidget):
    """Filters over every stored file, charts of the selection, re-validation and exports.

    ``trust`` is the trust store, or a callable giving the current one (the desk's changes
    when a supervisor imports a root). Call :meth:`reload` to read the store (on a pool
    thread); :attr:`loaded` is emitted when the rows are in.

    With ``desk``, a supervisor's desk (``Desk.is_supervisor``, looked at again each time
    the tab is shown: test mode's setting may change) also gets the office-wide sync and
    the on-demand download of the selected dossiers' files (:attr:`office`);
    :attr:`storeChanged` follows what they brought in.
    """

    revalidationProgressed = Signal(int, int)
    """Files checked so far, and of how many (emitted from the worker thread)."""
    loaded = Signal()
    """The rows are read and filtered."""
    storeChanged = Signal()
    """The office-wide sync or a download changed the store (the queue may want a look)."""

    def __init__(
        self,
        store: Store,
        trust: TrustStore | Callable[[], TrustStore],
        parent: QWidget | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        desk: Desk | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("audit_view")
        self._desk = desk
        self._store = store
        self._trust: Callable[[], TrustStore] = (
            (lambda: trust) if isinstance(trust, TrustStore) else trust
        )
        self._sized = False
        """Columns are fitted to the first rows once; the supervisor's widths are kept after."""
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
        # The officer's today in Vietnam, not the machine's (a laptop left on UTC).
        today = qdate(vn_today(clock))
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
            self.decision.addItem(decision_text(decision_kind), decision_kind.value)
        self.decision.currentIndexChanged.connect(self.refilter)
        self.verdict = QComboBox()
        for value, text in (
            (VerdictFilter.ANY, self.tr("Mọi kết luận")),
            (VerdictFilter.ACCEPTED_DESPITE_PROBLEMS, self.tr("Tiếp nhận dù chữ ký có vấn đề")),
            (VerdictFilter.CHANGED_SINCE_DECISION, self.tr("Kết luận đã đổi từ khi quyết định")),
            (
                VerdictFilter.FILE_CHANGED_SINCE_DECISION,
                self.tr("Tệp đã khác tệp cán bộ xem khi quyết định"),
            ),
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
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.chart_kind = QComboBox()
        self.chart_kind.addItem(self.tr("Kết luận theo tuần"), ChartKind.WEEKS.value)
        self.chart_kind.addItem(self.tr("Vấn đề theo loại"), ChartKind.PROBLEMS.value)
        self.chart_kind.addItem(
            self.tr("Tệp có vấn đề theo tổ chức cung cấp"), ChartKind.PROVIDERS.value
        )
        self.chart_kind.addItem(self.tr("Tệp có vấn đề theo thủ tục"), ChartKind.PROCEDURES.value)
        self.chart_kind.addItem(self.tr("Kết luận chữ ký số"), ChartKind.VERDICTS.value)
        self.chart_kind.currentIndexChanged.connect(self._show_chart)
        self.chart = ChartImage()
        self.chart.setObjectName("audit_chart")
        self.figures = QLabel()
        self.figures.setObjectName("audit_figures")
        self.figures.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.figures)
        side_layout.addWidget(self.chart_kind)
        side_layout.addWidget(self.chart)
        side_layout.addStretch(1)
        # A tall chart (many procedures) scrolls instead of pushing the window past the
        # bottom of a 768-pixel laptop screen.
        side_scroll = QScrollArea()
        side_scroll.setObjectName("audit_side")
        side_scroll.setWidget(side)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setMinimumWidth(
            side.minimumSizeHint().width() + side_scroll.verticalScrollBar().sizeHint().width()
        )
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.table)
        body.addWidget(side_scroll)
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
        self.office: OfficeSyncPanel | None = None
        if desk is not None:
            from intake_desktop.ui.office_sync_panel import OfficeSyncPanel

            self.office = OfficeSyncPanel(desk, self.selected_codes)
            self.office.synced.connect(self._office_changed)
            self.office.fetched.connect(self._office_changed)
            layout.addWidget(self.office)
            self.update_supervisor()
        layout.addLayout(filters)
        layout.addLayout(filters2)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)
        self.revalidationProgressed.connect(self._progressed)
        self._built = True

    # --- the supervisor's office-wide sync ---------------------------------------------

    def update_supervisor(self) -> None:
        """Show the office-wide sync only on a supervisor's desk."""
        if self.office is not None and self._desk is not None:
            self.office.setVisible(self._desk.is_supervisor)

    def showEvent(self, event: QShowEvent) -> None:
        self.update_supervisor()
        super().showEvent(event)

    def selected_codes(self) -> list[str]:
        """The dossiers of the selected rows, each once, in table order."""
        rows = self.model.rows()
        chosen = {index.row() for index in self.table.selectionModel().selectedRows()}
        picked = [rows[i] for i in sorted(chosen) if i < len(rows)]
        return list(dict.fromkeys(row.dossier_code for row in picked))

    def _office_changed(self, _result: object) -> None:
        self.storeChanged.emit()
        self.reload()

    # --- data --------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every stored file again (on a pool thread); :attr:`loaded` follows."""
        self.update_supervisor()
        store, trust = self._store, self._trust()
        self.figures.setText(self.tr("Đang tải dữ liệu…"))  # the figures replace it
        run_in_background(self, lambda: load_rows(store, trust), self._loaded, self._failed)

    def _loaded(self, rows: list[AuditRow]) -> None:
        self._all = rows
        current = self.officer.currentData()
        self.officer.blockSignals(True)
        self.officer.clear()
        self.officer.addItem(self.tr("Mọi cán bộ"), None)
        # Every officer whose decisions are stored, this desk's and the server's alike.
        names = {r.officer: r.officer_name for r in rows if r.officer}
        for username in sorted(names):
            name = names[username]
            self.officer.addItem(f"{name} ({username})" if name else username, username)
        index = self.officer.findData(current)
        self.officer.setCurrentIndex(max(0, index))
        self.officer.blockSignals(False)
        # The row's other filters must not squeeze the names to a few letters.
        self.officer.setMinimumWidth(self.officer.sizeHint().width())
        self.refilter()
        if rows and not self._sized:
            self._fit_columns()
        self.loaded.emit()

    def _fit_columns(self) -> None:
        """Widths from the header and the first rows' text (measuring all 30,000 rows
        with ResizeToContents would take seconds), capped so the chart keeps its room."""
        self._sized = True
        metrics = QFontMetrics(self.table.font())
        bold = self.table.horizontalHeader().fontMetrics()
        model = self.model
        # The verdict's icon: the style's small icon and the gaps around it.
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 12
        for column in range(model.columnCount() - 1):  # the last one stretches
            texts = [model.index(r, column).data() or "" for r in range(min(300, model.rowCount()))]
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            head = bold.horizontalAdvance(str(model.headerData(column, Qt.Orientation.Horizontal)))
            extra = icon if column == audit_model.NOW else 0
            self.table.setColumnWidth(column, min(max(widest + extra, head) + 16, 260))

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
        kind = ChartKind(self.chart_kind.currentData())
        self.chart.set_chart(chart_of(self._summary, kind, current_language()))

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
            # The files the workers already hold are finished first: say so meanwhile.
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Đang dừng…"))

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
        self.cancel_button.setEnabled(True)
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
