"""/api/offices/, /api/departments/ and /api/bodies/: read only, scoped by jurisdiction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from rest_framework.test import APIClient

from lvchuang.accounts.models import User
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody, Office

if TYPE_CHECKING:
    from conftest import World


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def names(response: Any) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_it_lists_a_district_only_its_own_offices(world: World) -> None:
    assert names(api_as(world.user("furong")).get("/api/offices/")) == ["芙蓉区创建办", "文艺路街道创建办"]


def test_it_lists_both_districts_offices_to_their_city(world: World) -> None:
    assert names(api_as(world.user("city")).get("/api/offices/")) == [
        "长沙市创建办",
        "芙蓉区创建办",
        "文艺路街道创建办",
        "天心区创建办",
    ]


def test_it_shows_an_office_with_its_region_and_host(world: World) -> None:
    response = api_as(world.user("leader")).get(f"/api/offices/{world.city_office.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.city_office.pk,
        "name": "长沙市创建办",
        "region": world.city.code,
        "region_name": "长沙市",
        "host_department": world.environment_bureau.pk,
        "host_department_name": "长沙市生态环境局",
        "phone": "",
        "address": "",
    }


def test_it_shows_sector_staff_their_own_department(world: World) -> None:
    response = api_as(world.user("sector")).get("/api/departments/")

    assert response.json()["results"] == [
        {
            "id": world.education_bureau.pk,
            "name": "长沙市教育局",
            "region": world.city.code,
            "region_name": "长沙市",
            "is_sector_authority": True,
        }
    ]


def test_it_shows_a_body_with_its_members_and_lead(world: World) -> None:
    education = world.education_bureau
    world.leading_group.bodymembership_set.create(department=education, duties="学校创建")

    response = api_as(world.user("leader")).get(f"/api/bodies/{world.leading_group.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["kind_display"], body["office_name"]) == (
        "leading_group",
        "领导小组",
        "长沙市创建办",
    )
    assert body["members"] == [
        {
            "department": world.environment_bureau.pk,
            "department_name": "长沙市生态环境局",
            "is_lead": True,
            "duties": "",
        },
        {
            "department": education.pk,
            "department_name": "长沙市教育局",
            "is_lead": False,
            "duties": "学校创建",
        },
    ]
    assert body["lead"]["department_name"] == "长沙市生态环境局"


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("outsider", "offices/{city_office}"),
        ("outsider", "departments/{education_bureau}"),
        ("outsider", "bodies/{leading_group}"),
        ("furong", "offices/{tianxin_office}"),
        ("furong", "offices/{city_office}"),
        ("furong", "departments/{education_bureau}"),
        ("furong", "bodies/{leading_group}"),
        ("unit", "offices/{furong_office}"),
        ("tianxin", "offices/{furong_street_office}"),
    ],
)
def test_it_answers_404_outside_the_jurisdiction(world: World, username: str, path: str) -> None:
    objects = {
        name: getattr(world, name).pk
        for name in (
            "city_office",
            "tianxin_office",
            "furong_office",
            "furong_street_office",
            "education_bureau",
            "leading_group",
        )
    }

    response = api_as(world.user(username)).get(f"/api/{path.format(**objects)}/")

    assert response.status_code == 404


def test_it_lets_the_city_see_both_districts_offices(world: World) -> None:
    client = api_as(world.user("city"))

    assert client.get(f"/api/offices/{world.furong_office.pk}/").status_code == 200
    assert client.get(f"/api/offices/{world.tianxin_office.pk}/").status_code == 200


def test_it_lists_organisations_in_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    def measure() -> None:
        for path, queries in (("offices", 3), ("departments", 3), ("bodies", 4)):  # bodies prefetch members
            client = api_as(world.user("city"))
            with django_assert_num_queries(queries):
                assert client.get(f"/api/{path}/").status_code == 200

    measure()
    for n in range(27):
        department = Department.objects.create(name=f"部门{n}", region=world.furong)
        Office.objects.create(name=f"创建办{n}", region=world.furong_street, host_department=department)
        body = GoverningBody.objects.create(
            name=f"联席会议{n}",
            kind=GoverningBody.Kind.JOINT_MEETING,
            region=world.furong,
            office=world.furong_office,
        )
        BodyMembership.objects.create(body=body, department=department, is_lead=True)
        BodyMembership.objects.create(body=body, department=world.environment_bureau)
    measure()
