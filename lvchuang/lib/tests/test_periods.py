import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lvchuang.lib.periods import month_day, quarters


def test_it_dues_each_quarter_ten_days_after_it_ends():
    due = [period.due_on for period in quarters(2026, days_after=10)]
    assert due == [
        datetime.date(2026, 4, 10),
        datetime.date(2026, 7, 10),
        datetime.date(2026, 10, 10),
        datetime.date(2027, 1, 10),
    ]
    assert [period.key for period in quarters(2026, days_after=10)] == [
        "2026Q1",
        "2026Q2",
        "2026Q3",
        "2026Q4",
    ]


@given(st.integers(min_value=1900, max_value=2200), st.integers(min_value=0, max_value=60))
def test_the_quarters_tile_the_year(year, days_after):
    periods = quarters(year, days_after=days_after)
    assert periods[0].starts_on == datetime.date(year, 1, 1)
    assert periods[-1].ends_on == datetime.date(year, 12, 31)
    for before, after in itertools.pairwise(periods):
        assert after.starts_on == before.ends_on + datetime.timedelta(days=1)
    assert all((p.due_on - p.ends_on).days == days_after for p in periods)


def test_it_reads_a_month_day_in_a_year():
    assert month_day(2026, "05-31") == datetime.date(2026, 5, 31)
    assert month_day(2026, "02-29") == datetime.date(2026, 2, 28)
    assert month_day(2028, "02-29") == datetime.date(2028, 2, 29)


@pytest.mark.parametrize("text", ["13-01", "00-10", "05-32", "five"])
def test_it_refuses_what_is_not_a_month_day(text):
    with pytest.raises(ValueError, match=r"month-day|invalid literal"):
        month_day(2026, text)
