"""Shared fixtures: a small but real-shaped world of regions, offices, units and one user per role.

The cast, as in healthchecks' tests: `city` (the city office) oversees both districts; `furong` and `tianxin`
are sibling district offices who must see nothing of each other; `outsider` holds no role at all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.assessments.models import SelfAssessment
from lvchuang.campaigns.models import Campaign, Program
from lvchuang.organisations.models import Department, GoverningBody, Office, Unit
from lvchuang.regions.models import Region


@dataclass
class World:
    province: Region
    city: Region
    furong: Region  # district 芙蓉区
    tianxin: Region  # district 天心区
    furong_street: Region
    tianxin_street: Region
    furong_community: Region
    tianxin_community: Region
    city_office: Office
    furong_office: Office
    tianxin_office: Office
    furong_street_office: Office
    education_bureau: Department
    environment_bureau: Department
    leading_group: GoverningBody
    furong_unit: Unit  # a community in 芙蓉区
    tianxin_unit: Unit  # a community in 天心区
    school: Unit  # a school in 天心区 under the education bureau
    users: dict[str, User]

    def user(self, name: str) -> User:
        return self.users[name]


def _region(code: str, name: str, level: int, parent: Region | None, path: str, kind: str = "") -> Region:
    return Region.objects.create(
        code=code, name=name, level=level, parent=parent, path=path, code_year=2023, kind=kind
    )


def build_world() -> World:
    province = _region("430000000000", "湖南省", 1, None, "43")
    city = _region("430100000000", "长沙市", 2, province, "4301")
    furong = _region("430102000000", "芙蓉区", 3, city, "430102")
    tianxin = _region("430103000000", "天心区", 3, city, "430103")
    furong_street = _region("430102001000", "文艺路街道", 4, furong, "430102001", "street")
    tianxin_street = _region("430103002000", "坡子街街道", 4, tianxin, "430103002", "street")
    furong_community = _region("430102001001", "识字岭社区", 5, furong_street, "430102001001", "community")
    tianxin_community = _region("430103002001", "西牌楼社区", 5, tianxin_street, "430103002001", "community")

    environment = Department.objects.create(name="长沙市生态环境局", region=city)
    education = Department.objects.create(name="长沙市教育局", region=city, is_sector_authority=True)
    city_office = Office.objects.create(name="长沙市创建办", region=city, host_department=environment)
    furong_office = Office.objects.create(name="芙蓉区创建办", region=furong)
    tianxin_office = Office.objects.create(name="天心区创建办", region=tianxin)
    street_office = Office.objects.create(name="文艺路街道创建办", region=furong_street)
    group = GoverningBody.objects.create(
        name="长沙市创建节能环保社区工作领导小组",
        kind=GoverningBody.Kind.LEADING_GROUP,
        region=city,
        office=city_office,
    )
    group.bodymembership_set.create(department=environment, is_lead=True)

    furong_unit = Unit.objects.create(
        name="识字岭社区居委会", kind=Unit.Kind.COMMUNITY, region=furong_community
    )
    tianxin_unit = Unit.objects.create(
        name="西牌楼社区居委会", kind=Unit.Kind.COMMUNITY, region=tianxin_community
    )
    school = Unit.objects.create(
        name="长沙市第一中学",
        kind=Unit.Kind.SCHOOL,
        region=tianxin_street,
        sector=education,
        institution_type=Unit.InstitutionType.EDUCATION,
    )

    def person(username: str) -> User:
        return create_user(by=None, username=username, password="pw-" + username, full_name=username)

    users = {
        name: person(name)
        for name in (
            "admin",
            "province",
            "city",
            "furong",
            "tianxin",
            "street",
            "unit",
            "tianxin_unit",
            "sector",
            "leader",
            "reviewer",
            "outsider",
        )
    }
    province_office = Office.objects.create(name="湖南省创建办", region=province)
    grant_role(by=None, user=users["admin"], role=Role.SYSTEM_ADMIN)
    grant_role(by=None, user=users["province"], role=Role.PROVINCE_OFFICE, office=province_office)
    grant_role(by=None, user=users["city"], role=Role.CITY_OFFICE, office=city_office)
    grant_role(by=None, user=users["furong"], role=Role.DISTRICT_OFFICE, office=furong_office)
    grant_role(by=None, user=users["tianxin"], role=Role.DISTRICT_OFFICE, office=tianxin_office)
    grant_role(by=None, user=users["street"], role=Role.STREET_OFFICE, office=street_office)
    grant_role(by=None, user=users["unit"], role=Role.UNIT_STAFF, unit=furong_unit)
    grant_role(by=None, user=users["tianxin_unit"], role=Role.UNIT_STAFF, unit=tianxin_unit)
    grant_role(by=None, user=users["sector"], role=Role.SECTOR_STAFF, department=education)
    grant_role(by=None, user=users["leader"], role=Role.LEADERSHIP_MEMBER, body=group)
    grant_role(by=None, user=users["reviewer"], role=Role.REVIEWER)
    return World(
        province=province,
        city=city,
        furong=furong,
        tianxin=tianxin,
        furong_street=furong_street,
        tianxin_street=tianxin_street,
        furong_community=furong_community,
        tianxin_community=tianxin_community,
        city_office=city_office,
        furong_office=furong_office,
        tianxin_office=tianxin_office,
        furong_street_office=street_office,
        education_bureau=education,
        environment_bureau=environment,
        leading_group=group,
        furong_unit=furong_unit,
        tianxin_unit=tianxin_unit,
        school=school,
        users=users,
    )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and cached pages live in the cache: each test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


# --- a campaign in progress -----------------------------------------------------------------------------------


@dataclass
class CampaignWorld:
    """The world plus the city's 2026 市级节能环保社区 campaign (seed 000's calendar: applications May–September,
    acceptance October–November). Both communities hold the district title, so both may apply."""

    world: World
    program: Program
    district_program: Program
    campaign: Campaign

    def user(self, name: str) -> User:
        return self.world.user(name)

    def complete_assessment(self, unit: Unit, *, share: Decimal = Decimal(1)) -> SelfAssessment:
        """A completed self-assessment of `unit` against the campaign's version, every scored item at `share` of
        its points and every basic condition met."""
        from lvchuang.assessments.services import complete_assessment, save_answer, start_assessment

        admin = self.user("admin")
        assessment = start_assessment(by=admin, unit=unit, version=self.campaign.version)
        for item in self.campaign.version.items.all():
            if item.children.exists():
                continue
            if item.kind == "gate":
                save_answer(by=admin, assessment=assessment, item=item, points=None, met=True, narrative="")
            else:
                points = (item.max_points * share).quantize(Decimal("0.01"))
                save_answer(by=admin, assessment=assessment, item=item, points=points, met=None, narrative="")
        return complete_assessment(by=admin, assessment=assessment)


def build_campaign_world(world: World, *, year: int = 2026) -> CampaignWorld:
    from lvchuang.campaigns.services import create_campaign
    from lvchuang.titles.models import Title

    district_program = Program.objects.get(code="district-energy-saving-community")
    program = Program.objects.get(code="city-energy-saving-community")
    for unit in (world.furong_unit, world.tianxin_unit):
        Title.objects.create(
            unit=unit,
            program=district_program,
            year=year - 2,
            named_on=datetime.date(year - 2, 12, 20),
            document_number=f"区创建办〔{year - 2}〕3号",
        )
    campaign = create_campaign(by=world.user("city"), program=program, year=year, office=world.city_office)
    return CampaignWorld(world=world, program=program, district_program=district_program, campaign=campaign)


@pytest.fixture
def campaign_world(world: World) -> CampaignWorld:
    return build_campaign_world(world)
