"""Ranking and the cut by quota: ties, allocations, exemptions, demonstration candidates, the recorded run."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lvchuang.applications.models import Application, Status
from lvchuang.applications.services import start_review
from lvchuang.campaigns.models import QuotaAllocation
from lvchuang.reviews import services
from lvchuang.reviews.tests.conftest import IN_ACCEPTANCE


@pytest.fixture
def field(rw):
    """Five applications under review: 识字岭 95, 甲 90, 乙 85 in 芙蓉区; 西牌楼 88, 丙 70 (failing) in 天心区."""
    world = rw.world
    shares = [
        ("识字岭", world.furong_unit, "0.95"),
        ("甲", rw.community("甲社区"), "0.9"),
        ("乙", rw.community("乙社区"), "0.85"),
        ("西牌楼", world.tianxin_unit, "0.88"),
        ("丙", rw.community("丙社区", street=world.tianxin_street), "0.7"),
    ]
    applications = {}
    for name, unit, share in shares:
        application = rw.checked(unit, share=Decimal(share))
        applications[name] = start_review(by=rw.user("city"), application=application, today=IN_ACCEPTANCE)
    services.combine_scores(by=rw.user("city"), campaign=rw.campaign)
    return applications


def _outcomes(run):
    return {row["unit"]: (row["rank"], row["outcome"], row["reason"]) for row in run.rows}


def test_it_shortlists_the_top_of_the_quota_and_cuts_the_rest_with_the_reason(rw, field) -> None:
    rw.campaign.quota = 2
    rw.campaign.demonstration_quota = 1
    rw.campaign.save()
    run = services.rank_and_shortlist(by=rw.user("city"), campaign=rw.campaign, today=IN_ACCEPTANCE)
    outcomes = _outcomes(run)
    assert outcomes["识字岭社区居委会"][:2] == (1, "shortlisted")
    assert outcomes["甲社区"][:2] == (2, "shortlisted")
    assert outcomes["西牌楼社区居委会"] == (3, "cut", "名额已满：在未分配名额的申报中排第 3 名，名额 2 名")
    assert outcomes["乙社区"][:2] == (4, "cut")
    assert outcomes["丙社区"][1] == "cut"
    assert outcomes["丙社区"][2].startswith("未达标：自评未达标")
    assert run.shortlisted_count == 2
    statuses = dict(Application.objects.values_list("unit__name", "status"))
    assert statuses["识字岭社区居委会"] == Status.SHORTLISTED
    assert statuses["乙社区"] == Status.REJECTED
    top = field["识字岭"]
    top.refresh_from_db()
    assert (top.rank, top.is_demonstration_candidate) == (1, True)
    second = field["甲"]
    second.refresh_from_db()
    assert (second.rank, second.is_demonstration_candidate) == (2, False)
    assert second.events.get(action="shortlist").comment.startswith("入围")


def test_it_breaks_a_tie_by_self_score_then_unit_name(rw, field) -> None:
    Application.objects.filter(pk__in=[field["甲"].pk, field["西牌楼"].pk, field["识字岭"].pk]).update(
        final_score=Decimal("88")
    )
    run = services.rank_and_shortlist(by=rw.user("city"), campaign=rw.campaign, today=IN_ACCEPTANCE)
    ranks = {row["unit"]: row["rank"] for row in run.rows}
    assert [ranks["识字岭社区居委会"], ranks["甲社区"], ranks["西牌楼社区居委会"]] == [1, 2, 3]


def test_allocations_cut_within_each_share_and_the_uncovered_share_the_rest(rw, field) -> None:
    QuotaAllocation.objects.create(campaign=rw.campaign, region=rw.world.furong, amount=1)
    rw.campaign.quota = 3
    rw.campaign.save()
    run = services.rank_and_shortlist(by=rw.user("city"), campaign=rw.campaign, today=IN_ACCEPTANCE)
    outcomes = _outcomes(run)
    assert outcomes["识字岭社区居委会"][1] == "shortlisted"
    assert outcomes["甲社区"][1:] == ("cut", "名额已满：在芙蓉区中排第 2 名，名额 1 名")
    assert outcomes["乙社区"][1] == "cut"
    assert outcomes["西牌楼社区居委会"][1] == "shortlisted"
    allocation = {row["unit"]: row["allocation"] for row in run.rows}
    assert allocation["识字岭社区居委会"] == "芙蓉区"
    assert allocation["西牌楼社区居委会"] == "未分配名额"


def test_without_a_quota_every_passing_application_is_shortlisted_and_exempt_ones_too(rw, field) -> None:
    exempt = rw.checked(rw.community("丁社区"))
    Application.objects.filter(pk=exempt.pk).update(exempt=True)
    run = services.rank_and_shortlist(by=rw.user("city"), campaign=rw.campaign, today=IN_ACCEPTANCE)
    outcomes = _outcomes(run)
    assert outcomes["丁社区"] == (None, "shortlisted", "免于评价")
    assert run.shortlisted_count == 5
    assert Application.objects.get(pk=exempt.pk).status == Status.SHORTLISTED
    # seed 000: 20 demonstration communities a year; all four passing ones are candidates here.
    assert Application.objects.filter(is_demonstration_candidate=True).count() == 4


def test_it_refuses_to_rank_before_the_scores_are_combined(rw, field) -> None:
    Application.objects.filter(pk=field["甲"].pk).update(final_score=None)
    with pytest.raises(ValidationError, match="甲社区"):
        services.rank_and_shortlist(by=rw.user("city"), campaign=rw.campaign, today=IN_ACCEPTANCE)
    assert not rw.campaign.rankings.exists()
