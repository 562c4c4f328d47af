"""The data-quality services: people's decisions on flags, the rule tables (administrator only), a recheck of a
scope, and the count of open flags."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model

from lvchuang.accounts.access import visible_units
from lvchuang.audit.models import AuditEntry
from lvchuang.ledgers import quality
from lvchuang.ledgers.models import Consumption, IntensityRange, QualityFlag, QualityRule
from lvchuang.ledgers.tests.test_quality_rules import full_year, keys, recheck

ACCEPTED = QualityFlag.Status.ACCEPTED


@pytest.fixture
def zero_flag(ledger_world) -> QualityFlag:
    """An open flag: the organ's electricity of April 2024 is zero."""
    organ = ledger_world.organ
    full_year(organ, 2024)
    Consumption.objects.filter(unit=organ, year=2024, month=4, carrier="electricity").update(amount=0)
    recheck(organ)
    return QualityFlag.objects.get(unit=organ, rule="non_positive")


def _audit(obj: Model) -> AuditEntry:
    entries = AuditEntry.objects.filter(object_pk=str(obj.pk), content_type__model=obj._meta.model_name)
    entry: AuditEntry = entries.latest("timestamp")
    return entry


def test_it_accepts_a_flag_with_a_note_and_records_who(ledger_world, zero_flag):
    clerk = ledger_world.organ_clerk

    flag = quality.accept_flag(by=clerk, flag=zero_flag, note="  四月办公楼停用装修 ")

    flag.refresh_from_db()
    assert (flag.status, flag.note, flag.closed_by) == (ACCEPTED, "四月办公楼停用装修", clerk)
    assert flag.closed_at is not None
    entry = _audit(flag)
    assert entry.actor == clerk
    assert entry.changes["status"] == ["open", "accepted"]


def test_it_refuses_to_accept_without_a_note(ledger_world, zero_flag):
    with pytest.raises(ValidationError) as error:
        quality.accept_flag(by=ledger_world.organ_clerk, flag=zero_flag, note="  ")
    assert "note" in error.value.message_dict
    zero_flag.refresh_from_db()
    assert zero_flag.status == QualityFlag.Status.OPEN


def test_it_refuses_a_decision_from_whoever_may_only_read_the_unit(ledger_world, zero_flag):
    for name in ("leader", "tianxin", "city_clerk"):
        with pytest.raises(PermissionDenied):
            quality.accept_flag(by=ledger_world.user(name), flag=zero_flag, note="无误")
    quality.accept_flag(by=ledger_world.user("furong"), flag=zero_flag, note="区里核实无误")


def test_a_sector_department_reads_its_schools_flags_but_does_not_decide_them(ledger_world):
    school = ledger_world.world.school
    full_year(school, 2024)
    Consumption.objects.filter(unit=school, year=2024, month=4, carrier="electricity").update(amount=0)
    recheck(school)
    flag = QualityFlag.objects.get(unit=school, rule="non_positive")
    sector = ledger_world.user("sector")

    assert quality.visible_flags(sector).filter(pk=flag.pk).exists()
    assert quality.changeable_unit_ids(sector, [school.pk]) == set()
    with pytest.raises(PermissionDenied):
        quality.accept_flag(by=sector, flag=flag, note="无误")
    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.OPEN


def test_it_reopens_an_accepted_flag_only(ledger_world, zero_flag):
    clerk = ledger_world.organ_clerk
    with pytest.raises(ValidationError):
        quality.reopen_flag(by=clerk, flag=zero_flag)
    quality.accept_flag(by=clerk, flag=zero_flag, note="停用")

    flag = quality.reopen_flag(by=ledger_world.user("city"), flag=zero_flag)

    assert (flag.status, flag.note, flag.closed_at, flag.closed_by) == (
        QualityFlag.Status.OPEN,
        "",
        None,
        None,
    )
    assert _audit(flag).actor == ledger_world.user("city")
    with pytest.raises(ValidationError):
        quality.accept_flag(by=clerk, flag=flag, note="")


def test_it_counts_the_open_flags_of_units(ledger_world, zero_flag):
    furong_units = visible_units(ledger_world.user("furong"))
    tianxin_units = visible_units(ledger_world.user("tianxin"))

    assert quality.open_flag_count(furong_units) == 1
    assert quality.open_flag_count(tianxin_units) == 0
    quality.accept_flag(by=ledger_world.organ_clerk, flag=zero_flag, note="停用")
    assert quality.open_flag_count(furong_units) == 0


# --- the rule tables -------------------------------------------------------------------------------------------------


