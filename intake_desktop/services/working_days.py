"""Working days of a Vietnamese one-stop desk: appointment dates and reception deadlines.

Public holidays (Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9, 24/11 from 2026) and the
government's yearly day swaps come from the ``holidays`` package's Vietnam calendar.
Office habits are settings: Saturday-morning reception, and the 15:00 cut-off after which a
dossier counts from the next working day (common practice for civil-status dossiers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays

from intake_desktop.clock import VN_TZ as VN_TZ  # re-exported: older imports name it here


@dataclass(frozen=True)
class OfficeCalendar:
    """When the desk works, and how processing time is counted."""

    cutoff: time = time(15, 0)
    """A dossier received after this time counts from the next working day."""
    closing: time = time(17, 0)
    """End of the working day: deadlines fall at this time."""
    saturday_morning: bool = False
    """The desk also receives on Saturday mornings (reception only; processing days stay
    Monday to Friday)."""
    intake_days: int = 1
    """Working days the desk has to accept or return an online dossier."""
    _cache: dict[int, holidays.HolidayBase] = field(default_factory=dict, repr=False, compare=False)

    def _calendar(self, year: int) -> holidays.HolidayBase:
        if year not in self._cache:
            self._cache[year] = holidays.country_holidays("VN", years=year)
        return self._cache[year]

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on ``day``, if any."""
        name = self._calendar(day.year).get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday except public holidays, plus the Saturdays swapped to work."""
        return bool(self._calendar(day.year).is_working_day(day))

    def is_reception_day(self, day: date) -> bool:
        """A day the desk receives: working days, and Saturdays when the office opens then."""
        if self.is_working_day(day):
            return True
        return self.saturday_morning and day.weekday() == 5 and self.holiday_name(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """``start`` plus ``count`` working days (``count`` = 0 gives ``start``)."""
        day = start
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def counting_start(self, received_at: datetime) -> date:
        """The working day a dossier received at ``received_at`` counts from.

        After the cut-off, on a Saturday, or on a holiday, it counts from the next working day.
        """
        local = received_at.astimezone(VN_TZ)
        day = local.date()
        if self.is_working_day(day) and local.time() <= self.cutoff:
            return day
        return self.next_working_day(day)

    def appointment_date(self, received_at: datetime, processing_days: int) -> date:
        """Ngày hẹn trả kết quả for a procedure of ``processing_days`` working days.

        Zero means "the same day" (the counting day, after the cut-off rule).
        """
        return self.add_working_days(self.counting_start(received_at), processing_days)

    def intake_deadline(self, submitted_at: datetime) -> datetime:
        """When the desk must have accepted or returned an online dossier."""
        day = self.add_working_days(self.counting_start(submitted_at), self.intake_days)
        return datetime.combine(day, self.closing, tzinfo=VN_TZ)

    def working_hours_left(self, deadline: datetime, now: datetime) -> float:
        """Working hours until ``deadline``: the rest of today (at most 8) plus 8 for each
        working day up to the deadline's day. Negative (clock hours) when overdue."""
        if now >= deadline:
            return -(now - deadline).total_seconds() / 3600
        local = now.astimezone(VN_TZ)
        hours = 0.0
        day = local.date()
        end_today = datetime.combine(day, self.closing, tzinfo=VN_TZ)
        if self.is_working_day(day) and local < end_today:
            hours += min((end_today - local).total_seconds() / 3600, 8.0)
        while True:
            day = self.next_working_day(day)
            if day > deadline.astimezone(VN_TZ).date():
                break
            hours += 8.0
        return hours
