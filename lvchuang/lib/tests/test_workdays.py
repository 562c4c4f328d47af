"""Working days and notice windows under the State Council's holiday arrangement.

Every holiday below was checked against the `chinesecalendar` package itself before it was asserted
(`test_the_package_holds_the_arrangements_these_tests_rely_on`), so a wrong date in a test fails loudly there.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvchuang.lib.workdays import (
    CALENDAR,
    WORKING,
    Window,
    days_between,
    is_provisional,
    is_workday,
    next_workday,
    notice_window,
    nth_workday,
    package_knows,
    workdays_between,
    year_is_arranged,
)

D = datetime.date
properties = settings(max_examples=80, derandomize=True, deadline=None)


def span(first: D, last: D) -> list[D]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("holiday", "make_up_days"),
    [
        # 2026 Spring Festival: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked.
        ((D(2026, 2, 15), D(2026, 2, 23)), (D(2026, 2, 14), D(2026, 2, 28))),
        # 2026 National Day: 1–7 Oct off; Sun 20 Sep and Sat 10 Oct worked.
        ((D(2026, 10, 1), D(2026, 10, 7)), (D(2026, 9, 20), D(2026, 10, 10))),
        # 2025 Spring Festival: 28 Jan–4 Feb off; Sun 26 Jan and Sat 8 Feb worked.
        ((D(2025, 1, 28), D(2025, 2, 4)), (D(2025, 1, 26), D(2025, 2, 8))),
        # 2025 National Day and Mid-Autumn: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct worked.
        ((D(2025, 10, 1), D(2025, 10, 8)), (D(2025, 9, 28), D(2025, 10, 11))),
    ],
)
def test_the_package_holds_the_arrangements_these_tests_rely_on(holiday, make_up_days):
    assert not any(is_workday(day) for day in span(*holiday))
    assert all(is_workday(day) for day in make_up_days)
    assert all(day.weekday() >= 5 for day in make_up_days)
    assert not any(is_provisional(day) for day in (*span(*holiday), *make_up_days))


def test_weekdays_are_working_days_and_weekends_rest_days_in_an_ordinary_week():
    week = span(D(2026, 3, 9), D(2026, 3, 15))
    assert [is_workday(day) for day in week] == [True] * 5 + [False] * 2


def test_a_seven_working_day_notice_across_the_2026_spring_festival():
    # Published Thu 12 Feb: 12, 13, Sat 14 (make-up), then the holiday 15–23, then 24, 25, 26, 27.
    assert notice_window(D(2026, 2, 12), 7, WORKING) == Window(D(2026, 2, 12), D(2026, 2, 27), False)
    # Published on the first day of the holiday: it starts when work resumes, Tue 24, and the make-up Saturday
    # 28 Feb is its fifth working day: 24, 25, 26, 27, Sat 28, Mon 2 Mar, Tue 3 Mar.
    assert notice_window(D(2026, 2, 15), 7, WORKING) == Window(D(2026, 2, 24), D(2026, 3, 3), False)
    assert nth_workday(D(2026, 2, 24), 5) == (D(2026, 2, 28), False)
    assert workdays_between(D(2026, 2, 24), D(2026, 3, 3)) == 7


def test_a_seven_working_day_notice_across_national_day_2026():
    # Published Fri 18 Sep: 18, Sun 20 (make-up), 21, 22, 23, 24, then the Mid-Autumn Festival 25–27, then 28.
    assert notice_window(D(2026, 9, 18), 7, WORKING) == Window(D(2026, 9, 18), D(2026, 9, 28), False)
    # Published Tue 29 Sep: 29, 30, then 1–7 Oct off, then 8, 9, Sat 10 (make-up), Mon 12.
    assert notice_window(D(2026, 9, 29), 7, WORKING) == Window(D(2026, 9, 29), D(2026, 10, 13), False)
    assert nth_workday(D(2026, 9, 29), 5) == (D(2026, 10, 10), False)


def test_a_seven_working_day_notice_across_the_2025_spring_festival():
    # Published Fri 24 Jan 2025: 24, Sun 26 (make-up), 27, then 28 Jan–4 Feb off, then 5, 6, 7, Sat 8 (make-up).
    assert notice_window(D(2025, 1, 24), 7, WORKING) == Window(D(2025, 1, 24), D(2025, 2, 8), False)
    # Published during the holiday: starts Wed 5 Feb: 5, 6, 7, Sat 8, 10, 11, 12.
    assert notice_window(D(2025, 2, 1), 7, WORKING) == Window(D(2025, 2, 5), D(2025, 2, 12), False)


def test_a_seven_working_day_notice_across_national_day_2025():
    # Published Fri 26 Sep 2025: 26, Sun 28 (make-up), 29, 30, then 1–8 Oct off, then 9, 10, Sat 11 (make-up).
    assert notice_window(D(2025, 9, 26), 7, WORKING) == Window(D(2025, 9, 26), D(2025, 10, 11), False)


def test_a_notice_published_on_a_weekend_starts_on_the_next_working_day():
    assert next_workday(D(2026, 3, 14)) == (D(2026, 3, 16), False)
    assert notice_window(D(2026, 3, 14), 5, WORKING) == Window(D(2026, 3, 16), D(2026, 3, 20), False)


def test_a_calendar_day_notice_counts_every_day_from_the_publishing_day():
    assert notice_window(D(2026, 2, 14), 7, CALENDAR) == Window(D(2026, 2, 14), D(2026, 2, 20), False)
    assert notice_window(D(2027, 3, 6), 1, CALENDAR) == Window(D(2027, 3, 6), D(2027, 3, 6), False)


def test_an_override_turns_a_working_day_into_a_holiday():
    # Say the State Council added Wed 18 Mar 2026 as a holiday: the window ends a working day later.
    holiday = {D(2026, 3, 18): False}
    assert not is_workday(D(2026, 3, 18), holiday)
    assert notice_window(D(2026, 3, 16), 5, WORKING) == Window(D(2026, 3, 16), D(2026, 3, 20), False)
    assert notice_window(D(2026, 3, 16), 5, WORKING, holiday) == Window(D(2026, 3, 16), D(2026, 3, 23), False)


def test_an_override_turns_a_rest_day_into_a_working_day():
    # A Saturday made a working day, and a packaged holiday corrected to a working day.
    worked = {D(2026, 3, 21): True, D(2026, 10, 7): True}
    assert is_workday(D(2026, 3, 21), worked)
    assert is_workday(D(2026, 10, 7), worked)
    assert notice_window(D(2026, 3, 16), 6, WORKING, worked) == Window(D(2026, 3, 16), D(2026, 3, 21), False)


def test_a_year_the_package_does_not_know_falls_back_to_weekends_and_is_provisional():
    assert package_knows(2026)
    assert not package_knows(2027)
    assert not year_is_arranged(2027)
    # 2027: weekends only. Fri 1 Jan 2027 is counted as a working day until the arrangement is entered.
    assert is_workday(D(2027, 1, 1))
    assert not is_workday(D(2027, 1, 2))
    assert is_provisional(D(2027, 1, 4))
    assert notice_window(D(2027, 1, 1), 7, WORKING) == Window(D(2027, 1, 1), D(2027, 1, 11), True)


def test_a_window_running_from_a_known_year_into_an_unknown_one_is_provisional():
    # Thu 24 Dec 2026: 24, 25, 28, 29, 30, 31, then Fri 1 Jan 2027, a working day by weekends alone until the
    # 2027 arrangement (with its New Year holiday) is entered.
    window = notice_window(D(2026, 12, 24), 7, WORKING)
    assert window == Window(D(2026, 12, 24), D(2027, 1, 1), True)
    # A window that stays inside 2026 is not.
    assert not notice_window(D(2026, 12, 1), 7, WORKING).provisional


def test_entering_an_arrangement_for_an_unknown_year_makes_it_final():
    # The 2027 New Year holiday entered by the administrator: Fri 1 Jan off.
    arrangement = {D(2027, 1, 1): False}
    assert year_is_arranged(2027, arrangement)
    assert notice_window(D(2027, 1, 1), 7, WORKING, arrangement) == Window(
        D(2027, 1, 4), D(2027, 1, 12), False
    )


def test_days_between_lists_each_day_with_its_kind():
    days = days_between(D(2026, 2, 13), D(2026, 2, 16))
    assert [(day.date.day, day.is_workday) for day in days] == [
        (13, True),
        (14, True),
        (15, False),
        (16, False),
    ]
    assert days_between(D(2026, 2, 16), D(2026, 2, 13)) == []


def test_it_refuses_a_length_below_one_and_an_unknown_kind():
    with pytest.raises(ValueError, match="length"):
        notice_window(D(2026, 3, 2), 0, WORKING)
    with pytest.raises(ValueError, match="day kind"):
        notice_window(D(2026, 3, 2), 5, "lunar")
    with pytest.raises(ValueError, match="count"):
        nth_workday(D(2026, 3, 2), 0)


# --- properties ---------------------------------------------------------------------------------------------

days = st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 6, 30))
lengths = st.integers(min_value=1, max_value=30)
override_maps = st.dictionaries(days, st.booleans(), max_size=8)


@properties
@given(publish_day=days, length=lengths, overrides=override_maps)
def test_a_working_day_window_holds_exactly_its_length_in_working_days(publish_day, length, overrides):
    starts_on, ends_on, _provisional = notice_window(publish_day, length, WORKING, overrides)
    assert publish_day <= starts_on <= ends_on
    assert is_workday(starts_on, overrides)
    assert is_workday(ends_on, overrides)
    assert workdays_between(starts_on, ends_on, overrides) == length
    # Nothing between the publishing day and the start is a working day.
    assert workdays_between(publish_day, starts_on - datetime.timedelta(days=1), overrides) == 0


@properties
@given(publish_day=days, length=lengths, overrides=override_maps)
def test_a_longer_notice_never_ends_earlier(publish_day, length, overrides):
    shorter = notice_window(publish_day, length, WORKING, overrides)
    longer = notice_window(publish_day, length + 1, WORKING, overrides)
    assert longer.starts_on == shorter.starts_on
    assert longer.ends_on > shorter.ends_on


@properties
@given(publish_day=days, length=lengths)
def test_a_calendar_day_window_is_length_days_long_and_never_provisional(publish_day, length):
    starts_on, ends_on, provisional = notice_window(publish_day, length, CALENDAR)
    assert starts_on == publish_day
    assert (ends_on - starts_on).days + 1 == length
    assert not provisional


@properties
@given(publish_day=days, length=lengths)
def test_a_window_is_provisional_exactly_when_it_touches_an_unknown_year(publish_day, length):
    starts_on, ends_on, provisional = notice_window(publish_day, length, WORKING)
    touched = set(range(publish_day.year, ends_on.year + 1))
    assert provisional == any(not package_knows(year) for year in touched)
    if provisional:
        # Weekends alone: every weekday of the window counts.
        assert all(
            is_workday(day) == (day.weekday() < 5) for day in span(starts_on, ends_on) if day.year > 2026
        )
