"""The calendar's world on 25 September 2026 (a Friday): the city's 2026 campaign (seed 000: applications close on
30 September) and a 芙蓉区 campaign of the district title, with one dated duty of every kind in each.

- stage: the stages of both campaigns (the city's seen by both districts, 芙蓉区's by nobody in 天心区);
- deadline: 芙蓉区 owes its 申报表 by 30 September (an approved application not yet in a batch);
- notice: 市级拟命名名单公示 ends 30 September, 芙蓉区拟命名名单公示 29 September (a draft notice is nowhere);
- order: the 识字岭 community's rectification, issued 1 September, due 1 October;
- submission: 区年度创建工作计划 due 28 September (the districts owe it, the city receives it) and
  街道创建工作计划 of 芙蓉区 due 29 September (the street owes it, 芙蓉区 receives it);
- item: the city leading group's item owned by the environment bureau (its liaison is `leader`), due 27
  September, and the 芙蓉区 joint meeting's item (kept by 芙蓉区), due 26 September.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from conftest import CampaignWorld
from lvchuang.accounts.models import User
from lvchuang.applications.models import Application, Route, Status
from lvchuang.campaigns.models import Campaign, Program
from lvchuang.campaigns.services import create_campaign
from lvchuang.meetings.models import AgreedItem, Liaison, Meeting
from lvchuang.notices.models import Notice
from lvchuang.organisations.models import GoverningBody
from lvchuang.reports.models import Requirement
from lvchuang.supervision import services as supervision
from lvchuang.supervision.models import RectificationOrder
from lvchuang.titles.models import Title

TODAY = datetime.date(2026, 9, 25)
SEPTEMBER = (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
AUTUMN = (datetime.date(2026, 9, 1), datetime.date(2026, 10, 31))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 9, 25, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class AgendaWorld:
    cw: CampaignWorld
    district_campaign: Campaign
    city_notice: Notice
    district_notice: Notice
    order: RectificationOrder
    city_requirement: Requirement
    district_requirement: Requirement
    city_item: AgreedItem
    district_item: AgreedItem

    def user(self, name: str) -> User:
        return self.cw.user(name)

    @property
    def world(self):
        return self.cw.world

    @property
    def campaign(self) -> Campaign:
        return self.cw.campaign


def build_agenda_world(cw: CampaignWorld) -> AgendaWorld:
    world = cw.world
    furong = world.user("furong")
    district_campaign = create_campaign(
        by=furong,
        program=Program.objects.get(code="district-energy-saving-community"),
        year=2026,
        office=world.furong_office,
        name="芙蓉区2026年节能环保社区创建",
    )
    # 芙蓉区 approved the community's application and has not sent it up in a 申报表 yet.
    Application.objects.create(
        campaign=cw.campaign, unit=world.furong_unit, status=Status.APPROVED, route=Route.TERRITORIAL
    )
    city_notice = Notice.objects.create(
        campaign=cw.campaign,
        title="市级拟命名名单公示",
        length=7,
        day_kind="working",
        status=Notice.Status.OPEN,
        starts_on=datetime.date(2026, 9, 22),
        ends_on=datetime.date(2026, 9, 30),
    )
    Notice.objects.create(  # a draft is not on anyone's calendar
        campaign=cw.campaign,
        title="草稿公示",
        length=7,
        day_kind="working",
        starts_on=datetime.date(2026, 9, 22),
        ends_on=datetime.date(2026, 9, 30),
    )
    district_notice = Notice.objects.create(
        campaign=district_campaign,
        title="芙蓉区拟命名名单公示",
        length=7,
        day_kind="working",
        status=Notice.Status.OPEN,
        starts_on=datetime.date(2026, 9, 21),
        ends_on=datetime.date(2026, 9, 29),
    )
    title = Title.objects.get(unit=world.furong_unit, program=cw.district_program)
    order = supervision.issue_order(
        by=furong, title=title, requirements="补建垃圾分类台账", today=datetime.date(2026, 9, 1)
    )
    city_requirement = Requirement.objects.create(
        campaign=cw.campaign,
        kind=Requirement.Kind.WORK_PLAN,
        title="区年度创建工作计划",
        due_on=datetime.date(2026, 9, 28),
        submitters=Requirement.Submitters.OFFICES,
        submitter_level=3,
    )
    district_requirement = Requirement.objects.create(
        campaign=district_campaign,
        kind=Requirement.Kind.WORK_PLAN,
        title="街道创建工作计划",
        due_on=datetime.date(2026, 9, 29),
        submitters=Requirement.Submitters.OFFICES,
        submitter_level=4,
    )
    group = world.leading_group
    Liaison.objects.create(membership=group.bodymembership_set.get(), user=world.user("leader"))
    city_meeting = Meeting.objects.create(
        body=group, title="2026年第二次领导小组会议", held_on=datetime.date(2026, 8, 20)
    )
    city_item = AgreedItem.objects.create(
        meeting=city_meeting,
        number=1,
        text="完成全市社区节能改造摸底",
        owner=world.environment_bureau,
        due_on=datetime.date(2026, 9, 27),
    )
    joint = GoverningBody.objects.create(
        name="芙蓉区绿色社区创建联席会议",
        kind=GoverningBody.Kind.JOINT_MEETING,
        region=world.furong,
        office=world.furong_office,
    )
    joint.bodymembership_set.create(department=world.environment_bureau, is_lead=True)
    district_meeting = Meeting.objects.create(
        body=joint, title="芙蓉区第一次联席会议", held_on=datetime.date(2026, 8, 10)
    )
    district_item = AgreedItem.objects.create(
        meeting=district_meeting,
        number=1,
        text="梳理老旧小区改造项目清单",
        owner=world.environment_bureau,
        due_on=datetime.date(2026, 9, 26),
    )
    return AgendaWorld(
        cw=cw,
        district_campaign=district_campaign,
        city_notice=city_notice,
        district_notice=district_notice,
        order=order,
        city_requirement=city_requirement,
        district_requirement=district_requirement,
        city_item=city_item,
        district_item=district_item,
    )


@pytest.fixture
def aw(campaign_world: CampaignWorld) -> AgendaWorld:
    return build_agenda_world(campaign_world)
