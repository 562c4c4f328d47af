"""The review pages: the reviewer's phone sheet with autosave and photos, and the issuing office's dashboard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lvchuang.assessments.tests.helpers import png_upload
from lvchuang.reviews import services
from lvchuang.reviews.models import ConflictDeclaration, ReviewerProfile, ReviewPhoto, ReviewScore, SpotCheck
from lvchuang.reviews.tests.conftest import IN_ACCEPTANCE


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def review(rw):
    application = rw.checked(rw.world.furong_unit)
    (review,) = services.assign_panel(
        by=rw.user("city"),
        application=application,
        kind="onsite",
        reviewers=[rw.user("reviewer")],
        today=IN_ACCEPTANCE,
    ).reviews
    return review


def _scored_leaf(rw):
    return next(item for item in rw.leaves() if item.kind == "scored")


def test_it_lists_the_reviewers_own_reviews(rw, review, django_assert_num_queries) -> None:
    client = client_for(rw.user("reviewer"))
    client.get(reverse("reviews:my_reviews"))  # warm the session
    with django_assert_num_queries(5):
        response = client.get(reverse("reviews:my_reviews"))
    assert "识字岭社区居委会" in response.content.decode()
    other = rw.reviewer("另一位专家")
    assert "识字岭社区居委会" not in client_for(other).get(reverse("reviews:my_reviews")).content.decode()


def test_another_reviewer_gets_404_on_a_review_that_is_not_theirs(rw, review) -> None:
    other = client_for(rw.reviewer("另一位专家"))
    leaf = _scored_leaf(rw)
    assert other.get(reverse("reviews:review_detail", args=[review.pk])).status_code == 404
    response = other.post(
        reverse("reviews:save_score", args=[review.pk, leaf.pk]), {f"item-{leaf.pk}-points": "1"}
    )
    assert response.status_code == 404
    assert not ReviewScore.objects.exists()


def test_the_issuing_office_reads_a_review_but_may_not_score_it(rw, review) -> None:
    city = client_for(rw.user("city"))
    leaf = _scored_leaf(rw)
    page = city.get(reverse("reviews:review_detail", args=[review.pk]))
    assert page.status_code == 200
    assert "只有评审专家本人可以评分" in page.content.decode()
    response = city.post(
        reverse("reviews:save_score", args=[review.pk, leaf.pk]), {f"item-{leaf.pk}-points": "1"}
    )
    assert response.status_code == 403


def test_it_autosaves_an_item_and_returns_the_live_total_beside_the_self_score(rw, review) -> None:
    client = client_for(rw.user("reviewer"))
    leaf = _scored_leaf(rw)
    page = client.get(reverse("reviews:review_detail", args=[review.pk])).content.decode()
    assert "单位自评" in page
    assert "现场评审" in page
    response = client.post(
        reverse("reviews:save_score", args=[review.pk, leaf.pk]),
        {f"item-{leaf.pk}-points": "3", f"item-{leaf.pk}-comment": "台账不全"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "已保存" in text
    assert 'id="review-summary"' in text
    score = ReviewScore.objects.get(review=review, item=leaf)
    assert (score.points, score.comment) == (Decimal("3"), "台账不全")
    too_many = client.post(
        reverse("reviews:save_score", args=[review.pk, leaf.pk]),
        {f"item-{leaf.pk}-points": str(leaf.max_points + 5)},
        HTTP_HX_REQUEST="true",
    )
    assert "分值应在" in too_many.content.decode()
    score.refresh_from_db()
    assert score.points == Decimal("3")


def test_it_takes_a_photo_for_an_item_and_serves_it_only_through_the_review(rw, review) -> None:
    client = client_for(rw.user("reviewer"))
    leaf = _scored_leaf(rw)
    response = client.post(
        reverse("reviews:upload_photo", args=[review.pk, leaf.pk]),
        {"file": png_upload("现场.png")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    photo = ReviewPhoto.objects.get()
    assert (photo.item, photo.content_type, photo.original_name) == (leaf, "image/png", "现场.png")
    url = reverse("reviews:photo_file", args=[review.pk, photo.pk])
    assert client.get(url).status_code == 200
    assert client_for(rw.user("tianxin")).get(url).status_code == 404
    assert client_for(rw.reviewer("另一位专家")).get(url).status_code == 404


def test_it_submits_a_fully_scored_review(rw, review) -> None:
    rw.score(review, share=Decimal("0.9"), submit=False)
    response = client_for(rw.user("reviewer")).post(
        reverse("reviews:submit", args=[review.pk]), {"comment": "符合标准"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.total, review.comment) == ("submitted", Decimal("90.00"), "符合标准")


def test_the_dashboard_shows_panels_exclusions_and_progress_in_a_fixed_number_of_queries(
    rw, review, django_assert_max_num_queries
) -> None:
    from lvchuang.reviews.models import ReviewerProfile

    conflicted = rw.reviewer("同区专家")
    ReviewerProfile.objects.create(user=conflicted, region=rw.world.furong)
    services.assign_panel(
        by=rw.user("city"), application=review.application, kind="desk", today=IN_ACCEPTANCE
    )
    rw.checked(rw.world.tianxin_unit)
    client = client_for(rw.user("city"))
    url = reverse("reviews:dashboard", args=[rw.campaign.pk])
    client.get(url)
    with django_assert_max_num_queries(16) as captured:
        response = client.get(url)
    text = response.content.decode()
    assert "同一地区：专家所在地区芙蓉区包含该单位所在的识字岭社区" in text
    assert "西牌楼社区居委会" in text
    before = len(captured)
    rw.checked(rw.community("新社区"))
    with django_assert_max_num_queries(before):
        client.get(url)
    assert client_for(rw.user("furong")).get(url).status_code == 403
    assert client_for(rw.user("reviewer")).get(url).status_code in (403, 404)


def test_the_office_draws_a_spot_check_and_the_detail_says_it_reproduces(rw) -> None:
    for n in range(3):
        rw.checked(rw.community(f"第{n}社区"))
    import time_machine

    # Sign in, draw and read on the same travelled day: the session is dated by that clock.
    with time_machine.travel("2026-10-15 10:00 +0800"):
        client = client_for(rw.user("city"))
        response = client.post(
            reverse("reviews:spot_checks", args=[rw.campaign.pk]),
            {"size": "2", "seed": "公开种子", "purpose": "抽查"},
        )
        assert response.status_code == 302
        spot_check = SpotCheck.objects.get()
        detail = client.get(reverse("reviews:spot_check_detail", args=[spot_check.pk])).content.decode()
    assert "公开种子" in detail
    assert "一致" in detail
    assert "SHA-256" in detail


def test_combine_and_rank_from_the_dashboard_lead_to_the_ranking_with_the_quota_line(rw, review) -> None:
    rw.campaign.quota = 1
    rw.campaign.save()
    rw.score(review, share=Decimal("0.9"))
    from lvchuang.applications.services import start_review

    other = start_review(
        by=rw.user("city"),
        application=rw.checked(rw.world.tianxin_unit, share=Decimal("0.85")),
        today=IN_ACCEPTANCE,
    )
    client_for(rw.user("city")).post(reverse("reviews:combine", args=[rw.campaign.pk]))
    import time_machine

    # Sign in, rank and read inside the same day: the session is dated by the travelled clock.
    with time_machine.travel("2026-11-20 10:00 +0800"):
        client = client_for(rw.user("city"))
        response = client.post(reverse("reviews:rank", args=[rw.campaign.pk]))
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "名额线" in page
    assert "示范候选" in page
    other.refresh_from_db()
    assert other.status == "rejected"


def test_the_reviewer_fills_the_profile_and_declares_a_conflict_on_the_page(rw) -> None:
    client = client_for(rw.user("reviewer"))
    assert client.get(reverse("reviews:profile")).status_code == 200
    response = client.post(
        reverse("reviews:profile"), {"region_code": rw.world.tianxin.code, "expertise": "垃圾分类"}
    )
    assert response.status_code == 302
    assert ReviewerProfile.objects.get(user=rw.user("reviewer")).region == rw.world.tianxin
    client.post(reverse("reviews:conflict_add"), {"unit_name": "识字岭社区居委会", "relation": "亲属任职"})
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.unit, declaration.relation) == (rw.world.furong_unit, "亲属任职")
    assert client_for(rw.user("city")).get(reverse("reviews:profile")).status_code == 403
