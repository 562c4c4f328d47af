"""/regions/ and /regions/<code>/: browse the division tree from the top of one's jurisdiction."""

from __future__ import annotations

import pytest

from lvchuang.regions.models import Region
from lvchuang.web.tests.helpers import add_units, queries_for


def codes(response):
    return [region.code for region in response.context["page_obj"].object_list]


@pytest.mark.parametrize(
    ("who", "top"),
    [
        ("admin", ["province"]),
        ("province", ["province"]),
        ("city", ["city"]),
        ("leader", ["city"]),
        ("furong", ["furong"]),
        ("street", ["furong_street"]),
        ("unit", ["furong_community"]),
        ("outsider", []),
        ("sector", []),
    ],
)
def test_it_starts_browsing_at_the_top_of_the_jurisdiction(client, world, who, top):
    client.force_login(world.user(who))
    response = client.get("/regions/")
    assert response.status_code == 200
    assert codes(response) == [getattr(world, name).code for name in top]


def test_it_finds_regions_by_name_or_code_inside_the_jurisdiction(client, world):
    client.force_login(world.user("city"))
    assert codes(client.get("/regions/", {"q": "识字岭"})) == [world.furong_community.code]
    assert codes(client.get("/regions/", {"q": "430103"})) == [
        world.tianxin.code,
        world.tianxin_street.code,
        world.tianxin_community.code,
    ]
    client.force_login(world.user("furong"))
    response = client.get("/regions/", {"q": "西牌楼"})
    assert codes(response) == []
    assert "您的管辖范围内没有符合的行政区划" in response.content.decode()


def test_it_counts_units_and_children_of_each_region(client, world):
    client.force_login(world.user("city"))
    [city] = client.get("/regions/").context["page_obj"].object_list
    assert (city.unit_count, city.child_count) == (3, 2)


def test_it_shows_codes_year_children_and_unit_count(client, world):
    client.force_login(world.user("city"))
    response = client.get(f"/regions/{world.tianxin.code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "430103000000" in body  # 12-digit statistical code
    assert "430103" in body  # GB/T 2260
    assert "2023" in body
    assert response.context["unit_count"] == 2
    assert codes(response) == [world.tianxin_street.code]
    assert response.context["page_obj"].object_list[0].unit_count == 2
    assert f'href="/organisations/units/?region={world.tianxin.code}"' in body


def test_it_shows_breadcrumbs_only_through_visible_ancestors(client, world):
    client.force_login(world.user("furong"))
    response = client.get(f"/regions/{world.furong_community.code}/")
    assert [region.name for region in response.context["ancestors"]] == ["芙蓉区", "文艺路街道"]
    body = response.content.decode()
    assert f'href="/regions/{world.city.code}/"' not in body
    client.force_login(world.user("admin"))
    response = client.get(f"/regions/{world.furong_community.code}/")
    assert [region.name for region in response.context["ancestors"]] == [
        "湖南省",
        "长沙市",
        "芙蓉区",
        "文艺路街道",
    ]


@pytest.mark.parametrize(
    ("who", "region"),
    [
        ("outsider", "city"),
        ("outsider", "furong"),
        ("furong", "tianxin"),
        ("tianxin", "furong"),
        ("furong", "city"),
        ("street", "furong"),
        ("unit", "tianxin_community"),
        ("tianxin", "furong_community"),
    ],
)
def test_it_answers_404_outside_the_jurisdiction(client, world, who, region):
    client.force_login(world.user(who))
    assert client.get(f"/regions/{getattr(world, region).code}/").status_code == 404


def test_it_lets_the_city_open_both_districts(client, world):
    client.force_login(world.user("city"))
    assert client.get(f"/regions/{world.furong.code}/").status_code == 200
    assert client.get(f"/regions/{world.tianxin.code}/").status_code == 200


def test_it_answers_404_for_a_code_that_does_not_exist(client, world):
    client.force_login(world.user("admin"))
    assert client.get("/regions/999999999999/").status_code == 404
    assert client.get("/regions/not-a-code/").status_code == 404


def _more_streets(world, count):
    for number in range(count):
        code = f"430102{100 + number:03d}000"
        Region.objects.create(
            code=code,
            name=f"新街道{number}",
            level=4,
            parent=world.furong,
            path=code[:9],
            code_year=2023,
            kind="town",
        )


def test_it_costs_the_same_queries_however_many_regions_and_units(client, world):
    client.force_login(world.user("furong"))
    # session, user, jurisdiction, count, page (counts are subqueries)
    assert queries_for(client, "/regions/") == 5
    # + region, ancestors, subtree unit count
    detail = f"/regions/{world.furong.code}/"
    assert queries_for(client, detail) == 8
    _more_streets(world, 12)
    add_units(world.furong_community, 10)
    assert queries_for(client, "/regions/") == 5
    assert queries_for(client, detail) == 8
    assert len(client.get(detail).context["page_obj"].object_list) == 13
