"""What the titles API shows of a title and its events."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lvchuang.titles import certificates
from lvchuang.titles.models import Title, TitleEvent


class TitleSerializer(serializers.ModelSerializer[Title]):
    unit_name = serializers.CharField(source="unit.name", read_only=True, label="单位名称")
    region_name = serializers.CharField(source="unit.region.name", read_only=True, label="所在地区")
    program_name = serializers.CharField(source="program.name", read_only=True, label="称号名称")
    level = serializers.CharField(source="program.level", read_only=True, label="称号级别")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")

    class Meta:
        model = Title
        fields = [
            "id",
            "unit",
            "unit_name",
            "region_name",
            "program",
            "program_name",
            "level",
            "campaign",
            "year",
            "named_on",
            "document_number",
            "valid_until",
            "is_demonstration",
            "status",
            "status_display",
            "status_reason",
            "status_changed_on",
            "certificate_number",
        ]
        read_only_fields = fields


class TitleEventSerializer(serializers.ModelSerializer[TitleEvent]):
    by_name = serializers.SerializerMethodField(label="操作人")

    class Meta:
        model = TitleEvent
        fields = ["id", "from_status", "to_status", "on", "reason", "document_number", "by", "by_name", "at"]
        read_only_fields = fields

    def get_by_name(self, event: TitleEvent) -> str:
        return str(event.by) if event.by else ""


class TitleDetailSerializer(TitleSerializer):
    events = TitleEventSerializer(many=True, read_only=True, label="状态变更记录")
    verification_url = serializers.SerializerMethodField(label="公开核验地址")

    class Meta(TitleSerializer.Meta):
        fields = [*TitleSerializer.Meta.fields, "events", "verification_url"]
        read_only_fields = fields

    def get_verification_url(self, title: Title) -> str:
        if not title.certificate_number:
            return ""
        return certificates.verification_url(self.context["request"], title.certificate_number)


class TitleFilters(serializers.Serializer[dict[str, Any]]):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="单位名称或证书编号。"
    )
    program = serializers.IntegerField(required=False, help_text="称号（创建项目）id。")
    level = serializers.CharField(
        required=False, allow_blank=True, help_text="级别：district、city、province…"
    )
    year = serializers.IntegerField(required=False, help_text="年度。")
    status = serializers.ChoiceField(choices=Title.Status.choices, required=False, help_text="状态。")
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=12, help_text="地区代码（含下级）。"
    )


class TitleStatusChangeSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=300, help_text="公开的原因，如：发生重大污染事故。")
    document_number = serializers.CharField(max_length=80, help_text="决定文号。")
    on = serializers.DateField(required=False, help_text="日期，默认今天。")
