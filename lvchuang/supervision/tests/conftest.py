"""Fixtures of the supervision tests: district titles (市级 campaign world: both communities already hold the
district 节能环保社区 title, named 2024-12-20 without a campaign) and helpers for more holders.

Every date is given: the re-inspection runs in March 2026; the district program's `rectification_months` is 1.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from conftest import CampaignWorld
from lvchuang.accounts.models import User
from lvchuang.campaigns.models import Campaign, Program
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region
from lvchuang.supervision import services
from lvchuang.supervision.models import Inspection, RectificationOrder, Reinspection
from lvchuang.titles.models import Title

TODAY = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class SupervisionWorld:
    cw: CampaignWorld
    counter: list[int] = field(default_factory=lambda: [0])

    def user(self, name: str) -> User:
        return self.cw.user(name)

    @property
    def world(self):
        return self.cw.world

    @property
    def program(self) -> Program:
        """The district 节能环保社区 title: level district, rectification within one month."""
        return self.cw.district_program

    def title_of(self, unit: Unit) -> Title:
        return Title.objects.get(unit=unit, program=self.program)

    def holder(self, name: str, *, street: Region | None = None, campaign: Campaign | None = None) -> Title:
        """Another community in a new community region, holding the district title."""
        self.counter[0] += 1
        street = street or self.world.furong_street
        number = f"{self.counter[0] + 100:03d}"
        region = Region.objects.create(
            code=f"{street.path}{number}",
            name=f"{name}社区",
            level=5,
            parent=street,
            path=f"{street.path}{number}",
            code_year=2023,
            kind="community",
        )
        unit = Unit.objects.create(name=f"{name}社区居委会", kind=Unit.Kind.COMMUNITY, region=region)
        return Title.objects.create(
            unit=unit,
            program=self.program,
            campaign=campaign,
            year=2024,
            named_on=datetime.date(2024, 12, 20),
            document_number="芙蓉区创建办〔2024〕3号",
        )

    def reinspection(self, *, by: str = "furong", size: int = 2, **options) -> Reinspection:
        office = {"furong": self.world.furong_office, "city": self.world.city_office}[by]
        return services.create_reinspection(
            by=self.user(by),
            office=office,
            program=self.program,
            year=2026,
            name=options.pop("name", "2026年节能环保社区回头看"),
            kind=options.pop("kind", Reinspection.Kind.SAMPLE),
            sample_size=size,
            **options,
        )

    def failed_order(self, title: Title | None = None, *, on: datetime.date = TODAY) -> RectificationOrder:
        """A re-inspection of `title` alone (the 芙蓉区 community by default) that fails it: the order issued."""
        title = title or self.title_of(self.world.furong_unit)
        reinspection = services.create_reinspection(
            by=self.user("furong"),
            office=self.world.furong_office,
            program=self.program,
            year=on.year,
            name=f"复核 {title.unit.name}",
            kind=Reinspection.Kind.SAMPLE,
            sample_size=100,
        )
        services.draw_sample(by=self.user("furong"), reinspection=reinspection, seed="s")
        inspection = reinspection.inspections.get(title=title)
        services.record_inspection(
            by=self.user("furong"),
            inspection=inspection,
            result=Inspection.Result.FAILED,
            inspected_on=on,
            findings="垃圾分类台账缺失",
            requirements="建立垃圾分类清运台账，每日记录",
            today=on,
        )
        return RectificationOrder.objects.get(inspection=inspection)


@pytest.fixture
def sw(campaign_world: CampaignWorld) -> SupervisionWorld:
    return SupervisionWorld(campaign_world)
