"""/organisations/offices/: creation offices in the user's jurisdiction."""

from __future__ import annotations

import pytest

from lvchuang.organisations.models import Office
from lvchuang.web.tests.helpers import queries_for

URL = "/organisations/offices/"


def names(response):
    return [office.name for office in response.context["page_obj"].object_list]


def test_it_lists_the_offices_of_the_subtree(client, world):
    client.force_login(world.user("furong"))
    assert names(client.get(URL)) == ["芙蓉区创建办", "文艺路街道创建办"]
    client.force_login(world.user("city"))
    assert names(client.get(URL)) == ["长沙市创建办", "芙蓉区创建办", "文艺路街道创建办", "天心区创建办"]
    client.force_login(world.user("outsider"))
    assert names(client.get(URL)) == []


def test_it_shows_an_office_its_host_bodies_and_staff(client, world):
    client.force_login(world.user("city"))
    response = client.get(f"{URL}{world.city_office.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "长沙市生态环境局" in body  # host department
    assert "长沙市创建节能环保社区工作领导小组" in body
    assert f'href="/accounts/users/{world.user("city").pk}/"' in body


@pytest.mark.parametrize(
    ("who", "office"),
    [
        ("outsider", "furong_office"),
        ("furong", "tianxin_office"),
        ("tianxin", "furong_office"),
        ("furong", "city_office"),
        ("unit", "furong_office"),
    ],
)
def test_it_answers_404_outside_the_jurisdiction(client, world, who, office):
    client.force_login(world.user(who))
    assert client.get(f"{URL}{getattr(world, office).pk}/").status_code == 404


def test_it_lets_the_city_open_both_districts_offices(client, world):
    client.force_login(world.user("city"))
    assert client.get(f"{URL}{world.furong_office.pk}/").status_code == 200
    assert client.get(f"{URL}{world.tianxin_office.pk}/").status_code == 200


def test_it_costs_the_same_queries_for_any_number_of_offices(client, world):
    client.force_login(world.user("city"))
    assert queries_for(client, URL) == 5  # session, user, jurisdiction, count, page
    for number in range(10):
        Office.objects.create(
            name=f"办公室{number}", region=world.furong, host_department=world.environment_bureau
        )
    assert queries_for(client, URL) == 5
