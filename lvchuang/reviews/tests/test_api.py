"""The review API: the office's spot checks, panels and ranking; the reviewer's own reviews and profile."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from lvchuang.reviews import services
from lvchuang.reviews.models import ConflictDeclaration, ReviewerProfile, ReviewScore
from lvchuang.reviews.tests.conftest import IN_ACCEPTANCE


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def review(rw):
    application = rw.checked(rw.world.furong_unit)
    (review,) = services.assign_panel(
        by=rw.user("city"),
        application=application,
        kind="desk",
        reviewers=[rw.user("reviewer")],
        today=IN_ACCEPTANCE,
    ).reviews
    return review


def test_it_lists_only_the_reviewers_own_reviews(rw, review, django_assert_num_queries) -> None:
    client = api_for(rw.user("reviewer"))
    with django_assert_num_queries(2):
        response = client.get("/api/reviews/")
    assert [row["id"] for row in response.json()["results"]] == [review.pk]
    other = api_for(rw.reviewer("另一位专家"))
    assert other.get("/api/reviews/").json()["results"] == []
    assert other.get(f"/api/reviews/{review.pk}/").status_code == 404


def test_the_reviewer_scores_an_item_and_submits(rw, review) -> None:
    client = api_for(rw.user("reviewer"))
    leaf = next(item for item in rw.leaves() if item.kind == "scored")
    response = client.patch(
        f"/api/reviews/{review.pk}/items/{leaf.pk}/", {"points": "2.5", "comment": "现场核实"}, format="json"
    )
    assert response.status_code == 200
    assert ReviewScore.objects.get(review=review, item=leaf).points == Decimal("2.5")
    refused = client.post(f"/api/reviews/{review.pk}/submit/", {}, format="json")
    assert refused.status_code == 400
    rw.score(review, share=Decimal("0.9"), submit=False)
    submitted = client.post(f"/api/reviews/{review.pk}/submit/", {}, format="json")
    assert submitted.status_code == 200
    assert (submitted.json()["status"], submitted.json()["total"]) == ("submitted", "90.00")
    city = api_for(rw.user("city"))
    assert city.get(f"/api/reviews/{review.pk}/").json()["scores"]
    assert (
        city.patch(f"/api/reviews/{review.pk}/items/{leaf.pk}/", {"points": "1"}, format="json").status_code
        == 403
    )


def test_the_office_draws_and_verifies_a_spot_check(rw, review) -> None:
    rw.checked(rw.world.tianxin_unit)
    city = api_for(rw.user("city"))
    response = city.post(
        "/api/spot-checks/",
        {"campaign": rw.campaign.pk, "size": 1, "seed": "abc", "weighted": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    spot_check = response.json()
    assert spot_check["seed"] == "abc"
    assert len(spot_check["population"]) == 2
    assert city.get(f"/api/spot-checks/{spot_check['id']}/verify/").json()["matches"] is True
    assert api_for(rw.user("tianxin")).get(f"/api/spot-checks/{spot_check['id']}/").status_code == 404
    refused = api_for(rw.user("tianxin")).post(
        "/api/spot-checks/", {"campaign": rw.campaign.pk, "size": 1}, format="json"
    )
    assert refused.status_code == 403


def test_a_conflicted_reviewer_assigned_by_hand_is_refused_with_the_reason(rw, review) -> None:
    conflicted = rw.reviewer("同区专家")
    ReviewerProfile.objects.create(user=conflicted, region=rw.world.furong)
    response = api_for(rw.user("city")).post(
        f"/api/review-panels/{review.application_id}/assign/",
        {"kind": "onsite", "reviewers": [conflicted.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "同一地区" in response.json()["reviewers"][0]
    auto = api_for(rw.user("city")).post(
        f"/api/review-panels/{review.application_id}/assign/", {"kind": "onsite"}, format="json"
    )
    assert auto.status_code == 201
    assert auto.json()["exclusions"][0]["reason"].startswith("同一地区")
    panel = api_for(rw.user("city")).get(f"/api/review-panels/{review.application_id}/").json()
    assert len(panel["reviews"]) == 2


def test_the_reviewer_keeps_a_profile_and_declares_conflicts(rw) -> None:
    client = api_for(rw.user("reviewer"))
    saved = client.put(
        "/api/reviewer-profile/me/", {"region": rw.world.tianxin.code, "expertise": "建筑节能"}, format="json"
    )
    assert saved.status_code == 200
    assert ReviewerProfile.objects.get(user=rw.user("reviewer")).region == rw.world.tianxin
    declared = client.post(
        "/api/reviewer-conflicts/", {"unit": rw.world.furong_unit.pk, "relation": "亲属任职"}, format="json"
    )
    assert declared.status_code == 201
    assert api_for(rw.user("city")).put("/api/reviewer-profile/me/", {}, format="json").status_code == 403
    other = api_for(rw.reviewer("另一位专家"))
    assert other.delete(f"/api/reviewer-conflicts/{declared.json()['id']}/").status_code == 404
    assert client.delete(f"/api/reviewer-conflicts/{declared.json()['id']}/").status_code == 204
    assert not ConflictDeclaration.objects.exists()


def test_the_office_combines_and_ranks_and_lists_the_runs(rw, review, django_assert_num_queries) -> None:
    rw.score(review, share=Decimal("0.9"))
    city = api_for(rw.user("city"))
    assert city.post(f"/api/review-campaigns/{rw.campaign.pk}/combine/").json() == {"combined": 1}
    import time_machine

    with time_machine.travel("2026-11-20 10:00 +0800"):
        ranked = city.post(f"/api/review-campaigns/{rw.campaign.pk}/rank/")
    assert ranked.status_code == 201
    assert ranked.json()["rows"][0]["outcome"] == "shortlisted"
    with django_assert_num_queries(2):
        runs = city.get("/api/ranking-runs/")
    assert len(runs.json()["results"]) == 1
    assert api_for(rw.user("tianxin")).get("/api/ranking-runs/").json()["results"] == []
    assert api_for(rw.user("furong")).post(f"/api/review-campaigns/{rw.campaign.pk}/rank/").status_code == 403
