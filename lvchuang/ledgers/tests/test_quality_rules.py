"""The data-quality rules: one test per rule, then how a recheck keeps the flags in step with the data without
ever touching the data, and that it reads in a fixed number of queries.

The clock never matters: every recheck is given its `as_of` date. Consumption rows are written with the ORM.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvchuang.ledgers import quality
from lvchuang.ledgers.models import (
    CANONICAL_MEASURE,
    BasicInfo,
    Consumption,
    IntensityRange,
    QualityFlag,
    QualityRule,
)
from lvchuang.organisations.models import Unit

AS_OF = datetime.date(2025, 6, 20)
OPEN = QualityFlag.Status.OPEN


# --- helpers shared by the other quality tests -----------------------------------------------------------------------


def put(unit: Unit, year: int, month: int, carrier: str, amount: str | int, measure: str = "") -> Consumption:
    return Consumption.objects.create(
        unit=unit,
        year=year,
        month=month,
        carrier=carrier,
        amount=Decimal(str(amount)),
        measure=measure or CANONICAL_MEASURE[carrier],
        updated_at=timezone.now(),
    )


def full_year(
    unit: Unit, year: int, *, electricity: int = 10000, water: int = 300, months: Iterable[int] = ()
) -> None:
    """Twelve plausible months of electricity and water, each a little different (no copied rows, no jumps)."""
    for month in months or range(1, 13):
        put(unit, year, month, "electricity", electricity + 37 * month)
        put(unit, year, month, "water", water + 3 * month)


def recheck(
    *units: Unit, years: Iterable[int] = (2024,), as_of: datetime.date = AS_OF
) -> quality.RecheckResult:
    return quality.run_recheck(unit_ids=[unit.pk for unit in units], years=list(years), as_of=as_of)


def keys(unit: Unit, rule: str, status: str = OPEN) -> set[str]:
    return set(QualityFlag.objects.filter(unit=unit, rule=rule, status=status).values_list("key", flat=True))


def set_params(code: str, **params: object) -> None:
    rule = QualityRule.objects.get(code=code)
    rule.params = {**quality.params_of(rule), **params}
    rule.save()


# --- one test per rule -------------------------------------------------------------------------------------------


def test_it_flags_a_missing_month(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024, months=[m for m in range(1, 13) if m != 3])
    put(organ, 2024, 3, "water", 310)

    recheck(organ)

    assert keys(organ, "missing_month") == {"2024-03:electricity"}
    flag = QualityFlag.objects.get(unit=organ, rule="missing_month")
    assert (flag.year, flag.month, flag.carrier) == (2024, 3, "electricity")
    assert "2024年3月" in flag.message
    assert "电力" in flag.message


def test_it_asks_for_the_months_of_the_current_year_only_once_they_are_due(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2025, months=range(1, 5))  # January–April

    recheck(organ, years=[2025], as_of=datetime.date(2025, 6, 14))  # May is due from 15 June
    assert keys(organ, "missing_month") == set()

    recheck(organ, years=[2025], as_of=datetime.date(2025, 6, 15))
    assert keys(organ, "missing_month") == {"2025-05:electricity", "2025-05:water"}


def test_it_asks_every_month_of_a_year_with_basic_information_but_no_consumption(ledger_world):
    recheck(ledger_world.tianxin_organ)

    assert len(keys(ledger_world.tianxin_organ, "missing_month")) == 24  # 12 months × electricity, water


def test_it_flags_a_negative_value(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    put(organ, 2024, 2, "diesel", -5)

    recheck(organ)

    assert keys(organ, "non_positive") == {"2024-02:diesel"}
    assert "负数" in QualityFlag.objects.get(unit=organ, rule="non_positive").message


def test_it_flags_a_zero_electricity_month_but_not_zero_coal(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month=4, carrier="electricity").update(amount=0)
    put(organ, 2024, 4, "raw_coal", 0)

    recheck(organ)

    assert keys(organ, "non_positive") == {"2024-04:electricity"}


def test_it_flags_a_jump_beyond_n_times_the_median(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month=12, carrier="electricity").update(amount=45000)
    Consumption.objects.filter(unit=organ, year=2024, month=9, carrier="electricity").update(amount=2000)

    recheck(organ)

    assert keys(organ, "jump") == {"2024-12:electricity", "2024-09:electricity"}
    high = QualityFlag.objects.get(unit=organ, rule="jump", key="2024-12:electricity")
    low = QualityFlag.objects.get(unit=organ, rule="jump", key="2024-09:electricity")
    assert "偏高" in high.message
    assert "超过 3 倍" in high.message
    assert "偏低" in low.message


def test_it_does_not_judge_a_jump_with_too_few_months_before_it(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month=5, carrier="electricity").update(amount=90000)

    recheck(organ)

    assert keys(organ, "jump") == set()  # only four months before May (min_months is 6)


def test_it_flags_an_intensity_outside_the_range_of_its_type(ledger_world):
    organ = ledger_world.organ  # type 01, 5000 m², 120 people
    # 200,000 kWh a month: 2.4 GWh × 0.1229 kgce/kWh ≈ 295,000 kgce ≈ 59 kgce/m² and 2,458 kgce/person, above
    # the 01 ranges (up to 49.96 and 2,069.32); 300 m³ of water a month ≈ 30 m³/person, within.
    full_year(organ, 2024, electricity=200000)

    recheck(organ)

    assert keys(organ, "intensity") == {"2024:area_energy", "2024:per_capita_energy"}
    flag = QualityFlag.objects.get(unit=organ, rule="intensity", key="2024:area_energy")
    assert flag.month is None
    assert flag.carrier == ""
    assert "高于类型 01 的合理范围" in flag.message


def test_it_judges_intensity_only_for_complete_years_and_types_with_a_range(ledger_world):
    organ, city_organ = ledger_world.organ, ledger_world.city_organ
    full_year(organ, 2024, electricity=200000, months=range(1, 12))  # November is the last month
    full_year(city_organ, 2024, electricity=900000)
    BasicInfo.objects.filter(unit=city_organ, year=2024).update(institution_type="022")  # no range for 022

    recheck(organ, city_organ)

    assert keys(organ, "intensity") == set()
    assert keys(city_organ, "intensity") == set()

    set_params("intensity", require_complete_year=False)
    recheck(organ)
    assert keys(organ, "intensity") == {"2024:area_energy", "2024:per_capita_energy"}


def test_it_flags_a_month_copied_from_the_previous_one(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month__in=[4, 5], carrier="electricity").update(
        amount=Decimal("12345.600")
    )
    Consumption.objects.filter(unit=organ, year=2024, month__in=[7, 8], carrier="water").update(amount=50)
    put(organ, 2024, 7, "diesel", 200)
    put(organ, 2024, 8, "diesel", 200)

    recheck(organ)

    # Water under min_amount (100) and diesel (not a metered carrier) may repeat by chance.
    assert keys(organ, "duplicate") == {"2024-05:electricity"}
    assert "与上月完全相同" in QualityFlag.objects.get(unit=organ, rule="duplicate").message


def test_it_judges_january_against_the_december_just_changed(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    full_year(organ, 2025, months=range(1, 6))
    Consumption.objects.filter(unit=organ, year=2025, month=1, carrier="electricity").update(amount=20000)
    recheck(organ, years=[2024, 2025])
    assert keys(organ, "duplicate") == set()

    Consumption.objects.filter(unit=organ, year=2024, month=12, carrier="electricity").update(amount=20000)
    recheck(organ, years=[2024])  # what a save of the 2024 sheet rechecks

    assert keys(organ, "duplicate") == {"2025-01:electricity"}


# --- keeping flags in step -----------------------------------------------------------------------------------------


def _snapshot() -> list[tuple[object, ...]]:
    return list(
        Consumption.objects.order_by("pk").values_list(
            "pk",
            "unit_id",
            "year",
            "month",
            "carrier",
            "amount",
            "measure",
            "batch_id",
            "updated_by_id",
            "updated_at",
        )
    )


def test_it_never_changes_or_drops_a_value(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024, electricity=200000)
    Consumption.objects.filter(unit=organ, year=2024, month=3, carrier="water").delete()
    put(organ, 2024, 2, "diesel", -5)
    put(organ, 2024, 3, "raw_coal", 0)
    Consumption.objects.filter(unit=organ, year=2024, month=12, carrier="electricity").update(amount=0)
    before = _snapshot()

    result = recheck(organ, ledger_world.city_organ, years=[2023, 2024])

    assert result.opened > 0
    assert _snapshot() == before


def test_it_resolves_a_flag_once_the_value_is_corrected(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month=4, carrier="electricity").update(amount=0)
    recheck(organ)
    flag = QualityFlag.objects.get(unit=organ, rule="non_positive")

    Consumption.objects.filter(unit=organ, year=2024, month=4, carrier="electricity").update(amount=10100)
    result = recheck(organ)

    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.RESOLVED
    assert flag.closed_at is not None
    assert flag.closed_by is None
    assert flag.note == "数据已更正"
    assert result.resolved == 1


def test_it_reopens_a_resolved_flag_when_the_problem_comes_back(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    row = Consumption.objects.get(unit=organ, year=2024, month=4, carrier="electricity")
    row.amount = Decimal(0)
    row.save()
    recheck(organ)
    row.amount = Decimal(10100)
    row.save()
    recheck(organ)

    row.amount = Decimal(0)
    row.save()
    result = recheck(organ)

    flag = QualityFlag.objects.get(unit=organ, rule="non_positive")
    assert (flag.status, flag.closed_at, flag.note) == (OPEN, None, "")
    assert result.reopened == 1
    assert QualityFlag.objects.filter(unit=organ, rule="non_positive").count() == 1


def test_it_leaves_an_accepted_flag_accepted(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month=4, carrier="electricity").update(amount=0)
    recheck(organ)
    flag = QualityFlag.objects.get(unit=organ, rule="non_positive")
    quality.accept_flag(by=ledger_world.organ_clerk, flag=flag, note="四月办公楼停用装修")

    recheck(organ)
    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.ACCEPTED
    assert QualityFlag.objects.filter(unit=organ, rule="non_positive").count() == 1

    Consumption.objects.filter(unit=organ, year=2024, month=4, carrier="electricity").update(amount=10100)
    recheck(organ)
    flag.refresh_from_db()
    assert (flag.status, flag.note, flag.closed_by) == (
        QualityFlag.Status.ACCEPTED,
        "四月办公楼停用装修",
        ledger_world.organ_clerk,
    )


def test_an_edited_threshold_changes_what_is_flagged(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month=12, carrier="electricity").update(amount=35000)
    recheck(organ)
    assert keys(organ, "jump") == {"2024-12:electricity"}  # 3.4 times the median

    rule = QualityRule.objects.get(code="jump")
    quality.update_rule(
        by=ledger_world.user("admin"),
        rule=rule,
        is_active=True,
        params={**quality.params_of(rule), "factor": 4},
    )
    recheck(organ)
    assert keys(organ, "jump") == set()

    rule = QualityRule.objects.get(code="non_positive")
    quality.update_rule(by=ledger_world.user("admin"), rule=rule, is_active=True, params={"zero_allowed": []})
    put(organ, 2024, 6, "raw_coal", 0)
    recheck(organ)
    assert keys(organ, "non_positive") == {"2024-06:raw_coal"}


def test_an_inactive_rule_flags_nothing(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month=4, carrier="electricity").update(amount=0)
    recheck(organ)
    flag = QualityFlag.objects.get(unit=organ, rule="non_positive")

    QualityRule.objects.filter(code="non_positive").update(is_active=False)
    put(organ, 2024, 5, "diesel", -1)
    recheck(organ)

    assert keys(organ, "non_positive") == set()
    flag.refresh_from_db()
    assert (flag.status, flag.note) == (QualityFlag.Status.RESOLVED, "规则已停用")


def test_it_leaves_the_flags_of_other_years_and_units_alone(ledger_world):
    organ, city_organ = ledger_world.organ, ledger_world.city_organ
    recheck(organ, city_organ, years=[2022, 2023])
    before = set(QualityFlag.objects.values_list("pk", "status"))

    full_year(organ, 2023)
    recheck(organ, years=[2024])

    assert set(QualityFlag.objects.values_list("pk", "status")) >= {
        (pk, status) for pk, status in before if status == OPEN
    }
    assert not QualityFlag.objects.filter(status=QualityFlag.Status.RESOLVED).exists()


def _organs(world, count: int, start: int) -> list[Unit]:
    units = []
    for number in range(start, start + count):
        unit = Unit.objects.create(
            name=f"芙蓉区第{number}机关",
            kind=Unit.Kind.ORGAN,
            region=world.furong,
            organ_type=Unit.OrganType.GOVERNMENT,
            organ_level="county",
            institution_type=Unit.InstitutionType.STATE_ORGAN,
        )
        for year in (2023, 2024):
            BasicInfo.objects.create(
                unit=unit, year=year, institution_type="01", floor_area=Decimal(3000), headcount=60
            )
        full_year(unit, 2023)
        full_year(unit, 2024, electricity=150000, months=range(1, 12))
        put(unit, 2024, 3, "diesel", -2)
        Consumption.objects.filter(unit=unit, year=2024, month=11, carrier="electricity").update(
            amount=900000
        )
        Consumption.objects.filter(unit=unit, year=2024, month__in=[7, 8], carrier="water").update(amount=400)
        units.append(unit)
    return units


def test_a_recheck_reads_in_a_fixed_number_of_queries(ledger_world):
    few = _organs(ledger_world.world, 2, 1)
    many = _organs(ledger_world.world, 4, 10)

    with CaptureQueriesContext(connection) as first:
        recheck(*few, years=[2023, 2024])
    with CaptureQueriesContext(connection) as second:
        recheck(*many, years=[2023, 2024])
    for unit in few + many:
        put(unit, 2024, 12, "electricity", 150000)
    with CaptureQueriesContext(connection) as third:
        recheck(*few, years=[2023, 2024])
    with CaptureQueriesContext(connection) as fourth:
        recheck(*many, years=[2023, 2024])

    assert len(first) == len(second)
    assert len(third) == len(fourth)
    assert {rule for (rule,) in QualityFlag.objects.values_list("rule").distinct()} >= {
        "missing_month",
        "non_positive",
        "jump",
        "duplicate",
    }


# --- the defaults ----------------------------------------------------------------------------------------------------


def test_the_default_rules_and_ranges_are_what_the_file_documents():
    data = yaml.safe_load(quality.DEFAULTS_PATH.read_text(encoding="utf-8"))
    assert {rule["code"] for rule in data["rules"]} == set(QualityRule.Code.values)
    for rule in data["rules"]:
        assert rule["description"].strip()
        assert quality.clean_params(rule["code"], rule["params"]) == rule["params"]
    # low = the smallest Guangdong 2021 average of the type ÷ 4 (rounded down), high = the largest × 4 (up).
    averages = {
        ("01", "area_energy"): ("11.02", "12.49"),
        ("021", "per_capita_energy"): ("65.30", "102.80"),
        ("024", "per_capita_water"): ("55.87", "55.87"),
        ("025", "area_energy"): ("9.87", "9.87"),
    }
    ranges = {(row["institution_type"], row["indicator"]): row for row in data["intensity_ranges"]}
    for key, (smallest, largest) in averages.items():
        low = (Decimal(smallest) / 4).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        high = (Decimal(largest) * 4).quantize(Decimal("0.01"), rounding="ROUND_UP")
        assert (Decimal(str(ranges[key]["low"])), Decimal(str(ranges[key]["high"]))) == (low, high)
    assert {row["institution_type"] for row in data["intensity_ranges"]} == {"01", "021", "024", "025"}
    assert all(row["needs_confirmation"] for row in data["intensity_ranges"])


@pytest.mark.django_db
def test_the_migration_loaded_the_defaults():
    assert set(QualityRule.objects.values_list("code", flat=True)) == set(QualityRule.Code.values)
    assert IntensityRange.objects.filter(institution_type="01").count() == 3
