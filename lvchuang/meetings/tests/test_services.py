"""The joint meeting's writes: liaisons, meetings with attendees and minutes, agreed items and their transitions
(docs/workflow.md, "Joint meeting"). Each transition leaves a history row; each refusal says why in Chinese."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lvchuang.accounts.models import Role
from lvchuang.accounts.services import grant_role
from lvchuang.audit.models import AuditEntry
from lvchuang.meetings import services
from lvchuang.meetings.models import AgreedItem, Attendance, ItemProgress, Liaison
from lvchuang.meetings.tests.conftest import HELD_ON, TODAY
from lvchuang.organisations.models import Department, GoverningBody

Status = AgreedItem.Status


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def pdf(name: str = "纪要.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


# --- liaisons -----------------------------------------------------------------------------------------------------


def test_it_registers_a_liaison_who_holds_the_leadership_member_role(mw) -> None:
    user = mw.leadership_member("gongan")
    membership = mw.body.bodymembership_set.get(department=mw.police)
    liaison = services.add_liaison(by=mw.user("furong"), membership=membership, user=user)
    assert Liaison.objects.get(pk=liaison.pk).user == user
    entry = AuditEntry.objects.get_for_object(liaison).get()
    assert (entry.actor, entry.region_path) == (mw.user("furong"), "430102")


def test_it_refuses_a_liaison_without_the_leadership_member_role_and_says_so(mw) -> None:
    membership = mw.body.bodymembership_set.get(department=mw.police)
    with pytest.raises(ValidationError) as error:
        services.add_liaison(by=mw.user("furong"), membership=membership, user=mw.user("unit"))
    assert "没有“芙蓉区绿色社区创建行动联席会议”的领导小组成员角色" in messages_of(error)
    assert "user" in error.value.error_dict
    assert not Liaison.objects.filter(membership=membership).exists()


def test_it_refuses_a_leadership_member_of_another_body(mw) -> None:
    membership = mw.body.bodymembership_set.get(department=mw.police)
    with pytest.raises(ValidationError, match="领导小组成员角色"):
        services.add_liaison(by=mw.user("furong"), membership=membership, user=mw.user("leader"))


def test_it_refuses_a_second_department_for_the_same_liaison(mw) -> None:
    membership = mw.body.bodymembership_set.get(department=mw.police)
    with pytest.raises(ValidationError) as error:
        services.add_liaison(by=mw.user("furong"), membership=membership, user=mw.user("housing"))
    assert "已是本机构成员单位“芙蓉区住建局”的联络员" in messages_of(error)


def test_only_the_office_registers_and_removes_liaisons(mw) -> None:
    user = mw.leadership_member("gongan")
    membership = mw.body.bodymembership_set.get(department=mw.police)
    for name in ("tianxin", "housing", "leader"):
        with pytest.raises(PermissionDenied):
            services.add_liaison(by=mw.user(name), membership=membership, user=user)
    with pytest.raises(PermissionDenied):
        services.remove_liaison(by=mw.user("civil"), liaison=mw.housing_liaison)
    services.remove_liaison(by=mw.user("city"), liaison=mw.housing_liaison)
    assert not Liaison.objects.filter(pk=mw.housing_liaison.pk).exists()


# --- meetings -----------------------------------------------------------------------------------------------------


def test_it_records_a_meeting_with_members_and_guests(mw) -> None:
    rows = list(mw.meeting.attendances.order_by("pk").values_list("name", "department__name", "position"))
    assert rows == [
        ("李住建", "芙蓉区住建局", "副局长"),
        ("赵民政", "芙蓉区民政局", "科长"),
        ("钱专家", None, "规划专家"),
    ]
    assert mw.meeting.created_by == mw.user("furong")


def test_it_replaces_the_attendees_as_a_set_and_stores_the_minutes_scan(mw) -> None:
    meeting = services.update_meeting(
        by=mw.user("furong"),
        meeting=mw.meeting,
        title="2026年第一次联席会议（修订）",
        held_on=HELD_ON,
        minutes="纪要正文",
        attendees=[services.AttendeeInput(name="孙公安", department=mw.police, is_absent=True)],
        minutes_upload=pdf(),
    )
    meeting.refresh_from_db()
    assert list(Attendance.objects.filter(meeting=meeting).values_list("name", "is_absent")) == [
        ("孙公安", True)
    ]
    assert meeting.minutes_file.name.startswith("minutes/")
    assert meeting.minutes_file.name.endswith(".pdf")
    assert meeting.title == "2026年第一次联席会议（修订）"


def test_it_keeps_the_attendees_when_none_are_given(mw) -> None:
    services.update_meeting(by=mw.user("furong"), meeting=mw.meeting, title="改名", held_on=HELD_ON)
    assert mw.meeting.attendances.count() == 3


def test_it_refuses_an_attendee_department_that_is_not_a_member(mw) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_meeting(
            by=mw.user("furong"),
            body=mw.body,
            title="第二次联席会议",
            held_on=TODAY,
            attendees=[services.AttendeeInput(name="王教育", department=mw.world.education_bureau)],
        )
    assert "长沙市教育局 不是芙蓉区绿色社区创建行动联席会议的成员单位" in messages_of(error)
    assert mw.body.meetings.count() == 1


def test_it_refuses_an_attendee_without_a_name_and_a_meeting_without_a_title(mw) -> None:
    with pytest.raises(ValidationError, match="姓名"):
        services.create_meeting(
            by=mw.user("furong"),
            body=mw.body,
            title="会",
            held_on=TODAY,
            attendees=[services.AttendeeInput(name=" ")],
        )
    with pytest.raises(ValidationError, match="会议名称"):
        services.create_meeting(by=mw.user("furong"), body=mw.body, title="  ", held_on=TODAY)


def test_it_refuses_a_minutes_file_that_is_not_a_document(mw) -> None:
    program = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.create_meeting(
            by=mw.user("furong"), body=mw.body, title="第二次", held_on=TODAY, minutes_upload=program
        )
    assert "minutes_file" in error.value.error_dict


def test_it_refuses_to_move_a_meeting_after_the_due_date_of_its_items(mw) -> None:
    with pytest.raises(ValidationError, match="2026-03-31"):
        services.update_meeting(
            by=mw.user("furong"), meeting=mw.meeting, title="x", held_on=datetime.date(2026, 4, 1)
        )


def test_only_the_offices_over_the_body_record_meetings(mw) -> None:
    for name in ("tianxin", "housing", "street", "leader"):
        with pytest.raises(PermissionDenied):
            services.create_meeting(by=mw.user(name), body=mw.body, title="会", held_on=TODAY)
    meeting = services.create_meeting(by=mw.user("city"), body=mw.body, title="市里代记", held_on=TODAY)
    assert meeting.body == mw.body


# --- agreed items -------------------------------------------------------------------------------------------------


def test_it_numbers_items_within_the_meeting_and_notes_the_agreement(mw) -> None:
    assert (mw.housing_item.number, mw.civil_item.number) == (1, 2)
    third = services.add_agreed_item(
        by=mw.user("furong"), meeting=mw.meeting, text="加强宣传", owner=mw.police, due_on=HELD_ON
    )
    assert third.number == 3
    first = ItemProgress.objects.get(item=third)
    assert first.status_to == Status.OPEN
    assert first.by == mw.user("furong")
    assert "芙蓉区公安分局" in first.note


def test_it_refuses_an_owner_that_is_not_a_member_and_a_due_date_before_the_meeting(mw) -> None:
    stranger = Department.objects.create(name="芙蓉区财政局", region=mw.world.furong)
    with pytest.raises(ValidationError) as error:
        services.add_agreed_item(
            by=mw.user("furong"), meeting=mw.meeting, text="资金", owner=stranger, due_on=TODAY
        )
    assert "芙蓉区财政局 不是芙蓉区绿色社区创建行动联席会议的成员单位" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        services.add_agreed_item(
            by=mw.user("furong"),
            meeting=mw.meeting,
            text="资金",
            owner=mw.housing,
            due_on=datetime.date(2026, 3, 9),
        )
    assert "办结时限不能早于会议召开日期 2026-03-10" in messages_of(error)
    assert mw.meeting.agreed_items.count() == 2


def test_it_notes_a_new_owner_and_due_date_in_the_history(mw) -> None:
    item = services.update_agreed_item(
        by=mw.user("furong"),
        item=mw.civil_item,
        text=mw.civil_item.text,
        owner=mw.housing,
        due_on=datetime.date(2026, 5, 31),
    )
    item.refresh_from_db()
    assert (item.owner, item.due_on) == (mw.housing, datetime.date(2026, 5, 31))
    note = item.progress.latest("pk").note
    assert "芙蓉区民政局" in note
    assert "2026-05-31" in note


def test_the_liaison_adds_progress_and_closes_the_item_of_their_department(mw) -> None:
    housing = mw.user("housing")
    services.add_progress(by=housing, item=mw.housing_item, note="已梳理12个项目")
    item = services.close_item(by=housing, item=mw.housing_item, result="12个项目全部入账", today=TODAY)
    item.refresh_from_db()
    assert (item.status, item.closed_on, item.result) == (Status.DONE, TODAY, "12个项目全部入账")
    history = list(item.progress.order_by("pk").values_list("status_to", "note", "by__username"))
    assert history[1:] == [("", "已梳理12个项目", "zhujian"), ("done", "12个项目全部入账", "zhujian")]


def test_a_liaison_cannot_work_on_another_departments_item(mw) -> None:
    with pytest.raises(PermissionDenied, match="芙蓉区民政局"):
        services.add_progress(by=mw.user("housing"), item=mw.civil_item, note="代报")
    with pytest.raises(PermissionDenied):
        services.close_item(by=mw.user("housing"), item=mw.civil_item, result="代办结", today=TODAY)
    mw.civil_item.refresh_from_db()
    assert mw.civil_item.status == Status.OPEN


def test_a_liaison_cannot_cancel_or_reopen(mw) -> None:
    with pytest.raises(PermissionDenied, match="撤销"):
        services.cancel_item(by=mw.user("housing"), item=mw.housing_item, reason="不办了", today=TODAY)
    services.close_item(by=mw.user("housing"), item=mw.housing_item, result="完成", today=TODAY)
    with pytest.raises(PermissionDenied, match="重新打开"):
        services.reopen_item(by=mw.user("housing"), item=mw.housing_item, reason="再看看")


def test_it_requires_a_result_and_refuses_a_closing_date_in_the_future_or_before_the_meeting(mw) -> None:
    housing = mw.user("housing")
    with pytest.raises(ValidationError, match="请写明办理结果"):
        services.close_item(by=housing, item=mw.housing_item, result=" ", today=TODAY)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.close_item(
            by=housing, item=mw.housing_item, result="完成", closed_on=datetime.date(2026, 4, 16), today=TODAY
        )
    with pytest.raises(ValidationError, match="不能早于会议召开日期"):
        services.close_item(
            by=housing, item=mw.housing_item, result="完成", closed_on=datetime.date(2026, 3, 1), today=TODAY
        )
    item = services.close_item(
        by=housing, item=mw.housing_item, result="完成", closed_on=datetime.date(2026, 4, 1), today=TODAY
    )
    assert item.closed_on == datetime.date(2026, 4, 1)


def test_the_office_cancels_an_open_item_with_a_reason(mw) -> None:
    with pytest.raises(ValidationError, match="撤销的理由"):
        services.cancel_item(by=mw.user("furong"), item=mw.civil_item, reason="", today=TODAY)
    item = services.cancel_item(by=mw.user("furong"), item=mw.civil_item, reason="并入第1项", today=TODAY)
    item.refresh_from_db()
    assert (item.status, item.closed_on, item.result) == (Status.CANCELLED, TODAY, "并入第1项")
    last = item.progress.latest("pk")
    assert (last.status_to, last.note) == ("cancelled", "并入第1项")
    with pytest.raises(ValidationError, match="已撤销"):
        services.add_progress(by=mw.user("civil"), item=item, note="还在办")
    with pytest.raises(ValidationError, match="不能重新打开"):
        services.reopen_item(by=mw.user("furong"), item=item, reason="误撤")


def test_the_office_reopens_a_done_item_with_a_new_due_date(mw) -> None:
    services.close_item(by=mw.user("civil"), item=mw.civil_item, result="名单已报", today=TODAY)
    with pytest.raises(ValidationError, match="重新打开的原因"):
        services.reopen_item(by=mw.user("furong"), item=mw.civil_item, reason="")
    item = services.reopen_item(
        by=mw.user("furong"), item=mw.civil_item, reason="名单缺两个社区", due_on=datetime.date(2026, 5, 15)
    )
    item.refresh_from_db()
    assert (item.status, item.closed_on, item.result, item.due_on) == (
        Status.OPEN,
        None,
        "",
        datetime.date(2026, 5, 15),
    )
    statuses = list(item.progress.exclude(status_to="").order_by("pk").values_list("status_to", flat=True))
    assert statuses == ["open", "done", "open"]
    assert "名单已报" in item.progress.get(status_to="done").note


def test_it_refuses_to_close_an_item_twice_or_to_edit_a_closed_one(mw) -> None:
    services.close_item(by=mw.user("housing"), item=mw.housing_item, result="完成", today=TODAY)
    with pytest.raises(ValidationError, match="已办结”，不能办结"):
        services.close_item(by=mw.user("housing"), item=mw.housing_item, result="再次", today=TODAY)
    with pytest.raises(ValidationError, match="先重新打开"):
        services.update_agreed_item(
            by=mw.user("furong"), item=mw.housing_item, text="x", owner=mw.housing, due_on=TODAY
        )


def test_the_office_may_close_an_item_itself(mw) -> None:
    item = services.close_item(by=mw.user("city"), item=mw.civil_item, result="市里核实已完成", today=TODAY)
    assert item.status == Status.DONE


def test_a_district_office_cannot_register_liaisons_of_its_neighbours_body(mw) -> None:
    other = GoverningBody.objects.create(
        name="天心区联席会议", kind=GoverningBody.Kind.JOINT_MEETING, region=mw.world.tianxin
    )
    membership = other.bodymembership_set.create(department=mw.police)
    grant_role(by=None, user=mw.user("housing"), role=Role.LEADERSHIP_MEMBER, body=other)
    with pytest.raises(PermissionDenied):
        services.add_liaison(by=mw.user("furong"), membership=membership, user=mw.user("housing"))
