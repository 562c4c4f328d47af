"""A reviewer scores their own review item by item; the campaign's rule combines the reviews."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.campaigns.models import CombinationRule
from lvchuang.reviews import services
from lvchuang.reviews.tests.conftest import IN_ACCEPTANCE


def _panel(rw, application, kind, *reviewers):
    return services.assign_panel(
        by=rw.user("city"), application=application, kind=kind, reviewers=list(reviewers), today=IN_ACCEPTANCE
    ).reviews


def test_it_records_the_total_and_verdict_on_submit_through_the_scoring_engine(rw) -> None:
    application = rw.checked(rw.world.furong_unit)
    (review,) = _panel(rw, application, "desk", rw.user("reviewer"))
    with pytest.raises(ValidationError, match="未评分"):
        services.submit_review(by=rw.user("reviewer"), review=review)
    review = rw.score(review, share=Decimal("0.85"))
    review.refresh_from_db()
    assert (review.status, review.total, review.passed) == ("submitted", Decimal("85.00"), True)
    assert review.submitted_at is not None
    leaf = rw.leaves()[1]
    with pytest.raises(ValidationError, match="已提交"):
        services.save_score(
            by=rw.user("reviewer"), review=review, item=leaf, points=None, met=None, comment=""
        )


def test_only_the_reviewer_scores_their_review(rw) -> None:
    application = rw.checked(rw.world.furong_unit)
    (review,) = _panel(rw, application, "desk", rw.user("reviewer"))
    leaf = next(i for i in rw.leaves() if i.kind == "scored")
    for name in ("city", "admin"):
        with pytest.raises(PermissionDenied):
            services.save_score(
                by=rw.user(name), review=review, item=leaf, points=Decimal(1), met=None, comment=""
            )
    with pytest.raises(ValidationError, match="分值应在"):
        services.save_score(
            by=rw.user("reviewer"), review=review, item=leaf, points=leaf.max_points + 1, met=None, comment=""
        )


def test_on_site_reviews_replace_the_desk_reviews_and_the_self_score(rw) -> None:
    application = rw.checked(rw.world.furong_unit, share=Decimal("0.95"))
    second = rw.reviewer("第二位专家")
    third = rw.reviewer("第三位专家")
    for review in _panel(rw, application, "desk", rw.user("reviewer"), second):
        rw.score(review, share=Decimal("0.9"))
    services.combine_scores(by=rw.user("city"), campaign=rw.campaign)
    application.refresh_from_db()
    assert (application.final_score, application.passed) == (Decimal("90.00"), True)

    onsite = _panel(rw, application, "onsite", third, second)
    rw.score(onsite[0], share=Decimal("0.8"))
    rw.score(onsite[1], share=Decimal("0.7"))
    services.combine_scores(by=rw.user("city"), campaign=rw.campaign)
    application.refresh_from_db()
    assert (application.final_score, application.passed) == (Decimal("75.00"), False)


def test_the_panel_average_counts_every_submitted_review(rw) -> None:
    rw.campaign.combination_rule = CombinationRule.PANEL_AVERAGE
    rw.campaign.save()
    application = rw.checked(rw.world.furong_unit, share=Decimal("0.95"))
    other = rw.reviewer("第二位专家")
    (desk,) = _panel(rw, application, "desk", rw.user("reviewer"))
    (onsite,) = _panel(rw, application, "onsite", other)
    rw.score(desk, share=Decimal("0.9"))
    rw.score(onsite, share=Decimal("0.85"))
    services.combine_scores(by=rw.user("city"), campaign=rw.campaign)
    application.refresh_from_db()
    assert (application.final_score, application.passed) == (Decimal("87.50"), True)


def test_without_reviews_the_self_score_stands(rw) -> None:
    application = rw.checked(rw.world.furong_unit, share=Decimal("0.7"))
    _panel(rw, application, "desk", rw.user("reviewer"))  # assigned, never submitted
    services.combine_scores(by=rw.user("city"), campaign=rw.campaign)
    application.refresh_from_db()
    assert (application.final_score, application.passed) == (Decimal("70.00"), False)
