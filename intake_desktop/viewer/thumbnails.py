"""Small page images in a side panel, drawn by a worker process when scrolled into view.

Thumbnails are bulk work: for a long scan, decoding every page's picture in the render
process would keep the pages being read waiting. So a worker process draws the visible
ones, a batch at a time, and the render process keeps to the pages being read. They
start only once the first page is on screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QImage, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from intake_desktop.services.pdf_pages import PageGeometry, pixel_size, render_thumbnails
from intake_desktop.viewer.bulk import in_process
from intake_desktop.viewer.cache import PageCache, RenderKey
from intake_desktop.viewer.sources import DocumentSource
from intake_desktop.viewer.tasks import Task, run_task

THUMB_WIDTH = 110
"""Logical pixels."""
THUMB_CACHE_BYTES = 24 * 1024 * 1024
BATCH = 12

_Index = QModelIndex | QPersistentModelIndex


class _Model(QAbstractListModel):
    def __init__(self, panel: ThumbnailPanel) -> None:
        super().__init__(panel)
        self._panel = panel

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._panel.pages)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(index.row() + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._panel.image(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignHCenter
        return None

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def changed(self, row: int) -> None:
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class ThumbnailPanel(QListView):
    """A column of page thumbnails; clicking one emits :attr:`pageClicked`."""

    pageClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cache: PageCache[QImage] = PageCache(THUMB_CACHE_BYTES)
        self._doc: int | None = None
        self._source: DocumentSource | None = None
        self._filetype = ""
        self._active = False
        self._task: Task | None = None
        self.pages: tuple[PageGeometry, ...] = ()
        self._rotation = 0
        self._sizes: list[tuple[int, int]] = []
        self._placeholders: dict[tuple[int, int], QImage] = {}
        self._model = _Model(self)
        self.setModel(self._model)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setSpacing(6)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.setFixedWidth(THUMB_WIDTH + 48)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._send_requests)
        self.verticalScrollBar().valueChanged.connect(self._schedule)
        self.clicked.connect(self._clicked)

    def set_document(
        self,
        doc: int | None,
        pages: Sequence[PageGeometry],
        rotation: int,
        source: DocumentSource | None = None,
        filetype: str = "pdf",
    ) -> None:
        """Show ``pages``; nothing is drawn until :meth:`activate`."""
        if self._doc is not None and self._doc != doc:
            self._cache.forget(self._doc)
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._doc, self._source, self._filetype = doc, source, filetype
        self._active = False
        self.pages = tuple(pages)
        self.set_rotation(rotation)

    def activate(self) -> None:
        """Start drawing thumbnails (the viewer calls this once the first page is shown)."""
        self._active = True
        self._schedule()

    def set_rotation(self, rotation: int) -> None:
        self._rotation = rotation
        dpr = self.devicePixelRatioF()
        self._sizes = []
        tallest = 1.0
        for g in self.pages:
            w, h = (g.height, g.width) if rotation % 180 else (g.width, g.height)
            # Fit a box THUMB_WIDTH wide and 1.42 times as tall (A4 portrait fills it).
            scale = min(THUMB_WIDTH / w, THUMB_WIDTH * 1.42 / h) * dpr
            self._sizes.append(pixel_size(g.width, g.height, rotation, scale))
            tallest = max(tallest, self._sizes[-1][1] / dpr)
        self.setIconSize(QSize(THUMB_WIDTH, int(min(tallest, THUMB_WIDTH * 1.42))))
        self._model.reset()
        self._schedule()

    def set_current(self, page: int) -> None:
        """Highlight ``page`` and keep it in view, without emitting :attr:`pageClicked`."""
        index = self._model.index(page)
        if index.isValid() and self.currentIndex() != index:
            self.setCurrentIndex(index)
            self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _key(self, page: int) -> RenderKey:
        assert self._doc is not None
        w, h = self._sizes[page]
        return RenderKey(self._doc, page, self._rotation, w, h, (0, 0, w, h))

    def image(self, page: int) -> QImage:
        """The thumbnail, or a blank page of its size while it is drawn."""
        if self._doc is None or page >= len(self._sizes):
            return QImage()
        image = self._cache.get(self._key(page))
        if image is None:
            self._schedule()
            w, h = self._sizes[page]
            image = self._placeholders.get((w, h))
            if image is None:
                image = QImage(w, h, QImage.Format.Format_RGB888)
                image.fill(QColor("white"))
                painter = QPainter(image)
                painter.setPen(QColor(200, 200, 200))
                painter.drawRect(0, 0, w - 1, h - 1)
                painter.end()
                image.setDevicePixelRatio(self.devicePixelRatioF())
                self._placeholders[(w, h)] = image
        return image

    @Slot()
    def _schedule(self) -> None:
        if self._active and not self._timer.isActive():
            self._timer.start()

    def _visible_rows(self) -> range:
        if not self.pages:
            return range(0)
        top = self.indexAt(self.viewport().rect().topLeft() + QPoint(THUMB_WIDTH // 2, 8))
        bottom = self.indexAt(self.viewport().rect().bottomLeft() + QPoint(THUMB_WIDTH // 2, -8))
        first = top.row() if top.isValid() else 0
        last = bottom.row() if bottom.isValid() else min(len(self.pages), first + BATCH) - 1
        return range(first, min(len(self.pages), last + 3))

    @Slot()
    def _send_requests(self) -> None:
        source, doc = self._source, self._doc
        if not self._active or source is None or doc is None or not self.isVisible():
            return
        if self._task is not None:
            return  # one batch at a time; the next is chosen when it is back
        rows = self._visible_rows()
        self._cache.set_focus(doc, rows.start, self._size_of)
        missing = [(row, *self._sizes[row]) for row in rows if self._key(row) not in self._cache]
        if not missing:
            return
        wanted = missing[:BATCH]
        filetype, rotation = self._filetype, self._rotation

        def work(_task: Task) -> list[tuple[int, int, int, bytes]]:
            return in_process(render_thumbnails, source.file(), filetype, rotation, wanted)

        self._task = run_task(
            self, work, lambda done: self._drawn(doc, rotation, done), self._failed
        )

    def _drawn(self, doc: int, rotation: int, done: list[tuple[int, int, int, bytes]]) -> None:
        self._task = None
        if doc != self._doc or rotation != self._rotation:
            self._schedule()
            return
        dpr = self.devicePixelRatioF()
        for page, w, h, samples in done:
            image = QImage(samples, w, h, w * 3, QImage.Format.Format_RGB888).copy()
            image.setDevicePixelRatio(dpr)
            self._cache.put(RenderKey(doc, page, rotation, w, h, (0, 0, w, h)), image, len(samples))
            if page < len(self.pages):
                self._model.changed(page)
        self._schedule()

    def _failed(self, _exc: BaseException) -> None:
        self._task = None  # pages keep their placeholders

    def _size_of(self, page: int) -> tuple[int, int, int]:
        if 0 <= page < len(self._sizes):
            return (self._rotation, *self._sizes[page])
        return (-1, 0, 0)

    @Slot(QModelIndex)
    def _clicked(self, index: QModelIndex) -> None:
        self.pageClicked.emit(index.row())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._schedule()
