"""Helpers of the targets tests: more regions, units and titles on top of the shared `world`.

Every date is given; nothing depends on the real date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from conftest import World
from lvchuang.campaigns.models import Program
from lvchuang.organisations.models import Office, Unit
from lvchuang.regions.models import Region
from lvchuang.targets.caching import registry_changed
from lvchuang.titles.models import Title

D = datetime.date


def region(parent: Region, code: str, name: str, kind: str = "") -> Region:
    """A child region of `parent`; its level and path follow from the 12-digit code's length."""
    lengths = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
    level = parent.level + 1
    return Region.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path=code[: lengths[level]],
        code_year=2023,
        kind=kind,
    )


def units(
    place: Region, count: int, *, kind: str = Unit.Kind.COMMUNITY, name: str = "", **facts: object
) -> list[Unit]:
    stem = name or place.name
    created = Unit.objects.bulk_create(
        Unit(name=f"{stem}{kind}{number:03d}", kind=kind, region=place, **facts)
        for number in range(1, count + 1)
    )
    registry_changed()  # bulk_create sends no signals (targets/caching.py)
    return created


def organs(place: Region, count: int, level: str, *, name: str = "") -> list[Unit]:
    return units(
        place,
        count,
        kind=Unit.Kind.ORGAN,
        name=name or f"{place.name}{level}",
        organ_type="government",
        organ_level=level,
    )


def titled(
    holders: list[Unit],
    program: Program,
    named_on: datetime.date,
    **fields: object,
) -> list[Title]:
    created = Title.objects.bulk_create(
        Title(unit=unit, program=program, year=named_on.year, named_on=named_on, **fields) for unit in holders
    )
    registry_changed()
    return created


@dataclass
class Programs:
    organ: Program  # 节约型机关
    demonstration: Program  # 公共机构节约型示范单位
    green_community: Program  # 绿色社区
    city_community: Program  # 市级节能环保社区


@pytest.fixture
def programs(db) -> Programs:
    return Programs(
        organ=Program.objects.get(code="conservation-oriented-organ"),
        demonstration=Program.objects.get(code="public-institution-demonstration"),
        green_community=Program.objects.get(code="green-community"),
        city_community=Program.objects.get(code="city-energy-saving-community"),
    )


@pytest.fixture
def province_office(world: World) -> Office:
    return Office.objects.get(region=world.province)
