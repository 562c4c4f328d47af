"""Naming (命名): the decision that names the units left on a closed notice, the award payments it triggers,
and the filing (备案) of the named list with the level above (docs/workflow.md).

A naming decision carries its document number and date; it creates one title per listed unit (validity from the
program, seed 002: 5 years) and one award payment per demonstration title and paying bureau from the program's
awards (seed 000: 市环保局 and 市能源局, 10,000 yuan each). Within `filing_months` of the decision (seed 002: one
month) the naming office files the list and materials with the office of the region above; an unfiled filing
past its due date is overdue.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.assessments import files
from lvchuang.notices.models import Notice
from lvchuang.organisations.models import Office
from lvchuang.titles.models import Title


class NamingDecision(models.Model):
    notice = models.OneToOneField(
        Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="naming"
    )
    document_number = models.CharField(_("命名文号"), max_length=80, help_text=_("如：长创绿办〔2026〕12号"))
    decided_on = models.DateField(_("命名日期"))
    issuer = models.CharField(
        _("命名机关"), max_length=120, help_text=_("证书上署名的机关，如：长沙市创建节能环保社区工作领导小组")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("命名决定")
        verbose_name_plural = _("命名决定")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.document_number

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.notice.campaign.office.region.path}


class AwardPayment(models.Model):
    """One bureau's award to one title (奖励资金), and whether it has been paid."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待拨付")
        PAID = "paid", _("已拨付")
        CANCELLED = "cancelled", _("已取消")

    title = models.ForeignKey(Title, verbose_name=_("称号"), on_delete=models.PROTECT, related_name="awards")
    decision = models.ForeignKey(
        NamingDecision, verbose_name=_("命名决定"), on_delete=models.PROTECT, related_name="awards"
    )
    payer = models.CharField(_("出资单位"), max_length=60)
    fund = models.CharField(_("资金来源"), max_length=60, blank=True)
    amount = models.PositiveIntegerField(_("金额（元）"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    reference = models.CharField(_("拨付凭证号"), max_length=80, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("奖励拨付")
        verbose_name_plural = _("奖励拨付")
        ordering = ["decision", "title", "payer", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["title", "payer"], name="award_once_per_title_and_payer"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.payer} · {self.amount}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.title.get_additional_data()


def filing_path(instance: Filing, filename: str) -> str:
    return files.private_name("filings", filename)


class Filing(models.Model):
    """The named list and materials filed with the level above (备案)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待备案")
        FILED = "filed", _("已备案")

    decision = models.OneToOneField(
        NamingDecision, verbose_name=_("命名决定"), on_delete=models.CASCADE, related_name="filing"
    )
    from_office = models.ForeignKey(
        Office, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="filings_sent"
    )
    to_office = models.ForeignKey(
        Office,
        verbose_name=_("备案单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings_received",
        help_text=_("上一级创建办；为空表示上级尚未在系统中登记创建办。"),
    )
    due_on = models.DateField(_("备案截止"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    filed_on = models.DateField(_("报送日期"), null=True, blank=True)
    materials = models.FileField(_("备案材料"), upload_to=filing_path, max_length=200, blank=True)
    materials_name = models.CharField(_("材料原文件名"), max_length=255, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_on = models.DateField(_("上级确认日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("备案")
        verbose_name_plural = _("备案")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.decision} → {self.to_office or '—'}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.from_office.region.path}


auditlog.register(NamingDecision)
auditlog.register(AwardPayment, exclude_fields=["updated_at"])
auditlog.register(Filing)
