"""The slips an officer prints for each decision (Mẫu 01, 02, 03)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

import pymupdf
import pytest

from intake_desktop.domain import (
    Applicant,
    Attachment,
    Component,
    CopyKind,
    DecisionKind,
    Dossier,
    DossierStatus,
    Procedure,
)
from intake_desktop.services.slips import OfficeProfile, SlipRequest, render_slip
from intake_desktop.services.working_days import VN_TZ
from intake_desktop.store.catalog import read_catalog

DOSSIER = Dossier(
    code="000.00.53.H48-261120-0099",
    procedure_code="1.001193.000.00.00.H48",
    submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=VN_TZ),
    status=DossierStatus.AWAITING_INTAKE,
    version=1,
    applicant=Applicant(
        name="Nguyễn Văn An",
        citizen_id="062090001234",
        phone="0912345678",
        address="Số 12 ngõ 34 Trần Thái Tông, phường Dịch Vọng, Hà Nội",
    ),
    components=(
        Component(
            "KS_TK",
            "Tờ khai đăng ký khai sinh theo mẫu",
            CopyKind.ORIGINAL,
            (Attachment("a1", "to-khai.pdf", "application/pdf", 1000),),
        ),
    ),
)
DECIDED = datetime(2026, 11, 20, 10, 5, tzinfo=VN_TZ)


@cache
def birth() -> Procedure:
    return next(p for p in read_catalog()[1] if p.code == "1.001193")


def text_of(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf) as doc:
        return "\n".join(page.get_text() for page in doc)


def test_receipt_slip_has_code_appointment_and_components() -> None:
    pdf = render_slip(
        SlipRequest(
            DecisionKind.ACCEPT, DOSSIER, birth(), "Lê Thị Mai", DECIDED, date(2026, 11, 23),
            register_number="0125",
        )
    )  # fmt: skip
    text = text_of(pdf)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "000.00.53.H48-261120-0099" in text
    assert "ngày 23/11/2026" in text
    assert "09 giờ 15 phút, ngày 20/11/2026" in text
    assert "Tờ khai đăng ký khai sinh theo mẫu" in text
    assert "Mẫu số 01" in text and "Số: 0125/TNHS" in text
    assert "Lê Thị Mai" in text and "Nguyễn Văn An" in text
    assert "DEMO" not in text
    with pymupdf.open(stream=pdf) as doc:
        fonts = doc[0].get_fonts()
    assert fonts and all("DejaVu" in f[3] for f in fonts)  # embedded, with Vietnamese glyphs


@pytest.mark.parametrize(
    ("kind", "title", "form"),
    [
        (DecisionKind.REQUEST_SUPPLEMENT, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Mẫu số 02"),
        (DecisionKind.REFUSE, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Mẫu số 03"),
    ],
)
def test_return_slips_list_the_reasons(kind: DecisionKind, title: str, form: str) -> None:
    reasons = ("Bổ sung thành phần hồ sơ: Bản chính Giấy chứng sinh.",)
    text = text_of(render_slip(SlipRequest(kind, DOSSIER, birth(), "Lê Thị Mai", DECIDED,
                                           reasons=reasons)))  # fmt: skip
    assert title in text and form in text
    assert "1. Bổ sung thành phần hồ sơ: Bản chính Giấy chứng sinh." in text
    assert "Đăng ký khai sinh" in text


def test_test_mode_slips_are_marked_and_office_is_a_setting() -> None:
    office = OfficeProfile(agency="UBND xã Tân Lập", place="Phú Thọ")
    text = text_of(
        render_slip(
            SlipRequest(
                DecisionKind.ACCEPT, DOSSIER, None, "Cán bộ", DECIDED, None, test_mode=True
            ),
            office,
        )
    )
    assert "DEMO — CHẾ ĐỘ THỬ NGHIỆM" in text
    assert "UBND XÃ TÂN LẬP" in text and "Phú Thọ, ngày 20 tháng 11 năm 2026" in text
    assert "không quy định thời hạn giải quyết" in text
