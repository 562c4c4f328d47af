"""/organisations/units/<id>/history/: every change to a unit, before → after, so a mistake can be undone."""

from __future__ import annotations

import pytest

from lvchuang.organisations.services import update_unit
from lvchuang.web.tests.helpers import queries_for


def url(unit):
    return f"/organisations/units/{unit.pk}/history/"


def test_it_lists_each_change_with_who_when_and_before_after(client, world):
    update_unit(by=world.user("unit"), unit=world.furong_unit, changes={"energy_headcount": 12})
    update_unit(
        by=world.user("furong"), unit=world.furong_unit, changes={"energy_headcount": 14, "sector": None}
    )
    client.force_login(world.user("unit"))
    response = client.get(url(world.furong_unit))
    assert response.status_code == 200
    body = response.content.decode()
    newest, older, created = response.context["entries"]
    assert newest.entry.actor == world.user("furong")
    assert [(str(c.label), c.before, c.after) for c in newest.changes] == [("用能人数", "12", "14")]
    assert [(str(c.label), str(c.before), c.after) for c in older.changes] == [("用能人数", "（空）", "12")]
    assert created.action == "create"
    assert ("所在行政区", "识字岭社区") in [(str(c.label), c.after) for c in created.changes]
    assert "改回" in body  # the page explains how to undo a change
    assert "furong" in body


def test_it_shows_a_reverted_value_as_its_own_entry(client, world):
    update_unit(by=world.user("unit"), unit=world.furong_unit, changes={"contact_name": "错名"})
    update_unit(by=world.user("unit"), unit=world.furong_unit, changes={"contact_name": ""})
    client.force_login(world.user("unit"))
    revert, mistake, _created = client.get(url(world.furong_unit)).context["entries"]
    assert (str(revert.changes[0].before), revert.changes[0].after_empty) == ("错名", True)
    assert mistake.changes[0].after == "错名"


def test_it_forbids_those_who_may_only_read_the_unit(client, world):
    client.force_login(world.user("leader"))
    assert client.get(url(world.furong_unit)).status_code == 403


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("outsider", "furong_unit"),
        ("furong", "tianxin_unit"),
        ("tianxin", "furong_unit"),
        ("unit", "tianxin_unit"),
    ],
)
def test_it_answers_404_outside_the_jurisdiction(client, world, who, unit):
    client.force_login(world.user(who))
    assert client.get(url(getattr(world, unit))).status_code == 404


def test_it_lets_the_city_read_both_districts_history(client, world):
    client.force_login(world.user("city"))
    assert client.get(url(world.furong_unit)).status_code == 200
    assert client.get(url(world.tianxin_unit)).status_code == 200


def test_it_costs_the_same_queries_for_two_entries_or_twenty(client, world):
    client.force_login(world.user("furong"))
    update_unit(by=world.user("unit"), unit=world.furong_unit, changes={"energy_headcount": 1})
    # session, user, jurisdiction, unit, can-change check, count, page, names of the regions mentioned
    assert queries_for(client, url(world.furong_unit)) == 8
    for number in range(2, 20):
        update_unit(by=world.user("unit"), unit=world.furong_unit, changes={"energy_headcount": number})
    assert queries_for(client, url(world.furong_unit)) == 8
