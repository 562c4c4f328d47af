"""/organisations/departments/: member departments and sector authorities (主管部门) with their units."""

from __future__ import annotations

import pytest

from lvchuang.organisations.models import Department
from lvchuang.web.tests.helpers import add_units, queries_for

URL = "/organisations/departments/"


def test_it_marks_sector_authorities_and_counts_their_units(client, world):
    client.force_login(world.user("city"))
    response = client.get(URL)
    rows = {d.name: (d.is_sector_authority, d.unit_count) for d in response.context["page_obj"].object_list}
    assert rows == {"长沙市教育局": (True, 1), "长沙市生态环境局": (False, 0)}
    assert "主管部门" in response.content.decode()


def test_it_lists_a_sector_authoritys_units_and_bodies(client, world):
    client.force_login(world.user("city"))
    response = client.get(f"{URL}{world.education_bureau.pk}/")
    assert response.status_code == 200
    assert [unit.name for unit in response.context["page_obj"].object_list] == ["长沙市第一中学"]
    response = client.get(f"{URL}{world.environment_bureau.pk}/")
    [body] = response.context["bodies"]
    assert body.is_lead
    assert "牵头单位" in response.content.decode()


def test_it_shows_sector_staff_their_own_department(client, world):
    client.force_login(world.user("sector"))
    assert client.get(f"{URL}{world.education_bureau.pk}/").status_code == 200
    assert client.get(f"{URL}{world.environment_bureau.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["outsider", "furong", "tianxin", "unit"])
def test_it_answers_404_to_those_below_or_outside_the_city(client, world, who):
    client.force_login(world.user(who))
    assert client.get(f"{URL}{world.education_bureau.pk}/").status_code == 404


def test_it_hides_a_sibling_districts_department(client, world):
    local = Department.objects.create(name="天心区教育局", region=world.tianxin, is_sector_authority=True)
    client.force_login(world.user("furong"))
    assert client.get(f"{URL}{local.pk}/").status_code == 404
    client.force_login(world.user("tianxin"))
    assert client.get(f"{URL}{local.pk}/").status_code == 200
    client.force_login(world.user("city"))
    assert client.get(f"{URL}{local.pk}/").status_code == 200


def test_it_costs_the_same_queries_for_any_number_of_departments_and_units(client, world):
    client.force_login(world.user("city"))
    assert queries_for(client, URL) == 5
    for number in range(10):
        Department.objects.create(name=f"部门{number}", region=world.city, is_sector_authority=True)
    add_units(world.tianxin_street, 10, sector=world.education_bureau)
    assert queries_for(client, URL) == 5
    detail = f"{URL}{world.education_bureau.pk}/"
    # + department, count, page of units, bodies, staff
    assert queries_for(client, detail) == 8
    add_units(world.furong_street, 10, prefix="又一批", sector=world.education_bureau)
    assert queries_for(client, detail) == 8
