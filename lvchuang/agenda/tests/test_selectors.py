"""The month asked for and its grid: Monday first, holidays and make-up working days marked."""

from __future__ import annotations

import datetime

import pytest

from lvchuang.agenda.events import Event
from lvchuang.agenda.selectors import Month, grid_range, month_grid, parse_month

TODAY = datetime.date(2026, 9, 25)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        (None, Month(2026, 9)),
        ("", Month(2026, 9)),
        ("2026-11", Month(2026, 11)),
        (" 2027-01 ", Month(2027, 1)),
        ("2026-13", None),
        ("2026-1", None),
        ("1999-12", None),
        ("2101-01", None),
        ("十一月", None),
    ],
)
def test_it_reads_the_month_or_refuses_it(text, month) -> None:
    assert parse_month(text, today=TODAY) == month


def test_months_step_over_the_year() -> None:
    assert Month(2026, 12).next == Month(2027, 1)
    assert Month(2026, 1).previous == Month(2025, 12)
    assert Month(2026, 2).last == datetime.date(2026, 2, 28)
    assert Month(2026, 11).key == "2026-11"
    assert not Month(2000, 1).has_previous
    assert not Month(2100, 12).has_next


def test_the_grid_is_whole_weeks_from_monday() -> None:
    first, last = grid_range(Month(2026, 10))
    assert (first, last) == (datetime.date(2026, 9, 28), datetime.date(2026, 11, 1))
    assert first.weekday() == 0
    assert last.weekday() == 6


@pytest.mark.django_db
def test_it_marks_national_day_and_the_make_up_saturday() -> None:
    weeks = month_grid(Month(2026, 10), [], today=TODAY)
    days = {day.date: day for week in weeks for day in week}
    assert all(len(week) == 7 for week in weeks)
    national_day = days[datetime.date(2026, 10, 1)]
    assert (national_day.is_rest, national_day.holiday) == (True, "国庆节")
    assert days[datetime.date(2026, 10, 3)].holiday == "国庆节"  # a Saturday inside the holiday
    make_up = days[datetime.date(2026, 10, 10)]
    assert (make_up.is_rest, make_up.is_makeup, make_up.holiday) == (False, True, "")
    weekend = days[datetime.date(2026, 10, 18)]
    assert (weekend.is_rest, weekend.holiday) == (True, "")
    assert not days[datetime.date(2026, 9, 28)].in_month
    assert days[datetime.date(2026, 10, 12)].in_month


@pytest.mark.django_db
def test_it_puts_each_event_on_its_day_and_marks_today() -> None:
    event = Event(
        datetime.date(2026, 9, 30), "stage", "申报推选阶段截止", "", "/campaigns/1/", "stage-end-1@lvchuang"
    )
    weeks = month_grid(Month(2026, 9), [event], today=TODAY)
    days = {day.date: day for week in weeks for day in week}
    assert days[datetime.date(2026, 9, 30)].events == [event]
    assert days[TODAY].is_today
    assert [day.date for day in days.values() if day.is_today] == [TODAY]
