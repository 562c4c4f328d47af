"""Working days under the State Council's holiday arrangement, and the window of a public notice (公示期).

Rest days are weekends and public holidays; a make-up working day (调休上班), such as Saturday 14 February 2026
before the Spring Festival, is a working day. The `chinesecalendar` package carries the published arrangements
(2004–2026 in version 1.11.0). `overrides` maps a date to True (a working day) or False (a rest day) and wins
over the package: the administrator enters a year's arrangement there once the State Council publishes it, or
corrects a day.

A year the package does not know counts as arranged as soon as one override falls in it. Until then its
weekends alone are rest days and every answer that relied on it is marked provisional: a notice window crossing
such a year tells the public that its end date may still move.

Nothing here knows the models: `lvchuang.notices.calendar` reads the overrides and feeds them in.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import NamedTuple

import chinese_calendar  # type: ignore[import-untyped]  # the package ships no type information

Overrides = Mapping[datetime.date, bool]

WORKING = "working"  # counted in working days (工作日)
CALENDAR = "calendar"  # counted in calendar days (自然日)
DAY_KINDS = (WORKING, CALENDAR)

SATURDAY = 5
ONE_DAY = datetime.timedelta(days=1)
NO_OVERRIDES: Overrides = {}


class Window(NamedTuple):
    """A notice window: the first and last day, both inclusive, and whether a guessed calendar was used."""

    starts_on: datetime.date
    ends_on: datetime.date
    provisional: bool


class Day(NamedTuple):
    date: datetime.date
    is_workday: bool
    provisional: bool


def package_knows(year: int) -> bool:
    """Whether the packaged calendar holds the State Council's arrangement for `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def year_is_arranged(year: int, overrides: Overrides = NO_OVERRIDES) -> bool:
    """The package knows the year, or the administrator has entered (part of) its arrangement."""
    return package_knows(year) or any(day.year == year for day in overrides)


def day_of(day: datetime.date, overrides: Overrides = NO_OVERRIDES) -> Day:
    """The kind of `day`: an override first, then the packaged calendar, then weekends alone (provisional)."""
    if day in overrides:
        return Day(day, bool(overrides[day]), provisional=False)
    try:
        return Day(day, bool(chinese_calendar.is_workday(day)), provisional=False)
    except NotImplementedError:
        provisional = not year_is_arranged(day.year, overrides)
        return Day(day, day.weekday() < SATURDAY, provisional=provisional)


def is_workday(day: datetime.date, overrides: Overrides = NO_OVERRIDES) -> bool:
    return day_of(day, overrides).is_workday


def is_provisional(day: datetime.date, overrides: Overrides = NO_OVERRIDES) -> bool:
    return day_of(day, overrides).provisional


def next_workday(day: datetime.date, overrides: Overrides = NO_OVERRIDES) -> tuple[datetime.date, bool]:
    """`day` when it is a working day, else the first working day after it; and whether it is provisional."""
    provisional = False
    while True:
        found = day_of(day, overrides)
        provisional = provisional or found.provisional
        if found.is_workday:
            return day, provisional
        day += ONE_DAY


def nth_workday(
    start: datetime.date, count: int, overrides: Overrides = NO_OVERRIDES
) -> tuple[datetime.date, bool]:
    """The `count`-th working day counted from `start` inclusive (count ≥ 1), and whether it is provisional."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day, seen, provisional = start, 0, False
    while True:
        found = day_of(day, overrides)
        provisional = provisional or found.provisional
        if found.is_workday:
            seen += 1
            if seen == count:
                return day, provisional
        day += ONE_DAY


def workdays_between(start: datetime.date, end: datetime.date, overrides: Overrides = NO_OVERRIDES) -> int:
    """How many working days lie in [start, end], both inclusive (0 when end < start)."""
    return sum(1 for day in days_between(start, end, overrides) if day.is_workday)


def days_between(start: datetime.date, end: datetime.date, overrides: Overrides = NO_OVERRIDES) -> list[Day]:
    """Every day of [start, end] with its kind, for a calendar shown to the user."""
    days = []
    day = start
    while day <= end:
        days.append(day_of(day, overrides))
        day += ONE_DAY
    return days


def notice_window(
    publish_day: datetime.date, length: int, day_kind: str, overrides: Overrides = NO_OVERRIDES
) -> Window:
    """The window of a notice published on `publish_day` and lasting `length` days of `day_kind`.

    In working days it starts on the publishing day, or the next working day when that is a rest day, and ends
    on the `length`-th working day counted from the start. In calendar days it starts on the publishing day and
    ends `length - 1` days later; holidays do not matter, so it is never provisional.
    """
    if length < 1:
        raise ValueError("length must be at least 1")
    if day_kind == CALENDAR:
        return Window(publish_day, publish_day + datetime.timedelta(days=length - 1), provisional=False)
    if day_kind != WORKING:
        raise ValueError(f"unknown day kind: {day_kind!r}")
    starts_on, provisional_start = next_workday(publish_day, overrides)
    ends_on, provisional_end = nth_workday(starts_on, length, overrides)
    return Window(starts_on, ends_on, provisional=provisional_start or provisional_end)