def test_only_the_administrator_edits_a_rule(ledger_world):
    rule = QualityRule.objects.get(code="jump")
    for name in ("city", "organ_clerk", "outsider"):
        with pytest.raises(PermissionDenied):
            quality.update_rule(by=ledger_world.user(name), rule=rule, is_active=False, params={})

    admin = ledger_world.user("admin")
    updated = quality.update_rule(
        by=admin, rule=rule, is_active=True, params={"factor": 2.5}, description="新说明"
    )

    assert updated.params == {"factor": 2.5, "window_months": 12, "min_months": 6}
    assert updated.description == "新说明"
    assert _audit(updated).actor == admin


@pytest.mark.parametrize(
    ("code", "params", "problem"),
    [
        ("jump", {"factor": 1}, "不能小于"),
        ("jump", {"window_months": 3}, "最少月数不能大于对照月数"),
        ("jump", {"ratio": 2}, "规则没有这些参数"),
        ("missing_month", {"carriers": ["coal"]}, "未知的品种"),
        ("missing_month", {"due_day": 2.5}, "应为整数"),
        ("intensity", {"require_complete_year": "yes"}, "应为 true 或 false"),
        ("duplicate", {"min_amount": "x"}, "应为数字"),
    ],
)
def test_it_refuses_a_parameter_out_of_bounds(ledger_world, code, params, problem):
    rule = QualityRule.objects.get(code=code)
    before = rule.params
    with pytest.raises(ValidationError) as error:
        quality.update_rule(by=ledger_world.user("admin"), rule=rule, is_active=True, params=params)
    assert problem in " ".join(error.value.message_dict["params"])
    rule.refresh_from_db()
    assert rule.params == before


def test_only_the_administrator_edits_an_intensity_range(ledger_world):
    bounds = IntensityRange.objects.get(institution_type="01", indicator="area_energy")
    with pytest.raises(PermissionDenied):
        quality.update_range(
            by=ledger_world.user("city"), intensity_range=bounds, changes={"low": Decimal(1)}
        )
    with pytest.raises(ValidationError) as error:
        quality.update_range(
            by=ledger_world.user("admin"), intensity_range=bounds, changes={"low": Decimal(60)}
        )
    assert "high" in error.value.message_dict

    updated = quality.update_range(
        by=ledger_world.user("admin"),
        intensity_range=bounds,
        changes={"low": Decimal(3), "needs_confirmation": False, "source": "省机关事务管理局核定"},
    )

    assert (updated.low, updated.high, updated.needs_confirmation) == (Decimal(3), Decimal("49.96"), False)
    assert _audit(updated).actor == ledger_world.user("admin")


def test_a_new_range_makes_the_intensity_rule_judge_its_type(ledger_world):
    organ = ledger_world.organ
    full_year(organ, 2024, electricity=200000)
    from lvchuang.ledgers.models import BasicInfo

    BasicInfo.objects.filter(unit=organ, year=2024).update(institution_type="022")
    recheck(organ)
    assert keys(organ, "intensity") == set()

    quality.create_range(
        by=ledger_world.user("admin"),
        institution_type="022",
        indicator="area_energy",
        low=Decimal(1),
        high=Decimal(20),
        source="试行",
    )
    with pytest.raises(ValidationError):
        quality.create_range(
            by=ledger_world.user("admin"),
            institution_type="022",
            indicator="area_energy",
            low=Decimal(1),
            high=Decimal(30),
            source="重复",
        )
    recheck(organ)
    assert keys(organ, "intensity") == {"2024:area_energy"}


# --- a recheck of a scope --------------------------------------------------------------------------------------------


def test_an_office_rechecks_the_units_it_may_change(ledger_world):
    furong = ledger_world.user("furong")

    request = quality.recheck_scope(by=furong, year=2024, as_of=datetime.date(2025, 6, 20))

    assert (request.units, request.queued) == (1, False)
    assert request.result is not None
    assert request.result.opened == 24
    assert keys(ledger_world.organ, "missing_month")
    assert not QualityFlag.objects.exclude(unit=ledger_world.organ).exists()


def test_a_unit_clerk_or_a_leader_cannot_recheck_a_scope(ledger_world):
    for name in ("organ_clerk", "leader", "sector", "outsider"):
        with pytest.raises(PermissionDenied):
            quality.recheck_scope(by=ledger_world.user(name), year=2024)
    with pytest.raises(ValidationError):
        quality.recheck_scope(by=ledger_world.user("admin"), year=1990)


def test_a_large_scope_is_rechecked_by_the_task_runner(ledger_world, monkeypatch):
    monkeypatch.setattr(quality, "INLINE_RECHECK_UNITS", 1)

    request = quality.recheck_scope(by=ledger_world.user("city"), year=2024, as_of=datetime.date(2025, 6, 20))

    assert (request.units, request.queued, request.result) == (4, True, None)  # the school too
    # The test settings run a task as soon as it is enqueued.
    assert set(QualityFlag.objects.values_list("unit_id", flat=True)) == {
        ledger_world.organ.pk,
        ledger_world.city_organ.pk,
        ledger_world.tianxin_organ.pk,
    }
