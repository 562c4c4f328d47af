"""/api/users/ and /api/users/me/: people inside the jurisdiction, each with the roles the viewer may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from rest_framework.test import APIClient

from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.organisations.models import Unit

if TYPE_CHECKING:
    from conftest import World


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def usernames(response: Any) -> list[str]:
    return [user["username"] for user in response.json()["results"]]


def test_it_lists_a_district_the_people_of_its_subtree_and_itself(world: World) -> None:
    response = api_as(world.user("furong")).get("/api/users/")

    assert response.status_code == 200
    assert usernames(response) == ["furong", "street", "unit"]


def test_it_lists_the_city_the_people_of_both_districts(world: World) -> None:
    response = api_as(world.user("city")).get("/api/users/")

    assert {"furong", "tianxin", "unit", "tianxin_unit", "leader"} <= set(usernames(response))
    assert "province" not in usernames(response)


def test_it_lists_an_outsider_only_themself(world: World) -> None:
    assert usernames(api_as(world.user("outsider")).get("/api/users/")) == ["outsider"]


def test_it_shows_only_the_roles_inside_the_viewers_jurisdiction(world: World) -> None:
    # `unit` also works for a tianxin unit: furong must not learn about it.
    grant_role(by=None, user=world.user("unit"), role=Role.UNIT_STAFF, unit=world.tianxin_unit)

    response = api_as(world.user("furong")).get(f"/api/users/{world.user('unit').pk}/")

    assert response.status_code == 200
    assert [
        (role["role"], role["scope_name"], role["scope_region"]) for role in response.json()["roles"]
    ] == [("unit_staff", "识字岭社区居委会", world.furong_community.code)]


@pytest.mark.parametrize(
    ("viewer", "viewed"),
    [("outsider", "furong"), ("furong", "tianxin_unit"), ("tianxin", "street"), ("unit", "furong")],
)
def test_it_answers_404_for_a_user_outside_the_jurisdiction(world: World, viewer: str, viewed: str) -> None:
    response = api_as(world.user(viewer)).get(f"/api/users/{world.user(viewed).pk}/")

    assert response.status_code == 404


def test_it_describes_the_current_user_and_their_jurisdiction(world: World) -> None:
    response = api_as(world.user("leader")).get("/api/users/me/")

    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "leader"
    assert [role["role_display"] for role in me["roles"]] == ["领导小组成员"]
    assert me["jurisdiction"] == {
        "is_admin": False,
        "managed_region_codes": [],
        "viewed_region_codes": [world.city.code],
        "sector_ids": [],
        "unit_ids": [],
        "reviewed_unit_ids": [],
    }


def test_it_summarises_an_office_sector_and_unit_jurisdiction(world: World) -> None:
    person = world.user("furong")
    grant_role(by=None, user=person, role=Role.SECTOR_STAFF, department=world.education_bureau)
    grant_role(by=None, user=person, role=Role.UNIT_STAFF, unit=world.tianxin_unit)

    jurisdiction = api_as(person).get("/api/users/me/").json()["jurisdiction"]

    assert jurisdiction == {
        "is_admin": False,
        "managed_region_codes": [world.furong.code],
        "viewed_region_codes": [],
        "sector_ids": [world.education_bureau.pk],
        "unit_ids": [world.tianxin_unit.pk],
        "reviewed_unit_ids": [],
    }


def test_it_lists_users_in_a_fixed_number_of_queries(world: World, django_assert_num_queries: Any) -> None:
    client = api_as(world.user("city"))
    with django_assert_num_queries(4):  # jurisdiction, count, page, roles with their scopes
        client.get("/api/users/")
    for n in range(27):
        unit = Unit.objects.create(name=f"单位{n}", kind=Unit.Kind.OTHER, region=world.tianxin_street)
        person = create_user(by=None, username=f"staff{n}", password=None)
        grant_role(by=None, user=person, role=Role.UNIT_STAFF, unit=unit)
    client = api_as(world.user("city"))
    with django_assert_num_queries(4):
        response = client.get("/api/users/")
    assert response.json()["count"] == 8 + 27
