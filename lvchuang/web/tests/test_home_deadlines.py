"""The home page's 截止提醒: approaching deadlines in amber, missed ones in red, for each role that owes work."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import CampaignWorld
from lvchuang.applications.models import Application, Batch, Route, Status
from lvchuang.campaigns.deadlines import deadlines_for
from lvchuang.campaigns.models import Action
from lvchuang.organisations.models import Unit
from lvchuang.web.tests.helpers import queries_for
from lvchuang.web.views import deadline_link

WEEK_BEFORE = datetime.datetime(2026, 9, 25, 9, tzinfo=datetime.UTC)  # 17:00 in Changsha, 5 days left
AFTER_CLOSED = datetime.datetime(2026, 10, 3, 9, tzinfo=datetime.UTC)  # 3 days late
MID_APPLICATION = datetime.datetime(2026, 8, 1, 9, tzinfo=datetime.UTC)
WEEK_BEFORE_REVIEW_CLOSES = datetime.datetime(2026, 11, 25, 9, tzinfo=datetime.UTC)


def _application(cw: CampaignWorld, unit: Unit, status: str, **fields: object) -> Application:
    route = Route.SECTOR if unit.sector_id else Route.TERRITORIAL
    return Application.objects.create(campaign=cw.campaign, unit=unit, status=status, route=route, **fields)


def _home(client, cw: CampaignWorld, who: str, moment: datetime.datetime):
    with time_machine.travel(moment, tick=False):  # signed in that day: sessions expire
        client.force_login(cw.user(who))
        response = client.get("/")
    assert response.status_code == 200
    return response


def test_it_shows_a_unit_its_approaching_deadline_in_amber(client, campaign_world):
    cw = campaign_world
    response = _home(client, cw, "unit", WEEK_BEFORE)
    body = response.content.decode()
    assert "截止提醒" in body
    assert 'class="deadline deadline-approaching"' in body
    assert '<span class="badge badge-missing">即将截止</span>' in body
    assert "识字岭社区居委会：尚未申报" in body
    assert "2026-09-30" in body
    assert "还剩 5 天" in body
    [deadline] = response.context["home"].deadlines
    assert deadline.action == Action.SUBMIT


def test_it_shows_a_unit_its_missed_deadline_in_red(client, campaign_world):
    cw = campaign_world
    _application(cw, cw.world.furong_unit, Status.DRAFT)
    body = _home(client, cw, "unit", AFTER_CLOSED).content.decode()
    assert 'class="deadline deadline-missed"' in body
    assert '<span class="badge badge-failed">已逾期</span>' in body
    assert "识字岭社区居委会：申报未提交" in body
    assert "逾期 3 天" in body
    assert "登记窗口延期" in body


def test_it_leaves_the_section_out_while_nothing_is_close(client, campaign_world):
    cw = campaign_world
    response = _home(client, cw, "unit", MID_APPLICATION)
    assert response.context["home"].deadlines == []  # the submit deadline is open, 60 days away
    assert "截止提醒" not in response.content.decode()


def test_it_shows_offices_what_waits_for_them(client, campaign_world):
    cw = campaign_world
    world = cw.world
    _application(cw, world.furong_unit, Status.SUBMITTED)
    _application(cw, world.tianxin_unit, Status.RECOMMENDED)
    _application(cw, world.school, Status.APPROVED)

    assert "1 份申报待推荐" in _home(client, cw, "street", WEEK_BEFORE).content.decode()
    tianxin = _home(client, cw, "tianxin", AFTER_CLOSED).content.decode()
    assert "1 份申报待审核" in tianxin
    assert "badge-failed" in tianxin
    furong = _home(client, cw, "furong", AFTER_CLOSED).content.decode()
    assert "截止提醒" not in furong  # its application still waits for the street, not for the district
    assert "申报表未报送：1 份已审核申报待报送" in _home(client, cw, "sector", WEEK_BEFORE).content.decode()


def test_it_shows_the_issuing_office_its_checks_and_reviews(client, campaign_world):
    cw = campaign_world
    batch = Batch.objects.create(
        campaign=cw.campaign,
        office=cw.world.furong_office,
        number="芙蓉-1",
        status=Batch.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    _application(cw, cw.world.furong_unit, Status.APPROVED, batch=batch)
    body = _home(client, cw, "city", WEEK_BEFORE_REVIEW_CLOSES).content.decode()
    assert "1 份申报待初审" in body
    assert "2026 年市级节能环保社区创建" in body


def test_it_shows_no_deadlines_to_roles_that_owe_no_work(client, campaign_world):
    cw = campaign_world
    _application(cw, cw.world.furong_unit, Status.RECOMMENDED)
    for who in ("leader", "reviewer", "admin", "outsider"):
        assert "截止提醒" not in _home(client, cw, who, AFTER_CLOSED).content.decode(), who


def test_it_links_a_unit_deadline_to_its_application_and_an_office_deadline_to_the_campaign(campaign_world):
    cw = campaign_world
    application = _application(cw, cw.world.furong_unit, Status.DRAFT)
    _application(cw, cw.world.tianxin_unit, Status.RECOMMENDED)
    [unit_deadline] = deadlines_for(cw.user("unit"), today=datetime.date(2026, 9, 25))
    [district_deadline] = deadlines_for(cw.user("tianxin"), today=datetime.date(2026, 9, 25))

    assert deadline_link(unit_deadline) == reverse(
        "applications:detail", kwargs={"application_id": application.pk}
    )
    assert deadline_link(district_deadline) == reverse(
        "campaigns:campaign_detail", kwargs={"campaign_id": cw.campaign.pk}
    )


# The home page's queries with a campaign open (test_home.HOME_QUERIES without one): + the campaigns' stages
# and overrides, and one count per role (the unit: its applications).
# test_home.HOME_QUERIES says what the home page reads besides the deadlines.
HOME_QUERIES_WITH_A_CAMPAIGN = {"unit": 14, "street": 22, "furong": 22, "city": 22, "sector": 14}


@pytest.mark.parametrize("who", sorted(HOME_QUERIES_WITH_A_CAMPAIGN))
def test_the_deadlines_cost_the_same_queries_however_many_applications_there_are(client, campaign_world, who):
    cw = campaign_world
    world = cw.world
    _application(cw, world.furong_unit, Status.SUBMITTED)
    _application(cw, world.school, Status.SUBMITTED)
    with time_machine.travel(WEEK_BEFORE, tick=False):
        client.force_login(cw.user(who))
        assert queries_for(client, "/") == HOME_QUERIES_WITH_A_CAMPAIGN[who]
        for number in range(6):
            unit = Unit.objects.create(
                name=f"社区{number}", kind=Unit.Kind.COMMUNITY, region=world.furong_community
            )
            _application(cw, unit, [Status.SUBMITTED, Status.RECOMMENDED, Status.APPROVED][number % 3])
        assert queries_for(client, "/") == HOME_QUERIES_WITH_A_CAMPAIGN[who]
