"""Fixtures of the review tests: the 2026 city campaign with applications brought to 初审通过 by the services.

Every date is given (`today=`): applications May–September, acceptance October–November 2026 (seed 000).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from conftest import CampaignWorld
from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.applications import services as applications
from lvchuang.applications.models import Application, Batch
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region
from lvchuang.reviews import services
from lvchuang.reviews.models import Review
from lvchuang.standards.models import Item
from lvchuang.titles.models import Title

IN_APPLICATION = datetime.date(2026, 6, 15)
IN_ACCEPTANCE = datetime.date(2026, 10, 15)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class ReviewWorld:
    cw: CampaignWorld
    counter: list[int] = field(default_factory=lambda: [0])

    def user(self, name: str) -> User:
        return self.cw.user(name)

    @property
    def campaign(self):
        return self.cw.campaign

    @property
    def world(self):
        return self.cw.world

    def community(self, name: str, *, street: Region | None = None) -> Unit:
        """Another community (with the district title the city title requires) in a new community region."""
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
        unit = Unit.objects.create(name=name, kind=Unit.Kind.COMMUNITY, region=region)
        Title.objects.create(
            unit=unit,
            program=self.cw.district_program,
            year=2024,
            named_on=datetime.date(2024, 12, 20),
            document_number="区创建办〔2024〕3号",
        )
        return unit

    def checked(self, unit: Unit, *, share: Decimal = Decimal("0.9")) -> Application:
        """An application of `unit` brought to 初审通过 through the services, in a submitted district batch."""
        admin = self.user("admin")
        self.cw.complete_assessment(unit, share=share)
        application = applications.create_application(by=admin, campaign=self.campaign, unit=unit)
        applications.submit_application(by=admin, application=application, today=IN_APPLICATION)
        applications.recommend_application(by=admin, application=application, today=IN_APPLICATION)
        applications.approve_application(by=admin, application=application, today=IN_APPLICATION)
        batch, _created = Batch.objects.get_or_create(
            campaign=self.campaign,
            number="B1",
            defaults={
                "office": self.world.furong_office,
                "status": Batch.Status.SUBMITTED,
                "submitted_at": datetime.datetime(2026, 9, 29, tzinfo=datetime.UTC),
            },
        )
        Application.objects.filter(pk=application.pk).update(batch=batch)
        applications.check_application(by=self.user("city"), application=application, today=IN_ACCEPTANCE)
        application.refresh_from_db()
        return application

    def reviewer(self, name: str) -> User:
        user = create_user(by=None, username=name, password="pw-" + name, full_name=name)
        grant_role(by=None, user=user, role=Role.REVIEWER)
        return user

    def leaves(self) -> list[Item]:
        items = Item.objects.filter(version=self.campaign.version).order_by("order", "pk")
        return [item for item in items if item.kind != Item.Kind.AREA and not item.children.exists()]

    def score(self, review: Review, *, share: Decimal, submit: bool = True) -> Review:
        """Score every leaf at `share` of its points (basic conditions met) as the review's reviewer."""
        for item in self.leaves():
            if item.kind == Item.Kind.GATE:
                services.save_score(
                    by=review.reviewer, review=review, item=item, points=None, met=True, comment=""
                )
            else:
                points = (item.max_points * share).quantize(Decimal("0.01"))
                services.save_score(
                    by=review.reviewer, review=review, item=item, points=points, met=None, comment=""
                )
        if submit:
            return services.submit_review(by=review.reviewer, review=review)
        return review


@pytest.fixture
def rw(campaign_world: CampaignWorld) -> ReviewWorld:
    return ReviewWorld(campaign_world)
