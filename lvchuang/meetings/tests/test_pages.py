"""The joint meeting pages: the office records meetings and items, the liaison reports and closes, forms keep
what was typed when refused, lists keep a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lvchuang.meetings import services
from lvchuang.meetings.models import AgreedItem, Liaison, Meeting
from lvchuang.meetings.tests.conftest import TODAY

Status = AgreedItem.Status


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 4, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def text_of(response):
    return response.content.decode()


def meeting_post(mw, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "2026年第二次联席会议",
        "held_on": "2026-04-15",
        "place": "区政府",
        "chair": "王召集",
        "minutes_number": "芙绿创联席〔2026〕2号",
        "minutes": "研究试点社区名单。",
        "attendees-TOTAL_FORMS": "3",
        "attendees-INITIAL_FORMS": "0",
        "attendees-MIN_NUM_FORMS": "0",
        "attendees-MAX_NUM_FORMS": "1000",
        "attendees-0-department": mw.housing.pk,
        "attendees-0-name": "李住建",
        "attendees-0-position": "副局长",
        "attendees-1-department": "",
        "attendees-1-name": "钱专家",
        "attendees-2-name": "",
    }
    data.update(overrides)
    return data


def test_the_office_records_a_meeting_with_attendees_and_a_minutes_scan(mw) -> None:
    furong = client_for(mw.user("furong"))
    url = reverse("meetings:meeting_create", args=[mw.body.pk])
    assert furong.get(url).status_code == 200
    scan = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = furong.post(url, meeting_post(mw, minutes_file=scan))
    meeting = Meeting.objects.get(title="2026年第二次联席会议")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert list(meeting.attendances.values_list("name", "department")) == [
        ("李住建", mw.housing.pk),
        ("钱专家", None),
    ]
    page = text_of(furong.get(response["Location"]))
    assert "钱专家" in page
    assert "列席" in page
    assert "芙绿创联席〔2026〕2号" in page
    download = furong.get(reverse("meetings:meeting_minutes_file", args=[meeting.pk]))
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF")
    assert (
        client_for(mw.user("tianxin"))
        .get(reverse("meetings:meeting_minutes_file", args=[meeting.pk]))
        .status_code
        == 404
    )


def test_a_refused_meeting_form_keeps_what_was_typed(mw) -> None:
    furong = client_for(mw.user("furong"))
    data = meeting_post(mw, **{"attendees-0-department": mw.world.education_bureau.pk})
    response = furong.post(reverse("meetings:meeting_create", args=[mw.body.pk]), data)
    assert response.status_code == 400
    page = text_of(response)
    assert "芙绿创联席〔2026〕2号" in page
    assert "研究试点社区名单。" in page
    assert "钱专家" in page
    assert not Meeting.objects.filter(title="2026年第二次联席会议").exists()


def test_a_refused_attendee_member_check_is_explained(mw) -> None:
    # A department chosen from the list must be a member; an edited form can still send another id.
    data = meeting_post(mw, **{"attendees-0-name": "", "attendees-0-position": "科长"})
    response = client_for(mw.user("furong")).post(reverse("meetings:meeting_create", args=[mw.body.pk]), data)
    assert response.status_code == 400
    assert "请填写姓名" in text_of(response)


def test_the_office_edits_a_meeting_and_replaces_the_attendees(mw) -> None:
    furong = client_for(mw.user("furong"))
    url = reverse("meetings:meeting_edit", args=[mw.meeting.pk])
    form = text_of(furong.get(url))
    assert "李住建" in form
    assert "钱专家" in form
    data = meeting_post(
        mw,
        title="2026年第一次联席会议",
        held_on="2026-03-10",
        **{
            "attendees-TOTAL_FORMS": "1",
            "attendees-0-department": mw.civil.pk,
            "attendees-0-name": "赵民政",
            "attendees-0-is_absent": "on",
        },
    )
    assert furong.post(url, data).status_code == 302
    assert list(mw.meeting.attendances.values_list("name", "is_absent")) == [("赵民政", True)]


def test_only_the_office_opens_the_meeting_forms(mw) -> None:
    for name in ("housing", "leader"):
        client = client_for(mw.user(name))
        assert client.get(reverse("meetings:meeting_edit", args=[mw.meeting.pk])).status_code == 403
        assert client.get(reverse("meetings:meeting_create", args=[mw.body.pk])).status_code == 403
        assert client.get(reverse("meetings:item_create", args=[mw.meeting.pk])).status_code == 403


def test_the_office_adds_an_item_and_a_refused_one_keeps_its_input(mw) -> None:
    furong = client_for(mw.user("furong"))
    url = reverse("meetings:item_create", args=[mw.meeting.pk])
    refused = furong.post(
        url, {"text": "编制社区绿色生活行为公约", "owner": mw.police.pk, "due_on": "2026-03-01"}
    )
    assert refused.status_code == 400
    assert "编制社区绿色生活行为公约" in text_of(refused)
    assert "办结时限不能早于会议召开日期" in text_of(refused)
    response = furong.post(
        url, {"text": "编制社区绿色生活行为公约", "owner": mw.police.pk, "due_on": "2026-06-30"}
    )
    assert response.status_code == 302
    item = AgreedItem.objects.get(text="编制社区绿色生活行为公约")
    assert (item.number, item.owner, item.status) == (3, mw.police, Status.OPEN)


def test_the_liaison_reports_progress_and_closes_through_the_item_page(mw) -> None:
    housing = client_for(mw.user("housing"))
    url = reverse("meetings:item_detail", args=[mw.housing_item.pk])
    page = text_of(housing.get(url))
    assert "填报办理进展" in page
    assert "办结" in page
    assert "撤销议定事项" not in page
    assert (
        housing.post(
            reverse("meetings:item_progress", args=[mw.housing_item.pk]), {"note": "已梳理8个"}
        ).status_code
        == 302
    )
    refused = housing.post(
        reverse("meetings:item_close", args=[mw.housing_item.pk]), {"result": " ", "closed_on": "2026-04-20"}
    )
    assert refused.status_code == 400
    assert 'value="2026-04-20"' in text_of(refused)
    response = housing.post(reverse("meetings:item_close", args=[mw.housing_item.pk]), {"result": "全部入账"})
    assert response.status_code == 302
    mw.housing_item.refresh_from_db()
    assert (mw.housing_item.status, mw.housing_item.closed_on) == (Status.DONE, TODAY)
    timeline = text_of(housing.get(url))
    assert "已梳理8个" in timeline
    assert "全部入账" in timeline
    assert "周住建" in timeline


def test_the_liaison_cannot_touch_another_departments_item_nor_cancel(mw) -> None:
    housing = client_for(mw.user("housing"))
    other = mw.civil_item.pk
    assert housing.post(reverse("meetings:item_progress", args=[other]), {"note": "代报"}).status_code == 403
    assert housing.post(reverse("meetings:item_close", args=[other]), {"result": "代办"}).status_code == 403
    own = mw.housing_item.pk
    assert housing.post(reverse("meetings:item_cancel", args=[own]), {"reason": "不办"}).status_code == 403
    assert housing.get(reverse("meetings:item_edit", args=[own])).status_code == 403
    mw.civil_item.refresh_from_db()
    assert mw.civil_item.progress.count() == 1


def test_the_office_cancels_and_reopens_through_the_pages(mw) -> None:
    furong = client_for(mw.user("furong"))
    refused = furong.post(reverse("meetings:item_cancel", args=[mw.civil_item.pk]), {"reason": ""})
    assert refused.status_code == 400
    assert (
        furong.post(
            reverse("meetings:item_cancel", args=[mw.civil_item.pk]), {"reason": "并入第1项"}
        ).status_code
        == 302
    )
    services.close_item(by=mw.user("housing"), item=mw.housing_item, result="完成", today=TODAY)
    response = furong.post(
        reverse("meetings:item_reopen", args=[mw.housing_item.pk]),
        {"reason": "缺两个项目", "due_on": "2026-05-31"},
    )
    assert response.status_code == 302
    mw.civil_item.refresh_from_db()
    mw.housing_item.refresh_from_db()
    assert mw.civil_item.status == Status.CANCELLED
    assert (mw.housing_item.status, mw.housing_item.due_on) == (Status.OPEN, datetime.date(2026, 5, 31))


def test_the_office_edits_an_item(mw) -> None:
    furong = client_for(mw.user("furong"))
    url = reverse("meetings:item_edit", args=[mw.civil_item.pk])
    assert "摸清社区基本情况" in text_of(furong.get(url))
    refused = furong.post(url, {"text": "改过的内容", "owner": "", "due_on": "2026-05-01"})
    assert refused.status_code == 400
    assert "改过的内容" in text_of(refused)
    assert (
        furong.post(url, {"text": "改过的内容", "owner": mw.civil.pk, "due_on": "2026-05-01"}).status_code
        == 302
    )
    mw.civil_item.refresh_from_db()
    assert (mw.civil_item.text, mw.civil_item.due_on) == ("改过的内容", datetime.date(2026, 5, 1))


def test_the_office_registers_and_removes_a_liaison_on_the_body_page(mw) -> None:
    furong = client_for(mw.user("furong"))
    police = mw.body.bodymembership_set.get(department=mw.police)
    refused = furong.post(
        reverse("meetings:liaison_add", args=[mw.body.pk]),
        {"membership": police.pk, "user": mw.user("unit").pk},
    )
    assert refused.status_code == 400
    assert "领导小组成员" in text_of(refused)
    user = mw.leadership_member("gongan")
    response = furong.post(
        reverse("meetings:liaison_add", args=[mw.body.pk]), {"membership": police.pk, "user": user.pk}
    )
    assert response.status_code == 302
    liaison = Liaison.objects.get(user=user)
    assert furong.post(reverse("meetings:liaison_remove", args=[liaison.pk])).status_code == 302
    assert not Liaison.objects.filter(pk=liaison.pk).exists()
    assert (
        client_for(mw.user("housing"))
        .post(reverse("meetings:liaison_remove", args=[mw.civil_liaison.pk]))
        .status_code
        == 403
    )


def test_the_body_page_shows_members_lead_duties_liaisons_meetings_and_open_items(mw) -> None:
    page = text_of(client_for(mw.user("city")).get(reverse("meetings:body_detail", args=[mw.body.pk])))
    for text in (
        "芙蓉区住建局",
        "牵头单位",
        "牵头统筹，建立创建台账和社区清单",
        "周住建",
        "孙民政",
        "2026年第一次联席会议",
        "摸清社区基本情况",
        "已逾期",
    ):
        assert text in page, text


def test_my_items_lists_the_liaisons_items_overdue_first_with_days(mw) -> None:
    page = text_of(client_for(mw.user("civil")).get(reverse("meetings:my_items")))
    assert "摸清社区基本情况" in page
    assert "逾期 15 天" in page
    assert "梳理老旧小区改造项目" not in page
    empty = text_of(client_for(mw.user("furong")).get(reverse("meetings:my_items")))
    assert "还不是任何成员单位的联络员" in empty


def test_the_item_list_filters_by_status_and_owner(mw) -> None:
    city = client_for(mw.user("city"))
    overdue = text_of(city.get(reverse("meetings:item_list") + "?status=overdue"))
    assert "摸清社区基本情况" in overdue
    assert "梳理老旧小区改造项目" not in overdue
    by_owner = text_of(city.get(reverse("meetings:item_list") + f"?owner={mw.housing.pk}"))
    assert "梳理老旧小区改造项目" in by_owner
    assert "摸清社区基本情况" not in by_owner
    assert city.get(reverse("meetings:item_list") + "?owner=abc&status=nonsense").status_code == 200


def _more_bodies(mw, count: int) -> None:
    from lvchuang.organisations.models import GoverningBody

    for index in range(count):
        body = GoverningBody.objects.create(
            name=f"芙蓉区第{index}领导小组", kind=GoverningBody.Kind.LEADING_GROUP, region=mw.world.furong
        )
        body.bodymembership_set.create(department=mw.housing, is_lead=True)
        meeting = services.create_meeting(
            by=mw.user("furong"), body=body, title=f"第{index}次", held_on=TODAY
        )
        services.add_agreed_item(
            by=mw.user("furong"), meeting=meeting, text="事项", owner=mw.housing, due_on=TODAY
        )


def test_the_body_list_keeps_its_number_of_queries(mw, django_assert_num_queries) -> None:
    city = client_for(mw.user("city"))
    url = reverse("meetings:body_list")
    city.get(url)
    with django_assert_num_queries(5):
        response = city.get(url)
    assert "芙蓉区绿色社区创建行动联席会议" in text_of(response)
    _more_bodies(mw, 4)
    with django_assert_num_queries(5):
        city.get(url)


def test_the_item_list_and_my_items_keep_their_number_of_queries(mw, django_assert_num_queries) -> None:
    city = client_for(mw.user("city"))
    civil = client_for(mw.user("civil"))
    city.get(reverse("meetings:item_list"))
    civil.get(reverse("meetings:my_items"))
    with django_assert_num_queries(7):
        city.get(reverse("meetings:item_list"))
    with django_assert_num_queries(7):  # + whether the liaison is one (the menu)
        civil.get(reverse("meetings:my_items"))
    _more_bodies(mw, 3)
    for _ in range(3):
        services.add_agreed_item(
            by=mw.user("furong"), meeting=mw.meeting, text="再一项", owner=mw.civil, due_on=TODAY
        )
    with django_assert_num_queries(7):
        city.get(reverse("meetings:item_list"))
    with django_assert_num_queries(7):
        civil.get(reverse("meetings:my_items"))


def test_the_home_page_section_lists_the_overdue_items(mw) -> None:
    from django.template.loader import render_to_string

    from lvchuang.meetings.selectors import overdue_items_for

    html = render_to_string(
        "meetings/_overdue_items.html",
        {"overdue_agreed_items": overdue_items_for(mw.user("civil"), today=TODAY)},
    )
    assert "逾期的议定事项" in html
    assert "摸清社区基本情况" in html
    assert reverse("meetings:item_detail", args=[mw.civil_item.pk]) in html
    assert render_to_string("meetings/_overdue_items.html", {"overdue_agreed_items": []}).strip() == ""
