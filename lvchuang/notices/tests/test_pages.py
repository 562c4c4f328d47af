"""The office pages: making, publishing and closing a notice, handling a case, the holiday calendar."""

from __future__ import annotations

import datetime

import time_machine
from django.test import Client
from django.urls import reverse

from lvchuang.applications.models import Status
from lvchuang.notices.models import DayOverride, Notice, NoticeEntry, Objection
from lvchuang.notices.tests.conftest import PUBLISH_MOMENT, objection, png

IN_THE_WINDOW = datetime.datetime(2026, 12, 3, 2, tzinfo=datetime.UTC)
AFTER_THE_WINDOW = datetime.datetime(2026, 12, 10, 2, tzinfo=datetime.UTC)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_makes_a_draft_from_the_campaign_and_publishes_it(shortlisted_campaign):
    sc = shortlisted_campaign
    city = client_for(sc.user("city"))
    url = reverse("notices:create", args=[sc.campaign.pk])
    page = city.get(url)
    assert page.status_code == 200
    assert "识字岭社区居委会" in page.content.decode()
    response = city.post(url, {"title": "", "body": "请实名提出异议。"})
    assert response.status_code == 400
    assert "请实名提出异议。" in response.content.decode()  # kept
    response = city.post(url, {"title": "拟命名名单公示", "contact_phone": "0731-88886666"})
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:detail", args=[notice.pk])
    with time_machine.travel(PUBLISH_MOMENT, tick=False):
        city = client_for(sc.user("city"))  # signed in at that moment: sessions expire
        detail = city.get(reverse("notices:detail", args=[notice.pk])).content.decode()
        assert "如果今天发布：2026-12-01 至 2026-12-09" in detail
        city.post(reverse("notices:publish", args=[notice.pk]))
    notice.refresh_from_db()
    assert (notice.status, notice.starts_on, notice.ends_on) == (
        Notice.Status.OPEN,
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 9),
    )


def test_the_list_shows_notices_in_the_jurisdiction(district_campaign):
    dc = district_campaign
    dc.open_notice(title="芙蓉区拟命名名单公示")
    assert "芙蓉区拟命名名单公示" in client_for(dc.user("city")).get(reverse("notices:list")).content.decode()
    assert (
        "芙蓉区拟命名名单公示"
        not in client_for(dc.user("tianxin")).get(reverse("notices:list")).content.decode()
    )


def test_closing_too_early_or_with_an_open_case_says_why(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    case = objection(notice, sc.entry(notice, "识字岭"))
    url = reverse("notices:close", args=[notice.pk])
    with time_machine.travel(IN_THE_WINDOW, tick=False):
        page = client_for(sc.user("city")).post(url, follow=True).content.decode()
    assert "2026-12-09 之后方可结束公示" in page
    with time_machine.travel(AFTER_THE_WINDOW, tick=False):
        page = client_for(sc.user("city")).post(url, follow=True).content.decode()
    assert f"以下异议尚未办结，办结后方可结束公示：{case.case_number}" in page
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.OPEN


def test_the_city_office_sees_a_district_case_without_the_objectors_identity(district_campaign):
    dc = district_campaign
    notice = dc.open_notice()
    case = objection(notice, dc.entry(notice, "荷花池"), name="赵秀英", phone="13907310001", evidence=png())
    url = reverse("notices:objection", args=[case.pk])
    city_page = client_for(dc.user("city")).get(url).content.decode()
    assert "异议人信息仅受理单位可见" in city_page
    assert "赵秀英" not in city_page
    assert "13907310001" not in city_page
    assert case.content in city_page
    furong_page = client_for(dc.user("furong")).get(url).content.decode()
    assert "赵秀英" in furong_page
    assert "13907310001" in furong_page


def test_only_the_issuing_office_downloads_the_evidence(district_campaign):
    dc = district_campaign
    notice = dc.open_notice()
    case = objection(notice, dc.entry(notice, "荷花池"), evidence=png())
    url = reverse("notices:objection_evidence", args=[case.pk])
    response = client_for(dc.user("furong")).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a FileResponse.startswith(b"\x89PNG")
    for name in ("city", "admin", "tianxin", "outsider"):
        assert client_for(dc.user(name)).get(url).status_code == 404, name


def test_the_office_investigates_and_upholds_a_case_on_its_page(district_campaign):
    dc = district_campaign
    notice = dc.open_notice()
    entry = dc.entry(notice, "荷花池")
    case = objection(notice, entry)
    furong = client_for(dc.user("furong"))
    furong.post(reverse("notices:investigate", args=[case.pk]), {"findings": "约谈社区。"})
    response = furong.post(
        reverse("notices:decide", args=[case.pk]), {"outcome": "upheld", "reply": "", "findings": "属实"}
    )
    assert response.status_code == 400
    assert "属实" in response.content.decode()
    response = furong.post(
        reverse("notices:decide", args=[case.pk]), {"outcome": "upheld", "reply": "经核实，异议成立。"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    entry.refresh_from_db()
    assert case.status == Objection.Status.UPHELD
    assert entry.status == NoticeEntry.Status.REMOVED
    assert dc.application("荷花池").status == Status.REJECTED


def test_the_calendar_previews_a_window_for_everyone_and_takes_overrides_from_the_administrator(world):
    city = client_for(world.user("city"))
    url = reverse("notices:calendar")
    page = city.get(url, {"publish_day": "2026-09-29", "length": "7", "day_kind": "working"}).content.decode()
    assert "公示期：2026-09-29 至 2026-10-13" in page
    response = city.post(reverse("notices:override_add"), {"date": "2027-01-01", "name": "元旦"})
    assert response.status_code == 403
    admin = client_for(world.user("admin"))
    response = admin.post(
        reverse("notices:override_add"), {"date": "2027-01-01", "name": "元旦", "source": "国办发明电"}
    )
    assert response.status_code == 302
    override = DayOverride.objects.get()
    assert (override.date, override.is_workday) == (datetime.date(2027, 1, 1), False)
    page = city.get(url, {"publish_day": "2027-01-01", "length": "7", "day_kind": "working"}).content.decode()
    assert "公示期：2027-01-04 至 2027-01-12" in page
    delete_url = reverse("notices:override_delete", args=[override.pk])
    assert city.post(delete_url).status_code == 403
    admin.post(delete_url)
    assert not DayOverride.objects.exists()
