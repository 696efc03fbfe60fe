"""The document viewer: an officer reads a citizen's attachments, their signatures, and what
changed after signing — without the window ever freezing."""

from __future__ import annotations

import io
import os
import signal
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QGuiApplication, QImage, QWheelEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.demo.pki import VN_TZ, DemoPki
from intake_desktop.demo.signing import sign_pdf
from intake_desktop.services.pdf_pages import invert, page_geometry, transform_rect
from intake_desktop.services.signatures import (
    SignatureReport,
    TrustStore,
    inspect_pdf,
    signed_revision_bytes,
)
from intake_desktop.ui.verdict_style import verdict_colour
from intake_desktop.viewer import viewer as viewer_module
from intake_desktop.viewer.cache import RenderKey
from intake_desktop.viewer.page_view import BAND_HEIGHTS, MARGIN, STALE_MS, Fit
from intake_desktop.viewer.render import OpenResult, RenderRequest, render_service
from intake_desktop.viewer.viewer import PdfViewer

ARTIFACTS = Path(__file__).parent / "_artifacts"
CCCD = "062090001234"
SIGNED_AT = datetime(2026, 11, 20, 8, 15, tzinfo=VN_TZ)
FIELDS = (
    ("Họ, chữ đệm, tên", "Nguyễn Văn An"),
    ("Ngày, tháng, năm sinh", "12/05/1990"),
    ("Số định danh cá nhân", CCCD),
    ("Nơi cư trú", "Số 12 phố Trần Hưng Đạo, phường Hàng Bài, quận Hoàn Kiếm, Hà Nội"),
)
WAIT = 15_000


@pytest.fixture(scope="module")
def pki() -> DemoPki:
    return DemoPki.create(seed=41, now=datetime(2026, 11, 1, tzinfo=UTC))


@pytest.fixture(scope="module")
def trust(pki: DemoPki) -> TrustStore:
    return TrustStore.of([pki.root_asn1()])


@pytest.fixture(scope="module")
def signed(pki: DemoPki) -> bytes:
    """A three-page declaration signed by NGUYỄN VĂN AN on 20/11/2026 at 08:15."""
    form = make_form_pdf("TỜ KHAI ĐĂNG KÝ KHAI SINH", FIELDS, pages=3)
    an = pki.issue_citizen("Nguyễn Văn An", CCCD)
    return sign_pdf(form, an, signing_time=SIGNED_AT)


@pytest.fixture(scope="module")
def altered(signed: bytes) -> bytes:
    """The same file with the CCCD number overwritten in a revision after the signature."""
    return tamper.incremental_replace_text(signed, CCCD, "000000000000")


@pytest.fixture(scope="module")
def altered_page_two(signed: bytes) -> bytes:
    return tamper.incremental_replace_text(signed, "2014", "2099", page=1)


def _reports(data: bytes, trust: TrustStore) -> tuple[SignatureReport, ...]:
    return inspect_pdf(data, trust).signatures


def _shot(widget: PdfViewer, name: str) -> QImage:
    ARTIFACTS.mkdir(exist_ok=True)
    image = widget.grab().toImage()
    assert image.save(str(ARTIFACTS / f"viewer-{name}.png"))
    return image


