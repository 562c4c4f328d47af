"""Fixtures of the joint meeting tests: 芙蓉区's 绿色社区创建联席会议 (seed 004) with 芙蓉区住建局 as lead and
芙蓉区民政局 and 芙蓉区公安分局 as members, its office 芙蓉区创建办, one liaison each for 住建局 and 民政局, and a
meeting of 2026-03-10 with two agreed items.

Every date is given: "today" is 2026-04-15 unless a test says otherwise.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from conftest import World
from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.meetings import services
from lvchuang.meetings.models import AgreedItem, Liaison, Meeting
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody

TODAY = datetime.date(2026, 4, 15)
HELD_ON = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class MeetingWorld:
    world: World
    body: GoverningBody
    housing: Department  # 芙蓉区住建局, the lead
    civil: Department  # 芙蓉区民政局
    police: Department  # 芙蓉区公安分局, a member without a liaison
    housing_membership: BodyMembership
    civil_membership: BodyMembership
    housing_liaison: Liaison
    civil_liaison: Liaison
    meeting: Meeting
    housing_item: AgreedItem  # due 2026-04-30
    civil_item: AgreedItem  # due 2026-03-31: overdue on TODAY

    def user(self, name: str) -> User:
        if name == "housing":
            return self.housing_liaison.user
        if name == "civil":
            return self.civil_liaison.user
        return self.world.user(name)

    def leadership_member(self, username: str) -> User:
        user = create_user(by=None, username=username, password="pw-" + username, full_name=username)
        grant_role(by=None, user=user, role=Role.LEADERSHIP_MEMBER, body=self.body)
        return user


def build_meeting_world(world: World) -> MeetingWorld:
    furong = world.user("furong")
    body = GoverningBody.objects.create(
        name="芙蓉区绿色社区创建行动联席会议",
        kind=GoverningBody.Kind.JOINT_MEETING,
        region=world.furong,
        office=world.furong_office,
    )
    housing = Department.objects.create(name="芙蓉区住建局", region=world.furong)
    civil = Department.objects.create(name="芙蓉区民政局", region=world.furong)
    police = Department.objects.create(name="芙蓉区公安分局", region=world.furong)
    housing_membership = BodyMembership.objects.create(
        body=body, department=housing, is_lead=True, duties="牵头统筹，建立创建台账和社区清单"
    )
    civil_membership = BodyMembership.objects.create(body=body, department=civil, duties="社区治理")
    BodyMembership.objects.create(body=body, department=police, duties="智能安防")

    def liaison(username: str, full_name: str, membership: BodyMembership) -> Liaison:
        user = create_user(by=None, username=username, password="pw-" + username, full_name=full_name)
        grant_role(by=None, user=user, role=Role.LEADERSHIP_MEMBER, body=body)
        return services.add_liaison(by=furong, membership=membership, user=user)

    meeting = services.create_meeting(
        by=furong,
        body=body,
        title="2026年第一次联席会议",
        held_on=HELD_ON,
        place="芙蓉区政府三楼会议室",
        chair="王召集",
        minutes="会议研究了绿色社区创建工作。",
        minutes_number="芙绿创联席〔2026〕1号",
        attendees=[
            services.AttendeeInput(name="李住建", department=housing, position="副局长"),
            services.AttendeeInput(name="赵民政", department=civil, position="科长"),
            services.AttendeeInput(name="钱专家", position="规划专家"),
        ],
    )
    housing_item = services.add_agreed_item(
        by=furong,
        meeting=meeting,
        text="梳理老旧小区改造项目，全部纳入绿色社区创建台账",
        owner=housing,
        due_on=datetime.date(2026, 4, 30),
    )
    civil_item = services.add_agreed_item(
        by=furong,
        meeting=meeting,
        text="摸清社区基本情况，报送试点社区名单",
        owner=civil,
        due_on=datetime.date(2026, 3, 31),
    )
    return MeetingWorld(
        world=world,
        body=body,
        housing=housing,
        civil=civil,
        police=police,
        housing_membership=housing_membership,
        civil_membership=civil_membership,
        housing_liaison=liaison("zhujian", "周住建", housing_membership),
        civil_liaison=liaison("minzheng", "孙民政", civil_membership),
        meeting=meeting,
        housing_item=housing_item,
        civil_item=civil_item,
    )


@pytest.fixture
def mw(world: World) -> MeetingWorld:
    return build_meeting_world(world)
