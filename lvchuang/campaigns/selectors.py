"""Reads of programs and campaigns that need more than a scoped queryset: the rules in plain Chinese, the
calendar with what is open today, and the quota usage at every level (seed 002: 35 = 3 + 10 + 22, split among
counties, and each county among its streets)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from lvchuang.accounts.access import jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.applications.models import ACTIVE_STATUSES, SELECTED_STATUSES, Application
from lvchuang.campaigns import windows
from lvchuang.campaigns.access import PREFIX_LENGTHS, can_run_campaign
from lvchuang.campaigns.models import Action, Campaign, DayKind, Program, QuotaAllocation, Stage
from lvchuang.organisations.models import Department, Unit
from lvchuang.regions.models import Region

# --- programs -----------------------------------------------------------------------------------------------


def program_list(programs: QuerySet[Program]) -> QuerySet[Program]:
    """Programs with everything their rules summary reads, in a fixed number of queries."""
    return programs.prefetch_related("exempt_programs").order_by("owner_id", "level", "code")


@dataclass(frozen=True)
class RuleLine:
    label: str
    text: str


def _list_labels(values: list[str], choices: type[Unit.Kind] | type[Unit.OrganType]) -> str:
    labels = dict(choices.choices)
    return "、".join(str(labels.get(value, value)) for value in values)


def rules_of(program: Program) -> list[RuleLine]:
    """Every rule of a program as one sentence (the calendar comes apart, as a table)."""
    exempt = [p.name for p in program.exempt_programs.all()]
    awards = "；".join(
        _("%(payer)s %(amount)s 元%(fund)s")
        % {
            "payer": award["payer"],
            "amount": f"{int(award['amount']):,}",
            "fund": f"（{award['fund']}）" if award.get("fund") else "",
        }
        for award in program.awards
    )
    day_kind = _("个工作日") if program.notice_day_kind == DayKind.WORKING else _("天（自然日）")
    lines = [
        RuleLine(
            _("适用单位"),
            _list_labels(program.unit_kinds, Unit.Kind) if program.unit_kinds else _("不限单位类别"),
        ),
    ]
    if program.organ_types:
        lines.append(RuleLine(_("机关类型"), _list_labels(program.organ_types, Unit.OrganType)))
    lines += [
        RuleLine(_("称号级别"), program.get_level_display()),
        RuleLine(_("评价标准"), program.standard.name),
        RuleLine(
            _("前置称号"),
            _("须先获得“%(title)s”称号") % {"title": program.prerequisite.name}
            if program.prerequisite
            else _("无"),
        ),
        RuleLine(
            _("越级申报"),
            _("允许：未获得前置称号的单位，经组委会同意后可以越级申报")
            if program.skip_level_allowed
            else _("不允许"),
        ),
        RuleLine(
            _("重复申报"),
            _("获得称号后 %(years)s 年内不得重复申报同一称号") % {"years": program.cooldown_years}
            if program.cooldown_years
            else _("不限"),
        ),
        RuleLine(
            _("有效期"),
            _("%(years)s 年，期满须复查") % {"years": program.validity_years}
            if program.validity_years
            else _("长期有效"),
        ),
        RuleLine(
            _("免于评价"),
            _("已获得“%(titles)s”称号的单位原则上不再评价验收") % {"titles": "”“".join(exempt)}
            if exempt
            else _("无"),
        ),
        RuleLine(
            _("年度名额"),
            _("%(n)s 个") % {"n": program.yearly_quota} if program.yearly_quota is not None else _("不限"),
        ),
        RuleLine(
            _("示范名额"),
            _("每年 %(n)s 个") % {"n": program.demonstration_quota}
            if program.demonstration_quota
            else _("无"),
        ),
        RuleLine(_("奖励"), _("每个示范单位：%(awards)s") % {"awards": awards} if awards else _("无")),
        RuleLine(_("公示期"), f"{program.notice_length} {day_kind}"),
        RuleLine(_("评分合成"), program.get_combination_rule_display()),
    ]
    return lines


def action_labels(actions: list[str]) -> list[str]:
    labels = dict(Action.choices)
    return [str(labels.get(action, action)) for action in actions]


@dataclass(frozen=True)
class TemplateStage:
    name: str
    start: str
    end: str
    actions: list[str]


def calendar_template(program: Program) -> list[TemplateStage]:
    return [
        TemplateStage(
            entry["name"], entry["start"], entry["end"], action_labels(list(entry.get("actions", [])))
        )
        for entry in program.calendar
    ]


# --- campaigns ----------------------------------------------------------------------------------------------


def campaign_list(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    return campaigns.prefetch_related("stages")


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    actions: list[str]
    is_current: bool


def calendar_of(campaign: Campaign, today: datetime.date) -> list[StageRow]:
    return [
        StageRow(stage, action_labels(stage.actions), stage.starts_on <= today <= stage.ends_on)
        for stage in campaign.stages.all()
    ]


def windows_today(
    campaign: Campaign, *, today: datetime.date, region_path: str = "", department_id: int | None = None
) -> list[windows.Window]:
    """Every action's window today, for the place the viewer acts for."""
    return [
        windows.window_for(
            campaign, action, region_path=region_path, department_id=department_id, today=today
        )
        for action in Action.values
    ]


