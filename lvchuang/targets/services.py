"""Every write of coverage targets: one function, one transaction, keyword-only with `by` (STYLE habit 1).

A target is set by an office for its own region (or by an office above, on its behalf) and changed by that office
and the offices above it (`access.can_change_target`). Offices start from the seeds' targets in
`defaults/presets.yaml` or from a blank form; the milestones are replaced as a set.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvchuang.accounts.access import can_manage_organisations_in
from lvchuang.accounts.models import User
from lvchuang.campaigns.models import Program
from lvchuang.lib.periods import month_day
from lvchuang.organisations.models import Office, Unit
from lvchuang.targets.access import can_change_target
from lvchuang.targets.models import CoverageTarget, Milestone

PRESETS_PATH = Path(__file__).resolve().parent / "defaults" / "presets.yaml"
CHANGEABLE_FIELDS = (
    "name",
    "programs",
    "unit_kind",
    "organ_levels",
    "starts_on",
    "source",
    "needs_confirmation",
)


# --- presets ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneInput:
    due_on: datetime.date
    share: Decimal | None = None
    count: int | None = None


@dataclass(frozen=True)
class Preset:
    code: str
    name: str
    programs: tuple[str, ...]
    unit_kind: str
    organ_levels: tuple[str, ...] = ()
    source: str = ""
    needs_confirmation: bool = False
    milestones: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)

    def milestones_from(self, year: int) -> list[MilestoneInput]:
        """The preset's milestones for a target set in `year`: absolute dates (`on`) as written, relative ones
        (`years_after` + `month_day`) counted from that year."""
        result = []
        for entry in self.milestones:
            # YAML 1.1 reads a bare `on` key as the boolean true, so the key is looked up both ways.
            on = entry.get("on", entry.get(True))  # type: ignore[call-overload]
            if on is not None:
                due_on = on if isinstance(on, datetime.date) else datetime.date.fromisoformat(str(on))
            else:
                due_on = month_day(year + int(entry["years_after"]), str(entry["month_day"]))
            share = entry.get("share")
            count = entry.get("count")
            result.append(
                MilestoneInput(
                    due_on=due_on,
                    share=None if share is None else Decimal(str(share)),
                    count=None if count is None else int(count),
                )
            )
        return result


@functools.cache
def presets() -> dict[str, Preset]:
    """The presets of `defaults/presets.yaml`, by code."""
    data = yaml.safe_load(PRESETS_PATH.read_text(encoding="utf-8"))
    return {
        entry["code"]: Preset(
            code=entry["code"],
            name=entry["name"],
            programs=tuple(entry["programs"]),
            unit_kind=entry["unit_kind"],
            organ_levels=tuple(entry.get("organ_levels", ())),
            source=entry.get("source", ""),
            needs_confirmation=bool(entry.get("needs_confirmation", False)),
            milestones=tuple(entry.get("milestones", ())),
        )
        for entry in data["presets"]
    }


# --- checks -------------------------------------------------------------------------------------------------


def _require_changes(by: User, target: CoverageTarget) -> None:
    if not can_change_target(by, target):
        raise PermissionDenied(_("只有制定该目标的创建办及其上级可以修改它。"))


def _require_office(by: User, office: Office) -> None:
    if not can_manage_organisations_in(by, office.region):
        raise PermissionDenied(_("您不在该创建办工作，也不是它的上级，不能以它的名义制定目标。"))


def _check_rule(*, unit_kind: str, organ_levels: Sequence[str], programs: Sequence[Program]) -> None:
    errors: dict[str, list[str]] = {}
    if unit_kind not in Unit.Kind.values:
        errors["unit_kind"] = [_("请选择单位类别。")]
    unknown = [level for level in organ_levels if level not in Unit.OrganLevel.values]
    if unknown:
        errors["organ_levels"] = [_("未知的机关层级：%(levels)s") % {"levels": "、".join(unknown)}]
    elif organ_levels and unit_kind != Unit.Kind.ORGAN:
        errors["organ_levels"] = [_("只有党政机关才按机关层级统计，请清空机关层级或将单位类别改为党政机关。")]
    if not programs:
        errors["programs"] = [_("请至少选择一个计入的称号。")]
    else:
        unsuited = [p.name for p in programs if p.unit_kinds and unit_kind not in p.unit_kinds]
        if unsuited:
            errors["programs"] = [
                _("称号“%(names)s”不授予该类单位，不能计入。") % {"names": "”“".join(unsuited)}
            ]
    if errors:
        raise ValidationError(errors)


def _check_milestones(starts_on: datetime.date, milestones: Sequence[MilestoneInput]) -> None:
    problems: list[str] = []
    seen: set[datetime.date] = set()
    for number, step in enumerate(sorted(milestones, key=lambda m: m.due_on), start=1):
        where = _("第 %(n)s 个阶段目标（%(date)s）") % {"n": number, "date": step.due_on.isoformat()}
        if step.due_on in seen:
            problems.append(_("%(where)s：同一截止日期只能有一个阶段目标。") % {"where": where})
        seen.add(step.due_on)
        if step.share is None and step.count is None:
            problems.append(_("%(where)s：请填写目标覆盖率或目标数量。") % {"where": where})
        if step.share is not None and not Decimal(0) <= step.share <= Decimal(100):
            problems.append(_("%(where)s：覆盖率须在 0 到 100 之间。") % {"where": where})
        if step.count is not None and step.count < 0:
            problems.append(_("%(where)s：数量不能为负数。") % {"where": where})
        if step.due_on <= starts_on:
            problems.append(
                _("%(where)s：截止日期须晚于起算日期 %(start)s。") % {"where": where, "start": starts_on}
            )
    ordered = sorted(milestones, key=lambda m: m.due_on)
    for attribute, label in (("share", _("覆盖率")), ("count", _("数量"))):
        figures = [(m.due_on, getattr(m, attribute)) for m in ordered if getattr(m, attribute) is not None]
        for (earlier_on, earlier), (later_on, later) in itertools.pairwise(figures):
            if later < earlier:
                problems.append(
                    _("%(later)s 的目标%(label)s低于 %(earlier)s 的，后一阶段不能要求更少。")
                    % {"later": later_on, "earlier": earlier_on, "label": label}
                )
    if problems:
        raise ValidationError({"milestones": problems})


def _save_milestones(target: CoverageTarget, milestones: Sequence[MilestoneInput]) -> None:
    target.milestones.all().delete()
    for step in sorted(milestones, key=lambda m: m.due_on):
        milestone = Milestone(target=target, due_on=step.due_on, share=step.share, count=step.count)
        milestone.full_clean()
        milestone.save()


def parse_share(text: str) -> Decimal | None:
    """A share typed as "60", "60%" or "60.5"; blank is None. ValueError for anything else."""
    cleaned = text.strip().rstrip("%％").strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


# --- writes -------------------------------------------------------------------------------------------------


@transaction.atomic
def create_target(
    *,
    by: User,
    office: Office,
    name: str,
    programs: Sequence[Program],
    unit_kind: str,
    starts_on: datetime.date,
    organ_levels: Sequence[str] = (),
    milestones: Sequence[MilestoneInput] = (),
    source: str = "",
    needs_confirmation: bool = False,
) -> CoverageTarget:
    """Set a target for the office's region; milestones may follow (`set_milestones`)."""
    _require_office(by, office)
    _check_rule(unit_kind=unit_kind, organ_levels=organ_levels, programs=programs)
    _check_milestones(starts_on, milestones)
    target = CoverageTarget(
        office=office,
        name=name.strip(),
        unit_kind=unit_kind,
        organ_levels=list(organ_levels),
        starts_on=starts_on,
        source=source.strip(),
        needs_confirmation=needs_confirmation,
        created_by=by,
    )
    if not target.name:
        raise ValidationError({"name": _("请填写目标名称，如“城市社区绿色社区覆盖率”。")})
    target.full_clean()
    with set_actor(by):
        target.save()
        target.programs.set(programs)
        _save_milestones(target, milestones)
    return target


