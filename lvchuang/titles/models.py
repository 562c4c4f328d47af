"""The title registry (称号): which unit holds which program's title, since when, until when, in which state.

The eligibility engine reads it for prerequisites, cooldowns and exemptions. Titles come from naming decisions
(`lvchuang.naming`) or are recorded from earlier paper decisions with their document number. Their status changes
only through `titles.lifecycle` (docs/workflow.md, "Title lifecycle"), and every change is a `TitleEvent` with a
public reason. A certificate number and its public verification page identify the title on certificates and
plaques.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvchuang.campaigns.models import Campaign, Program
from lvchuang.organisations.models import Unit


class Title(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", pgettext_lazy("title status", "有效")
        UNDER_RECTIFICATION = "under_rectification", pgettext_lazy("title status", "整改中")
        EXPIRED = "expired", pgettext_lazy("title status", "已过期")
        REVOKED = "revoked", pgettext_lazy("title status", "已撤销")

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
    certificate_number = models.CharField(
        _("证书编号"),
        max_length=40,
        blank=True,
        help_text=_("证书和牌匾上的唯一编号，公众凭此核验。"),
    )
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
        indexes = [
            models.Index(fields=["unit", "program"], name="title_unit_program"),
            models.Index(fields=["status", "year"], name="title_status_year"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="title_unique_certificate_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.program} · {self.year}"

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "region_path": self.unit.region.path,
            "sector_id": self.unit.sector_id,
            "unit_id": self.unit_id,
        }


class TitleEvent(models.Model):
    """One change of a title's status, with the public reason and the document that decided it."""

    title = models.ForeignKey(Title, verbose_name=_("称号"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Title.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Title.Status.choices)
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=300)
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("称号状态变更")
        verbose_name_plural = _("称号状态变更")
        ordering = ["on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.title} · {self.from_status} → {self.to_status}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.title.get_additional_data()


auditlog.register(Title)
auditlog.register(TitleEvent)
