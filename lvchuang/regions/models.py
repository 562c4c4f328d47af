from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative division with its official codes (facts §4).

    `path` is the significant prefix of the 12-digit NBS code (2, 4, 6, 9 or 12 digits), so a jurisdiction's
    subtree is one indexed `path LIKE 'prefix%'` query and no recursive walk is ever needed.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("地级")
        COUNTY = 3, _("县级")
        TOWNSHIP = 4, _("乡级（街道/乡镇）")
        VILLAGE = 5, _("村级（社区/村）")

    class Kind(models.TextChoices):
        # From the NBS township and village code segments (facts §4).
        NONE = "", _("—")
        STREET = "street", _("街道")
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")
        FARM = "farm", _("农林场等")
        COMMUNITY = "community", _("社区（居委会）")
        VILLAGE = "village", _("村（村委会）")
        OTHER = "other", _("其他")

    code = models.CharField(_("统计用区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, blank=True, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=12)
    code_year = models.PositiveSmallIntegerField(_("代码年份"))
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [
            # varchar_pattern_ops makes `LIKE 'prefix%'` use the index on PostgreSQL; other backends ignore it.
            models.Index(fields=["path"], name="region_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "path"], name="region_level_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="region_level_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="region_only_provinces_have_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def gb_code(self) -> str:
        """The 6-digit GB/T 2260 code, meaningful down to the county level."""
        return self.code[:6]

    def contains(self, other: Region) -> bool:
        return other.path.startswith(self.path)

    def get_additional_data(self) -> dict[str, str]:
        return {"region_path": self.path}


class DivisionImport(models.Model):
    """One run of `import_divisions`: what it read, what it changed, and every bad row it refused."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("已导入")
        REFUSED = "refused", _("已拒绝（文件有误，未做任何修改）")

    source = models.CharField(_("来源"), max_length=300)
    scope = models.CharField(_("范围代码"), max_length=12, blank=True)
    code_year = models.PositiveSmallIntegerField(_("代码年份"))
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    rows_read = models.PositiveIntegerField(_("读取行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    errors = models.JSONField(_("错误行"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("区划导入记录")
        verbose_name_plural = _("区划导入记录")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_outcome_display()})"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_path": self.scope}


auditlog.register(Region)
auditlog.register(DivisionImport, exclude_fields=["errors"])
