"""/accounts/users/new/: an office opens an account with one role it may grant (services.create_user_with_role)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.accounts.services import create_user_with_role, generate_one_time_password
from lvchuang.audit.models import AuditEntry

URL = "/accounts/users/new/"


def newcomer(**changes: object) -> dict[str, object]:
    return {
        "username": "zhang.li",
        "full_name": "张丽",
        "phone": "13800000000",
        "email": "zhang.li@example.cn",
        "role": "unit_staff",
        **changes,
    }


def one_time_password_in(html: str) -> str:
    found = re.search(r'class="code one-time-password">([^<]+)<', html)
    assert found, "no one-time password on the page"
    return found.group(1)


def test_it_lets_a_district_open_a_unit_staff_account_in_its_subtree(client, world):
    furong = world.user("furong")
    client.force_login(furong)

    response = client.post(URL, newcomer(unit=world.furong_unit.pk))

    person = User.objects.get(username="zhang.li")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{person.pk}/"
    assert (person.full_name, person.phone, person.email) == ("张丽", "13800000000", "zhang.li@example.cn")
    assert person.must_change_password
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.role, assignment.unit, assignment.granted_by) == (
        Role.UNIT_STAFF,
        world.furong_unit,
        furong,
    )
    created = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=furong)
    assert created.filter(content_type__model="user", object_pk=str(person.pk)).exists()
    assert created.filter(content_type__model="roleassignment", object_pk=str(assignment.pk)).exists()

    page = client.get(response["Location"]).content.decode()
    password = one_time_password_in(page)
    assert "识字岭社区居委会" in page
    assert password not in person.password  # only its hash is kept
    person.refresh_from_db()
    assert person.check_password(password)
    assert "one-time-password" not in client.get(response["Location"]).content.decode()  # shown once


def test_it_sends_the_new_user_to_change_the_one_time_password_until_they_do(client, world):
    person = create_user_with_role(
        by=world.user("furong"),
        username="zhang.li",
        full_name="张丽",
        role="unit_staff",
        unit=world.furong_unit,
    )
    password = person.one_time_password
    assert password is not None

    response = client.post(
        "/accounts/login/?next=/organisations/units/",
        {"username": "zhang.li", "password": password, "next": "/organisations/units/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    assert "一次性密码" in client.get("/accounts/password/").content.decode()

    new = "a-secret-only-zhang-knows-42"
    response = client.post(
        "/accounts/password/", {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert response["Location"] == "/accounts/profile/"
    person.refresh_from_db()
    assert not person.must_change_password
    assert person.check_password(new)
    entry = AuditEntry.objects.filter(content_type__model="user", object_pk=str(person.pk)).latest("pk")
    assert (entry.action, entry.actor) == (AuditEntry.Action.UPDATE, person)

    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "zhang.li", "password": new})
    assert response["Location"] == "/"


def test_it_refuses_a_unit_of_the_sibling_district_and_creates_nothing(client, world):
    client.force_login(world.user("furong"))

    response = client.post(URL, newcomer(unit=world.tianxin_unit.pk))

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="zhang.li").exists()


def test_it_creates_no_user_when_the_service_refuses_the_role(world):
    entries_before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        create_user_with_role(
            by=world.user("furong"),
            username="zhang.li",
            full_name="张丽",
            role="unit_staff",
            unit=world.tianxin_unit,
        )

    assert not User.objects.filter(username="zhang.li").exists()
    assert AuditEntry.objects.count() == entries_before


def test_it_creates_no_user_when_an_unscoped_role_is_asked_of_an_office(world):
    with pytest.raises(PermissionDenied):
        create_user_with_role(by=world.user("city"), username="zhang.li", full_name="张丽", role="reviewer")

    assert not User.objects.filter(username="zhang.li").exists()


@pytest.mark.parametrize("who", ["unit", "leader", "reviewer", "sector", "outsider"])
def test_it_forbids_those_who_grant_no_roles(client, world, who):
    client.force_login(world.user(who))

    assert client.get(URL).status_code == 403
    assert client.post(URL, newcomer(unit=world.furong_unit.pk)).status_code == 403
    assert not User.objects.filter(username="zhang.li").exists()
    assert 'href="/accounts/users/new/"' not in client.get("/accounts/users/").content.decode()


def test_it_explains_a_username_already_taken_and_keeps_what_was_entered(client, world):
    client.force_login(world.user("furong"))
    users_before = User.objects.count()

    response = client.post(URL, newcomer(username="Unit", unit=world.furong_unit.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "用户名“Unit”已被占用，请换一个，例如加上单位简称或数字。"
    ]
    body = response.content.decode()
    for kept in ('value="Unit"', 'value="张丽"', 'value="13800000000"', 'value="zhang.li@example.cn"'):
        assert kept in body
    assert f'<option value="{world.furong_unit.pk}" selected>' in body
    assert User.objects.count() == users_before


def test_it_refuses_a_username_django_would_not_accept(client, world):
    client.force_login(world.user("furong"))

    response = client.post(URL, newcomer(username="zhang li", unit=world.furong_unit.pk))

    assert "username" in response.context["form"].errors
    assert not User.objects.filter(full_name="张丽").exists()


def test_it_requires_a_full_name(world):
    with pytest.raises(ValidationError) as refused:
        create_user_with_role(
            by=world.user("furong"),
            username="zhang.li",
            full_name="  ",
            role="unit_staff",
            unit=world.furong_unit,
        )

    assert refused.value.message_dict == {"full_name": ["请填写姓名。"]}
    assert not User.objects.filter(username="zhang.li").exists()


def test_it_asks_for_the_scope_and_keeps_the_entered_values(client, world):
    client.force_login(world.user("furong"))

    response = client.post(URL, newcomer())

    form = response.context["form"]
    assert form.errors == {"unit": ["请选择这个角色的范围。"]}
    body = response.content.decode()
    assert 'value="zhang.li"' in body
    assert 'value="unit_staff" selected' in body


def test_it_offers_exactly_the_roles_and_scopes_of_granting(client, world):
    client.force_login(world.user("furong"))

    roles = [value for value, _label in client.get(URL).context["form"].fields["role"].choices if value]
    assert roles == ["unit_staff", "street_office", "district_office", "sector_staff", "leadership_member"]

    response = client.get(URL, {"role": "unit_staff"}, headers={"HX-Request": "true"})
    form = response.context["form"]
    assert list(form.fields["unit"].queryset) == [world.furong_unit]
    assert 'id="role-scope"' in response.content.decode()


def test_it_lets_the_administrator_open_a_reviewer_account(client, world):
    client.force_login(world.user("admin"))

    response = client.post(URL, newcomer(role="reviewer"))

    assert response.status_code == 302
    assert list(User.objects.get(username="zhang.li").roles.values_list("role", flat=True)) == ["reviewer"]


def test_it_links_the_form_from_the_user_list_for_offices(client, world):
    client.force_login(world.user("furong"))

    assert 'href="/accounts/users/new/"' in client.get("/accounts/users/").content.decode()


def test_it_generates_passwords_that_are_easy_to_read_out_and_hard_to_guess():
    passwords = {generate_one_time_password() for _ in range(50)}

    assert len(passwords) == 50
    for password in passwords:
        assert re.fullmatch(r"[a-hjkmnp-zA-HJ-NP-Z2-9]{4}(-[a-hjkmnp-zA-HJ-NP-Z2-9]{4}){2}", password)


def test_it_speaks_english_when_asked(client, world):
    client.force_login(world.user("furong"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert "New account" in client.get(URL).content.decode()
    response = client.post(URL, newcomer(unit=world.furong_unit.pk), follow=True)
    body = response.content.decode()
    assert "One-time password:" in body
    assert "Account zhang.li created" in body


def test_it_keeps_a_new_user_on_the_password_page_until_they_change_it(client, world):
    from lvchuang.accounts.services import create_user_with_role

    user = create_user_with_role(
        by=world.user("furong"),
        username="newclerk",
        full_name="新同事",
        role="unit_staff",
        unit=world.furong_unit,
    )
    client.force_login(user)

    for path in ("/", f"/organisations/units/{world.furong_unit.pk}/", "/accounts/profile/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/password/"
    assert client.get("/api/units/").status_code == 403
    assert client.get("/accounts/password/").status_code == 200


def test_it_gives_no_api_token_for_a_password_set_by_someone_else(client, world):
    from lvchuang.accounts.services import create_user_with_role

    user = create_user_with_role(
        by=world.user("furong"),
        username="newclerk2",
        full_name="新同事",
        role="unit_staff",
        unit=world.furong_unit,
    )
    response = client.post("/api/auth/token/", {"username": "newclerk2", "password": user.one_time_password})
    assert response.status_code == 403
