"""Reads of the calendar page: the month asked for, and its grid of days with their events and day kinds.

Day kinds follow the State Council's arrangement as `lvchuang.lib.workdays` reads it (the packaged calendar,
then the administrator's day overrides, which win): a public holiday is marked 休 with its name, a make-up
working day on a weekend 班.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

import chinese_calendar  # type: ignore[import-untyped]  # the package ships no type information
from django.utils.translation import gettext_lazy as _

from lvchuang.agenda.events import Event
from lvchuang.lib import workdays
from lvchuang.notices.models import DayOverride

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100
WEEKDAYS = (_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日"))  # Monday first
SATURDAY = 5

# The packaged calendar names its holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": _("元旦"),
    "Spring Festival": _("春节"),
    "Tomb-sweeping Day": _("清明节"),
    "Labour Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "National Day": _("国庆节"),
    "Mid-autumn Festival": _("中秋节"),
    "Anti-Fascist 70th Day": _("中国人民抗日战争暨世界反法西斯战争胜利纪念日"),
}


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    @property
    def key(self) -> str:
        """As in `?month=2026-11`."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def has_previous(self) -> bool:
        return self.previous.year >= FIRST_YEAR

    @property
    def has_next(self) -> bool:
        return self.next.year <= LAST_YEAR


def parse_month(text: str | None, *, today: datetime.date) -> Month | None:
    """`YYYY-MM` between 2000 and 2100; this month when blank; None when malformed."""
    if not text:
        return Month(today.year, today.month)
    match = MONTH_PATTERN.match(text.strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return Month(year, month)


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    in_month: bool
    is_today: bool
    is_rest: bool  # a weekend or a holiday, not a make-up working day
    holiday: str  # the holiday's name on a public holiday, "" otherwise
    is_makeup: bool  # 调休上班: a weekend day that is a working day
    provisional: bool  # the year's arrangement is not known yet: only weekends are rest days
    events: list[Event] = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= SATURDAY


def grid_range(month: Month) -> tuple[datetime.date, datetime.date]:
    """The first and last day shown: whole weeks, Monday first."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return weeks[0][0], weeks[-1][-1]


def month_grid(month: Month, events: list[Event], *, today: datetime.date) -> list[list[CalendarDay]]:
    """The weeks of the month (Monday first) with each day's kind and events. Two queries: none for the events
    (given), one for the day overrides of the years shown."""
    first, last = grid_range(month)
    rows = DayOverride.objects.filter(date__gte=datetime.date(first.year, 1, 1)).values_list(
        "date", "is_workday", "name"
    )
    overrides: dict[datetime.date, bool] = {}
    names: dict[datetime.date, str] = {}
    for day, is_workday, name in rows:
        overrides[day] = is_workday
        names[day] = name
    by_day: dict[datetime.date, list[Event]] = defaultdict(list)
    for event in events:
        by_day[event.on].append(event)
    days = [
        _calendar_day(day, month=month, today=today, names=names, events=by_day[day.date])
        for day in workdays.days_between(first, last, overrides)
    ]
    return [days[start : start + 7] for start in range(0, len(days), 7)]


def _calendar_day(
    day: workdays.Day,
    *,
    month: Month,
    today: datetime.date,
    names: dict[datetime.date, str],
    events: list[Event],
) -> CalendarDay:
    weekend = day.date.weekday() >= SATURDAY
    holiday = ""
    if not day.is_workday:
        # A weekend inside a holiday (国庆节 on 3 October) carries the holiday's name too; a plain weekend none.
        holiday = names.get(day.date) or _holiday_name(day.date)
        if not holiday and not weekend:
            holiday = str(_("休息日"))
    return CalendarDay(
        date=day.date,
        in_month=day.date.month == month.month,
        is_today=day.date == today,
        is_rest=not day.is_workday,
        holiday=holiday,
        is_makeup=day.is_workday and weekend,
        provisional=day.provisional,
        events=events,
    )


def _holiday_name(day: datetime.date) -> str:
    try:
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the package does not know
        return ""
    return str(HOLIDAY_NAMES.get(name, name or ""))
