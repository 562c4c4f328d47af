"""/accounts/users/: users who hold roles in my jurisdiction, their roles, granting and revoking."""

from __future__ import annotations

import pytest

from lvchuang.accounts.models import Role, RoleAssignment
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.audit.models import AuditEntry
from lvchuang.web.tests.helpers import queries_for


def usernames(response):
    return [user.username for user in response.context["page_obj"].object_list]


def test_it_lists_the_users_of_a_districts_subtree(client, world):
    client.force_login(world.user("furong"))
    response = client.get("/accounts/users/")
    assert response.status_code == 200
    assert usernames(response) == ["furong", "street", "unit"]
    assert "区县创建办工作人员" in response.content.decode()


def test_it_lists_both_districts_users_to_the_city(client, world):
    client.force_login(world.user("city"))
    assert set(usernames(client.get("/accounts/users/"))) >= {"furong", "tianxin", "unit", "tianxin_unit"}


def test_it_finds_users_by_name(client, world):
    client.force_login(world.user("city"))
    assert usernames(client.get("/accounts/users/", {"q": "tianxin"})) == ["tianxin", "tianxin_unit"]


def test_it_shows_only_roles_inside_my_jurisdiction(client, world):
    grant_role(by=None, user=world.user("unit"), role=Role.UNIT_STAFF, unit=world.tianxin_unit)
    client.force_login(world.user("furong"))
    response = client.get(f"/accounts/users/{world.user('unit').pk}/")
    scopes = [str(item["assignment"].scope) for item in response.context["assignments"]]
    assert scopes == ["识字岭社区居委会"]
    assert "西牌楼社区居委会" not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("outsider", "unit"),
        ("outsider", "city"),
        ("furong", "tianxin"),
        ("furong", "tianxin_unit"),
        ("tianxin", "unit"),
        ("unit", "furong"),
        ("furong", "city"),
    ],
)
def test_it_answers_404_for_users_outside_the_jurisdiction(client, world, who, target):
    client.force_login(world.user(who))
    assert client.get(f"/accounts/users/{world.user(target).pk}/").status_code == 404


def test_it_lets_the_city_open_users_of_both_districts(client, world):
    client.force_login(world.user("city"))
    for target in ("furong", "tianxin", "unit", "tianxin_unit"):
        assert client.get(f"/accounts/users/{world.user(target).pk}/").status_code == 200


def test_it_offers_a_district_only_roles_it_may_grant(client, world):
    client.force_login(world.user("furong"))
    form = client.get(f"/accounts/users/{world.user('unit').pk}/").context["grant_form"]
    roles = [value for value, _label in form.fields["role"].choices if value]
    assert roles == ["unit_staff", "street_office", "district_office", "sector_staff", "leadership_member"]


def test_it_swaps_in_the_scope_field_of_the_chosen_role(client, world):
    client.force_login(world.user("furong"))
    url = f"/accounts/users/{world.user('unit').pk}/roles/grant/"
    response = client.get(url, {"role": "street_office"}, headers={"HX-Request": "true"})
    form = response.context["grant_form"]
    assert list(form.fields) == ["role", "office"]
    assert list(form.fields["office"].queryset) == [world.furong_street_office]
    assert 'id="grant-form"' in response.content.decode()


