"""The forms of a unit's records: the month sheet (input kept on error, errors per cell, blank deletes), basic
information with its prefill, data rooms, heating, meters and their readings, garbage removals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lvchuang.audit.models import AuditEntry
from lvchuang.ledgers import services
from lvchuang.ledgers.models import (
    BasicInfo,
    Consumption,
    DataRoom,
    GarbageRemoval,
    Heating,
    Meter,
    MeterReading,
)
from lvchuang.ledgers.tests.conftest import LedgerWorld

D = Decimal


@pytest.fixture
def clerk(ledger_world: LedgerWorld) -> Client:
    client = Client()
    client.force_login(ledger_world.organ_clerk)
    return client


def monthly(ledger_world: LedgerWorld, year: int = 2024) -> str:
    return reverse("ledgers:monthly_edit", args=[ledger_world.organ.pk, year])


# --- the month sheet -------------------------------------------------------------------------------------------


def test_the_month_form_shows_the_saved_figures(ledger_world: LedgerWorld, clerk: Client) -> None:
    services.save_month_sheet(
        by=None, unit=ledger_world.organ, year=2024, values={(2, "diesel"): (D("35.5"), "L")}
    )
    response = clerk.get(monthly(ledger_world))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="m2_diesel" value="35.500"' in text
    assert '<option value="L" selected>' in text
    assert 'name="m1_electricity_measure"' not in text  # electricity has one measure only


def test_the_month_form_saves_and_returns_to_the_year(ledger_world: LedgerWorld, clerk: Client) -> None:
    response = clerk.post(
        monthly(ledger_world),
        {"m1_electricity": "1200", "m2_electricity": "-5", "m3_gasoline": "40", "m3_gasoline_measure": "L"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ledgers:unit_detail", args=[ledger_world.organ.pk]) + "?year=2024"
    rows = {(row.month, row.carrier): (row.amount, row.measure) for row in Consumption.objects.all()}
    assert rows == {
        (1, "electricity"): (D("1200"), "kWh"),
        (2, "electricity"): (D("-5"), "kWh"),
        (3, "gasoline"): (D("40"), "L"),
    }
    assert (
        AuditEntry.objects.filter(content_type__model="consumption", actor=ledger_world.organ_clerk).count()
        == 3
    )


def test_a_bad_cell_keeps_everything_typed_and_writes_nothing(
    ledger_world: LedgerWorld, clerk: Client
) -> None:
    services.save_month_sheet(
        by=None, unit=ledger_world.organ, year=2024, values={(1, "water"): (D(9), "m3")}
    )
    response = clerk.post(
        monthly(ledger_world),
        {"m1_electricity": "1200", "m2_electricity": "十二", "m3_water": "1.23456", "m4_lpg": "7"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "尚未保存任何数据" in text
    assert 'name="m1_electricity" value="1200"' in text
    assert 'name="m2_electricity" value="十二"' in text
    assert 'name="m4_lpg" value="7"' in text
    form = response.context["form"]
    assert form.errors["m2_electricity"] == ["请填写数字。"]
    assert form.errors["m3_water"] == ["最多保留 3 位小数。"]
    assert list(Consumption.objects.values_list("month", "carrier", "amount")) == [(1, "water", D("9"))]


def test_a_blank_cell_deletes_the_month(ledger_world: LedgerWorld, clerk: Client) -> None:
    services.save_month_sheet(
        by=None,
        unit=ledger_world.organ,
        year=2024,
        values={(1, "water"): (D(9), "m3"), (2, "water"): (D(8), "m3")},
    )
    response = clerk.post(monthly(ledger_world), {"m1_water": "9", "m2_water": ""})
    assert response.status_code == 302
    assert list(Consumption.objects.values_list("month", flat=True)) == [1]


def test_an_unchanged_sheet_writes_nothing(ledger_world: LedgerWorld, clerk: Client) -> None:
    services.save_month_sheet(
        by=None, unit=ledger_world.organ, year=2024, values={(1, "water"): (D(9), "m3")}
    )
    stamp = Consumption.objects.get().updated_at
    response = clerk.post(monthly(ledger_world), {"m1_water": "9.000"}, follow=True)
    assert "没有变动" in response.content.decode()
    assert Consumption.objects.get().updated_at == stamp


def test_a_year_out_of_range_is_not_found(ledger_world: LedgerWorld, clerk: Client) -> None:
    assert clerk.get(monthly(ledger_world, 1999)).status_code == 404


# --- basic information -----------------------------------------------------------------------------------------


def test_a_new_year_starts_from_the_year_before(ledger_world: LedgerWorld, clerk: Client) -> None:
    BasicInfo.objects.filter(unit=ledger_world.organ, year=2025).update(headcount=133)
    url = reverse("ledgers:basic_info_edit", args=[ledger_world.organ.pk, 2026])
    response = clerk.get(url)
    text = response.content.decode()
    assert 'name="headcount" value="133"' in text
    assert "已按上一年度" in text
    response = clerk.post(url, {"institution_type": "01", "floor_area": "5050", "headcount": "133"})
    assert response.status_code == 302
    info = BasicInfo.objects.get(unit=ledger_world.organ, year=2026)
    assert (info.floor_area, info.headcount, info.updated_by) == (D("5050"), 133, ledger_world.organ_clerk)


def test_basic_information_errors_come_back_in_chinese(ledger_world: LedgerWorld, clerk: Client) -> None:
    url = reverse("ledgers:basic_info_edit", args=[ledger_world.organ.pk, 2024])
    response = clerk.post(url, {"institution_type": "01", "floor_area": "-3", "headcount": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["headcount"] == ["该字段是必填项。"]
    assert "floor_area" in form.errors


# --- data rooms and heating ------------------------------------------------------------------------------------


def test_it_adds_and_deletes_a_data_room(ledger_world: LedgerWorld, clerk: Client) -> None:
    url = reverse("ledgers:data_rooms", args=[ledger_world.organ.pk, 2024])
    data = {"name": "主机房", "area": "30", "racks": "4", "electricity_kwh": "50000", "pue": "1.6"}
    assert clerk.post(url, data).status_code == 302
    response = clerk.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["2024 年已有名为“主机房”的机房。"]
    room = DataRoom.objects.get()
    assert "主机房" in clerk.get(url).content.decode()
    delete = reverse("ledgers:data_room_delete", args=[ledger_world.organ.pk, 2024, room.pk])
    assert clerk.get(delete).status_code == 405
    assert clerk.post(delete).status_code == 302
    assert not DataRoom.objects.exists()


def test_it_saves_the_heating_of_a_year(ledger_world: LedgerWorld, clerk: Client) -> None:
    url = reverse("ledgers:heating_edit", args=[ledger_world.organ.pk, 2024])
    response = clerk.post(
        url, {"mode": "central", "heated_area": "2000", "heat_gj": "150", "billed_by_heat": "on"}
    )
    assert response.status_code == 302
    heating = Heating.objects.get()
    assert (heating.mode, heating.heat_gj, heating.billed_by_heat) == ("central", D("150"), True)
    assert 'value="2000.00"' in clerk.get(url).content.decode()


# --- meters ----------------------------------------------------------------------------------------------------


def test_it_registers_a_meter_and_refuses_a_second_with_its_number(
    ledger_world: LedgerWorld, clerk: Client
) -> None:
    url = reverse("ledgers:meter_list", args=[ledger_world.organ.pk])
    data = {
        "number": "E-01",
        "name": "一号楼照明",
        "scope": "item",
        "purpose": "lighting",
        "carrier": "electricity",
    }
    assert clerk.post(url, data).status_code == 302
    response = clerk.post(url, {**data, "name": "另一块表"})
    assert response.status_code == 400
    assert response.context["form"].errors["number"] == ["本单位已有表号为“E-01”的计量器具。"]
    assert "一号楼照明" in clerk.get(url).content.decode()


def test_it_edits_deactivates_and_reads_a_meter(ledger_world: LedgerWorld, clerk: Client) -> None:
    meter = services.create_meter(
        by=None,
        unit=ledger_world.organ,
        number="W-01",
        name="总水表",
        scope="household",
        purpose="water_supply",
        carrier="water",
    )
    edit = reverse("ledgers:meter_edit", args=[ledger_world.organ.pk, meter.pk])
    data = {
        "number": "W-01",
        "name": "总水表",
        "scope": "household",
        "purpose": "water_supply",
        "carrier": "water",
    }
    assert clerk.post(edit, {**data, "location": "地下室"}).status_code == 302
    assert clerk.post(edit, {"active": "0"}).status_code == 302
    meter.refresh_from_db()
    assert (meter.location, meter.is_active) == ("地下室", False)

    readings = reverse("ledgers:meter_readings", args=[ledger_world.organ.pk, meter.pk, 2024])
    assert clerk.post(readings, {"m1": "12.5", "m2": "13"}).status_code == 302
    assert dict(MeterReading.objects.values_list("month", "amount")) == {1: D("12.5"), 2: D("13")}
    response = clerk.post(readings, {"m1": "12.5", "m2": "x"})
    assert response.status_code == 400
    assert 'name="m2" value="x"' in response.content.decode()
    assert clerk.post(readings, {"m1": "12.5"}).status_code == 302
    assert list(MeterReading.objects.values_list("month", flat=True)) == [1]


def test_a_meter_of_another_unit_is_not_found(ledger_world: LedgerWorld, clerk: Client) -> None:
    meter = Meter.objects.create(
        unit=ledger_world.city_organ, number="X", name="x", scope="zone", purpose="other", carrier="water"
    )
    assert clerk.get(reverse("ledgers:meter_edit", args=[ledger_world.organ.pk, meter.pk])).status_code == 404


# --- garbage ---------------------------------------------------------------------------------------------------


def test_it_registers_garbage_removals_filters_totals_and_undoes(
    ledger_world: LedgerWorld, clerk: Client
) -> None:
    url = reverse("ledgers:garbage_list", args=[ledger_world.organ.pk])
    for day, category, weight in (
        ("2024-03-01", "kitchen", "100"),
        ("2024-04-01", "kitchen", "50.5"),
        ("2025-01-02", "recyclable", "20"),
    ):
        response = clerk.post(
            url, {"removed_on": day, "category": category, "weight_kg": weight, "hauler": "芙蓉区环卫所"}
        )
        assert response.status_code == 302
    response = clerk.get(url, {"year": "2024"})
    totals = {total.category: (total.removals, total.weight_kg) for total in response.context["totals"]}
    assert totals == {"kitchen": (2, D("150.5"))}
    assert "150.50 kg" in response.content.decode()
    response = clerk.get(url, {"category": "recyclable"})
    assert [r.weight_kg for r in response.context["page_obj"]] == [D("20")]
    assert clerk.get(url, {"year": "soon"}).status_code == 400

    response = clerk.post(
        url, {"removed_on": "2024-05-01", "category": "kitchen", "weight_kg": "0", "hauler": "x"}
    )
    assert response.status_code == 400
    assert "weight_kg" in response.context["form"].errors

    removal = GarbageRemoval.objects.get(weight_kg=D("20"))
    assert (
        clerk.post(reverse("ledgers:garbage_delete", args=[ledger_world.organ.pk, removal.pk])).status_code
        == 302
    )
    assert GarbageRemoval.objects.count() == 2
    assert AuditEntry.objects.filter(
        content_type__model="garbageremoval", action=AuditEntry.Action.DELETE, actor=ledger_world.organ_clerk
    ).exists()


def test_the_garbage_form_starts_on_todays_date_in_china(ledger_world: LedgerWorld, clerk: Client) -> None:
    with time_machine.travel(datetime.datetime(2025, 3, 31, 20, 0, tzinfo=datetime.UTC), tick=False):
        response = clerk.get(reverse("ledgers:garbage_list", args=[ledger_world.organ.pk]))
    assert 'value="2025-04-01"' in response.content.decode()
