"""Writes to programs and campaigns: one function each, one transaction (STYLE habit 1)."""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvchuang.accounts.access import can_manage_organisations_in, jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.campaigns import program_access
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Action, Campaign, Program, QuotaAllocation, Stage, WindowOverride
from lvchuang.organisations.models import Department, Office
from lvchuang.regions.models import Region
from lvchuang.standards import access as standards_access
from lvchuang.standards.models import StandardVersion
from lvchuang.standards.services import lock_version


def latest_published_version(program: Program) -> StandardVersion | None:
    return (
        StandardVersion.objects.filter(standard=program.standard, status=StandardVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def stages_from_template(program: Program, year: int) -> list[dict[str, Any]]:
    """The program's calendar template as dated stages of `year`."""
    stages = []
    for order, entry in enumerate(program.calendar):
        start_month, start_day = (int(p) for p in entry["start"].split("-"))
        end_month, end_day = (int(p) for p in entry["end"].split("-"))
        stages.append(
            {
                "name": entry["name"],
                "starts_on": datetime.date(year, start_month, min(start_day, 28 if start_month == 2 else 31)),
                "ends_on": _last_valid(year, end_month, end_day),
                "actions": list(entry.get("actions", [])),
                "order": order,
            }
        )
    return stages


def _last_valid(year: int, month: int, day: int) -> datetime.date:
    while True:
        try:
            return datetime.date(year, month, day)
        except ValueError:
            day -= 1  # 02-29 in a common year


@transaction.atomic
def create_campaign(
    *,
    by: User,
    program: Program,
    year: int,
    office: Office,
    name: str = "",
    version: StandardVersion | None = None,
    quota: int | None = None,
) -> Campaign:
    """Open a campaign: copy the program's rules and calendar for the year, and lock the standard version it
    adopts so the rules cannot change under the applicants."""
    if not can_manage_organisations_in(by, office.region):
        raise PermissionDenied
    if not program.is_active:
        raise ValidationError(_("该创建项目已停用。"))
    version = version or latest_published_version(program)
    if version is None:
        raise ValidationError(_("“%(standard)s”没有已发布的版本。") % {"standard": program.standard})
    if version.standard_id != program.standard_id or version.status != StandardVersion.Status.PUBLISHED:
        raise ValidationError({"version": _("须选用该项目评价标准的已发布版本。")})
    if Campaign.objects.filter(program=program, year=year, office=office).exists():
        raise ValidationError(
            _("%(office)s %(year)s 年的“%(program)s”活动已存在。")
            % {
                "office": office,
                "year": year,
                "program": program.name,
            }
        )
    campaign = Campaign(
        program=program,
        year=year,
        office=office,
        name=name.strip() or _("%(year)s 年%(program)s创建") % {"year": year, "program": program.name},
        version=version,
        quota=quota if quota is not None else program.yearly_quota,
        demonstration_quota=program.demonstration_quota,
        combination_rule=program.combination_rule,
        reviewers_per_application=program.reviewers_per_application,
        reminder_days=program.reminder_days,
        created_by=by,
    )
    campaign.full_clean()
    campaign.save()
    for values in stages_from_template(program, year):
        stage = Stage(campaign=campaign, **values)
        stage.full_clean()
        stage.save()
    lock_version(by=by, version=version, reason=_("创建活动“%(name)s”采用") % {"name": campaign.name})
    return campaign


@transaction.atomic
def save_stage(
    *,
    by: User,
    campaign: Campaign,
    stage: Stage | None = None,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actions: list[str],
) -> Stage:
    """Add a stage or change one (dates, name, the actions it opens)."""
    if not can_run_campaign(by, campaign):
        raise PermissionDenied
    if stage is None:
        stage = Stage(campaign=campaign, order=campaign.stages.count())
    elif stage.campaign_id != campaign.pk:
        raise PermissionDenied
    stage.name, stage.starts_on, stage.ends_on, stage.actions = (
        name.strip(),
        starts_on,
        ends_on,
        list(actions),
    )
    stage.full_clean()
    stage.save()
    return stage


@transaction.atomic
def delete_stage(*, by: User, stage: Stage) -> None:
    if not can_run_campaign(by, stage.campaign):
        raise PermissionDenied
    stage.delete()


@transaction.atomic
def record_override(
    *,
    by: User,
    campaign: Campaign,
    action: str,
    until: datetime.date,
    reason: str,
    region: Region | None = None,
    department: Department | None = None,
) -> WindowOverride:
    """Open a closed action again (e.g. a district's late batch) until a date, for a region or a sector; the
    reason is required and the record stays with the campaign (and in the audit trail)."""
    if not can_run_campaign(by, campaign):
        raise PermissionDenied
    if action not in Action.values:
        raise ValidationError({"action": _("未知的操作。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明延期理由。")})
    if region is not None and not region.path.startswith(campaign.office.region.path):
        raise ValidationError({"region": _("延期地区须在本活动的范围内。")})
    override = WindowOverride(
        campaign=campaign,
        action=action,
        until=until,
        reason=reason.strip(),
        region=region,
        department=department,
        created_by=by,
    )
    override.full_clean()
    override.save()
    return override


def _nearest_above(path: str, paths: set[str]) -> str | None:
    above = [p for p in paths if p != path and path.startswith(p)]
    return max(above, key=len) if above else None


def _shares_total(
    rows: list[QuotaAllocation], *, parent_path: str | None, adding_path: str | None, excluding: int | None
) -> int:
    """What the shares directly under `parent_path` (None: the campaign itself) add up to, once an allocation
    to `adding_path` exists: shares below it then count against it, not against the parent."""
    paths = {a.region.path for a in rows if a.region is not None} | ({adding_path} if adding_path else set())
    total = 0
    for allocation in rows:
        if allocation.pk == excluding:
            continue
        nearest = None if allocation.region is None else _nearest_above(allocation.region.path, paths)
        if nearest == parent_path:
            total += allocation.amount
    return total


@transaction.atomic
def set_allocation(
    *,
    by: User,
    campaign: Campaign,
    amount: int,
    region: Region | None = None,
    department: Department | None = None,
    note: str = "",
) -> QuotaAllocation:
    """Give a subordinate region (or a sector department) a share of the quota (seed 002: 35 = 3 + 10 + 22,
    divided among counties). The issuing office splits the campaign's quota; a district may split its own share
    among its streets. The shares never add up to more than what is split."""
    if (region is None) == (department is None):
        raise ValidationError(_("请选择一个地区或一个主管部门。"))
    if amount < 0:
        raise ValidationError({"amount": _("名额不能为负数。")})
    existing = QuotaAllocation.objects.filter(campaign=campaign, region=region, department=department).first()
    rows = list(QuotaAllocation.objects.filter(campaign=campaign).select_related("region"))
    paths = {a.region.path for a in rows if a.region is not None}
    parent_path = _nearest_above(region.path, paths) if region is not None else None
    parent = next((a for a in rows if a.region is not None and a.region.path == parent_path), None)
    if region is not None and (
        not region.path.startswith(campaign.office.region.path) or region.path == campaign.office.region.path
    ):
        raise ValidationError({"region": _("名额只能分配给本活动范围内的下级地区。")})
    jurisdiction = jurisdiction_of(by)
    may_split_parent = parent is not None and any(
        parent_path is not None and parent_path.startswith(p) for p in jurisdiction.managed_paths
    )
    if not (can_run_campaign(by, campaign) or may_split_parent):
        raise PermissionDenied
    used = _shares_total(
        rows,
        parent_path=parent_path,
        adding_path=region.path if region is not None else None,
        excluding=existing.pk if existing else None,
    )
    limit = parent.amount if parent is not None else campaign.quota
    if limit is not None and used + amount > limit:
        raise ValidationError(
            {
                "amount": _("分配后合计 %(total)s 个，超过可分配的 %(limit)s 个。")
                % {"total": used + amount, "limit": limit}
            }
        )
    allocation = existing or QuotaAllocation(campaign=campaign, region=region, department=department)
    allocation.amount = amount
    allocation.note = note.strip()
    allocation.updated_by = by
    allocation.full_clean()
    allocation.save()
    return allocation


# --- programs: a shared library like the standards (read by every role, changed by the owning office) ----------


COPIED_PROGRAM_FIELDS = (
    "level",
    "standard",
    "unit_kinds",
    "organ_types",
    "prerequisite",
    "cooldown_years",
    "validity_years",
    "skip_level_allowed",
    "yearly_quota",
    "demonstration_quota",
    "awards",
    "notice_length",
    "notice_day_kind",
    "calendar",
    "combination_rule",
    "reviewers_per_application",
    "reminder_days",
    "source",
    "needs_confirmation",
    "is_active",
)
EDITABLE_PROGRAM_FIELDS = frozenset({"code", "name", *COPIED_PROGRAM_FIELDS, "exempt_programs"})


def _require_program_owner(by: User, office: Office) -> None:
    if not (standards_access.is_admin(by) or office.pk in standards_access.own_office_ids(by)):
        raise PermissionDenied(_("只能为您所在的创建办复制创建项目。"))


@transaction.atomic
def copy_program(*, by: User, program: Program, office: Office, code: str, name: str = "") -> Program:
    """A copy of `program` (any program, built-in or another office's) owned by `office`, which may then change
    it; the original stays as it is."""
    if not program_access.can_read_programs(by):
        raise PermissionDenied
    _require_program_owner(by, office)
    copy = Program(
        code=code.strip(),
        name=name.strip() or _("%(name)s（%(office)s）") % {"name": program.name, "office": office.name},
        owner=office,
        **{field: getattr(program, field) for field in COPIED_PROGRAM_FIELDS},
    )
    copy.full_clean()
    with set_actor(by):
        copy.save()
        copy.exempt_programs.set(program.exempt_programs.all())
    return copy


@transaction.atomic
def update_program(*, by: User, program: Program, changes: dict[str, Any]) -> Program:
    """Change an owned program's rules. Campaigns already opened keep the quota, calendar and standard version
    they copied; later campaigns take the new rules."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not program_access.can_change_program(by, program):
        raise PermissionDenied(_("只有维护该项目的创建办可以修改它；系统内置项目请先复制。"))
    unknown = sorted(set(changes) - EDITABLE_PROGRAM_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s。") % {"fields": "、".join(unknown)})
    changes = dict(changes)
    exempt = changes.pop("exempt_programs", None)
    for field, value in changes.items():
        setattr(program, field, value)
    if program.prerequisite_id is not None and program.prerequisite_id == program.pk:
        raise ValidationError({"prerequisite": _("前置称号不能是该项目本身。")})
    if exempt is not None and any(other.pk == program.pk for other in exempt):
        raise ValidationError({"exempt_programs": _("免于评价的称号不能是该项目本身。")})
    program.full_clean()
    with set_actor(by):
        program.save()
        if exempt is not None:
            program.exempt_programs.set(exempt)
    return program
