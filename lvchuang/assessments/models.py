"""Self-assessment (自评): a unit scores itself item by item against a published standard version, with evidence.

Seed 003 has organs self-evaluate against the standard before anything goes up; seed 000 has communities keep
a creation archive and evaluate themselves periodically. A self-assessment belongs to one unit and one standard
version; each leaf item gets at most one response (points, or met / not met for a basic condition, and a
narrative), and each response any number of evidence files. Completing it records the evaluation as it stood.

Evidence files live under MEDIA_ROOT with random names that say nothing about the unit; they are never served
by a media URL, only by a view that checks the user's jurisdiction (`views.evidence_file`).
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.assessments import files
from lvchuang.organisations.models import Unit
from lvchuang.standards.models import Item, StandardVersion

NARRATIVE_MAX_LENGTH = 2000


def _scope_of(unit: Unit) -> dict[str, Any]:
    """What the audit trail needs to scope an entry: the region path, the sector and the unit."""
    return {"region_path": unit.region.path, "sector_id": unit.sector_id, "unit_id": unit.pk}


class SelfAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("填写中")
        COMPLETED = "completed", _("已完成")

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    version = models.ForeignKey(
        StandardVersion, verbose_name=_("标准版本"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The evaluation as it stood when the unit completed the self-assessment; empty while it is a draft.
    total = models.DecimalField(_("自评得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("是否达标"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=30, blank=True)
    explanation = models.JSONField(_("评分说明"), default=list, blank=True)

    class Meta:
        verbose_name = _("自评")
        verbose_name_plural = _("自评")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="self_assessment_once_per_unit_version"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(completed_at__isnull=False),
                name="self_assessment_completed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.version}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    def get_additional_data(self) -> dict[str, Any]:
        return _scope_of(self.unit)


class ItemResponse(models.Model):
    """A unit's answer to one leaf item: points (or met / not met for a basic condition) and a narrative."""

    assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="responses"
    )
    item = models.ForeignKey(Item, verbose_name=_("评价条目"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(
        _("自评分"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    met = models.BooleanField(_("是否满足"), null=True, blank=True)
    narrative = models.TextField(
        _("情况说明"),
        blank=True,
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[MaxLengthValidator(NARRATIVE_MAX_LENGTH)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("条目自评")
        verbose_name_plural = _("条目自评")
        ordering = ["assessment_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="response_once_per_item"),
            models.CheckConstraint(
                condition=models.Q(points__isnull=True) | models.Q(met__isnull=True),
                name="response_points_or_met",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.item.code}"

    @property
    def is_answered(self) -> bool:
        return self.points is not None or self.met is not None

    def get_additional_data(self) -> dict[str, Any]:
        return _scope_of(self.assessment.unit)


def evidence_path(instance: Evidence, filename: str) -> str:
    return files.private_name("evidence", filename)


def thumbnail_path(instance: Evidence, filename: str) -> str:
    return files.private_name("evidence", filename, marker=".thumb")


class Evidence(models.Model):
    """A file that backs up a response (佐证材料): a photo, a scan, a ledger, a signed document."""

    response = models.ForeignKey(
        ItemResponse, verbose_name=_("条目自评"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    thumbnail = models.FileField(_("缩略图"), upload_to=thumbnail_path, max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def get_additional_data(self) -> dict[str, Any]:
        return _scope_of(self.response.assessment.unit)


auditlog.register(SelfAssessment, exclude_fields=["updated_at"])
auditlog.register(ItemResponse, exclude_fields=["updated_at"])
auditlog.register(Evidence)
