"""The services writing a unit's records: validation with Chinese messages, one audit entry per changed row,
unchanged rows left alone, blank cells deleting, negative and zero amounts kept, and who may write."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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
    QualityFlag,
)
from lvchuang.ledgers.selectors import basic_info_prefill, month_sheet
from lvchuang.ledgers.tests.conftest import LedgerWorld

D = Decimal


def entries(model: str, *, action: int | None = None, pk: int | None = None) -> list[AuditEntry]:
    found = AuditEntry.objects.filter(content_type__app_label="ledgers", content_type__model=model)
    if pk is not None:
        found = found.filter(object_pk=str(pk))
    if action is not None:
        found = found.filter(action=action)
    return list(found.order_by("pk"))


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {key: [str(m) for m in value] for key, value in error.value.message_dict.items()}


# --- the month sheet -------------------------------------------------------------------------------------------


def test_it_saves_a_month_sheet_row_by_row_with_an_audit_entry_each(ledger_world: LedgerWorld) -> None:
    clerk, organ = ledger_world.organ_clerk, ledger_world.organ
    changed = services.save_month_sheet(
        by=clerk,
        unit=organ,
        year=2024,
        values={(1, "electricity"): (D("12000.5"), "kWh"), (1, "water"): (D("300"), "m3")},
    )
    assert changed == 2
    rows = {(row.month, row.carrier): row for row in Consumption.objects.filter(unit=organ, year=2024)}
    assert rows[(1, "electricity")].amount == D("12000.500")
    assert rows[(1, "electricity")].updated_by == clerk
    assert rows[(1, "water")].measure == "m3"
    created = entries("consumption", action=AuditEntry.Action.CREATE)
    assert len(created) == 2
    assert {entry.actor for entry in created} == {clerk}
    assert {entry.region_path for entry in created} == {organ.region.path}


def test_it_does_not_rewrite_unchanged_cells(ledger_world: LedgerWorld) -> None:
    clerk, organ = ledger_world.organ_clerk, ledger_world.organ
    values = {(1, "electricity"): (D("100"), "kWh"), (2, "electricity"): (D("200"), "kWh")}
    services.save_month_sheet(by=clerk, unit=organ, year=2024, values=values)
    before = {row.pk: row.updated_at for row in Consumption.objects.filter(unit=organ)}

    changed = services.save_month_sheet(
        by=clerk,
        unit=organ,
        year=2024,
        values={(1, "electricity"): (D("100.000"), "kWh"), (2, "electricity"): (D("250"), "kWh")},
    )

    assert changed == 1
    after = {row.pk: row for row in Consumption.objects.filter(unit=organ)}
    january = next(row for row in after.values() if row.month == 1)
    assert january.updated_at == before[january.pk]
    assert len(entries("consumption", action=AuditEntry.Action.UPDATE)) == 1
    update = entries("consumption", action=AuditEntry.Action.UPDATE)[0]
    assert update.changes_dict["amount"] == ["200.000", "250"]


def test_a_blank_cell_deletes_the_row_with_an_audit_entry(ledger_world: LedgerWorld) -> None:
    clerk, organ = ledger_world.organ_clerk, ledger_world.organ
    services.save_month_sheet(by=clerk, unit=organ, year=2024, values={(3, "lpg"): (D("40"), "kg")})
    changed = services.save_month_sheet(
        by=clerk, unit=organ, year=2024, values={(3, "lpg"): (None, "kg"), (4, "lpg"): (None, "kg")}
    )
    assert changed == 1
    assert not Consumption.objects.filter(unit=organ).exists()
    deleted = entries("consumption", action=AuditEntry.Action.DELETE)
    assert len(deleted) == 1
    assert deleted[0].actor == clerk


def test_it_keeps_negative_and_zero_amounts_and_the_rules_flag_them(ledger_world: LedgerWorld) -> None:
    organ = ledger_world.organ
    services.save_month_sheet(
        by=ledger_world.organ_clerk,
        unit=organ,
        year=2024,
        values={(5, "electricity"): (D("-20"), "kWh"), (6, "electricity"): (D("0"), "kWh")},
    )
    amounts = dict(Consumption.objects.filter(unit=organ).values_list("month", "amount"))
    assert amounts == {5: D("-20.000"), 6: D("0.000")}
    flagged = QualityFlag.objects.filter(unit=organ, rule="non_positive", status="open")
    assert set(flagged.values_list("month", flat=True)) == {5, 6}


def test_it_accepts_litres_for_liquid_fuels(ledger_world: LedgerWorld) -> None:
    services.save_month_sheet(
        by=None, unit=ledger_world.organ, year=2024, values={(1, "diesel"): (D("80"), "L")}
    )
    assert Consumption.objects.get(unit=ledger_world.organ).measure == "L"


def test_it_refuses_litres_for_electricity_and_writes_nothing(ledger_world: LedgerWorld) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_month_sheet(
            by=ledger_world.organ_clerk,
            unit=ledger_world.organ,
            year=2024,
            values={(1, "electricity"): (D("100"), "L"), (1, "water"): (D("5"), "m3")},
        )
    assert messages_of(error) == {"m1_electricity": ["电力不能以升填报：升只适用于汽油、柴油和煤油。"]}
    assert not Consumption.objects.exists()


def test_it_names_each_bad_cell(ledger_world: LedgerWorld) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_month_sheet(
            by=None,
            unit=ledger_world.organ,
            year=2024,
            values={
                (2, "water"): (D("1.2345"), "m3"),
                (3, "natural_gas"): (D("10"), "kg"),
                (13, "water"): (D("1"), "m3"),
                (1, "steam"): (D("1"), "GJ"),
                (4, "heat"): (D("1" + "0" * 13), "GJ"),
            },
        )
    assert messages_of(error) == {
        "m2_water": ["最多保留 3 位小数。"],
        "m3_natural_gas": ["天然气的计量单位应为立方米。"],
        "m13_water": ["月份应为 1 到 12。"],
        "m1_steam": ["未知的品种：steam。"],
        "m4_heat": ["数值过大，整数部分最多 13 位。"],
    }


def test_it_refuses_a_user_who_may_only_read_the_unit(ledger_world: LedgerWorld) -> None:
    for name in ("sector", "leader", "tianxin", "city_clerk"):
        with pytest.raises(PermissionDenied):
            services.save_month_sheet(
                by=ledger_world.user(name),
                unit=ledger_world.organ,
                year=2024,
                values={(1, "water"): (D("1"), "m3")},
            )
    assert not Consumption.objects.exists()


def test_it_refuses_a_unit_that_keeps_no_ledger(ledger_world: LedgerWorld) -> None:
    community = ledger_world.world.furong_unit
    with pytest.raises(ValidationError) as error:
        services.save_month_sheet(
            by=ledger_world.user("unit"), unit=community, year=2024, values={(1, "water"): (D("1"), "m3")}
        )
    assert "不是公共机构" in error.value.messages[0]


def test_an_office_above_may_write_the_units_sheet(ledger_world: LedgerWorld) -> None:
    for name in ("furong", "city", "admin"):
        services.save_month_sheet(
            by=ledger_world.user(name),
            unit=ledger_world.organ,
            year=2024,
            values={(1, "water"): (D(len(name)), "m3")},
        )
    assert Consumption.objects.get().amount == D(5)


# --- basic information -----------------------------------------------------------------------------------------


def test_it_saves_basic_information_and_leaves_an_unchanged_year_alone(ledger_world: LedgerWorld) -> None:
    clerk, organ = ledger_world.organ_clerk, ledger_world.organ
    info = services.save_basic_info(
        by=clerk, unit=organ, year=2026, institution_type="01", floor_area=D("5100"), headcount=125
    )
    assert (info.floor_area, info.headcount, info.updated_by) == (D("5100"), 125, clerk)
    assert [entry.action for entry in entries("basicinfo", pk=info.pk)] == [AuditEntry.Action.CREATE]
    stamp = BasicInfo.objects.get(pk=info.pk).updated_at

    services.save_basic_info(
        by=clerk, unit=organ, year=2026, institution_type="01", floor_area=D("5100.00"), headcount=125
    )

    assert BasicInfo.objects.get(pk=info.pk).updated_at == stamp
    assert [entry.action for entry in entries("basicinfo", pk=info.pk)] == [AuditEntry.Action.CREATE]


def test_it_changes_basic_information_with_an_audit_entry(ledger_world: LedgerWorld) -> None:
    organ = ledger_world.organ
    services.save_basic_info(
        by=ledger_world.user("furong"),
        unit=organ,
        year=2025,
        institution_type="01",
        floor_area=D("5000"),
        headcount=130,
        heated_area=D("800"),
    )
    info = BasicInfo.objects.get(unit=organ, year=2025)
    assert (info.headcount, info.heated_area) == (130, D("800"))
    update = entries("basicinfo", action=AuditEntry.Action.UPDATE)[0]
    assert update.actor == ledger_world.user("furong")
    assert update.changes_dict["headcount"] == ["120", "130"]


def test_it_refuses_a_negative_floor_area_in_chinese(ledger_world: LedgerWorld) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_basic_info(
            by=None,
            unit=ledger_world.organ,
            year=2026,
            institution_type="01",
            floor_area=D("-1"),
            headcount=1,
        )
    assert "floor_area" in error.value.message_dict
    assert "0" in error.value.message_dict["floor_area"][0]
    assert not BasicInfo.objects.filter(year=2026).exists()


def test_it_prefills_a_new_year_from_the_year_before_or_the_units_record(ledger_world: LedgerWorld) -> None:
    organ = ledger_world.organ
    BasicInfo.objects.filter(unit=organ, year=2025).update(headcount=140)
    assert basic_info_prefill(organ, 2027)["headcount"] == 140
    BasicInfo.objects.filter(unit=organ).delete()
    assert basic_info_prefill(organ, 2027) == {
        "institution_type": "01",
        "floor_area": D("5000.00"),
        "headcount": 120,
        "heated_area": None,
    }


# --- meters ----------------------------------------------------------------------------------------------------


def new_meter(ledger_world: LedgerWorld, number: str = "E-01") -> Meter:
    return services.create_meter(
        by=ledger_world.organ_clerk,
        unit=ledger_world.organ,
        number=number,
        name="办公楼空调",
        scope="item",
        purpose="air_conditioning",
        carrier="electricity",
    )


def test_it_creates_updates_and_deactivates_a_meter_with_audit_entries(ledger_world: LedgerWorld) -> None:
    meter = new_meter(ledger_world)
    services.update_meter(by=ledger_world.organ_clerk, meter=meter, changes={"location": " 三楼 "})
    services.update_meter(by=ledger_world.organ_clerk, meter=meter, changes={"location": "三楼"})
    services.deactivate_meter(by=ledger_world.organ_clerk, meter=meter)
    meter.refresh_from_db()
    assert (meter.location, meter.is_active) == ("三楼", False)
    actions = [entry.action for entry in entries("meter")]
    assert actions == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.UPDATE]


def test_a_meter_number_is_unique_within_the_unit(ledger_world: LedgerWorld) -> None:
    new_meter(ledger_world)
    with pytest.raises(ValidationError) as error:
        new_meter(ledger_world, " E-01 ")
    assert messages_of(error) == {"number": ["本单位已有表号为“E-01”的计量器具。"]}
    other = services.create_meter(
        by=None,
        unit=ledger_world.city_organ,
        number="E-01",
        name="总表",
        scope="household",
        purpose="other",
        carrier="electricity",
    )
    assert other.pk


def test_it_saves_a_meters_readings_for_a_year(ledger_world: LedgerWorld) -> None:
    meter = new_meter(ledger_world)
    clerk = ledger_world.organ_clerk
    assert services.save_meter_readings(by=clerk, meter=meter, year=2024, amounts={1: D(10), 2: D(20)}) == 2
    assert services.save_meter_readings(by=clerk, meter=meter, year=2024, amounts={1: D(10), 2: None}) == 1
    assert dict(MeterReading.objects.values_list("month", "amount")) == {1: D("10.000")}
    assert len(entries("meterreading")) == 3
    with pytest.raises(ValidationError) as error:
        services.save_meter_readings(by=clerk, meter=meter, year=2024, amounts={3: D("0.0001")})
    assert messages_of(error) == {"m3": ["最多保留 3 位小数。"]}


def test_a_sector_department_may_not_add_a_meter_to_its_school(ledger_world: LedgerWorld) -> None:
    with pytest.raises(PermissionDenied):
        services.create_meter(
            by=ledger_world.user("sector"),
            unit=ledger_world.world.school,
            number="W-1",
            name="总水表",
            scope="household",
            purpose="water_supply",
            carrier="water",
        )


# --- data rooms, heating, garbage -------------------------------------------------------------------------------


def test_it_adds_and_deletes_a_data_room(ledger_world: LedgerWorld) -> None:
    clerk, organ = ledger_world.organ_clerk, ledger_world.organ
    room = services.add_data_room(
        by=clerk, unit=organ, year=2024, name="一楼机房", area=D("40"), electricity_kwh=D("80000"), racks=6
    )
    with pytest.raises(ValidationError) as error:
        services.add_data_room(
            by=clerk, unit=organ, year=2024, name="一楼机房", area=D("1"), electricity_kwh=D("1")
        )
    assert messages_of(error) == {"name": ["2024 年已有名为“一楼机房”的机房。"]}
    services.delete_data_room(by=clerk, room=room)
    assert not DataRoom.objects.exists()
    assert [entry.action for entry in entries("dataroom")] == [
        AuditEntry.Action.CREATE,
        AuditEntry.Action.DELETE,
    ]


def test_it_keeps_one_heating_row_per_year(ledger_world: LedgerWorld) -> None:
    clerk, organ = ledger_world.organ_clerk, ledger_world.organ
    services.save_heating(by=clerk, unit=organ, year=2024, mode="central", heated_area=D("3000"))
    services.save_heating(by=clerk, unit=organ, year=2024, mode="central", heated_area=D("3000"))
    services.save_heating(
        by=clerk, unit=organ, year=2024, mode="central", heated_area=D("3200"), heat_gj=D(9)
    )
    heating = Heating.objects.get()
    assert (heating.heated_area, heating.heat_gj) == (D("3200"), D("9"))
    assert [entry.action for entry in entries("heating")] == [
        AuditEntry.Action.CREATE,
        AuditEntry.Action.UPDATE,
    ]


def test_it_adds_a_garbage_removal_and_undoes_it(ledger_world: LedgerWorld) -> None:
    clerk, organ = ledger_world.organ_clerk, ledger_world.organ
    removal = services.add_garbage_removal(
        by=clerk,
        unit=organ,
        removed_on=datetime.date(2024, 3, 5),
        category="kitchen",
        weight_kg=D("120.5"),
        hauler="芙蓉区环卫所",
    )
    assert removal.created_by == clerk
    services.delete_garbage_removal(by=clerk, removal=removal)
    assert not GarbageRemoval.objects.exists()
    deleted = entries("garbageremoval", action=AuditEntry.Action.DELETE)
    assert deleted[0].actor == clerk
    assert deleted[0].changes_dict["hauler"] == ["芙蓉区环卫所", "None"]


def test_it_refuses_a_garbage_removal_without_weight_or_hauler(ledger_world: LedgerWorld) -> None:
    with pytest.raises(ValidationError) as error:
        services.add_garbage_removal(
            by=None,
            unit=ledger_world.organ,
            removed_on=datetime.date(2024, 3, 5),
            category="kitchen",
            weight_kg=D("1"),
            hauler="  ",
        )
    assert messages_of(error) == {"hauler": ["请填写清运单位。"]}
    with pytest.raises(ValidationError) as error:
        services.add_garbage_removal(
            by=None,
            unit=ledger_world.organ,
            removed_on=datetime.date(2024, 3, 5),
            category="kitchen",
            weight_kg=D("0"),
            hauler="环卫所",
        )
    assert "weight_kg" in error.value.message_dict


def test_the_month_sheet_reads_back_what_was_saved(ledger_world: LedgerWorld) -> None:
    services.save_month_sheet(
        by=None,
        unit=ledger_world.organ,
        year=2024,
        values={(1, "gasoline"): (D("50"), "L"), (1, "electricity"): (D("10"), "kWh")},
    )
    sheet = month_sheet(ledger_world.organ, 2024)
    assert sheet.months_reported == 1
    assert sheet.values() == {(1, "gasoline"): (D("50.000"), "L"), (1, "electricity"): (D("10.000"), "kWh")}
    assert [(total.carrier, total.amounts) for total in sheet.totals] == [
        ("electricity", [(D("10.000"), "kWh")]),
        ("gasoline", [(D("50.000"), "L")]),
    ]
