"""Progress against a coverage target (覆盖目标) on plain numbers (docs/workflow.md, "Coverage targets").

A target has dated milestones (阶段目标), each a share of the eligible units in percent, a number of units, or
both (seed 004: two pilot communities by the end of 2021, then 60% by 2022). On a day *d* a region's status is
judged against one milestone:

- **missed** (逾期未达标) — a milestone's date has passed and today's figures still fall short of it;
- otherwise against the **next milestone** (the first not yet past, or the last one when all are past):
  **met** (已达标) when the figures reach it, **on_track** (进度正常) when they are at or above the straight line
  from the target's start date (nothing covered) to the milestone, **behind** (进度滞后) below that line.

A milestone is met when every figure it gives is. A share cannot be judged without eligible units, so a share
milestone is left out where there are none. Arithmetic is exact (fractions), so 50% of 2 is met by 1.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class Status(enum.StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"


@dataclass(frozen=True)
class Milestone:
    due_on: datetime.date
    share: Decimal | None = None  # percent of the eligible units
    count: int | None = None  # number of units

    def __post_init__(self) -> None:
        if self.share is None and self.count is None:
            raise ValueError("a milestone needs a share or a count")
        if self.share is not None and not 0 <= self.share <= 100:
            raise ValueError(f"a share is a percentage, not {self.share}")
        if self.count is not None and self.count < 0:
            raise ValueError(f"a count cannot be negative: {self.count}")


@dataclass(frozen=True)
class Progress:
    status: Status
    milestone: Milestone  # the milestone judged
    expected_share: Decimal | None  # percent on the straight line on the day judged (one decimal)
    expected_count: Decimal | None  # units on the straight line (one decimal)
    share: Decimal | None  # the actual share in percent (one decimal); None without eligible units


PLACES = Decimal("0.1")


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(PLACES, rounding=ROUND_HALF_UP)


def share_of(covered: int, eligible: int) -> Decimal | None:
    """covered ÷ eligible in percent, one decimal; None without eligible units."""
    return None if eligible <= 0 else _decimal(Fraction(100 * covered, eligible))


def _judgeable(milestone: Milestone, eligible: int) -> Milestone | None:
    """The milestone as far as it can be judged: without eligible units its share is dropped."""
    if eligible > 0 or milestone.share is None:
        return milestone
    if milestone.count is None:
        return None
    return Milestone(due_on=milestone.due_on, count=milestone.count)


def _reaches(milestone: Milestone, covered: int, eligible: int, fraction: Fraction = Fraction(1)) -> bool:
    """Whether the figures reach `fraction` of every figure the milestone gives."""
    if milestone.count is not None and covered < fraction * milestone.count:
        return False
    return milestone.share is None or 100 * covered >= fraction * Fraction(milestone.share) * eligible


def _elapsed(starts_on: datetime.date, due_on: datetime.date, as_of: datetime.date) -> Fraction:
    """How far along the straight line from `starts_on` to `due_on` the day `as_of` lies, from 0 to 1."""
    if as_of >= due_on:
        return Fraction(1)
    if as_of <= starts_on:
        return Fraction(0)
    return Fraction((as_of - starts_on).days, (due_on - starts_on).days)


def evaluate(
    milestones: Sequence[Milestone],
    *,
    starts_on: datetime.date,
    as_of: datetime.date,
    covered: int,
    eligible: int,
) -> Progress | None:
    """The status on `as_of` of a region with `covered` of `eligible` units holding a counted title.

    None when no milestone can be judged (none given, or only shares and no eligible units)."""
    if covered < 0 or eligible < 0:
        raise ValueError("counts cannot be negative")
    steps = sorted(
        (m for m in (_judgeable(m, eligible) for m in milestones) if m is not None), key=lambda m: m.due_on
    )
    if not steps:
        return None
    past = [m for m in steps if m.due_on < as_of]
    unmet = next((m for m in past if not _reaches(m, covered, eligible)), None)
    if unmet is not None:
        return _progress(Status.MISSED, unmet, starts_on, as_of, covered, eligible)
    judged = next((m for m in steps if m.due_on >= as_of), steps[-1])
    if _reaches(judged, covered, eligible):
        status = Status.MET
    elif _reaches(judged, covered, eligible, _elapsed(starts_on, judged.due_on, as_of)):
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    return _progress(status, judged, starts_on, as_of, covered, eligible)


def _progress(
    status: Status,
    milestone: Milestone,
    starts_on: datetime.date,
    as_of: datetime.date,
    covered: int,
    eligible: int,
) -> Progress:
    fraction = _elapsed(starts_on, milestone.due_on, as_of)
    return Progress(
        status=status,
        milestone=milestone,
        expected_share=None if milestone.share is None else _decimal(fraction * Fraction(milestone.share)),
        expected_count=None if milestone.count is None else _decimal(fraction * milestone.count),
        share=share_of(covered, eligible),
    )


def next_milestone(milestones: Sequence[Milestone], *, on: datetime.date) -> Milestone | None:
    """The milestone a region works towards on `on`: the first not yet past, else the last."""
    ordered = sorted(milestones, key=lambda m: m.due_on)
    return next((m for m in ordered if m.due_on >= on), ordered[-1] if ordered else None)
