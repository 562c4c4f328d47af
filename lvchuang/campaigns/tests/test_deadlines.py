"""The deadlines each role owes work for, in the seed 000 calendar of the city's 2026 campaign.

submit / recommend / approve / batch close on 30 September, publish_goals too (opening 1 July); check and
review close on 30 November, shortlist on 31 December. The campaign reminds 7 days ahead.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import CampaignWorld
from lvchuang.applications.access import holder_of, is_holder
from lvchuang.applications.models import Application, Batch, Route, Status
from lvchuang.campaigns.deadlines import APPROACHING, MISSED, OPEN, Deadline, deadlines_for
from lvchuang.campaigns.models import Action, Campaign
from lvchuang.campaigns.services import record_override
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region

BEFORE_SUBMISSIONS = datetime.date(2026, 4, 20)
MID_APPLICATION = datetime.date(2026, 8, 1)
WEEK_BEFORE_SEPTEMBER_CLOSES = datetime.date(2026, 9, 25)  # 5 days left
AFTER_SEPTEMBER_CLOSED = datetime.date(2026, 10, 3)  # 3 days late
WEEK_BEFORE_REVIEW_CLOSES = datetime.date(2026, 11, 25)
AFTER_REVIEW_CLOSED = datetime.date(2026, 12, 5)


def _application(cw: CampaignWorld, unit: Unit, status: str, **fields: object) -> Application:
    route = Route.SECTOR if unit.sector_id else Route.TERRITORIAL
    return Application.objects.create(campaign=cw.campaign, unit=unit, status=status, route=route, **fields)


def _community(cw: CampaignWorld, name: str, region: Region | None = None) -> Unit:
    return Unit.objects.create(
        name=name, kind=Unit.Kind.COMMUNITY, region=region or cw.world.furong_community
    )


def _batch(cw: CampaignWorld, number: str, *, submitted: bool, **sender: object) -> Batch:
    return Batch.objects.create(
        campaign=cw.campaign,
        number=number,
        status=Batch.Status.SUBMITTED if submitted else Batch.Status.DRAFT,
        submitted_at=timezone.now() if submitted else None,
        **sender,
    )


def _for(cw: CampaignWorld, who: str, today: datetime.date) -> list[Deadline]:
    return deadlines_for(cw.user(who), today=today)


def _summary(deadlines: list[Deadline]) -> list[tuple[str, str, int, str]]:
    return [(d.action, d.state, d.days_left, str(d.pending)) for d in deadlines]


# --- unit staff ---------------------------------------------------------------------------------------------


def test_it_reminds_a_unit_that_has_not_applied_while_the_window_is_open(campaign_world):
    cw = campaign_world
    [deadline] = _for(cw, "unit", WEEK_BEFORE_SEPTEMBER_CLOSES)
    assert deadline.campaign == cw.campaign
    assert (deadline.action, deadline.state, deadline.days_left) == (Action.SUBMIT, APPROACHING, 5)
    assert deadline.due_on == datetime.date(2026, 9, 30)
    assert str(deadline.pending) == "尚未申报"
    assert deadline.unit == cw.world.furong_unit
    assert deadline.application_id is None
    assert deadline.label == "单位提交申报"

    [earlier] = _for(cw, "unit", MID_APPLICATION)
    assert (earlier.state, earlier.days_left) == (OPEN, 60)


def test_it_does_not_count_not_applying_as_a_missed_deadline(campaign_world):
    cw = campaign_world
    assert _for(cw, "unit", AFTER_SEPTEMBER_CLOSED) == []
    assert _for(cw, "unit", BEFORE_SUBMISSIONS) == []


def test_it_reports_a_draft_left_unsubmitted_as_missed(campaign_world):
    cw = campaign_world
    application = _application(cw, cw.world.furong_unit, Status.DRAFT)
    [deadline] = _for(cw, "unit", AFTER_SEPTEMBER_CLOSED)
    assert (deadline.action, deadline.state, deadline.days_left) == (Action.SUBMIT, MISSED, -3)
    assert deadline.days_overdue == 3
    assert str(deadline.pending) == "申报未提交"
    assert deadline.application_id == application.pk


def test_it_tells_a_unit_its_returned_application_waits_for_it(campaign_world):
    cw = campaign_world
    _application(cw, cw.world.furong_unit, Status.RETURNED, submitted_at=timezone.now())
    deadlines = _for(cw, "unit", WEEK_BEFORE_SEPTEMBER_CLOSES)
    assert _summary(deadlines) == [
        ("submit", APPROACHING, 5, "申报已退回，待修改后重新提交"),
        ("publish_goals", APPROACHING, 5, "创建目标和主要措施未公布"),
    ]


def test_it_reminds_a_submitted_unit_to_publish_its_goals_until_it_does(campaign_world):
    cw = campaign_world
    application = _application(cw, cw.world.furong_unit, Status.SUBMITTED)
    assert _summary(_for(cw, "unit", WEEK_BEFORE_SEPTEMBER_CLOSES)) == [
        ("publish_goals", APPROACHING, 5, "创建目标和主要措施未公布")
    ]
    assert _summary(_for(cw, "unit", AFTER_SEPTEMBER_CLOSED)) == [
        ("publish_goals", MISSED, -3, "创建目标和主要措施未公布")
    ]
    Application.objects.filter(pk=application.pk).update(goals_published_at=timezone.now())
    assert _for(cw, "unit", WEEK_BEFORE_SEPTEMBER_CLOSES) == []


def test_it_does_not_ask_goals_before_the_implementation_stage_opens(campaign_world):
    cw = campaign_world
    _application(cw, cw.world.furong_unit, Status.SUBMITTED)
    assert _for(cw, "unit", datetime.date(2026, 6, 15)) == []


def test_it_skips_a_campaign_whose_program_does_not_take_the_units_kind(campaign_world):
    cw = campaign_world
    assert (
        _for(cw, "sector", WEEK_BEFORE_SEPTEMBER_CLOSES) == []
    )  # the school: 节能环保社区 is for communities


def test_an_override_moves_the_deadline_for_its_region_only(campaign_world):
    cw = campaign_world
    _application(cw, cw.world.furong_unit, Status.DRAFT)
    _application(cw, cw.world.tianxin_unit, Status.DRAFT)
    record_override(
        by=cw.user("city"),
        campaign=cw.campaign,
        action=Action.SUBMIT,
        until=datetime.date(2026, 10, 10),
        reason="国庆假期顺延",
        region=cw.world.furong,
    )
    [furong] = _for(cw, "unit", AFTER_SEPTEMBER_CLOSED)
    assert (furong.state, furong.due_on, furong.days_left) == (APPROACHING, datetime.date(2026, 10, 10), 7)
    [tianxin] = _for(cw, "tianxin_unit", AFTER_SEPTEMBER_CLOSED)
    assert (tianxin.state, tianxin.due_on) == (MISSED, datetime.date(2026, 9, 30))


def test_a_closed_campaign_has_no_deadlines(campaign_world):
    cw = campaign_world
    _application(cw, cw.world.furong_unit, Status.DRAFT)
    Campaign.objects.filter(pk=cw.campaign.pk).update(status=Campaign.Status.CLOSED)
    assert _for(cw, "unit", AFTER_SEPTEMBER_CLOSED) == []


# --- street and district offices, sector staff --------------------------------------------------------------


def test_it_counts_the_applications_a_street_must_recommend(campaign_world):
    cw = campaign_world
    _application(cw, cw.world.furong_unit, Status.SUBMITTED)
    _application(cw, _community(cw, "新增社区"), Status.SUBMITTED)
    _application(cw, _community(cw, "已推荐社区"), Status.RECOMMENDED)
    _application(cw, cw.world.tianxin_unit, Status.SUBMITTED)  # another street's

    assert _summary(_for(cw, "street", WEEK_BEFORE_SEPTEMBER_CLOSES)) == [
        ("recommend", APPROACHING, 5, "2 份申报待推荐")
    ]
    [missed] = _for(cw, "street", AFTER_SEPTEMBER_CLOSED)
    assert (missed.state, missed.count, missed.days_left) == (MISSED, 2, -3)
    assert _for(cw, "street", MID_APPLICATION)[0].state == OPEN


def test_it_counts_what_a_district_must_approve_and_send_up_in_its_batch(campaign_world):
    cw = campaign_world
    world = cw.world
    _application(cw, world.furong_unit, Status.RECOMMENDED)
    _application(cw, _community(cw, "区直属社区", world.furong), Status.SUBMITTED)  # no street above it
    _application(cw, _community(cw, "待街道推荐"), Status.SUBMITTED)  # the street holds it
    _application(cw, _community(cw, "已审核一"), Status.APPROVED)
    _application(
        cw,
        _community(cw, "已审核二"),
        Status.APPROVED,
        batch=_batch(cw, "芙蓉-草稿", submitted=False, office=world.furong_office),
    )
    _application(
        cw,
        _community(cw, "已报送"),
        Status.APPROVED,
        batch=_batch(cw, "芙蓉-1", submitted=True, office=world.furong_office),
    )
    _application(cw, world.tianxin_unit, Status.RECOMMENDED)  # the sibling district's

    assert _summary(_for(cw, "furong", WEEK_BEFORE_SEPTEMBER_CLOSES)) == [
        ("approve", APPROACHING, 5, "2 份申报待审核"),
        ("batch", APPROACHING, 5, "申报表未报送：2 份已审核申报待报送"),
    ]
    assert _summary(_for(cw, "tianxin", AFTER_SEPTEMBER_CLOSED)) == [
        ("approve", MISSED, -3, "1 份申报待审核")
    ]


def test_a_district_with_everything_in_a_submitted_batch_owes_nothing(campaign_world):
    cw = campaign_world
    _application(
        cw,
        cw.world.furong_unit,
        Status.APPROVED,
        batch=_batch(cw, "芙蓉-1", submitted=True, office=cw.world.furong_office),
    )
    assert _for(cw, "furong", WEEK_BEFORE_SEPTEMBER_CLOSES) == []


def test_it_counts_what_sector_staff_must_approve_and_batch(campaign_world):
    cw = campaign_world
    world = cw.world
    _application(cw, world.school, Status.SUBMITTED)
    second = Unit.objects.create(
        name="长沙市第二中学",
        kind=Unit.Kind.SCHOOL,
        region=world.furong_street,
        sector=world.education_bureau,
        institution_type=Unit.InstitutionType.EDUCATION,
    )
    _application(cw, second, Status.APPROVED)
    assert _summary(_for(cw, "sector", WEEK_BEFORE_SEPTEMBER_CLOSES)) == [
        ("approve", APPROACHING, 5, "1 份申报待审核"),
        ("batch", APPROACHING, 5, "申报表未报送：1 份已审核申报待报送"),
    ]
    # the school's application is not the district's to approve: it climbs through its department
    assert _for(cw, "tianxin", WEEK_BEFORE_SEPTEMBER_CLOSES) == []


# --- the issuing office -------------------------------------------------------------------------------------


def test_it_counts_what_the_issuing_office_must_check_review_and_rank(campaign_world):
    cw = campaign_world
    world = cw.world
    submitted_batch = _batch(cw, "芙蓉-1", submitted=True, office=world.furong_office)
    _application(cw, world.furong_unit, Status.APPROVED, batch=submitted_batch)
    _application(cw, world.tianxin_unit, Status.APPROVED)  # no submitted batch yet: not the city's to check
    _application(cw, _community(cw, "已初审"), Status.CHECKED)
    _application(cw, _community(cw, "评审中"), Status.UNDER_REVIEW)
    _application(cw, _community(cw, "已评分"), Status.UNDER_REVIEW, final_score=88)

    assert _summary(_for(cw, "city", WEEK_BEFORE_REVIEW_CLOSES)) == [
        ("check", APPROACHING, 5, "1 份申报待初审"),
        ("review", APPROACHING, 5, "2 份申报待评审"),
        ("shortlist", OPEN, 36, "2 份申报待排名入围"),
    ]
    assert _summary(_for(cw, "city", AFTER_REVIEW_CLOSED)) == [
        ("check", MISSED, -5, "1 份申报待初审"),
        ("review", MISSED, -5, "2 份申报待评审"),
        ("shortlist", OPEN, 26, "2 份申报待排名入围"),
    ]
    assert _for(cw, "city", datetime.date(2026, 12, 28))[-1].state == APPROACHING
    # the province runs the campaign too, but the reminders go to the office that issued it
    assert _for(cw, "province", WEEK_BEFORE_REVIEW_CLOSES) == []


def test_roles_that_owe_no_work_have_no_deadlines(campaign_world):
    cw = campaign_world
    _application(cw, cw.world.furong_unit, Status.RECOMMENDED)
    for who in ("leader", "reviewer", "admin", "outsider"):
        assert _for(cw, who, WEEK_BEFORE_SEPTEMBER_CLOSES) == [], who


# --- the counts agree with the access helpers ---------------------------------------------------------------

ALL_STATES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RECOMMENDED,
    Status.APPROVED,
    Status.CHECKED,
    Status.UNDER_REVIEW,
    Status.RETURNED,
]


def test_every_counted_application_is_held_by_the_user(campaign_world):
    """The aggregate filters are `holder_of`'s rules as SQL: check them against `is_holder`, one by one."""
    cw = campaign_world
    world = cw.world
    places = [world.furong_community, world.tianxin_community, world.furong, world.tianxin_street]
    for place_number, place in enumerate(places):
        for status in ALL_STATES:
            _application(cw, _community(cw, f"社区{place_number}-{status}", place), status)
    for status in ALL_STATES:
        school = Unit.objects.create(
            name=f"学校-{status}",
            kind=Unit.Kind.SCHOOL,
            region=world.tianxin_street,
            sector=world.education_bureau,
            institution_type=Unit.InstitutionType.EDUCATION,
        )
        _application(cw, school, status)
    applications = list(Application.objects.select_related("unit__region", "campaign__office__region"))

    def held(who: str, holder: str, status: str) -> int:
        user = cw.user(who)
        return sum(
            1
            for a in applications
            if a.status == status and holder_of(a) == holder and is_holder(user, a) and _route_of(who, a)
        )

    def counted(who: str, action: str) -> int:
        return sum(d.count for d in _for(cw, who, WEEK_BEFORE_SEPTEMBER_CLOSES) if d.action == action)

    assert counted("street", "recommend") == held("street", "street", Status.SUBMITTED) == 1
    for district in ("furong", "tianxin"):
        expected = held(district, "approver", Status.SUBMITTED) + held(
            district, "approver", Status.RECOMMENDED
        )
        assert counted(district, "approve") == expected
    assert counted("furong", "approve") == 3  # two recommended + one submitted straight to the district
    assert counted("sector", "approve") == held("sector", "approver", Status.SUBMITTED) == 1


