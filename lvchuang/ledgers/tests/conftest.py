"""Public institutions of the test world with ledger clerks, shared by the ledger tests.

`world` (root conftest) has offices for 长沙市, 芙蓉区 and 天心区. This adds:
- `organ`: 芙蓉区发展和改革局, a county-level state organ (type 01) in 芙蓉区, clerk `organ_clerk`;
- `city_organ`: 长沙市机关事务管理局, a municipal state organ (type 01) in 长沙市, clerk `city_clerk`;
- `tianxin_organ`: 天心区卫生健康局, a county-level organ in 天心区, (type 01), no clerk;
- `world.school` (天心区, type 021, sector 长沙市教育局) is a public institution too.
Each organ has a credit code (imports name units by it) and basic information for 2020–2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from conftest import World
from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.ledgers.models import BasicInfo
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region


@dataclass
class LedgerWorld:
    world: World
    organ: Unit
    city_organ: Unit
    tianxin_organ: Unit
    organ_clerk: User
    city_clerk: User

    def user(self, name: str) -> User:
        if name == "organ_clerk":
            return self.organ_clerk
        if name == "city_clerk":
            return self.city_clerk
        return self.world.user(name)


def _organ(name: str, region: Region, level: str, credit_code: str, area: str, headcount: int) -> Unit:
    return Unit.objects.create(
        name=name,
        kind=Unit.Kind.ORGAN,
        region=region,
        organ_type=Unit.OrganType.GOVERNMENT,
        organ_level=level,
        institution_type=Unit.InstitutionType.STATE_ORGAN,
        credit_code=credit_code,
        floor_area=Decimal(area),
        energy_headcount=headcount,
    )


def build_ledger_world(world: World) -> LedgerWorld:
    organ = _organ("芙蓉区发展和改革局", world.furong, "county", "11430102MB1234567X", "5000", 120)
    city_organ = _organ("长沙市机关事务管理局", world.city, "municipal", "11430100MB7654321Y", "12000", 300)
    tianxin_organ = _organ("天心区卫生健康局", world.tianxin, "county", "11430103MB0000001Z", "3000", 80)
    area_of = {organ.pk: "5000", city_organ.pk: "12000", tianxin_organ.pk: "3000"}
    headcount_of = {organ.pk: 120, city_organ.pk: 300, tianxin_organ.pk: 80}
    for unit in (organ, city_organ, tianxin_organ):
        for year in range(2020, 2026):
            BasicInfo.objects.create(
                unit=unit,
                year=year,
                institution_type=unit.institution_type,
                floor_area=Decimal(area_of[unit.pk]),
                headcount=headcount_of[unit.pk],
            )
    organ_clerk = create_user(by=None, username="organ_clerk", password="pw-organ_clerk", full_name="罗发改")
    grant_role(by=None, user=organ_clerk, role=Role.UNIT_STAFF, unit=organ)
    city_clerk = create_user(by=None, username="city_clerk", password="pw-city_clerk", full_name="周机关")
    grant_role(by=None, user=city_clerk, role=Role.UNIT_STAFF, unit=city_organ)
    return LedgerWorld(world, organ, city_organ, tianxin_organ, organ_clerk, city_clerk)


@pytest.fixture
def ledger_world(world: World) -> LedgerWorld:
    return build_ledger_world(world)
