"""A small public registry in the `world`: titles of both districts, of two years, in each public state.

On the day the tests look at it (15 June 2026):
- 识字岭社区居委会 (芙蓉区) holds the 2025 city title, demonstration, valid — CS-2025-0001;
- 西牌楼社区居委会 (天心区) held the 2025 city title of the same decision; it was revoked — CS-2025-0002;
- 长沙市第一中学 (天心区) holds a 2024 district title whose validity ended on 19 December 2025, still "valid"
  in the database because the nightly expiry has not run — TX-2024-0007;
- 识字岭社区居委会 also holds the 2024 district title, under rectification — FR-2024-0003.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine

from conftest import World
from lvchuang.campaigns.models import Program
from lvchuang.titles.models import Title, TitleEvent

TODAY = datetime.date(2026, 6, 15)
NOW = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)
CITY_DECISION = "长创建办〔2025〕9号"
REVOCATION = "长创建办〔2026〕2号"
REVOCATION_REASON = "发生重大环境污染事故"
RECTIFICATION_REASON = "复查发现垃圾分类台账缺失"


@dataclass
class Registry:
    world: World
    valid: Title
    revoked: Title
    lapsed: Title
    rectifying: Title


def _title(**fields: object) -> Title:
    return Title.objects.create(**fields)


def build_registry(world: World) -> Registry:
    city = Program.objects.get(code="city-energy-saving-community")
    district = Program.objects.get(code="district-energy-saving-community")
    valid = _title(
        unit=world.furong_unit,
        program=city,
        year=2025,
        named_on=datetime.date(2025, 12, 20),
        document_number=CITY_DECISION,
        valid_until=datetime.date(2030, 12, 19),
        is_demonstration=True,
        certificate_number="CS-2025-0001",
    )
    revoked = _title(
        unit=world.tianxin_unit,
        program=city,
        year=2025,
        named_on=datetime.date(2025, 12, 20),
        document_number=CITY_DECISION,
        valid_until=datetime.date(2030, 12, 19),
        certificate_number="CS-2025-0002",
        status=Title.Status.REVOKED,
        status_reason=REVOCATION_REASON,
        status_changed_on=datetime.date(2026, 3, 1),
    )
    TitleEvent.objects.create(
        title=revoked,
        from_status=Title.Status.VALID,
        to_status=Title.Status.REVOKED,
        on=datetime.date(2026, 3, 1),
        reason=REVOCATION_REASON,
        document_number=REVOCATION,
    )
    lapsed = _title(
        unit=world.school,
        program=district,
        year=2024,
        named_on=datetime.date(2024, 12, 20),
        document_number="天心区创建办〔2024〕5号",
        valid_until=datetime.date(2025, 12, 19),
        certificate_number="TX-2024-0007",
    )
    rectifying = _title(
        unit=world.furong_unit,
        program=district,
        year=2024,
        named_on=datetime.date(2024, 12, 18),
        document_number="芙蓉区创建办〔2024〕3号",
        valid_until=datetime.date(2029, 12, 17),
        certificate_number="FR-2024-0003",
        status=Title.Status.UNDER_RECTIFICATION,
        status_reason=RECTIFICATION_REASON,
        status_changed_on=datetime.date(2026, 5, 10),
    )
    TitleEvent.objects.create(
        title=rectifying,
        from_status=Title.Status.VALID,
        to_status=Title.Status.UNDER_RECTIFICATION,
        on=datetime.date(2026, 5, 10),
        reason=RECTIFICATION_REASON,
    )
    return Registry(world=world, valid=valid, revoked=revoked, lapsed=lapsed, rectifying=rectifying)


@pytest.fixture
def registry(world: World) -> Registry:
    return build_registry(world)


@pytest.fixture(autouse=True)
def on_the_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
