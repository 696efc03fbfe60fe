"""The document viewer widget the review screen embeds.

:class:`PdfViewer` shows a PDF or image with a toolbar (pages, zoom, rotation, search, print,
save a copy), thumbnails, the visible signature fields outlined in their verdict's colour,
the document exactly as a signature signed it, and a side-by-side comparison with it.
Word documents get their details, "open with the system application" and, with LibreOffice
installed, a PDF preview. Files that cannot be shown get a plain Vietnamese explanation.

Threads: PyMuPDF documents live in the render process (:mod:`.render_process`), reached
through the render thread (:mod:`.render`); search, comparison and printing run in worker
processes (:mod:`.bulk`); nothing here blocks the GUI thread.
"""

from __future__ import annotations

import enum
import functools
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QImage,
    QKeySequence,
    QPainter,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from intake_desktop.services.page_diff import PageChange, compare_files
from intake_desktop.services.pdf_pages import render_file_page
from intake_desktop.viewer import office
from intake_desktop.viewer.bulk import in_process
from intake_desktop.viewer.cache import PageCache
from intake_desktop.viewer.page_text import search_file
from intake_desktop.viewer.page_view import Fit, PageView, SearchHit, SignatureMark
from intake_desktop.viewer.qt_compat import guard
from intake_desktop.viewer.render import OpenResult, RenderService, render_service
from intake_desktop.viewer.render_process import Problem
from intake_desktop.viewer.sources import DocumentSource
from intake_desktop.viewer.tasks import Task, run_task
from intake_desktop.viewer.thumbnails import ThumbnailPanel

if TYPE_CHECKING:
    # Types only: importing the signatures package loads pyHanko (40 MB), which a viewer
    # showing a plain attachment does not need.
    from intake_desktop.services.signatures.report import SignatureReport, Verdict

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    PRINTING = True
except ImportError:  # pragma: no cover - PySide6-Essentials 6.12 ships QtPrintSupport
    PRINTING = False

T = TypeVar("T")
guard()  # PySide6 6.12 on Python 3.11 (see qt_compat)

PAGE_CACHE_BYTES = 64 * 1024 * 1024
"""Shared by every viewer: four full-HD pages at fit width (two on screen, the next and the
previous); a page not in it is rendered again in about the time of a screen refresh."""
SEARCH_CHUNK = 16
COMPARE_CHUNK = 8
PRINT_DPI = 300

_DEFAULT_COLOUR = QColor("#1565c0")
_open_url = QDesktopServices.openUrl  # tests replace it

_shared_cache: PageCache[QImage] | None = None


def _page_cache() -> PageCache[QImage]:
    global _shared_cache
    if _shared_cache is None:
        service = render_service()
        _shared_cache = PageCache(PAGE_CACHE_BYTES, lambda _key, image: service.recycle(image))
    return _shared_cache


def default_colour(_verdict: Verdict) -> QColor:
    """One neutral blue: the review screen passes ``ui.verdict_style.verdict_colour``."""
    return QColor(_DEFAULT_COLOUR)


class _Role(enum.Enum):
    CURRENT = 1
    REVISION = 2
    CONVERTED = 3


@dataclass
class _Doc:
    id: int
    name: str
    role: _Role
    signature: int | None = None
    """For a revision: the index of the signature that signed it."""
    result: OpenResult | None = None

    @property
    def ready(self) -> bool:
        return self.result is not None and self.result.ok

    @property
    def source(self) -> DocumentSource | None:
        return self.result.source if self.result is not None else None


def _open_local_file(path: str) -> None:
    _open_url(QUrl.fromLocalFile(path))


def _when(moment: datetime | None) -> str:
    from intake_desktop.services.working_days import VN_TZ

    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if moment else "?"


def _size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


