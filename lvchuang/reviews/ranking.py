"""How reviews become a final score, and how a ranking is cut by quota (no Django, no ORM).

Combination (the campaign's `combination_rule`, docs/workflow.md "Review"):
- 现场评审取代自评 (onsite_replaces): the average of the submitted on-site reviews when there are any, otherwise
  the average of the submitted desk reviews, otherwise the self score;
- 专家平均 (panel_average): the average of every submitted review, otherwise the self score.
An application passes when every counted review passed, or — with none counted — when its self-assessment passed.

The cut: passing applications rank by final score (high first), ties by self score (high first), then by unit
name; failing ones follow in the same order. Each application is counted against its pool — the quota allocation
that covers its unit, or the pool of the uncovered — and the first `amount` passing ones of each pool are
shortlisted. Exempt applications (免于评价) are shortlisted without a rank and take no place in any pool.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONSITE_REPLACES = "onsite_replaces"
PANEL_AVERAGE = "panel_average"
DESK = "desk"
ONSITE = "onsite"

SHORTLISTED = "shortlisted"
CUT = "cut"

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Scored:
    """A submitted review as the combination sees it."""

    kind: str
    total: Decimal
    passed: bool


@dataclass(frozen=True)
class Combined:
    score: Decimal | None
    passed: bool | None
    basis: str  # a plain sentence: what the score is the average of
    counted: tuple[Scored, ...]

    @property
    def failed_count(self) -> int:
        return sum(1 for review in self.counted if not review.passed)


def average(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def combine(
    rule: str, reviews: Sequence[Scored], *, self_score: Decimal | None, self_passed: bool | None
) -> Combined:
    onsite = tuple(r for r in reviews if r.kind == ONSITE)
    desk = tuple(r for r in reviews if r.kind == DESK)
    if rule == ONSITE_REPLACES:
        counted, basis = (onsite, "现场评审平均分") if onsite else (desk, "书面评审平均分")
    elif rule == PANEL_AVERAGE:
        counted, basis = tuple(reviews), "全部评审平均分"
    else:
        raise ValueError(f"unknown combination rule {rule!r}")
    if not counted:
        return Combined(score=self_score, passed=self_passed, basis="自评分（无已提交的评审）", counted=())
    return Combined(
        score=average([r.total for r in counted]),
        passed=all(r.passed for r in counted),
        basis=f"{basis}（{len(counted)} 份）",
        counted=counted,
    )


@dataclass(frozen=True)
class Entry:
    key: int
    unit_name: str
    score: Decimal | None
    self_score: Decimal | None
    passed: bool
    exempt: bool = False
    pool: str = ""  # the label of the quota allocation covering the unit; "" for the uncovered
    failing_reason: str = ""


@dataclass(frozen=True)
class Outcome:
    key: int
    rank: int | None
    outcome: str  # SHORTLISTED or CUT
    reason: str
    demonstration: bool = False


UNCOVERED = ""


def order_key(entry: Entry) -> tuple[bool, Decimal, Decimal, str]:
    # Sorting ascending: passing first, then the higher score, the higher self score, the unit name (by code point).
    lowest = Decimal("-Infinity")
    return (
        not entry.passed,
        -(entry.score if entry.score is not None else lowest),
        -(entry.self_score if entry.self_score is not None else lowest),
        entry.unit_name,
    )


def cut(
    entries: Sequence[Entry],
    *,
    pools: Mapping[str, int | None],
    demonstration_quota: int = 0,
) -> list[Outcome]:
    """Rank and cut. `pools` maps each pool label (UNCOVERED for applications no allocation covers) to its number
    of places (None: no limit)."""
    outcomes: list[Outcome] = []
    taken: dict[str, int] = {}
    demonstrations = 0
    ranked = sorted((e for e in entries if not e.exempt), key=order_key)
    for rank, entry in enumerate(ranked, start=1):
        if not entry.passed:
            outcomes.append(Outcome(entry.key, rank, CUT, f"未达标：{entry.failing_reason}".rstrip("：")))
            continue
        places = pools.get(entry.pool)
        position = taken.get(entry.pool, 0) + 1
        label = entry.pool or "未分配名额的申报"
        if places is not None and position > places:
            outcomes.append(
                Outcome(entry.key, rank, CUT, f"名额已满：在{label}中排第 {position} 名，名额 {places} 名")
            )
            continue
        taken[entry.pool] = position
        demonstration = demonstrations < demonstration_quota
        demonstrations += demonstration
        within = f"在{label}中排第 {position} 名" + (f"，名额 {places} 名" if places is not None else "")
        outcomes.append(Outcome(entry.key, rank, SHORTLISTED, f"入围：{within}", demonstration))
    for entry in sorted((e for e in entries if e.exempt), key=lambda e: e.unit_name):
        outcomes.append(Outcome(entry.key, None, SHORTLISTED, "免于评价"))
    return outcomes
