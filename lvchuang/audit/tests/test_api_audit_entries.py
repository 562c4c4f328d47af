"""/api/audit-entries/: who changed what, for administrators and the offices whose subtree it touches."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lvchuang.accounts.models import User
from lvchuang.audit.models import AuditEntry
from lvchuang.organisations.models import Unit
from lvchuang.organisations.services import create_unit, update_unit

if TYPE_CHECKING:
    from conftest import World


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))  # a fresh object: no jurisdiction cached yet
    return client


def headcount_change(world: World) -> AuditEntry:
    """unit staff of the furong community record its headcount: one update entry, inside furong."""
    update_unit(by=world.user("unit"), unit=world.furong_unit, changes={"energy_headcount": 12})
    entry: AuditEntry = AuditEntry.objects.filter(object_pk=str(world.furong_unit.pk)).latest("timestamp")
    return entry


def ids(response: Any) -> list[int]:
    return [entry["id"] for entry in response.json()["results"]]


def test_it_shows_an_office_the_changes_in_its_subtree(world: World) -> None:
    entry = headcount_change(world)

    response = api_as(world.user("furong")).get("/api/audit-entries/", {"model": "organisations.unit"})

    assert response.status_code == 200
    assert response.json()["results"][0] == {
        "id": entry.pk,
        "timestamp": response.json()["results"][0]["timestamp"],
        "action": 1,
        "action_display": "修改",
        "model": "organisations.unit",
        "object_id": str(world.furong_unit.pk),
        "object_repr": "识字岭社区居委会",
        "changes": {"energy_headcount": ["None", "12"]},
        "actor": world.user("unit").pk,
        "actor_name": "unit",
        "remote_addr": None,
    }


def test_it_shows_the_city_both_districts_changes(world: World) -> None:
    furong_entry = headcount_change(world)
    update_unit(by=world.user("tianxin"), unit=world.tianxin_unit, changes={"energy_headcount": 7})
    tianxin_entry = AuditEntry.objects.filter(object_pk=str(world.tianxin_unit.pk)).latest("timestamp")

    response = api_as(world.user("city")).get("/api/audit-entries/", {"model": "organisations.unit"})

    assert ids(response)[:2] == [tianxin_entry.pk, furong_entry.pk]


def test_it_hides_a_districts_changes_from_its_sibling(world: World) -> None:
    entry = headcount_change(world)

    response = api_as(world.user("tianxin")).get("/api/audit-entries/")

    assert response.status_code == 200
    assert entry.pk not in ids(response)


@pytest.mark.parametrize("username", ["outsider", "unit", "leader", "sector", "reviewer"])
def test_it_refuses_the_list_to_users_who_are_not_auditors(world: World, username: str) -> None:
    headcount_change(world)

    response = api_as(world.user(username)).get("/api/audit-entries/")

    assert response.status_code == 403
    assert "results" not in response.json()


def test_it_filters_by_actor_object_and_time(world: World) -> None:
    entry = headcount_change(world)
    client = api_as(world.user("admin"))
    now = timezone.now()

    assert ids(client.get("/api/audit-entries/", {"actor": world.user("unit").pk})) == [entry.pk]
    by_object = ids(
        client.get(
            "/api/audit-entries/", {"object_id": str(world.furong_unit.pk), "model": "organisations.unit"}
        )
    )
    assert by_object[0] == entry.pk
    assert len(by_object) == 2  # created by the fixture, then changed
    assert ids(client.get("/api/audit-entries/", {"since": (now + timedelta(minutes=1)).isoformat()})) == []
    assert entry.pk in ids(client.get("/api/audit-entries/", {"since": now.date().isoformat()}))
    assert ids(client.get("/api/audit-entries/", {"until": "2000-01-01"})) == []


def test_it_refuses_malformed_filters(world: World) -> None:
    response = api_as(world.user("admin")).get("/api/audit-entries/", {"since": "yesterday", "model": "Unit"})

    assert response.status_code == 400
    assert set(response.json()) == {"since", "model"}


def test_it_lists_entries_in_a_fixed_number_of_queries(world: World, django_assert_num_queries: Any) -> None:
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):  # jurisdiction, count, page (actor and content type joined)
        client.get("/api/audit-entries/")
    for n in range(27):
        unit = create_unit(
            by=world.user("furong"), region=world.furong_street, name=f"单位{n}", kind=Unit.Kind.OTHER
        )
        update_unit(by=world.user("furong"), unit=unit, changes={"energy_headcount": n})
    client = api_as(world.user("city"))
    with django_assert_num_queries(3):
        response = client.get("/api/audit-entries/")
    assert response.json()["count"] > 50  # a full page
