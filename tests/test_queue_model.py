"""The intake queue: quick filter without diacritics, sorting, deadlines, 10,000 rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from intake_desktop.domain import DossierStatus
from intake_desktop.services.dossier_check import SignatureBadge
from intake_desktop.services.queue import QueueRow, with_search_key
from intake_desktop.services.text_search import fold, matches
from intake_desktop.services.working_days import VN_TZ, OfficeCalendar
from intake_desktop.ui.queue_model import QueueModel

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN_TZ)
CAL = OfficeCalendar()
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Đặng Thị Hồng Nhung"]


def rows(n: int) -> list[QueueRow]:
    out = []
    for i in range(n):
        submitted = NOW - timedelta(hours=3 * i)
        out.append(
            with_search_key(
                QueueRow(
                    code=f"000.00.53.H48-261120-{i:04d}",
                    procedure_code="1.001193.000.00.00.H48",
                    procedure_name="Đăng ký khai sinh" if i % 2 else "Đăng ký kết hôn",
                    applicant_name=NAMES[i % 4],
                    citizen_id=f"0010{i:08d}",
                    submitted_at=submitted,
                    deadline=CAL.intake_deadline(submitted),
                    component_count=2 + i % 3,
                    status=DossierStatus.AWAITING_INTAKE if i % 5 else DossierStatus.ACCEPTED,
                    badge=list(SignatureBadge)[i % 5],
                )
            )
        )
    return out


def model() -> QueueModel:
    return QueueModel(lambda: NOW, CAL.working_hours_left)


def test_fold_and_match() -> None:
    assert fold("  Đặng Thị HỒNG  Nhung ") == "dang thi hong nhung"
    assert matches("nguyen van an", fold("Nguyễn Văn An"))
    assert not matches("nguyen van binh", fold("Nguyễn Văn An"))


def test_filter_ignores_diacritics_and_status_filter(qapp) -> None:  # type: ignore[no-untyped-def]
    m = model()
    m.set_rows(rows(40))
    assert m.rowCount() == 32  # awaiting intake only, by default
    m.set_query("nguyen van an")
    assert {m.row_at(i).applicant_name for i in range(m.rowCount())} == {"Nguyễn Văn An"}
    m.set_query("dang ky ket hon dang thi")
    assert all(m.row_at(i).applicant_name.startswith("Đặng") for i in range(m.rowCount()))
    m.set_query("001000000007")
    m.set_statuses(None)
    assert m.rowCount() == 1
    m.set_query("H48-261120-0007")
    assert m.rowCount() == 1


def test_sort_every_column_and_keep_rows(qapp) -> None:  # type: ignore[no-untyped-def]
    m = model()
    m.set_rows(rows(30))
    for column in range(m.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            m.sort(column, order)
            codes = [m.row_at(i).code for i in range(m.rowCount())]
            assert len(set(codes)) == m.rowCount()
    m.sort(4, Qt.SortOrder.AscendingOrder)
    deadlines = [m.row_at(i).deadline for i in range(m.rowCount())]
    assert deadlines == sorted(deadlines)


def test_deadline_text_and_colour(qapp) -> None:  # type: ignore[no-untyped-def]
    m = model()
    m.set_rows(rows(40))
    m.sort(4, Qt.SortOrder.AscendingOrder)
    first = m.index(0, 4)
    assert "quá hạn" in first.data()
    assert first.data(Qt.ItemDataRole.ForegroundRole).name() == "#c62828"
    last = m.index(m.rowCount() - 1, 4)
    assert "còn" in last.data()


def test_ten_thousand_rows(qapp) -> None:  # type: ignore[no-untyped-def]
    m = model()
    m.set_rows(rows(10_000))
    m.set_query("hong nhung")
    assert m.rowCount() == 2000
    assert m.counts()[DossierStatus.ACCEPTED] == 2000


def test_a_status_the_desk_does_not_know_shows_the_systems_words(qapp) -> None:  # type: ignore[no-untyped-def]
    m = model()
    plain = rows(3)
    odd = replace(plain[0], status=DossierStatus.OTHER, raw_status="Tạm dừng (99)")
    m.set_rows([odd, *plain[1:]])
    assert m.counts() == {
        DossierStatus.AWAITING_INTAKE: 2,
        DossierStatus.ACCEPTED: 0,
        DossierStatus.SUPPLEMENT_REQUESTED: 0,
        DossierStatus.REFUSED: 0,
        DossierStatus.OTHER: 1,
    }
    assert m.rowCount() == 2  # not in the default "awaiting intake" view: not the desk's work
    m.set_statuses(None)
    column = QueueModel.COLUMNS.index("status")
    m.sort(column, Qt.SortOrder.DescendingOrder)  # sorts last, without tripping the sort
    cell = m.index(0, column)
    assert m.row_at(0).code == odd.code
    assert cell.data() == "Trạng thái khác: Tạm dừng (99)"
    assert "chỉ được xem" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert m.index(1, column).data(Qt.ItemDataRole.ToolTipRole) is None
    # Without any, the status bar's counts do not mention a status that never occurs.
    m.set_rows(plain)
    assert DossierStatus.OTHER not in m.counts()
