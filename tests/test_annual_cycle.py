"""A whole year of the seed-000 program through the REST API, as the people in it would do it.

Six communities in two districts apply for 市级节能环保社区 (each holds the district title, seed 000); their streets
recommend, their districts approve and send stamped batches by 30 September; in October the city office checks
them, draws a reproducible spot-check sample, assigns reviewers without conflicts, the reviewers score item by
item, and the city ranks and shortlists within a quota of 3 split between the districts.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from conftest import CampaignWorld
from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.applications.models import Application, ApplicationEvent, Status
from lvchuang.organisations.models import Office, Unit
from lvchuang.regions.models import Region
from lvchuang.reviews.models import Exclusion, Review
from lvchuang.titles.models import Title

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False
    )


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content.decode()
    return response.json()


def _scan() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(out, format="PNG")
    return SimpleUploadedFile("盖章扫描件.png", out.getvalue(), content_type="image/png")


def _person(name: str, role: str, **scope: Any) -> User:
    user = create_user(by=None, username=name, password=f"pw-{name}", full_name=name)
    grant_role(by=None, user=user, role=role, **scope)
    return user


def _more_communities(cw: CampaignWorld) -> tuple[list[Unit], User]:
    """Two more communities on each street, with the district title; a 天心区 street office to recommend."""
    world = cw.world
    units = [world.furong_unit, world.tianxin_unit]
    for street, prefix in ((world.furong_street, "识字岭"), (world.tianxin_street, "西牌楼")):
        for number in (2, 3):
            region = Region.objects.create(
                code=f"{street.path}{number:03d}",
                name=f"{prefix}{number}社区",
                level=5,
                parent=street,
                path=f"{street.path}{number:03d}",
                code_year=2023,
                kind="community",
            )
            unit = Unit.objects.create(
                name=f"{prefix}{number}社区居委会", kind=Unit.Kind.COMMUNITY, region=region
            )
            Title.objects.create(
                unit=unit, program=cw.district_program, year=2025, named_on=datetime.date(2025, 12, 20)
            )
            units.append(unit)
    office = Office.objects.create(name="坡子街街道创建办", region=world.tianxin_street)
    return units, _person("pozijie", Role.STREET_OFFICE, office=office)


def test_a_whole_year_of_the_seed_000_program(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    world = cw.world
    campaign = cw.campaign
    units, tianxin_street = _more_communities(cw)
    city = _client(cw.user("city"))
    streets = {world.furong.pk: _client(cw.user("street")), world.tianxin.pk: _client(tianxin_street)}
    districts = {world.furong.pk: _client(cw.user("furong")), world.tianxin.pk: _client(cw.user("tianxin"))}
    admin = _client(cw.user("admin"))  # applies on behalf of the units without a login of their own
    district_of: dict[int, int] = {unit.pk: unit.region.parent.parent_id for unit in units}  # type: ignore[union-attr,misc]

    # March: the campaign names 3 this year; the city splits them between the two districts.
    campaign.quota = 3
    campaign.save(update_fields=["quota"])
    with _at(datetime.date(2026, 3, 10)):
        for region, amount in ((world.furong, 2), (world.tianxin, 1)):
            _ok(
                city.post(
                    "/api/quota-allocations/",
                    {"campaign": campaign.pk, "region": region.code, "amount": amount},
                    format="json",
                ),
                201,
            )

    # June: every community self-assesses and applies; the eligibility engine explains itself.
    shares = [
        Decimal("0.95"),
        Decimal("0.90"),
        Decimal("0.85"),
        Decimal("0.80"),
        Decimal("0.98"),
        Decimal("0.70"),
    ]
    applications: dict[int, int] = {}
    with _at(datetime.date(2026, 6, 15)):
        for unit, share in zip(units, shares, strict=True):
            cw.complete_assessment(unit, share=share)
            verdict = _ok(admin.get(f"/api/campaigns/{campaign.pk}/eligibility/", {"unit": unit.pk}))
            assert verdict["eligible"] is True
            created = _ok(admin.post("/api/applications/", {"campaign": campaign.pk, "unit": unit.pk}), 201)
            applications[unit.pk] = created["id"]
            _ok(
                admin.post(
                    f"/api/applications/{created['id']}/transition/", {"name": "submit"}, format="json"
                )
            )

    # July: the streets recommend; one application goes back with item comments and comes back fixed.
    with _at(datetime.date(2026, 7, 20)):
        returned = applications[units[2].pk]  # 识字岭2社区, on 文艺路街道
        _ok(
            streets[world.furong.pk].post(
                f"/api/applications/{returned}/transition/",
                {
                    "name": "return",
                    "comment": "补充材料",
                    "item_comments": [{"item": "2.1", "comment": "补照片"}],
                },
                format="json",
            )
        )
        _ok(admin.post(f"/api/applications/{returned}/transition/", {"name": "submit"}, format="json"))
        for unit in units:
            street = streets[district_of[unit.pk]]
            _ok(street.post(f"/api/applications/{applications[unit.pk]}/transition/", {"name": "recommend"}))

    # August–September: the districts approve and send their stamped batches before 30 September.
    with _at(datetime.date(2026, 9, 20)):
        for district_region, client in districts.items():
            mine = [applications[u.pk] for u in units if district_of[u.pk] == district_region]
            for application_id in mine:
                _ok(client.post(f"/api/applications/{application_id}/transition/", {"name": "approve"}))
            office = Office.objects.get(region_id=district_region, name__endswith="区创建办")
            batch = _ok(client.post("/api/batches/", {"campaign": campaign.pk, "office": office.pk}), 201)
            _ok(
                client.post(
                    f"/api/batches/{batch['id']}/applications/", {"applications": mine}, format="json"
                )
            )
            _ok(
                client.post(
                    f"/api/batches/{batch['id']}/seal-scan/", {"seal_scan": _scan()}, format="multipart"
                )
            )
            _ok(client.post(f"/api/batches/{batch['id']}/submit/"))

    # October: the city checks everything, draws a reproducible sample, assigns panels.
    with _at(datetime.date(2026, 10, 12)):
        for application_id in applications.values():
            _ok(city.post(f"/api/applications/{application_id}/transition/", {"name": "check"}))
        drawn = _ok(
            city.post(
                "/api/spot-checks/",
                {"campaign": campaign.pk, "size": 6, "weighted": True, "seed": "2026-长沙-验收"},
                format="json",
            ),
            201,
        )
        assert sorted(drawn["sample"]) == sorted(str(i) for i in applications.values())
        assert _ok(city.get(f"/api/spot-checks/{drawn['id']}/verify/"))["matches"] is True

        reviewers = [_person(f"expert{n}", Role.REVIEWER) for n in range(3)]
        # One reviewer lives in 芙蓉区: never on a 芙蓉区 panel, and the exclusion says why.
        _ok(
            _client(reviewers[0]).put(
                "/api/reviewer-profile/me/", {"region": world.furong.code}, format="json"
            )
        )
        for application_id in applications.values():
            _ok(
                city.post(f"/api/review-panels/{application_id}/assign/", {"kind": "desk"}, format="json"),
                201,
            )
    furong_ids = [applications[u.pk] for u in units if district_of[u.pk] == world.furong.pk]
    assert not Review.objects.filter(reviewer=reviewers[0], application_id__in=furong_ids).exists()
    assert Exclusion.objects.filter(reviewer=reviewers[0], application_id__in=furong_ids).count() == len(
        furong_ids
    )

    # November: every reviewer scores every item of their reviews and submits; the city ranks and shortlists.
    with _at(datetime.date(2026, 11, 5)):
        for review in Review.objects.select_related("application__unit", "reviewer"):
            client = _client(review.reviewer)
            share = dict(zip((u.pk for u in units), shares, strict=True))[review.application.unit_id]
            for item in campaign.version.items.filter(children__isnull=True).exclude(kind="area"):
                points = str((item.max_points * share).quantize(Decimal("0.01")))
                body: dict[str, Any] = {"met": True} if item.kind == "gate" else {"points": points}
                _ok(client.patch(f"/api/reviews/{review.pk}/items/{item.pk}/", body, format="json"))
            _ok(client.post(f"/api/reviews/{review.pk}/submit/", {}, format="json"))
        _ok(city.post(f"/api/review-campaigns/{campaign.pk}/combine/"))
        ranking = _ok(city.post(f"/api/review-campaigns/{campaign.pk}/rank/"), 201)

    outcome = {a.unit_id: a for a in Application.objects.filter(campaign=campaign)}
    shortlisted = {unit_id for unit_id, a in outcome.items() if a.status == Status.SHORTLISTED}
    # Each district's share goes to its best-scored applications: two in 芙蓉区, one in 天心区.
    furong_units = [u for u in units if district_of[u.pk] == world.furong.pk]
    tianxin_units = [u for u in units if district_of[u.pk] == world.tianxin.pk]
    best = lambda group, n: {u.pk for u in sorted(group, key=lambda u: -(outcome[u.pk].final_score or 0))[:n]}  # noqa: E731
    assert shortlisted == best(furong_units, 2) | best(tianxin_units, 1)
    assert len(shortlisted) == campaign.quota
    assert all(a.status == Status.REJECTED for u, a in outcome.items() if u not in shortlisted)
    assert len(ranking["rows"]) == len(units)
    # Every application's history tells its year, step by step.
    first = applications[units[0].pk]
    steps = list(ApplicationEvent.objects.filter(application_id=first).values_list("action", flat=True))
    assert steps[:6] == ["create", "submit", "recommend", "approve", "check", "start_review"]
    assert steps[-1] == "shortlist"