def create_target_from_preset(
    *, by: User, office: Office, preset: str, starts_on: datetime.date, name: str = ""
) -> CoverageTarget:
    """A target copied from a preset of `defaults/presets.yaml`, its relative dates counted from the year of
    `starts_on`. A program the preset names but the system lacks is reported, not skipped."""
    chosen = presets().get(preset)
    if chosen is None:
        raise ValidationError({"preset": _("没有代码为“%(code)s”的预设目标。") % {"code": preset}})
    found = {p.code: p for p in Program.objects.filter(code__in=chosen.programs, is_active=True)}
    missing = [code for code in chosen.programs if code not in found]
    if missing:
        raise ValidationError(
            {
                "preset": _(
                    "预设“%(name)s”计入的称号在本系统中不存在或已停用：%(codes)s。请先建立这些称号，或空白新建。"
                )
                % {"name": chosen.name, "codes": "、".join(missing)}
            }
        )
    return create_target(
        by=by,
        office=office,
        name=name.strip() or chosen.name,
        programs=[found[code] for code in chosen.programs],
        unit_kind=chosen.unit_kind,
        organ_levels=chosen.organ_levels,
        starts_on=starts_on,
        milestones=chosen.milestones_from(starts_on.year),
        source=chosen.source,
        needs_confirmation=chosen.needs_confirmation,
    )


