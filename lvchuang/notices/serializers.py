"""Shapes of the notices API. The objector's identity is null for everybody but the issuing office."""

from __future__ import annotations

from typing import Any

from django.db.models import TextChoices
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvchuang.accounts.api import current_user
from lvchuang.campaigns.models import DayKind
from lvchuang.notices import access, services
from lvchuang.notices.models import Notice, NoticeEntry, Objection


def status_field(choices: type[TextChoices], label: str) -> serializers.CharField:
    """A read-only state as a plain string whose values the description lists: several models call their state
    `status`, and drf-spectacular would name an enum per choice set, colliding across apps in the schema."""
    values = "、".join(str(value) for value in choices.values)

    @extend_schema_field({"type": "string", "description": f"{label}（{values}）"})
    class StateField(serializers.CharField):
        pass

    return StateField(read_only=True, label=label)


class NoticeEntrySerializer(serializers.ModelSerializer[NoticeEntry]):
    unit_name = serializers.CharField(source="unit.name", read_only=True, label="单位名称")
    status = status_field(NoticeEntry.Status, "状态：listed 公示中，removed 已移出")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")

    class Meta:
        model = NoticeEntry
        fields = [
            "id",
            "application",
            "unit",
            "unit_name",
            "rank",
            "score",
            "is_demonstration",
            "status",
            "status_display",
            "removed_reason",
        ]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer[Notice]):
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, label="创建活动")
    office_name = serializers.CharField(source="campaign.office.name", read_only=True, label="组织单位")
    status = status_field(Notice.Status, "状态：draft 草稿，open 公示中，closed 公示结束")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    day_kind = status_field(DayKind, "公示期计算方式：working 工作日，calendar 自然日")
    accepting_objections = serializers.SerializerMethodField(label="今天是否受理异议")
    close_refusal = serializers.SerializerMethodField(label="暂不能结束公示的原因（可以结束时为空）")

    class Meta:
        model = Notice
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "office_name",
            "title",
            "body",
            "contact_phone",
            "contact_email",
            "contact_address",
            "length",
            "day_kind",
            "starts_on",
            "ends_on",
            "calendar_provisional",
            "status",
            "status_display",
            "accepting_objections",
            "close_refusal",
            "published_at",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_accepting_objections(self, notice: Notice) -> bool:
        return services.accepts_objections(notice)

    def get_close_refusal(self, notice: Notice) -> str:
        return services.close_refusal(notice)


class NoticeDetailSerializer(NoticeSerializer):
    entries = NoticeEntrySerializer(many=True, read_only=True, label="公示名单")

    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "entries"]
        read_only_fields = fields


class NewNoticeSerializer(serializers.Serializer[dict[str, Any]]):
    campaign = serializers.IntegerField(help_text="创建活动 id：公示其入围名单。")
    title = serializers.CharField(max_length=200, help_text="公示标题。")
    body = serializers.CharField(required=False, allow_blank=True, help_text="公示说明。")
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_address = serializers.CharField(required=False, allow_blank=True, max_length=200)


class NoticeFilters(serializers.Serializer[dict[str, Any]]):
    campaign = serializers.IntegerField(required=False, help_text="创建活动 id。")
    status = serializers.ChoiceField(
        choices=Notice.Status.choices, required=False, help_text="状态：draft、open、closed。"
    )