class _Banner(QFrame):
    """A coloured line above the pages: what is shown, or what is wrong with the file."""

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(
            f"#banner {{ background: {colour}; border-bottom: 1px solid #9aa4ad; }}"
            " QLabel { color: #1d2125; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.label, 1)
        self.button = QPushButton(self)
        self.button.hide()
        layout.addWidget(self.button)
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(bool(text))


class _MessagePage(QWidget):
    """Shown instead of pages: a file that cannot be displayed, or a Word document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_button = QPushButton(self)
        self.convert_button = QPushButton(self)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.convert_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def show_message(self, title: str, details: str = "") -> None:
        self.title.setText(title)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.open_button.hide()
        self.convert_button.hide()


class PdfViewer(QWidget):
    """Shows one document (PDF or image) and its signatures; read-only.

    Open with :meth:`open_bytes` or :meth:`open_file`; give the signature reports with
    :meth:`set_signatures`. Everything slow happens off the GUI thread: methods return at
    once and the signals tell the outcome.
    """

    signatureClicked = Signal(int)
    """The officer clicked the outline of the signature with this index."""
    documentLoaded = Signal(int)
    """A document is shown; its page count."""
    firstPagePainted = Signal()
    """The first page image of the shown document reached the screen."""
    error = Signal(str)
    """A message shown to the officer instead of (or above) the pages, in Vietnamese."""
    searchFinished = Signal(int)
    """The number of matches once the whole document was searched."""
    comparisonFinished = Signal(int)
    """The number of pages that differ from the signed revision."""
    printFinished = Signal(bool)
    copySaved = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        colour_for: Callable[[Verdict], QColor] = default_colour,
        soffice: str | bool | None = True,
    ) -> None:
        """``colour_for`` colours signature outlines by verdict. ``soffice``: the path of
        LibreOffice, ``True`` to look for it, or ``None``/``False`` to never convert."""
        super().__init__(parent)
        self._service = render_service()
        self._cache = _page_cache()
        self._colour_for = colour_for
        self._soffice = office.find_soffice() if soffice is True else (soffice or None)
        self._docs: dict[int, _Doc] = {}
        self._current: _Doc | None = None
        self._shown: _Doc | None = None
        self._reports: dict[int, SignatureReport] = {}
        self._pending: tuple[str, int] | None = None
        self._compare_index: int | None = None
        self._changes: dict[int, list[tuple[float, float, float, float]]] = {}
        self._known_regions: list[tuple[int, tuple[float, float, float, float]]] | None = None
        self._hits: list[SearchHit] = []
        self._hit = -1
        self._tasks: dict[str, Task] = {}
        self._temp_dir: tempfile.TemporaryDirectory[str] | None = None
        self._last_query = ""
        self.conversion_timeout = office.DEFAULT_TIMEOUT
        """Seconds LibreOffice may take to convert a Word document."""
        self._build()
        self._service.opened.connect(self._opened)
        # Not a slot of ours: by the time ``destroyed`` fires the viewer is half gone.
        self.destroyed.connect(
            functools.partial(
                _release,
                self._service,
                self._cache,
                self._docs,
                [self.view.client, self.left_view.client],
            )
        )

    # --- construction -----------------------------------------------------------------------

    def _build(self) -> None:
        self.view = PageView(self._service, self._cache, self)
        self.left_view = PageView(self._service, self._cache, self)
        self.thumbnails = ThumbnailPanel(self)
        self.toolbar = QToolBar(self)
        self.find_bar = QToolBar(self)
        """Rotation, search, print and save: beside the page tools when the pane is wide
        enough, under them when it is not (a review's middle pane on a laptop)."""
        self.revision_banner = _Banner("#fff4cc", self)
        self.notice_banner = _Banner("#fde2e1", self)
        self.message = _MessagePage(self)
        self.status = QLabel(self)
        self.status.setContentsMargins(8, 2, 8, 2)

        self.left_title = QLabel(self)
        self.right_title = QLabel(self.tr("Bản hiện tại"), self)
        for title in (self.left_title, self.right_title):
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            title.setStyleSheet("font-weight: bold; padding: 4px;")
            title.hide()
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.left_title)
        left_layout.addWidget(self.left_view)
        self._left_pane = left
        left.hide()
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.right_title)
        right_layout.addWidget(self.view)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        body = QWidget(self)
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addWidget(self.thumbnails)
        body_layout.addWidget(splitter, 1)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(body)
        self.stack.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._bars = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._bars.setContentsMargins(0, 0, 0, 0)
        self._bars.setSpacing(0)
        self._bars.addWidget(self.toolbar)
        self._bars.addWidget(self.find_bar, 1)
        layout.addLayout(self._bars)
        layout.addWidget(self.revision_banner)
        layout.addWidget(self.notice_banner)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)

        self._build_toolbar()
        self.revision_banner.button.setText(self.tr("Quay lại bản hiện tại"))
        self.revision_banner.button.clicked.connect(self.show_current)
        self.message.open_button.setText(self.tr("Mở bằng ứng dụng hệ thống"))
        self.message.open_button.clicked.connect(self.open_with_system_app)
        self.message.convert_button.setText(self.tr("Chuyển sang PDF để xem"))
        self.message.convert_button.clicked.connect(self._convert)

        self.view.signatureClicked.connect(self.signatureClicked)
        self.left_view.signatureClicked.connect(self.signatureClicked)
        self.view.firstPagePainted.connect(self.firstPagePainted)
        self.view.firstPagePainted.connect(self.thumbnails.activate)
        self.view.currentPageChanged.connect(self._page_changed)
        self.view.zoomChanged.connect(self._zoom_changed)
        self.view.verticalScrollBar().valueChanged.connect(self._sync_left)
        self.view.horizontalScrollBar().valueChanged.connect(self._sync_left)
        self.thumbnails.pageClicked.connect(self.view.go_to_page)
        self._thumbnail_timer = QTimer(self)
        self._thumbnail_timer.setSingleShot(True)
        self._thumbnail_timer.setInterval(150)
        self._thumbnail_timer.timeout.connect(self._follow_in_thumbnails)
        self.stack.setCurrentIndex(0)
        self._set_enabled(False)

    def _action(
        self, text: str, slot: Callable[[], object], shortcuts: Sequence[QKeySequence] = ()
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        unique = {k.toString(): k for k in shortcuts if not k.isEmpty()}
        if unique:
            # The platform's standard keys often equal our extra ones: Qt then ignores both.
            action.setShortcuts(list(unique.values()))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _build_toolbar(self) -> None:
        bar = self.toolbar
        bar.setMovable(False)
        key = QKeySequence
        self.thumbnails_action = self._action(self.tr("Trang thu nhỏ"), self._toggle_thumbnails)
        self.thumbnails_action.setCheckable(True)
        self.thumbnails_action.setChecked(True)
        bar.addAction(self.thumbnails_action)
        bar.addSeparator()
        bar.addWidget(QLabel(self.tr("Trang") + " ", self))
        self.page_box = QSpinBox(self)
        self.page_box.setRange(1, 1)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(self._page_box_changed)
        self.page_box.setToolTip(self.tr("Đi tới trang (Ctrl+G)"))
        bar.addWidget(self.page_box)
        self.page_total = QLabel(" / 0 ", self)
        bar.addWidget(self.page_total)
        self._action(self.tr("Đi tới trang"), self._focus_page_box, [key("Ctrl+G")])
        bar.addSeparator()
        self.zoom_out_action = self._action(
            "−", self.zoom_out, [key(key.StandardKey.ZoomOut), key("Ctrl+-")]
        )
        self.zoom_out_action.setToolTip(self.tr("Thu nhỏ (Ctrl+-)"))
        bar.addAction(self.zoom_out_action)
        self.zoom_label = QLabel("100 %", self)
        self.zoom_label.setMinimumWidth(52)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar.addWidget(self.zoom_label)
        self.zoom_in_action = self._action(
            "+", self.zoom_in, [key(key.StandardKey.ZoomIn), key("Ctrl+="), key("Ctrl++")]
        )
        self.zoom_in_action.setToolTip(self.tr("Phóng to (Ctrl++)"))
        bar.addAction(self.zoom_in_action)
        self.fit_width_action = self._action(self.tr("Vừa chiều rộng"), self.fit_width)
        self.fit_width_action.setCheckable(True)
        bar.addAction(self.fit_width_action)
        self.fit_page_action = self._action(self.tr("Vừa trang"), self.fit_page, [key("Ctrl+0")])
        self.fit_page_action.setCheckable(True)
        bar.addAction(self.fit_page_action)
        bar = self.find_bar
        bar.setMovable(False)
        rotate_left = self._action("↺", lambda: self.rotate(-90), [key("Ctrl+Shift+R")])
        rotate_left.setToolTip(self.tr("Xoay trái"))
        bar.addAction(rotate_left)
        rotate_right = self._action("↻", lambda: self.rotate(90), [key("Ctrl+R")])
        rotate_right.setToolTip(self.tr("Xoay phải"))
        bar.addAction(rotate_right)
        bar.addSeparator()
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText(self.tr("Tìm trong tài liệu…"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(140)
        self.search_box.setMaximumWidth(240)
        self.search_box.returnPressed.connect(self._search_entered)
        bar.addWidget(self.search_box)
        self._action(self.tr("Tìm"), self._focus_search, [key(key.StandardKey.Find)])
        previous = self._action("▲", self.find_previous, [key(key.StandardKey.FindPrevious)])
        previous.setToolTip(self.tr("Kết quả trước (Shift+F3)"))
        bar.addAction(previous)
        following = self._action("▼", self.find_next, [key(key.StandardKey.FindNext)])
        following.setToolTip(self.tr("Kết quả tiếp theo (F3)"))
        bar.addAction(following)
        self.hits_label = QLabel(self)
        self.hits_label.setMinimumWidth(
            self.hits_label.fontMetrics().horizontalAdvance(self.tr("Không tìm thấy")) + 12
        )
        bar.addWidget(self.hits_label)
        bar.addSeparator()
        self.print_action = self._action(
            self.tr("In…"), self.print_document, [key(key.StandardKey.Print)]
        )
        self.print_action.setVisible(PRINTING)
        bar.addAction(self.print_action)
        self.save_action = self._action(
            self.tr("Lưu bản sao…"), self._save_dialog, [key(key.StandardKey.Save)]
        )
        bar.addAction(self.save_action)
        self.copy_action = self._action(
            self.tr("Sao chép"), self.copy_selection, [key(key.StandardKey.Copy)]
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._wrap_toolbars(event.size().width())
        super().resizeEvent(event)

    def _wrap_toolbars(self, width: int) -> None:
        """One row when both bars fit at full width, else the find bar under the page bar:
        never a tool hidden behind the overflow button."""
        wide = self.toolbar.sizeHint().width() + self.find_bar.sizeHint().width() <= width
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._bars.direction() != direction:
            self._bars.setDirection(direction)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.page_box, self.search_box):
            widget.setEnabled(enabled)
        for action in (*self.toolbar.actions(), *self.find_bar.actions()):
            if action is not self.save_action:
                action.setEnabled(enabled)
        self.save_action.setEnabled(self._current is not None and self._current.source is not None)

    # --- opening ----------------------------------------------------------------------------

    def open_bytes(self, data: bytes, name: str) -> None:
        """Show a document given as bytes; ``name`` (with its extension) is shown to the
        officer and breaks ties when the bytes could be several formats."""
        self._start(self._service.open(name=name, data=data), name)

    def open_file(self, path: str | os.PathLike[str]) -> None:
        """Show the document at ``path`` (read on the render thread, not here)."""
        path = Path(path)
        self._start(self._service.open(name=path.name, path=path), path.name)

    def close_document(self) -> None:
        """Show nothing and free the document's memory."""
        self._reset()
        self.message.show_message("")
        self.stack.setCurrentIndex(0)

    def _reset(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        for doc in self._docs.values():
            self._service.close(doc.id)
            self._cache.forget(doc.id)
            if doc.source is not None:
                doc.source.release()
        self._docs.clear()
        self._current = self._shown = None
        self._pending = None
        self._compare_index = None
        self._changes = {}
        self._hits, self._hit = [], -1
        self.view.set_document(None, ())
        self.left_view.set_document(None, ())
        self.thumbnails.set_document(None, (), 0)
        self._left_pane.hide()
        self.right_title.hide()
        self.left_title.hide()
        self.revision_banner.show_text("")
        self.notice_banner.show_text("")
        self.status.clear()
        self.hits_label.clear()
        self._set_enabled(False)

    def _start(self, doc_id: int, name: str) -> None:
        self._reset()
        self._current = _Doc(doc_id, name, _Role.CURRENT)
        self._docs[doc_id] = self._current
        self.stack.setCurrentIndex(0)
        self.status.setText(self.tr("Đang mở %1…").replace("%1", name))

    @Slot(object)
    def _opened(self, result: OpenResult) -> None:
        doc = self._docs.get(result.doc)
        if doc is None:
            return  # replaced meanwhile; the render process closes it on our request
        doc.result = result
        if doc is self._current:
            self.status.clear()
            if result.ok:
                self._display(doc)
            else:
                self._show_problem(doc, result)
        elif doc.role is _Role.CONVERTED:
            if result.ok:
                self._display(doc)
                self.notice_banner.show_text(
                    self.tr(
                        "Bản xem trước do LibreOffice chuyển sang PDF; trình bày có thể khác "
                        "bản gốc."
                    )
                )
            else:
                self._fail(self.tr("Không chuyển được tài liệu sang PDF để xem."))
        elif doc.role is _Role.REVISION:
            if not result.ok:
                self._fail(self.tr("Không mở được bản đã ký của chữ ký này."), page=False)
            elif self._pending is not None and self._pending[1] == doc.signature:
                action, index = self._pending
                self._pending = None
                if action == "show":
                    self._display(doc)
                else:
                    self._start_comparison(index)

    def _display(self, doc: _Doc) -> None:
        assert doc.result is not None
        self._shown = doc
        pages = doc.result.pages
        self.stack.setCurrentIndex(0)
        self.view.set_document(doc.id, pages)
        assert doc.result.sniffed is not None
        self.thumbnails.set_document(
            doc.id, pages, self.view.rotation, doc.source, doc.result.sniffed.filetype
        )
        self._hits, self._hit = [], -1
        self.hits_label.clear()
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, len(pages))
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        self.page_total.setText(f" / {len(pages)} ")
        self._set_enabled(True)
        self._apply_signatures()
        self._notices(doc)
        if doc.role is _Role.REVISION:
            self.revision_banner.show_text(self._revision_text(doc.signature))
            self.revision_banner.button.show()
        else:
            self.revision_banner.show_text("")
        self.documentLoaded.emit(len(pages))

    def _notices(self, doc: _Doc) -> None:
        result = doc.result
        assert result is not None
        notes = []
        if result.repaired:
            notes.append(
                self.tr(
                    "Tệp bị lỗi cấu trúc (có thể tải về chưa hết); trang hiển thị dưới đây do "
                    "trình xem tự khôi phục, nội dung có thể thiếu hoặc sai."
                )
            )
        if result.sniffed is not None and result.sniffed.misnamed:
            notes.append(
                self.tr("Tệp mang tên PDF nhưng thực chất là ảnh %1.").replace(
                    "%1", result.sniffed.detail.upper()
                )
            )
        huge = [i for i, g in enumerate(result.pages) if g.huge]
        if huge:
            g = result.pages[huge[0]]
            notes.append(
                self.tr("Trang %1 rất lớn (%2 × %3 cm); khi phóng to, trang được vẽ từng phần.")
                .replace("%1", str(huge[0] + 1))
                .replace("%2", f"{g.width / 72 * 2.54:.0f}")
                .replace("%3", f"{g.height / 72 * 2.54:.0f}")
            )
        text = "\n".join(notes)
        self.notice_banner.show_text(text)
        if text:
            self.error.emit(text)

    def _show_problem(self, doc: _Doc, result: OpenResult) -> None:
        messages = {
            Problem.ENCRYPTED: self.tr("Tệp được đặt mật khẩu, không thể hiển thị."),
            Problem.DAMAGED: self.tr("Tệp bị hỏng, không thể hiển thị."),
            Problem.NO_PAGES: self.tr("Tệp không có trang nào để hiển thị."),
            Problem.EMPTY: self.tr("Tệp rỗng (0 byte), không có gì để hiển thị."),
            Problem.UNREADABLE: self.tr("Không đọc được tệp."),
            Problem.TOO_LARGE: self.tr("Tệp quá lớn để hiển thị."),
            Problem.HTML: self.tr(
                "Tệp không phải PDF mà là một trang web (HTML), thường do cổng dịch vụ công "
                "trả về thay cho tệp; không thể hiển thị."
            ),
            Problem.TEXT: self.tr("Tệp không phải PDF mà là văn bản thuần; không thể hiển thị."),
            Problem.UNKNOWN: self.tr("Không nhận ra định dạng tệp, không thể hiển thị."),
        }
        if result.problem is Problem.OFFICE:
            self._show_office(doc, result)
            return
        assert result.problem is not None
        details = doc.name
        if result.problem is Problem.UNREADABLE and result.detail:
            details += f"\n{result.detail}"
        self._fail(messages[result.problem], details)

    def _fail(self, text: str, details: str = "", *, page: bool = True) -> None:
        """Tell the officer: instead of the pages (``page``) or in the status line."""
        if page:
            self.message.show_message(text, details)
            self.stack.setCurrentIndex(1)
            self._set_enabled(False)
        else:
            self.status.setText(text)
        self.error.emit(text)

    @property
    def message_text(self) -> str:
        """The message shown instead of the pages ("" when pages are shown)."""
        return self.message.title.text() if self.stack.currentIndex() == 1 else ""

    # --- Word documents ---------------------------------------------------------------------

    def _show_office(self, doc: _Doc, result: OpenResult) -> None:
        source, sniffed = result.source, result.sniffed
        assert source is not None and sniffed is not None
        kind = {
            "doc": self.tr("Tài liệu Microsoft Word 97–2003 (DOC)"),
            "docx": self.tr("Tài liệu Microsoft Word (DOCX)"),
            "odt": self.tr("Tài liệu OpenDocument (ODT)"),
            "rtf": self.tr("Tài liệu RTF"),
        }.get(sniffed.detail, sniffed.detail.upper())
        details = f"{doc.name}\n{kind} — {_size_text(len(source.data))}"
        if self._soffice is None:
            title = self.tr(
                "Máy chưa cài LibreOffice nên không xem trực tiếp được tài liệu Word; hãy mở "
                "bằng ứng dụng hệ thống."
            )
        else:
            title = self.tr("Đang chuyển tài liệu Word sang PDF để xem…")
        self.message.show_message(title, details)
        self.message.open_button.show()
        self.stack.setCurrentIndex(1)
        self._set_enabled(False)
        if self._soffice is None:
            self.error.emit(title)
        else:
            self._convert()

    @Slot()
    def _convert(self) -> None:
        current = self._current
        if current is None or current.result is None or current.result.source is None:
            return
        soffice = self._soffice
        if soffice is None:
            return
        source = current.result.source
        sniffed = current.result.sniffed
        suffix = "." + (sniffed.detail if sniffed is not None and sniffed.detail else "docx")
        self.message.convert_button.hide()
        self.message.title.setText(self.tr("Đang chuyển tài liệu Word sang PDF để xem…"))
        timeout = self.conversion_timeout

        def work(_task: Task) -> bytes:
            return office.convert_to_pdf(source.data, suffix, soffice, timeout)

        self._run("convert", work, self._converted, self._conversion_failed)

    def _converted(self, pdf: bytes) -> None:
        if self._current is None:
            return
        name = Path(self._current.name).with_suffix(".pdf").name
        doc = _Doc(self._service.open(name=name, data=pdf), name, _Role.CONVERTED)
        self._docs[doc.id] = doc

    def _conversion_failed(self, exc: BaseException) -> None:
        if isinstance(exc, office.ConversionTimeout):
            text = self.tr(
                "LibreOffice chuyển đổi quá lâu nên đã dừng; hãy mở bằng ứng dụng hệ thống."
            )
        else:
            text = self.tr(
                "LibreOffice không chuyển được tài liệu này; hãy mở bằng ứng dụng hệ thống."
            )
        self.message.title.setText(text)
        self.message.convert_button.setVisible(self._soffice is not None)
        self.error.emit(text)

    @Slot()
    def open_with_system_app(self) -> None:
        """Open the original file with the application the system associates with it."""
        current = self._current
        if current is None or current.source is None:
            return
        source = current.source
        if source.path is not None:
            _open_url(QUrl.fromLocalFile(str(source.path)))
            return
        if self._temp_dir is None:
            self._temp_dir = tempfile.TemporaryDirectory(prefix="intake-open-")
        target = Path(self._temp_dir.name) / (Path(current.name).name or "tai-lieu")

        def work(_task: Task) -> str:
            target.write_bytes(source.data)
            return str(target)

        self._run("open", work, _open_local_file, self._io_failed)

    # --- signatures -------------------------------------------------------------------------

    def set_signatures(self, reports: Sequence[SignatureReport]) -> None:
        """Outline the visible signature fields of the current document (page + rect)."""
        self._reports = {r.index: r for r in reports}
        self._apply_signatures()

    def _marks(self, up_to: int | None) -> list[SignatureMark]:
        marks = []
        for report in self._reports.values():
            if report.page is None or report.rect is None:
                continue
            if up_to is not None and report.index > up_to:
                continue
            signer = report.signer.name if report.signer is not None else self.tr("không rõ")
            tooltip = (
                self.tr("Chữ ký số %1: %2, ký lúc %3")
                .replace("%1", str(report.index + 1))
                .replace("%2", signer)
                .replace("%3", _when(report.signing_time))
            )
            marks.append(
                SignatureMark(
                    report.index,
                    report.page,
                    report.rect,
                    self._colour_for(report.verdict),
                    tooltip,
                )
            )
        return marks

    def _apply_signatures(self) -> None:
        shown = self._shown
        if shown is None or shown.role is _Role.CONVERTED:
            self.view.set_signatures([])
        else:
            self.view.set_signatures(self._marks(shown.signature))
        if self._compare_index is not None:
            self.left_view.set_signatures(self._marks(self._compare_index))

    def _revision_text(self, index: int | None) -> str:
        report = self._reports.get(index) if index is not None else None
        signer = report.signer.name if report is not None and report.signer else "?"
        when = _when(report.signing_time if report is not None else None)
        return (
            self.tr("Bản đã ký bởi %1 lúc %2 — chỉ xem").replace("%1", signer).replace("%2", when)
        )

    def _revision(self, index: int) -> _Doc | None:
        """The document as signature ``index`` signed it, opened (or opening) once."""
        for doc in self._docs.values():
            if doc.role is _Role.REVISION and doc.signature == index:
                return doc
        report = self._reports.get(index)
        current = self._current
        if report is None or current is None or not current.ready or current.source is None:
            self._fail(self.tr("Không có thông tin về chữ ký này."), page=False)
            return None
        # Imported here: the signatures package loads pyHanko (see TYPE_CHECKING above); by
        # now the caller has validated the signature with it anyway.
        from intake_desktop.services.signatures.inspect import signed_revision_bytes

        data = signed_revision_bytes(current.source.data, report.byte_range)
        if data is None:
            self._fail(self.tr("Không lấy được bản đã ký của chữ ký này."), page=False)
            return None
        name = f"{Path(current.name).stem}-ban-da-ky-{index + 1}.pdf"
        doc = _Doc(self._service.open(name=name, data=data), name, _Role.REVISION, index)
        self._docs[doc.id] = doc
        return doc

    def show_signed_revision(self, index: int) -> None:
        """Show the document exactly as signature ``index`` signed it, with a banner naming
        the signer and the signing time. :meth:`show_current` returns."""
        self._close_comparison()
        doc = self._revision(index)
        if doc is None:
            return
        if doc.ready:
            self._display(doc)
        else:
            self._pending = ("show", index)

    @Slot()
    def show_current(self) -> None:
        """Back to the current document (from the signed revision or the comparison)."""
        self._close_comparison()
        if self._current is not None and self._current.ready and self._shown is not self._current:
            self._display(self._current)

    def compare_with_signed(
        self,
        index: int,
        regions: Sequence[tuple[int, tuple[float, float, float, float]]] | None = None,
    ) -> None:
        """Show the signed revision of signature ``index`` beside the current document, with
        the regions that look different outlined on both sides.

        ``regions`` are (page, rect) the signature report already found (its ``changes``):
        shown as they are, without comparing the pages again here.
        """
        if self._shown is not self._current and self._current is not None:
            self._display(self._current)
        doc = self._revision(index)
        if doc is None:
            return
        self._compare_index = index
        self._known_regions = list(regions) if regions is not None else None
        self._changes = {}
        self.left_title.setText(self._revision_text(index).split(" — ")[0])
        for widget in (self._left_pane, self.left_title, self.right_title):
            widget.show()
        self.revision_banner.show_text(self.tr("So sánh với bản đã ký: đang so sánh…"))
        self.revision_banner.button.show()
        if doc.ready:
            self._start_comparison(index)
        else:
            self._pending = ("compare", index)

    def _start_comparison(self, index: int) -> None:
        revision = self._revision(index)
        current = self._current
        if revision is None or revision.result is None or current is None:
            return
        if current.source is None or revision.source is None:
            return
        self.left_view.set_document(revision.id, revision.result.pages)
        self.left_view.set_rotation(self.view.rotation)
        self.left_view.set_fit(self.view.fit)
        if self.view.fit is Fit.NONE:
            self.left_view.set_zoom(self.view.zoom)
        self._apply_signatures()
        self._sync_left()
        if self._known_regions is not None:
            for page, rect in self._known_regions:
                self._changes.setdefault(page, []).append(rect)
            self.view.set_changes(self._changes)
            self.left_view.set_changes(self._changes)
            self._comparison_done(len(self._changes))
            return
        old_source, new_source = revision.source, current.source
        count = max(len(revision.result.pages), len(current.result.pages if current.result else ()))

        def work(task: Task) -> int:
            old_path, new_path = old_source.file(), new_source.file()
            changed = 0
            for start in range(0, count, COMPARE_CHUNK):
                if task.cancelled:
                    break
                pages = list(range(start, min(count, start + COMPARE_CHUNK)))
                found = in_process(compare_files, old_path, new_path, pages)
                changed += len(found)
                task.report((min(count, start + COMPARE_CHUNK), count, found))
            return changed

        self._run("compare", work, self._comparison_done, self._comparison_failed, self._compared)

    def _compared(self, progress: tuple[int, int, list[PageChange]]) -> None:
        done, total, found = progress
        for change in found:
            self._changes[change.page] = list(change.rects)
        self.view.set_changes(self._changes)
        self.left_view.set_changes(self._changes)
        self.revision_banner.show_text(
            self.tr("So sánh với bản đã ký: đã so %1/%2 trang…")
            .replace("%1", str(done))
            .replace("%2", str(total))
        )

    def _comparison_done(self, changed: int) -> None:
        if changed:
            pages = ", ".join(str(p + 1) for p in sorted(self._changes))
            text = self.tr(
                "So sánh với bản đã ký: khác ở trang %1 (vùng khác được đánh dấu hai bên)."
            ).replace("%1", pages)
            first = min(self._changes)
            self.view.reveal_user_rect(first, self._changes[first][0])
        else:
            text = self.tr("So sánh với bản đã ký: hai bản hiển thị giống nhau.")
        self.revision_banner.show_text(text)
        self.comparisonFinished.emit(changed)

    def _comparison_failed(self, exc: BaseException) -> None:
        self.revision_banner.show_text(self.tr("Không so sánh được hai bản."))
        self.error.emit(self.revision_banner.label.text())

    @property
    def changes(self) -> dict[int, list[tuple[float, float, float, float]]]:
        """Changed regions found by the last comparison, PDF user space by page index."""
        return dict(self._changes)

    def _close_comparison(self) -> None:
        if self._compare_index is None:
            return
        task = self._tasks.pop("compare", None)
        if task is not None:
            task.cancel()
        self._compare_index = None
        self._changes = {}
        self.view.set_changes({})
        self.left_view.set_document(None, ())
        for widget in (self._left_pane, self.left_title, self.right_title):
            widget.hide()
        if self._shown is not None and self._shown.role is not _Role.REVISION:
            self.revision_banner.show_text("")

    @Slot()
    def _sync_left(self) -> None:
        if self._compare_index is None or self.left_view.doc is None:
            return
        # Same page sizes in both versions, same zoom: the same offsets show the same place.
        self.left_view.verticalScrollBar().setValue(self.view.verticalScrollBar().value())
        self.left_view.horizontalScrollBar().setValue(self.view.horizontalScrollBar().value())

    # --- zoom, pages ------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self.view.zoom_in()
        self._follow_zoom()

    def zoom_out(self) -> None:
        self.view.zoom_out()
        self._follow_zoom()

    def fit_width(self) -> None:
        self.view.set_fit(Fit.WIDTH)
        self._follow_zoom()

    def fit_page(self) -> None:
        self.view.set_fit(Fit.PAGE)
        self._follow_zoom()

    def set_zoom(self, zoom: float) -> None:
        """Zoom to ``zoom`` (1.0 = real size)."""
        self.view.set_zoom(zoom)
        self._follow_zoom()

    def rotate(self, degrees: int) -> None:
        """Turn the pages clockwise by ``degrees`` (a multiple of 90) on screen."""
        self.view.rotate(degrees)
        self.thumbnails.set_rotation(self.view.rotation)
        self._follow_zoom()

    def _follow_zoom(self) -> None:
        if self._compare_index is None:
            return
        self.left_view.set_rotation(self.view.rotation)
        if self.view.fit is Fit.NONE:
            self.left_view.set_zoom(self.view.zoom)
        else:
            self.left_view.set_fit(self.view.fit)
        self._sync_left()

    def go_to_page(self, page: int) -> None:
        """Scroll to ``page`` (from 0)."""
        self.view.go_to_page(page)

    @property
    def page_count(self) -> int:
        return self.view.page_count

    @property
    def current_page(self) -> int:
        return self.view.current_page()

    @Slot()
    def _zoom_changed(self) -> None:
        self.zoom_label.setText(f"{round(self.view.zoom * 100)} %")
        self.fit_width_action.setChecked(self.view.fit is Fit.WIDTH)
        self.fit_page_action.setChecked(self.view.fit is Fit.PAGE)

    @Slot(int)
    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        # The thumbnail list follows once the officer stops turning pages: repainting it
        # (Python callbacks, each waiting for the GIL) slowed every page turn by ~7 ms.
        self._thumbnail_timer.start()

    @Slot()
    def _follow_in_thumbnails(self) -> None:
        self.thumbnails.set_current(self.view.current_page())

    @Slot(int)
    def _page_box_changed(self, value: int) -> None:
        self.view.go_to_page(value - 1)
        self.view.setFocus()

    def _focus_page_box(self) -> None:
        self.page_box.setFocus()
        self.page_box.selectAll()

    def _toggle_thumbnails(self) -> None:
        self.thumbnails.setVisible(self.thumbnails_action.isChecked())

    # --- search, selection ------------------------------------------------------------------

    def find_text(self, text: str) -> None:
        """Search the shown document for ``text`` (diacritics optional: "nguyen" finds
        "Nguyễn"); hits are highlighted as they are found, the first after the current page
        becomes current. :attr:`searchFinished` gives the count."""
        task = self._tasks.pop("search", None)
        if task is not None:
            task.cancel()
        self._hits, self._hit = [], -1
        self.view.set_search_hits([])
        shown = self._shown
        if not text.strip() or shown is None or not shown.ready or shown.source is None:
            self.hits_label.clear()
            return
        assert shown.result is not None and shown.result.sniffed is not None
        source, filetype = shown.source, shown.result.sniffed.filetype
        count, here = len(shown.result.pages), self.view.current_page()
        order = [(here + i) % count for i in range(count)]
        self.hits_label.setText(self.tr("Đang tìm…"))

        def work(task: Task) -> int:
            path = source.file()
            total = 0
            for start in range(0, count, SEARCH_CHUNK):
                if task.cancelled:
                    break
                found = in_process(
                    search_file, path, filetype, order[start : start + SEARCH_CHUNK], text
                )
                total += sum(len(hits) for _page, hits in found)
                if found:
                    task.report(found)
            return total

        self._run("search", work, self._search_done, self._search_failed, self._search_partial)

    def _search_partial(
        self, found: list[tuple[int, list[list[tuple[float, float, float, float]]]]]
    ) -> None:
        current = self._hits[self._hit] if 0 <= self._hit < len(self._hits) else None
        for page, matches in found:
            self._hits.extend(SearchHit(page, tuple(boxes)) for boxes in matches)
        self._hits.sort(key=lambda h: (h.page, h.boxes[0][1], h.boxes[0][0]))
        if current is None:
            here = self.view.current_page()
            self._hit = next((i for i, h in enumerate(self._hits) if h.page >= here), 0)
        else:
            self._hit = self._hits.index(current)
        self.view.set_search_hits(self._hits, self._hit)
        self._show_hit_count(final=False)

    def _search_done(self, _total: int) -> None:
        self._show_hit_count(final=True)
        self.searchFinished.emit(len(self._hits))

    def _search_failed(self, exc: BaseException) -> None:
        self.hits_label.setText(self.tr("Không tìm được."))

    def _show_hit_count(self, *, final: bool) -> None:
        if not self._hits:
            self.hits_label.setText(self.tr("Không tìm thấy") if final else self.tr("Đang tìm…"))
            return
        self.hits_label.setText(f"{self._hit + 1}/{len(self._hits)}" + ("" if final else "…"))

    @property
    def search_hits(self) -> list[SearchHit]:
        return list(self._hits)

    @property
    def current_hit(self) -> int:
        return self._hit

    def find_next(self) -> None:
        """Make the next hit current (wrapping) and scroll to it."""
        self._step_hit(1)

    def find_previous(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        if not self._hits:
            if self.search_box.text().strip() and "search" not in self._tasks:
                self.find_text(self.search_box.text())
            return
        self._hit = (self._hit + step) % len(self._hits)
        self.view.set_search_hits(self._hits, self._hit)
        self._show_hit_count(final="search" not in self._tasks)

    @Slot()
    def _search_entered(self) -> None:
        text = self.search_box.text()
        if self._hits and self._last_query == text:
            self.find_next()
        else:
            self._last_query = text
            self.find_text(text)

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def selected_text(self) -> str:
        return self.view.selected_text()

    def copy_selection(self) -> bool:
        """Copy the selected text to the clipboard (Ctrl+C)."""
        return self.view.copy()

    # --- print, save ------------------------------------------------------------------------

    def print_document(self) -> None:
        """Ask for a printer and print the shown document in the background."""
        if not PRINTING or self._shown is None or not self._shown.ready:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._shown.name)
        printer.setFromTo(1, self.page_count)
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the shown document's pages (the printer's page range, else all) to ``printer``.

        Pages are rendered at up to 300 dpi in a worker process and painted onto the printer
        from a pool thread (Qt allows painting a QPrinter outside the GUI thread); the
        printer must not be used elsewhere until :attr:`printFinished`.
        """
        shown = self._shown
        if shown is None or shown.result is None or shown.source is None:
            return
        assert shown.result.sniffed is not None
        source, filetype = shown.source, shown.result.sniffed.filetype
        first, last = printer.fromPage(), printer.toPage()
        pages = list(range(first - 1, last)) if first > 0 else list(range(len(shown.result.pages)))
        zoom = min(PRINT_DPI, max(72, printer.resolution())) / 72
        self.status.setText(self.tr("Đang chuẩn bị in…"))

        def work(task: Task) -> int:
            path = source.file()
            painter = QPainter()
            printed = 0
            try:
                for n, page in enumerate(pages):
                    if task.cancelled:
                        break
                    width, height, samples = in_process(
                        render_file_page, path, filetype, page, zoom
                    )
                    image = QImage(samples, width, height, width * 3, QImage.Format.Format_RGB888)
                    if n == 0:
                        if not painter.begin(printer):
                            raise OSError("printer refused to start")
                    elif not printer.newPage():
                        raise OSError("printer refused a new page")
                    area = painter.viewport()
                    scale = min(area.width() / width, area.height() / height)
                    w, h = width * scale, height * scale
                    target = QPointF((area.width() - w) / 2, (area.height() - h) / 2)
                    painter.drawImage(QRectF(target.x(), target.y(), w, h), image)
                    printed += 1
                    task.report((n + 1, len(pages)))
            finally:
                if painter.isActive():
                    painter.end()
            return printed

        self._run("print", work, self._printed, self._print_failed, self._print_progress)

    def _print_progress(self, progress: tuple[int, int]) -> None:
        self.status.setText(
            self.tr("Đang in trang %1/%2…")
            .replace("%1", str(progress[0]))
            .replace("%2", str(progress[1]))
        )

    def _printed(self, count: int) -> None:
        self.status.setText(self.tr("Đã gửi %1 trang tới máy in.").replace("%1", str(count)))
        self.printFinished.emit(True)

    def _print_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Không in được tài liệu."))
        self.error.emit(self.status.text())
        self.printFinished.emit(False)

    def _save_name(self) -> str:
        shown = self._shown
        if shown is None:
            return ""
        if shown.role is _Role.CONVERTED and self._current is not None:
            return self._current.name
        return shown.name

    def _save_dialog(self) -> None:
        name = self._save_name()
        if not name:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Lưu bản sao"), name, self.tr("Mọi tệp (*)")
        )
        if path:
            self.save_copy(path)

    def save_copy(self, path: str | os.PathLike[str]) -> None:
        """Write the shown document's exact bytes to ``path`` in the background (the original
        file for a Word preview, the signed revision when showing one)."""
        shown = self._shown if self._shown is not None else self._current
        if shown is not None and shown.role is _Role.CONVERTED:
            shown = self._current
        if shown is None or shown.source is None:
            return
        data = shown.source.data
        target = Path(path)

        def work(_task: Task) -> str:
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            os.replace(partial, target)
            return str(target)

        self._run("save", work, self._saved, self._io_failed)

    def _saved(self, path: str) -> None:
        self.status.setText(self.tr("Đã lưu bản sao: %1").replace("%1", path))
        self.copySaved.emit(path)

    def _io_failed(self, exc: BaseException) -> None:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.status.setText(self.tr("Không ghi được tệp: %1").replace("%1", detail))
        self.error.emit(self.status.text())

    # --- plumbing ---------------------------------------------------------------------------

    def _run(
        self,
        name: str,
        work: Callable[[Task], T],
        on_done: Callable[[T], object],
        on_error: Callable[[BaseException], None],
        on_partial: Callable[[Any], None] | None = None,
    ) -> None:
        """Run ``work`` as the only job called ``name`` (a new one cancels the old one)."""
        previous = self._tasks.pop(name, None)
        if previous is not None:
            previous.cancel()

        def done(value: T) -> None:
            self._tasks.pop(name, None)
            on_done(value)

        def failed(exc: BaseException) -> None:
            self._tasks.pop(name, None)
            on_error(exc)

        self._tasks[name] = run_task(self, work, done, failed, on_partial)


def _release(
    service: RenderService, cache: PageCache[QImage], docs: dict[int, _Doc], clients: list[int]
) -> None:
    """Close a destroyed viewer's documents in the render process and forget its images."""
    for client in clients:
        service.drop_client(client)
    for doc in list(docs.values()):
        service.close(doc.id)
        cache.forget(doc.id)
        if doc.source is not None:
            doc.source.release()
    docs.clear()
