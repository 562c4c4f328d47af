"""/accounts/login/ and /accounts/logout/: Django's auth views, styled and in Chinese."""

from __future__ import annotations


def test_it_explains_what_lvchuang_is_on_the_login_page(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录绿创" in body
    assert "绿色创建工作平台" in body
    assert 'name="username"' in body


def test_it_signs_in_and_goes_home(client, world):
    response = client.post("/accounts/login/", {"username": "city", "password": "pw-city"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_returns_to_the_page_asked_for(client, world):
    response = client.post(
        "/accounts/login/?next=/organisations/units/",
        {"username": "city", "password": "pw-city", "next": "/organisations/units/"},
    )
    assert response["Location"] == "/organisations/units/"


def test_it_refuses_a_wrong_password_in_chinese_and_keeps_the_username(client, world):
    response = client.post("/accounts/login/", {"username": "city", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请输入一个正确的" in body  # Django's own message, in Chinese
    assert 'value="city"' in body


def test_it_signs_out_only_by_post(client, world):
    client.force_login(world.user("city"))
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302
