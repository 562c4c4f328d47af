"""Which events reach whom: every source for the right users, nothing for an outsider or the sibling district."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvchuang.agenda.events import APPROACHING, OVERDUE, Event, events_for
from lvchuang.agenda.tests.conftest import AUTUMN, SEPTEMBER, TODAY, AgendaWorld
from lvchuang.applications.models import Application, Route, Status
from lvchuang.meetings.models import AgreedItem
from lvchuang.organisations.models import GoverningBody, Unit
from lvchuang.reports.models import Requirement, Submission
from lvchuang.supervision.models import RectificationOrder


def _events(aw: AgendaWorld, who: str, *, today: datetime.date = TODAY, span=AUTUMN) -> list[Event]:
    return events_for(aw.user(who), start=span[0], end=span[1], today=today)


def _uids(aw: AgendaWorld, who: str, **options) -> set[str]:
    return {event.uid for event in _events(aw, who, **options)}


def _by_uid(aw: AgendaWorld, who: str, uid: str, **options) -> Event:
    return next(event for event in _events(aw, who, **options) if event.uid == uid)


def test_it_sorts_events_by_date_and_gives_each_a_unique_uid(aw) -> None:
    events = _events(aw, "city")
    assert [event.on for event in events] == sorted(event.on for event in events)
    assert len({event.uid for event in events}) == len(events)
    assert all(event.uid.endswith("@lvchuang") for event in events)


def test_it_shows_nothing_to_an_outsider_or_an_anonymous_visitor(aw) -> None:
    assert _events(aw, "outsider") == []
    assert events_for(AnonymousUser(), start=AUTUMN[0], end=AUTUMN[1], today=TODAY) == []


def test_it_shows_nothing_for_a_range_that_ends_before_it_starts(aw) -> None:
    assert events_for(aw.user("city"), start=AUTUMN[1], end=AUTUMN[0], today=TODAY) == []


# --- stages -------------------------------------------------------------------------------------------------


def test_it_shows_the_stage_ends_and_starts_of_the_visible_campaigns(aw) -> None:
    stage = aw.campaign.stages.get(name="申报推选阶段")
    review = aw.campaign.stages.get(name="验收评审阶段")
    end = _by_uid(aw, "tianxin", f"stage-end-{stage.pk}@lvchuang")
    assert (end.on, end.kind, end.title) == (
        datetime.date(2026, 9, 30),
        "stage",
        f"申报推选阶段截止 · {aw.campaign.name}",
    )
    assert end.url == f"/campaigns/{aw.campaign.pk}/"
    start = _by_uid(aw, "unit", f"stage-start-{review.pk}@lvchuang")
    assert (start.on, start.title) == (datetime.date(2026, 10, 1), f"验收评审阶段开始 · {aw.campaign.name}")
    # Its start (1 May) lies outside the range: only the end is on the calendar.
    assert f"stage-start-{stage.pk}@lvchuang" not in _uids(aw, "tianxin")


def test_the_sibling_district_does_not_see_the_stages_of_a_district_campaign(aw) -> None:
    stage = aw.district_campaign.stages.get(name="申报推选阶段")
    uid = f"stage-end-{stage.pk}@lvchuang"
    for who in ("furong", "city", "street", "unit"):
        assert uid in _uids(aw, who), who
    for who in ("tianxin", "tianxin_unit", "outsider"):
        assert uid not in _uids(aw, who), who


# --- deadlines ----------------------------------------------------------------------------------------------


def test_it_shows_the_districts_batch_deadline_as_approaching(aw) -> None:
    uid = f"deadline-{aw.campaign.pk}-batch-office@lvchuang"
    batch = _by_uid(aw, "furong", uid)
    assert (batch.on, batch.kind, batch.state) == (datetime.date(2026, 9, 30), "deadline", APPROACHING)
    assert batch.title == f"报送申报表截止 · {aw.campaign.name}"
    assert "1 份已审核申报待报送" in batch.detail
    assert uid not in _uids(aw, "tianxin")
    assert uid not in _uids(aw, "city")


def test_a_missed_deadline_is_overdue(aw) -> None:
    after = datetime.date(2026, 10, 3)
    batch = _by_uid(aw, "furong", f"deadline-{aw.campaign.pk}-batch-office@lvchuang", today=after)
    assert batch.state == OVERDUE


def test_a_units_deadline_links_to_its_application(aw) -> None:
    application = Application.objects.get(unit=aw.world.furong_unit, campaign=aw.campaign)
    unit = aw.world.furong_unit
    goals = _by_uid(aw, "unit", f"deadline-{aw.campaign.pk}-publish_goals-u{unit.pk}@lvchuang")
    assert goals.url == f"/applications/{application.pk}/"
    assert goals.detail.startswith("识字岭社区居委会：")


# --- notices ------------------------------------------------------------------------------------------------


def test_it_shows_the_end_of_each_published_objection_window(aw) -> None:
    city = f"notice-end-{aw.city_notice.pk}@lvchuang"
    district = f"notice-end-{aw.district_notice.pk}@lvchuang"
    notice = _by_uid(aw, "tianxin_unit", city)
    assert (notice.on, notice.kind, notice.title) == (
        datetime.date(2026, 9, 30),
        "notice",
        "公示截止 · 市级拟命名名单公示",
    )
    assert "2026-09-22 至 2026-09-30" in notice.detail
    assert {city, district} <= _uids(aw, "furong")
    assert city in _uids(aw, "tianxin")
    assert district not in _uids(aw, "tianxin")
    assert not any("草稿公示" in event.title for event in _events(aw, "city"))


# --- rectification orders -----------------------------------------------------------------------------------


def test_it_shows_a_rectification_order_to_its_unit_and_the_offices_over_it(aw) -> None:
    uid = f"order-due-{aw.order.pk}@lvchuang"
    order = _by_uid(aw, "unit", uid)
    assert (order.on, order.kind, order.state) == (datetime.date(2026, 10, 1), "order", APPROACHING)
    assert order.title == "整改期限 · 识字岭社区居委会"
    assert aw.order.number in order.detail
    for who in ("furong", "city", "street"):
        assert uid in _uids(aw, who), who
    for who in ("tianxin", "tianxin_unit", "sector", "outsider"):
        assert uid not in _uids(aw, who), who


def test_an_order_past_its_due_date_is_overdue_and_a_reported_one_waits_without_alarm(aw) -> None:
    uid = f"order-due-{aw.order.pk}@lvchuang"
    assert _by_uid(aw, "furong", uid, today=datetime.date(2026, 10, 5)).state == OVERDUE
    RectificationOrder.objects.filter(pk=aw.order.pk).update(status=RectificationOrder.Status.REPORTED)
    assert _by_uid(aw, "furong", uid).state == ""
    RectificationOrder.objects.filter(pk=aw.order.pk).update(status=RectificationOrder.Status.ACCEPTED)
    assert uid not in _uids(aw, "furong")


# --- submissions --------------------------------------------------------------------------------------------


def test_each_district_sees_the_work_plan_it_owes_and_the_city_the_one_it_receives(aw) -> None:
    requirement = aw.city_requirement
    owed = [e for e in _events(aw, "furong") if e.kind == "submission" and "区年度创建工作计划" in e.title]
    assert len(owed) == 1
    assert (owed[0].on, owed[0].state, owed[0].title) == (
        datetime.date(2026, 9, 28),
        APPROACHING,
        "报送截止 · 区年度创建工作计划",
    )
    assert owed[0].detail.startswith("芙蓉区创建办报送")
    assert owed[0].url.startswith(f"/reports/requirements/{requirement.pk}/submit/")
    tianxin = [e for e in _events(aw, "tianxin") if e.kind == "submission"]
    assert [e.detail.split("报送")[0] for e in tianxin] == ["天心区创建办"]
    received = _by_uid(aw, "city", f"submission-{requirement.pk}-once-received@lvchuang")
    assert (received.title, received.state) == ("收取报送 · 区年度创建工作计划", "")
    assert received.url == f"/reports/requirements/{requirement.pk}/"


def test_a_submission_handed_in_is_no_longer_a_duty(aw) -> None:
    Submission.objects.create(
        requirement=aw.city_requirement,
        period="",
        due_on=aw.city_requirement.due_on,
        office=aw.world.furong_office,
        content="芙蓉区2026年工作计划",
        submitted_at=datetime.datetime(2026, 9, 20, 9, 0, tzinfo=datetime.UTC),
    )
    event = next(e for e in _events(aw, "furong") if "区年度创建工作计划" in e.title)
    assert event.state == ""
    assert "已报送" in event.detail


def test_an_overdue_submission_is_marked_and_the_sibling_sees_nothing_of_the_districts_requirement(
    aw,
) -> None:
    events = _events(aw, "street", today=datetime.date(2026, 10, 8))
    plan = next(e for e in events if e.kind == "submission")
    assert (plan.title, plan.state) == ("报送截止 · 街道创建工作计划", OVERDUE)
    received = f"submission-{aw.district_requirement.pk}-once-received@lvchuang"
    assert received in _uids(aw, "furong")
    assert not any("街道创建工作计划" in e.title for e in _events(aw, "tianxin"))


def test_a_quarterly_requirement_has_one_event_per_period(aw) -> None:
    requirement = Requirement.objects.create(
        campaign=aw.campaign,
        kind=Requirement.Kind.QUARTERLY_REPORT,
        title="季度工作情况",
        period=Requirement.Period.QUARTERLY,
        days_after_quarter=10,
        submitters=Requirement.Submitters.OFFICES,
        submitter_level=3,
    )
    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    received = [e for e in _events(aw, "city", span=year) if f"submission-{requirement.pk}-" in e.uid]
    assert [e.on for e in received] == [
        datetime.date(2026, 4, 10),
        datetime.date(2026, 7, 10),
        datetime.date(2026, 10, 10),
    ]
    assert received[0].title == "收取报送 · 季度工作情况（2026Q1）"


# --- agreed items -------------------------------------------------------------------------------------------


def test_a_liaison_sees_the_items_its_department_owns_in_its_body(aw) -> None:
    uid = f"agreed-item-{aw.city_item.pk}@lvchuang"
    item = _by_uid(aw, "leader", uid)
    assert (item.on, item.kind, item.state) == (datetime.date(2026, 9, 27), "item", APPROACHING)
    assert item.title == "议定事项办结时限 · 2026年第二次领导小组会议 第 1 项"
    assert item.detail == "长沙市生态环境局：完成全市社区节能改造摸底"
    assert item.url == f"/meetings/items/{aw.city_item.pk}/"
    assert uid in _uids(aw, "city")  # the body's office keeps the record
    for who in ("furong", "tianxin", "unit", "outsider"):
        assert uid not in _uids(aw, who), who


def test_a_liaison_does_not_see_its_departments_items_in_a_body_it_does_not_act_in(aw) -> None:
    uid = f"agreed-item-{aw.district_item.pk}@lvchuang"
    assert uid in _uids(aw, "furong")  # its office keeps the joint meeting
    assert uid not in _uids(aw, "leader")
    assert uid not in _uids(aw, "tianxin")


def test_a_body_without_an_office_is_kept_by_the_office_of_its_region(aw) -> None:
    body = GoverningBody.objects.get(name="芙蓉区绿色社区创建联席会议")
    body.office = None
    body.save()
    assert f"agreed-item-{aw.district_item.pk}@lvchuang" in _uids(aw, "furong")


def test_closed_items_leave_the_calendar_and_late_open_ones_are_overdue(aw) -> None:
    uid = f"agreed-item-{aw.city_item.pk}@lvchuang"
    assert _by_uid(aw, "leader", uid, today=datetime.date(2026, 10, 2)).state == OVERDUE
    AgreedItem.objects.filter(pk=aw.city_item.pk).update(status="done", closed_on=datetime.date(2026, 9, 24))
    assert uid not in _uids(aw, "leader")


# --- scale --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["city", "furong", "unit", "leader"])
def test_it_costs_the_same_queries_however_many_events_there_are(aw, who) -> None:
    def queries() -> tuple[int, int]:
        user = type(aw.user(who)).objects.get(pk=aw.user(who).pk)  # a fresh user: nothing cached
        with CaptureQueriesContext(connection) as captured:
            events = events_for(user, start=SEPTEMBER[0], end=AUTUMN[1], today=TODAY)
        return len(captured), len(events)

    before, few = queries()
    _more_of_everything(aw)
    after, many = queries()
    assert many >= few + 6  # three more stages, each with its start and end
    assert after == before


def _more_of_everything(aw: AgendaWorld) -> None:
    """A second dated duty of every kind, seen by the same users."""
    from lvchuang.supervision import services as supervision
    from lvchuang.titles.models import Title

    world = aw.world
    for number in range(3):
        aw.campaign.stages.create(
            name=f"补充阶段{number}", starts_on=datetime.date(2026, 9, 2), ends_on=datetime.date(2026, 9, 20)
        )
        aw.city_notice.pk = None
        aw.city_notice.title = f"第{number}批公示"
        aw.city_notice.save()
        Requirement.objects.create(
            campaign=aw.campaign,
            kind=Requirement.Kind.OTHER,
            title=f"补充材料{number}",
            due_on=datetime.date(2026, 9, 10 + number),
            submitters=Requirement.Submitters.OFFICES,
            submitter_level=3,
        )
        AgreedItem.objects.create(
            meeting=aw.city_item.meeting,
            number=2 + number,
            text=f"事项{number}",
            owner=world.environment_bureau,
            due_on=datetime.date(2026, 9, 20 + number),
        )
        unit = Unit.objects.create(
            name=f"新社区{number}", kind=Unit.Kind.COMMUNITY, region=world.furong_community
        )
        Application.objects.create(
            campaign=aw.campaign, unit=unit, status=Status.APPROVED, route=Route.TERRITORIAL
        )
        title = Title.objects.create(
            unit=unit,
            program=aw.cw.district_program,
            year=2025,
            named_on=datetime.date(2025, 12, 20),
            document_number=f"芙蓉区创建办〔2025〕{number}号",
        )
        supervision.issue_order(
            by=world.user("furong"), title=title, requirements="整改", today=datetime.date(2026, 9, 5)
        )
