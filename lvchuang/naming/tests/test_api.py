"""The naming API: decisions, award payments and filings, scoped like the pages."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from lvchuang.naming.models import NamingDecision
from lvchuang.naming.tests.helpers import DOCUMENT, ISSUER, named


def _api(campaign_world, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(campaign_world.user(name))
    return client


def test_it_names_a_closed_notice(campaign_world, notice):
    response = _api(campaign_world, "city").post(
        reverse("naming-decision-list"),
        {"notice": notice.pk, "document_number": DOCUMENT, "decided_on": "2026-12-20", "issuer": ISSUER},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [t["certificate_number"] for t in body["titles"]] == ["2026-4301-00001", "2026-4301-00002"]
    assert [a["amount"] for a in body["awards"]] == [10000, 10000]
    assert body["filing"]["due_on"] == "2027-01-20"


def test_it_refuses_a_second_decision_with_the_reason(campaign_world, notice):
    named(campaign_world, notice)
    response = _api(campaign_world, "city").post(
        reverse("naming-decision-list"),
        {"notice": notice.pk, "document_number": "另一文号", "decided_on": "2026-12-21", "issuer": ISSUER},
        format="json",
    )
    assert response.status_code == 400
    assert "已作出命名决定" in response.content.decode()
    assert NamingDecision.objects.count() == 1


def test_a_sibling_district_cannot_see_the_notice_of_another_district(campaign_world, notice):
    # the city campaign is visible to both districts, but only the city office may name
    response = _api(campaign_world, "tianxin").post(
        reverse("naming-decision-list"),
        {"notice": notice.pk, "document_number": DOCUMENT, "decided_on": "2026-12-20", "issuer": ISSUER},
        format="json",
    )
    assert response.status_code == 403


def test_award_payments_are_paid_and_cancelled(campaign_world, notice):
    decision = named(campaign_world, notice)
    first, second = decision.awards.order_by("payer")
    client = _api(campaign_world, "city")
    paid = client.post(
        reverse("award-payment-pay", args=[first.pk]),
        {"paid_on": "2027-03-01", "reference": "V1"},
        format="json",
    )
    assert paid.json()["status"] == "paid"
    cancelled = client.post(
        reverse("award-payment-cancel", args=[second.pk]), {"reason": "调整"}, format="json"
    )
    assert cancelled.json()["status"] == "cancelled"
    listed = client.get(reverse("award-payment-list"), {"status": "paid"}).json()
    assert [row["id"] for row in listed["results"]] == [first.pk]


def test_a_unit_sees_its_own_awards_but_cannot_pay_them(campaign_world, notice):
    decision = named(campaign_world, notice)
    payment = decision.awards.get(payer="市环保局")
    client = _api(campaign_world, "unit")
    assert client.get(reverse("award-payment-detail", args=[payment.pk])).status_code == 200
    response = client.post(
        reverse("award-payment-pay", args=[payment.pk]),
        {"paid_on": "2027-03-01", "reference": "V1"},
        format="json",
    )
    assert response.status_code == 403


def test_filings_are_filed_and_acknowledged(campaign_world, notice):
    filing = named(campaign_world, notice).filing
    filed = _api(campaign_world, "city").post(
        reverse("filing-file", args=[filing.pk]), {"filed_on": "2027-01-10"}, format="multipart"
    )
    assert filed.status_code == 200, filed.content
    assert filed.json()["status"] == "filed"
    refused = _api(campaign_world, "city").post(reverse("filing-acknowledge", args=[filing.pk]))
    assert refused.status_code == 403
    acknowledged = _api(campaign_world, "province").post(reverse("filing-acknowledge", args=[filing.pk]))
    assert acknowledged.json()["acknowledged_on"] is not None
    assert _api(campaign_world, "tianxin").get(reverse("filing-detail", args=[filing.pk])).status_code == 404
