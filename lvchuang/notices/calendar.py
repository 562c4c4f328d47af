"""The database side of working days: the administrator's day overrides fed to `lvchuang.lib.workdays`."""

from __future__ import annotations

import datetime

from lvchuang.campaigns.models import Program
from lvchuang.lib import workdays
from lvchuang.notices.models import DayOverride, Notice


def overrides_from(year: int) -> dict[datetime.date, bool]:
    """Every override of `year` and later: whole years, because one override marks a year as arranged."""
    return dict(
        DayOverride.objects.filter(date__gte=datetime.date(year, 1, 1)).values_list("date", "is_workday")
    )


def window_for(
    *,
    publish_day: datetime.date,
    program: Program | Notice | None = None,
    length: int | None = None,
    day_kind: str | None = None,
) -> workdays.Window:
    """The window of a notice published on `publish_day`, by the rule of `program` (or a notice that copied it),
    or by an explicit `length` and `day_kind`."""
    if program is not None:
        if isinstance(program, Notice):
            length, day_kind = program.length, program.day_kind
        else:
            length, day_kind = program.notice_length, program.notice_day_kind
    if length is None or day_kind is None:
        raise ValueError("give a program, or a length and a day kind")
    return workdays.notice_window(publish_day, length, day_kind, overrides_from(publish_day.year))


def is_workday(day: datetime.date) -> bool:
    return workdays.is_workday(day, overrides_from(day.year))


def days_of(start: datetime.date, end: datetime.date) -> list[workdays.Day]:
    return workdays.days_between(start, end, overrides_from(start.year))
