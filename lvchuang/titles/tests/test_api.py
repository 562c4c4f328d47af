"""The titles API: the scoped registry, revocation and reinstatement, certificate numbers and PDFs."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from lvchuang.titles.models import Title


def _api(campaign_world, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(campaign_world.user(name))
    return client


def test_the_list_is_scoped_and_filtered(campaign_world, title):
    client = _api(campaign_world, "tianxin")
    assert [row["unit_name"] for row in client.get(reverse("title-list")).json()["results"]] == [
        "西牌楼社区居委会"
    ]
    city = _api(campaign_world, "city").get(reverse("title-list"), {"level": "city"}).json()["results"]
    assert [(row["unit_name"], row["certificate_number"]) for row in city] == [
        ("识字岭社区居委会", "2026-4301-00001")
    ]


def test_the_detail_has_the_events_and_the_verification_url(campaign_world, title):
    body = _api(campaign_world, "furong").get(reverse("title-detail", args=[title.pk])).json()
    assert [(e["from_status"], e["to_status"], e["reason"]) for e in body["events"]] == [
        ("", "valid", "命名")
    ]
    assert body["verification_url"].endswith("/2026-4301-00001/")
    assert _api(campaign_world, "tianxin").get(reverse("title-detail", args=[title.pk])).status_code == 404


def test_revoke_needs_a_document_number_and_reinstate_undoes_it(campaign_world, title):
    client = _api(campaign_world, "city")
    url = reverse("title-revoke", args=[title.pk])
    refused = client.post(url, {"reason": "发生重大污染事故"}, format="json")
    assert refused.status_code == 400
    assert "document_number" in refused.json()
    revoked = client.post(
        url,
        {"reason": "发生重大污染事故", "document_number": "长创绿办〔2027〕3号", "on": "2027-04-01"},
        format="json",
    )
    assert revoked.json()["status"] == "revoked"
    reinstated = client.post(
        reverse("title-reinstate", args=[title.pk]),
        {"reason": "事故系误报", "document_number": "长创绿办〔2027〕5号", "on": "2027-04-20"},
        format="json",
    )
    assert reinstated.json()["status"] == "valid"
    assert [e["to_status"] for e in reinstated.json()["events"]] == ["valid", "revoked", "valid"]
    early = client.post(url, {"reason": "x", "document_number": "y", "on": "2026-12-01"}, format="json")
    assert early.status_code == 400  # before the title was named


def test_a_district_office_reads_but_cannot_revoke_a_city_title(campaign_world, title):
    response = _api(campaign_world, "furong").post(
        reverse("title-revoke", args=[title.pk]), {"reason": "x", "document_number": "y"}, format="json"
    )
    assert response.status_code == 403
    assert Title.objects.get(pk=title.pk).status == "valid"


def test_certificate_pdfs_and_numbers(campaign_world, title, paper_title):
    client = _api(campaign_world, "city")
    assert client.get(reverse("title-certificate-pdf", args=[title.pk])).content.startswith(b"%PDF-")
    assert client.get(reverse("title-plaque-pdf", args=[title.pk]))["Content-Type"] == "application/pdf"
    assert client.get(reverse("title-certificate-pdf", args=[paper_title.pk])).status_code == 400
    numbered = client.post(reverse("title-certificate-number", args=[paper_title.pk]))
    assert numbered.json()["certificate_number"] == "2024-430103-00001"
