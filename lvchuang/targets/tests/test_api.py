"""The targets API: targets, milestones, progress and quota usage, scoped like the pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lvchuang.targets import services
from lvchuang.targets.models import CoverageTarget
from lvchuang.targets.tests.conftest import titled, units

D = datetime.date


def api(world, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(name))
    return client


@pytest.fixture
def green(world, programs):
    target = services.create_target_from_preset(
        by=world.user("city"),
        office=world.city_office,
        preset="seed004-green-communities",
        starts_on=D(2020, 6, 1),
    )
    furong = units(world.furong_street, 5)
    titled(furong[:4], programs.green_community, D(2021, 10, 1))
    return target


def test_it_creates_a_target_from_a_preset(world, programs):
    response = api(world, "furong").post(
        reverse("coverage-target-list"),
        {"office": world.furong_office.pk, "preset": "national-green-communities", "starts_on": "2020-07-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["program_codes"] == ["green-community"]
    assert response.json()["milestones"] == [{"due_on": "2022-12-31", "share": "60.00", "count": None}]


def test_it_creates_a_blank_target_with_milestones(world, programs):
    response = api(world, "city").post(
        reverse("coverage-target-list"),
        {
            "office": world.city_office.pk,
            "name": "长沙市节能环保社区",
            "programs": [programs.city_community.pk],
            "unit_kind": "community",
            "starts_on": "2024-01-01",
            "milestones": [{"due_on": "2026-12-31", "count": 100}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    target = CoverageTarget.objects.get()
    assert [(m.due_on, m.count) for m in target.milestones.all()] == [(D(2026, 12, 31), 100)]


def test_it_answers_400_with_the_services_message(world, programs):
    response = api(world, "city").post(
        reverse("coverage-target-list"),
        {"office": world.city_office.pk, "name": "x", "unit_kind": "community", "starts_on": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "请至少选择一个计入的称号" in str(response.json())


def test_a_district_cannot_create_for_the_city_office(world, programs):
    response = api(world, "furong").post(
        reverse("coverage-target-list"),
        {"office": world.city_office.pk, "preset": "national-green-communities", "starts_on": "2020-07-01"},
        format="json",
    )
    assert response.status_code == 400  # the office reads as "does not exist"
    assert not CoverageTarget.objects.exists()


def test_the_list_is_scoped(world, green, django_assert_num_queries):
    with django_assert_num_queries(5):  # roles, count, page, programs, milestones
        response = api(world, "furong").get(reverse("coverage-target-list"))
    assert [row["id"] for row in response.json()["results"]] == [green.pk]
    assert api(world, "outsider").get(reverse("coverage-target-list")).json()["results"] == []


def test_progress_returns_the_dashboard_rows(world, green):
    response = api(world, "city").get(
        reverse("coverage-target-progress", args=[green.pk]) + "?as_of=2022-06-30"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["region"] == world.city.code
    assert data["headline"]["eligible"] == 7
    assert data["headline"]["covered"] == 4
    regions = {row["label"]: row for row in data["regions"]}
    assert regions["芙蓉区"]["share"] == "66.7"
    assert regions["芙蓉区"]["status"] == "met"
    assert regions["天心区"]["status"] == "behind"
    assert regions["天心区"]["expected_share"] == "48.3"
    assert [point["on"] for point in data["trend"]][-1] == "2022-06-30"


def test_progress_is_scoped_to_the_users_subtree(world, green):
    client = api(world, "furong")
    url = reverse("coverage-target-progress", args=[green.pk])
    assert client.get(url).json()["region"] == world.furong.code
    assert client.get(url + f"?region={world.tianxin.code}").status_code == 404
    assert client.get(url + f"?region={world.city.code}").status_code == 404
    assert client.get(url + "?as_of=someday").status_code == 400
    assert api(world, "outsider").get(url).status_code == 404


def test_milestones_are_replaced_by_the_office_only(world, green):
    url = reverse("coverage-target-milestones", args=[green.pk])
    payload = {
        "milestones": [{"due_on": "2022-12-31", "share": "60"}, {"due_on": "2023-12-31", "share": "80"}]
    }
    assert api(world, "furong").put(url, payload, format="json").status_code == 403
    response = api(world, "city").put(url, payload, format="json")
    assert response.status_code == 200
    assert [row["due_on"] for row in response.json()] == ["2022-12-31", "2023-12-31"]
    assert [row["share"] for row in api(world, "furong").get(url).json()] == ["60.00", "80.00"]


def test_patch_changes_the_rule_and_deactivates(world, green):
    url = reverse("coverage-target-detail", args=[green.pk])
    response = api(world, "city").patch(url, {"name": "新名称", "is_active": False}, format="json")
    assert response.status_code == 200
    green.refresh_from_db()
    assert (green.name, green.is_active) == ("新名称", False)
    assert api(world, "furong").patch(url, {"name": "再改"}, format="json").status_code == 403
    assert api(world, "tianxin").patch(url, {"name": "再改"}, format="json").status_code == 403


def test_quota_usage_is_the_api_twin_of_the_page(campaign_world):
    from lvchuang.campaigns.services import set_allocation

    world = campaign_world.world
    set_allocation(by=world.user("city"), campaign=campaign_world.campaign, amount=2, region=world.furong)
    response = api(world, "city").get(reverse("quota-usage-detail", args=[campaign_world.campaign.pk]))
    assert response.status_code == 200
    assert response.json()["lines"][0]["label"] == "芙蓉区"
    assert response.json()["lines"][0]["amount"] == 2
    assert (
        api(world, "outsider")
        .get(reverse("quota-usage-detail", args=[campaign_world.campaign.pk]))
        .status_code
        == 404
    )