def place_of(user: User | AnonymousUser) -> tuple[str, int | None]:
    """The region path (or sector department) a user acts for, to ask whether a window is open for them."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.all_paths:
        return jurisdiction.all_paths[0], None
    if jurisdiction.own_unit_ids:
        unit = Unit.objects.select_related("region").filter(pk__in=jurisdiction.own_unit_ids).first()
        if unit is not None:
            return unit.region.path, unit.sector_id
    if jurisdiction.sector_ids:
        return "", min(jurisdiction.sector_ids)
    return "", None


# --- quota usage ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UsageRow:
    """One region (or sector department) under the level shown: its share and how much of it is taken."""

    label: str
    region: Region | None
    department: Department | None
    allocation: QuotaAllocation | None
    in_progress: int
    shortlisted: int
    drillable: bool = False

    @property
    def allocated(self) -> int | None:
        return self.allocation.amount if self.allocation is not None else None

    @property
    def over(self) -> bool:
        return self.allocated is not None and self.shortlisted > self.allocated


@dataclass(frozen=True)
class QuotaUsage:
    campaign: Campaign
    region: Region  # the level shown
    limit: int | None  # what is split at this level: the campaign quota, or the region's own share
    in_progress: int
    shortlisted: int
    rows: list[UsageRow] = field(default_factory=list)
    trail: list[Region] = field(default_factory=list)  # from the campaign's region down to `region`

    @property
    def allocated(self) -> int:
        return sum(row.allocated or 0 for row in self.rows)

    @property
    def unallocated(self) -> int | None:
        return None if self.limit is None else self.limit - self.allocated


def _sees_path(user: User | AnonymousUser, campaign: Campaign, path: str) -> bool:
    jurisdiction = jurisdiction_of(user)
    if can_run_campaign(user, campaign):
        return True
    return any(path.startswith(p) or p.startswith(path) for p in jurisdiction.all_paths)


def sees_region(user: User | AnonymousUser, campaign: Campaign, region: Region) -> bool:
    return _sees_path(user, campaign, region.path)


def quota_usage(
    campaign: Campaign, *, region: Region | None = None, user: User | AnonymousUser | None = None
) -> QuotaUsage:
    """Allocated / in progress / shortlisted for each region one level below `region` (default: the campaign's
    own region) and, at the top, for each sector department. Territorial shares count the units without a
    sector authority (`QuotaAllocation.covers`). With `user`, rows of places the user may not see are left out."""
    root = campaign.office.region
    region = region or root
    allocations = list(campaign.allocations.select_related("region", "department"))
    by_path = {a.region.path: a for a in allocations if a.region is not None}
    applications = list(
        Application.objects.filter(
            campaign=campaign, status__in=[*ACTIVE_STATUSES, *SELECTED_STATUSES]
        ).values_list("unit__region__path", "unit__sector_id", "status")
    )
    children = list(Region.objects.filter(parent=region).order_by("code"))
    has_children = set(
        Region.objects.filter(parent__in=children).values_list("parent_id", flat=True).distinct()
    )

    def counts(match: Sequence[tuple[str, int | None, str]]) -> tuple[int, int]:
        tally = Counter(status for _path, _sector, status in match)
        return sum(tally[s] for s in ACTIVE_STATUSES), sum(tally[s] for s in SELECTED_STATUSES)

    rows: list[UsageRow] = []
    for child in children:
        if user is not None and not _sees_path(user, campaign, child.path):
            continue
        matched = [a for a in applications if a[1] is None and a[0].startswith(child.path)]
        in_progress, shortlisted = counts(matched)
        allocation = by_path.get(child.path)
        if allocation is None and not matched and child.pk not in has_children:
            continue  # a place with nothing to show and nothing below
        rows.append(
            UsageRow(child.name, child, None, allocation, in_progress, shortlisted, child.pk in has_children)
        )
    if region.pk == root.pk:
        sector_shares = {a.department_id: a for a in allocations if a.department_id is not None}
        sector_ids = sector_shares.keys() | {a[1] for a in applications if a[1] is not None}
        jurisdiction = jurisdiction_of(user) if user is not None else None
        for department in Department.objects.filter(pk__in=sector_ids).order_by("name"):
            if (
                user is not None
                and jurisdiction is not None
                and not can_run_campaign(user, campaign)
                and department.pk not in jurisdiction.sector_ids
            ):
                continue
            in_progress, shortlisted = counts([a for a in applications if a[1] == department.pk])
            rows.append(
                UsageRow(
                    department.name,
                    None,
                    department,
                    sector_shares.get(department.pk),
                    in_progress,
                    shortlisted,
                )
            )
        limit = campaign.quota
        inside = applications
    else:
        limit = by_path[region.path].amount if region.path in by_path else None
        inside = [a for a in applications if a[1] is None and a[0].startswith(region.path)]
    total_in_progress, total_shortlisted = counts(inside)
    levels = [
        region.path[:length] for length in PREFIX_LENGTHS if len(root.path) <= length <= len(region.path)
    ]
    trail = list(Region.objects.filter(path__in=levels).order_by("level"))
    return QuotaUsage(campaign, region, limit, total_in_progress, total_shortlisted, rows, trail)


def allocation_usage(allocations: list[QuotaAllocation]) -> dict[int, tuple[int, int]]:
    """(in progress, shortlisted) for each allocation, counted over the units it covers, in one query."""
    campaign_ids = {a.campaign_id for a in allocations}
    applications = list(
        Application.objects.filter(
            campaign_id__in=campaign_ids, status__in=[*ACTIVE_STATUSES, *SELECTED_STATUSES]
        ).values_list("campaign_id", "unit__region__path", "unit__sector_id", "status")
    )
    usage: dict[int, tuple[int, int]] = {}
    for allocation in allocations:
        path = allocation.region.path if allocation.region is not None else None
        covered = [
            row[3]
            for row in applications
            if row[0] == allocation.campaign_id
            and (
                row[2] == allocation.department_id
                if allocation.department_id is not None
                else row[2] is None and path is not None and row[1].startswith(path)
            )
        ]
        usage[allocation.pk] = (
            sum(1 for s in covered if s in ACTIVE_STATUSES),
            sum(1 for s in covered if s in SELECTED_STATUSES),
        )
    return usage


def campaign_detail_queryset(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    return campaigns.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("starts_on", "order", "pk")),
        "program__exempt_programs",
    ).select_related("program__standard", "program__prerequisite", "created_by")
