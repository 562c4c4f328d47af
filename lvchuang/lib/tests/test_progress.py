"""Status against a coverage target's milestones (lib/progress.py), with the seeds' figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lvchuang.lib.progress import Milestone, Status, evaluate, next_milestone, share_of

D = datetime.date
properties = settings(max_examples=120, derandomize=True, deadline=None)

# Seed 003: ≥50% of provincial organs by one date, then 80% by a later one.
SEED_003 = [Milestone(D(2021, 10, 31), share=Decimal(50)), Milestone(D(2022, 10, 31), share=Decimal(80))]
# Seed 004: two pilot communities by the end of 2021, then 60% by 2022.
SEED_004 = [Milestone(D(2021, 12, 31), count=2), Milestone(D(2022, 12, 31), share=Decimal(60))]
# Anhui's provincial organs: 60 → 80 → 95.
ANHUI = [
    Milestone(D(2020, 12, 31), share=Decimal(60)),
    Milestone(D(2021, 12, 31), share=Decimal(80)),
    Milestone(D(2022, 12, 31), share=Decimal(95)),
]


START = D(2020, 10, 31)


def judge(milestones, *, as_of, covered, eligible, starts_on=START):
    progress = evaluate(milestones, starts_on=starts_on, as_of=as_of, covered=covered, eligible=eligible)
    assert progress is not None
    return progress


def test_it_counts_half_of_the_provincial_organs_as_met_for_seed_003():
    progress = judge(SEED_003, as_of=D(2021, 10, 31), covered=10, eligible=20)
    assert progress.status == Status.MET
    assert progress.milestone == SEED_003[0]
    assert progress.share == Decimal("50.0")


def test_it_marks_a_past_milestone_below_its_share_as_missed():
    progress = judge(SEED_003, as_of=D(2021, 11, 1), covered=9, eligible=20)
    assert progress.status == Status.MISSED
    assert progress.milestone == SEED_003[0]
    assert progress.expected_share == Decimal("50.0")


def test_it_judges_the_next_milestone_once_the_first_is_met():
    # 55% after the first date: the 50% milestone holds, the 80% one lies ahead.
    progress = judge(SEED_003, as_of=D(2022, 4, 30), covered=11, eligible=20)
    assert progress.milestone == SEED_003[1]
    # The line runs from the start date (0) to 80% on 2022-10-31: 546 of 730 days along, 59.8%.
    assert progress.expected_share == Decimal("59.8")
    assert progress.status == Status.BEHIND
    assert judge(SEED_003, as_of=D(2022, 4, 30), covered=12, eligible=20).status == Status.ON_TRACK


def test_it_is_on_track_on_the_line_and_behind_just_below_it():
    milestones = [Milestone(D(2021, 1, 1), share=Decimal(40))]
    starts_on = D(2020, 1, 1)
    halfway = D(2020, 7, 2)  # 183 of 366 days
    assert (
        judge(milestones, starts_on=starts_on, as_of=halfway, covered=20, eligible=100).status
        == Status.ON_TRACK
    )
    assert (
        judge(milestones, starts_on=starts_on, as_of=halfway, covered=19, eligible=100).status
        == Status.BEHIND
    )


def test_it_needs_every_figure_of_a_milestone_with_a_share_and_a_count():
    both = [Milestone(D(2022, 12, 31), share=Decimal(60), count=30)]
    assert judge(both, as_of=D(2022, 12, 31), covered=30, eligible=40).status == Status.MET
    assert judge(both, as_of=D(2022, 12, 31), covered=29, eligible=40).status == Status.BEHIND
    assert judge(both, as_of=D(2023, 1, 1), covered=29, eligible=40).status == Status.MISSED


def test_it_judges_seed_004_pilot_count_then_share():
    assert judge(SEED_004, as_of=D(2021, 12, 31), covered=2, eligible=10).status == Status.MET
    missed = judge(SEED_004, as_of=D(2022, 1, 5), covered=1, eligible=10)
    assert (missed.status, missed.milestone) == (Status.MISSED, SEED_004[0])
    assert missed.expected_count == Decimal("2.0")
    met = judge(SEED_004, as_of=D(2022, 12, 31), covered=6, eligible=10)
    assert (met.status, met.milestone) == (Status.MET, SEED_004[1])
    assert judge(SEED_004, as_of=D(2023, 3, 1), covered=5, eligible=10).status == Status.MISSED


@pytest.mark.parametrize(
    ("as_of", "covered", "status"),
    [
        (D(2020, 12, 31), 6, Status.MET),
        (D(2021, 1, 4), 5, Status.MISSED),
        (D(2021, 12, 31), 8, Status.MET),
        (D(2022, 6, 30), 8, Status.ON_TRACK),  # 79% expected on the line to 95%
        (D(2022, 6, 30), 7, Status.MISSED),  # the 80% of 2021 still not reached
        (D(2022, 12, 31), 10, Status.MET),  # rounding is no excuse: 95% of 10 is 9.5, so 10 are needed
        (D(2023, 1, 1), 9, Status.MISSED),
    ],
)
def test_it_follows_anhui_staged_targets(as_of, covered, status):
    assert judge(ANHUI, starts_on=D(2020, 1, 1), as_of=as_of, covered=covered, eligible=10).status == status


def test_a_count_target_ignores_the_number_of_eligible_units():
    hundred = [Milestone(D(2026, 12, 31), count=100)]
    assert judge(
        hundred, starts_on=D(2024, 1, 1), as_of=D(2026, 12, 31), covered=100, eligible=400
    ).status == (Status.MET)
    behind = judge(hundred, starts_on=D(2024, 1, 1), as_of=D(2025, 7, 2), covered=40, eligible=400)
    assert behind.status == Status.BEHIND
    assert behind.expected_share is None
    assert behind.expected_count == Decimal("50.0")


def test_it_cannot_judge_a_share_without_eligible_units():
    assert evaluate(SEED_003, starts_on=D(2020, 1, 1), as_of=D(2021, 1, 1), covered=0, eligible=0) is None
    # ... but a count still can.
    assert judge(SEED_004, as_of=D(2022, 1, 1), covered=0, eligible=0).status == Status.MISSED


def test_it_expects_nothing_before_the_start_date():
    progress = judge(SEED_003, starts_on=D(2021, 1, 1), as_of=D(2020, 6, 1), covered=0, eligible=20)
    assert progress.status == Status.ON_TRACK
    assert progress.expected_share == Decimal("0.0")


def test_it_refuses_a_milestone_without_a_figure_and_a_share_above_100():
    with pytest.raises(ValueError, match="share or a count"):
        Milestone(D(2022, 1, 1))
    with pytest.raises(ValueError, match="percentage"):
        Milestone(D(2022, 1, 1), share=Decimal(101))


def test_the_next_milestone_is_the_first_not_yet_past_else_the_last():
    assert next_milestone(ANHUI, on=D(2021, 1, 1)) == ANHUI[1]
    assert next_milestone(ANHUI, on=D(2021, 12, 31)) == ANHUI[1]
    assert next_milestone(ANHUI, on=D(2030, 1, 1)) == ANHUI[2]
    assert next_milestone([], on=D(2030, 1, 1)) is None


def test_share_of_rounds_to_one_decimal():
    assert share_of(1, 3) == Decimal("33.3")
    assert share_of(2, 3) == Decimal("66.7")
    assert share_of(0, 0) is None


# --- properties ---------------------------------------------------------------------------------------------

days = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))
shares = st.integers(min_value=0, max_value=100).map(Decimal)
figures = st.one_of(
    st.tuples(shares, st.none()),
    st.tuples(st.none(), st.integers(min_value=0, max_value=500)),
    st.tuples(shares, st.integers(min_value=0, max_value=500)),
)
milestone_lists = st.lists(
    st.builds(lambda due_on, pair: Milestone(due_on, share=pair[0], count=pair[1]), days, figures),
    min_size=1,
    max_size=4,
    unique_by=lambda m: m.due_on,
)
counts = st.tuples(st.integers(0, 600), st.integers(1, 600)).filter(lambda pair: pair[0] <= pair[1])


@properties
@given(milestone_lists, days, days, counts)
def test_covering_more_never_worsens_the_status(milestones, starts_on, as_of, pair):
    covered, eligible = pair
    assume(covered < eligible)
    rank = {Status.MISSED: 0, Status.BEHIND: 1, Status.ON_TRACK: 2, Status.MET: 3}
    now = evaluate(milestones, starts_on=starts_on, as_of=as_of, covered=covered, eligible=eligible)
    more = evaluate(milestones, starts_on=starts_on, as_of=as_of, covered=covered + 1, eligible=eligible)
    assert now is not None
    assert more is not None
    assert rank[more.status] >= rank[now.status]


@properties
@given(milestone_lists, days, days, counts)
def test_every_eligible_unit_covered_meets_any_share_milestone(milestones, starts_on, as_of, pair):
    _covered, eligible = pair
    share_only = [Milestone(m.due_on, share=m.share) for m in milestones if m.share is not None]
    assume(share_only)
    progress = evaluate(share_only, starts_on=starts_on, as_of=as_of, covered=eligible, eligible=eligible)
    assert progress is not None
    assert progress.status == Status.MET


@properties
@given(milestone_lists, days, days, counts)
def test_a_missed_milestone_is_past_and_a_judged_future_one_is_never_missed(
    milestones, starts_on, as_of, pair
):
    covered, eligible = pair
    progress = evaluate(milestones, starts_on=starts_on, as_of=as_of, covered=covered, eligible=eligible)
    assert progress is not None
    if progress.status == Status.MISSED:
        assert progress.milestone.due_on < as_of
    if progress.milestone.due_on >= as_of:
        assert progress.status != Status.MISSED


@properties
@given(milestone_lists, days, days, counts)
def test_the_expected_figure_lies_between_nothing_and_the_milestone(milestones, starts_on, as_of, pair):
    covered, eligible = pair
    progress = evaluate(milestones, starts_on=starts_on, as_of=as_of, covered=covered, eligible=eligible)
    assert progress is not None
    milestone = progress.milestone
    if milestone.share is not None:
        assert progress.expected_share is not None
        assert 0 <= progress.expected_share <= milestone.share
    if milestone.count is not None:
        assert progress.expected_count is not None
        assert 0 <= progress.expected_count <= milestone.count
    if as_of >= milestone.due_on:
        assert progress.expected_share in (None, milestone.share)
