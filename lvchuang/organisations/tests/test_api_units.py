"""/api/units/: list, detail, create and partial update, with the jurisdiction and field rules of the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from rest_framework.test import APIClient

from lvchuang.accounts.models import User
from lvchuang.audit.models import AuditEntry
from lvchuang.organisations.models import Unit

if TYPE_CHECKING:
    from conftest import World


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def names(response: Any) -> list[str]:
    return [unit["name"] for unit in response.json()["results"]]


def latest_entry_about(unit: Unit) -> AuditEntry:
    entry: AuditEntry = AuditEntry.objects.filter(content_type__model="unit", object_pk=str(unit.pk)).latest(
        "timestamp"
    )
    return entry


# --- reading ------------------------------------------------------------------------------------------------


def test_it_lists_a_district_only_its_own_units(world: World) -> None:
    assert names(api_as(world.user("furong")).get("/api/units/")) == ["识字岭社区居委会"]
    # ordered by region code, then name: the school's street comes before the community inside it
    assert names(api_as(world.user("tianxin")).get("/api/units/")) == ["长沙市第一中学", "西牌楼社区居委会"]


def test_it_lists_both_districts_units_to_their_city(world: World) -> None:
    response = api_as(world.user("city")).get("/api/units/")

    assert response.status_code == 200
    assert sorted(names(response)) == ["西牌楼社区居委会", "识字岭社区居委会", "长沙市第一中学"]


def test_it_lists_sector_staff_their_sector_and_an_outsider_nothing(world: World) -> None:
    assert names(api_as(world.user("sector")).get("/api/units/")) == ["长沙市第一中学"]
    assert names(api_as(world.user("outsider")).get("/api/units/")) == []


def test_it_shows_a_unit_with_region_sector_and_choice_labels(world: World) -> None:
    response = api_as(world.user("sector")).get(f"/api/units/{world.school.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["region"] == world.tianxin_street.code
    assert body["region_name"] == "坡子街街道"
    assert body["sector"] == world.education_bureau.pk
    assert body["sector_name"] == "长沙市教育局"
    assert body["kind_display"] == "学校"
    assert body["institution_type_display"] == "021 事业单位·教育"
    assert body["missing_facts"] == ["floor_area", "energy_headcount", "contact_name", "contact_phone"]


@pytest.mark.parametrize("username", ["outsider", "furong", "unit", "sector", "reviewer"])
def test_it_answers_404_for_a_unit_outside_the_jurisdiction(world: World, username: str) -> None:
    response = api_as(world.user(username)).get(f"/api/units/{world.tianxin_unit.pk}/")

    assert response.status_code == 404


def test_it_filters_by_region_subtree_kind_sector_and_name(world: World) -> None:
    client = api_as(world.user("city"))

    assert names(client.get("/api/units/", {"region": world.furong.code})) == ["识字岭社区居委会"]
    assert names(client.get("/api/units/", {"region": "430103"})) == ["长沙市第一中学", "西牌楼社区居委会"]
    assert names(client.get("/api/units/", {"kind": "school"})) == ["长沙市第一中学"]
    assert names(client.get("/api/units/", {"sector": world.education_bureau.pk})) == ["长沙市第一中学"]
    assert names(client.get("/api/units/", {"q": "西牌楼"})) == ["西牌楼社区居委会"]


def test_it_filters_the_units_missing_basic_facts(world: World) -> None:
    Unit.objects.filter(pk=world.furong_unit.pk).update(
        floor_area=1200, energy_headcount=30, contact_name="李红", contact_phone="0731-1234567"
    )

    response = api_as(world.user("city")).get("/api/units/", {"missing_facts": 1})

    assert sorted(names(response)) == ["西牌楼社区居委会", "长沙市第一中学"]


def test_it_refuses_malformed_filters(world: World) -> None:
    response = api_as(world.user("city")).get("/api/units/", {"kind": "castle", "region": "12345"})

    assert response.status_code == 400
    assert set(response.json()) == {"kind", "region"}


def test_it_lists_units_in_a_fixed_number_of_queries(world: World, django_assert_num_queries: Any) -> None:
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):  # jurisdiction, count, page (region and sector joined)
        client.get("/api/units/")
    Unit.objects.bulk_create(
        Unit(
            name=f"单位{n}", kind=Unit.Kind.SCHOOL, region=world.furong_street, sector=world.education_bureau
        )
        for n in range(27)
    )
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):
        response = client.get("/api/units/")
    assert response.json()["count"] == 30


# --- creating -----------------------------------------------------------------------------------------------


def test_it_lets_an_office_create_a_unit_in_its_district(world: World) -> None:
    furong = world.user("furong")
    response = api_as(furong).post(
        "/api/units/",
        {
            "name": "芙蓉区实验小学",
            "kind": "school",
            "region": world.furong_street.code,
            "sector": world.education_bureau.pk,
            "energy_headcount": 85,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    unit = Unit.objects.get(pk=response.json()["id"])
    assert (unit.name, unit.region, unit.sector, unit.energy_headcount) == (
        "芙蓉区实验小学",
        world.furong_street,
        world.education_bureau,
        85,
    )
    assert response.json()["region_name"] == "文艺路街道"
    entry = latest_entry_about(unit)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == furong


def test_it_treats_a_region_outside_the_jurisdiction_as_unknown(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/units/", {"name": "越界单位", "kind": "other", "region": world.tianxin.code}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["region"]
    assert not Unit.objects.filter(name="越界单位").exists()


def test_it_refuses_to_let_a_leadership_member_create_a_unit(world: World) -> None:
    response = api_as(world.user("leader")).post(
        "/api/units/", {"name": "领导的单位", "kind": "other", "region": world.furong.code}, format="json"
    )

    assert response.status_code == 403
    assert not Unit.objects.filter(name="领导的单位").exists()


def test_it_answers_400_with_field_messages_for_a_missing_name(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/units/", {"kind": "castle", "region": world.furong.code}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"name", "kind"}


def test_it_answers_400_when_the_service_finds_a_duplicate_name(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/units/",
        {"name": world.furong_unit.name, "kind": "community", "region": world.furong_community.code},
        format="json",
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Unit.objects.filter(name=world.furong_unit.name).count() == 1


# --- changing -----------------------------------------------------------------------------------------------


def test_it_lets_unit_staff_update_their_units_facts(world: World) -> None:
    staff = world.user("unit")
    response = api_as(staff).patch(
        f"/api/units/{world.furong_unit.pk}/", {"energy_headcount": 12, "contact_name": "王芳"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["energy_headcount"] == 12
    world.furong_unit.refresh_from_db()
    assert (world.furong_unit.energy_headcount, world.furong_unit.contact_name) == (12, "王芳")
    entry = latest_entry_about(world.furong_unit)
    assert entry.actor == staff
    assert entry.changes["energy_headcount"] == ["None", "12"]


@pytest.mark.parametrize(
    "changes", [{"name": "新名字"}, {"kind": "organ"}, {"energy_headcount": 5, "name": "新名字"}]
)
def test_it_refuses_unit_staff_changing_the_classification(world: World, changes: dict[str, Any]) -> None:
    response = api_as(world.user("unit")).patch(f"/api/units/{world.furong_unit.pk}/", changes, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "单位的名称、类别和所属关系由创建办维护。"}
    world.furong_unit.refresh_from_db()
    assert (world.furong_unit.name, world.furong_unit.kind, world.furong_unit.energy_headcount) == (
        "识字岭社区居委会",
        "community",
        None,
    )


def test_it_lets_the_city_rename_a_unit_in_either_district(world: World) -> None:
    response = api_as(world.user("city")).patch(
        f"/api/units/{world.tianxin_unit.pk}/", {"name": "西牌楼社区"}, format="json"
    )

    assert response.status_code == 200
    world.tianxin_unit.refresh_from_db()
    assert world.tianxin_unit.name == "西牌楼社区"


def test_it_refuses_any_change_by_a_leadership_member(world: World) -> None:
    response = api_as(world.user("leader")).patch(
        f"/api/units/{world.furong_unit.pk}/", {"energy_headcount": 3}, format="json"
    )

    assert response.status_code == 403
    world.furong_unit.refresh_from_db()
    assert world.furong_unit.energy_headcount is None


@pytest.mark.parametrize("username", ["outsider", "tianxin", "tianxin_unit"])
def test_it_answers_404_to_a_change_outside_the_jurisdiction(world: World, username: str) -> None:
    response = api_as(world.user(username)).patch(
        f"/api/units/{world.furong_unit.pk}/", {"energy_headcount": 3}, format="json"
    )

    assert response.status_code == 404


def test_it_answers_400_with_field_messages_for_invalid_facts(world: World) -> None:
    response = api_as(world.user("unit")).patch(
        f"/api/units/{world.furong_unit.pk}/",
        {"energy_headcount": -1, "contact_email": "not-an-address", "floor_aera": 12},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"energy_headcount", "contact_email", "floor_aera"}


def test_it_answers_400_when_a_change_breaks_a_units_constraints(world: World) -> None:
    # Households are counted for communities only (Unit's check constraint, checked by full_clean).
    response = api_as(world.user("tianxin")).patch(
        f"/api/units/{world.school.pk}/", {"household_count": 40}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    world.school.refresh_from_db()
    assert world.school.household_count is None
