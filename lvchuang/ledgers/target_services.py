"""Every write of annual targets and of the coefficient tables: one function, one transaction, keyword-only with
`by` (STYLE habit 1), audited through django-auditlog.

An annual target is set by an office for its own region (or by an office above, on its behalf) and changed or
deleted by that office and the offices above (`target_access`). Offices start from the presets of
`defaults/targets.yaml` (the 十四五 plan) or from a blank form. The coefficient tables are the system
administrator's; a row is added or corrected, never deleted (a coefficient that changes gets a newer row).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.ledgers.indicators import INDICATORS
from lvchuang.ledgers.models import (
    AnnualTarget,
    ConversionFactor,
    Density,
    EmissionFactor,
    GridAssignment,
    ReferenceRecord,
)
from lvchuang.ledgers.target_access import (
    can_change_annual_target,
    can_change_reference_tables,
    target_offices,
)
from lvchuang.organisations.models import Office, Unit

PRESETS_PATH = Path(__file__).resolve().parent / "defaults" / "targets.yaml"
CHANGE_FIELDS = tuple(info.target_field for info in INDICATORS)
TARGET_FIELDS = ("year", "baseline_year", "institution_types", *CHANGE_FIELDS, "source")


# --- presets ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetPreset:
    code: str
    name: str
    year: int
    baseline_year: int
    changes: Mapping[str, Decimal | None] = field(default_factory=dict)
    institution_types: tuple[str, ...] = ()
    source: str = ""

    def describe(self) -> str:
        """E.g. "2025 年较 2020 年：单位建筑面积能耗 -5%，…"."""
        parts = [
            f"{info.label} {self.changes[info.target_field]}%"
            for info in INDICATORS
            if self.changes.get(info.target_field) is not None
        ]
        return _("%(year)s 年较 %(baseline)s 年：%(changes)s") % {
            "year": self.year,
            "baseline": self.baseline_year,
            "changes": "，".join(parts),
        }


@functools.cache
def presets() -> dict[str, TargetPreset]:
    """The presets of `defaults/targets.yaml`, by code."""
    data = yaml.safe_load(PRESETS_PATH.read_text(encoding="utf-8"))
    result = {}
    for entry in data["presets"]:
        changes = {
            name: None if entry.get(name) is None else Decimal(str(entry[name])) for name in CHANGE_FIELDS
        }
        result[entry["code"]] = TargetPreset(
            code=entry["code"],
            name=entry["name"],
            year=int(entry["year"]),
            baseline_year=int(entry["baseline_year"]),
            changes=changes,
            institution_types=tuple(str(code) for code in entry.get("institution_types") or ()),
            source=entry.get("source", ""),
        )
    return result


# --- annual targets -------------------------------------------------------------------------------------------


def _require_office(by: User, office: Office) -> None:
    if not target_offices(by).filter(pk=office.pk).exists():
        raise PermissionDenied(_("您不在该创建办工作，也不是它的上级，不能以它的名义下达指标。"))


def _require_change(by: User, target: AnnualTarget) -> None:
    if not can_change_annual_target(by, target):
        raise PermissionDenied(_("只有下达该指标的创建办及其上级可以修改或删除它。"))


def _check_target(target: AnnualTarget) -> None:
    errors: dict[str, list[str]] = {}
    if target.year is not None and target.baseline_year is not None and target.baseline_year >= target.year:
        errors["baseline_year"] = [_("基准年度须早于考核年度。")]
    if all(getattr(target, name) is None for name in CHANGE_FIELDS):
        errors["__all__"] = [_("请至少填写一项指标的变化幅度。")]
    for name in CHANGE_FIELDS:
        value = getattr(target, name)
        if value is not None and value <= -100:
            errors[name] = [_("降幅须小于 100%。")]
    if not isinstance(target.institution_types, list):
        errors["institution_types"] = [_("单位类型应为类型代码的列表。")]
    else:
        unknown = [code for code in target.institution_types if code not in Unit.InstitutionType.values]
        if unknown:
            errors["institution_types"] = [
                _("未知的单位类型代码：%(codes)s") % {"codes": "、".join(map(str, unknown))}
            ]
    duplicate = AnnualTarget.objects.filter(
        region_id=target.region_id, year=target.year, baseline_year=target.baseline_year
    ).exclude(pk=target.pk)
    if duplicate.exists():
        errors["year"] = [
            _("本地区已有 %(year)s 年（较 %(baseline)s 年）的指标，请修改它。")
            % {"year": target.year, "baseline": target.baseline_year}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_annual_target(
    *,
    by: User,
    office: Office,
    year: int,
    baseline_year: int,
    area_energy_change: Decimal | None = None,
    per_capita_energy_change: Decimal | None = None,
    per_capita_water_change: Decimal | None = None,
    co2_per_area_change: Decimal | None = None,
    institution_types: Sequence[str] = (),
    source: str = "",
) -> AnnualTarget:
    """Set the office's target for the public institutions of its region in `year`, versus `baseline_year`
    (changes in percent; a blank one is not targeted)."""
    _require_office(by, office)
    target = AnnualTarget(
        office=office,
        region=office.region,
        year=year,
        baseline_year=baseline_year,
        institution_types=sorted(set(institution_types)),
        area_energy_change=area_energy_change,
        per_capita_energy_change=per_capita_energy_change,
        per_capita_water_change=per_capita_water_change,
        co2_per_area_change=co2_per_area_change,
        source=source.strip(),
        created_by=by,
    )
    _check_target(target)
    target.full_clean()
    with set_actor(by):
        target.save()
    return target


def create_annual_target_from_preset(*, by: User, office: Office, preset: str) -> AnnualTarget:
    """A target copied from a preset of `defaults/targets.yaml` (e.g. the 十四五 plan)."""
    chosen = presets().get(preset)
    if chosen is None:
        raise ValidationError({"preset": _("没有代码为“%(code)s”的预设指标。") % {"code": preset}})
    return create_annual_target(
        by=by,
        office=office,
        year=chosen.year,
        baseline_year=chosen.baseline_year,
        institution_types=chosen.institution_types,
        source=chosen.source,
        **chosen.changes,
    )


@transaction.atomic
def update_annual_target(*, by: User, target: AnnualTarget, changes: Mapping[str, Any]) -> AnnualTarget:
    """Change the years, types, changes or source of a target (`TARGET_FIELDS`)."""
    target = AnnualTarget.objects.select_for_update().select_related("region", "office").get(pk=target.pk)
    _require_change(by, target)
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    for name, value in changes.items():
        if name == "source":
            value = (value or "").strip()
        elif name == "institution_types":
            value = sorted(set(value or ()))
        setattr(target, name, value)
    _check_target(target)
    target.full_clean()
    with set_actor(by):
        target.save()
    return target


@transaction.atomic
def delete_annual_target(*, by: User, target: AnnualTarget) -> None:
    target = AnnualTarget.objects.select_for_update().select_related("region").get(pk=target.pk)
    _require_change(by, target)
    with set_actor(by):
        target.delete()


# --- coefficient tables -----------------------------------------------------------------------------------------

REFERENCE_TABLES: dict[str, type[ReferenceRecord]] = {
    "factor": ConversionFactor,
    "density": Density,
    "grid": GridAssignment,
    "emission": EmissionFactor,
}
_COMMON = ("source", "needs_confirmation", "note")
REFERENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "factor": ("carrier", "basis", "kgce_per_unit", "valid_from", *_COMMON),
    "density": ("carrier", "kg_per_litre", "valid_from", *_COMMON),
    "grid": ("province_code", "grid", *_COMMON),
    "emission": ("carrier", "year", "grid", "kgco2_per_unit", *_COMMON),
}


@transaction.atomic
def save_reference_row(
    *, by: User, table: str, values: Mapping[str, Any], row: ReferenceRecord | None = None
) -> ReferenceRecord:
    """Add a row to a coefficient table (`row` None) or correct one; the system administrator only."""
    if not can_change_reference_tables(by):
        raise PermissionDenied(_("只有系统管理员可以修改折算系数。"))
    model = REFERENCE_TABLES.get(table)
    if model is None:
        raise ValidationError(_("未知的系数表：%(table)s") % {"table": table})
    if row is not None and not isinstance(row, model):
        raise ValidationError(_("该行不属于此系数表。"))
    unknown = set(values) - set(REFERENCE_FIELDS[table])
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    row = model() if row is None else model._default_manager.select_for_update().get(pk=row.pk)
    for name, value in values.items():
        setattr(row, name, value.strip() if isinstance(value, str) and name in _COMMON else value)
    if not row.source:
        raise ValidationError({"source": _("请写明系数的依据（标准、文件或公布机构）。")})
    _check_unique(row)
    row.full_clean()
    with set_actor(by):
        row.save()
    return row


def _check_unique(row: models.Model) -> None:
    """The tables' natural keys, checked before the database so the message is in Chinese."""
    for constraint in row._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            lookup = {name: getattr(row, name) for name in constraint.fields}
            if type(row)._default_manager.filter(**lookup).exclude(pk=row.pk).exists():
                raise ValidationError(_("同一品种、口径和日期（或年份、电网）的系数已有一行，请修改那一行。"))
    if (
        isinstance(row, GridAssignment)
        and GridAssignment.objects.filter(province_code=row.province_code).exclude(pk=row.pk).exists()
    ):
        raise ValidationError({"province_code": _("该省级区划已划入一个电网，请修改那一行。")})
