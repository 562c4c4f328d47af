"""Fixtures of the submission tests, on the seeds' dates.

- seed 000: the city's 2026 节能环保社区 campaign (`campaign_world`) requires each district's annual work plan by
  31 May; a third district, 岳麓区, is added so one district hands in on time, one late and one not at all;
- seed 003: the province's 2026 节约型机关 campaign requires each applying organ's creation plan by 31 July;
- seed 004: 芙蓉区's 2026 绿色社区 campaign requires a quarterly report from every member of the district's joint
  meeting within 10 days after each quarter (Q1 by 10 April, Q4 by 10 January 2027).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import CampaignWorld
from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.applications.models import Application, Route, Status
from lvchuang.campaigns.models import Campaign, Program
from lvchuang.campaigns.services import create_campaign
from lvchuang.meetings.models import Liaison
from lvchuang.organisations.models import Department, GoverningBody, Office, Unit
from lvchuang.regions.models import Region
from lvchuang.reports import services
from lvchuang.reports.models import Requirement, Submission
from lvchuang.reports.submitters import DEPARTMENT, OFFICE, UNIT, Submitter


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment on `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def person(username: str, *, email: bool = True) -> User:
    user = create_user(by=None, username=username, password="pw-" + username, full_name=username)
    if email:
        user.email = f"{username}@example.cn"
        user.save()
    return user


def office_submitter(office: Office) -> Submitter:
    return Submitter(office.region.path, office.name, OFFICE, office.pk)


def unit_submitter(unit: Unit) -> Submitter:
    return Submitter(unit.region.path, unit.name, UNIT, unit.pk)


def department_submitter(department: Department) -> Submitter:
    return Submitter(department.region.path, department.name, DEPARTMENT, department.pk)


@dataclass
class ReportsWorld:
    cw: CampaignWorld
    yuelu: Region
    yuelu_office: Office
    work_plan: Requirement  # seed 000: districts, 31 May

    def user(self, name: str) -> User:
        if name in self.world.users:
            return self.cw.user(name)
        return User.objects.get(username=name)

    @property
    def world(self):
        return self.cw.world

    @property
    def campaign(self) -> Campaign:
        return self.cw.campaign

    def hand_in(
        self, requirement: Requirement, submitter: Submitter, by: str, on: datetime.date, period: str = ""
    ) -> Submission:
        return services.submit(
            by=self.user(by),
            requirement=requirement,
            period=period,
            submitter=submitter,
            content=f"{submitter.name}的材料",
            now=at(on),
        )


@pytest.fixture
def rw(campaign_world) -> ReportsWorld:
    world = campaign_world.world
    yuelu = Region.objects.create(
        code="430104000000", name="岳麓区", level=3, parent=world.city, path="430104", code_year=2023
    )
    yuelu_office = Office.objects.create(name="岳麓区创建办", region=yuelu)
    grant_role(by=None, user=person("yuelu"), role=Role.DISTRICT_OFFICE, office=yuelu_office)
    for name in ("furong", "tianxin", "city", "street", "unit", "tianxin_unit", "sector", "leader"):
        User.objects.filter(username=name).update(email=f"{name}@example.cn")
    work_plan = services.create_requirement(
        by=world.user("city"),
        campaign=campaign_world.campaign,
        kind=Requirement.Kind.WORK_PLAN,
        title="区年度创建工作计划",
        submitters=Requirement.Submitters.OFFICES,
        submitter_level=Region.Level.COUNTY,
        due_on=datetime.date(2026, 5, 31),
    )
    return ReportsWorld(cw=campaign_world, yuelu=yuelu, yuelu_office=yuelu_office, work_plan=work_plan)


# --- seed 003: organs' creation plans ---------------------------------------------------------------------------


@dataclass
class OrganWorld:
    campaign: Campaign
    plan: Requirement  # applicants, 31 July, file required
    organ: Unit  # 芙蓉区 organ, applied
    other_organ: Unit  # 天心区 organ, applied
    draft_organ: Unit  # still a draft: not an applicant


@pytest.fixture
def organs(rw) -> OrganWorld:
    world = rw.world
    province_office = Office.objects.get(region=world.province)
    campaign = create_campaign(
        by=world.user("province"),
        program=Program.objects.get(code="conservation-oriented-organ"),
        year=2026,
        office=province_office,
    )

    def organ(name: str, region: Region) -> Unit:
        return Unit.objects.create(
            name=name,
            kind=Unit.Kind.ORGAN,
            region=region,
            organ_type=Unit.OrganType.GOVERNMENT,
            organ_level=Unit.OrganLevel.COUNTY,
        )

    furong_organ = organ("芙蓉区机关事务服务中心", world.furong)
    tianxin_organ = organ("天心区机关事务服务中心", world.tianxin)
    draft_organ = organ("岳麓区机关事务服务中心", rw.yuelu)
    grant_role(by=None, user=world.user("unit"), role=Role.UNIT_STAFF, unit=furong_organ)
    grant_role(by=None, user=world.user("tianxin_unit"), role=Role.UNIT_STAFF, unit=tianxin_organ)
    for unit, status in (
        (furong_organ, Status.SUBMITTED),
        (tianxin_organ, Status.APPROVED),
        (draft_organ, Status.DRAFT),
    ):
        Application.objects.create(campaign=campaign, unit=unit, status=status, route=Route.TERRITORIAL)
    plan = services.create_requirement(
        by=world.user("province"),
        campaign=campaign,
        kind=Requirement.Kind.CREATION_PLAN,
        title="节约型机关创建计划",
        submitters=Requirement.Submitters.APPLICANTS,
        due_on=datetime.date(2026, 7, 31),
        requires_file=True,
    )
    return OrganWorld(
        campaign=campaign, plan=plan, organ=furong_organ, other_organ=tianxin_organ, draft_organ=draft_organ
    )


# --- seed 004: quarterly reports of the joint meeting's members ---------------------------------------------------


@dataclass
class JointMeetingWorld:
    campaign: Campaign
    body: GoverningBody
    housing: Department  # 住建局, lead
    civil_affairs: Department  # 民政局
    quarterly: Requirement


@pytest.fixture
def joint_meeting(rw) -> JointMeetingWorld:
    world = rw.world
    housing = Department.objects.create(name="芙蓉区住房和城乡建设局", region=world.furong)
    civil_affairs = Department.objects.create(name="芙蓉区民政局", region=world.furong)
    body = GoverningBody.objects.create(
        name="芙蓉区绿色社区创建联席会议",
        kind=GoverningBody.Kind.JOINT_MEETING,
        region=world.furong,
        office=world.furong_office,
    )
    housing_membership = body.bodymembership_set.create(department=housing, is_lead=True)
    civil_membership = body.bodymembership_set.create(department=civil_affairs)
    for username, membership in (("housing", housing_membership), ("civil", civil_membership)):
        user = person(username)
        grant_role(by=None, user=user, role=Role.LEADERSHIP_MEMBER, body=body)
        Liaison.objects.create(membership=membership, user=user)
    campaign = create_campaign(
        by=world.user("furong"),
        program=Program.objects.get(code="green-community"),
        year=2026,
        office=world.furong_office,
    )
    quarterly = services.create_requirement(
        by=world.user("furong"),
        campaign=campaign,
        kind=Requirement.Kind.QUARTERLY_REPORT,
        title="成员单位季度工作情况",
        submitters=Requirement.Submitters.MEMBERS,
        period=Requirement.Period.QUARTERLY,
        days_after_quarter=10,
        body=body,
    )
    return JointMeetingWorld(
        campaign=campaign, body=body, housing=housing, civil_affairs=civil_affairs, quarterly=quarterly
    )
