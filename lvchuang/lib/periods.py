"""Reporting periods (报送期): the quarters of a year and their due dates, and month-day dates of a year.

Seed 004: every joint-meeting member reports "within 10 days after each quarter ends", so the first quarter's
report is due on 10 April and the fourth quarter's on 10 January of the next year. Dates in the defaults are
month-days of the campaign's year ("05-31"); 29 February in a common year becomes 28 February.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    key: str  # "2026Q1"; "" for a one-off requirement
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date


def quarters(year: int, *, days_after: int) -> list[Period]:
    """The four quarters of `year`, each due `days_after` days after its last day."""
    periods = []
    for number in range(1, 5):
        first_month = 3 * number - 2
        last_month = first_month + 2
        starts_on = datetime.date(year, first_month, 1)
        ends_on = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
        periods.append(
            Period(
                key=f"{year}Q{number}",
                starts_on=starts_on,
                ends_on=ends_on,
                due_on=ends_on + datetime.timedelta(days=days_after),
            )
        )
    return periods


def month_day(year: int, text: str) -> datetime.date:
    """`"05-31"` in `year`; a day the month does not have that year becomes the month's last day."""
    month_text, _, day_text = text.partition("-")
    month, day = int(month_text), int(day_text)
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise ValueError(f"not a month-day: {text!r}")
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))
