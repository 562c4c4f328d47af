"""Evaluation standards (考评标准 / 评价标准) as versioned data (seeds 000, 003, 004; facts §1).

A standard has versions; a version is a tree of areas → items → optional sub-items. Every number an office may
want to change — points, the pass line, the bonus cap, the grade bands, which unit kinds it applies to — is a
column here, never a constant in code. A version becomes immutable once a campaign uses it (`locked_at`); a new
version starts as a copy of an old one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.organisations.models import Office

LOCKED_MESSAGE = _("该版本已被创建活动使用，不可修改；请复制为新版本。")


class VersionLocked(ValidationError):
    """A write to a version a campaign uses, or to its items or grade bands. Services refuse it first with the
    same message; the models refuse it again so that no other code path (admin, shell, a future app) can."""

    def __init__(self) -> None:
        super().__init__(LOCKED_MESSAGE, code="locked")


def _version_is_locked(version_id: int | None) -> bool:
    # Asked of the database, not of a cached instance that may predate the lock.
    return (
        version_id is not None
        and StandardVersion.objects.filter(pk=version_id, locked_at__isnull=False).exists()
    )


class Standard(models.Model):
    code = models.SlugField(_("标准代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    title_name = models.CharField(
        _("对应称号"), max_length=120, blank=True, help_text=_("如：市级节能环保社区")
    )
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("依据文件"), max_length=300, blank=True)
    owner = models.ForeignKey(
        Office,
        verbose_name=_("维护单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示系统内置的默认标准。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价标准")
        verbose_name_plural = _("评价标准")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.owner.region.path if self.owner else ""}


class StandardVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已停用")

    standard = models.ForeignKey(
        Standard, verbose_name=_("标准"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    label = models.CharField(_("版本名称"), max_length=60, help_text=_("如：2024 年修订版"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total_points = models.DecimalField(
        _("满分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    pass_line = models.DecimalField(
        _("合格线"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    bonus_cap = models.DecimalField(
        _("加分上限"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    applies_to = models.JSONField(_("适用单位类别"), default=list, blank=True)
    needs_confirmation = models.BooleanField(
        _("待确认"), default=False, help_text=_("默认值来自未经核实的资料，使用前须由创建办确认。")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name=_("复制自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    locked_reason = models.CharField(_("锁定原因"), max_length=200, blank=True)
    notes = models.TextField(_("修订说明"), blank=True)
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
        verbose_name = _("标准版本")
        verbose_name_plural = _("标准版本")
        ordering = ["standard__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="version_number_once_per_standard"),
            models.CheckConstraint(
                condition=models.Q(pass_line__lte=models.F("total_points") + models.F("bonus_cap")),
                name="version_pass_line_reachable",
            ),
        ]

    # What a lock freezes: everything but the lifecycle (status) — a version in use can still be retired.
    CONTENT_FIELDS = (
        "standard_id",
        "number",
        "label",
        "total_points",
        "pass_line",
        "bonus_cap",
        "applies_to",
        "needs_confirmation",
        "confirmed_by_id",
        "confirmed_at",
        "based_on_id",
        "locked_at",
        "locked_reason",
        "notes",
    )

    def __str__(self) -> str:
        return f"{self.standard.name} · {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = StandardVersion.objects.filter(pk=self.pk, locked_at__isnull=False).values(
                *self.CONTENT_FIELDS
            )
            for row in stored:  # at most one: the version as locked
                if any(row[name] != getattr(self, name) for name in self.CONTENT_FIELDS):
                    raise VersionLocked
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if _version_is_locked(self.pk):
            raise VersionLocked
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def max_points(self) -> Decimal:
        return self.total_points + self.bonus_cap

    def get_additional_data(self) -> dict[str, Any]:
        return self.standard.get_additional_data()


class VersionContent(models.Model):
    """Part of a version's content (an item or a grade band): refused at the model level once the version is
    locked, as a safety net under the services' own check."""

    version: models.ForeignKey[StandardVersion, StandardVersion]
    version_id: int

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if _version_is_locked(self.version_id):
            raise VersionLocked
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if _version_is_locked(self.version_id):
            raise VersionLocked
        return super().delete(*args, **kwargs)

    def get_additional_data(self) -> dict[str, Any]:
        return self.version.get_additional_data()


class Item(VersionContent):
    """An area, item or sub-item of a version. Areas group items; the kind of a leaf says how it counts."""

    class Kind(models.TextChoices):
        AREA = "area", _("领域")
        SCORED = "scored", _("计分项")
        VETO = "veto", _("必须完成项（★，不得为零分）")
        GATE = "gate", _("基本条件（不满足即不通过）")
        BONUS = "bonus", _("加分项")

    class ComputedBy(models.TextChoices):
        # 节约型机关 (seed 003): the annual energy and water targets from the level above, checked against the
        # unit's resource ledger (ledgers.indicators.target_check).
        LEDGER_TARGETS = "ledger_targets", _("能源资源台账：年度指标完成情况")

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("编号"), max_length=20, help_text=_("如 1、1.2、1.2.3"))
    title = models.CharField(_("名称"), max_length=300)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    max_points = models.DecimalField(
        _("分值"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    guidance = models.TextField(_("评分细则"), blank=True)
    evidence_required = models.TextField(_("佐证材料"), blank=True)
    needs_confirmation = models.BooleanField(_("待确认"), default=False)
    computed_by = models.CharField(
        _("自动判断"),
        max_length=20,
        choices=ComputedBy.choices,
        blank=True,
        help_text=_("由系统根据其他记录作答的条目，单位不必也不能自行填写。"),
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评价条目")
        verbose_name_plural = _("评价条目")
        ordering = ["version_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="item_code_once_per_version"),
            models.CheckConstraint(
                condition=~models.Q(kind="gate") | models.Q(max_points=0), name="item_gate_has_no_points"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class GradeBand(VersionContent):
    """A named band of total scores, e.g. 优秀 ≥ 90. A failed veto or gate always yields the lowest band."""

    version = models.ForeignKey(
        StandardVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="grade_bands"
    )
    name = models.CharField(_("等次"), max_length=30)
    min_score = models.DecimalField(
        _("最低分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("等次")
        verbose_name_plural = _("等次")
        ordering = ["version_id", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="grade_name_once_per_version"),
            models.UniqueConstraint(fields=["version", "min_score"], name="grade_score_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ≥ {self.min_score}"


for _model in (Standard, StandardVersion, Item, GradeBand):
    auditlog.register(_model)
