"""POST /api/auth/token/: a real token for scripts, which then reaches the API like a session does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.test import APIClient

if TYPE_CHECKING:
    from conftest import World


def test_it_exchanges_a_password_for_a_token_that_authenticates(world: World) -> None:
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "furong", "password": "pw-furong"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/users/me/")
    units = client.get("/api/units/")

    assert me.status_code == 200
    assert me.json()["username"] == "furong"
    assert [unit["name"] for unit in units.json()["results"]] == ["识字岭社区居委会"]
    assert client.get(f"/api/units/{world.tianxin_unit.pk}/").status_code == 404


def test_it_refuses_a_wrong_password(world: World) -> None:
    response = APIClient().post(
        "/api/auth/token/", {"username": "furong", "password": "guess"}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()


def test_it_refuses_an_unknown_token(world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert client.get("/api/users/me/").status_code == 403  # DRF answers 403: session auth is listed first
