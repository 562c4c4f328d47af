"""Fixtures of the notice tests: campaigns whose shortlist was reached through the real services.

`shortlisted_campaign` is the city's 2026 campaign (seed 000) with two applications brought through submission,
recommendation, approval, the district batch, the preliminary check, review, combination and ranking: 识字岭
(芙蓉区, rank 1, demonstration candidate) and 西牌楼 (天心区, rank 2). Copy it wherever a shortlist is needed.
`district_campaign` is 芙蓉区's own campaign of the district title, with one shortlisted community, so that the
issuing office (芙蓉区) and the office above it (the city) differ.

Every date is given: applications in June, acceptance in October, the notice published on Tuesday
1 December 2026 and lasting 7 working days, to Wednesday 9 December.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import CampaignWorld, World
from lvchuang.accounts.models import User
from lvchuang.applications import services as applications
from lvchuang.applications.models import Application, Batch
from lvchuang.assessments.models import SelfAssessment
from lvchuang.campaigns.models import Campaign, Program
from lvchuang.campaigns.services import create_campaign
from lvchuang.notices import services
from lvchuang.notices.models import Notice, NoticeEntry, Objection
from lvchuang.organisations.models import Office, Unit
from lvchuang.regions.models import Region
from lvchuang.reviews import services as reviews

IN_APPLICATION = datetime.date(2026, 6, 15)
IN_ACCEPTANCE = datetime.date(2026, 10, 15)
PUBLISH_DAY = datetime.date(2026, 12, 1)  # a Tuesday
LAST_DAY = datetime.date(2026, 12, 9)  # the 7th working day: 1, 2, 3, 4, 7, 8, 9 December
AFTER_LAST_DAY = datetime.date(2026, 12, 10)
PUBLISH_MOMENT = datetime.datetime(2026, 12, 1, 2, tzinfo=datetime.UTC)  # 10:00 in Beijing


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def completed_assessment(unit: Unit, campaign: Campaign, score: Decimal) -> SelfAssessment:
    """A completed, passing self-assessment recorded directly: scoring item by item is the assessments app's
    business (and its tests'), and would take most of the time of every test here."""
    return SelfAssessment.objects.create(
        unit=unit,
        version=campaign.version,
        status=SelfAssessment.Status.COMPLETED,
        completed_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        total=score,
        passed=True,
    )


def under_review(
    campaign: Campaign, unit: Unit, *, admin: User, issuer: User, score: Decimal, batch_office: Office | None
) -> Application:
    """An application of `unit` taken through the workflow up to 评审中 (a submitted batch when one is needed)."""
    completed_assessment(unit, campaign, score)
    application = applications.create_application(by=admin, campaign=campaign, unit=unit)
    applications.submit_application(by=admin, application=application, today=IN_APPLICATION)
    applications.recommend_application(by=admin, application=application, today=IN_APPLICATION)
    applications.approve_application(by=admin, application=application, today=IN_APPLICATION)
    if batch_office is not None:
        batch, _created = Batch.objects.get_or_create(
            campaign=campaign,
            number=f"{batch_office.name}第1批",
            defaults={
                "office": batch_office,
                "status": Batch.Status.SUBMITTED,
                "submitted_at": datetime.datetime(2026, 9, 29, tzinfo=datetime.UTC),
            },
        )
        Application.objects.filter(pk=application.pk).update(batch=batch)
    applications.check_application(by=issuer, application=application, today=IN_ACCEPTANCE)
    return applications.start_review(by=issuer, application=application, today=IN_ACCEPTANCE)


def rank(campaign: Campaign, issuer: User, *, demonstrations: int = 1) -> None:
    campaign.demonstration_quota = demonstrations
    campaign.save(update_fields=["demonstration_quota"])
    reviews.combine_scores(by=issuer, campaign=campaign)
    reviews.rank_and_shortlist(by=issuer, campaign=campaign, today=IN_ACCEPTANCE)


@dataclass
class Shortlisted:
    world: World
    campaign: Campaign
    applications: dict[str, Application]

    def user(self, name: str) -> User:
        return self.world.user(name)

    @property
    def issuer(self) -> User:
        """A user working in the issuing office."""
        return (
            self.user("city") if self.campaign.office_id == self.world.city_office.pk else self.user("furong")
        )

    def application(self, name: str) -> Application:
        application = self.applications[name]
        application.refresh_from_db()
        return application

    def notice(self, *, title: str = "") -> Notice:
        """A draft notice of the shortlist."""
        return services.create_notice(
            by=self.issuer,
            campaign=self.campaign,
            title=title or f"关于{self.campaign.name}拟命名名单的公示",
            body="公示期内如有异议，请实名提出。",
            contact_phone="0731-88886666",
            contact_email="gongshi@example.cn",
            contact_address="长沙市岳麓区",
        )

    def open_notice(self, *, title: str = "", today: datetime.date = PUBLISH_DAY) -> Notice:
        return services.publish_notice(by=self.issuer, notice=self.notice(title=title), today=today)

    def entry(self, notice: Notice, name: str) -> NoticeEntry:
        return notice.entries.get(application=self.applications[name])


def objection(
    notice: Notice,
    entry: NoticeEntry,
    *,
    name: str = "王建国",
    phone: str = "13807310000",
    email: str = "",
    content: str = "该社区垃圾分类设施长期闲置，与申报材料不符。",
    evidence: SimpleUploadedFile | None = None,
    address: str = "10.0.0.8",
    today: datetime.date = PUBLISH_DAY,
) -> Objection:
    return services.submit_objection(
        notice=notice,
        entry=entry,
        name=name,
        phone=phone,
        email=email,
        content=content,
        evidence=evidence,
        client_address=address,
        today=today,
    )


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    body = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    return SimpleUploadedFile(name, body, content_type="image/png")


@pytest.fixture
def shortlisted_campaign(campaign_world: CampaignWorld) -> Shortlisted:
    world = campaign_world.world
    campaign = campaign_world.campaign
    admin, city = world.user("admin"), world.user("city")
    found = {
        "识字岭": under_review(
            campaign,
            world.furong_unit,
            admin=admin,
            issuer=city,
            score=Decimal("95"),
            batch_office=world.furong_office,
        ),
        "西牌楼": under_review(
            campaign,
            world.tianxin_unit,
            admin=admin,
            issuer=city,
            score=Decimal("90"),
            batch_office=world.tianxin_office,
        ),
    }
    rank(campaign, city)
    return Shortlisted(world=world, campaign=campaign, applications=found)


@pytest.fixture
def district_campaign(campaign_world: CampaignWorld) -> Shortlisted:
    """芙蓉区's 2026 campaign of the district title with one shortlisted community, 荷花池."""
    world = campaign_world.world
    furong, admin = world.user("furong"), world.user("admin")
    campaign = create_campaign(
        by=furong,
        program=Program.objects.get(code="district-energy-saving-community"),
        year=2026,
        office=world.furong_office,
        name="芙蓉区2026年节能环保社区创建",
    )
    street = world.furong_street
    region = Region.objects.create(
        code=f"{street.path}101",
        name="荷花池社区",
        level=5,
        parent=street,
        path=f"{street.path}101",
        code_year=2023,
        kind="community",
    )
    unit = Unit.objects.create(name="荷花池社区居委会", kind=Unit.Kind.COMMUNITY, region=region)
    application = under_review(
        campaign, unit, admin=admin, issuer=furong, score=Decimal("90"), batch_office=None
    )
    rank(campaign, furong)
    return Shortlisted(world=world, campaign=campaign, applications={"荷花池": application})
