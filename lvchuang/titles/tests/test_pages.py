"""The title pages: the registry with filters, a title's page, its certificates, revocation and reinstatement."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from lvchuang.naming.models import AwardPayment
from lvchuang.titles.models import Title


def _client(campaign_world, name: str) -> Client:
    client = Client()
    client.force_login(campaign_world.user(name))
    return client


def _units(response) -> list[str]:
    return [title.unit.name for title in response.context["page_obj"]]


def test_the_registry_lists_the_titles_within_sight(campaign_world, title):
    city = _client(campaign_world, "city").get(reverse("titles:list"))
    assert sorted(_units(city)) == ["西牌楼社区居委会", "识字岭社区居委会", "识字岭社区居委会"]
    assert _units(_client(campaign_world, "tianxin").get(reverse("titles:list"))) == ["西牌楼社区居委会"]
    assert _units(_client(campaign_world, "outsider").get(reverse("titles:list"))) == []


def test_the_registry_filters_by_program_level_year_status_region_and_name(campaign_world, title):
    client = _client(campaign_world, "city")
    url = reverse("titles:list")
    assert _units(client.get(url, {"program": campaign_world.program.pk})) == ["识字岭社区居委会"]
    assert _units(client.get(url, {"level": "city"})) == ["识字岭社区居委会"]
    assert len(_units(client.get(url, {"year": 2024}))) == 2
    assert _units(client.get(url, {"region": campaign_world.world.tianxin.code})) == ["西牌楼社区居委会"]
    assert _units(client.get(url, {"q": "2026-4301-00001"})) == ["识字岭社区居委会"]
    assert _units(client.get(url, {"q": "西牌楼"})) == ["西牌楼社区居委会"]
    assert _units(client.get(url, {"status": "revoked"})) == []


def test_the_title_page_shows_dates_number_events_awards_and_certificate_links(campaign_world, title):
    text = _client(campaign_world, "furong").get(reverse("titles:detail", args=[title.pk])).content.decode()
    for expected in ("2026-4301-00001", "2031-12-19", "长创绿办〔2026〕12号", "命名", "市环保局", "市能源局"):
        assert expected in text, expected
    assert reverse("titles:certificate_pdf", args=[title.pk]) in text
    assert reverse("titles:plaque_pdf", args=[title.pk]) in text
    assert reverse("titles:revoke", args=[title.pk]) not in text  # the district only reads a city title


def test_the_certificate_and_plaque_open_as_pdf(campaign_world, title):
    client = _client(campaign_world, "unit")
    for name in ("titles:certificate_pdf", "titles:plaque_pdf"):
        response = client.get(reverse(name, args=[title.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")


def test_the_city_office_revokes_with_a_document_and_the_unpaid_awards_are_cancelled(campaign_world, title):
    client = _client(campaign_world, "city")
    url = reverse("titles:revoke", args=[title.pk])
    refused = client.post(url, {"reason": "发生重大污染事故", "document_number": "", "on": "2027-04-01"})
    assert refused.status_code == 200
    assert "发生重大污染事故" in refused.content.decode()  # what was typed is kept
    assert Title.objects.get(pk=title.pk).status == Title.Status.VALID
    done = client.post(
        url, {"reason": "发生重大污染事故", "document_number": "长创绿办〔2027〕3号", "on": "2027-04-01"}
    )
    assert done.status_code == 302
    assert Title.objects.get(pk=title.pk).status == Title.Status.REVOKED
    assert set(AwardPayment.objects.filter(title=title).values_list("status", flat=True)) == {"cancelled"}


def test_a_district_office_may_not_revoke_a_city_title(campaign_world, title):
    response = _client(campaign_world, "furong").post(
        reverse("titles:revoke", args=[title.pk]),
        {"reason": "发生重大污染事故", "document_number": "x", "on": "2027-04-01"},
    )
    assert response.status_code == 403
    assert Title.objects.get(pk=title.pk).status == Title.Status.VALID


def test_a_revocation_in_error_is_reinstated_from_the_page(campaign_world, title):
    client = _client(campaign_world, "city")
    client.post(
        reverse("titles:revoke", args=[title.pk]),
        {"reason": "发生重大污染事故", "document_number": "长创绿办〔2027〕3号", "on": "2027-04-01"},
    )
    client.post(
        reverse("titles:reinstate", args=[title.pk]),
        {"reason": "经复查事故系误报", "document_number": "长创绿办〔2027〕5号", "on": "2027-04-20"},
    )
    title.refresh_from_db()
    assert title.status == Title.Status.VALID
    assert title.events.order_by("pk").last().document_number == "长创绿办〔2027〕5号"


def test_a_paper_title_gets_a_certificate_number_on_demand(campaign_world, paper_title):
    client = _client(campaign_world, "tianxin")
    detail = client.get(reverse("titles:detail", args=[paper_title.pk]))
    assert reverse("titles:issue_number", args=[paper_title.pk]) in detail.content.decode()
    pdf = client.get(reverse("titles:certificate_pdf", args=[paper_title.pk]))
    assert pdf.status_code == 302  # no number yet: back to the page, which says so
    client.post(reverse("titles:issue_number", args=[paper_title.pk]))
    paper_title.refresh_from_db()
    # numbered under the district that named it from paper, in the year of the title
    assert paper_title.certificate_number == "2024-430103-00001"
    assert client.get(reverse("titles:certificate_pdf", args=[paper_title.pk])).status_code == 200
    client.post(reverse("titles:issue_number", args=[paper_title.pk]))
    paper_title.refresh_from_db()
    assert paper_title.certificate_number == "2024-430103-00001"


def test_the_registry_reads_a_fixed_number_of_queries_whatever_its_length(
    campaign_world, title, django_assert_max_num_queries
):
    client = _client(campaign_world, "city")
    client.get(reverse("titles:list"))  # warm the session and the jurisdiction
    for number in range(5):
        Title.objects.create(
            unit=campaign_world.world.furong_unit,
            program=campaign_world.district_program,
            year=2010 + number,
            named_on=title.named_on,
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("titles:list"))
    assert len(response.context["page_obj"]) == 8
