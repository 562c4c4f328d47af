"""Combination and the cut by quota, as plain functions."""

from __future__ import annotations

from decimal import Decimal as D

from lvchuang.reviews.ranking import (
    CUT,
    PANEL_AVERAGE,
    SHORTLISTED,
    UNCOVERED,
    Entry,
    Scored,
    combine,
    cut,
)


def test_it_lets_on_site_reviews_replace_desk_reviews_and_the_self_score() -> None:
    reviews = [
        Scored("desk", D("90"), True),
        Scored("onsite", D("81"), True),
        Scored("onsite", D("84.5"), True),
    ]
    combined = combine("onsite_replaces", reviews, self_score=D("95"), self_passed=True)
    assert combined.score == D("82.75")
    assert combined.passed is True
    assert combine("onsite_replaces", reviews[:1], self_score=D("95"), self_passed=True).score == D("90")
    nothing = combine("onsite_replaces", [], self_score=D("95"), self_passed=False)
    assert (nothing.score, nothing.passed) == (D("95"), False)


def test_it_averages_the_whole_panel_and_fails_when_any_counted_review_fails() -> None:
    reviews = [Scored("desk", D("90"), True), Scored("onsite", D("70"), False)]
    combined = combine(PANEL_AVERAGE, reviews, self_score=D("95"), self_passed=True)
    assert (combined.score, combined.passed, combined.failed_count) == (D("80.00"), False, 1)


def test_it_breaks_ties_by_self_score_then_unit_name_and_cuts_by_pool() -> None:
    entries = [
        Entry(1, "二号社区", D("90"), D("88"), True),
        Entry(2, "一号社区", D("90"), D("88"), True),
        Entry(3, "丙社区", D("90"), D("92"), True),
        Entry(4, "丁社区", D("60"), D("70"), False, failing_reason="自评未达标"),
        Entry(5, "戊社区", None, None, True, exempt=True),
    ]
    outcomes = {o.key: o for o in cut(entries, pools={UNCOVERED: 2}, demonstration_quota=1)}
    assert [outcomes[k].rank for k in (3, 2, 1, 4)] == [1, 2, 3, 4]
    assert outcomes[3].outcome == SHORTLISTED
    assert outcomes[3].demonstration
    assert outcomes[2].outcome == SHORTLISTED
    assert not outcomes[2].demonstration
    assert outcomes[1].outcome == CUT
    assert outcomes[1].reason.startswith("名额已满")
    assert outcomes[4].reason == "未达标：自评未达标"
    assert (outcomes[5].outcome, outcomes[5].rank, outcomes[5].reason) == (SHORTLISTED, None, "免于评价")
