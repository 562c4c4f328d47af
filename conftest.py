"""Shared fixtures: a small but real-shaped world of regions, offices, units and one user per role.

The cast, as in healthchecks' tests: `city` (the city office) oversees both districts; `furong` and `tianxin`
are sibling district offices who must see nothing of each other; `outsider` holds no role at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
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


@pytest.fixture
def world(db: None) -> World:
    return build_world()
