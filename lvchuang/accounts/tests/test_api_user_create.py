"""POST /api/users/: an office opens an account with one role it may grant (services.create_user_with_role)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.audit.models import AuditEntry

if TYPE_CHECKING:
    from conftest import World


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def newcomer(**changes: Any) -> dict[str, Any]:
    return {
        "username": "zhang.li",
        "full_name": "张丽",
        "phone": "13800000000",
        "role": "unit_staff",
        **changes,
    }


def test_it_lets_a_district_open_a_unit_staff_account_in_its_subtree(world: World) -> None:
    furong = world.user("furong")

    response = api_as(furong).post("/api/users/", newcomer(unit=world.furong_unit.pk), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    person = User.objects.get(pk=body["id"])
    assert (person.username, person.full_name, person.phone, person.email) == (
        "zhang.li",
        "张丽",
        "13800000000",
        "",
    )
    assert person.must_change_password
    assert body["must_change_password"]
    assert [(role["role"], role["scope_name"]) for role in body["roles"]] == [
        ("unit_staff", "识字岭社区居委会")
    ]
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.role, assignment.unit, assignment.granted_by) == (
        Role.UNIT_STAFF,
        world.furong_unit,
        furong,
    )
    created = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=furong)
    assert created.filter(content_type__model="user", object_pk=str(person.pk)).exists()
    assert created.filter(content_type__model="roleassignment", object_pk=str(assignment.pk)).exists()

    password = body["one_time_password"]
    assert password not in person.password
    signed_in = Client().post("/accounts/login/", {"username": "zhang.li", "password": password})
    assert signed_in["Location"] == "/accounts/password/"


def test_it_never_shows_the_password_again(world: World) -> None:
    client = api_as(world.user("furong"))
    created = client.post("/api/users/", newcomer(unit=world.furong_unit.pk), format="json").json()

    shown = client.get(f"/api/users/{created['id']}/").json()

    assert "one_time_password" not in shown
    assert created["one_time_password"] not in str(shown)


def test_it_treats_a_unit_of_the_sibling_district_as_unknown_and_creates_nothing(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/users/", newcomer(unit=world.tianxin_unit.pk), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["unit"]
    assert not User.objects.filter(username="zhang.li").exists()


def test_it_creates_nothing_when_the_role_is_refused(world: World) -> None:
    response = api_as(world.user("city")).post("/api/users/", newcomer(role="reviewer"), format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "您无权授予该角色。"}
    assert not User.objects.filter(username="zhang.li").exists()


@pytest.mark.parametrize("username", ["unit", "leader", "reviewer", "sector", "outsider"])
def test_it_forbids_those_who_grant_no_roles(world: World, username: str) -> None:
    response = api_as(world.user(username)).post(
        "/api/users/", newcomer(unit=world.furong_unit.pk), format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "只有创建办可以新建账号。"}
    assert not User.objects.filter(username="zhang.li").exists()


def test_it_explains_a_username_already_taken(world: World) -> None:
    users_before = User.objects.count()

    response = api_as(world.user("furong")).post(
        "/api/users/", newcomer(username="UNIT", unit=world.furong_unit.pk), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"username": ["用户名“UNIT”已被占用，请换一个，例如加上单位简称或数字。"]}
    assert User.objects.count() == users_before


def test_it_answers_400_with_the_errors_of_each_field(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/users/",
        {"username": "zhang li", "role": "unit_staff", "email": "not-an-address"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"full_name", "email"}

    response = api_as(world.user("furong")).post(
        "/api/users/", newcomer(username="zhang li", unit=world.furong_unit.pk), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    assert not User.objects.filter(full_name="张丽").exists()


def test_it_answers_400_for_a_scope_that_does_not_fit_the_role(world: World) -> None:
    response = api_as(world.user("furong")).post(
        "/api/users/", newcomer(office=world.furong_office.pk), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert not User.objects.filter(username="zhang.li").exists()
