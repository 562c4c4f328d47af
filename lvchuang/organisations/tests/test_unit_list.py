"""/organisations/units/: the units a user may see, filtered live with htmx, 50 to a page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvchuang.organisations.models import Unit
from lvchuang.web.tests.helpers import add_units, queries_for

URL = "/organisations/units/"


def names(response):
    return sorted(unit.name for unit in response.context["page_obj"].object_list)


def test_it_lists_only_the_units_in_a_districts_subtree(client, world):
    client.force_login(world.user("furong"))
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["识字岭社区居委会"]
    assert "西牌楼社区居委会" not in response.content.decode()


def test_it_lists_both_districts_units_to_the_city(client, world):
    client.force_login(world.user("city"))
    assert names(client.get(URL)) == ["西牌楼社区居委会", "识字岭社区居委会", "长沙市第一中学"]


def test_it_lists_nothing_to_an_outsider(client, world):
    client.force_login(world.user("outsider"))
    response = client.get(URL)
    assert names(response) == []
    assert "没有符合条件的单位" in response.content.decode()


def test_it_filters_by_name_kind_region_sector_and_missing_facts(client, world):
    Unit.objects.filter(pk=world.tianxin_unit.pk).update(
        floor_area=Decimal(500), energy_headcount=8, contact_name="赵", contact_phone="1"
    )
    client.force_login(world.user("city"))
    assert names(client.get(URL, {"q": "第一"})) == ["长沙市第一中学"]
    assert names(client.get(URL, {"kind": "community"})) == ["西牌楼社区居委会", "识字岭社区居委会"]
    assert names(client.get(URL, {"region": world.tianxin.code})) == ["西牌楼社区居委会", "长沙市第一中学"]
    assert names(client.get(URL, {"sector": world.education_bureau.pk})) == ["长沙市第一中学"]
    assert names(client.get(URL, {"missing": "on"})) == ["识字岭社区居委会", "长沙市第一中学"]
    assert names(client.get(URL, {"region": world.tianxin.code, "kind": "community"})) == ["西牌楼社区居委会"]


def test_it_refuses_to_filter_by_a_region_outside_the_jurisdiction(client, world):
    client.force_login(world.user("furong"))
    response = client.get(URL, {"region": world.tianxin.code})
    assert response.status_code == 200
    assert names(response) == ["识字岭社区居委会"]
    assert "不在您的管辖范围内" in response.content.decode()


def test_it_answers_htmx_with_the_results_fragment_only(client, world):
    client.force_login(world.user("city"))
    response = client.get(URL, {"q": "社区"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="unit-results">')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]
    assert names(response) == ["西牌楼社区居委会", "识字岭社区居委会"]


def test_it_answers_an_htmx_history_restore_with_the_whole_page(client, world):
    client.force_login(world.user("city"))
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_it_wires_the_filters_for_live_updates(client, world):
    client.force_login(world.user("city"))
    body = client.get(URL).content.decode()
    assert 'hx-get="/organisations/units/"' in body
    assert 'hx-target="#unit-results"' in body
    assert "/static/django_htmx/htmx-2.min.js" in body


def test_it_offers_new_units_to_offices_only(client, world):
    client.force_login(world.user("furong"))
    assert 'href="/organisations/units/new/"' in client.get(URL).content.decode()
    client.force_login(world.user("unit"))
    assert 'href="/organisations/units/new/"' not in client.get(URL).content.decode()


def test_it_pages_fifty_at_a_time(client, world):
    add_units(world.furong_community, 60)
    client.force_login(world.user("furong"))
    first = client.get(URL)
    assert len(first.context["page_obj"].object_list) == 50
    assert first.context["page_obj"].paginator.count == 61
    assert "?page=2" in first.content.decode()
    assert len(client.get(URL, {"page": 2}).context["page_obj"].object_list) == 11


# session, user, jurisdiction, region choices, sector choices, count, page (an empty list skips the page)
@pytest.mark.parametrize(("who", "expected"), [("city", 7), ("furong", 7), ("unit", 6), ("sector", 6)])
def test_it_costs_the_same_queries_for_one_unit_or_fifty(client, world, who, expected):
    client.force_login(world.user(who))
    assert queries_for(client, URL) == expected
    add_units(world.furong_community, 30, sector=world.education_bureau)
    add_units(world.tianxin_street, 30, prefix="天心单位", sector=world.education_bureau)
    assert queries_for(client, URL) == expected
    assert queries_for(client, URL + "?missing=on") == expected


def test_it_costs_two_more_queries_to_filter_by_a_community(client, world):
    # the community is below the drop-down's levels, so it is added to it; then the code is looked up
    client.force_login(world.user("furong"))
    url = URL + f"?region={world.furong_community.code}"
    assert queries_for(client, url) == 9
    add_units(world.furong_community, 30)
    assert queries_for(client, url) == 9
