"""Supervision of title holders (docs/workflow.md, "Re-inspection"): re-inspection campaigns (复核 / 回头看)
that sample titled units reproducibly, inspection results, rectification orders (整改通知) with deadlines, and
revocation proposals when rectification fails or runs out of time.

A re-inspection is either a sample (`lib.sampling.draw`, optionally risk-weighted; seed, population and sample are
stored so anyone can re-run it) or a re-check of every holder against a new standard version (seed 000, note 2).
A failed inspection issues a rectification order due `Program.rectification_months` later (seed 003: one month)
and puts the title under rectification. Accepting the unit's report restores the title; rejecting it, or the due
date passing, raises a revocation proposal, which the office decides: revoke (with document number and public
reason) or decline.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.assessments import files
from lvchuang.campaigns.models import Program
from lvchuang.organisations.models import Office
from lvchuang.standards.models import StandardVersion
from lvchuang.titles.models import Title


class Reinspection(models.Model):
    class Kind(models.TextChoices):
        SAMPLE = "sample", _("抽样复核（回头看）")
        STANDARD_RECHECK = "standard_recheck", _("新标准复查")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        DRAWN = "drawn", _("已抽取，检查中")
        CLOSED = "closed", _("已完成")

    office = models.ForeignKey(
        Office, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="reinspections"
    )
    program = models.ForeignKey(
        Program, verbose_name=_("称号"), on_delete=models.PROTECT, related_name="reinspections"
    )
    name = models.CharField(_("名称"), max_length=150)
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.SAMPLE)
    version = models.ForeignKey(
        StandardVersion,
        verbose_name=_("对照的标准版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("新标准复查时必填：持有称号的单位按此版本复查。"),
    )
    sample_size = models.PositiveIntegerField(_("抽取数量"), default=0)
    risk_weighted = models.BooleanField(
        _("风险加权"), default=False, help_text=_("有整改记录的单位被抽中的概率按倍数提高。")
    )
    risk_factor = models.DecimalField(
        _("风险加权倍数"), max_digits=4, decimal_places=1, default=3, validators=[MinValueValidator(1)]
    )
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    population = models.JSONField(_("抽样总体"), default=list, blank=True)  # [{"key": title pk, "weight": w}]
    sample = models.JSONField(_("抽中称号"), default=list, blank=True)  # title pks as drawn
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
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
        verbose_name = _("复核")
        verbose_name_plural = _("复核")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.office.region.path}


class Inspection(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", _("待检查")
        PASSED = "passed", _("合格")
        FAILED = "failed", _("不合格")

    reinspection = models.ForeignKey(
        Reinspection, verbose_name=_("复核"), on_delete=models.CASCADE, related_name="inspections"
    )
    title = models.ForeignKey(
        Title, verbose_name=_("称号"), on_delete=models.PROTECT, related_name="inspections"
    )
    result = models.CharField(_("结论"), max_length=10, choices=Result.choices, default=Result.PENDING)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    findings = models.TextField(_("检查发现"), blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("复核检查")
        verbose_name_plural = _("复核检查")
        ordering = ["reinspection", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reinspection", "title"], name="inspection_once_per_title"),
        ]

    def __str__(self) -> str:
        return f"{self.reinspection} · {self.title.unit}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.title.get_additional_data()


def report_path(instance: RectificationOrder, filename: str) -> str:
    return files.private_name("rectifications", filename)


class RectificationOrder(models.Model):
    """整改通知书: what to fix by when; the unit reports back, the office accepts or rejects."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        REPORTED = "reported", _("已报送整改报告")
        ACCEPTED = "accepted", _("整改合格")
        FAILED = "failed", _("整改不合格")
        OVERDUE = "overdue", _("逾期未整改")

    title = models.ForeignKey(
        Title, verbose_name=_("称号"), on_delete=models.PROTECT, related_name="rectification_orders"
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("复核检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    number = models.CharField(_("通知书编号"), max_length=40, unique=True)
    requirements = models.TextField(_("整改要求"))
    issued_on = models.DateField(_("下达日期"))
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    report = models.TextField(_("整改报告"), blank=True)
    report_file = models.FileField(_("整改材料"), upload_to=report_path, max_length=200, blank=True)
    report_file_name = models.CharField(_("材料原文件名"), max_length=255, blank=True)
    reported_on = models.DateField(_("报送日期"), null=True, blank=True)
    decided_on = models.DateField(_("验收日期"), null=True, blank=True)
    decision_note = models.TextField(_("验收意见"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下达人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.number

    def get_additional_data(self) -> dict[str, Any]:
        return self.title.get_additional_data()


class RevocationProposal(models.Model):
    """撤销建议: raised when rectification fails or is overdue (or by an office on an event); decided by the
    office that manages the title."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待决定")
        REVOKED = "revoked", _("已撤销称号")
        DECLINED = "declined", _("不予撤销")

    title = models.ForeignKey(
        Title, verbose_name=_("称号"), on_delete=models.PROTECT, related_name="revocation_proposals"
    )
    order = models.ForeignKey(
        RectificationOrder,
        verbose_name=_("整改通知"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    reason = models.CharField(_("撤销理由"), max_length=300, help_text=_("决定撤销后在核验页面公开。"))
    proposed_on = models.DateField(_("提出日期"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示逾期后由系统自动提出。"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    document_number = models.CharField(_("决定文号"), max_length=80, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("撤销建议")
        verbose_name_plural = _("撤销建议")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"],
                condition=models.Q(status="proposed"),
                name="one_open_revocation_proposal_per_title",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.get_status_display()}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.title.get_additional_data()


auditlog.register(Reinspection)
auditlog.register(Inspection)
auditlog.register(RectificationOrder)
auditlog.register(RevocationProposal)
