"""The viewer's Qt-free parts: sniffing uploads, page geometry, words, the pixel comparison,
the image cache, LibreOffice conversion."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from intake_desktop.demo import tamper
from intake_desktop.demo.documents import make_form_pdf
from intake_desktop.services import page_diff
from intake_desktop.services.pdf_pages import (
    device_matrix,
    invert,
    page_geometry,
    pixel_size,
    render_into,
    transform_rect,
)
from intake_desktop.viewer import office
from intake_desktop.viewer.cache import PageCache, RenderKey
from intake_desktop.viewer.page_text import PageText, extract, normalise_query
from intake_desktop.viewer.sources import Kind, sniff


@pytest.mark.parametrize(
    ("data", "name", "kind", "detail", "misnamed"),
    [
        (b"%PDF-1.7\n...", "a.pdf", Kind.PDF, "pdf", False),
        (b"\xef\xbb\xbf%PDF-1.4", "a.pdf", Kind.PDF, "pdf", False),
        (tamper.not_a_pdf("jpeg"), "scan.pdf", Kind.IMAGE, "jpeg", True),
        (b"\x89PNG\r\n\x1a\n....", "cccd.png", Kind.IMAGE, "png", False),
        (tamper.not_a_pdf("html"), "ho-so.pdf", Kind.HTML, "html", True),
        (tamper.not_a_pdf("text"), "ghi-chu.pdf", Kind.TEXT, "text", True),
        (b"", "rong.pdf", Kind.EMPTY, "", False),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "don.doc", Kind.OFFICE, "doc", False),
        (bytes(range(256)), "x.bin", Kind.UNKNOWN, "", False),
    ],
)
def test_uploads_are_recognised_by_their_bytes(
    data: bytes, name: str, kind: Kind, detail: str, misnamed: bool
) -> None:
    found = sniff(data, name)
    assert (found.kind, found.detail, found.misnamed) == (kind, detail, misnamed)


def _rotated_cropped_page() -> pymupdf.Document:
    doc = pymupdf.open()
    page = doc.new_page(width=600, height=800)
    page.insert_text((100, 100), "HELLO", fontsize=20)
    page.set_cropbox(pymupdf.Rect(20, 30, 580, 780))
    page.set_rotation(90)
    return pymupdf.open(stream=doc.tobytes(), filetype="pdf")


def test_user_space_maps_to_the_pixels_mupdf_draws_on_a_rotated_cropped_page() -> None:
    doc = _rotated_cropped_page()
    page = doc[0]
    geometry = page_geometry(page)
    assert (geometry.width, geometry.height) == (750, 560)
    assert geometry.user_matrix is not None
    # Where the word is drawn, found in the pixels…
    pix = page.get_pixmap()
    a = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
    ys, xs = np.nonzero(a.min(axis=2) < 128)
    drawn = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    # …and where text space and PDF user space put it.
    word = page.search_for("HELLO")[0]
    in_page = transform_rect((word.x0, word.y0, word.x1, word.y1), geometry.text_matrix)
    user = transform_rect(in_page, invert(geometry.user_matrix))
    back = transform_rect(user, geometry.user_matrix)
    for got, want in zip(back, in_page, strict=True):
        assert got == pytest.approx(want, abs=1e-6)
    assert drawn[0] >= in_page[0] - 1 and drawn[2] <= in_page[2] + 1
    assert drawn[1] >= in_page[1] - 1 and drawn[3] <= in_page[3] + 1


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_render_into_matches_pymupdf_at_every_rotation(rotation: int) -> None:
    doc = _rotated_cropped_page()
    page = doc[0]
    geometry = page_geometry(page)
    size = pixel_size(geometry.width, geometry.height, rotation, 0.5)
    stride = size[0] * 3 + 1  # rows need not be packed
    buffer = bytearray(stride * size[1])
    render_into(
        page, device_matrix(geometry, rotation, size), (0, 0, *size), memoryview(buffer), stride
    )
    ours = np.frombuffer(buffer, dtype=np.uint8).reshape(size[1], stride)[:, : size[0] * 3]
    pix = page.get_pixmap(matrix=pymupdf.Matrix(0.5, 0.5).prerotate(rotation), alpha=False)
    theirs = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width * 3)
    assert ours.shape == theirs.shape
    assert np.abs(ours.astype(int) - theirs.astype(int)).mean() < 2
    # A clip renders exactly that part of the whole.
    clip = (3, 5, size[0] // 2, size[1] // 3)
    part = bytearray(clip[2] * 3 * clip[3])
    render_into(page, device_matrix(geometry, rotation, size), clip, memoryview(part), clip[2] * 3)
    part_pixels = np.frombuffer(part, dtype=np.uint8).reshape(clip[3], clip[2] * 3)
    whole = ours[clip[1] : clip[1] + clip[3], clip[0] * 3 : (clip[0] + clip[2]) * 3]
    assert np.abs(part_pixels.astype(int) - whole.astype(int)).max() <= 8


def test_search_ignores_diacritics_only_when_the_query_has_none() -> None:
    text = PageText(
        (
            (10, 10, 60, 20, "NGUYỄN", 0),
            (62, 10, 90, 20, "VĂN", 0),
            (92, 10, 110, 20, "AN", 0),
            (10, 30, 60, 40, "Nhưng", 1),
            (62, 30, 90, 40, "nhung", 1),
        )
    )
    assert text.text == "NGUYỄN VĂN AN\nNhưng nhung"
    assert normalise_query("  nguyen   van an ") == ("nguyen van an", False)
    assert normalise_query("Nhưng") == ("nhưng", True)
    assert len(text.find("nguyen van an")) == 1
    assert len(text.find("Nguyễn Văn An")) == 1
    assert len(text.find("nhung")) == 2
    assert len(text.find("Nhưng")) == 1
    # A match across a line break is one hit with a box per line.
    (boxes,) = text.find("an nhung")
    assert len(boxes) == 2


def test_caret_and_selection_by_character() -> None:
    text = PageText(((100, 10, 220, 20, "062090001234", 0), (10, 30, 40, 40, "Nam", 1)))
    # Digits are 10 points apart: the caret falls between them.
    assert text.caret_at(100, 15) == 0
    assert text.caret_at(131, 15) == 3
    assert text.caret_at(500, 15) == 12
    assert text.caret_at(0, 35) == 13  # start of the second line
    start, end = text.caret_at(121, 15), text.caret_at(159, 15)
    assert text.text[start:end] == "2090"
    (box,) = text.boxes(start, end)
    assert box == pytest.approx((120, 10, 160, 20))


def test_words_of_a_generated_form() -> None:
    data = make_form_pdf("TỜ KHAI", [("Số định danh cá nhân", "062090001234")])
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        text = extract(doc[0])
    assert "Số định danh cá nhân: 062090001234" in text.text
    assert len(text.find("so dinh danh")) == 1


def test_pixel_diff_merges_a_changed_number_into_one_box() -> None:
    old = np.full((100, 300, 3), 255, dtype=np.uint8)
    new = old.copy()
    new[40:52, 100:110] = 0  # two changed digits with an unchanged one between
    new[40:52, 125:135] = 0
    new[80:90, 10:20] = 0  # something else, far below
    boxes = page_diff.changed_boxes(old, new)
    assert sorted(boxes) == [(8, 80, 20, 92), (100, 40, 136, 52)]
    assert page_diff.changed_boxes(old, old.copy()) == []


def test_pages_only_in_one_version_are_whole_page_changes() -> None:
    one = make_form_pdf("TỜ KHAI", [("Họ tên", "Nguyễn Văn An")], pages=1)
    three = make_form_pdf("TỜ KHAI", [("Họ tên", "Nguyễn Văn An")], pages=3)
    changes = page_diff.compare_bytes(one, three)
    assert [c.side for c in changes if c.page > 0] == [page_diff.Side.NEW_ONLY] * 2
    assert changes[-1].rects == (pytest.approx((0, 0, 595, 842), abs=1),)


def _key(page: int, width: int = 100) -> RenderKey:
    return RenderKey(1, page, 0, width, 100, (0, 0, width, 100))


def test_cache_evicts_stale_sizes_then_far_pages_within_its_budget() -> None:
    evicted: list[RenderKey] = []
    cache: PageCache[str] = PageCache(400, lambda key, _value: evicted.append(key))
    cache.set_focus(1, 5, lambda page: (0, 100, 100))
    for page in (4, 5, 6):
        cache.put(_key(page), f"page {page}", 100)
    cache.put(_key(5, width=80), "old zoom", 100)
    assert cache.bytes == 400
    cache.put(_key(20), "far", 100)
    assert evicted == [_key(5, width=80)]  # a stale zoom goes first
    cache.put(_key(7), "near", 100)
    assert evicted[-1] == _key(20)  # then the page farthest from view
    assert cache.bytes <= 400 and _key(5) in cache
    assert [k for k, _v in cache.stand_ins(1, 5, 0)] == [_key(5)]
    cache.forget(1)
    assert len(cache) == 0 and cache.bytes == 0


@pytest.mark.skipif(sys.platform == "win32", reason="shell script stands in for LibreOffice")
def test_libreoffice_failure_is_reported(tmp_path: Path) -> None:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\necho 'source file could not be loaded' >&2\nexit 1\n")
    script.chmod(0o755)
    with pytest.raises(office.ConversionError, match="could not be loaded"):
        office.convert_to_pdf(b"PK\x03\x04", ".docx", str(script), timeout=10)