def _open(  # type: ignore[no-untyped-def]
    qtbot, data: bytes, name: str = "to-khai.pdf", *, height: int = 900, **kwargs: object
) -> PdfViewer:
    viewer = PdfViewer(**kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(viewer)
    viewer.resize(1280, height)
    viewer.show()
    qtbot.waitExposed(viewer)
    with (
        qtbot.waitSignal(viewer.documentLoaded, timeout=WAIT),
        qtbot.waitSignal(viewer.firstPagePainted, timeout=WAIT),
    ):
        viewer.open_bytes(data, name)
    return viewer


def _text_rect(data: bytes, needle: str, page: int = 0) -> tuple[float, float, float, float]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        r = doc[page].search_for(needle)[0]
        return (r.x0, r.y0, r.x1, r.y1)


def _user_rect(data: bytes, needle: str, page: int = 0) -> tuple[float, float, float, float]:
    """Where ``needle`` is written, in PDF user space."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        geometry = page_geometry(doc[page])
        r = doc[page].search_for(needle)[0]
        assert geometry.user_matrix is not None
        in_page = transform_rect((r.x0, r.y0, r.x1, r.y1), geometry.text_matrix)
        return transform_rect(in_page, invert(geometry.user_matrix))


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _dark_pixels(image: QImage, x0: int, y0: int, x1: int, y1: int) -> int:
    count = 0
    for y in range(y0, y1, 3):
        for x in range(x0, x1, 3):
            if QColor(image.pixel(x, y)).lightness() < 100:
                count += 1
    return count


# --- opening, scrolling, zooming --------------------------------------------------------------


def test_officer_opens_a_declaration_and_reads_the_first_page(qtbot, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    viewer = _open(qtbot, signed)
    assert viewer.page_count == 3
    assert viewer.message_text == ""
    # Thumbnails follow, drawn by a worker process.
    qtbot.waitUntil(lambda: len(viewer.thumbnails._cache) == 3, timeout=30_000)
    shot = _shot(viewer, "open")
    page = viewer.view.map_user_rect(0, (0, 0, 595, 842)).toRect()
    offset = viewer.view.mapTo(viewer, QPoint(0, 0)) + viewer.view.viewport().pos()
    visible = page.translated(offset).intersected(viewer.rect())
    # Text really arrived on the page, not just a white placeholder.
    assert _dark_pixels(shot, visible.left(), visible.top(), visible.right(), visible.bottom()) > 50


def test_page_down_reads_each_page_to_its_end_then_turns_it(qtbot, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    viewer = _open(qtbot, signed)
    view = viewer.view
    view.setFocus()
    assert view.fit is Fit.WIDTH
    seen = []
    for _ in range(12):
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        seen.append(view.current_page())
    assert seen[-1] == 2 and sorted(seen) == seen
    assert set(seen) == {0, 1, 2}
    # No part of a page is skipped: a page turns only after its bottom was on screen.
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.verticalScrollBar().value() == 0
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.verticalScrollBar().value() == view.verticalScrollBar().maximum()
    assert view.current_page() == 2
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.current_page() == 1
    viewer.go_to_page(2)
    assert view.current_page() == 2
    assert viewer.page_box.value() == 3


def test_fit_width_fit_page_and_zoom_steps(qtbot, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    viewer = _open(qtbot, signed)
    view = viewer.view
    width = view.viewport().width() - 2 * MARGIN
    assert abs(view.map_user_rect(0, (0, 0, 595, 842)).width() - width) <= 1.5
    viewer.fit_page()
    page = view.map_user_rect(0, (0, 0, 595, 842))
    assert page.height() <= view.viewport().height() - 2 * MARGIN + 1
    assert viewer.fit_page_action.isChecked() and not viewer.fit_width_action.isChecked()
    viewer.set_zoom(1.0)
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == pytest.approx(1.1)
    assert viewer.zoom_label.text() == "110 %"
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == pytest.approx(0.9)
    before = view.zoom
    centre = QPointF(view.viewport().rect().center())
    # pytest-qt has no wheel helper: send the event ourselves.
    wheel = QWheelEvent(
        centre,
        view.viewport().mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QGuiApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom == pytest.approx(before * 1.15)
    # The new zoom's page image arrives and gets painted.
    with qtbot.waitSignal(view.pageImagePainted, timeout=WAIT):
        view.viewport().update()
    viewer.fit_width()
    assert view.fit is Fit.WIDTH


def test_rotation_turns_pages_and_keeps_signature_outlines_on_their_fields(  # type: ignore[no-untyped-def]
    qtbot, signed: bytes, trust: TrustStore
) -> None:
    reports = _reports(signed, trust)
    viewer = _open(qtbot, signed, colour_for=verdict_colour)
    viewer.set_signatures(reports)
    view = viewer.view
    portrait = view.map_user_rect(0, (0, 0, 595, 842))
    with qtbot.waitSignal(view.pageImagePainted, timeout=WAIT):
        viewer.rotate(90)
    landscape = view.map_user_rect(0, (0, 0, 595, 842))
    assert landscape.width() > landscape.height() and portrait.height() > portrait.width()
    assert view.rotation == 90
    _check_outline_on_widget(viewer, signed, reports[0])
    viewer.fit_page()
    qtbot.wait(200)
    _shot(viewer, "rotated")
    viewer.rotate(-90)
    assert view.rotation == 0


def _check_outline_on_widget(viewer: PdfViewer, data: bytes, report: SignatureReport) -> None:
    """The outline drawn from the report's user-space rect sits where PyMuPDF puts the
    signature widget on the page."""
    assert report.page is not None and report.rect is not None
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        widget = next(w for w in doc[report.page].widgets() if w.field_name == report.field)
        r = widget.rect
    a = viewer.view.map_user_rect(report.page, report.rect)
    corners = [
        viewer.view.map_text_point(report.page, (r.x0, r.y0)),
        viewer.view.map_text_point(report.page, (r.x1, r.y1)),
    ]
    xs, ys = sorted(p.x() for p in corners), sorted(p.y() for p in corners)
    assert abs(a.left() - xs[0]) <= 1.5 and abs(a.right() - xs[1]) <= 1.5
    assert abs(a.top() - ys[0]) <= 1.5 and abs(a.bottom() - ys[1]) <= 1.5


# --- signatures -------------------------------------------------------------------------------


def test_clicking_a_signature_outline_tells_which_signature(  # type: ignore[no-untyped-def]
    qtbot, signed: bytes, trust: TrustStore, pki: DemoPki
) -> None:
    second = sign_pdf(
        signed, pki.issue_citizen("Trần Thị Bình", "079185004321"), signing_time=SIGNED_AT
    )
    reports = _reports(second, trust)
    assert [r.index for r in reports] == [0, 1]
    viewer = _open(qtbot, second, colour_for=verdict_colour)
    viewer.set_signatures(reports)
    view = viewer.view
    for report in reports:
        assert report.rect is not None and report.page == 0
        area = view.map_user_rect(0, report.rect)
        view._reveal_rect(0, area)
        area = view.map_user_rect(0, report.rect)
        _check_outline_on_widget(viewer, second, report)
        with qtbot.waitSignal(viewer.signatureClicked, timeout=2000) as clicked:
            qtbot.mouseClick(
                view.viewport(), Qt.MouseButton.LeftButton, pos=area.center().toPoint()
            )
        assert clicked.args == [report.index]
    # Outlines are drawn in the verdict's colour, on top of the stamps.
    qtbot.wait(100)
    shot = view.viewport().grab().toImage()
    _shot(viewer, "signatures")
    area = view.map_user_rect(0, reports[0].rect).toRect()  # type: ignore[arg-type]
    edge = QColor(shot.pixel(area.center().x(), area.top()))
    expected = verdict_colour(reports[0].verdict)
    assert abs(edge.red() - expected.red()) < 40 and abs(edge.green() - expected.green()) < 40


def test_signed_revision_shows_the_original_text(  # type: ignore[no-untyped-def]
    qtbot, altered: bytes, trust: TrustStore
) -> None:
    reports = _reports(altered, trust)
    viewer = _open(qtbot, altered, colour_for=verdict_colour)
    viewer.set_signatures(reports)
    assert _search(qtbot, viewer, "000000000000") == 1
    with qtbot.waitSignal(viewer.documentLoaded, timeout=WAIT):
        viewer.show_signed_revision(0)
    banner = viewer.revision_banner
    assert banner.isVisible()
    assert banner.label.text() == "Bản đã ký bởi NGUYỄN VĂN AN lúc 20/11/2026 08:15 — chỉ xem"
    assert _search(qtbot, viewer, CCCD) == 1
    assert _search(qtbot, viewer, "000000000000") == 0
    qtbot.wait(150)
    _shot(viewer, "signed-revision")
    # Saving a copy now saves the signed revision, byte for byte.
    target = ARTIFACTS / "ban-da-ky.pdf"
    with qtbot.waitSignal(viewer.copySaved, timeout=WAIT):
        viewer.save_copy(target)
    assert target.read_bytes() == signed_revision_bytes(altered, reports[0].byte_range)
    with qtbot.waitSignal(viewer.documentLoaded, timeout=WAIT):
        banner.button.click()
    assert not banner.isVisible()
    assert _search(qtbot, viewer, "000000000000") == 1


def _search(qtbot, viewer: PdfViewer, text: str) -> int:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(viewer.searchFinished, timeout=WAIT) as found:
        viewer.find_text(text)
    return int(found.args[0])


def test_comparison_outlines_the_altered_number_and_nothing_else(  # type: ignore[no-untyped-def]
    qtbot, signed: bytes, altered: bytes, trust: TrustStore
) -> None:
    reports = _reports(altered, trust)
    viewer = _open(qtbot, altered, colour_for=verdict_colour)
    viewer.set_signatures(reports)
    with qtbot.waitSignal(viewer.comparisonFinished, timeout=30_000) as finished:
        viewer.compare_with_signed(0)
    assert finished.args == [1]
    changes = viewer.changes
    assert set(changes) == {0}
    where = _user_rect(signed, CCCD)
    assert any(_overlaps(rect, where) for rect in changes[0])
    # Nothing far from the number was flagged.
    assert all(abs(rect[1] - where[1]) < 30 for rect in changes[0])
    assert viewer.left_view.isVisible() and viewer.left_view.page_count == 3
    assert "khác ở trang 1" in viewer.revision_banner.label.text()
    qtbot.wait(200)
    _shot(viewer, "compare")
    viewer.show_current()
    assert not viewer.left_view.isVisible()


def test_comparison_of_a_three_page_file_altered_on_page_two(  # type: ignore[no-untyped-def]
    qtbot, signed: bytes, altered_page_two: bytes, trust: TrustStore
) -> None:
    viewer = _open(qtbot, altered_page_two)
    viewer.set_signatures(_reports(altered_page_two, trust))
    with qtbot.waitSignal(viewer.comparisonFinished, timeout=30_000) as finished:
        viewer.compare_with_signed(0)
    assert finished.args == [1]
    assert set(viewer.changes) == {1}
    assert any(_overlaps(r, _user_rect(signed, "2014", 1)) for r in viewer.changes[1])


def test_comparison_of_an_untouched_file_finds_nothing(  # type: ignore[no-untyped-def]
    qtbot, signed: bytes, trust: TrustStore
) -> None:
    viewer = _open(qtbot, signed)
    viewer.set_signatures(_reports(signed, trust))
    with qtbot.waitSignal(viewer.comparisonFinished, timeout=30_000) as finished:
        viewer.compare_with_signed(0)
    assert finished.args == [0]
    assert viewer.changes == {}
    assert "giống nhau" in viewer.revision_banner.label.text()


# --- search, selection ------------------------------------------------------------------------


def test_search_without_diacritics_and_next_previous(qtbot, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    viewer = _open(qtbot, signed)
    # The name in the form and, upper-cased, in the signature stamp.
    assert _search(qtbot, viewer, "nguyen van an") == 2
    assert [h.page for h in viewer.search_hits] == [0, 0]
    assert _overlaps(viewer.search_hits[0].boxes[0], _text_rect(signed, "Nguyễn Văn An"))
    assert _overlaps(viewer.search_hits[1].boxes[0], _text_rect(signed, "NGUYỄN VĂN AN"))
    # The filler paragraph repeats on pages 2 and 3.
    total = _search(qtbot, viewer, "Luật Hộ tịch")
    assert total >= 4
    pages = [h.page for h in viewer.search_hits]
    assert pages == sorted(pages) and set(pages) == {1, 2}
    first = viewer.current_hit
    viewer.find_next()
    assert viewer.current_hit == (first + 1) % total
    viewer.find_previous()
    viewer.find_previous()
    assert viewer.current_hit == (first - 1) % total
    # The view scrolled to the current hit.
    assert viewer.view.current_page() in {viewer.search_hits[viewer.current_hit].page, 0, 1, 2}
    assert viewer.hits_label.text() == f"{viewer.current_hit + 1}/{total}"
    qtbot.wait(100)
    _shot(viewer, "search")
    assert _search(qtbot, viewer, "không có chữ này") == 0
    assert viewer.hits_label.text() == "Không tìm thấy"


def test_officer_selects_the_cccd_number_and_copies_it(qtbot, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    viewer = _open(qtbot, signed)
    view = viewer.view
    x0, y0, x1, y1 = _text_rect(signed, CCCD)
    start = view.map_text_point(0, (x0 + 0.5, (y0 + y1) / 2))
    end = view.map_text_point(0, (x1 - 0.5, (y0 + y1) / 2))
    port = view.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(port, pos=QPoint((start.x() + end.x()) // 2, start.y()))
    qtbot.mouseMove(port, pos=end)
    with qtbot.waitSignal(view.selectionChanged, timeout=WAIT):
        qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: viewer.selected_text() == CCCD, timeout=WAIT)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == CCCD
    _shot(viewer, "selection")
    # A selection over two lines copies both, with a line break.
    a = _text_rect(signed, "Nguyễn Văn An")
    b = _text_rect(signed, "12/05/1990")
    view.select_text_between(0, a, b)
    qtbot.waitUntil(lambda: viewer.selected_text().endswith("12/05/1990"), timeout=WAIT)
    assert viewer.selected_text().startswith("Nguyễn Văn An\n")


# --- files that cannot be shown ---------------------------------------------------------------


def _open_bad(qtbot, data: bytes, name: str = "ho-so.pdf") -> PdfViewer:  # type: ignore[no-untyped-def]
    viewer = PdfViewer(soffice=None)
    qtbot.addWidget(viewer)
    viewer.resize(900, 700)
    viewer.show()
    with qtbot.waitSignal(viewer.error, timeout=WAIT):
        viewer.open_bytes(data, name)
    return viewer


def _zero_page_pdf() -> bytes:
    body = b"%PDF-1.4\n"
    offsets = []
    for obj in (
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n",
    ):
        offsets.append(len(body))
        body += obj
    xref = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n"
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return body


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("encrypted", "Tệp được đặt mật khẩu, không thể hiển thị."),
        ("html", "Tệp không phải PDF mà là một trang web (HTML)"),
        ("text", "Tệp không phải PDF mà là văn bản thuần"),
        ("empty", "Tệp rỗng (0 byte), không có gì để hiển thị."),
        ("zero_pages", "Tệp không có trang nào để hiển thị."),
        ("garbage", "Không nhận ra định dạng tệp, không thể hiển thị."),
        ("broken", "Tệp bị hỏng, không thể hiển thị."),
    ],
)
def test_files_that_cannot_be_shown_say_why(qtbot, signed: bytes, case: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    data = {
        "encrypted": lambda: tamper.encrypt(signed),
        "html": lambda: tamper.not_a_pdf("html"),
        "text": lambda: tamper.not_a_pdf("text"),
        "empty": lambda: tamper.not_a_pdf("empty"),
        "zero_pages": _zero_page_pdf,
        "garbage": lambda: bytes(range(256)) * 8,
        "broken": lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50,
    }[case]()
    viewer = _open_bad(qtbot, data)
    assert viewer.message_text.startswith(expected)
    assert viewer.message.isVisible()
    assert viewer.page_count == 0
    _shot(viewer, f"bad-{case}")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_download_is_repaired_with_a_warning_or_refused(  # type: ignore[no-untyped-def]
    qtbot, signed: bytes, keep: float
) -> None:
    viewer = _open_bad(qtbot, tamper.truncate(signed, keep))
    if viewer.message_text:
        assert viewer.message_text == "Tệp bị hỏng, không thể hiển thị."
    else:
        # MuPDF rebuilt what it could: pages shown, with a warning above them.
        assert viewer.notice_banner.isVisible()
        assert "Tệp bị lỗi cấu trúc" in viewer.notice_banner.label.text()
        qtbot.waitUntil(lambda: viewer.page_count > 0, timeout=WAIT)
    _shot(viewer, f"truncated-{keep}")


def test_photo_uploaded_as_pdf_is_shown_as_a_photo(qtbot) -> None:  # type: ignore[no-untyped-def]
    viewer = _open_bad(qtbot, tamper.not_a_pdf("jpeg"))
    assert "thực chất là ảnh JPEG" in viewer.notice_banner.label.text()
    qtbot.waitUntil(lambda: viewer.page_count == 1, timeout=WAIT)


def test_png_scan_opens(qtbot) -> None:  # type: ignore[no-untyped-def]
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 300, 400), False)
    pix.set_rect(pymupdf.IRect(0, 0, 300, 400), (250, 250, 240))
    pix.set_rect(pymupdf.IRect(40, 40, 260, 80), (20, 20, 20))
    viewer = _open(qtbot, pix.tobytes("png"), name="cccd-mat-truoc.png")
    assert viewer.page_count == 1
    assert not viewer.notice_banner.isVisible()


def test_huge_page_renders_in_tiles_without_freezing(qtbot) -> None:  # type: ignore[no-untyped-def]
    from intake_desktop.demo.documents import font_path

    doc = pymupdf.open()
    page = doc.new_page(width=20000, height=20000)
    page.insert_font(fontname="dv", fontfile=font_path())
    page.insert_text((1000, 3000), "BẢN VẼ MẶT BẰNG", fontsize=1200, fontname="dv")
    for x in range(1000, 20000, 1000):
        page.draw_line((x, 500), (x, 19500), width=20)
    page.insert_text((9800, 10000), "Tâm bản vẽ", fontsize=60, fontname="dv")
    page.draw_rect(pymupdf.Rect(500, 500, 19500, 19500), width=40)
    data = doc.tobytes(deflate=True)
    viewer = _open(qtbot, data, name="ban-ve.pdf")
    assert "rất lớn" in viewer.notice_banner.label.text()
    view = viewer.view
    gaps = _GapMeter()
    with gaps:
        with qtbot.waitSignal(view.pageImagePainted, timeout=WAIT):
            viewer.set_zoom(2.0)  # 55 000 px square: only visible tiles are drawn
        # To the middle of the drawing, where its label is.
        view.reveal_user_rect(0, (9700, 9900, 10300, 10100))
        with qtbot.waitSignal(view.pageImagePainted, timeout=WAIT):
            view.viewport().update()
    assert gaps.worst < 0.1
    assert viewer._cache.bytes < 200 * 1024 * 1024
    _shot(viewer, "huge")


# --- Word documents ---------------------------------------------------------------------------


def _docx() -> bytes:
    """A tiny Word file, the same bytes on every call (a fixed time in the zip entries)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in (
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
        ):
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


def test_word_document_without_libreoffice_offers_the_system_app(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(viewer_module, "_open_url", lambda url: opened.append(url.toLocalFile()))
    viewer = _open_bad(qtbot, _docx(), "don-de-nghi.docx")
    assert "chưa cài LibreOffice" in viewer.message_text
    assert "Tài liệu Microsoft Word (DOCX)" in viewer.message.details.text()
    assert viewer.message.open_button.isVisible()
    _shot(viewer, "docx")
    viewer.message.open_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)
    assert opened[0].endswith("don-de-nghi.docx")
    assert Path(opened[0]).read_bytes() == _docx()


def _fake_soffice(tmp_path: Path, pdf: Path, *, sleep: float = 0.0) -> str:
    script = tmp_path / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys, time\n"
        f"time.sleep({sleep})\n"
        "args = sys.argv[1:]\n"
        "out = args[args.index('--outdir') + 1]\n"
        "stem = args[-1].rsplit('/', 1)[-1].rsplit('.', 1)[0]\n"
        f"shutil.copy({str(pdf)!r}, out + '/' + stem + '.pdf')\n"
    )
    script.chmod(0o755)
    return str(script)


