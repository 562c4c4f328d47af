"""The check of a unit against the annual target of the nearest office above it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvchuang.ledgers.indicators import target_check
from lvchuang.ledgers.models import AnnualTarget, BasicInfo
from lvchuang.ledgers.target_services import create_annual_target, create_annual_target_from_preset
from lvchuang.ledgers.tests.conftest import LedgerWorld
from lvchuang.ledgers.tests.test_indicators import a_year_of

D = Decimal


def shisiwu(ledger_world: LedgerWorld) -> AnnualTarget:
    world = ledger_world.world
    return create_annual_target_from_preset(
        by=world.user("city"), office=world.city_office, preset="shisiwu-2025"
    )


@pytest.fixture
def baseline(ledger_world: LedgerWorld) -> LedgerWorld:
    """The 十四五 target of 长沙市 and the 2020 ledgers of the organs: 100 MWh and 2400 m³ each."""
    shisiwu(ledger_world)
    for unit in (ledger_world.organ, ledger_world.city_organ):
        a_year_of(unit, 2020, electricity="100000", water="2400")
    return ledger_world


def test_it_is_met_when_every_indicator_falls_at_least_as_far_as_targeted(baseline: LedgerWorld) -> None:
    a_year_of(baseline.organ, 2025, electricity="90000", water="2200")

    check = target_check(baseline.organ, 2025)

    assert check.status == "met"
    assert check.target is not None
    assert check.target.office == baseline.world.city_office
    lines = {line.indicator: line for line in check.lines}
    assert list(lines) == ["area_energy", "per_capita_energy", "per_capita_water", "co2_per_area"]
    assert lines["area_energy"].baseline == D("12290") / 5000
    assert lines["area_energy"].change == D("-10.00")
    assert lines["area_energy"].target == D("-5")
    assert lines["per_capita_water"].change == D("-8.33")
    # CO₂: 2020 borrows the earliest national factor (2021, 0.5568); 2025 uses 华中 2023 (0.5271).
    assert lines["co2_per_area"].change == D("-14.80")
    assert all(line.met for line in check.lines)
    narrative = check.narrative()
    assert "长沙市创建办下达的 2025 年能耗指标（较 2020 年）" in narrative
    assert "单位建筑面积能耗 2.46 → 2.21 kgce/m²，变化 -10.00%，目标 -5.00%，完成" in narrative
    assert narrative.endswith("结论：完成。")


def test_it_is_missed_when_one_indicator_falls_short(baseline: LedgerWorld) -> None:
    a_year_of(baseline.organ, 2025, electricity="98000", water="2200")
    check = target_check(baseline.organ, 2025)
    assert check.status == "missed"
    missed = [line.indicator for line in check.lines if line.met is False]
    assert missed == ["area_energy", "per_capita_energy"]
    assert "结论：未完成" in check.narrative()


def test_it_cannot_judge_without_the_base_year(baseline: LedgerWorld) -> None:
    a_year_of(baseline.world.tianxin_unit, 2025, electricity="1")  # unrelated noise
    BasicInfo.objects.filter(unit=baseline.organ, year=2020).delete()
    a_year_of(baseline.organ, 2025, electricity="90000", water="2200")
    check = target_check(baseline.organ, 2025)
    assert check.status == "unknown"
    assert check.missing == ["2020 年基本信息"]
    assert "缺少：2020 年基本信息" in check.narrative()


def test_it_cannot_judge_without_the_years_consumption(baseline: LedgerWorld) -> None:
    check = target_check(baseline.organ, 2025)
    assert check.status == "unknown"
    assert check.missing == ["2025 年能源消费数据", "2025 年用水数据"]
    assert all(line.met is None for line in check.lines)


def test_it_finds_no_target_for_a_year_without_one(baseline: LedgerWorld) -> None:
    check = target_check(baseline.organ, 2024)
    assert check.status == "none"
    assert check.target is None
    assert check.narrative() == "2024 年没有适用于本单位的年度能耗指标。"


def test_it_applies_the_target_of_the_nearest_office_above(baseline: LedgerWorld) -> None:
    world = baseline.world
    create_annual_target(
        by=world.user("furong"),
        office=world.furong_office,
        year=2025,
        baseline_year=2020,
        area_energy_change=D("-20"),
    )
    a_year_of(baseline.organ, 2025, electricity="90000", water="2200")
    a_year_of(baseline.city_organ, 2025, electricity="90000", water="2200")

    furong = target_check(baseline.organ, 2025)
    assert furong.target is not None
    assert furong.target.office == world.furong_office
    assert [line.indicator for line in furong.lines] == ["area_energy"]
    assert furong.status == "missed"
    # The city's own organ is not in 芙蓉区: the city's target applies.
    city = target_check(baseline.city_organ, 2025)
    assert city.target is not None
    assert city.target.office == world.city_office
    assert city.status == "met"


def test_it_skips_a_target_for_other_unit_types(baseline: LedgerWorld) -> None:
    world = baseline.world
    create_annual_target(
        by=world.user("furong"),
        office=world.furong_office,
        year=2025,
        baseline_year=2020,
        area_energy_change=D("-20"),
        institution_types=["021"],
    )
    a_year_of(baseline.organ, 2025, electricity="90000", water="2200")
    check = target_check(baseline.organ, 2025)  # a state organ (01): the city's target applies
    assert check.target is not None
    assert check.target.office == world.city_office
    assert check.status == "met"