class ObjectionSerializer(serializers.ModelSerializer[Objection]):
    notice_title = serializers.CharField(source="notice.title", read_only=True, label="公示")
    unit_name = serializers.CharField(source="entry.unit.name", read_only=True, label="异议对象")
    status = status_field(
        Objection.Status,
        "状态：received 已受理，investigating 调查核实中，upheld 异议成立，dismissed 异议不成立",
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    handled_by_name = serializers.SerializerMethodField(label="承办人")
    identity_visible = serializers.SerializerMethodField(label="您能否看到异议人身份（仅受理单位）")
    name = serializers.SerializerMethodField(label="异议人姓名（仅受理单位可见，否则为 null）")
    phone = serializers.SerializerMethodField(label="联系电话（仅受理单位可见，否则为 null）")
    email = serializers.SerializerMethodField(label="电子邮箱（仅受理单位可见，否则为 null）")
    evidence_name = serializers.SerializerMethodField(label="证据原文件名（仅受理单位可见，否则为 null）")
    has_evidence = serializers.SerializerMethodField(label="是否附有证据材料")

    class Meta:
        model = Objection
        fields = [
            "id",
            "notice",
            "notice_title",
            "entry",
            "unit_name",
            "case_number",
            "status",
            "status_display",
            "identity_visible",
            "name",
            "phone",
            "email",
            "evidence_name",
            "has_evidence",
            "content",
            "findings",
            "reply",
            "handled_by",
            "handled_by_name",
            "received_at",
            "investigating_at",
            "decided_at",
        ]
        read_only_fields = fields

    def _visible(self, objection: Objection) -> bool:
        return access.can_see_objector(current_user(self.context["request"]), objection)

    def get_identity_visible(self, objection: Objection) -> bool:
        return self._visible(objection)

    def get_handled_by_name(self, objection: Objection) -> str:
        return str(objection.handled_by) if objection.handled_by else ""

    def get_name(self, objection: Objection) -> str | None:
        return objection.name if self._visible(objection) else None

    def get_phone(self, objection: Objection) -> str | None:
        return objection.phone if self._visible(objection) else None

    def get_email(self, objection: Objection) -> str | None:
        return objection.email if self._visible(objection) else None

    def get_evidence_name(self, objection: Objection) -> str | None:
        return objection.evidence_name if self._visible(objection) else None

    def get_has_evidence(self, objection: Objection) -> bool:
        return bool(objection.evidence)


class ObjectionFilters(serializers.Serializer[dict[str, Any]]):
    notice = serializers.IntegerField(required=False, help_text="公示 id。")
    status = serializers.ChoiceField(
        choices=Objection.Status.choices,
        required=False,
        help_text="状态：received、investigating、upheld、dismissed。",
    )


class InvestigateSerializer(serializers.Serializer[dict[str, Any]]):
    findings = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="调查情况（内部记录）。"
    )


class DecideSerializer(serializers.Serializer[dict[str, Any]]):
    upheld = serializers.BooleanField(help_text="true 异议成立（单位移出名单），false 异议不成立。")
    reply = serializers.CharField(max_length=5000, help_text="给异议人的书面答复（必填）。")
    findings = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="调查情况（内部记录）。"
    )


class DayOverrideSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField(help_text="日期；已录入的日期再次提交即为更正。")
    is_workday = serializers.BooleanField(help_text="true 调休上班，false 放假。")
    name = serializers.CharField(max_length=60, help_text="名称，如“春节”“国庆节调休上班”。")
    source = serializers.CharField(  # type: ignore[assignment]  # the model field, not Field.source
        max_length=200, required=False, allow_blank=True, help_text="依据：国务院办公厅通知的文号。"
    )


class WorkdaysQuery(serializers.Serializer[dict[str, Any]]):
    publish_day = serializers.DateField(help_text="发布日期。")
    length = serializers.IntegerField(min_value=1, max_value=60, help_text="公示期长度。")
    day_kind = serializers.ChoiceField(
        choices=DayKind.choices, default=DayKind.WORKING, help_text="working 工作日，calendar 自然日。"
    )


class DaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField(label="日期")
    is_workday = serializers.BooleanField(label="是否工作日")


class WorkdaysPreviewSerializer(serializers.Serializer[Any]):
    starts_on = serializers.DateField(label="公示开始")
    ends_on = serializers.DateField(label="公示截止")
    provisional = serializers.BooleanField(label="所涉年份尚无节假日安排，结果待确认")
    days = DaySerializer(many=True, label="从发布日期到截止日的每一天")