@pytest.mark.skipif(sys.platform == "win32", reason="shell script stands in for LibreOffice")
def test_word_document_is_converted_with_libreoffice(qtbot, tmp_path: Path, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "converted.pdf"
    pdf.write_bytes(signed)
    viewer = PdfViewer(soffice=_fake_soffice(tmp_path, pdf))
    qtbot.addWidget(viewer)
    viewer.show()
    with qtbot.waitSignal(viewer.documentLoaded, timeout=WAIT) as loaded:
        viewer.open_bytes(_docx(), "don-de-nghi.docx")
    assert loaded.args == [3]
    assert "LibreOffice" in viewer.notice_banner.label.text()
    # Saving a copy saves the original Word file, not the preview.
    target = tmp_path / "copy.docx"
    with qtbot.waitSignal(viewer.copySaved, timeout=WAIT):
        viewer.save_copy(target)
    assert target.read_bytes() == _docx()


@pytest.mark.skipif(sys.platform == "win32", reason="shell script stands in for LibreOffice")
def test_hung_libreoffice_is_stopped(qtbot, tmp_path: Path, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "converted.pdf"
    pdf.write_bytes(signed)
    viewer = PdfViewer(soffice=_fake_soffice(tmp_path, pdf, sleep=30))
    viewer.conversion_timeout = 0.5
    qtbot.addWidget(viewer)
    viewer.show()
    started = time.monotonic()
    with qtbot.waitSignal(viewer.error, timeout=WAIT) as failed:
        viewer.open_bytes(_docx(), "don-de-nghi.docx")
    assert "quá lâu" in failed.args[0]
    assert time.monotonic() - started < 10


# --- print, save, files -----------------------------------------------------------------------


def test_print_to_a_pdf_printer(qtbot, signed: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    viewer = _open(qtbot, signed)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "in.pdf"))
    printer.setResolution(150)
    with qtbot.waitSignal(viewer.printFinished, timeout=60_000) as finished:
        viewer.print_to(printer)
    assert finished.args == [True]
    with pymupdf.open(tmp_path / "in.pdf") as printed:
        assert printed.page_count == 3
        assert printed[0].get_images()  # pages went out as images


def test_open_file_and_save_an_exact_copy(qtbot, signed: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "to khai có dấu.pdf"
    source.write_bytes(signed)
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.show()
    with qtbot.waitSignal(viewer.documentLoaded, timeout=WAIT):
        viewer.open_file(source)
    target = tmp_path / "ban-sao.pdf"
    with qtbot.waitSignal(viewer.copySaved, timeout=WAIT):
        viewer.save_copy(target)
    assert target.read_bytes() == signed


def test_missing_file_says_it_cannot_be_read(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.show()
    with qtbot.waitSignal(viewer.error, timeout=WAIT):
        viewer.open_file(tmp_path / "khong-co.pdf")
    assert viewer.message_text == "Không đọc được tệp."


def test_closed_viewers_release_their_documents(qtbot, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    service = render_service()
    qtbot.waitUntil(lambda: service.open_documents == 0, timeout=WAIT)
    viewers = [_open(qtbot, signed) for _ in range(3)]
    assert service.open_documents == 3
    viewers[0].open_bytes(signed, "lai.pdf")  # replaces its document
    for viewer in viewers:
        viewer.close()
        viewer.deleteLater()
    qtbot.waitUntil(lambda: service.open_documents == 0, timeout=WAIT)


# --- responsiveness ---------------------------------------------------------------------------


class _GapMeter(QObject):
    """Longest time the GUI thread went without running a 5 ms timer."""

    def __init__(self) -> None:
        super().__init__()
        self.worst = 0.0
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self._last)
        self._last = now

    def __enter__(self) -> _GapMeter:
        self._last = time.perf_counter()
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()


def _hundred_pages() -> bytes:
    """100 pages of Vietnamese text, each with its own picture (decoded when drawn)."""
    import numpy as np

    from intake_desktop.demo.documents import FILLER_TEXT, font_path

    rng = np.random.default_rng(7)
    doc = pymupdf.open()
    for number in range(100):
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="dv", fontfile=font_path())
        noise = rng.integers(0, 255, size=(160, 240, 3), dtype=np.uint8)
        pix = pymupdf.Pixmap(pymupdf.csRGB, 240, 160, noise.tobytes(), False)
        page.insert_image(pymupdf.Rect(70, 60, 525, 360), pixmap=pix)
        page.insert_textbox(
            pymupdf.Rect(70, 380, 525, 800), (FILLER_TEXT + "\n") * 4, fontname="dv", fontsize=10
        )
        page.insert_text((270, 820), f"Trang {number + 1}", fontname="dv", fontsize=9)
    return bytes(doc.tobytes(deflate=True, garbage=3))


@pytest.fixture(scope="module")
def hundred_pages() -> Iterator[bytes]:
    yield _hundred_pages()


def test_gui_never_waits_long_while_a_long_file_loads_and_scrolls(
    qtbot, hundred_pages: bytes
) -> None:  # type: ignore[no-untyped-def]
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.resize(1280, 900)
    viewer.show()
    qtbot.waitExposed(viewer)
    view = viewer.view
    renders = _RenderCounter(view.client)
    with _GapMeter() as gaps:
        with qtbot.waitSignal(viewer.firstPagePainted, timeout=WAIT):
            viewer.open_bytes(hundred_pages, "100-trang.pdf")
        # The officer drags the scroll bar down the whole file, then reads page 90.
        bar = view.verticalScrollBar()
        for step in range(1, 41):
            bar.setValue(bar.maximum() * step // 40)
            qtbot.wait(1)
        viewer.go_to_page(89)
        with qtbot.waitSignal(view.pageImagePainted, timeout=WAIT):
            view.viewport().update()
        qtbot.wait(300)  # thumbnails and prefetch finish meanwhile
    assert gaps.worst < 0.1, f"GUI thread blocked for {gaps.worst * 1000:.0f} ms"
    assert 89 in renders.pages
    _shot(viewer, "hundred-pages")


@contextmanager
def _on_service(qtbot, name: str, data: bytes) -> Iterator[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """``data`` open on the render service, and a client of its own: (doc, client)."""
    service = render_service()
    opened = _OpenWaiter()
    doc = service.open(name=name, data=data)
    qtbot.waitUntil(lambda: doc in opened.results, timeout=WAIT)
    client = service.new_client()
    try:
        yield doc, client
    finally:
        service.drop_client(client)
        service.close(doc)


def test_requests_for_pages_scrolled_past_are_dropped(qtbot, hundred_pages: bytes) -> None:  # type: ignore[no-untyped-def]
    service = render_service()
    with _on_service(qtbot, "100-trang.pdf", hundred_pages) as (doc, client):
        renders = _RenderCounter(client)

        def key(page: int) -> RenderKey:
            return RenderKey(doc, page, 0, 600, 848, (0, 0, 600, 848))

        service.request(client, [RenderRequest(key(p), float(p)) for p in range(100)])
        # The officer is already at the end: everything queued before is stale.
        service.request(client, [RenderRequest(key(99), 0.0)])
        qtbot.waitUntil(lambda: 99 in renders.pages, timeout=WAIT)
        qtbot.wait(100)
        assert len(renders.pages) <= 2, sorted(renders.pages)  # at most one was under way


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_band_is_exactly_those_rows_of_the_whole_page(  # type: ignore[no-untyped-def]
    qtbot, signed: bytes, rotation: int
) -> None:
    w, h = (1200, 1697) if rotation % 180 == 0 else (1697, 1200)
    with _on_service(qtbot, "to-khai.pdf", signed) as (doc, client):
        keys = _Rendered(client)
        whole = RenderKey(doc, 0, rotation, w, h, (0, 0, w, h))
        band = whole._replace(clip=(0, 192, w, 576))
        render_service().request(client, [RenderRequest(band, 0.0), RenderRequest(whole, 1.0)])
        qtbot.waitUntil(lambda: {band, whole} <= keys.images.keys(), timeout=WAIT)
    image = keys.images[band]
    assert (image.width(), image.height()) == (w, 576)
    assert not _blank(image)
    assert image == keys.images[whole].copy(0, 192, w, 576)


def test_a_page_jumped_to_shows_its_band_on_screen_first_then_whole(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, hundred_pages: bytes
) -> None:
    """Going to a page not rendered yet, the officer waits only for the part on screen (at
    fit width about half the page), drawn exactly as the whole page, which follows."""
    viewer = _open(qtbot, hundred_pages, "100-trang.pdf", height=700)
    view = viewer.view
    view._prefetch = False
    qtbot.wait(200)
    keys = _Rendered(view.client)
    whole = view._key(40)
    request = render_service().request

    def without_whole_page(client: int, requests: list[RenderRequest]) -> None:
        request(client, [r for r in requests if r.key != whole])

    # Hold the whole page back, to see the screen as it is before it comes.
    monkeypatch.setattr(view._service, "request", without_whole_page)
    with qtbot.waitSignal(
        view.pageImagePainted, check_params_cb=lambda page: page == 40, timeout=WAIT
    ):
        viewer.go_to_page(40)
    # (The view's own receiver of the image runs before this test's.)
    qtbot.waitUntil(lambda: any(k.page == 40 for k in keys.images), timeout=WAIT)
    band = next(k for k in keys.images if k.page == 40)
    x, y, w, h = band.clip
    top, bottom = view._visible_rows(40)
    assert (x, w) == (0, whole.width) and y <= top < bottom <= y + h < whole.height
    assert whole not in view._cache
    # The last rows of page 39 are on screen too: their band comes as well.
    assert list(view._visible_pages()) == [39, 40]
    qtbot.waitUntil(lambda: view._band_on_screen(39) is not None, timeout=WAIT)
    # Two rows on screen: the smallest band (a quarter of the one for a whole window).
    assert next(k for k in keys.images if k.page == 39).clip[3] * BAND_HEIGHTS == h
    before = view.viewport().grab().toImage()

    monkeypatch.undo()
    view._send_requests()
    qtbot.waitUntil(lambda: whole in keys.images, timeout=WAIT)
    # The band is dropped once the whole page is there; nothing on screen is missing.
    assert band not in view._cache
    assert [k for k, _ in view._cache.stand_ins(whole.doc, 40, 0)] == [whole]
    assert not view._wanted()
    assert view.viewport().grab().toImage() == before


class _PaintCounter(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_page_turn_keeps_the_old_picture_while_the_new_page_comes(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, hundred_pages: bytes
) -> None:
    """No flash of blank placeholders: the window changes once, when the page is there, or
    after STALE_MS if it is slow."""
    viewer = _open(qtbot, hundred_pages, name="100-trang.pdf")
    view = viewer.view
    view._prefetch = False
    qtbot.wait(200)
    held: list[RenderRequest] = []
    request = render_service().request
    monkeypatch.setattr(view._service, "request", lambda client, requests: held.extend(requests))
    paints = _PaintCounter(view.viewport())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.current_page() == 1 and held
    qtbot.wait(5)  # a repaint Qt had scheduled would have come by now
    assert paints.count == 0
    monkeypatch.undo()
    with qtbot.waitSignal(
        view.pageImagePainted, check_params_cb=lambda page: page == 1, timeout=WAIT
    ):
        request(view.client, held)
    assert paints.count == 1
    qtbot.waitUntil(lambda: view._key(1) in view._cache, timeout=WAIT)  # the whole page too
    # A page that is slow to come: its placeholder after STALE_MS, not before.
    monkeypatch.setattr(view._service, "request", lambda client, requests: None)
    before = paints.count
    qtbot.keyClick(view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(5)  # a repaint Qt had scheduled would have come by now
    assert paints.count == before
    qtbot.waitUntil(lambda: paints.count == before + 1, timeout=STALE_MS * 10)


def test_a_render_process_that_dies_is_replaced(qtbot, signed: bytes, hundred_pages: bytes) -> None:  # type: ignore[no-untyped-def]
    """MuPDF crashing on a hostile file takes down only the render process: a new one
    starts, the documents open in the old one are open again, and pages keep coming."""
    service = render_service()
    opened = _OpenWaiter()
    first = service.open(name="a.pdf", data=signed)
    second = service.open(name="b.pdf", data=hundred_pages)
    qtbot.waitUntil(lambda: {first, second} <= opened.results.keys(), timeout=WAIT)
    client = service.new_client()
    keys = _Rendered(client)

    def key(doc: int, page: int) -> RenderKey:
        return RenderKey(doc, page, 0, 300, 424, (0, 0, 300, 424))

    try:
        service.request(client, [RenderRequest(key(second, 1), 0.0)])
        qtbot.waitUntil(lambda: key(second, 1) in keys.images, timeout=WAIT)
        pid, restarts = service.process_id, service.restarts
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        qtbot.wait(200)
        service.request(client, [RenderRequest(key(second, 5), 0.0)])
        qtbot.waitUntil(lambda: key(second, 5) in keys.images, timeout=WAIT)
        service.request(client, [RenderRequest(key(first, 0), 0.0)])
        qtbot.waitUntil(lambda: key(first, 0) in keys.images, timeout=WAIT)
        assert service.restarts == restarts + 1
        assert service.process_id not in (None, pid)
        assert not keys.failed
        page = keys.images[key(second, 5)]
        assert not page.isNull() and page.width() == 300
        assert not _blank(page)
    finally:
        service.drop_client(client)
        service.close(first)
        service.close(second)


def _blank(image: QImage) -> bool:
    corner = image.pixel(0, 0)
    return all(
        image.pixel(x, y) == corner
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    )


class _Rendered(QObject):
    """Images and failures the render service delivered to one client."""

    def __init__(self, client: int) -> None:
        super().__init__()
        self.client = client
        self.images: dict[RenderKey, QImage] = {}
        self.failed: dict[RenderKey, str] = {}
        render_service().rendered.connect(self._rendered)
        render_service().renderFailed.connect(self._failed)

    @Slot(int, object, object)
    def _rendered(self, client: int, key: RenderKey, image: QImage) -> None:
        if client == self.client:
            self.images[key] = image

    @Slot(int, object, str)
    def _failed(self, client: int, key: RenderKey, detail: str) -> None:
        if client == self.client:
            self.failed[key] = detail


class _OpenWaiter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.results: dict[int, object] = {}
        render_service().opened.connect(self._opened)

    @Slot(object)
    def _opened(self, result: OpenResult) -> None:
        self.results[result.doc] = result


class _RenderCounter(QObject):
    """Pages the render thread drew for one view (a GUI-thread receiver of its signal)."""

    def __init__(self, client: int) -> None:
        super().__init__()
        self.client = client
        self.pages: set[int] = set()
        render_service().rendered.connect(self._rendered)

    @Slot(int, object, object)
    def _rendered(self, client: int, key: object, _image: object) -> None:
        if client == self.client:
            self.pages.add(key.page)  # type: ignore[attr-defined]
