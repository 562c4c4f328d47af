"""Coverage targets (覆盖目标): how many of the eligible units of a region must hold a title by which date.

Every seed is driven by such targets: seed 003 (≥50% of provincial and ≥40% of city/county organs by one date,
then 80% / 70%), seed 004 (≥60% of urban communities by 2022), seed 000 (100 communities in 3 years), Anhui's
staged 60/40/30 → 80/70/50 → 95/90/70 (facts §1). A target belongs to the office that set it and covers that
office's region; its milestones (阶段目标) are the dated shares or counts. Progress is never typed in: it is
computed from the title registry against the eligible units (`targets/coverage.py`).
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.campaigns.models import Program
from lvchuang.organisations.models import Office, Unit


class CoverageTarget(models.Model):
    office = models.ForeignKey(
        Office,
        verbose_name=_("制定机构"),
        on_delete=models.PROTECT,
        related_name="coverage_targets",
        help_text=_("目标覆盖该机构所在行政区的全部下级区域。"),
    )
    name = models.CharField(_("目标名称"), max_length=150, help_text=_("如：省级机关节约型机关覆盖率"))
    programs = models.ManyToManyField(
        Program,
        verbose_name=_("计入的称号"),
        related_name="+",
        help_text=_("持有其中任一有效称号（含整改中）的单位计为已覆盖。"),
    )
    unit_kind = models.CharField(_("单位类别"), max_length=20, choices=Unit.Kind.choices)
    organ_levels = models.JSONField(
        _("机关层级"), default=list, blank=True, help_text=_("仅统计这些层级的机关；为空表示不限。")
    )
    starts_on = models.DateField(
        _("起算日期"), help_text=_("进度按起算日期到各阶段截止日期线性推算，判断“进度正常”或“滞后”。")
    )
    source = models.CharField(_("依据文件"), max_length=300, blank=True)
    needs_confirmation = models.BooleanField(_("待确认"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("覆盖目标")
        verbose_name_plural = _("覆盖目标")
        ordering = ["office__region__path", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.office.region.path}


class Milestone(models.Model):
    """One dated step of a target: a share of the eligible units in percent, a number of units, or both (seed 004:
    two pilot communities by the end of 2021, then 60% by 2022); it is met when every given figure is."""

    target = models.ForeignKey(
        CoverageTarget, verbose_name=_("覆盖目标"), on_delete=models.CASCADE, related_name="milestones"
    )
    due_on = models.DateField(_("截止日期"))
    share = models.DecimalField(_("目标覆盖率（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField(_("目标数量（个）"), null=True, blank=True)

    class Meta:
        verbose_name = _("阶段目标")
        verbose_name_plural = _("阶段目标")
        ordering = ["target_id", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["target", "due_on"], name="milestone_once_per_date"),
            models.CheckConstraint(
                name="milestone_has_a_share_or_a_count",
                condition=models.Q(share__isnull=False) | models.Q(count__isnull=False),
            ),
            models.CheckConstraint(
                name="milestone_share_is_a_percentage",
                condition=models.Q(share__isnull=True) | models.Q(share__gte=0, share__lte=100),
            ),
        ]

    def __str__(self) -> str:
        value = f"{self.share}%" if self.share is not None else f"{self.count}"
        return f"{self.due_on} · {value}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.target.office.region.path}


auditlog.register(CoverageTarget, m2m_fields={"programs"}, exclude_fields=["updated_at"])
auditlog.register(Milestone)
