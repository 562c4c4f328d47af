"""The API of programs, campaigns, stages, overrides, allocations, quota usage and eligibility."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from lvchuang.accounts.models import User
from lvchuang.applications.models import Application, Status
from lvchuang.campaigns import services
from lvchuang.campaigns.models import Campaign, Program, QuotaAllocation, Stage, WindowOverride

JUNE_15 = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def names(response: Any, key: str = "name") -> list[str]:
    return [row[key] for row in response.json()["results"]]


@pytest.fixture
def green_campaign(world) -> Campaign:
    return services.create_campaign(
        by=world.user("city"),
        program=Program.objects.get(code="city-green-unit"),
        year=2026,
        office=world.city_office,
    )


# --- programs -------------------------------------------------------------------------------------------------


def test_it_lists_programs_with_their_rules_to_every_role(world, django_assert_max_num_queries):
    client = api_as(world.user("unit"))
    with django_assert_max_num_queries(8):
        response = client.get("/api/programs/")
    assert response.status_code == 200
    city = next(p for p in response.json()["results"] if p["code"] == "city-energy-saving-community")
    assert city["prerequisite_name"] == "区级节能环保（两型）社区"
    assert city["is_builtin"] is True
    assert {"rule": "重复申报", "text": "获得称号后 3 年内不得重复申报同一称号"} in city["rules"]
    assert api_as(world.user("outsider")).get("/api/programs/").json()["results"] == []


def test_an_office_copies_a_program_and_changes_its_copy(world):
    builtin = Program.objects.get(code="city-green-unit")
    client = api_as(world.user("furong"))
    response = client.post(
        "/api/programs/",
        {"copy_of": builtin.pk, "office": world.furong_office.pk, "code": "furong-green-unit"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    copy = Program.objects.get(code="furong-green-unit")
    assert copy.owner == world.furong_office
    response = client.patch(
        f"/api/programs/{copy.pk}/", {"yearly_quota": 6, "validity_years": 3}, format="json"
    )
    assert response.status_code == 200, response.json()
    copy.refresh_from_db()
    assert (copy.yearly_quota, copy.validity_years) == (6, 3)
    assert response.json()["yearly_quota"] == 6


def test_it_refuses_changes_to_a_builtin_or_to_another_offices_program(world):
    builtin = Program.objects.get(code="city-green-unit")
    assert (
        api_as(world.user("furong")).patch(f"/api/programs/{builtin.pk}/", {"yearly_quota": 1}).status_code
        == 403
    )
    copy = services.copy_program(
        by=world.user("furong"), program=builtin, office=world.furong_office, code="f-copy"
    )
    assert (
        api_as(world.user("tianxin")).patch(f"/api/programs/{copy.pk}/", {"yearly_quota": 1}).status_code
        == 403
    )
    assert (
        api_as(world.user("outsider")).patch(f"/api/programs/{copy.pk}/", {"yearly_quota": 1}).status_code
        == 404
    )
    response = api_as(world.user("tianxin")).post(
        "/api/programs/",
        {"copy_of": builtin.pk, "office": world.furong_office.pk, "code": "x"},
        format="json",
    )
    assert response.status_code == 400
    copy.refresh_from_db()
    builtin.refresh_from_db()
    assert (copy.yearly_quota, builtin.yearly_quota) == (22, 22)


# --- campaigns ------------------------------------------------------------------------------------------------


def test_it_opens_a_campaign_and_shows_its_stages(world):
    program = Program.objects.get(code="city-green-unit")
    response = api_as(world.user("city")).post(
        "/api/campaigns/",
        {"program": program.pk, "year": 2026, "office": world.city_office.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quota"] == 22
    assert [s["name"] for s in body["stages"]] == [
        "计划准备阶段",
        "组织实施阶段",
        "材料申报阶段",
        "检查验收阶段",
    ]
    assert body["stages"][2]["actions"] == ["submit", "recommend", "approve", "batch"]
    campaign = Campaign.objects.get(pk=body["id"])
    assert campaign.version.is_locked


def test_it_refuses_to_open_a_campaign_for_an_office_the_user_does_not_work_in(world):
    program = Program.objects.get(code="city-green-unit")
    response = api_as(world.user("furong")).post(
        "/api/campaigns/",
        {"program": program.pk, "year": 2026, "office": world.city_office.pk},
        format="json",
    )
    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_the_campaign_list_is_scoped_filtered_and_its_queries_pinned(
    world, campaign_world, django_assert_max_num_queries
):
    for year in (2023, 2024, 2025):
        services.create_campaign(
            by=world.user("city"), program=campaign_world.program, year=year, office=world.city_office
        )
    services.create_campaign(
        by=world.user("furong"),
        program=campaign_world.district_program,
        year=2026,
        office=world.furong_office,
    )
    client = api_as(world.user("city"))
    with django_assert_max_num_queries(6):
        response = client.get("/api/campaigns/")
    assert len(response.json()["results"]) == 5
    assert names(client.get("/api/campaigns/", {"year": 2025})) == ["2025 年市级节能环保社区创建"]
    assert len(names(client.get("/api/campaigns/", {"program": campaign_world.district_program.pk}))) == 1
    assert "2026 年区级节能环保（两型）社区创建" not in names(
        api_as(world.user("tianxin")).get("/api/campaigns/")
    )


# --- stages, overrides, allocations ---------------------------------------------------------------------------


def test_the_runner_adds_changes_and_deletes_stages_and_a_district_may_not(world, campaign_world):
    campaign = campaign_world.campaign
    city = api_as(world.user("city"))
    response = city.post(
        "/api/stages/",
        {
            "campaign": campaign.pk,
            "name": "补报",
            "starts_on": "2026-10-08",
            "ends_on": "2026-10-15",
            "actions": ["submit"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    stage = Stage.objects.get(pk=response.json()["id"])
    response = city.patch(f"/api/stages/{stage.pk}/", {"ends_on": "2026-10-20"}, format="json")
    assert response.status_code == 200
    stage.refresh_from_db()
    assert stage.ends_on == datetime.date(2026, 10, 20)
    furong = api_as(world.user("furong"))
    assert furong.patch(f"/api/stages/{stage.pk}/", {"name": "改"}, format="json").status_code == 403
    assert furong.delete(f"/api/stages/{stage.pk}/").status_code == 403
    assert city.delete(f"/api/stages/{stage.pk}/").status_code == 204
    assert not Stage.objects.filter(pk=stage.pk).exists()
    listed = city.get("/api/stages/", {"campaign": campaign.pk})
    assert len(listed.json()["results"]) == 5


def test_overrides_are_recorded_with_a_reason_and_listed(
    world, campaign_world, django_assert_max_num_queries
):
    campaign = campaign_world.campaign
    city = api_as(world.user("city"))
    refused = city.post(
        "/api/window-overrides/",
        {"campaign": campaign.pk, "action": "batch", "until": "2026-10-15", "reason": " "},
        format="json",
    )
    assert refused.status_code == 400
    response = city.post(
        "/api/window-overrides/",
        {
            "campaign": campaign.pk,
            "action": "batch",
            "until": "2026-10-15",
            "reason": "芙蓉区申报表盖章延误",
            "region": world.furong.code,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    override = WindowOverride.objects.get()
    assert (override.region, override.created_by) == (world.furong, world.user("city"))
    with django_assert_max_num_queries(6):
        listed = city.get("/api/window-overrides/")
    assert listed.json()["results"][0]["reason"] == "芙蓉区申报表盖章延误"
    assert (
        api_as(world.user("furong"))
        .post(
            "/api/window-overrides/",
            {"campaign": campaign.pk, "action": "batch", "until": "2026-10-15", "reason": "想延期"},
            format="json",
        )
        .status_code
        == 403
    )


def test_allocations_are_created_updated_refused_over_quota_and_show_usage(
    world, green_campaign, django_assert_max_num_queries
):
    city = api_as(world.user("city"))
    created = city.post(
        "/api/quota-allocations/",
        {"campaign": green_campaign.pk, "region": world.furong.code, "amount": 12},
        format="json",
    )
    assert created.status_code == 201, created.json()
    updated = city.post(
        "/api/quota-allocations/",
        {"campaign": green_campaign.pk, "region": world.furong.code, "amount": 14},
        format="json",
    )
    assert updated.status_code == 200
    assert QuotaAllocation.objects.get(campaign=green_campaign, region=world.furong).amount == 14
    over = city.post(
        "/api/quota-allocations/",
        {"campaign": green_campaign.pk, "region": world.tianxin.code, "amount": 9},
        format="json",
    )
    assert over.status_code == 400
    assert "超过可分配的 22 个" in str(over.json())
    city.post(
        "/api/quota-allocations/",
        {"campaign": green_campaign.pk, "department": world.education_bureau.pk, "amount": 2},
        format="json",
    )
    Application.objects.create(campaign=green_campaign, unit=world.furong_unit, status=Status.SHORTLISTED)
    Application.objects.create(campaign=green_campaign, unit=world.school, status=Status.SUBMITTED)
    with django_assert_max_num_queries(6):
        listed = city.get("/api/quota-allocations/", {"campaign": green_campaign.pk})
    usage = {
        row["region_name"] or row["department_name"]: (row["amount"], row["in_progress"], row["shortlisted"])
        for row in listed.json()["results"]
    }
    assert usage == {"芙蓉区": (14, 0, 1), "长沙市教育局": (2, 1, 0)}
    quota = city.get(f"/api/campaigns/{green_campaign.pk}/quota/").json()
    assert (quota["limit"], quota["allocated"], quota["unallocated"], quota["shortlisted"]) == (22, 16, 6, 1)
    district = city.get(f"/api/campaigns/{green_campaign.pk}/quota/", {"region": world.furong.code}).json()
    assert district["limit"] == 14
    assert [(r["name"], r["shortlisted"]) for r in district["rows"]] == [("文艺路街道", 1)]
    assert (
        api_as(world.user("tianxin"))
        .get(f"/api/campaigns/{green_campaign.pk}/quota/", {"region": world.furong.code})
        .status_code
        == 404
    )


# --- eligibility ----------------------------------------------------------------------------------------------


@time_machine.travel(JUNE_15, tick=False)
def test_eligibility_explains_each_rule_for_a_unit(world, campaign_world):
    response = api_as(world.user("unit")).get(
        f"/api/campaigns/{campaign_world.campaign.pk}/eligibility/", {"unit": world.furong_unit.pk}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["unit"], body["eligible"], body["exempt"]) == (world.furong_unit.pk, True, False)
    assert [line["rule"] for line in body["lines"]] == ["unit_kind", "prerequisite", "cooldown"]
    assert all(not line["refuses"] for line in body["lines"])
    assert "获得前置称号“区级节能环保（两型）社区”" in body["lines"][1]["text"]


@time_machine.travel(JUNE_15, tick=False)
def test_eligibility_refuses_with_the_reason_and_hides_units_outside_the_jurisdiction(world, campaign_world):
    from lvchuang.titles.models import Title

    Title.objects.create(
        unit=world.furong_unit,
        program=campaign_world.program,
        year=2024,
        named_on=datetime.date(2024, 12, 20),
    )
    url = f"/api/campaigns/{campaign_world.campaign.pk}/eligibility/"
    body = api_as(world.user("furong")).get(url, {"unit": world.furong_unit.pk}).json()
    assert body["eligible"] is False
    cooldown = next(line for line in body["lines"] if line["rule"] == "cooldown")
    assert cooldown["refuses"] is True
    assert "3 年内不得重复申报" in cooldown["text"]
    assert api_as(world.user("furong")).get(url, {"unit": world.tianxin_unit.pk}).status_code == 404
    rules_only = api_as(world.user("furong")).get(url).json()
    assert rules_only["eligible"] is None
    assert rules_only["rules"][0] == {"rule": "适用单位", "text": "社区（居委会）"}
