"""Python dates as Qt's, for the date pickers (PySide's QDate has no typed overload for them)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate


def qdate(day: date) -> QDate:
    """Return ``day`` as a QDate."""
    return QDate(day.year, day.month, day.day)
