"""The joint meeting API: the same rules and messages as the pages, scoped the same way."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from lvchuang.meetings.models import AgreedItem, Liaison, Meeting
from lvchuang.organisations.models import Department

Status = AgreedItem.Status


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 4, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_lists_bodies_with_counts_and_shows_members_and_liaisons(mw) -> None:
    city = api_for(mw.user("city"))
    rows = city.get("/api/meeting-bodies/").json()["results"]
    row = next(r for r in rows if r["id"] == mw.body.pk)
    assert (row["member_count"], row["meeting_count"], row["open_count"], row["overdue_count"]) == (
        3,
        1,
        2,
        1,
    )
    detail = city.get(f"/api/meeting-bodies/{mw.body.pk}/").json()
    lead = detail["members"][0]
    assert (lead["department_name"], lead["is_lead"]) == ("芙蓉区住建局", True)
    assert lead["liaisons"][0]["user_name"] == "周住建"
    meetings = city.get(f"/api/meeting-bodies/{mw.body.pk}/meetings/").json()
    assert [m["title"] for m in meetings] == ["2026年第一次联席会议"]
    assert api_for(mw.user("tianxin")).get(f"/api/meeting-bodies/{mw.body.pk}/").status_code == 404
    assert all(
        r["id"] != mw.body.pk
        for r in api_for(mw.user("tianxin")).get("/api/meeting-bodies/").json()["results"]
    )


def test_the_office_creates_and_patches_a_meeting(mw) -> None:
    furong = api_for(mw.user("furong"))
    response = furong.post(
        "/api/meetings/",
        {
            "body": mw.body.pk,
            "title": "2026年第二次联席会议",
            "held_on": "2026-04-15",
            "attendees": [
                {"department": mw.housing.pk, "name": "李住建"},
                {"name": "钱专家", "department": None},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.attendances.count() == 2
    patched = furong.patch(f"/api/meetings/{meeting.pk}/", {"minutes": "纪要正文"}, format="json")
    assert patched.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.title, meeting.attendances.count()) == (
        "纪要正文",
        "2026年第二次联席会议",
        2,
    )
    finance = Department.objects.create(name="芙蓉区财政局", region=mw.world.furong)
    refused = furong.patch(
        f"/api/meetings/{meeting.pk}/",
        {"attendees": [{"department": finance.pk, "name": "某人"}]},
        format="json",
    )
    assert refused.status_code == 400
    assert "不是芙蓉区绿色社区创建行动联席会议的成员单位" in str(refused.json())


def test_the_minutes_scan_is_uploaded_and_downloaded_through_the_api(mw) -> None:
    furong = api_for(mw.user("furong"))
    scan = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = furong.post(
        f"/api/meetings/{mw.meeting.pk}/minutes-upload/", {"file": scan}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["has_minutes_file"] is True
    download = api_for(mw.user("city")).get(f"/api/meetings/{mw.meeting.pk}/minutes-file/")
    assert download.status_code == 200
    assert api_for(mw.user("outsider")).get(f"/api/meetings/{mw.meeting.pk}/minutes-file/").status_code == 404
    scan = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert (
        api_for(mw.user("housing"))
        .post(f"/api/meetings/{mw.meeting.pk}/minutes-upload/", {"file": scan}, format="multipart")
        .status_code
        == 403
    )


def test_the_office_adds_items_and_the_liaison_works_on_them(mw) -> None:
    furong = api_for(mw.user("furong"))
    created = furong.post(
        "/api/agreed-items/",
        {"meeting": mw.meeting.pk, "text": "推进智能安防", "owner": mw.police.pk, "due_on": "2026-06-30"},
        format="json",
    )
    assert created.status_code == 201
    assert (created.json()["number"], created.json()["status"]) == (3, "open")
    late = furong.post(
        "/api/agreed-items/",
        {"meeting": mw.meeting.pk, "text": "x", "owner": mw.police.pk, "due_on": "2026-01-01"},
        format="json",
    )
    assert late.status_code == 400
    assert "办结时限不能早于会议召开日期" in str(late.json()["due_on"])

    housing = api_for(mw.user("housing"))
    item = mw.housing_item.pk
    assert (
        housing.post(f"/api/agreed-items/{item}/progress/", {"note": "已梳理"}, format="json").status_code
        == 200
    )
    closed = housing.post(f"/api/agreed-items/{item}/close/", {"result": "全部入账"}, format="json")
    assert closed.status_code == 200
    body = closed.json()
    assert (body["status"], body["closed_on"]) == ("done", "2026-04-15")
    assert [step["status_to"] for step in body["progress"]] == ["open", "", "done"]
    assert (
        housing.post(f"/api/agreed-items/{item}/reopen/", {"reason": "再看"}, format="json").status_code
        == 403
    )
    reopened = furong.post(f"/api/agreed-items/{item}/reopen/", {"reason": "缺项目"}, format="json")
    assert reopened.json()["status"] == "open"


def test_a_liaison_cannot_close_another_departments_item_nor_cancel_their_own(mw) -> None:
    housing = api_for(mw.user("housing"))
    refused = housing.post(f"/api/agreed-items/{mw.civil_item.pk}/close/", {"result": "代办"}, format="json")
    assert refused.status_code == 403
    assert (
        housing.post(
            f"/api/agreed-items/{mw.housing_item.pk}/cancel/", {"reason": "不办"}, format="json"
        ).status_code
        == 403
    )
    assert (
        housing.patch(f"/api/agreed-items/{mw.housing_item.pk}/", {"text": "改"}, format="json").status_code
        == 403
    )
    assert (
        api_for(mw.user("tianxin"))
        .post(f"/api/agreed-items/{mw.civil_item.pk}/close/", {"result": "x"}, format="json")
        .status_code
        == 404
    )
    mw.civil_item.refresh_from_db()
    assert mw.civil_item.status == Status.OPEN


def test_the_office_cancels_with_a_reason(mw) -> None:
    furong = api_for(mw.user("furong"))
    empty = furong.post(f"/api/agreed-items/{mw.civil_item.pk}/cancel/", {"reason": ""}, format="json")
    assert empty.status_code == 400
    response = furong.post(
        f"/api/agreed-items/{mw.civil_item.pk}/cancel/", {"reason": "并入第1项"}, format="json"
    )
    assert response.json()["status"] == "cancelled"


def test_it_filters_items_and_lists_the_liaisons_own(mw) -> None:
    city = api_for(mw.user("city"))
    overdue = city.get("/api/agreed-items/?status=overdue").json()["results"]
    assert [row["id"] for row in overdue] == [mw.civil_item.pk]
    assert overdue[0]["days_overdue"] == 15
    assert city.get("/api/agreed-items/?status=late").status_code == 400
    mine = api_for(mw.user("civil")).get("/api/agreed-items/mine/").json()
    assert [row["id"] for row in mine] == [mw.civil_item.pk]


def test_the_office_registers_a_liaison_and_the_api_explains_a_missing_role(mw) -> None:
    furong = api_for(mw.user("furong"))
    police = mw.body.bodymembership_set.get(department=mw.police)
    refused = furong.post(
        "/api/liaisons/", {"membership": police.pk, "user": mw.user("unit").pk}, format="json"
    )
    assert refused.status_code == 400
    assert "领导小组成员角色" in str(refused.json()["user"])
    user = mw.leadership_member("gongan")
    created = furong.post("/api/liaisons/", {"membership": police.pk, "user": user.pk}, format="json")
    assert created.status_code == 201
    liaison_id = created.json()["id"]
    assert api_for(mw.user("housing")).delete(f"/api/liaisons/{liaison_id}/").status_code == 403
    assert furong.delete(f"/api/liaisons/{liaison_id}/").status_code == 204
    assert not Liaison.objects.filter(pk=liaison_id).exists()


def test_the_api_lists_keep_their_number_of_queries(mw, django_assert_num_queries) -> None:
    city = api_for(mw.user("city"))
    for url in ("/api/meeting-bodies/", "/api/meetings/", "/api/agreed-items/", "/api/liaisons/"):
        city.get(url)
    counts = {}
    for url in ("/api/meeting-bodies/", "/api/meetings/", "/api/agreed-items/", "/api/liaisons/"):
        with CaptureQueriesContext(connection) as queries:
            city.get(url)
        counts[url] = len(queries)
    for index in range(3):
        meeting = Meeting.objects.create(
            body=mw.body, title=f"第{index}次", held_on=datetime.date(2026, 4, 1)
        )
        meeting.attendances.create(name="某人", department=mw.civil)
        AgreedItem.objects.create(
            meeting=meeting, number=1, text="事项", owner=mw.civil, due_on=datetime.date(2026, 5, 1)
        )
    Liaison.objects.create(
        membership=mw.body.bodymembership_set.get(department=mw.police), user=mw.leadership_member("g")
    )
    for url, count in counts.items():
        with django_assert_num_queries(count):
            city.get(url)
