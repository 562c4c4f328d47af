"""Review (验收评审): spot-check samples, reviewer panels without conflicts of interest, scores, ranking.

- `SpotCheck` records everything needed to re-run a random sample: the seed, the population in canonical order
  with each unit's risk weight, the size and the result (`lvchuang/lib/sampling.py`).
- `ReviewerProfile` and `ConflictDeclaration` say where a reviewer comes from and whom they must not review;
  `Exclusion` records each reviewer left out of an application's panel and why.
- `Review` is one reviewer's desk or on-site review of one application; `ReviewScore` its item-by-item points,
  `ReviewPhoto` the photos taken on site.
- `RankingRun` records a ranking and the cut by quota as it was made.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.applications.models import Application
from lvchuang.assessments import files
from lvchuang.campaigns.models import Campaign
from lvchuang.organisations.models import Department, Unit
from lvchuang.regions.models import Region
from lvchuang.standards.models import Item

COMMENT_MAX_LENGTH = 1000


def _scope_of(application: Application) -> dict[str, Any]:
    unit = application.unit
    return {"region_path": unit.region.path, "sector_id": unit.sector_id, "unit_id": unit.pk}


class SpotCheck(models.Model):
    """A reproducible random sample of a campaign's applications (抽查)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.CASCADE, related_name="spot_checks"
    )
    purpose = models.CharField(_("用途"), max_length=120, default=_("抽查核实"))
    seed = models.CharField(_("随机种子"), max_length=64)
    size = models.PositiveIntegerField(_("样本量"))
    weighted = models.BooleanField(_("按风险加权"), default=False)
    # [[application id as text, weight], …] in canonical order, and the drawn ids in draw order.
    population = models.JSONField(_("总体"), default=list)
    sample = models.JSONField(_("样本"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.seed}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.campaign.office.region.path}


class ReviewerProfile(models.Model):
    """Where a reviewer comes from: reviewers of the same region, unit or sector are excluded automatically."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所在部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expertise = models.CharField(_("专业领域"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("评审专家信息")
        verbose_name_plural = _("评审专家信息")

    def __str__(self) -> str:
        return str(self.user)

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.region.path if self.region is not None else ""}


class ConflictDeclaration(models.Model):
    """A relation a reviewer declares (e.g. a relative works there): never assigned to that unit, region or sector."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    relation = models.CharField(_("关系说明"), max_length=200)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False)
                | models.Q(region__isnull=False)
                | models.Q(department__isnull=False),
                name="conflict_names_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.unit or self.region or self.department}"


class Review(models.Model):
    """One reviewer's desk (书面) or on-site (现场) review of one application."""

    class Kind(models.TextChoices):
        DESK = "desk", _("书面评审")
        ONSITE = "onsite", _("现场评审")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待评审")
        SUBMITTED = "submitted", _("已提交")

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(_("评审方式"), max_length=10, choices=Kind.choices, default=Kind.DESK)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    total = models.DecimalField(_("评审得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("是否达标"), null=True, blank=True)
    comment = models.TextField(_("总体意见"), blank=True, max_length=3000)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指派人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审")
        verbose_name_plural = _("评审")
        ordering = ["application_id", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "kind"], name="review_once_per_reviewer_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(status="assigned") | models.Q(submitted_at__isnull=False),
                name="review_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.reviewer} · {self.get_kind_display()}"

    def get_additional_data(self) -> dict[str, Any]:
        return _scope_of(self.application)


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("评审"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(Item, verbose_name=_("评价条目"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(
        _("评分"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    met = models.BooleanField(_("是否满足"), null=True, blank=True)
    comment = models.TextField(
        _("意见"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("条目评分")
        verbose_name_plural = _("条目评分")
        ordering = ["review_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="review_score_once_per_item"),
            models.CheckConstraint(
                condition=models.Q(points__isnull=True) | models.Q(met__isnull=True),
                name="review_score_points_or_met",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} · {self.item_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return _scope_of(self.review.application)


def photo_path(instance: ReviewPhoto, filename: str) -> str:
    return files.private_name("reviews", filename)


class ReviewPhoto(models.Model):
    """A photo taken during an on-site review, attached to the item it shows."""

    review = models.ForeignKey(
        Review, verbose_name=_("评审"), on_delete=models.CASCADE, related_name="photos"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("评价条目"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("照片"), upload_to=photo_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审照片")
        verbose_name_plural = _("评审照片")
        ordering = ["review_id", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_additional_data(self) -> dict[str, Any]:
        return _scope_of(self.review.application)


class Exclusion(models.Model):
    """A reviewer left out of an application's panel, and the reason (same region, unit, sector, declared)."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="exclusions"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("回避理由"), max_length=200)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避记录")
        verbose_name_plural = _("回避记录")
        ordering = ["application_id", "reviewer_id", "pk"]

    def __str__(self) -> str:
        return f"{self.reviewer_id} ↛ {self.application_id}: {self.reason}"


class RankingRun(models.Model):
    """A ranking and the cut by quota, as made: every application's score, rank, allocation and outcome."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建活动"), on_delete=models.CASCADE, related_name="rankings"
    )
    rows = models.JSONField(_("排名结果"), default=list)
    shortlisted_count = models.PositiveIntegerField(_("入围数"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("排名")
        verbose_name_plural = _("排名")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.at:%Y-%m-%d}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.campaign.office.region.path}


auditlog.register(SpotCheck)
auditlog.register(ReviewerProfile)
auditlog.register(ConflictDeclaration)
auditlog.register(Review)
auditlog.register(ReviewScore, exclude_fields=["updated_at"])
auditlog.register(ReviewPhoto)
auditlog.register(Exclusion)
auditlog.register(RankingRun)
