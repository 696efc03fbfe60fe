"""A summary chart in the window: the PDF report's own drawing, rendered to fit the width.

The chart is drawn by :mod:`intake_desktop.services.audit.charts` (PyMuPDF, no Qt) and
rendered on a pool thread (PyMuPDF is behind one process-wide lock an export may hold for
seconds); the widget only shows the image.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from intake_desktop.services.audit.charts import MARGIN, Chart, chart_height, chart_png
from intake_desktop.ui.background import run_in_background

_MIN_WIDTH = 320
"""Pixels: the weekly chart's legend fits in two rows from here."""


class ChartImage(QWidget):
    rendered = Signal()
    """A new image is shown (after :meth:`set_chart` or a resize)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: Chart | None = None
        self.image: QImage | None = None
        self._generation = 0
        """Only the newest render is shown: older ones may finish later."""
        self._width = 0
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(150)  # one render when a drag of the splitter ends
        self._resized.timeout.connect(self._render)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(_MIN_WIDTH)

    def _scale(self) -> float:
        """Pixels per point: the chart's 8-point labels read like the window's own text."""
        return self.logicalDpiX() / 72.0

    def set_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.setFixedHeight(round((chart_height(chart) + 2 * MARGIN) * self._scale()))
        self._render()

    def sizeHint(self) -> QSize:
        return QSize(420, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.chart is not None and abs(self.width() - self._width) > 8:
            self._resized.start()

    def _render(self) -> None:
        if self.chart is None:
            return
        chart, width, scale = self.chart, max(_MIN_WIDTH, self.width()), self._scale()
        zoom = scale * self.devicePixelRatioF()  # sharp on HiDPI screens
        self._generation += 1
        self._width = width
        run_in_background(
            self,
            lambda: chart_png(chart, width / scale, zoom),
            partial(self._show, self._generation),
        )

    def _show(self, generation: int, png: bytes) -> None:
        if generation != self._generation:
            return
        image = QImage.fromData(png)
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self.image = image
        self.update()
        self.rendered.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.image is None:
            return
        painter = QPainter(self)
        painter.drawImage(0, 0, self.image)
        painter.end()
