"""GET /api/regions/ and /api/regions/<code>/: the division tree, scoped by jurisdiction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.test import APIClient

from lvchuang.accounts.models import User
from lvchuang.regions.models import Region

if TYPE_CHECKING:
    from conftest import World


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def codes(response: Any) -> list[str]:
    return [region["code"] for region in response.json()["results"]]


def test_it_lists_an_office_exactly_its_subtree(world: World) -> None:
    response = api_as(world.user("furong")).get("/api/regions/")

    assert response.status_code == 200
    assert codes(response) == [world.furong.code, world.furong_street.code, world.furong_community.code]


def test_it_lists_both_districts_to_their_city(world: World) -> None:
    response = api_as(world.user("city")).get("/api/regions/")

    assert world.furong.code in codes(response)
    assert world.tianxin.code in codes(response)
    assert world.province.code not in codes(response)


def test_it_lists_nothing_to_an_outsider(world: World) -> None:
    response = api_as(world.user("outsider")).get("/api/regions/")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_it_shows_a_region_with_its_parent_code_and_labels(world: World) -> None:
    response = api_as(world.user("furong")).get(f"/api/regions/{world.furong_street.code}/")

    assert response.status_code == 200
    assert response.json() == {
        "code": "430102001000",
        "name": "文艺路街道",
        "level": 4,
        "level_display": "乡级（街道/乡镇）",
        "kind": "street",
        "kind_display": "街道",
        "parent": "430102000000",
        "path": "430102001",
        "gb_code": "430102",
        "code_year": 2023,
        "is_active": True,
    }


def test_it_hides_a_sibling_districts_region(world: World) -> None:
    response = api_as(world.user("furong")).get(f"/api/regions/{world.tianxin.code}/")

    assert response.status_code == 404


def test_it_hides_every_region_from_an_outsider(world: World) -> None:
    response = api_as(world.user("outsider")).get(f"/api/regions/{world.city.code}/")

    assert response.status_code == 404


def test_it_filters_by_parent_level_and_name(world: World) -> None:
    client = api_as(world.user("city"))

    assert codes(client.get("/api/regions/", {"parent": world.city.code})) == [
        world.furong.code,
        world.tianxin.code,
    ]
    assert codes(client.get("/api/regions/", {"parent": "4301"})) == [world.furong.code, world.tianxin.code]
    assert codes(client.get("/api/regions/", {"level": 4})) == [
        world.furong_street.code,
        world.tianxin_street.code,
    ]
    assert codes(client.get("/api/regions/", {"q": "坡子街"})) == [world.tianxin_street.code]


def test_it_refuses_malformed_filters_with_field_messages(world: World) -> None:
    response = api_as(world.user("city")).get("/api/regions/", {"level": "9", "parent": "43x"})

    assert response.status_code == 400
    assert set(response.json()) == {"level", "parent"}


def test_it_refuses_anonymous_requests(world: World) -> None:
    assert APIClient().get("/api/regions/").status_code == 403


def test_it_lists_regions_in_a_fixed_number_of_queries(world: World, django_assert_num_queries: Any) -> None:
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):  # jurisdiction, count, page (parents joined)
        client.get("/api/regions/")
    Region.objects.bulk_create(
        Region(
            code=f"430102001{n:03d}",
            name=f"社区{n}",
            level=5,
            parent=world.furong_street,
            path=f"430102001{n:03d}",
            code_year=2023,
        )
        for n in range(2, 30)
    )
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):
        response = client.get("/api/regions/")
    assert response.json()["count"] == 35
