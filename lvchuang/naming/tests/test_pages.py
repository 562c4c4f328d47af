"""The naming pages: the decision form with its refusals, the decision, the exports, awards and filings."""

from __future__ import annotations

import datetime
import io

import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lvchuang.naming.models import AwardPayment, NamingDecision
from lvchuang.naming.tests.helpers import DOCUMENT, ISSUER, named, notice_of
from lvchuang.notices.models import Notice
from lvchuang.titles.models import Title

DECEMBER = datetime.datetime(2026, 12, 21, 10, tzinfo=datetime.UTC)


def _client(campaign_world, name: str) -> Client:
    client = Client()
    client.force_login(campaign_world.user(name))
    return client


def test_the_decide_page_lists_the_units_and_names_them(campaign_world, notice):
    client = _client(campaign_world, "city")
    url = reverse("naming:decide", args=[notice.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "识字岭社区居委会" in text
    assert "西牌楼社区居委会" in text
    response = client.post(url, {"document_number": DOCUMENT, "decided_on": "2026-12-20", "issuer": ISSUER})
    decision = NamingDecision.objects.get(notice=notice)
    assert response.status_code == 302
    assert response["Location"] == reverse("naming:decision_detail", args=[decision.pk])
    assert Title.objects.filter(campaign=campaign_world.campaign).count() == 2


def test_the_decide_page_says_why_an_open_notice_cannot_be_named(campaign_world):
    notice = notice_of(campaign_world, [(campaign_world.world.furong_unit, False)], status=Notice.Status.OPEN)
    client = _client(campaign_world, "city")
    url = reverse("naming:decide", args=[notice.pk])
    page = client.get(url)
    assert "公示尚未结束" in page.content.decode()
    response = client.post(url, {"document_number": DOCUMENT, "decided_on": "2026-12-20", "issuer": ISSUER})
    assert response.status_code == 200
    assert not NamingDecision.objects.exists()


def test_the_decide_page_keeps_what_was_typed_when_a_field_is_missing(campaign_world, notice):
    response = _client(campaign_world, "city").post(
        reverse("naming:decide", args=[notice.pk]), {"document_number": DOCUMENT, "decided_on": "2026-12-20"}
    )
    assert response.status_code == 200
    assert DOCUMENT in response.content.decode()
    assert not NamingDecision.objects.exists()


def test_a_district_office_may_read_but_not_name_a_city_notice(campaign_world, notice):
    assert (
        _client(campaign_world, "furong").get(reverse("naming:decide", args=[notice.pk])).status_code == 403
    )


def test_the_decision_page_shows_titles_awards_and_the_filing(campaign_world, notice):
    decision = named(campaign_world, notice)
    with time_machine.travel(DECEMBER, tick=False):
        text = (
            _client(campaign_world, "city")
            .get(reverse("naming:decision_detail", args=[decision.pk]))
            .content.decode()
        )
    assert "2026-4301-00001" in text
    assert "市环保局" in text
    assert "市能源局" in text
    assert "2027-01-20" in text
    assert reverse("naming:award_pay", args=[decision.awards.get(payer="市环保局").pk]) in text
    assert reverse("naming:filing_file", args=[decision.filing.pk]) in text


def test_the_named_list_exports_as_csv_and_excel(campaign_world, notice):
    decision = named(campaign_world, notice)
    client = _client(campaign_world, "furong")
    csv_text = client.get(reverse("naming:named_list_csv", args=[decision.pk])).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("序号,单位名称")
    assert lines[1].startswith("1,识字岭社区居委会")
    assert "2026-4301-00001" in lines[1]
    response = client.get(reverse("naming:named_list_xlsx", args=[decision.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "西牌楼社区居委会" in values
    assert "2026-4301-00002" in values


def test_paying_and_cancelling_from_the_decision_page(campaign_world, notice):
    decision = named(campaign_world, notice)
    first, second = decision.awards.order_by("payer")
    client = _client(campaign_world, "city")
    client.post(reverse("naming:award_pay", args=[first.pk]), {"paid_on": "2027-03-01", "reference": "V1"})
    client.post(reverse("naming:award_cancel", args=[second.pk]), {"reason": "资金渠道调整"})
    assert AwardPayment.objects.get(pk=first.pk).status == "paid"
    assert AwardPayment.objects.get(pk=second.pk).status == "cancelled"


def test_the_award_list_filters_and_totals_per_payer(campaign_world, notice):
    decision = named(campaign_world, notice)
    first = decision.awards.get(payer="市环保局")
    client = _client(campaign_world, "city")
    client.post(reverse("naming:award_pay", args=[first.pk]), {"paid_on": "2027-03-01", "reference": "V1"})
    page = client.get(reverse("naming:award_list"), {"status": "pending"})
    totals = {row["payer"]: (row["due"], row["paid"]) for row in page.context["totals"]}
    assert totals == {"市能源局": (10000, 0)}
    everything = client.get(reverse("naming:award_list"))
    assert {row["payer"]: row["paid"] for row in everything.context["totals"]} == {
        "市环保局": 10000,
        "市能源局": 0,
    }
    assert _client(campaign_world, "tianxin").get(reverse("naming:award_list")).context["totals"] == []


def test_the_filing_list_marks_an_overdue_filing_for_both_offices(campaign_world, notice):
    named(campaign_world, notice)
    with time_machine.travel(datetime.datetime(2027, 2, 1, 10, tzinfo=datetime.UTC), tick=False):
        sender = _client(campaign_world, "city").get(reverse("naming:filing_list"))
        receiver = _client(campaign_world, "province").get(reverse("naming:filing_list"))
    assert [overdue for _filing, overdue in sender.context["sent"]] == [True]
    assert [overdue for _filing, overdue in receiver.context["received"]] == [True]
    assert "已逾期" in sender.content.decode()


def test_filing_and_acknowledging_from_the_pages(campaign_world, notice):
    decision = named(campaign_world, notice)
    filing = decision.filing
    _client(campaign_world, "city").post(
        reverse("naming:filing_file", args=[filing.pk]), {"filed_on": "2027-01-10", "note": "纸质件已寄"}
    )
    _client(campaign_world, "province").post(reverse("naming:filing_acknowledge", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.status == "filed"
    assert filing.acknowledged_on is not None
