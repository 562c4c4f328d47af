"""Programs and campaigns (创建项目 / 创建活动): the rules of a title and its yearly calendar, all as data.

A program holds what the seeds fix for a title — eligible unit kinds, title level, standard, the prerequisite
title (seed 000: a city title needs the district title), cooldown (3 years, seed 000), validity (5 years, seed 002),
skip-level consent (seed 002), exemptions (seed 003), quota, demonstration count and awards (seed 000), the public
notice length, and a calendar template. A campaign is one program in one year run by one issuing office; its
stages are dated copies of the template, and each stage opens a set of actions. An office may open a closed action
for a region with an override, which records its reason.
"""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.organisations.models import Department, Office, Unit
from lvchuang.regions.models import Region
from lvchuang.standards.models import Standard, StandardVersion


class Action(models.TextChoices):
    """What a stage opens. The workflow asks whether an action is open before each guarded transition."""

    SUBMIT = "submit", _("单位提交申报")
    RECOMMEND = "recommend", _("街道推荐")
    APPROVE = "approve", _("区县（主管部门）审核")
    BATCH = "batch", _("报送申报表")
    PUBLISH_GOALS = "publish_goals", _("公布创建目标")
    CHECK = "check", _("初审")
    REVIEW = "review", _("评审")
    SHORTLIST = "shortlist", _("排名入围")


class TitleLevel(models.TextChoices):
    DISTRICT = "district", _("区县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")


class DayKind(models.TextChoices):
    WORKING = "working", _("工作日")
    CALENDAR = "calendar", _("自然日")


class CombinationRule(models.TextChoices):
    """How reviews become the final score."""

    ONSITE_REPLACES = "onsite_replaces", _("现场评审平均分取代自评分（无现场评审时取书面评审平均分）")
    PANEL_AVERAGE = "panel_average", _("全部评审专家评分的平均分")


def _validate_kinds(value: Any) -> None:
    if not isinstance(value, list) or any(kind not in Unit.Kind.values for kind in value):
        raise ValidationError(_("适用单位类别须为单位类别代码的列表。"))


def _validate_organ_types(value: Any) -> None:
    if not isinstance(value, list) or any(kind not in Unit.OrganType.values for kind in value):
        raise ValidationError(_("适用机关类型须为机关类型代码的列表。"))


def _month_day(text: Any) -> tuple[int, int]:
    month, day = (int(part) for part in str(text).split("-"))
    datetime.date(2024, month, day)  # a leap year accepts 02-29; anything impossible raises
    return month, day


def _validate_calendar(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("日程模板须为阶段列表。"))
    for number, stage in enumerate(value, start=1):
        try:
            if not stage["name"]:
                raise ValueError
            start, end = _month_day(stage["start"]), _month_day(stage["end"])
            actions = stage.get("actions", [])
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                _("日程模板第 %(n)s 个阶段须有名称、开始（MM-DD）和结束（MM-DD）。"), params={"n": number}
            ) from None
        if end < start:
            raise ValidationError(_("日程模板第 %(n)s 个阶段结束早于开始。"), params={"n": number})
        if not isinstance(actions, list) or any(a not in Action.values for a in actions):
            raise ValidationError(_("日程模板第 %(n)s 个阶段含未知的操作。"), params={"n": number})


def _validate_awards(value: Any) -> None:
    if not isinstance(value, list) or any(
        not isinstance(award, dict) or not award.get("payer") or not str(award.get("amount", "")).isdigit()
        for award in value
    ):
        raise ValidationError(_("奖励须为列表，每项含出资单位（payer）和金额（amount，元）。"))


