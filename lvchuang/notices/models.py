"""Public notice (公示) of a shortlist, and objections (异议) handled as cases (docs/workflow.md).

A notice lists the shortlisted units of a campaign with their scores for a number of working or calendar days
(the program's rule, copied onto the notice when it is published). Working days follow the State Council's
holiday calendar with its make-up working days (`lvchuang.lib.workdays`); `DayOverride` holds the arrangements an
administrator enters for a year the packaged calendar does not know yet, or corrects.

Anyone may object during the window with their real name and contact. The objector's identity is shown only to
the office handling the notice; the objector follows the case with a private link. An upheld objection removes
the unit from the list; the notice cannot close while a case is open.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.applications.models import Application
from lvchuang.assessments import files
from lvchuang.campaigns.models import Campaign, DayKind
from lvchuang.organisations.models import Unit
from lvchuang.titles.models import Title


class DayOverride(models.Model):
    """A day whose kind the holiday calendar gets wrong or does not know yet (节假日调整)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"), help_text=_("勾选表示调休上班；不勾选表示放假。"))
    name = models.CharField(_("名称"), max_length=60, help_text=_("如：春节、国庆节调休上班"))
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("国务院办公厅通知的文号"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Notice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("公示中")
        CLOSED = "closed", _("公示结束")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField(_("公示标题"), max_length=200)
    body = models.TextField(
        _("公示说明"), blank=True, help_text=_("公示的依据、范围以及提出异议的方式和要求。")
    )
    contact_phone = models.CharField(_("受理电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("受理邮箱"), blank=True)
    contact_address = models.CharField(_("受理地址"), max_length=200, blank=True)
    length = models.PositiveSmallIntegerField(_("公示期长度"))
    day_kind = models.CharField(_("公示期计算方式"), max_length=10, choices=DayKind.choices)
    starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    # True when part of the window lies in a year the holiday calendar does not know: weekends only were used.
    calendar_provisional = models.BooleanField(_("节假日安排待确认"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
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
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.campaign.office.region.path}


class NoticeEntry(models.Model):
    """One unit on a notice, as ranked; removed by an upheld objection, linked to its title once named."""

    class Status(models.TextChoices):
        LISTED = "listed", _("公示中")
        REMOVED = "removed", _("已移出")

    notice = models.ForeignKey(
        Notice, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="notice_entries"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    is_demonstration = models.BooleanField(_("示范"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.LISTED)
    removed_reason = models.CharField(_("移出原因"), max_length=300, blank=True)
    title_record = models.OneToOneField(
        Title,
        verbose_name=_("称号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notice_entry",
    )

    class Meta:
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")
        ordering = ["notice", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "application"], name="notice_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.notice} · {self.unit}"

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "region_path": self.unit.region.path,
            "sector_id": self.unit.sector_id,
            "unit_id": self.unit_id,
        }


def evidence_path(instance: Objection, filename: str) -> str:
    # Nothing in the path says who objected; served only to the handling office.
    return files.private_name("objections", filename)


class Objection(models.Model):
    """An objection (异议) to one unit on a notice, handled as a case."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        INVESTIGATING = "investigating", _("调查核实中")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    notice = models.ForeignKey(
        Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections"
    )
    entry = models.ForeignKey(
        NoticeEntry, verbose_name=_("异议对象"), on_delete=models.PROTECT, related_name="objections"
    )
    case_number = models.CharField(_("案件编号"), max_length=30, unique=True)
    # The objector's private link to follow the case and read the reply.
    token = models.CharField(_("查询码"), max_length=64, unique=True)
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("联系电话"), max_length=40)
    email = models.EmailField(_("电子邮箱"), blank=True)
    content = models.TextField(_("异议内容"))
    evidence = models.FileField(_("证据材料"), upload_to=evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(_("证据原文件名"), max_length=255, blank=True)
    client_hash = models.CharField(_("来源摘要"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.RECEIVED)
    findings = models.TextField(_("调查情况"), blank=True, help_text=_("内部记录，不向公众公开。"))
    reply = models.TextField(_("书面答复"), blank=True, help_text=_("作出结论时必填，答复异议人。"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("受理时间"), auto_now_add=True)
    investigating_at = models.DateTimeField(_("开始调查时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.case_number

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.INVESTIGATING)

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.notice.campaign.office.region.path}


auditlog.register(DayOverride)
auditlog.register(Notice)
auditlog.register(NoticeEntry)
# The objector's identity stays out of the audit trail, which offices above the handling office can read.
auditlog.register(
    Objection, exclude_fields=["name", "phone", "email", "token", "client_hash", "evidence_name"]
)
