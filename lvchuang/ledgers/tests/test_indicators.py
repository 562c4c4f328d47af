"""Indicators of a unit and of groups of units: the sums, the ratios, who is counted and how many queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from lvchuang.ledgers.indicators import grouped_indicators, monthly_energy, total_indicators, unit_indicators
from lvchuang.ledgers.models import CANONICAL_MEASURE, BasicInfo, Basis, Consumption
from lvchuang.ledgers.tests.conftest import LedgerWorld
from lvchuang.organisations.models import Unit

D = Decimal


def consume(unit: Unit, year: int, carrier: str, amount: str, *, month: int = 1, measure: str = "") -> None:
    Consumption.objects.create(
        unit=unit,
        year=year,
        month=month,
        carrier=carrier,
        amount=D(amount),
        measure=measure or CANONICAL_MEASURE[carrier],
        updated_at=timezone.now(),
    )


def a_year_of(unit: Unit, year: int, *, electricity: str, gas: str = "0", water: str = "0") -> None:
    consume(unit, year, "electricity", electricity)
    if gas != "0":
        consume(unit, year, "natural_gas", gas)
    if water != "0":
        consume(unit, year, "water", water)


def test_it_computes_a_units_indicators(ledger_world: LedgerWorld) -> None:
    organ = ledger_world.organ  # 芙蓉区, Hunan: 华中 grid; 5000 m², 120 people
    consume(organ, 2023, "electricity", "60000", month=1)
    consume(organ, 2023, "electricity", "40000", month=2)
    consume(organ, 2023, "natural_gas", "1000", month=1)
    consume(organ, 2023, "gasoline", "100", month=1, measure="L")
    consume(organ, 2023, "water", "2400", month=1)

    result = unit_indicators(organ, [2023])[2023]

    gasoline = D("100") * D("0.73") * D("1.4714")
    assert result.units == 1
    assert result.energy_kgce == D("12290") + D("1214.3") + gasoline
    assert result.by_carrier == {"electricity": D("12290"), "natural_gas": D("1214.3"), "gasoline": gasoline}
    assert result.water_m3 == D("2400")
    assert result.co2_kg == D("52710") + D("2162.2") + D("73") * D("2.9251")
    assert result.area_energy == result.energy_kgce / 5000
    assert result.per_capita_energy == result.energy_kgce / 120
    assert result.per_capita_water == D("20")
    assert result.co2_per_area == result.co2_kg / 5000


def test_it_converts_at_the_equal_value_when_asked(ledger_world: LedgerWorld) -> None:
    consume(ledger_world.organ, 2023, "electricity", "10000")
    result = unit_indicators(ledger_world.organ, [2023], basis=Basis.EQUAL_VALUE)[2023]
    assert result.energy_kgce == D("3007")


def test_it_sums_a_unit_without_basic_information_but_leaves_its_ratios_unknown(
    ledger_world: LedgerWorld,
) -> None:
    BasicInfo.objects.filter(unit=ledger_world.organ, year=2023).delete()
    consume(ledger_world.organ, 2023, "electricity", "1000")
    result = unit_indicators(ledger_world.organ, [2022, 2023])
    assert result[2023].units == 0
    assert result[2023].energy_kgce == D("122.9")
    assert result[2023].area_energy is None
    assert result[2022].units == 0
    assert result[2022].energy_kgce == 0


def test_it_gives_the_monthly_figures_of_a_unit(ledger_world: LedgerWorld) -> None:
    consume(ledger_world.organ, 2023, "electricity", "1000", month=1)
    consume(ledger_world.organ, 2023, "water", "10", month=1)
    consume(ledger_world.organ, 2023, "electricity", "2000", month=3)
    months = monthly_energy(ledger_world.organ, 2023)
    assert list(months) == [1, 3]
    assert months[1] == {"energy_kgce": D("122.9"), "water_m3": D("10"), "co2_kg": D("527.1")}
    assert months[3]["energy_kgce"] == D("245.8")


@pytest.fixture
def reported(ledger_world: LedgerWorld) -> LedgerWorld:
    """2022 and 2023 ledgers of the three organs and the school (type 021, 长沙市教育局)."""
    world = ledger_world.world
    BasicInfo.objects.create(
        unit=world.school, year=2023, institution_type="021", floor_area=D("20000"), headcount=1000
    )
    a_year_of(ledger_world.organ, 2022, electricity="100000", water="2400")
    a_year_of(ledger_world.organ, 2023, electricity="90000", water="2400")
    a_year_of(ledger_world.city_organ, 2022, electricity="300000")
    a_year_of(ledger_world.city_organ, 2023, electricity="330000")
    a_year_of(ledger_world.tianxin_organ, 2023, electricity="50000")
    a_year_of(world.school, 2023, electricity="200000")
    return ledger_world


def test_it_counts_only_units_with_basic_information_and_consumption(reported: LedgerWorld) -> None:
    world = reported.world
    # A community with consumption but no basic information is left out of numerator and denominator.
    a_year_of(world.furong_unit, 2023, electricity="999999")
    total = total_indicators(Unit.objects.all(), 2023)
    assert total.units == 4
    assert total.floor_area == D("5000") + D("12000") + D("3000") + D("20000")
    assert total.headcount == 120 + 300 + 80 + 1000
    electricity = D("90000") + D("330000") + D("50000") + D("200000")
    assert total.energy_kgce == electricity * D("0.1229")
    assert total.area_energy == total.energy_kgce / total.floor_area
    # The 2022 figures count the two organs that reported that year (the others have no consumption).
    assert total_indicators(Unit.objects.all(), 2022).units == 2


def test_it_groups_by_the_child_regions_with_a_row_for_the_region_itself(reported: LedgerWorld) -> None:
    world = reported.world
    rows = grouped_indicators(Unit.objects.all(), 2023, by="region", region=world.city)
    assert [(row.key, row.label) for row in rows] == [
        ("4301", "长沙市本级"),
        ("430102", "芙蓉区"),
        ("430103", "天心区"),
    ]
    city, furong, tianxin = rows
    assert city.current.energy_kgce == D("330000") * D("0.1229")
    assert city.change("area_energy") == D("10.00")
    assert furong.current.units == 1
    assert furong.change("per_capita_energy") == D("-10.00")
    assert furong.change("per_capita_water") == D("0.00")
    assert tianxin.current.units == 2
    assert tianxin.previous is None
    assert tianxin.change("area_energy") is None
    assert tianxin.current.floor_area == D("23000")


def test_it_groups_by_province_without_a_region(reported: LedgerWorld) -> None:
    rows = grouped_indicators(Unit.objects.all(), 2023, by="region")
    assert [(row.key, row.label, row.current.units) for row in rows] == [("43", "湖南省", 4)]


def test_it_groups_by_sector_type_and_unit(reported: LedgerWorld) -> None:
    world = reported.world
    units = Unit.objects.all()
    by_sector = {row.label: row.current.units for row in grouped_indicators(units, 2023, by="sector")}
    assert by_sector == {"无主管部门": 3, "长沙市教育局": 1}
    by_type = grouped_indicators(units, 2023, by="type")
    assert [(row.key, row.current.units) for row in by_type] == [("01", 3), ("021", 1)]
    assert by_type[0].label == "01 国家机关"
    by_unit = grouped_indicators(units, 2023, by="unit")
    assert [row.label for row in by_unit] == sorted(
        ["芙蓉区发展和改革局", "长沙市机关事务管理局", "天心区卫生健康局", "长沙市第一中学"]
    )
    school = next(row for row in by_unit if row.key == str(world.school.pk))
    assert school.current.area_energy == D("200000") * D("0.1229") / 20000


def test_it_keeps_to_the_units_it_is_given(reported: LedgerWorld) -> None:
    rows = grouped_indicators(Unit.objects.filter(pk=reported.organ.pk), 2023, by="unit")
    assert [row.key for row in rows] == [str(reported.organ.pk)]


@pytest.mark.parametrize("by", ["region", "sector", "type", "unit"])
def test_it_uses_a_constant_number_of_queries(
    reported: LedgerWorld, by: str, django_assert_num_queries: object
) -> None:
    world = reported.world
    expected = {"region": 7, "sector": 7, "type": 6, "unit": 7}[by]
    with django_assert_num_queries(expected):  # type: ignore[operator]
        grouped_indicators(Unit.objects.all(), 2023, by=by, region=world.city)
    for index in range(8):
        unit = Unit.objects.create(
            name=f"芙蓉区第{index}机关",
            kind=Unit.Kind.PUBLIC_INSTITUTION,
            region=world.furong,
            sector=world.education_bureau if index % 2 else None,
            institution_type="026",
        )
        for year in (2022, 2023):
            BasicInfo.objects.create(
                unit=unit, year=year, institution_type="026", floor_area=D("100"), headcount=5
            )
            a_year_of(unit, year, electricity="1000", gas="10", water="5")
    with django_assert_num_queries(expected):  # type: ignore[operator]
        rows = grouped_indicators(Unit.objects.all(), 2023, by=by, region=world.city)
    assert sum(row.current.units for row in rows) == 12
    with django_assert_num_queries(6):  # type: ignore[operator]
        total_indicators(Unit.objects.all(), 2023)
