"""Serializers of the supervision API.

States and kinds are plain text with their values listed in the help text: several models have a `status` or a
`kind`, and choice sets exposed as enums would collide by name in the schema.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lvchuang.accounts.access import grantable_scopes
from lvchuang.accounts.api import VisiblePrimaryKeyField
from lvchuang.accounts.models import User
from lvchuang.campaigns.models import Program
from lvchuang.organisations.models import Office
from lvchuang.standards.models import StandardVersion
from lvchuang.supervision.models import Inspection, RectificationOrder, Reinspection, RevocationProposal
from lvchuang.titles.access import visible_titles
from lvchuang.titles.models import Title


def _values(choices: Any) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


def _managed_offices(user: User) -> Any:
    return grantable_scopes(user).offices


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    unit = serializers.IntegerField(source="title.unit_id", read_only=True, label="单位 id")
    unit_name = serializers.CharField(source="title.unit.name", read_only=True, label="单位名称")
    result = serializers.CharField(read_only=True, help_text=_values(Inspection.Result.choices))
    orders = serializers.SerializerMethodField(label="整改通知 id")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "reinspection",
            "title",
            "unit",
            "unit_name",
            "result",
            "inspected_on",
            "score",
            "findings",
            "inspector",
            "orders",
        ]
        read_only_fields = fields

    def get_orders(self, inspection: Inspection) -> list[int]:
        return [order.pk for order in inspection.orders.all()]


class ReinspectionSerializer(serializers.ModelSerializer[Reinspection]):
    kind = serializers.CharField(read_only=True, help_text=_values(Reinspection.Kind.choices))
    status = serializers.CharField(read_only=True, help_text=_values(Reinspection.Status.choices))
    population = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        label="抽样总体",
        help_text='[{"key": 称号 id, "weight": 权重}, …]',
    )
    sample = serializers.ListField(
        child=serializers.CharField(), read_only=True, label="抽中称号 id（抽中顺序）"
    )

    class Meta:
        model = Reinspection
        fields = [
            "id",
            "office",
            "program",
            "name",
            "year",
            "kind",
            "version",
            "sample_size",
            "risk_weighted",
            "risk_factor",
            "seed",
            "population",
            "sample",
            "status",
            "drawn_at",
            "notes",
            "created_at",
        ]
        read_only_fields = fields


class ReinspectionDetailSerializer(ReinspectionSerializer):
    inspections = InspectionSerializer(many=True, read_only=True, label="检查")

    class Meta(ReinspectionSerializer.Meta):
        fields = [*ReinspectionSerializer.Meta.fields, "inspections"]
        read_only_fields = fields


class ReinspectionCreateSerializer(serializers.Serializer[dict[str, Any]]):
    office = VisiblePrimaryKeyField(
        visible=_managed_offices, queryset=Office.objects.all(), help_text="组织复核的创建办 id。"
    )
    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.all(), help_text="称号（创建项目）id。"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    name = serializers.CharField(max_length=150)
    kind = serializers.CharField(max_length=20, help_text=_values(Reinspection.Kind.choices))
    sample_size = serializers.IntegerField(
        min_value=0, max_value=10000, default=0, help_text="抽样复核的抽取数量。"
    )
    risk_weighted = serializers.BooleanField(default=False)
    risk_factor = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, min_value=1)
    version = serializers.PrimaryKeyRelatedField(
        queryset=StandardVersion.objects.all(),
        required=False,
        allow_null=True,
        help_text="新标准复查对照的已发布标准版本 id。",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReinspectionDrawSerializer(serializers.Serializer[dict[str, Any]]):
    seed = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="随机种子；留空自动生成（新标准复查不用）。",
    )


class ReinspectionVerificationSerializer(serializers.Serializer[Any]):
    matches = serializers.BooleanField(label="与记录一致")
    redrawn = serializers.ListField(child=serializers.CharField(), label="重新抽取的样本")


class InspectionResultSerializer(serializers.Serializer[dict[str, Any]]):
    result = serializers.CharField(max_length=10, help_text="passed 合格；failed 不合格（下达整改通知）。")
    inspected_on = serializers.DateField()
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    score = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True)
    requirements = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="不合格时的整改要求。"
    )


class RectificationOrderSerializer(serializers.ModelSerializer[RectificationOrder]):
    unit = serializers.IntegerField(source="title.unit_id", read_only=True, label="单位 id")
    unit_name = serializers.CharField(source="title.unit.name", read_only=True, label="单位名称")
    status = serializers.CharField(read_only=True, help_text=_values(RectificationOrder.Status.choices))
    has_report_file = serializers.SerializerMethodField(label="有整改材料")

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "number",
            "title",
            "unit",
            "unit_name",
            "inspection",
            "requirements",
            "issued_on",
            "due_on",
            "status",
            "report",
            "has_report_file",
            "report_file_name",
            "reported_on",
            "decided_on",
            "decision_note",
        ]
        read_only_fields = fields

    def get_has_report_file(self, order: RectificationOrder) -> bool:
        return bool(order.report_file)


class RectificationOrderCreateSerializer(serializers.Serializer[dict[str, Any]]):
    title = VisiblePrimaryKeyField(
        visible=visible_titles, queryset=Title.objects.all(), help_text="称号 id。"
    )
    requirements = serializers.CharField()


class RectificationReportSerializer(serializers.Serializer[dict[str, Any]]):
    report = serializers.CharField(help_text="整改情况。")
    file = serializers.FileField(required=False, help_text="整改材料：JPEG、PNG、PDF、Word 或 Excel。")


class RectificationNoteSerializer(serializers.Serializer[dict[str, Any]]):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="验收意见。")


class RevocationProposalSerializer(serializers.ModelSerializer[RevocationProposal]):
    unit = serializers.IntegerField(source="title.unit_id", read_only=True, label="单位 id")
    unit_name = serializers.CharField(source="title.unit.name", read_only=True, label="单位名称")
    status = serializers.CharField(read_only=True, help_text=_values(RevocationProposal.Status.choices))

    class Meta:
        model = RevocationProposal
        fields = [
            "id",
            "title",
            "unit",
            "unit_name",
            "order",
            "reason",
            "proposed_on",
            "proposed_by",
            "status",
            "decided_on",
            "document_number",
            "decision_note",
            "decided_by",
        ]
        read_only_fields = fields


class RevocationProposalCreateSerializer(serializers.Serializer[dict[str, Any]]):
    title = VisiblePrimaryKeyField(
        visible=visible_titles, queryset=Title.objects.all(), help_text="称号 id。"
    )
    reason = serializers.CharField(max_length=300, help_text="撤销理由，决定撤销后公开。")


class RevocationDecisionSerializer(serializers.Serializer[dict[str, Any]]):
    revoke = serializers.BooleanField(help_text="true 撤销称号；false 不予撤销。")
    document_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=80, help_text="决定文号，撤销时必填。"
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text="公开的撤销理由；留空用建议中的理由。",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="决定说明；不予撤销时必填。"
    )
