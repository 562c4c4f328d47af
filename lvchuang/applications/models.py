"""Applications (申报) and district batches (申报表).

An application is one unit's bid for one campaign's title. It climbs the hierarchy one level at a time (seed 000:
"三级联动，自下而上逐级推荐") through the transitions of `workflow.TRANSITIONS`; each transition leaves an
`ApplicationEvent`. The district (or the sector department) gathers its approved applications into a batch, prints
the 申报表, has it stamped and uploads the scan before the batch deadline (seed 000: end of September).
During implementation each applicant's goals and measures are posted publicly for residents' comments (seed 000).
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.assessments import files
from lvchuang.assessments.models import SelfAssessment
from lvchuang.campaigns.models import Campaign
from lvchuang.organisations.models import Department, Office, Unit


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RECOMMENDED = "recommended", _("街道已推荐")
    APPROVED = "approved", _("区县已审核")
    CHECKED = "checked", _("初审通过")
    UNDER_REVIEW = "under_review", _("评审中")
    SHORTLISTED = "shortlisted", _("入围")
    NAMED = "named", _("已命名")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    RETURNED = "returned", _("退回修改")


ACTIVE_STATUSES = (
    Status.SUBMITTED,
    Status.RECOMMENDED,
    Status.APPROVED,
    Status.CHECKED,
    Status.UNDER_REVIEW,
)
FINAL_STATUSES = (Status.SHORTLISTED, Status.NAMED, Status.REJECTED, Status.WITHDRAWN)
# Took a place in the quota: shortlisted, and named once the notice is over.
SELECTED_STATUSES = (Status.SHORTLISTED, Status.NAMED)


class Route(models.TextChoices):
    TERRITORIAL = "territorial", _("属地（街道、区县）")
    SECTOR = "sector", _("主管部门")


def _scope_of(unit: Unit) -> dict[str, Any]:
    return {"region_path": unit.region.path, "sector_id": unit.sector_id, "unit_id": unit.pk}


def seal_scan_path(instance: Batch, filename: str) -> str:
    return files.private_name("batches", filename)


class Batch(models.Model):
    """A district's (or sector department's) stamped list of recommended applications (申报表)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("编制中")
        SUBMITTED = "submitted", _("已报送")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.PROTECT, related_name="batches"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("报送单位（创建办）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("报送单位（主管部门）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("编号"), max_length=60)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    seal_scan = models.FileField(_("盖章扫描件"), upload_to=seal_scan_path, max_length=200, blank=True)
    seal_scan_name = models.CharField(_("扫描件原文件名"), max_length=255, blank=True)
    seal_scan_sha256 = models.CharField(_("扫描件 SHA-256"), max_length=64, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_comment = models.TextField(_("退回意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报表")
        verbose_name_plural = _("申报表")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(office__isnull=False) & models.Q(department__isnull=True))
                | (models.Q(office__isnull=True) & models.Q(department__isnull=False)),
                name="batch_office_xor_department",
            ),
            models.UniqueConstraint(fields=["campaign", "number"], name="batch_number_unique_in_campaign"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="batch_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def sender_name(self) -> str:
        sender = self.office or self.department
        return str(sender) if sender else ""

    @property
    def region_path(self) -> str:
        if self.office_id is not None:
            assert self.office is not None
            return self.office.region.path
        assert self.department is not None
        return self.department.region.path

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.region_path}


class Application(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.PROTECT, related_name="applications"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    route = models.CharField(_("申报途径"), max_length=12, choices=Route.choices, default=Route.TERRITORIAL)
    assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("自评"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Goals and measures (创建目标和主要措施), posted publicly during implementation (seed 000).
    goals = models.TextField(_("创建目标"), blank=True, max_length=3000)
    measures = models.TextField(_("主要措施"), blank=True, max_length=5000)
    goals_published_at = models.DateTimeField(_("目标公布时间"), null=True, blank=True)
    # Skip-level consent (越级申报，经组委会同意 — seed 002).
    consent_document = models.CharField(_("越级申报同意文号"), max_length=80, blank=True)
    consent_given_on = models.DateField(_("同意日期"), null=True, blank=True)
    consent_note = models.CharField(_("同意说明"), max_length=300, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("同意登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exempt = models.BooleanField(_("免于评价"), default=False)
    eligibility = models.JSONField(_("资格审查结果"), default=list, blank=True)
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("申报表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    self_score = models.DecimalField(_("自评得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(_("最终得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("是否达标"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    is_demonstration_candidate = models.BooleanField(_("示范候选"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
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
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="application_once_per_campaign_unit"),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="application_campaign_status")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign}"

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_document and self.consent_given_on)

    def get_additional_data(self) -> dict[str, Any]:
        return _scope_of(self.unit)


class ApplicationEvent(models.Model):
    """One row of an application's history: who moved it from which state to which, and why."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=15, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=15, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True, max_length=2000)
    # For a return: [{"item": "2.1", "comment": "…"}], what the unit must fix item by item.
    item_comments = models.JSONField(_("逐项意见"), default=list, blank=True)
    override = models.ForeignKey(
        "campaigns.WindowOverride",
        verbose_name=_("依据的窗口延期"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("申报记录")
        verbose_name_plural = _("申报记录")
        ordering = ["application_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '—'} → {self.to_status}"


class GoalComment(models.Model):
    """A resident's comment on an applicant's published goals (社会监督和评议, seed 000)."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="goal_comments"
    )
    author_name = models.CharField(_("署名"), max_length=40)
    content = models.TextField(_("评议内容"), max_length=1000)
    is_hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏理由"), max_length=200, blank=True)
    client_hash = models.CharField(_("来源摘要"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("目标评议")
        verbose_name_plural = _("目标评议")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.content[:20]}"

    def get_additional_data(self) -> dict[str, Any]:
        return _scope_of(self.application.unit)


auditlog.register(Application, exclude_fields=["updated_at"])
auditlog.register(Batch)
auditlog.register(GoalComment)