class Program(models.Model):
    """A title type and its rules (称号及申报规则), editable by its owning office; built-ins have no owner."""

    code = models.SlugField(_("项目代码"), max_length=60, unique=True)
    name = models.CharField(_("称号名称"), max_length=120, help_text=_("如：市级节能环保社区"))
    level = models.CharField(_("称号级别"), max_length=10, choices=TitleLevel.choices)
    standard = models.ForeignKey(
        Standard, verbose_name=_("评价标准"), on_delete=models.PROTECT, related_name="programs"
    )
    unit_kinds = models.JSONField(
        _("适用单位类别"),
        default=list,
        blank=True,
        validators=[_validate_kinds],
        help_text=_("为空表示不限。"),
    )
    organ_types = models.JSONField(
        _("适用机关类型"),
        default=list,
        blank=True,
        validators=[_validate_organ_types],
        help_text=_("仅对党政机关适用；为空表示不限（节约型机关的范围见陕西方案）。"),
    )
    prerequisite = models.ForeignKey(
        "self",
        verbose_name=_("须先获得的称号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("如：申报市级称号须先获得区级称号。"),
    )
    cooldown_years = models.PositiveSmallIntegerField(
        _("重复申报间隔（年）"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(20)],
        help_text=_("获得称号后多少年内不得重复申报同一称号；为空表示不限。"),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("称号有效期（年）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("为空表示长期有效。"),
    )
    skip_level_allowed = models.BooleanField(
        _("允许越级申报"), default=False, help_text=_("经组委会同意，未获得前置称号的单位可以越级申报。")
    )
    exempt_programs = models.ManyToManyField(
        "self",
        verbose_name=_("免于评价的称号"),
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text=_("已获得这些称号的单位原则上不再进行评价验收。"),
    )
    yearly_quota = models.PositiveIntegerField(_("年度名额"), null=True, blank=True)
    demonstration_quota = models.PositiveIntegerField(
        _("示范名额"), default=0, help_text=_("每年从排名前列中推荐的示范单位数。")
    )
    awards = models.JSONField(
        _("奖励"),
        default=list,
        blank=True,
        validators=[_validate_awards],
        help_text=_('每个示范单位的奖励，例如 [{"payer": "市环保局", "amount": 10000}]。'),
    )
    notice_length = models.PositiveSmallIntegerField(
        _("公示期长度"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    notice_day_kind = models.CharField(
        _("公示期计算方式"), max_length=10, choices=DayKind.choices, default=DayKind.WORKING
    )
    rectification_months = models.PositiveSmallIntegerField(
        _("整改期限（月）"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("复核不合格后限期整改的月数（陕西方案：一个月）。"),
    )
    filing_months = models.PositiveSmallIntegerField(
        _("备案期限（月）"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("命名后向上级创建办报送名单和材料的月数（咸阳方案：一个月内）。"),
    )
    calendar = models.JSONField(
        _("日程模板"),
        default=list,
        blank=True,
        validators=[_validate_calendar],
        help_text=_("每个阶段：名称、开始（MM-DD）、结束（MM-DD）及开放的操作。"),
    )
    combination_rule = models.CharField(
        _("评分合成规则"),
        max_length=20,
        choices=CombinationRule.choices,
        default=CombinationRule.ONSITE_REPLACES,
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("每份申报评审专家数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("截止前提醒天数"), default=7, validators=[MaxValueValidator(60)]
    )
    source = models.CharField(_("依据文件"), max_length=300, blank=True)
    needs_confirmation = models.BooleanField(_("待确认"), default=False)
    owner = models.ForeignKey(
        Office,
        verbose_name=_("维护单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示系统内置的默认项目。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("创建项目")
        verbose_name_plural = _("创建项目")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.owner.region.path if self.owner is not None else ""}


class Campaign(models.Model):
    """One program in one year, run by one issuing office (创建活动)."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    program = models.ForeignKey(
        Program, verbose_name=_("创建项目"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    office = models.ForeignKey(
        Office, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("名称"), max_length=150)
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("标准版本"), on_delete=models.PROTECT, related_name="campaigns"
    )
    quota = models.PositiveIntegerField(_("名额"), null=True, blank=True, help_text=_("为空表示不限名额。"))
    demonstration_quota = models.PositiveIntegerField(_("示范名额"), default=0)
    combination_rule = models.CharField(
        _("评分合成规则"),
        max_length=20,
        choices=CombinationRule.choices,
        default=CombinationRule.ONSITE_REPLACES,
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("每份申报评审专家数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    # Risk weighting of spot checks: a self-score that jumped by more than this since the unit's previous
    # application, or a rectification in its history, multiplies its chance of being drawn by `risk_factor`.
    risk_jump_points = models.DecimalField(_("自评分跃升阈值"), max_digits=6, decimal_places=2, default=10)
    risk_factor = models.DecimalField(
        _("风险加权倍数"), max_digits=4, decimal_places=1, default=3, validators=[MinValueValidator(1)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("截止前提醒天数"), default=7, validators=[MaxValueValidator(60)]
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("创建活动")
        verbose_name_plural = _("创建活动")
        ordering = ["-year", "program__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "office"], name="campaign_once_per_program_year_office"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.office.region.path}


class Stage(models.Model):
    """A dated stage of a campaign (阶段) and the actions it opens."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(_("阶段名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    actions = models.JSONField(_("开放的操作"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign_id", "starts_on", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="stage_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.starts_on} — {self.ends_on}）"

    def clean(self) -> None:
        if not isinstance(self.actions, list) or any(a not in Action.values for a in self.actions):
            raise ValidationError({"actions": _("含未知的操作。")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("截止日期不能早于开始日期。")})

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.campaign.office.region.path}


class WindowOverride(models.Model):
    """An office opens a closed action for a region subtree or a sector until a date, and says why."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.CASCADE, related_name="overrides"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("适用地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示整个活动。"),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("适用主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    until = models.DateField(_("开放至"))
    reason = models.TextField(_("理由"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("窗口延期")
        verbose_name_plural = _("窗口延期")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True) | models.Q(department__isnull=True),
                name="override_region_or_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} → {self.until}"

    def covers(self, region_path: str, department_id: int | None) -> bool:
        if self.department_id is not None:
            return self.department_id == department_id
        return self.region is None or region_path.startswith(self.region.path)

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "region_path": self.region.path if self.region is not None else self.campaign.office.region.path
        }


class QuotaAllocation(models.Model):
    """A share of a campaign's quota given to a subordinate region or a sector department (seed 002 annex)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.CASCADE, related_name="allocations"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.PositiveIntegerField(_("名额"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分配人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("名额分配")
        verbose_name_plural = _("名额分配")
        ordering = ["campaign_id", "region__code", "department__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(region__isnull=False) & models.Q(department__isnull=True))
                | (models.Q(region__isnull=True) & models.Q(department__isnull=False)),
                name="allocation_region_xor_department",
            ),
            models.UniqueConstraint(fields=["campaign", "region"], name="allocation_once_per_region"),
            models.UniqueConstraint(fields=["campaign", "department"], name="allocation_once_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.region or self.department}: {self.amount}"

    def covers(self, unit: Unit) -> bool:
        if self.department_id is not None:
            return unit.sector_id == self.department_id
        assert self.region is not None
        return unit.sector_id is None and unit.region.path.startswith(self.region.path)

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "region_path": self.region.path if self.region is not None else self.campaign.office.region.path
        }


auditlog.register(Program, m2m_fields={"exempt_programs"}, exclude_fields=["updated_at"])
auditlog.register(Campaign)
auditlog.register(Stage)
auditlog.register(WindowOverride)
auditlog.register(QuotaAllocation, exclude_fields=["updated_at"])


class ReminderSent(models.Model):
    """One deadline reminder mailed to one user (截止提醒记录).

    The reminder task runs daily (and may run twice): this row makes each reminder go once per kind and
    deadline. A deadline moved by an override is a new deadline and is reminded again.
    """

    class Kind(models.TextChoices):
        APPROACHING = "approaching", _("即将截止")
        MISSED = "missed", _("已逾期")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.CASCADE, related_name="reminders_sent"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    kind = models.CharField(_("提醒类别"), max_length=12, choices=Kind.choices)
    due_on = models.DateField(_("截止日期"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("截止提醒记录")
        verbose_name_plural = _("截止提醒记录")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "campaign", "action", "kind", "due_on"],
                name="reminder_once_per_kind_and_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_action_display()} · {self.get_kind_display()} · {self.due_on}"
