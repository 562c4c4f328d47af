"""Calendar-month arithmetic for deadlines given in months (rectification, filing).

"One month after 15 March" is 15 April; a day the later month does not have becomes its last day, so one month
after 31 January is 28 (or 29) February and one month after 31 May is 30 June. This is how a deadline "within one
month" (seed 002, seed 003) is read in practice.
"""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later (earlier when negative), clamped to the end of that month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise OverflowError("date out of range")
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