@transaction.atomic
def update_target(*, by: User, target: CoverageTarget, changes: Mapping[str, Any]) -> CoverageTarget:
    """Change the rule of a target (`CHANGEABLE_FIELDS`); its milestones are checked against a new start date."""
    target = CoverageTarget.objects.select_for_update().select_related("office__region").get(pk=target.pk)
    _require_changes(by, target)
    unknown = set(changes) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    programs = list(changes["programs"]) if "programs" in changes else list(target.programs.all())
    for name, value in changes.items():
        if name == "programs":
            continue
        setattr(
            target, name, value.strip() if isinstance(value, str) and name in ("name", "source") else value
        )
    target.organ_levels = list(target.organ_levels)
    if not target.name:
        raise ValidationError({"name": _("请填写目标名称。")})
    _check_rule(unit_kind=target.unit_kind, organ_levels=target.organ_levels, programs=programs)
    if "starts_on" in changes:
        current = [MilestoneInput(m.due_on, m.share, m.count) for m in target.milestones.all()]
        _check_milestones(target.starts_on, current)
    target.full_clean()
    with set_actor(by):
        target.save()
        if "programs" in changes:
            target.programs.set(programs)
    return target


@transaction.atomic
def set_milestones(
    *, by: User, target: CoverageTarget, milestones: Sequence[MilestoneInput]
) -> list[Milestone]:
    """Replace the target's milestones with `milestones` (an empty list leaves the target without any)."""
    target = CoverageTarget.objects.select_for_update().select_related("office__region").get(pk=target.pk)
    _require_changes(by, target)
    _check_milestones(target.starts_on, milestones)
    with set_actor(by):
        _save_milestones(target, milestones)
    return list(target.milestones.all())


@transaction.atomic
def set_active(*, by: User, target: CoverageTarget, active: bool) -> CoverageTarget:
    target = CoverageTarget.objects.select_for_update().select_related("office__region").get(pk=target.pk)
    _require_changes(by, target)
    if target.is_active != active:
        target.is_active = active
        with set_actor(by):
            target.save(update_fields=["is_active", "updated_at"])
    return target


def deactivate_target(*, by: User, target: CoverageTarget) -> CoverageTarget:
    """Stop following a target (it leaves the home page and the list's default view; its history stays)."""
    return set_active(by=by, target=target, active=False)


def reactivate_target(*, by: User, target: CoverageTarget) -> CoverageTarget:
    return set_active(by=by, target=target, active=True)