def test_it_grants_a_role_and_records_it(client, world):
    client.force_login(world.user("furong"))
    response = client.post(
        f"/accounts/users/{world.user('street').pk}/roles/grant/",
        {"role": "unit_staff", "unit": world.furong_unit.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{world.user('street').pk}/"
    assignment = RoleAssignment.objects.get(user=world.user("street"), role=Role.UNIT_STAFF)
    assert assignment.unit == world.furong_unit
    assert assignment.granted_by == world.user("furong")
    entry = AuditEntry.objects.filter(content_type__model="roleassignment").latest("timestamp", "pk")
    assert entry.actor == world.user("furong")
    assert entry.action == AuditEntry.Action.CREATE
    assert "已为" in client.get(response["Location"]).content.decode()


def test_it_lets_the_administrator_grant_a_role_to_a_newcomer(client, world):
    newcomer = create_user(by=None, username="newcomer", password="pw")
    client.force_login(world.user("admin"))
    response = client.post(f"/accounts/users/{newcomer.pk}/roles/grant/", {"role": "reviewer"})
    assert response.status_code == 302
    assert list(newcomer.roles.values_list("role", flat=True)) == ["reviewer"]


def test_it_refuses_a_scope_outside_the_district_and_keeps_the_choice(client, world):
    client.force_login(world.user("furong"))
    url = f"/accounts/users/{world.user('street').pk}/roles/grant/"
    response = client.post(url, {"role": "unit_staff", "unit": world.tianxin_unit.pk})
    assert response.status_code == 200
    form = response.context["grant_form"]
    assert "unit" in form.errors
    assert 'value="unit_staff" selected' in response.content.decode()
    assert not RoleAssignment.objects.filter(user=world.user("street"), role=Role.UNIT_STAFF).exists()


def test_it_asks_for_the_scope_when_it_is_missing(client, world):
    client.force_login(world.user("furong"))
    response = client.post(f"/accounts/users/{world.user('street').pk}/roles/grant/", {"role": "unit_staff"})
    assert response.context["grant_form"].errors["unit"] == ["请选择这个角色的范围。"]


def test_it_explains_a_role_the_user_already_has(client, world):
    client.force_login(world.user("furong"))
    response = client.post(
        f"/accounts/users/{world.user('unit').pk}/roles/grant/",
        {"role": "unit_staff", "unit": world.furong_unit.pk},
    )
    assert response.status_code == 200
    assert "该用户已拥有此角色" in response.content.decode()


def test_it_refuses_granting_to_those_who_grant_nothing(client, world):
    client.force_login(world.user("unit"))
    url = f"/accounts/users/{world.user('unit').pk}/roles/grant/"
    assert client.post(url, {"role": "unit_staff", "unit": world.furong_unit.pk}).status_code == 403
    assert client.get(f"/accounts/users/{world.user('unit').pk}/").context["grant_form"] is None


def test_it_revokes_a_role_and_records_it(client, world):
    assignment = RoleAssignment.objects.get(user=world.user("unit"))
    client.force_login(world.user("furong"))
    response = client.post(f"/accounts/users/{world.user('unit').pk}/roles/{assignment.pk}/revoke/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = AuditEntry.objects.filter(content_type__model="roleassignment").latest("timestamp", "pk")
    assert (entry.action, entry.actor) == (AuditEntry.Action.DELETE, world.user("furong"))


def test_it_revokes_only_by_post(client, world):
    assignment = RoleAssignment.objects.get(user=world.user("unit"))
    client.force_login(world.user("furong"))
    assert (
        client.get(f"/accounts/users/{world.user('unit').pk}/roles/{assignment.pk}/revoke/").status_code
        == 405
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_it_answers_404_when_revoking_in_a_sibling_district(client, world):
    assignment = RoleAssignment.objects.get(user=world.user("tianxin_unit"))
    client.force_login(world.user("furong"))
    url = f"/accounts/users/{world.user('tianxin_unit').pk}/roles/{assignment.pk}/revoke/"
    assert client.post(url).status_code == 404
    # nor through a user one can see
    assert (
        client.post(f"/accounts/users/{world.user('unit').pk}/roles/{assignment.pk}/revoke/").status_code
        == 404
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_it_forbids_revoking_a_role_one_may_only_read(client, world):
    assignment = RoleAssignment.objects.get(user=world.user("city"))
    client.force_login(world.user("leader"))  # sees the city's users, manages nothing
    response = client.post(f"/accounts/users/{world.user('city').pk}/roles/{assignment.pk}/revoke/")
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_it_costs_the_same_queries_for_any_number_of_users(client, world):
    client.force_login(world.user("city"))
    # session, user, jurisdiction, count, page, roles of the page's users
    assert queries_for(client, "/accounts/users/") == 6
    for number in range(10):
        person = create_user(by=None, username=f"clerk{number}", password=None)
        grant_role(by=None, user=person, role=Role.UNIT_STAFF, unit=world.furong_unit)
        grant_role(by=None, user=person, role=Role.DISTRICT_OFFICE, office=world.tianxin_office)
    assert queries_for(client, "/accounts/users/") == 6


@pytest.mark.parametrize(
    ("who", "target"), [("furong", "tianxin_unit"), ("tianxin", "unit"), ("outsider", "unit")]
)
def test_it_answers_404_when_granting_to_a_user_outside_the_jurisdiction(client, world, who, target):
    client.force_login(world.user(who))
    url = f"/accounts/users/{world.user(target).pk}/roles/grant/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"role": "unit_staff", "unit": world.furong_unit.pk}).status_code == 404
    assert world.user(target).roles.count() == 1
