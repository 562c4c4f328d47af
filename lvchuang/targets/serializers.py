"""Serializers of the targets API. Kinds and statuses are plain text with their values in the help text (several
models have a `status`; enums would collide by name in the schema)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lvchuang.accounts.access import grantable_scopes
from lvchuang.accounts.api import VisiblePrimaryKeyField
from lvchuang.accounts.models import User
from lvchuang.campaigns.models import Program
from lvchuang.lib.progress import Milestone as PlainMilestone
from lvchuang.lib.progress import Progress
from lvchuang.organisations.models import Office, Unit
from lvchuang.targets.coverage import Dashboard, Row, TrendPoint
from lvchuang.targets.exports import row_label
from lvchuang.targets.models import CoverageTarget, Milestone
from lvchuang.targets.selectors import QuotaLine, QuotaUsage
from lvchuang.targets.services import MilestoneInput, presets


def _values(choices: Any) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


STATUS_HELP = "met 已达标；on_track 进度正常；behind 进度滞后；missed 逾期未达标；空 表示无可判断的阶段目标"


def _managed_offices(user: User) -> Any:
    return grantable_scopes(user).offices


class MilestoneInputSerializer(serializers.Serializer[Any]):
    due_on = serializers.DateField(label="截止日期")
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        label="目标覆盖率（%）",
    )
    count = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None, label="目标数量（个）"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("share") is None and attrs.get("count") is None:
            raise serializers.ValidationError("请填写目标覆盖率或目标数量。")
        return attrs


def milestone_inputs(data: list[dict[str, Any]]) -> list[MilestoneInput]:
    return [
        MilestoneInput(due_on=row["due_on"], share=row.get("share"), count=row.get("count")) for row in data
    ]


class MilestoneSetSerializer(serializers.Serializer[Any]):
    milestones = MilestoneInputSerializer(many=True, label="阶段目标（整组替换）")


class TargetMilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["due_on", "share", "count"]
        read_only_fields = fields


class CoverageTargetSerializer(serializers.ModelSerializer[CoverageTarget]):
    office_name = serializers.CharField(source="office.name", read_only=True, label="制定机构名称")
    region = serializers.CharField(source="office.region.code", read_only=True, label="目标覆盖的行政区代码")
    program_codes = serializers.SlugRelatedField[Program](
        source="programs", slug_field="code", many=True, read_only=True, label="计入的称号代码"
    )
    unit_kind = serializers.CharField(read_only=True, help_text=_values(Unit.Kind.choices))
    organ_levels = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_values(Unit.OrganLevel.choices)
    )
    milestones = TargetMilestoneSerializer(many=True, read_only=True, label="阶段目标")

    class Meta:
        model = CoverageTarget
        fields = [
            "id",
            "office",
            "office_name",
            "region",
            "name",
            "programs",
            "program_codes",
            "unit_kind",
            "organ_levels",
            "starts_on",
            "source",
            "needs_confirmation",
            "is_active",
            "milestones",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CoverageTargetCreateSerializer(serializers.Serializer[Any]):
    office = VisiblePrimaryKeyField(
        visible=_managed_offices,
        queryset=Office.objects.all(),
        help_text="制定目标的创建办 id（您的或下级的）。",
    )
    preset = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="从预设新建时填写预设代码（" + "、".join(presets()) + "），其余规则和阶段目标取自预设。",
    )
    name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    programs = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text="计入的称号 id。",
    )
    unit_kind = serializers.CharField(required=False, default="", help_text=_values(Unit.Kind.choices))
    organ_levels = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text=_values(Unit.OrganLevel.choices),
    )
    starts_on = serializers.DateField(label="起算日期")
    source = serializers.CharField(  # type: ignore[assignment]  # the model field, not Field.source
        max_length=300, required=False, allow_blank=True, default=""
    )
    needs_confirmation = serializers.BooleanField(required=False, default=False)
    milestones = MilestoneInputSerializer(many=True, required=False, default=list)


class CoverageTargetUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=150, required=False)
    programs = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.filter(is_active=True), many=True, required=False
    )
    unit_kind = serializers.CharField(required=False, help_text=_values(Unit.Kind.choices))
    organ_levels = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_values(Unit.OrganLevel.choices)
    )
    starts_on = serializers.DateField(required=False)
    source = serializers.CharField(  # type: ignore[assignment]  # the model field, not Field.source
        max_length=300, required=False, allow_blank=True
    )
    needs_confirmation = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False, help_text="false 停用，true 启用。")


# --- progress -----------------------------------------------------------------------------------------------


class JudgedMilestoneSerializer(serializers.Serializer[PlainMilestone]):
    due_on = serializers.DateField()
    share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    count = serializers.IntegerField(allow_null=True)


class CoverageRowSerializer(serializers.Serializer[Row]):
    label = serializers.SerializerMethodField(label="名称")  # type: ignore[assignment]  # the field, not Field.label
    region = serializers.SerializerMethodField(label="行政区代码（地区行）")
    sector = serializers.IntegerField(source="sector_id", allow_null=True, label="主管部门 id（部门行）")
    eligible = serializers.IntegerField(source="figures.eligible", label="适用单位数")
    covered = serializers.IntegerField(source="figures.covered", label="已覆盖")
    rectifying = serializers.IntegerField(source="figures.rectifying", label="其中整改中")
    share = serializers.DecimalField(
        source="figures.share", max_digits=5, decimal_places=1, allow_null=True, label="覆盖率（%）"
    )
    status = serializers.CharField(help_text=STATUS_HELP)
    status_label = serializers.CharField(label="状态")
    expected_share = serializers.SerializerMethodField(label="按进度应达到的覆盖率（%）")
    expected_count = serializers.SerializerMethodField(label="按进度应达到的数量")
    milestone = serializers.SerializerMethodField(label="对照的阶段目标")

    def get_label(self, row: Row) -> str:
        return row_label(row)

    def get_region(self, row: Row) -> str | None:
        return row.region.code if row.region is not None else None

    def get_expected_share(self, row: Row) -> str | None:
        judged: Progress | None = row.progress
        return None if judged is None or judged.expected_share is None else str(judged.expected_share)

    def get_expected_count(self, row: Row) -> str | None:
        judged: Progress | None = row.progress
        return None if judged is None or judged.expected_count is None else str(judged.expected_count)

    def get_milestone(self, row: Row) -> dict[str, Any] | None:
        return None if row.progress is None else dict(JudgedMilestoneSerializer(row.progress.milestone).data)


class CoverageTrendPointSerializer(serializers.Serializer[TrendPoint]):
    on = serializers.DateField(label="日期")
    eligible = serializers.IntegerField(source="figures.eligible")
    covered = serializers.IntegerField(source="figures.covered")
    share = serializers.DecimalField(source="figures.share", max_digits=5, decimal_places=1, allow_null=True)
    status = serializers.CharField(help_text=STATUS_HELP)


class TargetProgressSerializer(serializers.Serializer[Dashboard]):
    region = serializers.CharField(source="region.code", label="所示地区代码")
    region_name = serializers.CharField(source="region.name", label="所示地区名称")
    as_of = serializers.DateField(label="统计日期")
    headline = CoverageRowSerializer(label="所示地区合计")
    next_milestone = JudgedMilestoneSerializer(allow_null=True, label="下一阶段目标")
    regions = CoverageRowSerializer(
        source="children", many=True, label="按下级地区（region 为空的一行是本级直属单位）"
    )
    sectors = CoverageRowSerializer(many=True, label="按主管部门（sector 为空的一行是属地管理的单位）")
    trend = CoverageTrendPointSerializer(many=True, label="逐年趋势（各年 12 月 31 日与统计日期）")


class TargetProgressQuerySerializer(serializers.Serializer[Any]):
    region = serializers.RegexField(
        r"^\d{12}$", required=False, help_text="12 位行政区代码；默认为您可见的最上级地区。"
    )
    as_of = serializers.DateField(required=False, help_text="统计日期，默认今天。")


# --- quota usage --------------------------------------------------------------------------------------------


class AllocationUsageLineSerializer(serializers.Serializer[QuotaLine]):
    allocation = serializers.IntegerField(source="allocation.pk", label="名额分配 id")
    label = serializers.CharField(label="地区或主管部门")  # type: ignore[assignment]  # the field, not Field.label
    region = serializers.CharField(source="allocation.region.code", allow_null=True, default=None)
    department = serializers.IntegerField(source="allocation.department_id", allow_null=True)
    amount = serializers.IntegerField(source="allocation.amount", label="名额")
    selected = serializers.IntegerField(label="已入围或命名")
    named = serializers.IntegerField(label="其中已命名")
    over = serializers.IntegerField(label="超出名额数")


class AllocationUsageSerializer(serializers.Serializer[QuotaUsage]):
    campaign = serializers.IntegerField(source="campaign.pk")
    quota = serializers.IntegerField(allow_null=True, label="活动名额（空为不限）")
    whole = serializers.BooleanField(label="合计为整个活动（否则为所列各行之和）")
    allocated = serializers.IntegerField(label="所列分配名额之和")
    selected = serializers.IntegerField(label="已入围或命名")
    named = serializers.IntegerField(label="已命名")
    outside = serializers.IntegerField(allow_null=True, label="不在任何分配内的入围单位")
    over = serializers.IntegerField(label="超出活动名额数")
    lines = AllocationUsageLineSerializer(many=True)
