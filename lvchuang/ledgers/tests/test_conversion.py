"""Standard coal and CO₂ against every coefficient of facts §3, as loaded by the data migration."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lvchuang.ledgers.conversion import coefficients_for, coefficients_for_years
from lvchuang.ledgers.defaults import load_defaults, read_defaults
from lvchuang.ledgers.models import (
    Basis,
    ConversionFactor,
    Density,
    EmissionFactor,
    Grid,
    GridAssignment,
    IntensityRange,
    QualityRule,
)

pytestmark = pytest.mark.django_db

D = Decimal

# GB/T 2589-2020, 当量值, kgce per unit (facts §3).
EQUIVALENT = [
    ("electricity", "kWh", "0.1229"),
    ("raw_coal", "kg", "0.7143"),
    ("gasoline", "kg", "1.4714"),
    ("kerosene", "kg", "1.4714"),
    ("diesel", "kg", "1.4571"),
    ("lpg", "kg", "1.7143"),
    ("natural_gas", "m3", "1.2143"),
    ("heat", "GJ", "34.12"),
]


@pytest.mark.parametrize(("carrier", "measure", "factor"), EQUIVALENT)
def test_it_converts_each_carrier_at_its_equivalent_value(carrier: str, measure: str, factor: str) -> None:
    coefficients = coefficients_for(2023)
    assert coefficients.kgce(carrier, measure, D("1000")) == D(factor) * 1000


@pytest.mark.parametrize(("carrier", "measure", "factor"), EQUIVALENT)
def test_it_uses_the_equivalent_value_for_carriers_without_an_equal_value(
    carrier: str, measure: str, factor: str
) -> None:
    coefficients = coefficients_for(2023, Basis.EQUAL_VALUE)
    expected = D("0.3007") if carrier == "electricity" else D(factor)
    assert coefficients.kgce(carrier, measure, D("1")) == expected


def test_it_converts_electricity_at_the_2022_equal_value() -> None:
    coefficients = coefficients_for(2022, Basis.EQUAL_VALUE)
    assert coefficients.kgce("electricity", "kWh", D("10000")) == D("3007")
    assert any("0.3007" in line for line in coefficients.sources())


def test_it_gives_water_no_standard_coal_and_no_co2() -> None:
    coefficients = coefficients_for(2023)
    assert coefficients.kgce("water", "m3", D("500")) == 0
    assert coefficients.kgco2("water", "m3", D("500"), "43") == 0


@pytest.mark.parametrize(
    ("carrier", "litres", "expected_kgce"),
    [
        ("gasoline", "100", D("100") * D("0.73") * D("1.4714")),
        ("diesel", "100", D("100") * D("0.85") * D("1.4571")),
        ("kerosene", "100", D("100") * D("0.80") * D("1.4714")),
    ],
)
def test_it_converts_litres_through_the_density(carrier: str, litres: str, expected_kgce: Decimal) -> None:
    coefficients = coefficients_for(2023)
    assert coefficients.kgce(carrier, "L", D(litres)) == expected_kgce
    assert any("kg/L" in line for line in coefficients.sources())


def test_it_refuses_litres_of_a_fuel_without_a_density() -> None:
    Density.objects.filter(carrier="kerosene").delete()
    with pytest.raises(ValidationError, match="煤油没有密度数据"):
        coefficients_for(2023).kgce("kerosene", "L", D("10"))


def test_it_refuses_a_measure_the_carrier_is_not_recorded_in() -> None:
    with pytest.raises(ValidationError, match="电力应以千瓦时计量"):
        coefficients_for(2023).kgce("electricity", "m3", D("10"))


def test_it_applies_an_edited_coefficient_from_its_date_on() -> None:
    ConversionFactor.objects.create(
        carrier="electricity",
        basis=Basis.EQUIVALENT,
        kgce_per_unit=D("0.2000"),
        valid_from=datetime.date(2024, 7, 1),
        source="测试",
    )
    tables = coefficients_for_years([2023, 2024])
    assert tables[2023].kgce("electricity", "kWh", D("1")) == D("0.1229")
    assert tables[2024].kgce("electricity", "kWh", D("1")) == D("0.2000")


def test_it_borrows_the_earliest_row_for_a_year_before_every_row_and_says_so() -> None:
    coefficients = coefficients_for(2020)  # GB/T 2589-2020 is in force from 2021-04-01
    assert coefficients.kgce("electricity", "kWh", D("1")) == D("0.1229")
    assert any("2020 年无适用系数" in line for line in coefficients.sources())
    equal_value = coefficients_for(2021, Basis.EQUAL_VALUE)
    assert equal_value.kgce("electricity", "kWh", D("1")) == D("0.3007")
    assert any("借用最早一条" in line for line in equal_value.sources())


def test_it_lists_only_the_coefficients_used_once_it_has_converted() -> None:
    coefficients = coefficients_for(2023)
    assert len(coefficients.sources()) > 10  # before any conversion: the whole year's table
    coefficients.kgce("electricity", "kWh", D("1"))
    coefficients.kgco2("electricity", "kWh", D("1"), "43")
    assert len(coefficients.sources()) == 2
    assert "GB/T 2589-2020" in coefficients.sources()[0]


# --- CO₂ -------------------------------------------------------------------------------------------------------

NATIONAL = [(2021, "0.5568"), (2022, "0.5366"), (2023, "0.5306")]
REGIONAL = {
    2022: {
        "north": "0.6776",
        "northwest": "0.5857",
        "east": "0.5617",
        "northeast": "0.5564",
        "central": "0.5395",
        "south": "0.3869",
        "southwest": "0.2268",
    },
    2023: {
        "north": "0.6361",
        "northeast": "0.5122",
        "east": "0.5500",
        "central": "0.5271",
        "northwest": "0.5543",
        "south": "0.4042",
        "southwest": "0.2472",
    },
}
PROVINCE_OF_GRID = {
    "north": "11",
    "northeast": "21",
    "east": "31",
    "central": "43",
    "northwest": "61",
    "south": "44",
    "southwest": "51",
}


@pytest.mark.parametrize(("year", "factor"), NATIONAL)
def test_it_uses_the_national_electricity_factor_outside_any_grid(year: int, factor: str) -> None:
    # 71 (台湾) has no grid assignment.
    assert coefficients_for(year).kgco2("electricity", "kWh", D("1000"), "71") == D(factor) * 1000


@pytest.mark.parametrize(
    ("year", "grid", "factor"),
    [(year, grid, factor) for year, grids in REGIONAL.items() for grid, factor in grids.items()],
)
def test_it_uses_the_regional_electricity_factor_of_the_province(year: int, grid: str, factor: str) -> None:
    province = PROVINCE_OF_GRID[grid]
    assert coefficients_for(year).kgco2("electricity", "kWh", D("1"), province) == D(factor)


def test_it_falls_back_to_the_latest_earlier_year_of_the_grid() -> None:
    assert coefficients_for(2025).kgco2("electricity", "kWh", D("1"), "43") == D("0.5271")  # 华中 2023


def test_it_falls_back_to_the_national_factor_when_the_grid_has_none_yet() -> None:
    # 2021 has only the national factor.
    assert coefficients_for(2021).kgco2("electricity", "kWh", D("1"), "43") == D("0.5568")


def test_it_borrows_the_earliest_national_factor_before_every_year() -> None:
    coefficients = coefficients_for(2020)
    assert coefficients.kgco2("electricity", "kWh", D("1"), "43") == D("0.5568")
    assert any("2020 年无适用系数" in line for line in coefficients.sources())


@pytest.mark.parametrize(
    ("carrier", "measure", "factor"),
    [
        ("natural_gas", "m3", "2.1622"),
        ("gasoline", "kg", "2.9251"),
        ("diesel", "kg", "3.0959"),
        ("lpg", "kg", "3.1013"),
        ("raw_coal", "kg", "1.9003"),
        ("kerosene", "kg", "3.0179"),
        ("heat", "GJ", "110"),
    ],
)
def test_it_uses_the_national_factor_of_other_carriers(carrier: str, measure: str, factor: str) -> None:
    assert coefficients_for(2024).kgco2(carrier, measure, D("1"), "43") == D(factor)


def test_it_converts_litres_to_co2_through_the_density() -> None:
    assert coefficients_for(2024).kgco2("diesel", "L", D("100"), "43") == D("85") * D("3.0959")


# --- the defaults ------------------------------------------------------------------------------------------------

GRIDS = {
    "north": ["11", "12", "13", "14", "37", "15"],
    "northeast": ["21", "22", "23"],
    "east": ["31", "32", "33", "34", "35"],
    "central": ["41", "42", "43", "36"],
    "northwest": ["61", "62", "63", "64", "65"],
    "south": ["44", "45", "53", "52", "46"],
    "southwest": ["51", "50", "54"],
}


def test_it_assigns_every_province_to_its_grid() -> None:
    stored = dict(GridAssignment.objects.values_list("province_code", "grid"))
    assert stored == {province: grid for grid, provinces in GRIDS.items() for province in provinces}
    assert set(stored.values()) <= set(Grid.values)
    assert GridAssignment.objects.filter(needs_confirmation=False).count() == 0
    assert "内蒙古" in GridAssignment.objects.get(province_code="15").note


def test_it_marks_every_value_the_facts_do_not_give_as_waiting_for_confirmation() -> None:
    unconfirmed = EmissionFactor.objects.exclude(carrier="electricity")
    assert unconfirmed.count() == 7
    assert not unconfirmed.filter(needs_confirmation=False).exists()
    assert not Density.objects.filter(needs_confirmation=False).exists()
    assert EmissionFactor.objects.filter(carrier="electricity", needs_confirmation=True).count() == 0
    assert ConversionFactor.objects.get(carrier="natural_gas").needs_confirmation
    for model in (ConversionFactor, Density, GridAssignment, EmissionFactor):
        assert not model.objects.filter(source="").exists()


def test_it_loads_the_defaults_idempotently_with_the_quality_rules() -> None:
    counts = [
        model.objects.count()
        for model in (ConversionFactor, Density, GridAssignment, EmissionFactor, QualityRule, IntensityRange)
    ]
    assert counts[:4] == [9, 3, 31, 24]
    sections = read_defaults()
    assert counts[4] == len(sections.get("rules", []))
    assert counts[5] == len(sections.get("intensity_ranges", []))
    ConversionFactor.objects.filter(carrier="electricity", basis=Basis.EQUIVALENT).update(
        kgce_per_unit=D("9")
    )
    load_defaults()
    assert [
        model.objects.count()
        for model in (ConversionFactor, Density, GridAssignment, EmissionFactor, QualityRule, IntensityRange)
    ] == counts
    assert coefficients_for(2023).kgce("electricity", "kWh", D("1")) == D("0.1229")


def test_the_data_migration_hands_its_models_to_the_loader() -> None:
    import importlib
    from pathlib import Path

    from django.apps import apps

    migration = importlib.import_module("lvchuang.ledgers.migrations.0002_defaults")
    before = ConversionFactor.objects.count()
    migration.load(apps, None)
    assert ConversionFactor.objects.count() == before
    # The loader imports no model itself (it must work with the migration's historical ones).
    source = Path(str(importlib.import_module("lvchuang.ledgers.defaults").__file__)).read_text(
        encoding="utf-8"
    )
    top_level = [line for line in source.splitlines() if line.startswith(("from ", "import "))]
    assert not [line for line in top_level if "models" in line]
