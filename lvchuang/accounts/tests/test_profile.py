"""/accounts/profile/: my own account and roles; /accounts/password/: change my password."""

from __future__ import annotations


def test_it_shows_my_account_and_roles(client, world):
    client.force_login(world.user("furong"))
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "区县创建办工作人员" in body
    assert "芙蓉区创建办" in body
    assert 'href="/accounts/password/"' in body


def test_it_tells_a_user_without_roles_whom_to_ask(client, world):
    client.force_login(world.user("outsider"))
    assert "您还没有任何角色" in client.get("/accounts/profile/").content.decode()


def test_it_changes_my_password(client, world):
    client.force_login(world.user("unit"))
    new = "a-much-better-secret-42"
    response = client.post(
        "/accounts/password/", {"old_password": "pw-unit", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    user = world.user("unit")
    user.refresh_from_db()
    assert user.check_password("a-much-better-secret-42")


def test_it_keeps_my_password_when_the_old_one_is_wrong(client, world):
    client.force_login(world.user("unit"))
    new = "a-much-better-secret-42"
    response = client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode()
    user = world.user("unit")
    user.refresh_from_db()
    assert user.check_password("pw-unit")
