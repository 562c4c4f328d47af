"""The public notice pages: no login, the objection form with its honeypot and per-address limit, the case page
behind its private link, and the feeds."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lvchuang.notices import services
from lvchuang.notices.models import Objection
from lvchuang.notices.tests.conftest import png

IN_THE_WINDOW = datetime.datetime(2026, 12, 3, 2, tzinfo=datetime.UTC)
AFTER_THE_WINDOW = datetime.datetime(2026, 12, 10, 2, tzinfo=datetime.UTC)


@pytest.fixture
def in_the_window() -> Iterator[None]:
    with time_machine.travel(IN_THE_WINDOW, tick=False):
        yield


@pytest.fixture
def notice(shortlisted_campaign):
    return shortlisted_campaign.open_notice(title="长沙市2026年市级节能环保社区拟命名名单公示")


def form_for(notice, entry, **changes):
    data = {
        "entry": entry.pk,
        "name": "王建国",
        "phone": "13807310000",
        "email": "",
        "content": "该社区垃圾分类设施长期闲置，与申报材料不符。",
        "website": "",
    }
    data.update(changes)
    return data


def test_the_public_pages_need_no_login(shortlisted_campaign, notice, in_the_window):
    case = services.submit_objection(
        notice=notice,
        entry=shortlisted_campaign.entry(notice, "识字岭"),
        name="王建国",
        phone="13807310000",
        content="该社区垃圾分类设施长期闲置，与申报材料不符。",
        client_address="10.0.0.8",
    )
    anonymous = Client()
    for url in (
        reverse("public_notices:list"),
        reverse("public_notices:detail", args=[notice.pk]),
        reverse("public_notices:object", args=[notice.pk]),
        reverse("public_notices:case", args=[case.token]),
        reverse("public_notices:rss"),
        reverse("public_notices:atom"),
    ):
        assert anonymous.get(url).status_code == 200, url


def test_a_draft_is_not_public_and_a_wrong_token_finds_nothing(shortlisted_campaign):
    draft = shortlisted_campaign.notice()
    assert Client().get(reverse("public_notices:detail", args=[draft.pk])).status_code == 404
    assert Client().get(reverse("public_notices:object", args=[draft.pk])).status_code == 404
    assert Client().get(reverse("public_notices:case", args=["not-a-token"])).status_code == 404


def test_the_notice_shows_units_scores_ranks_and_the_window(shortlisted_campaign, notice, in_the_window):
    page = Client().get(reverse("public_notices:detail", args=[notice.pk])).content.decode()
    for text in ("识字岭社区居委会", "西牌楼社区居委会", "示范", "2026-12-01 至 2026-12-09", "0731-88886666"):
        assert text in page
    first = notice.entries.get(rank=1)
    assert str(first.score) in page
    assert reverse("public_notices:object", args=[notice.pk]) in page


def test_a_removed_unit_is_shown_as_removed_without_the_reasons(shortlisted_campaign, notice):
    sc = shortlisted_campaign
    case = services.submit_objection(
        notice=notice,
        entry=sc.entry(notice, "识字岭"),
        name="王建国",
        phone="13807310000",
        content="该社区垃圾分类设施长期闲置，与申报材料不符。",
        client_address="10.0.0.8",
        today=notice.starts_on,
    )
    services.start_investigation(by=sc.issuer, objection=case, findings="内部：约谈了社区书记。")
    services.decide_objection(by=sc.issuer, objection=case, upheld=True, reply="经现场核实，设施闲置属实。")
    page = Client().get(reverse("public_notices:detail", args=[notice.pk])).content.decode()
    assert "<del>识字岭社区居委会</del>" in page
    assert "经核实异议成立，已移出名单" in page
    assert "设施闲置属实" not in page
    assert "王建国" not in page


def test_an_objection_from_the_form_gets_a_case_page_with_its_private_link(
    shortlisted_campaign, notice, in_the_window
):
    entry = shortlisted_campaign.entry(notice, "西牌楼")
    data = form_for(notice, entry)
    data["evidence"] = png()
    response = Client().post(reverse("public_notices:object", args=[notice.pk]), data)
    case = Objection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public_notices:case", args=[case.token]) + "?submitted=1"
    assert (case.entry, case.name, case.evidence_name) == (entry, "王建国", "现场照片.png")
    page = Client().get(response["Location"]).content.decode()
    assert case.case_number in page
    assert f"/public/notices/case/{case.token}/" in page
    assert "王建国" not in page  # the page shows the case, not who filed it


def test_the_case_page_shows_the_reply_but_never_the_findings(shortlisted_campaign, notice):
    sc = shortlisted_campaign
    case = services.submit_objection(
        notice=notice,
        entry=sc.entry(notice, "西牌楼"),
        name="王建国",
        phone="13807310000",
        content="该社区垃圾分类设施长期闲置，与申报材料不符。",
        client_address="10.0.0.8",
        today=notice.starts_on,
    )
    url = reverse("public_notices:case", args=[case.token])
    services.start_investigation(by=sc.issuer, objection=case, findings="内部：约谈了社区书记。")
    page = Client().get(url).content.decode()
    assert "调查核实中" in page
    assert "约谈" not in page
    services.decide_objection(by=sc.issuer, objection=case, upheld=False, reply="经核实，设施正常使用。")
    response = Client().get(url)
    page = response.content.decode()
    assert "异议不成立" in page
    assert "经核实，设施正常使用。" in page
    assert "约谈" not in page
    assert "no-store" in response["Cache-Control"]


def test_the_honeypot_turns_away_robots(shortlisted_campaign, notice, in_the_window):
    entry = shortlisted_campaign.entry(notice, "西牌楼")
    response = Client().post(
        reverse("public_notices:object", args=[notice.pk]),
        form_for(notice, entry, website="http://spam.example"),
    )
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_a_refused_objection_keeps_what_was_typed_except_the_file(
    shortlisted_campaign, notice, in_the_window
):
    entry = shortlisted_campaign.entry(notice, "西牌楼")
    data = form_for(notice, entry, phone="12345", content="该社区的台账是补做的，日期前后矛盾。")
    data["evidence"] = png()
    response = Client().post(reverse("public_notices:object", args=[notice.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "该社区的台账是补做的，日期前后矛盾。" in page
    assert 'value="王建国"' in page
    assert "已选择的证据文件没有保留" in page
    assert not Objection.objects.exists()


def test_it_refuses_the_sixth_objection_from_one_address_and_keeps_the_text(
    shortlisted_campaign, notice, in_the_window, settings
):
    settings.OBJECTION_RATE = "5/h"
    entry = shortlisted_campaign.entry(notice, "西牌楼")
    url = reverse("public_notices:object", args=[notice.pk])
    client = Client(REMOTE_ADDR="10.1.2.3")
    for number in range(5):
        response = client.post(url, form_for(notice, entry, content=f"第{number + 1}件：台账日期前后矛盾。"))
        assert response.status_code == 302
    response = client.post(url, form_for(notice, entry, content="第六件：台账日期前后矛盾。"))
    assert response.status_code == 429
    page = response.content.decode()
    assert "提交过于频繁" in page
    assert "第六件：台账日期前后矛盾。" in page
    assert Objection.objects.count() == 5
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.9.9.9").post(url, form_for(notice, entry))
    assert other.status_code == 302


def test_the_form_says_when_the_window_is_over(shortlisted_campaign, notice):
    entry = shortlisted_campaign.entry(notice, "西牌楼")
    url = reverse("public_notices:object", args=[notice.pk])
    with time_machine.travel(AFTER_THE_WINDOW, tick=False):
        page = Client().get(url).content.decode()
        assert "公示期已于 2026-12-09 截止" in page
        response = Client().post(url, form_for(notice, entry))
    assert response.status_code == 400
    assert "王建国" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_feeds_list_the_notices(shortlisted_campaign, notice):
    rss = Client().get(reverse("public_notices:rss"))
    atom = Client().get(reverse("public_notices:atom"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    for response in (rss, atom):
        body = response.content.decode()
        assert "长沙市2026年市级节能环保社区拟命名名单公示" in body
        assert reverse("public_notices:detail", args=[notice.pk]) in body


def test_the_list_shows_open_and_closed_notices(shortlisted_campaign, notice, district_campaign):
    district = district_campaign.open_notice(title="芙蓉区拟命名名单公示")
    services.close_notice(by=district_campaign.issuer, notice=district, today=datetime.date(2026, 12, 10))
    page = Client().get(reverse("public_notices:list")).content.decode()
    assert page.index("长沙市2026年市级节能环保社区拟命名名单公示") < page.index("近期结束的公示")
    assert page.index("芙蓉区拟命名名单公示") > page.index("近期结束的公示")
