"""The conflict rules and the panel pick, as plain functions."""

from __future__ import annotations

from lvchuang.reviews.conflicts import (
    Candidate,
    Declared,
    Named,
    Place,
    ReviewerFacts,
    UnitFacts,
    conflicts_of,
    pick_panel,
)

FURONG = Place("430102", "芙蓉区")
STREET = Place("430102001", "文艺路街道")
COMMUNITY = Place("430102001001", "识字岭社区")
TIANXIN = Place("430103", "天心区")
EDUCATION = Named(7, "长沙市教育局")
UNIT = UnitFacts(1, "识字岭社区居委会", COMMUNITY)
SCHOOL = UnitFacts(2, "长沙市第一中学", Place("430103002", "坡子街街道"), EDUCATION)


def reviewer(**facts: object) -> ReviewerFacts:
    return ReviewerFacts(id=9, name="王专家", **facts)  # type: ignore[arg-type]


def test_it_finds_no_conflict_for_a_reviewer_from_elsewhere() -> None:
    assert conflicts_of(reviewer(region=TIANXIN), UNIT) == []


def test_it_excludes_a_reviewer_of_the_same_unit() -> None:
    assert conflicts_of(reviewer(unit=Named(1, "识字岭社区居委会")), UNIT) == [
        "同一单位：专家所在单位即识字岭社区居委会"
    ]


def test_it_excludes_a_reviewer_whose_region_contains_the_unit() -> None:
    assert conflicts_of(reviewer(region=FURONG), UNIT) == [
        "同一地区：专家所在地区芙蓉区包含该单位所在的识字岭社区"
    ]


def test_it_excludes_a_reviewer_whose_region_lies_inside_the_units_region() -> None:
    unit = UnitFacts(3, "芙蓉区机关", FURONG)
    assert conflicts_of(reviewer(region=STREET), unit) == [
        "同一地区：专家所在地区文艺路街道位于该单位所在的芙蓉区之内"
    ]


def test_it_excludes_a_reviewer_of_the_units_sector_department() -> None:
    assert conflicts_of(reviewer(department=EDUCATION), SCHOOL) == [
        "同一系统：专家所在部门长沙市教育局是该单位的主管部门"
    ]


def test_it_excludes_declared_conflicts_by_unit_region_and_department() -> None:
    by_unit = reviewer(declared=(Declared("配偶在该单位工作", unit=Named(1, "识字岭社区居委会")),))
    by_region = reviewer(declared=(Declared("曾在该街道任职", region=STREET),))
    by_department = reviewer(declared=(Declared("兼职顾问", department=EDUCATION),))
    assert conflicts_of(by_unit, UNIT) == ["申报的利益冲突：与识字岭社区居委会有关（配偶在该单位工作）"]
    assert conflicts_of(by_region, UNIT) == [
        "申报的利益冲突：与文艺路街道有关，该单位位于其中（曾在该街道任职）"
    ]
    assert conflicts_of(by_department, SCHOOL) == ["申报的利益冲突：与主管部门长沙市教育局有关（兼职顾问）"]
    assert conflicts_of(by_region, SCHOOL) == []


def test_it_picks_the_least_loaded_reviewers_without_conflict_ties_by_id() -> None:
    candidates = [
        Candidate(ReviewerFacts(4, "甲"), open_reviews=2),
        Candidate(ReviewerFacts(3, "乙", region=FURONG), open_reviews=0),
        Candidate(ReviewerFacts(6, "丙"), open_reviews=1),
        Candidate(ReviewerFacts(5, "丁"), open_reviews=1),
    ]
    pick = pick_panel(candidates, UNIT, 2)
    assert pick.chosen == (5, 6)
    assert list(pick.excluded) == [3]
    assert pick.missing == 0
    assert pick_panel(candidates, UNIT, 5).missing == 2
