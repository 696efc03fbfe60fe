"""The scrolling page area: every page of one document, one under the other.

Pages are laid out at their real sizes from the start (white placeholders) and painted as
their images arrive from the render thread. Only what is on screen, plus the next and
previous page, is requested; a page not rendered yet comes first as the band across it that
is on screen, then whole; pages too big for one image (huge pages, high zoom) are requested
as tiles of the visible part. Overlays are drawn on top: signature outlines,
search hits, the selection and the regions that differ from the signed revision.
"""

from __future__ import annotations

import bisect
import enum
import math
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
    QResizeEvent,
    QShowEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QToolTip, QWidget

from intake_desktop.services.pdf_pages import (
    Matrix6,
    PageGeometry,
    Rect4,
    concat,
    device_matrix,
    pixel_size,
)
from intake_desktop.viewer.cache import PageCache, RenderKey
from intake_desktop.viewer.page_text import PageText
from intake_desktop.viewer.qt_compat import guard
from intake_desktop.viewer.render import HANDOVER_SECONDS, RenderRequest, RenderService

guard()  # PySide6 6.12 on Python 3.11 (see qt_compat)

MARGIN = 12
"""Logical pixels around the pages."""
GAP = 10
"""Logical pixels between pages."""
TILE = 1024
"""Side in device pixels of the tiles of pages too big to render whole."""
MAX_WHOLE_PIXELS = 16_000_000
"""Above this a page is rendered in tiles: a whole page image would take >48 MB."""
BAND_ALIGN = 64
"""Device pixels a band's top is rounded down to."""
BAND_HEIGHTS = 4
"""A band is 1/4, 2/4, 3/4 or all of the window's height (plus alignment), whichever covers
what is on screen: few sizes, so band images are reused like page images are (a fresh one
costs ~0.3 ms a MB in page faults)."""
BAND_SHARE = 0.7
"""A page whose part on screen is taller than this share of it is rendered whole at once."""
ZOOM_STEPS = (0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
"""Zoom factors (1.0 = the page's real size on screen)."""
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
TEXT_CACHE_PAGES = 32
STALE_MS = 60
"""Longest the view keeps its old picture after a scroll while new pages render."""
PREFETCH_DELAY_MS = 60
"""Pause in scrolling after which pages not on screen yet are rendered."""


class Fit(enum.Enum):
    NONE = 0
    WIDTH = 1
    PAGE = 2


@dataclass(frozen=True)
class SignatureMark:
    """A signature's visible field, as the view draws it."""

    index: int
    page: int
    rect: Rect4
    """PDF user space."""
    colour: QColor
    tooltip: str


@dataclass(frozen=True)
class SearchHit:
    page: int
    boxes: tuple[Rect4, ...]
    """Text space (see :mod:`.pdf_pages`), one box per line of the match."""


_SELECTION = QColor(0, 120, 215, 80)
_HIT = QColor(255, 200, 0, 110)
_CURRENT_HIT = QColor(255, 110, 0, 150)
_CHANGE = QColor(214, 0, 112)
_BACKGROUND = QColor(0x8A, 0x8F, 0x96)
_SHADOW = QColor(0x6A, 0x6E, 0x74)


def _qt(m: Matrix6) -> QTransform:
    return QTransform(m[0], m[1], m[2], m[3], m[4], m[5])


class PageView(QAbstractScrollArea):
    """Continuous vertical view of one document's pages."""

    signatureClicked = Signal(int)
    currentPageChanged = Signal(int)
    zoomChanged = Signal()
    selectionChanged = Signal(bool)
    firstPagePainted = Signal()
    pageImagePainted = Signal(int)
    """The final image of a page was painted for the first time (for measurements)."""
    renderFailed = Signal(int)
    """A page could not be drawn (its placeholder says so)."""

    def __init__(
        self, service: RenderService, cache: PageCache[QImage], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._cache = cache
        self.client = service.new_client()
        self._doc: int | None = None
        self._pages: tuple[PageGeometry, ...] = ()
        self._zoom = 1.0
        self._fit = Fit.WIDTH
        self._rotation = 0
        self._tops: list[float] = []
        self._sizes: list[tuple[int, int]] = []
        self._content_width = 0.0
        self._current = 0
        self._last_scroll = 0
        self._direction = 1
        self._prefetch = True
        """Render what the next page turn will show before it is asked for."""
        self._painted: set[RenderKey] = set()
        self._first_painted = False
        self._failed: dict[RenderKey, str] = {}
        self._signatures: list[SignatureMark] = []
        self._hover_signature: int | None = None
        self._hits: list[SearchHit] = []
        self._current_hit = -1
        self._changes: dict[int, list[Rect4]] = {}
        self._texts: OrderedDict[int, PageText] = OrderedDict()
        self._selection: tuple[int, QPointF, QPointF] | None = None
        self._selecting = False
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(0)
        self._update_timer.timeout.connect(self._send_requests)
        # After a scroll to pages not rendered yet, the window keeps its old picture for a
        # moment instead of flashing placeholders: painting them would also run alongside
        # the render (PySide6 releases the GIL while Qt paints) and slow it down ~2x.
        self._stale = False
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(STALE_MS)
        self._stale_timer.timeout.connect(self._refresh)
        # Prefetching starts once scrolling pauses: the render process draws one page at a
        # time, and a prefetch under way when the next key comes delays that page turn.
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(PREFETCH_DELAY_MS)
        self._prefetch_timer.timeout.connect(self._send_requests)

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        # paintEvent covers every pixel (background, pages, placeholders): Qt need not.
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setSingleStep(40)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        service.rendered.connect(self._rendered)
        service.renderFailed.connect(self._render_failed)
        service.textReady.connect(self._text_ready)

    # --- document -----------------------------------------------------------------------------

    def set_document(self, doc: int | None, pages: Sequence[PageGeometry]) -> None:
        """Show ``pages`` of ``doc`` (an id opened on the render service), or nothing."""
        self._doc = doc
        self._pages = tuple(pages)
        self._tops, self._sizes = [], []
        self._painted.clear()
        self._failed.clear()
        self._first_painted = False
        self._texts.clear()
        self._selection = None
        self._hits, self._current_hit = [], -1
        self._changes = {}
        self._signatures = []
        self._current = 0
        self._relayout()
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self._schedule()
        self.viewport().update()

    @property
    def doc(self) -> int | None:
        return self._doc

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def release(self) -> None:
        """Stop asking the render thread for anything (the view is going away)."""
        self._service.request(self.client, [])
        self._service.drop_client(self.client)

    # --- geometry -----------------------------------------------------------------------------

    def _px_per_pt(self) -> float:
        """Logical pixels per point at zoom 1: the page at its real size on this screen."""
        return self.logicalDpiX() / 72.0

    def _dpr(self) -> float:
        return self.viewport().devicePixelRatioF()

    def _fit_zoom(self) -> float:
        if not self._pages:
            return self._zoom
        vw = max(50, self.viewport().width() - 2 * MARGIN)
        vh = max(50, self.viewport().height() - 2 * MARGIN)
        turned = self._rotation % 180 != 0
        widths = [g.height if turned else g.width for g in self._pages]
        if self._fit is Fit.WIDTH:
            return vw / max(widths) / self._px_per_pt()
        page = self._pages[min(self._current, len(self._pages) - 1)]
        w, h = (page.height, page.width) if turned else (page.width, page.height)
        return min(vw / w, vh / h) / self._px_per_pt()

    def _relayout(self) -> None:
        anchor = self._anchor_at(QPointF(self.viewport().width() / 2, 0)) if self._tops else None
        if self._fit is not Fit.NONE:
            self._zoom = min(MAX_ZOOM, max(MIN_ZOOM, self._fit_zoom()))
        scale = self._zoom * self._px_per_pt() * self._dpr()
        dpr = self._dpr()
        self._sizes = [pixel_size(g.width, g.height, self._rotation, scale) for g in self._pages]
        y = float(MARGIN)
        self._tops = []
        widest = 0.0
        for w, h in self._sizes:
            self._tops.append(y)
            y += h / dpr + GAP
            widest = max(widest, w / dpr)
        height = y - GAP + MARGIN if self._sizes else 0.0
        self._content_width = widest + 2 * MARGIN
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setRange(0, max(0, math.ceil(height) - self.viewport().height()))
        vbar.setPageStep(self.viewport().height())
        hbar.setRange(0, max(0, math.ceil(self._content_width) - self.viewport().width()))
        hbar.setPageStep(self.viewport().width())
        if anchor is not None:
            self._scroll_to_anchor(anchor, QPointF(self.viewport().width() / 2, 0))
        self.zoomChanged.emit()

    def _page_rect(self, page: int) -> QRectF:
        """The page's rectangle in viewport coordinates (logical pixels)."""
        dpr = self._dpr()
        w, h = self._sizes[page]
        content_w = max(float(self.viewport().width()), self._content_width)
        x = round((content_w - w / dpr) / 2) - self.horizontalScrollBar().value()
        y = self._tops[page] - self.verticalScrollBar().value()
        return QRectF(x, y, w / dpr, h / dpr)

    def _page_transform(self, page: int) -> QTransform:
        """Page space (points) to viewport coordinates."""
        rect = self._page_rect(page)
        dpr = self._dpr()
        ctm = device_matrix(self._pages[page], self._rotation, self._sizes[page])
        return _qt(concat(ctm, (1 / dpr, 0.0, 0.0, 1 / dpr, rect.x(), rect.y())))

    def _text_transform(self, page: int) -> QTransform:
        return _qt(self._pages[page].text_matrix) * self._page_transform(page)

    def _user_transform(self, page: int) -> QTransform:
        matrix = self._pages[page].user_matrix
        base = self._page_transform(page)
        return base if matrix is None else _qt(matrix) * base

    def _visible_pages(self) -> range:
        if not self._tops:
            return range(0)
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        dpr = self._dpr()
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        if self._tops[first] + self._sizes[first][1] / dpr < top:
            first += 1
        last = max(first, bisect.bisect_left(self._tops, bottom) - 1)
        return range(first, min(last + 1, len(self._tops)))

    def _page_at(self, pos: QPointF) -> int | None:
        for page in self._visible_pages():
            if self._page_rect(page).contains(pos):
                return page
        return None

    def _anchor_at(self, pos: QPointF) -> tuple[int, float, float] | None:
        """(page, fraction across, fraction down) of the page point at viewport ``pos``."""
        if not self._tops:
            return None
        y = pos.y() + self.verticalScrollBar().value()
        page = max(0, min(len(self._tops) - 1, bisect.bisect_right(self._tops, y) - 1))
        rect = self._page_rect(page)
        return (
            page,
            (pos.x() - rect.x()) / max(1.0, rect.width()),
            (pos.y() - rect.y()) / max(1.0, rect.height()),
        )

    def _scroll_to_anchor(self, anchor: tuple[int, float, float], pos: QPointF) -> None:
        page, fx, fy = anchor
        page = min(page, len(self._tops) - 1)
        dpr = self._dpr()
        w, h = self._sizes[page]
        content_w = max(float(self.viewport().width()), self._content_width)
        x = (content_w - w / dpr) / 2 + fx * w / dpr
        y = self._tops[page] + fy * h / dpr
        self.horizontalScrollBar().setValue(round(x - pos.x()))
        self.verticalScrollBar().setValue(round(y - pos.y()))

    # --- zoom, rotation, navigation ----------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def fit(self) -> Fit:
        return self._fit

    @property
    def rotation(self) -> int:
        return self._rotation

    def set_fit(self, fit: Fit) -> None:
        self._fit = fit
        self._relayout()
        self._schedule()
        self.viewport().update()

    def set_zoom(self, zoom: float, around: QPointF | None = None) -> None:
        """Zoom to ``zoom`` (1.0 = real size), keeping the point at ``around`` in place."""
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        pos = around if around is not None else QPointF(self.viewport().width() / 2, 0)
        anchor = self._anchor_at(pos)
        self._fit = Fit.NONE
        self._zoom = zoom
        self._relayout()
        if anchor is not None:
            self._scroll_to_anchor(anchor, pos)
        self._schedule()
        self.viewport().update()

    def zoom_in(self, around: QPointF | None = None) -> None:
        bigger = [z for z in ZOOM_STEPS if z > self._zoom * 1.01]
        self.set_zoom(bigger[0] if bigger else self._zoom * 1.25, around)

    def zoom_out(self, around: QPointF | None = None) -> None:
        smaller = [z for z in ZOOM_STEPS if z < self._zoom / 1.01]
        self.set_zoom(smaller[-1] if smaller else self._zoom / 1.25, around)

    def rotate(self, degrees: int) -> None:
        """Turn every page clockwise by ``degrees`` (a multiple of 90) on screen."""
        page = self.current_page()
        self._rotation = (self._rotation + degrees) % 360
        self._relayout()
        self.go_to_page(page)

    def set_rotation(self, rotation: int) -> None:
        self.rotate(rotation - self._rotation)

    def current_page(self) -> int:
        """The page at a third of the way down the window (from 0)."""
        if not self._tops:
            return 0
        y = self.verticalScrollBar().value() + self.viewport().height() / 3
        return max(0, min(len(self._tops) - 1, bisect.bisect_right(self._tops, y) - 1))

    def go_to_page(self, page: int) -> None:
        """Scroll so that ``page`` (from 0) starts at the top of the window."""
        if not self._tops:
            return
        page = max(0, min(page, len(self._tops) - 1))
        self.verticalScrollBar().setValue(round(self._tops[page] - MARGIN))

    def _page_bounds(self, page: int) -> tuple[float, float]:
        return self._tops[page], self._tops[page] + self._sizes[page][1] / self._dpr()

    def page_down(self) -> None:
        """One screen down, but never past a page's end: the next press starts the next page."""
        if not self._tops:
            return
        bar = self.verticalScrollBar()
        top, height = bar.value(), self.viewport().height()
        page = max(0, bisect.bisect_right(self._tops, top + MARGIN) - 1)
        _start, end = self._page_bounds(page)
        if end <= top + height + 1:
            if page + 1 < len(self._tops):
                self.go_to_page(page + 1)
            else:
                bar.setValue(bar.maximum())
            return
        bar.setValue(round(min(top + height * 0.9, end - height + MARGIN)))

    def page_up(self) -> None:
        """One screen up, stopping at the page's top; from there to the previous page's end."""
        if not self._tops:
            return
        bar = self.verticalScrollBar()
        top, height = bar.value(), self.viewport().height()
        page = max(0, bisect.bisect_right(self._tops, top + MARGIN) - 1)
        start, _end = self._page_bounds(page)
        if top <= start - MARGIN + 1:
            if page == 0:
                bar.setValue(0)
                return
            prev_start, prev_end = self._page_bounds(page - 1)
            bar.setValue(round(max(prev_start - MARGIN, prev_end - height + MARGIN)))
            return
        bar.setValue(round(max(start - MARGIN, top - height * 0.9)))

    # --- overlays ----------------------------------------------------------------------------

    def set_signatures(self, marks: Sequence[SignatureMark]) -> None:
        self._signatures = [m for m in marks if 0 <= m.page < len(self._pages)]
        self.viewport().update()

    def set_search_hits(self, hits: Sequence[SearchHit], current: int = -1) -> None:
        self._hits = list(hits)
        self._current_hit = current
        if 0 <= current < len(hits):
            self._reveal(hits[current])
        self.viewport().update()

    def set_changes(self, changes: dict[int, list[Rect4]]) -> None:
        """Regions (PDF user space, by page) outlined as differing from the other version."""
        self._changes = {p: list(r) for p, r in changes.items()}
        self.viewport().update()

    def reveal_user_rect(self, page: int, rect: Rect4) -> None:
        """Scroll so that ``rect`` (PDF user space) of ``page`` is in view."""
        self._reveal_rect(page, self._user_transform(page).mapRect(QRectF(*_qrect(rect))))

    def _reveal(self, hit: SearchHit) -> None:
        area = QRectF()
        for box in hit.boxes:
            area = area.united(self._text_transform(hit.page).mapRect(QRectF(*_qrect(box))))
        self._reveal_rect(hit.page, area)

    def _reveal_rect(self, page: int, area: QRectF) -> None:
        view = QRectF(self.viewport().rect()).adjusted(20, 20, -20, -20)
        if view.contains(area):
            return
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setValue(round(vbar.value() + area.center().y() - view.center().y()))
        if not view.adjusted(0, -1e6, 0, 1e6).contains(area):
            hbar.setValue(round(hbar.value() + area.center().x() - view.center().x()))

    # --- selection ---------------------------------------------------------------------------

    def selected_text(self) -> str:
        """The text selected with the mouse ("" when none, or its words are not loaded yet)."""
        span = self._selection_span()
        if span is None:
            return ""
        text, start, end = span
        return text.text[start:end]

    def copy(self) -> bool:
        """Put the selected text on the clipboard; False when nothing is selected."""
        selected = self.selected_text()
        if not selected:
            return False
        QGuiApplication.clipboard().setText(selected)
        return True

    def clear_selection(self) -> None:
        self._selection = None
        self.selectionChanged.emit(False)
        self.viewport().update()

    def select_text_between(self, page: int, a: Rect4, b: Rect4) -> None:
        """Select from the start of box ``a`` to the end of box ``b`` (text space) of ``page``."""
        self._selection = (page, QPointF(a[0], (a[1] + a[3]) / 2), QPointF(b[2], (b[1] + b[3]) / 2))
        self._want_text(page)
        self.viewport().update()

    def page_text(self, page: int) -> PageText | None:
        return self._texts.get(page)

    def _selection_span(self) -> tuple[PageText, int, int] | None:
        if self._selection is None:
            return None
        page, a, b = self._selection
        text = self._texts.get(page)
        if text is None or text.empty:
            return None
        start, end = text.caret_at(a.x(), a.y()), text.caret_at(b.x(), b.y())
        if start == end:
            return None
        return text, min(start, end), max(start, end)

    def _want_text(self, page: int) -> None:
        if self._doc is not None and page not in self._texts:
            self._service.request_text(self._doc, page)

    @Slot(int, int, object)
    def _text_ready(self, doc: int, page: int, text: PageText) -> None:
        if doc != self._doc:
            return
        self._texts[page] = text
        while len(self._texts) > TEXT_CACHE_PAGES:
            self._texts.popitem(last=False)
        if self._selection is not None and self._selection[0] == page:
            self.selectionChanged.emit(self._selection_span() is not None)
            self.viewport().update()

    def _to_text_space(self, page: int, pos: QPointF) -> QPointF:
        inverse, _ok = self._text_transform(page).inverted()
        return inverse.map(pos)

    # --- rendering requests ------------------------------------------------------------------

    def _schedule(self) -> None:
        self._update_timer.start()

    def _key(self, page: int, clip: tuple[int, int, int, int] | None = None) -> RenderKey:
        assert self._doc is not None
        w, h = self._sizes[page]
        return RenderKey(self._doc, page, self._rotation, w, h, clip or (0, 0, w, h))

    def _tile_size(self, page: int) -> tuple[int, int]:
        """Device pixels of the pieces a page is rendered in: the whole page up to
        MAX_WHOLE_PIXELS (one request, so a page turn waits for one render and one repaint;
        measured faster than bands), square tiles beyond (huge pages, high zoom)."""
        w, h = self._sizes[page]
        if w * h <= MAX_WHOLE_PIXELS:
            return w, h
        return TILE, TILE

    def _tiles_in(self, page: int, top: float, bottom: float) -> list[RenderKey]:
        """The pieces of ``page`` between ``top`` and ``bottom`` (viewport y, logical px)
        and within the viewport across."""
        rect = self._page_rect(page)
        part = rect.intersected(QRectF(0, top, self.viewport().width(), bottom - top))
        if part.isEmpty():
            return []
        dpr = self._dpr()
        w, h = self._sizes[page]
        tw, th = self._tile_size(page)
        x0 = max(0, int((part.left() - rect.left()) * dpr) // tw)
        x1 = min((w - 1) // tw, int((part.right() - rect.left()) * dpr) // tw)
        y0 = max(0, int((part.top() - rect.top()) * dpr) // th)
        y1 = min((h - 1) // th, int((part.bottom() - rect.top()) * dpr) // th)
        keys = []
        for ty in range(y0, y1 + 1):
            for tx in range(x0, x1 + 1):
                clip = (tx * tw, ty * th, min(tw, w - tx * tw), min(th, h - ty * th))
                keys.append(self._key(page, clip))
        return keys

    def _visible_tiles(self, page: int) -> list[RenderKey]:
        return self._tiles_in(page, 0, self.viewport().height())

    def _visible_rows(self, page: int) -> tuple[int, int]:
        """The rows of the page's image on screen (device pixels, top inclusive)."""
        rect = self._page_rect(page)
        dpr = self._dpr()
        top = max(0.0, -rect.top()) * dpr
        bottom = min(rect.height(), self.viewport().height() - rect.top()) * dpr
        return int(top), math.ceil(bottom)

    def _band(self, page: int) -> RenderKey | None:
        """The band across ``page`` to render before the whole page, or None.

        A page turn shows ~40% of a full-HD page at fit width: MuPDF draws that band in about
        half the time of the page (measured 3.8 of 6.4 ms at the top of the benchmark's
        pages, 1.6 in their middle), and the whole page follows for scrolling.
        """
        w, h = self._sizes[page]
        if self._tile_size(page) != (w, h):
            return None  # tiled already
        most = math.ceil(self.viewport().height() * self._dpr() / BAND_ALIGN + 1) * BAND_ALIGN
        if most > h * BAND_SHARE:
            return None
        top, bottom = self._visible_rows(page)
        y = top // BAND_ALIGN * BAND_ALIGN
        step = most // BAND_HEIGHTS
        rows = min(most, max(1, math.ceil((bottom - y) / step)) * step)
        y = max(0, min(y, h - rows))
        return self._key(page, (0, y, w, rows))

    def _band_on_screen(self, page: int) -> tuple[RenderKey, QImage] | None:
        """A rendered band of ``page`` at the current size covering its rows on screen."""
        assert self._doc is not None
        w, h = self._sizes[page]
        top, bottom = self._visible_rows(page)
        for key, image in self._cache.stand_ins(self._doc, page, self._rotation):
            _x, y, cw, ch = key.clip
            if (key.width, key.height) == (w, h) and cw == w and y <= top and y + ch >= bottom:
                return key, image
        return None

    def _tiles_between(self, top: float, bottom: float) -> list[RenderKey]:
        """Pieces of every page between viewport heights ``top`` and ``bottom``."""
        scroll = self.verticalScrollBar().value()
        first = max(0, bisect.bisect_right(self._tops, top + scroll) - 1)
        last = bisect.bisect_left(self._tops, bottom + scroll)
        keys: list[RenderKey] = []
        for page in range(first, min(last, len(self._tops))):
            keys.extend(self._tiles_in(page, top, bottom))
        return keys

    def _page_top_tiles(self, page: int) -> list[RenderKey]:
        """The pieces a jump to the top of ``page`` would show."""
        top = self._page_rect(page).top() - MARGIN
        return self._tiles_in(page, top, top + self.viewport().height())

    def _wanted(self) -> list[RenderRequest]:
        if self._doc is None or not self._sizes:
            return []
        visible = self._visible_pages()
        centre = self.viewport().height() / 2
        requests: list[RenderRequest] = []
        for page in visible:
            tiles = self._visible_tiles(page)
            if len(tiles) == 1 and tiles[0] not in self._cache:
                band = self._band(page)
                if band is not None:
                    # The band on screen now (unless one is drawn already), the whole page
                    # after every band on screen: the page is not "missing" meanwhile.
                    tiles = [band] if self._band_on_screen(page) is None else []
                    requests.append(RenderRequest(self._key(page), 1.0 + page * 1e-6))
            for key in tiles:
                y = self._page_rect(page).top() + (key.clip[1] + key.clip[3] / 2) / self._dpr()
                # Lower is sooner: the middle of the window first, all before any prefetch.
                requests.append(RenderRequest(key, min(0.9, abs(y - centre) / 1e5)))
        if visible and self._prefetch and not self._prefetch_timer.isActive():
            # What the next PgDn (the next screen) and the next Ctrl+PgDn (the top of the next
            # page) will show, in the direction of reading only: the cache holds about four
            # full-HD pages, and prefetching both ways would evict one for the other.
            height = self.viewport().height()
            if self._direction >= 0:
                ahead = self._tiles_between(height, 2 * height)
                if visible.stop < len(self._tops):
                    ahead += self._page_top_tiles(visible.stop)
            else:
                ahead = self._tiles_between(-height, 0)
                if visible.start > 0:
                    ahead += self._page_top_tiles(visible.start - 1)
            requests += [RenderRequest(k, 10.0 + i * 0.01) for i, k in enumerate(ahead)]
        seen: set[RenderKey] = set()
        unique = []
        for request in sorted(requests, key=lambda r: r.priority):
            key = request.key
            if key not in seen and key not in self._cache and key not in self._failed:
                seen.add(key)
                unique.append(request)
        return unique

    @Slot()
    def _send_requests(self) -> bool:
        """Ask for what the view needs; True when something on screen is not rendered yet."""
        if self._doc is not None and self._tops:
            self._cache.set_focus(self._doc, self.current_page(), self._size_of)
        wanted = self._wanted()
        self._service.request(self.client, wanted)
        missing = bool(wanted) and wanted[0].priority < 1.0
        if missing:
            # A page on screen is missing: let the render thread take the GIL and pass it to
            # the render process now, rather than after this thread's Python work for the
            # same event (the interpreter would hand it over only after its 5 ms switch
            # interval).
            time.sleep(HANDOVER_SECONDS)
        return missing

    def _size_of(self, page: int) -> tuple[int, int, int]:
        if 0 <= page < len(self._sizes):
            return (self._rotation, *self._sizes[page])
        return (-1, 0, 0)

    @Slot(int, object, object)
    def _rendered(self, client: int, key: RenderKey, image: QImage) -> None:
        if client != self.client or key.doc != self._doc:
            return
        self._cache.put(key, image, image.sizeInBytes())
        if key.whole:
            # Its bands are of no more use.
            pieces = self._cache.stand_ins(key.doc, key.page, key.rotation)
            self._cache.drop([k for k, _ in pieces if k.width == key.width and k != key])
        if key.page in self._visible_pages():
            # Now rather than at the next pass of the event loop: the officer is waiting.
            if self._stale:
                self._stale = False
                self._stale_timer.stop()
                self.viewport().repaint()
            else:
                self.viewport().repaint(self._page_rect(key.page).toAlignedRect())
        # The next wanted page, if the view moved on meanwhile.
        self._schedule()

    @Slot(int, object, str)
    def _render_failed(self, client: int, key: RenderKey, detail: str) -> None:
        if client != self.client or key.doc != self._doc:
            return
        self._failed[key] = detail
        self.renderFailed.emit(key.page)
        self.viewport().update()

    @Slot(int)
    def _scrolled(self, _value: int) -> None:
        value = self.verticalScrollBar().value()
        if value != self._last_scroll:
            self._direction = 1 if value > self._last_scroll else -1
            self._last_scroll = value
        # Ask for the newly shown pages now, before the repaints this scroll causes.
        self._update_timer.stop()
        self._prefetch_timer.start()
        missing = self._send_requests()
        page = self.current_page()
        if page != self._current and self._pages:
            self._current = page
            self.currentPageChanged.emit(page)
        if missing and self._first_painted:
            self._stale = True
            if not self._stale_timer.isActive():
                self._stale_timer.start()
        else:
            self._refresh()

    @Slot()
    def _refresh(self) -> None:
        self._stale = False
        self._stale_timer.stop()
        self.viewport().update()

    # --- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        pages = [p for p in self._visible_pages() if self._page_rect(p).intersects(event.rect())]
        # Background and shadows around the pages only: every full-screen fill costs ~0.5 ms.
        background = QRegion(event.rect())
        for page in pages:
            background -= QRegion(self._page_rect(page).toAlignedRect())
        painter.setClipRegion(background)
        painter.fillRect(event.rect(), _BACKGROUND)
        painter.setClipping(False)
        newly_painted: list[int] = []
        for page in pages:
            rect = self._page_rect(page)
            painter.fillRect(QRectF(rect.right(), rect.top() + 3, 3, rect.height()), _SHADOW)
            painter.fillRect(QRectF(rect.left() + 3, rect.bottom(), rect.width() - 3, 3), _SHADOW)
            if self._paint_page(painter, page, rect):
                newly_painted.append(page)
            self._paint_overlays(painter, page)
        painter.end()
        for page in newly_painted:
            self.pageImagePainted.emit(page)
            if not self._first_painted:
                self._first_painted = True
                self.firstPagePainted.emit()

    def _paint_page(self, painter: QPainter, page: int, rect: QRectF) -> bool:
        """Draw the page's pieces on screen, stand-ins for missing ones, or a placeholder.

        True when every piece on screen is drawn from its own image and one of them is new.
        """
        dpr = self._dpr()
        missing: list[QRectF] = []
        fresh = failed = False
        for key in self._visible_tiles(page):
            x, y, w, h = key.clip
            target = QRectF(rect.x() + x / dpr, rect.y() + y / dpr, w / dpr, h / dpr)
            image = self._cache.get(key)
            if image is None and key.whole and (band := self._band_on_screen(page)):
                key, image = band
                x, y, w, h = key.clip
                target = QRectF(rect.x() + x / dpr, rect.y() + y / dpr, w / dpr, h / dpr)
            if image is not None:
                painter.drawImage(target, image)
                if key not in self._painted:
                    self._painted.add(key)
                    fresh = True
            else:
                missing.append(target)
                failed = failed or key in self._failed
        if missing:
            area = QRegion()
            for target in missing:
                area += QRegion(target.toAlignedRect())
            painter.save()
            painter.setClipRegion(area)
            painter.fillRect(rect, Qt.GlobalColor.white)
            if failed:
                self._paint_message(painter, rect, self.tr("Không vẽ được trang này."))
            elif not self._paint_stand_ins(painter, page, rect):
                self._paint_message(painter, rect, self.tr("Trang %1").replace("%1", str(page + 1)))
            painter.restore()
        return fresh and not missing

    def _paint_stand_ins(self, painter: QPainter, page: int, rect: QRectF) -> bool:
        """Images of the page at another zoom, scaled: blurry for a moment beats blank."""
        assert self._doc is not None
        current = self._sizes[page]
        drawn = False
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for key, image in self._cache.stand_ins(self._doc, page, self._rotation):
            if (key.width, key.height) == current:
                continue
            sx, sy = rect.width() / key.width, rect.height() / key.height
            x, y, w, h = key.clip
            painter.drawImage(QRectF(rect.x() + x * sx, rect.y() + y * sy, w * sx, h * sy), image)
            drawn = True
        return drawn

    def _paint_message(self, painter: QPainter, rect: QRectF, text: str) -> None:
        view = rect.intersected(QRectF(self.viewport().rect()))
        painter.save()
        painter.setPen(QColor(150, 150, 150))
        painter.drawText(view, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def _paint_overlays(self, painter: QPainter, page: int) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_map = self._text_transform(page)
        for i, hit in enumerate(self._hits):
            if hit.page != page:
                continue
            colour = _CURRENT_HIT if i == self._current_hit else _HIT
            for box in hit.boxes:
                painter.fillRect(text_map.mapRect(QRectF(*_qrect(box))), colour)
        span = self._selection_span()
        if span is not None and self._selection is not None and self._selection[0] == page:
            text, start, end = span
            for box in text.boxes(start, end):
                painter.fillRect(text_map.mapRect(QRectF(*_qrect(box))), _SELECTION)
        user_map = self._user_transform(page)
        for rect in self._changes.get(page, ()):
            area = user_map.mapRect(QRectF(*_qrect(rect))).adjusted(-2, -2, 2, 2)
            fill = QColor(_CHANGE)
            fill.setAlpha(40)
            painter.fillRect(area, fill)
            painter.setPen(QPen(_CHANGE, 2))
            painter.drawRect(area)
        for mark in self._signatures:
            if mark.page != page:
                continue
            area = user_map.mapRect(QRectF(*_qrect(mark.rect)))
            fill = QColor(mark.colour)
            fill.setAlpha(60 if mark.index == self._hover_signature else 28)
            painter.fillRect(area, fill)
            width = 3.5 if mark.index == self._hover_signature else 2.5
            painter.setPen(QPen(mark.colour, width))
            painter.drawRect(area)
        painter.restore()

    # --- input -------------------------------------------------------------------------------

    def _signature_at(self, pos: QPointF) -> SignatureMark | None:
        for mark in reversed(self._signatures):
            area = self._user_transform(mark.page).mapRect(QRectF(*_qrect(mark.rect)))
            if area.adjusted(-3, -3, 3, 3).contains(pos):
                return mark
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        mark = self._signature_at(pos)
        if mark is not None:
            self.signatureClicked.emit(mark.index)
            return
        page = self._page_at(pos)
        if page is None:
            self.clear_selection()
            return
        point = self._to_text_space(page, pos)
        self._selection = (page, point, point)
        self._selecting = True
        self._want_text(page)
        self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._selecting and self._selection is not None:
            page, start, _end = self._selection
            self._selection = (page, start, self._to_text_space(page, pos))
            self.viewport().update()
            return
        mark = self._signature_at(pos)
        hover = mark.index if mark is not None else None
        if hover != self._hover_signature:
            self._hover_signature = hover
            self.viewport().update()
        if mark is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(event.globalPosition().toPoint(), mark.tooltip, self.viewport())
        elif self._page_at(pos) is not None:
            self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._selecting:
            self._selecting = False
            self.selectionChanged.emit(self._selection_span() is not None)
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        action = menu.addAction(self.tr("Sao chép"), self.copy)
        action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        action.setEnabled(bool(self.selected_text()))
        menu.exec(event.globalPos())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_zoom(self._zoom * (1.15**steps), event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif key == Qt.Key.Key_PageDown and ctrl:
            self.go_to_page(self.current_page() + 1)
        elif key == Qt.Key.Key_PageUp and ctrl:
            self.go_to_page(self.current_page() - 1)
        elif key == Qt.Key.Key_PageDown or (key == Qt.Key.Key_Space and not shift):
            self.page_down()
        elif key == Qt.Key.Key_PageUp or (key == Qt.Key.Key_Space and shift):
            self.page_up()
        elif key == Qt.Key.Key_Home:
            self.go_to_page(0)
        elif key == Qt.Key.Key_End:
            self.go_to_page(len(self._tops) - 1)
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        elif key == Qt.Key.Key_Escape and self._selection is not None:
            self.clear_selection()
        else:
            super().keyPressEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Nothing here: :meth:`_scrolled` repaints, or keeps the old picture while the pages
        scrolled to render (Qt's own repaint would show their placeholders for a moment)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()
        self._schedule()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._relayout()
        self._schedule()

    def sizeHint(self) -> QSize:
        return QSize(800, 900)

    def map_text_point(self, page: int, point: tuple[float, float]) -> QPoint:
        """Viewport position of a text-space point (for tests and tooltips)."""
        return self._text_transform(page).map(QPointF(*point)).toPoint()

    def map_user_rect(self, page: int, rect: Rect4) -> QRectF:
        """Viewport rectangle of a PDF user-space rectangle of ``page``."""
        return self._user_transform(page).mapRect(QRectF(*_qrect(rect)))


def _qrect(rect: Rect4) -> tuple[float, float, float, float]:
    """(x, y, width, height) of a normalised (x0, y0, x1, y1) rectangle."""
    x0, y0, x1, y1 = rect
    return min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)
