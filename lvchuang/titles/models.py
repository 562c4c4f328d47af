"""The title registry (称号): which unit holds which program's title, since when, until when, in which state.

The eligibility engine reads it for prerequisites, cooldowns and exemptions. Titles come from naming decisions
(the notices-and-naming work) or are recorded from earlier paper decisions with their document number.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.campaigns.models import Campaign, Program
from lvchuang.organisations.models import Unit


class Title(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        UNDER_RECTIFICATION = "under_rectification", _("整改中")
        EXPIRED = "expired", _("已过期")
        REVOKED = "revoked", _("已撤销")

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="titles")
    program = models.ForeignKey(
        Program, verbose_name=_("称号"), on_delete=models.PROTECT, related_name="titles"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("创建活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="titles",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    named_on = models.DateField(_("命名日期"))
    document_number = models.CharField(_("命名文号"), max_length=80, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.VALID)
    is_demonstration = models.BooleanField(_("示范"), default=False)
    status_reason = models.CharField(_("状态说明"), max_length=300, blank=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("称号")
        verbose_name_plural = _("称号")
        ordering = ["-named_on", "-pk"]
        indexes = [models.Index(fields=["unit", "program"], name="title_unit_program")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.program} · {self.year}"

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "region_path": self.unit.region.path,
            "sector_id": self.unit.sector_id,
            "unit_id": self.unit_id,
        }


auditlog.register(Title)