def _route_of(who: str, application: Application) -> bool:
    """Sector staff approve sector units; offices hold only the territorial ones (an office may change a sector
    unit in its region, but the unit climbs through its department)."""
    return (application.route == Route.SECTOR) == (who == "sector")


# --- queries ------------------------------------------------------------------------------------------------

# The user's role assignments and jurisdiction, the open campaigns with their stages and overrides, then one
# query per role (a unit user's campaign visibility reads the unit's region, a sector user's the department's).
QUERIES = {"unit": 7, "street": 6, "furong": 6, "city": 6, "sector": 7}


@pytest.mark.parametrize("who", sorted(QUERIES))
def test_it_costs_the_same_queries_however_many_applications_there_are(campaign_world, who):
    cw = campaign_world
    world = cw.world
    _application(cw, world.furong_unit, Status.SUBMITTED)
    _application(cw, world.school, Status.SUBMITTED)

    def queries() -> int:
        user = type(cw.user(who)).objects.get(pk=cw.user(who).pk)  # a fresh user: no cached jurisdiction
        with CaptureQueriesContext(connection) as captured:
            deadlines_for(user, today=WEEK_BEFORE_SEPTEMBER_CLOSES)
        return len(captured)

    assert queries() == QUERIES[who]
    for number in range(6):
        _application(
            cw, _community(cw, f"更多社区{number}"), [Status.SUBMITTED, Status.RECOMMENDED][number % 2]
        )
        _application(cw, _community(cw, f"天心社区{number}", world.tianxin_community), Status.APPROVED)
    assert queries() == QUERIES[who]
