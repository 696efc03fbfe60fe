"""Demo forms: Vietnamese text that survives extraction, reproducible bytes."""

from __future__ import annotations

import pymupdf
import pytest

from intake_desktop.demo.documents import (
    BIRTH_REGISTRATION_FIELDS,
    BIRTH_REGISTRATION_TITLE,
    NATIONAL_HEADER,
    SIGNER_CAPTION,
    make_birth_registration,
    make_form_pdf,
    page_text,
)


@pytest.fixture(scope="module")
def birth_form() -> bytes:
    return make_birth_registration()


def test_vietnamese_text_round_trips_through_extraction(birth_form: bytes) -> None:
    lines = page_text(birth_form).splitlines()
    assert lines[:3] == [*NATIONAL_HEADER, BIRTH_REGISTRATION_TITLE]
    for label, value in BIRTH_REGISTRATION_FIELDS:
        if label == "Nơi cư trú":  # long enough to wrap onto a second line
            continue
        assert f"{label}: {value}" in lines
    assert "Họ, chữ đệm, tên người yêu cầu: Nguyễn Văn An" in lines
    assert "Số định danh cá nhân: 001090001234" in lines
    assert [*SIGNER_CAPTION] == lines[lines.index(SIGNER_CAPTION[0]) :][:2]


def test_form_is_a4_with_embedded_dejavu(birth_form: bytes) -> None:
    with pymupdf.open(stream=birth_form, filetype="pdf") as doc:
        assert doc.page_count == 1
        assert tuple(doc[0].rect) == (0, 0, 595, 842)
        fonts = doc[0].get_fonts()
        assert fonts and all("DejaVu" in f[3] and f[1] == "ttf" for f in fonts)
        assert all("+" in f[3] for f in fonts)  # subset, not the whole 700 kB font
        assert doc.metadata["title"] == BIRTH_REGISTRATION_TITLE


def test_same_input_same_bytes(birth_form: bytes) -> None:
    assert make_birth_registration() == birth_form
    other = make_form_pdf(BIRTH_REGISTRATION_TITLE, [("Họ và tên", "Nguyễn Văn Bình")])
    assert other != birth_form


def test_benchmark_document_has_pages_and_images() -> None:
    data = make_form_pdf(
        "ĐƠN ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC",
        [("Họ và tên", "Trần Thị Bình")],
        pages=3,
        images=True,
        body="Kính đề nghị Ủy ban nhân dân xã xem xét, giải quyết.",
    )
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert doc.page_count == 3
        assert all(page.get_images() for page in doc.pages())
        assert "Căn cứ Luật Hộ tịch năm 2014" in doc[2].get_text()
        assert "Kính đề nghị Ủy ban nhân dân xã xem xét, giải quyết." in doc[0].get_text()
        assert "Trang 3/3" in doc[2].get_text()


def test_text_field_and_uncompressed_content() -> None:
    data = make_birth_registration(text_field="GhiChu", compress=False)
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        widgets = list(doc[0].widgets())
        assert [w.field_name for w in widgets] == ["GhiChu"]
        (content,) = doc[0].get_contents()
        assert b"/Filter" not in doc.xref_object(content).encode()
    assert b" Tf" in data  # content streams are readable bytes
