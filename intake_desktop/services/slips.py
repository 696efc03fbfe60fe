"""The slip handed to the citizen for each decision, as a PDF.

Accept → Mẫu 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), request supplement → Mẫu 02
(Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ), refuse → Mẫu 03 (Phiếu từ chối tiếp nhận giải
quyết hồ sơ), after Thông tư 01/2018/TT-VPCP. The wording is data
(``resources/legal/slips.json``); this module only lays it out.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pymupdf
import segno

from intake_desktop.domain import DecisionKind, Dossier, Procedure
from intake_desktop.paths import resource
from intake_desktop.services.mupdf_lock import MUPDF_LOCK
from intake_desktop.services.pdf_layout import BOLD, REGULAR, PageFlow, text_width, wrap
from intake_desktop.services.working_days import VN_TZ


@dataclass(frozen=True)
class OfficeProfile:
    """Who issues the slips: an office setting."""

    agency: str = "UBND phường Dịch Vọng"
    desk: str = "Bộ phận tiếp nhận và trả kết quả"
    place: str = "Hà Nội"
    """Where the slip is dated: "Hà Nội, ngày … tháng … năm …"."""
    result_location: str = "Bộ phận Một cửa UBND phường Dịch Vọng"
    phone: str = "024 3833 0000"
    lookup_url: str = "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?ma_ho_so={code}"
    register_book: str = "01"


@dataclass(frozen=True)
class SlipRequest:
    kind: DecisionKind
    dossier: Dossier
    procedure: Procedure | None
    officer_name: str
    decided_at: datetime
    appointment_date: date | None = None
    reasons: tuple[str, ...] = ()
    register_number: str = ""
    """Số thứ tự in the register book (Sổ theo dõi hồ sơ)."""
    test_mode: bool = False
    """Print a DEMO watermark: a training slip must never pass for a real one."""


@functools.cache
def _texts() -> dict[str, Any]:
    with resource("legal", "slips.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _when(moment: datetime) -> str:
    local = moment.astimezone(VN_TZ)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _dated(place: str, day: date) -> str:
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def render_slip(request: SlipRequest, office: OfficeProfile | None = None) -> bytes:
    """Lay out the slip for ``request`` and return the PDF bytes."""
    with MUPDF_LOCK:
        return _render_slip(request, office or OfficeProfile())


def _render_slip(request: SlipRequest, office: OfficeProfile) -> bytes:
    texts = _texts()
    form = texts["forms"][request.kind.value]
    doc = pymupdf.open()
    flow = PageFlow(doc)
    _header(flow, texts, form, office, request)
    flow.skip(16)
    flow.centered(form["title"], size=13.5, bold=True)
    flow.centered(f"{texts['applicant_labels']['dossier_code']}: {request.dossier.code}", size=11)
    flow.skip(8)
    fmt = {"desk": office.desk, "agency": office.agency}
    flow.line(form["intro"].format(**fmt))
    if request.kind is DecisionKind.ACCEPT:
        _applicant(flow, texts, request)
        flow.line(f"{form['request_label']} {_procedure_name(request)}")
        _accept_body(flow, texts, form, office, request)
    else:
        flow.line(_procedure_name(request), bold=True, indent=14)
        _applicant(flow, texts, request)
        flow.skip(4)
        flow.line(form["body"].format(**fmt))
        for i, reason in enumerate(request.reasons, 1):
            flow.line(f"{i}. {reason}", indent=14)
        if request.kind is DecisionKind.REQUEST_SUPPLEMENT:
            flow.skip(4)
            flow.line(form["contact"].format(officer=request.officer_name, phone=office.phone))
        flow.line(form["apology"])
    _signatures(flow, form, request)
    _footer(doc, texts, office, request)
    doc.subset_fonts()
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return bytes(data)


def _procedure_name(request: SlipRequest) -> str:
    if request.procedure is not None:
        return request.procedure.name
    return request.dossier.procedure_name or request.dossier.procedure_code


def _header(
    flow: PageFlow,
    texts: dict[str, Any],
    form: dict[str, Any],
    office: OfficeProfile,
    request: SlipRequest,
) -> None:
    """Agency on the left, national motto on the right, number and date below."""
    mid = flow.margins.left + flow.width * 0.42
    left, right = flow.margins.left - 20, flow.margins.right + 10
    top = flow.y
    flow.centered(office.agency.upper(), size=10.5, x0=left, x1=mid)
    flow.centered(office.desk.upper(), size=10.5, bold=True, x0=left, x1=mid)
    number = request.register_number or "……"
    flow.centered(f"Số: {number}/{form['register_suffix']}", size=10.5, x0=left, x1=mid)
    below_left = flow.y
    flow.y = top
    header = texts["national_header"]
    flow.centered(header[0], size=10.5, bold=True, x0=mid, x1=right)
    flow.centered(header[1], size=11, bold=True, x0=mid, x1=right)
    motto_width = text_width(header[1], 11, BOLD)
    x = mid + (right - mid - motto_width) / 2
    flow.page.draw_line((x, flow.y + 3), (x + motto_width, flow.y + 3), width=0.6)
    flow.skip(6)
    day = request.decided_at.astimezone(VN_TZ).date()
    flow.centered(_dated(office.place, day), size=10.5, x0=mid, x1=right)
    flow.y = max(flow.y, below_left)
    # The form number sits in the top right corner, as printed in the circular.
    label = form["form_no"]
    flow.page.insert_text(
        (flow.margins.right - text_width(label, 9, REGULAR), flow.margins.top - 22),
        label,
        fontname=REGULAR,
        fontsize=9,
    )


def _applicant(flow: PageFlow, texts: dict[str, Any], request: SlipRequest) -> None:
    labels = texts["applicant_labels"]
    a = request.dossier.applicant
    flow.line(f"{labels['name']}: {a.name}", bold=True, indent=14)
    flow.line(f"{labels['citizen_id']}: {a.citizen_id}", indent=14)
    if a.address:
        flow.line(f"{labels['address']}: {a.address}", indent=14)
    contact = [f"{labels['phone']}: {a.phone}" if a.phone else "", a.email or ""]
    if any(contact):
        text = "    ".join(c for c in contact if c)
        if a.email:
            text = text.replace(a.email, f"{labels['email']}: {a.email}")
        flow.line(text, indent=14)


def _accept_body(
    flow: PageFlow,
    texts: dict[str, Any],
    form: dict[str, Any],
    office: OfficeProfile,
    request: SlipRequest,
) -> None:
    flow.line(form["components_label"])
    _components_table(flow, texts, request)
    flow.line(form["sets_label"].format(sets="01"))
    days = request.procedure.processing_days if request.procedure else None
    if days is None:
        days_text = form["no_fixed_date"]
    elif days == 0:
        days_text = "trong ngày làm việc"
    else:
        days_text = f"{days:02d} ngày làm việc"
    flow.line(form["processing_label"].format(days=days_text))
    flow.line(form["received_label"].format(received=_when(request.dossier.submitted_at)))
    if request.appointment_date is None:
        appointment = form["no_fixed_date"]
    else:
        appointment = f"ngày {request.appointment_date:%d/%m/%Y}"
    flow.line(form["appointment_label"].format(appointment=appointment), bold=True)
    flow.line(form["result_label"].format(result_location=office.result_location))
    flow.line(
        form["register_label"].format(
            book=office.register_book, number=request.register_number or "……"
        )
    )


def _components_table(flow: PageFlow, texts: dict[str, Any], request: SlipRequest) -> None:
    """STT | Tên giấy tờ | Hình thức | Số tệp."""
    left, right = flow.margins.left, flow.margins.right
    cols = [left, left + 34, right - 170, right - 50, right]
    size = 10
    heads = ["STT", "Tên giấy tờ", "Hình thức", "Số tệp"]
    rows = [
        [
            str(i),
            c.name,
            f"{texts['copy_kinds'][c.copy_kind.value]}, {texts['copy_kinds']['signed'].lower()}",
            str(len(c.attachments)),
        ]
        for i, c in enumerate(request.dossier.components, 1)
    ]
    for r, row in enumerate([heads, *rows]):
        cells = [wrap(text, cols[i + 1] - cols[i] - 8, size) for i, text in enumerate(row)]
        height = max(len(c) for c in cells) * size * 1.35 + 6
        flow.room(height + 2)
        top = flow.y + 4
        for i, lines in enumerate(cells):
            for n, text in enumerate(lines):
                flow.page.insert_text(
                    (cols[i] + 4, top + size * (1.1 + 1.35 * n)),
                    text,
                    fontname=BOLD if r == 0 else REGULAR,
                    fontsize=size,
                )
        for x in cols:
            flow.page.draw_line((x, top - 2), (x, top + height - 2), width=0.5)
        flow.page.draw_line((left, top - 2), (right, top - 2), width=0.5)
        flow.page.draw_line((left, top + height - 2), (right, top + height - 2), width=0.5)
        flow.y = top + height - 2
    flow.skip(4)


def _signatures(flow: PageFlow, form: dict[str, Any], request: SlipRequest) -> None:
    blocks = form["signatures"]
    flow.skip(18)
    flow.room(110)
    left, right = flow.margins.left, flow.margins.right
    width = (right - left) / 2
    top = flow.y
    for i, (title, hint) in enumerate(reversed(blocks)):
        x1 = right - i * width
        x0 = x1 - width
        flow.y = top
        flow.centered(title, size=11, bold=True, x0=x0, x1=x1)
        flow.centered(hint, size=9.5, x0=x0, x1=x1)
        if i == 0:  # the officer's block is the right-hand one
            flow.y += 62
            flow.centered(request.officer_name, size=11, bold=True, x0=x0, x1=x1)
        else:
            flow.y += 62
            flow.centered(request.dossier.applicant.name, size=11, bold=True, x0=x0, x1=x1)


def _footer(
    doc: pymupdf.Document, texts: dict[str, Any], office: OfficeProfile, request: SlipRequest
) -> None:
    page = doc[0]
    url = office.lookup_url.format(code=request.dossier.code)
    qr = pymupdf.Rect(page.rect.width - 118, 742, page.rect.width - 48, 812)
    _qr(page, url, qr)
    lines = [
        *wrap(texts["circular_note"], qr.x0 - 72, 7.5),
        *wrap(f"{texts['applicant_labels']['lookup']}: {url}", qr.x0 - 72, 7.5),
    ]
    for n, text in enumerate(lines):
        page.insert_text(
            (62, qr.y1 - 9.5 * (len(lines) - 1 - n)), text, fontsize=7.5, fontname=REGULAR
        )
    if request.test_mode:
        for number in range(doc.page_count):
            p = doc[number]
            start = pymupdf.Point(80, 690)  # lower left, rising across the page
            p.insert_text(
                start,
                "DEMO — CHẾ ĐỘ THỬ NGHIỆM",
                fontname=BOLD,
                fontsize=32,
                color=(0.85, 0.2, 0.2),
                fill_opacity=0.25,
                morph=(start, pymupdf.Matrix(35)),
            )


def _qr(page: pymupdf.Page, text: str, rect: pymupdf.Rect) -> None:
    """Draw a QR code for ``text`` as vector squares filling ``rect``."""
    matrix = list(segno.make(text, error="m").matrix_iter(border=1))
    cell = min(rect.width, rect.height) / len(matrix)
    shape = page.new_shape()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                x0 = rect.x0 + x * cell
                y0 = rect.y0 + y * cell
                shape.draw_rect(pymupdf.Rect(x0, y0, x0 + cell, y0 + cell))
    shape.finish(color=None, fill=(0, 0, 0), width=0)
    shape.commit()
