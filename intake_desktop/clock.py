"""The one clock of the app: "now" and "today" in Vietnam time, whatever the machine's zone.

A desk in Kon Tum works on Vietnam dates even on a laptop left on UTC: every "today", default
date range, deadline and working-day count takes its moment from a :class:`Clock`, so tests
inject a :class:`FixedClock` (or a ticking one) instead of reading the machine's calendar.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Asia/Ho_Chi_Minh: UTC+07:00 all year (no daylight saving)."""


class Clock(Protocol):
    """Where the app reads the time."""

    def now(self) -> datetime:
        """Return the current moment, aware, in Vietnam time."""
        ...


class SystemClock:
    """The machine's clock, read in Vietnam time."""

    def now(self) -> datetime:
        return datetime.now(VN_TZ)


class FixedClock:
    """A clock that says what it is told (tests, benchmarks, replays); ``advance`` moves it."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a clock's moment must be timezone-aware")
        self._moment = moment.astimezone(VN_TZ)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._moment

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._moment += delta

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a clock's moment must be timezone-aware")
        with self._lock:
            self._moment = moment.astimezone(VN_TZ)


SYSTEM_CLOCK: Clock = SystemClock()


def vn_now(clock: Clock | None = None) -> datetime:
    """Return ``clock``'s now (the system clock's by default) in Vietnam time."""
    return (clock or SYSTEM_CLOCK).now().astimezone(VN_TZ)


def vn_today(clock: Clock | None = None) -> date:
    """Return today's date in Vietnam (not the machine's zone, not UTC)."""
    return vn_now(clock).date()


def vn_date(moment: datetime) -> date:
    """Return the Vietnam calendar date of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("a moment must be timezone-aware to have a Vietnam date")
    return moment.astimezone(VN_TZ).date()
