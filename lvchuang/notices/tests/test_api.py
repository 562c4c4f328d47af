"""The notices API: the same scoping and services as the pages, identity null outside the issuing office."""

from __future__ import annotations

import datetime

import time_machine
from rest_framework.test import APIClient

from lvchuang.notices import services
from lvchuang.notices.models import DayOverride, Notice, NoticeEntry
from lvchuang.notices.tests.conftest import PUBLISH_DAY, PUBLISH_MOMENT, objection

AFTER_THE_WINDOW = datetime.datetime(2026, 12, 10, 2, tzinfo=datetime.UTC)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_creates_publishes_and_lists_a_notice(shortlisted_campaign):
    sc = shortlisted_campaign
    city = api_for(sc.user("city"))
    response = city.post(
        "/api/notices/", {"campaign": sc.campaign.pk, "title": "拟命名名单公示"}, format="json"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert [e["unit_name"] for e in created["entries"]] == ["识字岭社区居委会", "西牌楼社区居委会"]
    assert created["entries"][0]["is_demonstration"] is True
    assert created["status"] == "draft"
    with time_machine.travel(PUBLISH_MOMENT, tick=False):
        published = city.post(f"/api/notices/{created['id']}/publish/").json()
    assert (published["starts_on"], published["ends_on"]) == ("2026-12-01", "2026-12-09")
    assert published["status"] == "open"
    listed = city.get("/api/notices/", {"status": "open"}).json()
    assert [row["id"] for row in listed["results"]] == [created["id"]]


def test_the_api_refuses_a_notice_to_an_office_not_running_the_campaign(shortlisted_campaign):
    sc = shortlisted_campaign
    response = api_for(sc.user("furong")).post(
        "/api/notices/", {"campaign": sc.campaign.pk, "title": "公示"}, format="json"
    )
    assert response.status_code == 403
    response = api_for(sc.user("outsider")).post(
        "/api/notices/", {"campaign": sc.campaign.pk, "title": "公示"}, format="json"
    )
    assert response.status_code == 404
    assert not Notice.objects.exists()


def test_closing_early_answers_400_with_the_reason(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    with time_machine.travel(PUBLISH_MOMENT, tick=False):
        response = api_for(sc.user("city")).post(f"/api/notices/{notice.pk}/close/")
    assert response.status_code == 400
    assert "2026-12-09" in str(response.json())
    with time_machine.travel(AFTER_THE_WINDOW, tick=False):
        response = api_for(sc.user("city")).post(f"/api/notices/{notice.pk}/close/")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"


def test_the_identity_is_null_for_the_city_and_shown_to_the_issuing_district(district_campaign):
    dc = district_campaign
    notice = dc.open_notice()
    case = objection(notice, dc.entry(notice, "荷花池"), name="赵秀英", email="zhao@example.cn")
    seen_by_city = api_for(dc.user("city")).get(f"/api/objections/{case.pk}/").json()
    assert seen_by_city["case_number"] == case.case_number
    assert seen_by_city["identity_visible"] is False
    assert (seen_by_city["name"], seen_by_city["phone"], seen_by_city["email"]) == (None, None, None)
    listed = api_for(dc.user("city")).get("/api/objections/", {"notice": notice.pk}).json()
    assert listed["results"][0]["name"] is None
    seen_by_furong = api_for(dc.user("furong")).get(f"/api/objections/{case.pk}/").json()
    assert (seen_by_furong["name"], seen_by_furong["email"]) == ("赵秀英", "zhao@example.cn")
    assert api_for(dc.user("tianxin")).get(f"/api/objections/{case.pk}/").status_code == 404


def test_the_office_handles_a_case_through_the_api(district_campaign):
    dc = district_campaign
    notice = dc.open_notice()
    case = objection(notice, dc.entry(notice, "荷花池"))
    furong = api_for(dc.user("furong"))
    response = furong.post(f"/api/objections/{case.pk}/investigate/", {"findings": "核实中"}, format="json")
    assert response.json()["status"] == "investigating"
    response = furong.post(f"/api/objections/{case.pk}/decide/", {"upheld": True, "reply": ""}, format="json")
    assert response.status_code == 400
    response = furong.post(
        f"/api/objections/{case.pk}/decide/", {"upheld": True, "reply": "异议成立。"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "upheld"
    assert NoticeEntry.objects.get(notice=notice).status == NoticeEntry.Status.REMOVED
    detail = furong.get(f"/api/notices/{notice.pk}/").json()
    assert detail["entries"][0]["status"] == "removed"


def test_day_overrides_are_read_by_everyone_and_written_by_the_administrator(world):
    body = {"date": "2027-01-01", "is_workday": False, "name": "元旦", "source": "国办发明电〔2026〕"}
    assert api_for(world.user("city")).post("/api/day-overrides/", body, format="json").status_code == 403
    response = api_for(world.user("admin")).post("/api/day-overrides/", body, format="json")
    assert response.status_code == 201
    override = DayOverride.objects.get()
    listed = api_for(world.user("unit")).get("/api/day-overrides/").json()
    assert listed["results"][0]["name"] == "元旦"
    assert api_for(world.user("city")).delete(f"/api/day-overrides/{override.pk}/").status_code == 403
    assert api_for(world.user("admin")).delete(f"/api/day-overrides/{override.pk}/").status_code == 204
    assert not DayOverride.objects.exists()


def test_the_workdays_endpoint_previews_a_window(world):
    client = api_for(world.user("unit"))
    response = client.get(
        "/api/workdays/", {"publish_day": "2026-02-12", "length": "7", "day_kind": "working"}
    )
    preview = response.json()
    assert (preview["starts_on"], preview["ends_on"], preview["provisional"]) == (
        "2026-02-12",
        "2026-02-27",
        False,
    )
    days = {day["date"]: day["is_workday"] for day in preview["days"]}
    assert days["2026-02-14"] is True
    assert days["2026-02-16"] is False
    assert client.get("/api/workdays/", {"length": 7}).status_code == 400
    assert (
        client.get("/api/workdays/", {"publish_day": "2027-01-01", "length": "3"}).json()["provisional"]
        is True
    )


OBJECTING = datetime.datetime(2026, 12, 3, 2, tzinfo=datetime.UTC)


def test_the_public_objects_through_the_api_without_logging_in(shortlisted_campaign, settings):
    settings.OBJECTION_RATE = "2/h"
    sc = shortlisted_campaign
    notice = sc.open_notice()
    entry = sc.entry(notice, "西牌楼")
    public = APIClient()
    body = {
        "notice": notice.pk,
        "entry": entry.pk,
        "name": "李秀英",
        "phone": "13974120002",
        "content": "申报材料中的节水器具改造户数与实际不符，我所在单元没有一户改造。",
    }
    with time_machine.travel(OBJECTING, tick=False):
        receipt = public.post("/api/public-objections/", body, format="json")
        assert receipt.status_code == 201, receipt.json()
        case = notice.objections.get()
        assert receipt.json()["case_number"] == case.case_number
        assert receipt.json()["case_url"].endswith(f"/public/notices/case/{case.token}/")
        assert (case.name, case.entry_id, case.status) == ("李秀英", entry.pk, "received")
        # The service's checks answer 400 with the field; the address limit answers 429.
        bad = public.post("/api/public-objections/", {**body, "phone": "12"}, format="json")
        assert bad.status_code == 400
        assert "phone" in bad.json()
        refused = public.post("/api/public-objections/", body, format="json")
        assert refused.status_code == 429
    assert notice.objections.count() == 1


def test_the_public_api_knows_no_draft_and_no_foreign_entry(shortlisted_campaign):
    sc = shortlisted_campaign
    draft = sc.notice()
    public = APIClient()
    body = {"name": "李秀英", "phone": "13974120002", "content": "材料与实际不符，请核实。"}
    with time_machine.travel(OBJECTING, tick=False):
        response = public.post(
            "/api/public-objections/", {**body, "notice": draft.pk, "entry": 1}, format="json"
        )
        assert response.status_code == 404
        notice = services.publish_notice(by=sc.issuer, notice=draft, today=PUBLISH_DAY)
        foreign = NoticeEntry.objects.exclude(notice=notice).values_list("pk", flat=True).first() or 10**6
        response = public.post(
            "/api/public-objections/", {**body, "notice": notice.pk, "entry": foreign}, format="json"
        )
        assert response.status_code == 400
        assert "entry" in response.json()
