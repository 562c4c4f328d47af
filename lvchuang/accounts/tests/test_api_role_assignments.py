"""/api/role-assignments/: list, grant and revoke roles inside the jurisdiction (accounts.services)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from rest_framework.test import APIClient

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.audit.models import AuditEntry
from lvchuang.organisations.models import Unit

if TYPE_CHECKING:
    from conftest import World


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def assignment_of(user: User) -> RoleAssignment:
    return RoleAssignment.objects.get(user=user)


def test_it_lists_the_assignments_inside_the_jurisdiction(world: World) -> None:
    response = api_as(world.user("furong")).get("/api/role-assignments/")

    assert response.status_code == 200
    assert [(a["user_name"], a["role"], a["scope_name"]) for a in response.json()["results"]] == [
        ("furong", "district_office", "芙蓉区创建办"),
        ("street", "street_office", "文艺路街道创建办"),
        ("unit", "unit_staff", "识字岭社区居委会"),
    ]


def test_it_lists_an_outsider_nothing(world: World) -> None:
    assert api_as(world.user("outsider")).get("/api/role-assignments/").json()["count"] == 0


def test_it_lets_the_city_see_both_districts_assignments(world: World) -> None:
    client = api_as(world.user("city"))

    for username in ("unit", "tianxin_unit"):
        assert (
            client.get(f"/api/role-assignments/{assignment_of(world.user(username)).pk}/").status_code == 200
        )


@pytest.mark.parametrize(
    ("viewer", "holder"),
    [("outsider", "unit"), ("furong", "tianxin_unit"), ("tianxin", "unit"), ("unit", "furong")],
)
def test_it_answers_404_for_an_assignment_outside_the_jurisdiction(
    world: World, viewer: str, holder: str
) -> None:
    response = api_as(world.user(viewer)).get(
        f"/api/role-assignments/{assignment_of(world.user(holder)).pk}/"
    )

    assert response.status_code == 404


def test_it_lets_a_district_grant_a_role_on_its_own_unit(world: World) -> None:
    furong, street = world.user("furong"), world.user("street")

    response = api_as(furong).post(
        "/api/role-assignments/",
        {"user": street.pk, "role": "unit_staff", "unit": world.furong_unit.pk},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["scope_name"] == "识字岭社区居委会"
    assignment = RoleAssignment.objects.get(pk=response.json()["id"])
    assert (assignment.user, assignment.role, assignment.unit, assignment.granted_by) == (
        street,
        Role.UNIT_STAFF,
        world.furong_unit,
        furong,
    )
    entry = AuditEntry.objects.get(content_type__model="roleassignment", object_pk=str(assignment.pk))
    assert (entry.action, entry.actor) == (AuditEntry.Action.CREATE, furong)


def test_it_treats_scopes_and_users_outside_the_jurisdiction_as_unknown(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/role-assignments/",
        {"user": world.user("tianxin_unit").pk, "role": "unit_staff", "unit": world.tianxin_unit.pk},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"user", "unit"}


def test_it_refuses_a_grant_by_a_leadership_member(world: World) -> None:
    response = api_as(world.user("leader")).post(
        "/api/role-assignments/",
        {"user": world.user("street").pk, "role": "unit_staff", "unit": world.furong_unit.pk},
        format="json",
    )

    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=world.user("street"), role=Role.UNIT_STAFF).exists()


def test_it_leaves_unscoped_roles_to_the_administrator(world: World) -> None:
    payload = {"user": world.user("street").pk, "role": "reviewer"}

    assert (
        api_as(world.user("furong")).post("/api/role-assignments/", payload, format="json").status_code == 403
    )
    assert (
        api_as(world.user("admin")).post("/api/role-assignments/", payload, format="json").status_code == 201
    )


def test_it_answers_400_for_a_scope_that_does_not_fit_the_role(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/role-assignments/",
        {"user": world.user("street").pk, "role": "unit_staff", "office": world.furong_office.pk},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_it_answers_400_for_a_role_the_user_already_holds(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/role-assignments/",
        {"user": world.user("unit").pk, "role": "unit_staff", "unit": world.furong_unit.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该用户已拥有此角色。"]}


def test_it_lets_a_district_revoke_a_role_in_its_subtree(world: World) -> None:
    furong = world.user("furong")
    assignment = assignment_of(world.user("unit"))

    response = api_as(furong).delete(f"/api/role-assignments/{assignment.pk}/")

    assert response.status_code == 204
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = AuditEntry.objects.get(
        content_type__model="roleassignment", object_pk=str(assignment.pk), action=AuditEntry.Action.DELETE
    )
    assert entry.actor == furong


@pytest.mark.parametrize("username", ["outsider", "tianxin", "tianxin_unit"])
def test_it_answers_404_to_a_revocation_outside_the_jurisdiction(world: World, username: str) -> None:
    assignment = assignment_of(world.user("unit"))

    response = api_as(world.user(username)).delete(f"/api/role-assignments/{assignment.pk}/")

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.parametrize("username", ["leader", "unit"])
def test_it_answers_403_to_a_revocation_the_user_may_only_see(world: World, username: str) -> None:
    assignment = assignment_of(world.user("unit"))

    response = api_as(world.user(username)).delete(f"/api/role-assignments/{assignment.pk}/")

    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_it_lists_assignments_in_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):  # jurisdiction, count, page (users and scopes joined)
        client.get("/api/role-assignments/")
    for n in range(27):
        unit = Unit.objects.create(name=f"单位{n}", kind=Unit.Kind.OTHER, region=world.furong_street)
        grant_role(
            by=None,
            user=create_user(by=None, username=f"staff{n}", password=None),
            role=Role.UNIT_STAFF,
            unit=unit,
        )
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):
        response = client.get("/api/role-assignments/")
    assert response.json()["count"] == 8 + 27
