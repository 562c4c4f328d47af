"""Panel assignment: conflicts excluded with their reasons, load balanced, manual choices checked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.accounts.access import access_unit_by_id
from lvchuang.applications.models import Status
from lvchuang.organisations.models import ReviewerAssignment
from lvchuang.reviews import services
from lvchuang.reviews.models import ConflictDeclaration, Exclusion, Review, ReviewerProfile
from lvchuang.reviews.tests.conftest import IN_ACCEPTANCE


@pytest.fixture
def application(rw):
    return rw.checked(rw.world.furong_unit)


def test_it_excludes_every_conflict_with_its_reason_and_picks_the_free_reviewers(rw, application) -> None:
    world = rw.world
    same_region = rw.reviewer("同区专家")
    ReviewerProfile.objects.create(user=same_region, region=world.furong)
    same_unit = rw.reviewer("同单位专家")
    ReviewerProfile.objects.create(user=same_unit, unit=world.furong_unit)
    declared = rw.reviewer("申报专家")
    ConflictDeclaration.objects.create(reviewer=declared, region=world.furong_street, relation="曾任街道干部")
    free = rw.reviewer("外区专家")
    ReviewerProfile.objects.create(user=free, region=world.tianxin)

    panel = services.assign_panel(
        by=rw.user("city"), application=application, kind="desk", today=IN_ACCEPTANCE
    )

    assert sorted(r.reviewer.username for r in panel.reviews) == ["reviewer", "外区专家"]
    reasons = dict(
        Exclusion.objects.filter(application=application).values_list("reviewer__username", "reason")
    )
    assert reasons == {
        "同区专家": "同一地区：专家所在地区芙蓉区包含该单位所在的识字岭社区",
        "同单位专家": "同一单位：专家所在单位即识字岭社区居委会",
        "申报专家": "申报的利益冲突：与文艺路街道有关，该单位位于其中（曾任街道干部）",
    }
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert ReviewerAssignment.objects.filter(reviewer=free, unit=world.furong_unit).exists()
    assert access_unit_by_id(free, world.furong_unit.pk) == world.furong_unit


def test_it_excludes_a_reviewer_of_the_units_sector_department(rw) -> None:
    sector = rw.reviewer("教育局专家")
    ReviewerProfile.objects.create(user=sector, department=rw.world.education_bureau)
    school = rw.world.school
    from lvchuang.reviews.conflicts import conflicts_of

    assert conflicts_of(services.reviewer_facts([sector])[sector.pk], services.unit_facts(school)) == [
        "同一系统：专家所在部门长沙市教育局是该单位的主管部门"
    ]


def test_it_balances_the_load_fewest_open_reviews_first(rw, application) -> None:
    busy = rw.reviewer("忙碌专家")
    rw.reviewer("空闲专家")
    other = rw.checked(rw.world.tianxin_unit)
    services.assign_panel(
        by=rw.user("city"), application=other, kind="desk", reviewers=[busy], today=IN_ACCEPTANCE
    )
    panel = services.assign_panel(
        by=rw.user("city"), application=application, kind="desk", today=IN_ACCEPTANCE
    )
    assert sorted(r.reviewer.username for r in panel.reviews) == ["reviewer", "空闲专家"]


def test_it_refuses_a_conflicted_reviewer_chosen_by_hand_and_says_why(rw, application) -> None:
    conflicted = rw.reviewer("同区专家")
    ReviewerProfile.objects.create(user=conflicted, region=rw.world.furong)
    with pytest.raises(ValidationError, match="同区专家 须回避：同一地区"):
        services.assign_panel(
            by=rw.user("city"),
            application=application,
            kind="onsite",
            reviewers=[conflicted],
            today=IN_ACCEPTANCE,
        )
    assert not Review.objects.exists()
    with pytest.raises(ValidationError, match="不是评审专家"):
        services.assign_panel(
            by=rw.user("city"),
            application=application,
            kind="onsite",
            reviewers=[rw.user("unit")],
            today=IN_ACCEPTANCE,
        )


def test_it_reports_how_many_reviewers_are_missing(rw, application) -> None:
    panel = services.assign_panel(
        by=rw.user("city"), application=application, kind="desk", today=IN_ACCEPTANCE
    )
    assert (len(panel.reviews), panel.missing) == (1, 1)


def test_only_the_issuing_office_assigns(rw, application) -> None:
    for name in ("furong", "reviewer"):
        with pytest.raises(PermissionDenied):
            services.assign_panel(by=rw.user(name), application=application, kind="desk", today=IN_ACCEPTANCE)
