"""Deadlines in calendar months: the same day N months later, clamped to the end of a shorter month."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from lvchuang.lib.months import add_months

properties = settings(max_examples=200, derandomize=True, deadline=None)
days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))


def test_it_keeps_the_day_of_the_month():
    assert add_months(datetime.date(2026, 3, 15), 1) == datetime.date(2026, 4, 15)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_it_clamps_to_the_end_of_a_shorter_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 5, 31), 1) == datetime.date(2026, 6, 30)


def test_it_crosses_the_year_and_goes_back():
    assert add_months(datetime.date(2026, 12, 10), 1) == datetime.date(2027, 1, 10)
    assert add_months(datetime.date(2026, 1, 10), -1) == datetime.date(2025, 12, 10)
    assert add_months(datetime.date(2026, 6, 1), 0) == datetime.date(2026, 6, 1)


@properties
@given(day=days, months=st.integers(min_value=0, max_value=240))
def test_it_lands_in_the_right_month_never_before_the_start(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later >= day
    assert later.day == day.day or (later.day < day.day and (later + datetime.timedelta(days=1)).day == 1)


@properties
@given(day=days, months=st.integers(min_value=0, max_value=240))
def test_a_day_every_month_has_goes_and_comes_back(day, months):
    start = day.replace(day=min(day.day, 28))
    assert add_months(add_months(start, months), -months) == start
