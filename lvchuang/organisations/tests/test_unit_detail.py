"""/organisations/units/<id>/: one unit's classification and facts, for those who may see it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvchuang.organisations.models import ReviewerAssignment, Unit


def url(unit):
    return f"/organisations/units/{unit.pk}/"


def test_it_shows_the_unit_its_facts_and_what_is_missing(client, world):
    Unit.objects.filter(pk=world.furong_unit.pk).update(floor_area=Decimal("860.50"), contact_name="李明")
    client.force_login(world.user("furong"))
    response = client.get(url(world.furong_unit))
    body = response.content.decode()
    assert response.status_code == 200
    assert "识字岭社区居委会" in body
    assert "860.50" in body
    assert "李明" in body
    assert [str(label) for label in response.context["missing"]] == ["用能人数", "联系电话"]
    assert f'href="/regions/{world.furong_community.code}/"' in body


def test_it_offers_editing_and_history_to_those_who_may_change_the_unit(client, world):
    for who in ("furong", "city", "unit", "street"):
        client.force_login(world.user(who))
        body = client.get(url(world.furong_unit)).content.decode()
        assert f'href="/organisations/units/{world.furong_unit.pk}/edit/"' in body, who
        assert f'href="/organisations/units/{world.furong_unit.pk}/history/"' in body, who


def test_it_shows_a_leadership_member_the_unit_read_only(client, world):
    client.force_login(world.user("leader"))
    response = client.get(url(world.furong_unit))
    assert response.status_code == 200
    assert "/edit/" not in response.content.decode()


def test_it_shows_sector_staff_the_units_of_their_department(client, world):
    client.force_login(world.user("sector"))
    assert client.get(url(world.school)).status_code == 200
    assert client.get(url(world.tianxin_unit)).status_code == 404


def test_it_shows_a_reviewer_only_assigned_units(client, world):
    ReviewerAssignment.objects.create(reviewer=world.user("reviewer"), unit=world.tianxin_unit)
    client.force_login(world.user("reviewer"))
    assert client.get(url(world.tianxin_unit)).status_code == 200
    assert client.get(url(world.furong_unit)).status_code == 404


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("outsider", "furong_unit"),
        ("outsider", "school"),
        ("furong", "tianxin_unit"),
        ("tianxin", "furong_unit"),
        ("unit", "tianxin_unit"),
        ("street", "school"),
    ],
)
def test_it_answers_404_outside_the_jurisdiction(client, world, who, unit):
    client.force_login(world.user(who))
    response = client.get(url(getattr(world, unit)))
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()


def test_it_answers_404_for_a_unit_that_does_not_exist(client, world):
    client.force_login(world.user("admin"))
    assert client.get("/organisations/units/999999/").status_code == 404
