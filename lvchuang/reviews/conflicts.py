"""Conflicts of interest between a reviewer and a unit, and the pick of a panel (no Django, no ORM).

A reviewer is left out of a unit's panel (回避) when:
- the reviewer works in the unit itself;
- the reviewer's home region and the unit's region overlap: the home region contains the unit's region, or the
  unit's region contains the home region (paths are region code prefixes, so this is a prefix test either way);
- the reviewer's department is the unit's sector authority (主管部门);
- the reviewer declared a conflict with the unit, with a region containing the unit, or with its sector authority.

Every reason is a plain sentence that says which rule applied; `services.assign_panel` records it as an
`Exclusion`. The panel is picked among the reviewers without a conflict, fewest open reviews first, ties by id, so
the same state always gives the same panel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """A region: its path (code prefix) and name."""

    path: str
    name: str


@dataclass(frozen=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True)
class Declared:
    """One declared conflict: a unit, a region (and its subtree) or a sector department, and the relation."""

    relation: str
    unit: Named | None = None
    region: Place | None = None
    department: Named | None = None


@dataclass(frozen=True)
class ReviewerFacts:
    id: int
    name: str
    region: Place | None = None
    unit: Named | None = None
    department: Named | None = None
    declared: tuple[Declared, ...] = ()


@dataclass(frozen=True)
class UnitFacts:
    id: int
    name: str
    region: Place
    sector: Named | None = None


def conflicts_of(reviewer: ReviewerFacts, unit: UnitFacts) -> list[str]:
    """Every reason the reviewer must not review the unit; empty when there is none."""
    reasons: list[str] = []
    if reviewer.unit is not None and reviewer.unit.id == unit.id:
        reasons.append(f"同一单位：专家所在单位即{unit.name}")
    home = reviewer.region
    if home is not None:
        if unit.region.path.startswith(home.path):
            reasons.append(f"同一地区：专家所在地区{home.name}包含该单位所在的{unit.region.name}")
        elif home.path.startswith(unit.region.path):
            reasons.append(f"同一地区：专家所在地区{home.name}位于该单位所在的{unit.region.name}之内")
    if (
        reviewer.department is not None
        and unit.sector is not None
        and reviewer.department.id == unit.sector.id
    ):
        reasons.append(f"同一系统：专家所在部门{reviewer.department.name}是该单位的主管部门")
    for declared in reviewer.declared:
        relation = f"（{declared.relation}）" if declared.relation else ""
        if declared.unit is not None and declared.unit.id == unit.id:
            reasons.append(f"申报的利益冲突：与{declared.unit.name}有关{relation}")
        if declared.region is not None and unit.region.path.startswith(declared.region.path):
            reasons.append(f"申报的利益冲突：与{declared.region.name}有关，该单位位于其中{relation}")
        if (
            declared.department is not None
            and unit.sector is not None
            and declared.department.id == unit.sector.id
        ):
            reasons.append(f"申报的利益冲突：与主管部门{declared.department.name}有关{relation}")
    return reasons


@dataclass(frozen=True)
class Candidate:
    facts: ReviewerFacts
    open_reviews: int = 0


@dataclass(frozen=True)
class Pick:
    chosen: tuple[int, ...]  # reviewer ids, in the order picked
    excluded: dict[int, list[str]] = field(default_factory=dict)  # reviewer id → reasons
    missing: int = 0  # how many more were wanted than could be found


def pick_panel(candidates: Iterable[Candidate], unit: UnitFacts, size: int) -> Pick:
    """Up to `size` reviewers without a conflict, fewest open reviews first, ties by id."""
    excluded: dict[int, list[str]] = {}
    free: list[Candidate] = []
    for candidate in candidates:
        reasons = conflicts_of(candidate.facts, unit)
        if reasons:
            excluded[candidate.facts.id] = reasons
        else:
            free.append(candidate)
    free.sort(key=lambda c: (c.open_reviews, c.facts.id))
    chosen = tuple(c.facts.id for c in free[: max(size, 0)])
    return Pick(chosen=chosen, excluded=excluded, missing=max(size, 0) - len(chosen))


def first_reason(reasons: Sequence[str]) -> str:
    return "；".join(reasons)
