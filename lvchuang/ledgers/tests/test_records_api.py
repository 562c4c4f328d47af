"""The records API: units in scope, basic information, the month sheet, heating, meters and readings, data rooms
and garbage removals, round trips and scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lvchuang.ledgers import services
from lvchuang.ledgers.models import BasicInfo, Consumption, DataRoom, GarbageRemoval, Meter
from lvchuang.ledgers.tests.conftest import LedgerWorld

D = Decimal


def api(ledger_world: LedgerWorld, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(ledger_world.user(name))
    return client


def months_url(unit_id: int, year: int = 2024) -> str:
    return reverse("ledger-unit-months", args=[unit_id, year])


def test_it_lists_the_units_in_scope_with_their_latest_year(ledger_world: LedgerWorld) -> None:
    services.save_month_sheet(
        by=None, unit=ledger_world.organ, year=2024, values={(m, "water"): (D(5), "m3") for m in (1, 2, 3)}
    )
    response = api(ledger_world, "furong").get(reverse("ledger-unit-list"), {"year": 2024})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(u["name"], u["latest_year"], u["months_reported"]) for u in results] == [
        ("芙蓉区发展和改革局", 2024, 3)
    ]
    names = [u["name"] for u in api(ledger_world, "city").get(reverse("ledger-unit-list")).json()["results"]]
    assert "识字岭社区居委会" not in names
    assert len(names) == 4
    response = api(ledger_world, "city").get(
        reverse("ledger-unit-list"), {"region": ledger_world.world.tianxin.code}
    )
    assert [u["name"] for u in response.json()["results"]] == ["天心区卫生健康局", "长沙市第一中学"]


def test_the_month_sheet_round_trips(ledger_world: LedgerWorld) -> None:
    client = api(ledger_world, "organ_clerk")
    cells = [
        {"month": 1, "carrier": "electricity", "amount": "1000.5"},
        {"month": 1, "carrier": "diesel", "amount": "20", "measure": "L"},
        {"month": 2, "carrier": "water", "amount": "0"},
    ]
    response = client.put(months_url(ledger_world.organ.pk), {"cells": cells}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["cells"] == [
        {"month": 1, "carrier": "diesel", "amount": "20.000", "measure": "L"},
        {"month": 1, "carrier": "electricity", "amount": "1000.500", "measure": "kWh"},
        {"month": 2, "carrier": "water", "amount": "0.000", "measure": "m3"},
    ]
    assert client.get(months_url(ledger_world.organ.pk)).json() == response.json()
    client.put(
        months_url(ledger_world.organ.pk),
        {"cells": [{"month": 2, "carrier": "water", "amount": None}]},
        format="json",
    )
    assert Consumption.objects.count() == 2


def test_the_month_sheet_refuses_litres_of_electricity_per_cell(ledger_world: LedgerWorld) -> None:
    response = api(ledger_world, "organ_clerk").put(
        months_url(ledger_world.organ.pk),
        {
            "cells": [
                {"month": 1, "carrier": "electricity", "amount": "5", "measure": "L"},
                {"month": 1, "carrier": "water", "amount": "5"},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"m1_electricity": ["电力不能以升填报：升只适用于汽油、柴油和煤油。"]}
    assert not Consumption.objects.exists()


@pytest.mark.parametrize(
    ("name", "status"), [("sector", 404), ("leader", 403), ("tianxin", 404), ("outsider", 404)]
)
def test_only_those_who_keep_the_ledger_may_write_it(
    ledger_world: LedgerWorld, name: str, status: int
) -> None:
    body = {"cells": [{"month": 1, "carrier": "water", "amount": "5"}]}
    response = api(ledger_world, name).put(months_url(ledger_world.organ.pk), body, format="json")
    assert response.status_code == status
    assert not Consumption.objects.exists()


def test_a_sector_department_reads_its_school_but_may_not_write(ledger_world: LedgerWorld) -> None:
    client = api(ledger_world, "sector")
    school = ledger_world.world.school
    assert client.get(months_url(school.pk)).status_code == 200
    body = {"cells": [{"month": 1, "carrier": "water", "amount": "5"}]}
    assert client.put(months_url(school.pk), body, format="json").status_code == 403


def test_a_community_has_no_ledger_endpoint(ledger_world: LedgerWorld) -> None:
    response = api(ledger_world, "unit").get(months_url(ledger_world.world.furong_unit.pk))
    assert response.status_code == 404


def test_basic_information_round_trips(ledger_world: LedgerWorld) -> None:
    client = api(ledger_world, "organ_clerk")
    url = reverse("ledger-unit-basic-info", args=[ledger_world.organ.pk, 2026])
    assert client.get(url).status_code == 404
    body = {"institution_type": "01", "floor_area": "5200.00", "headcount": 118, "heated_area": None}
    response = client.put(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert client.get(url).json()["floor_area"] == "5200.00"
    assert BasicInfo.objects.get(unit=ledger_world.organ, year=2026).headcount == 118
    response = client.put(url, {**body, "institution_type": "99"}, format="json")
    assert response.status_code == 400
    assert "institution_type" in response.json()


def test_heating_round_trips(ledger_world: LedgerWorld) -> None:
    client = api(ledger_world, "furong")
    url = reverse("ledger-unit-heating", args=[ledger_world.organ.pk, 2024])
    response = client.put(url, {"mode": "own_boiler", "heated_area": "900", "heat_gj": "12.5"}, format="json")
    assert response.status_code == 200, response.json()
    assert client.get(url).json() == {
        "year": 2024,
        "mode": "own_boiler",
        "heated_area": "900.00",
        "heat_gj": "12.500",
        "billed_by_heat": True,
    }


def test_meters_and_readings_round_trip(ledger_world: LedgerWorld) -> None:
    client = api(ledger_world, "organ_clerk")
    body = {
        "unit": ledger_world.organ.pk,
        "number": "E-02",
        "name": "机房专用表",
        "scope": "item",
        "purpose": "data_room",
        "carrier": "electricity",
    }
    response = client.post(reverse("ledger-meter-list"), body, format="json")
    assert response.status_code == 201, response.json()
    meter_id = response.json()["id"]
    again = client.post(reverse("ledger-meter-list"), body, format="json")
    assert again.status_code == 400
    assert again.json() == {"number": ["本单位已有表号为“E-02”的计量器具。"]}

    detail = reverse("ledger-meter-detail", args=[meter_id])
    response = client.patch(detail, {"is_active": False, "location": "三楼"}, format="json")
    assert response.status_code == 200
    assert (response.json()["is_active"], response.json()["location"]) == (False, "三楼")

    readings = reverse("ledger-meter-readings", args=[meter_id, 2024])
    response = client.put(
        readings, {"readings": [{"month": 1, "amount": "10"}, {"month": 2, "amount": "11"}]}, format="json"
    )
    assert response.status_code == 200
    assert client.get(readings).json()["readings"] == [
        {"month": 1, "amount": "10.000"},
        {"month": 2, "amount": "11.000"},
    ]
    listed = client.get(reverse("ledger-meter-list"), {"unit": ledger_world.organ.pk}).json()["results"]
    assert [m["number"] for m in listed] == ["E-02"]
    assert api(ledger_world, "city_clerk").get(detail).status_code == 404
    assert api(ledger_world, "leader").patch(detail, {"name": "x"}, format="json").status_code == 403
    assert Meter.objects.get().name == "机房专用表"


def test_a_meter_cannot_be_added_to_a_unit_out_of_sight(ledger_world: LedgerWorld) -> None:
    body = {
        "unit": ledger_world.city_organ.pk,
        "number": "E-1",
        "name": "总表",
        "scope": "household",
        "purpose": "other",
        "carrier": "electricity",
    }
    response = api(ledger_world, "organ_clerk").post(reverse("ledger-meter-list"), body, format="json")
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not Meter.objects.exists()


def test_data_rooms_are_added_and_deleted(ledger_world: LedgerWorld) -> None:
    client = api(ledger_world, "organ_clerk")
    body = {
        "unit": ledger_world.organ.pk,
        "year": 2024,
        "name": "机房",
        "area": "20",
        "electricity_kwh": "4000",
    }
    response = client.post(reverse("ledger-data-room-list"), body, format="json")
    assert response.status_code == 201, response.json()
    assert client.post(reverse("ledger-data-room-list"), body, format="json").status_code == 400
    room_id = response.json()["id"]
    assert (
        api(ledger_world, "leader").delete(reverse("ledger-data-room-detail", args=[room_id])).status_code
        == 403
    )
    assert client.delete(reverse("ledger-data-room-detail", args=[room_id])).status_code == 204
    assert not DataRoom.objects.exists()


def test_garbage_removals_are_listed_added_and_undone(ledger_world: LedgerWorld) -> None:
    client = api(ledger_world, "organ_clerk")
    body = {
        "unit": ledger_world.organ.pk,
        "removed_on": "2024-06-01",
        "category": "recyclable",
        "weight_kg": "12.5",
        "hauler": "再生资源公司",
    }
    response = client.post(reverse("ledger-garbage-removal-list"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["created_by_name"] == "罗发改"
    bad = client.post(reverse("ledger-garbage-removal-list"), {**body, "category": "glass"}, format="json")
    assert bad.status_code == 400
    assert "category" in bad.json()
    listed = client.get(reverse("ledger-garbage-removal-list"), {"year": "2024", "category": "recyclable"})
    assert [r["weight_kg"] for r in listed.json()["results"]] == ["12.50"]
    assert api(ledger_world, "tianxin").get(reverse("ledger-garbage-removal-list")).json()["results"] == []
    removal_id = response.json()["id"]
    assert (
        api(ledger_world, "tianxin")
        .delete(reverse("ledger-garbage-removal-detail", args=[removal_id]))
        .status_code
        == 404
    )
    assert client.delete(reverse("ledger-garbage-removal-detail", args=[removal_id])).status_code == 204
    assert not GarbageRemoval.objects.exists()
