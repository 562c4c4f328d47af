"""Scheduled submissions (报送): the documents a campaign requires from whom and by when, what was submitted,
and the reminders sent before and after each due date (docs/workflow.md).

The seeds' requirements: the district's annual work plan by the end of May (seed 000); each organ's creation plan
by the end of July (seed 003); the implementation plan by the end of March and the stage summary by the end of
October (seed 004); a quarterly report from every joint-meeting member within 10 days after each quarter (seed
004); the yearly summary. A requirement names its submitters by rule (the offices at one level under the issuing
office, the campaign's applicants, or the member departments of a body), so the list of who still owes it is
computed, never typed. A quarterly requirement has four periods, each with its own due date.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.assessments import files
from lvchuang.campaigns.models import Campaign
from lvchuang.organisations.models import Department, GoverningBody, Office, Unit
from lvchuang.regions.models import Region


def submission_path(instance: Submission, filename: str) -> str:
    return files.private_name("submissions", filename)


class Requirement(models.Model):
    class Kind(models.TextChoices):
        WORK_PLAN = "work_plan", _("年度工作计划")
        CREATION_PLAN = "creation_plan", _("创建计划")
        IMPLEMENTATION_PLAN = "implementation_plan", _("实施方案")
        STAGE_SUMMARY = "stage_summary", _("阶段总结")
        QUARTERLY_REPORT = "quarterly_report", _("季度工作报告")
        YEARLY_SUMMARY = "yearly_summary", _("年度总结")
        OTHER = "other", _("其他材料")

    class Period(models.TextChoices):
        ONCE = "once", _("一次")
        QUARTERLY = "quarterly", _("每季度")

    class Submitters(models.TextChoices):
        OFFICES = "offices", _("下级创建办")
        APPLICANTS = "applicants", _("申报单位")
        MEMBERS = "members", _("成员单位")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(_("材料类别"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("材料名称"), max_length=150)
    instructions = models.TextField(_("报送要求"), max_length=2000, blank=True)
    period = models.CharField(_("报送频次"), max_length=10, choices=Period.choices, default=Period.ONCE)
    due_on = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("一次性报送的截止日期。"))
    days_after_quarter = models.PositiveSmallIntegerField(
        _("季度结束后天数"),
        default=10,
        help_text=_("每季度报送：季度结束后多少日内报送（种子文件 004：10 日）。"),
    )
    submitters = models.CharField(_("报送主体"), max_length=12, choices=Submitters.choices)
    submitter_level = models.PositiveSmallIntegerField(
        _("创建办层级"),
        choices=Region.Level.choices,
        null=True,
        blank=True,
        help_text=_("报送主体为下级创建办时：哪一级。"),
    )
    body = models.ForeignKey(
        GoverningBody,
        verbose_name=_("领导机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirements",
        help_text=_("报送主体为成员单位时：哪个联席会议或领导小组。"),
    )
    requires_file = models.BooleanField(_("须上传文件"), default=False)
    remind_days_before = models.PositiveSmallIntegerField(_("提前提醒天数"), default=7)
    remind_days_after = models.PositiveSmallIntegerField(
        _("逾期后再提醒天数"), default=3, help_text=_("截止次日提醒一次；逾期满该天数后再提醒一次。")
    )
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
        verbose_name = _("报送要求")
        verbose_name_plural = _("报送要求")
        ordering = ["campaign_id", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="requirement_once_has_a_due_date",
                condition=~models.Q(period="once") | models.Q(due_on__isnull=False),
            ),
            models.CheckConstraint(
                name="requirement_submitters_have_their_scope",
                condition=models.Q(submitters="offices", submitter_level__isnull=False, body__isnull=True)
                | models.Q(submitters="applicants", submitter_level__isnull=True, body__isnull=True)
                | models.Q(submitters="members", submitter_level__isnull=True, body__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.title}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.campaign.office.region.path}


class Submission(models.Model):
    """What one submitter handed in for one period of a requirement (an online text, a file, or both)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已确认")

    requirement = models.ForeignKey(
        Requirement, verbose_name=_("报送要求"), on_delete=models.CASCADE, related_name="submissions"
    )
    period = models.CharField(
        _("报送期"), max_length=8, blank=True, help_text=_("如 2026Q1；一次性报送为空。")
    )
    due_on = models.DateField(_("截止日期"))
    office = models.ForeignKey(
        Office, verbose_name=_("创建办"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("成员单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("报送内容"), max_length=20000, blank=True)
    file = models.FileField(_("附件"), upload_to=submission_path, blank=True, max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"))
    is_late = models.BooleanField(_("逾期报送"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("报送材料")
        verbose_name_plural = _("报送材料")
        ordering = ["requirement_id", "period", "pk"]
        constraints = [
            models.CheckConstraint(
                name="submission_has_exactly_one_submitter",
                condition=models.Q(office__isnull=False, unit__isnull=True, department__isnull=True)
                | models.Q(office__isnull=True, unit__isnull=False, department__isnull=True)
                | models.Q(office__isnull=True, unit__isnull=True, department__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["requirement", "period", "office"],
                condition=models.Q(office__isnull=False),
                name="submission_once_per_office_and_period",
            ),
            models.UniqueConstraint(
                fields=["requirement", "period", "unit"],
                condition=models.Q(unit__isnull=False),
                name="submission_once_per_unit_and_period",
            ),
            models.UniqueConstraint(
                fields=["requirement", "period", "department"],
                condition=models.Q(department__isnull=False),
                name="submission_once_per_department_and_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement.title} · {self.period or self.due_on}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.requirement.campaign.office.region.path}


class SubmissionReminder(models.Model):
    """One reminder mailed to one user for one period of a requirement; the daily task sends each once."""

    class Kind(models.TextChoices):
        APPROACHING = "approaching", _("即将截止")
        MISSED = "missed", _("已逾期")
        STILL_MISSING = "still_missing", _("逾期仍未报送")

    requirement = models.ForeignKey(
        Requirement, verbose_name=_("报送要求"), on_delete=models.CASCADE, related_name="reminders"
    )
    period = models.CharField(_("报送期"), max_length=8, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("提醒类别"), max_length=14, choices=Kind.choices)
    due_on = models.DateField(_("截止日期"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报送提醒记录")
        verbose_name_plural = _("报送提醒记录")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "period", "user", "kind", "due_on"],
                name="submission_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.requirement.title} · {self.get_kind_display()}"


auditlog.register(Requirement)
auditlog.register(Submission, exclude_fields=["submitted_at"])
