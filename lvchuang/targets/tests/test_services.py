"""Writes of coverage targets: presets, rules, milestones, permissions, audit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.audit.models import AuditEntry
from lvchuang.organisations.models import Unit
from lvchuang.targets import services
from lvchuang.targets.models import CoverageTarget
from lvchuang.targets.services import MilestoneInput, Preset

D = datetime.date


def test_every_preset_names_programs_the_system_has(db):
    from lvchuang.campaigns.models import Program

    codes = set(Program.objects.values_list("code", flat=True))
    for preset in services.presets().values():
        assert set(preset.programs) <= codes, preset.code
        assert preset.milestones_from(2024), preset.code


def test_a_preset_dates_its_relative_milestones_from_the_starting_year():
    preset = services.presets()["seed003-city-county-organs"]
    assert preset.milestones_from(2026) == [
        MilestoneInput(D(2027, 10, 31), share=Decimal(40)),
        MilestoneInput(D(2028, 10, 31), share=Decimal(70)),
    ]
    assert services.presets()["seed004-green-communities"].milestones_from(2020)[0] == MilestoneInput(
        D(2021, 12, 31), count=2
    )


def test_it_reports_the_programs_of_a_preset_the_system_lacks(world, monkeypatch):
    lacking = Preset(
        code="lacking",
        name="缺称号的预设",
        programs=("green-community", "no-such-program"),
        unit_kind="community",
        milestones=({"on": "2030-12-31", "share": 50},),
    )
    monkeypatch.setattr(services, "presets", lambda: {"lacking": lacking})
    with pytest.raises(ValidationError) as raised:
        services.create_target_from_preset(
            by=world.user("city"), office=world.city_office, preset="lacking", starts_on=D(2026, 1, 1)
        )
    assert "no-such-program" in str(raised.value)
    assert not CoverageTarget.objects.exists()


def test_it_refuses_an_unknown_preset(world):
    with pytest.raises(ValidationError, match="没有代码"):
        services.create_target_from_preset(
            by=world.user("city"), office=world.city_office, preset="nope", starts_on=D(2026, 1, 1)
        )


def test_it_refuses_milestones_before_the_start_and_twice_on_one_date(world, programs):
    with pytest.raises(ValidationError) as raised:
        services.create_target(
            by=world.user("city"),
            office=world.city_office,
            name="长沙市绿色社区",
            programs=[programs.green_community],
            unit_kind=Unit.Kind.COMMUNITY,
            starts_on=D(2022, 1, 1),
            milestones=[
                MilestoneInput(D(2021, 12, 31), share=Decimal(30)),
                MilestoneInput(D(2023, 12, 31), share=Decimal(60)),
                MilestoneInput(D(2023, 12, 31), count=5),
            ],
        )
    text = " ".join(raised.value.messages)
    assert "须晚于起算日期" in text
    assert "同一截止日期只能有一个阶段目标" in text


def test_organ_levels_apply_only_to_organs(world, programs):
    with pytest.raises(ValidationError, match="只有党政机关"):
        services.create_target(
            by=world.user("city"),
            office=world.city_office,
            name="长沙市绿色社区",
            programs=[programs.green_community],
            unit_kind=Unit.Kind.COMMUNITY,
            organ_levels=["county"],
            starts_on=D(2022, 1, 1),
        )


def test_a_sibling_district_cannot_set_a_target_for_its_neighbour(world, programs):
    with pytest.raises(PermissionDenied):
        services.create_target(
            by=world.user("tianxin"),
            office=world.furong_office,
            name="芙蓉区绿色社区",
            programs=[programs.green_community],
            unit_kind=Unit.Kind.COMMUNITY,
            starts_on=D(2022, 1, 1),
        )


def test_the_city_may_set_a_target_for_a_district_office(world, programs):
    target = services.create_target(
        by=world.user("city"),
        office=world.furong_office,
        name="芙蓉区绿色社区",
        programs=[programs.green_community],
        unit_kind=Unit.Kind.COMMUNITY,
        starts_on=D(2022, 1, 1),
    )
    assert target.office == world.furong_office


@pytest.fixture
def target(world, programs):
    return services.create_target(
        by=world.user("city"),
        office=world.city_office,
        name="长沙市绿色社区",
        programs=[programs.green_community],
        unit_kind=Unit.Kind.COMMUNITY,
        starts_on=D(2021, 1, 1),
        milestones=[MilestoneInput(D(2022, 12, 31), share=Decimal(60))],
    )


def test_setting_milestones_replaces_the_set_and_is_audited(world, target):
    saved = services.set_milestones(
        by=world.user("city"),
        target=target,
        milestones=[
            MilestoneInput(D(2021, 12, 31), count=2),
            MilestoneInput(D(2022, 12, 31), share=Decimal(60)),
        ],
    )
    assert [(m.due_on, m.count, m.share) for m in saved] == [
        (D(2021, 12, 31), 2, None),
        (D(2022, 12, 31), None, 60),
    ]
    entries = AuditEntry.objects.filter(content_type__model="milestone")
    assert entries.filter(action=AuditEntry.Action.DELETE).count() == 1
    assert entries.filter(actor=world.user("city")).count() == entries.count()


def test_a_new_start_date_must_precede_the_milestones(world, target):
    with pytest.raises(ValidationError, match="须晚于起算日期"):
        services.update_target(by=world.user("city"), target=target, changes={"starts_on": D(2023, 1, 1)})
    target.refresh_from_db()
    assert target.starts_on == D(2021, 1, 1)


def test_a_district_cannot_change_the_citys_target(world, target):
    with pytest.raises(PermissionDenied):
        services.update_target(by=world.user("furong"), target=target, changes={"name": "改名"})
    with pytest.raises(PermissionDenied):
        services.set_milestones(by=world.user("furong"), target=target, milestones=[])
    with pytest.raises(PermissionDenied):
        services.deactivate_target(by=world.user("leader"), target=target)


def test_it_refuses_fields_that_are_not_the_rule(world, target):
    with pytest.raises(ValidationError, match="不能修改的字段"):
        services.update_target(by=world.user("city"), target=target, changes={"office": world.furong_office})


def test_deactivating_and_reactivating(world, target):
    assert services.deactivate_target(by=world.user("province"), target=target).is_active is False
    assert services.reactivate_target(by=world.user("city"), target=target).is_active is True
