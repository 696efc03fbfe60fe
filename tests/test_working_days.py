"""Appointment dates and reception deadlines on the Vietnamese calendar."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from intake_desktop.services.working_days import VN_TZ, OfficeCalendar

CAL = OfficeCalendar()


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def test_tet_2027_is_skipped() -> None:
    # Thursday 4 Feb 2027 to Wednesday 10 Feb are Tết holidays.
    assert CAL.appointment_date(at(2027, 2, 3), 3) == date(2027, 2, 15)


def test_same_day_procedure_and_the_1500_cut_off() -> None:
    assert CAL.appointment_date(at(2026, 11, 20, 14, 59), 0) == date(2026, 11, 20)
    # After 15:00 on Friday: counts from Monday.
    assert CAL.appointment_date(at(2026, 11, 20, 15, 30), 0) == date(2026, 11, 23)


def test_vietnam_cultural_day_from_2026() -> None:
    assert CAL.holiday_name(date(2026, 11, 24)) is not None
    assert CAL.appointment_date(at(2026, 11, 23), 1) == date(2026, 11, 25)


def test_weekend_submission_counts_from_monday() -> None:
    saturday = at(2026, 11, 21, 10)
    assert CAL.counting_start(saturday) == date(2026, 11, 23)
    assert CAL.appointment_date(saturday, 3) == date(2026, 11, 27)  # Tue 24 is a holiday


def test_national_day_and_swapped_day() -> None:
    assert not CAL.is_working_day(date(2026, 9, 2))
    # Mon 31/8 is off (swapped with Sat 22/8, which is worked); 2/9 is National Day.
    assert CAL.is_working_day(date(2026, 8, 22)) and not CAL.is_working_day(date(2026, 8, 31))
    assert CAL.appointment_date(at(2026, 8, 28), 2) == date(2026, 9, 4)


@pytest.mark.parametrize("saturday_morning", [False, True])
def test_saturday_reception_is_an_office_setting(saturday_morning: bool) -> None:
    cal = OfficeCalendar(saturday_morning=saturday_morning)
    assert cal.is_reception_day(date(2026, 11, 21)) is saturday_morning
    assert not cal.is_working_day(date(2026, 11, 21))


def test_intake_deadline_and_hours_left() -> None:
    cal = OfficeCalendar(intake_days=1)
    deadline = cal.intake_deadline(at(2026, 11, 19, 16, 0))  # Thu after cut-off -> Fri -> Mon
    assert deadline == datetime.combine(date(2026, 11, 23), time(17, 0), tzinfo=VN_TZ)
    assert cal.working_hours_left(deadline, at(2026, 11, 23, 15, 0)) == pytest.approx(2.0)
    assert cal.working_hours_left(deadline, at(2026, 11, 20, 9, 0)) == pytest.approx(16.0)
    assert cal.working_hours_left(deadline, at(2026, 11, 23, 18, 0)) < 0
