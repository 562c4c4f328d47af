"""Serializers of the joint meeting API.

Statuses are plain text with their values in the help text (choice sets exposed as enums would collide by name
with other apps' `status` in the schema). Ids a user gives are looked up among what they can see.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from lvchuang.accounts.access import visible_departments, visible_users
from lvchuang.accounts.api import VisiblePrimaryKeyField
from lvchuang.accounts.models import User
from lvchuang.meetings import access, selectors
from lvchuang.meetings.models import AgreedItem, Attendance, ItemProgress, Liaison, Meeting
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody


def _values(choices: Any) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


def _visible_memberships(user: User) -> Any:
    return BodyMembership.objects.filter(body__in=access.visible_meeting_bodies(user))


def _today(context: dict[str, Any]) -> datetime.date:
    today: datetime.date = context.get("today") or timezone.localdate()
    return today


# --- liaisons and bodies ------------------------------------------------------------------------------------------


class LiaisonSerializer(serializers.ModelSerializer[Liaison]):
    body = serializers.IntegerField(source="membership.body_id", read_only=True, label="领导机构 id")
    department = serializers.IntegerField(
        source="membership.department_id", read_only=True, label="成员单位 id"
    )
    department_name = serializers.CharField(
        source="membership.department.name", read_only=True, label="成员单位名称"
    )
    user_name = serializers.CharField(source="user.__str__", read_only=True, label="联络员姓名")

    class Meta:
        model = Liaison
        fields = [
            "id",
            "membership",
            "body",
            "department",
            "department_name",
            "user",
            "user_name",
            "created_at",
        ]
        read_only_fields = fields


class LiaisonCreateSerializer(serializers.Serializer[dict[str, Any]]):
    membership = VisiblePrimaryKeyField(
        visible=_visible_memberships,
        queryset=BodyMembership.objects.all(),
        label="成员单位（成员关系 id）",
        help_text="见 /api/meeting-bodies/{id}/ 的 members[].id。",
    )
    user = VisiblePrimaryKeyField(
        visible=visible_users,
        queryset=User.objects.all(),
        label="用户 id",
        help_text="须已被授予本机构的领导小组成员角色。",
    )


class MembershipSerializer(serializers.ModelSerializer[BodyMembership]):
    department_name = serializers.CharField(source="department.name", read_only=True, label="成员单位名称")
    liaisons = LiaisonSerializer(many=True, read_only=True)

    class Meta:
        model = BodyMembership
        fields = ["id", "department", "department_name", "is_lead", "duties", "liaisons"]
        read_only_fields = fields


class MeetingBodySerializer(serializers.ModelSerializer[GoverningBody]):
    kind = serializers.CharField(read_only=True, help_text=_values(GoverningBody.Kind.choices))
    region_code = serializers.CharField(source="region.code", read_only=True, label="行政区划代码")
    region_name = serializers.CharField(source="region.name", read_only=True, label="所在行政区")
    member_count = serializers.IntegerField(read_only=True, label="成员单位数")
    meeting_count = serializers.IntegerField(read_only=True, label="会议数")
    open_count = serializers.IntegerField(read_only=True, label="办理中事项数")
    overdue_count = serializers.IntegerField(read_only=True, label="逾期事项数")

    class Meta:
        model = GoverningBody
        fields = [
            "id",
            "name",
            "kind",
            "region_code",
            "region_name",
            "office",
            "member_count",
            "meeting_count",
            "open_count",
            "overdue_count",
        ]
        read_only_fields = fields


class MeetingBodyDetailSerializer(MeetingBodySerializer):
    members = MembershipSerializer(source="bodymembership_set", many=True, read_only=True)

    class Meta(MeetingBodySerializer.Meta):
        fields = [*MeetingBodySerializer.Meta.fields, "members"]
        read_only_fields = fields


# --- meetings -----------------------------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, label="所属部门名称"
    )

    class Meta:
        model = Attendance
        fields = ["department", "department_name", "name", "position", "is_absent"]
        read_only_fields = fields


class AttendeeInputSerializer(serializers.Serializer[dict[str, Any]]):
    department = VisiblePrimaryKeyField(
        visible=visible_departments,
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        label="所属部门 id",
        help_text="须为本机构成员单位；列席人员留空。",
    )
    name = serializers.CharField(max_length=40, label="姓名")
    position = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", label="职务"
    )
    is_absent = serializers.BooleanField(required=False, default=False, label="请假")


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    body_name = serializers.CharField(source="body.name", read_only=True, label="领导机构名称")
    has_minutes_file = serializers.SerializerMethodField(label="有纪要扫描件")
    attendees = AttendanceSerializer(source="attendances", many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "body_name",
            "title",
            "held_on",
            "place",
            "chair",
            "minutes",
            "minutes_number",
            "has_minutes_file",
            "attendees",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_minutes_file(self, meeting: Meeting) -> bool:
        return bool(meeting.minutes_file)


class MeetingWriteSerializer(serializers.Serializer[dict[str, Any]]):
    title = serializers.CharField(max_length=150, label="会议名称")
    held_on = serializers.DateField(label="召开日期")
    place = serializers.CharField(max_length=150, required=False, allow_blank=True, default="", label="地点")
    chair = serializers.CharField(max_length=60, required=False, allow_blank=True, default="", label="主持人")
    minutes = serializers.CharField(required=False, allow_blank=True, default="", label="会议纪要")
    minutes_number = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default="", label="纪要编号"
    )
    attendees = AttendeeInputSerializer(
        many=True, required=False, label="参会人员", help_text="整体替换；修改时不传则保持不变。"
    )


class MeetingCreateSerializer(MeetingWriteSerializer):
    body = VisiblePrimaryKeyField(
        visible=access.visible_meeting_bodies, queryset=GoverningBody.objects.all(), label="领导机构 id"
    )


class MinutesUploadSerializer(serializers.Serializer[dict[str, Any]]):
    file = serializers.FileField(label="纪要扫描件", help_text="PDF、Word 或图片。")


# --- agreed items -------------------------------------------------------------------------------------------------


class ItemProgressSerializer(serializers.ModelSerializer[ItemProgress]):
    status_to = serializers.CharField(
        read_only=True, help_text="状态变为（空为进展记录）：" + _values(AgreedItem.Status.choices)
    )
    by_name = serializers.CharField(source="by.__str__", read_only=True, allow_null=True, label="填报人")

    class Meta:
        model = ItemProgress
        fields = ["id", "note", "status_to", "by", "by_name", "at"]
        read_only_fields = fields


class AgreedItemSerializer(serializers.ModelSerializer[AgreedItem]):
    meeting_title = serializers.CharField(source="meeting.title", read_only=True, label="会议名称")
    body = serializers.IntegerField(source="meeting.body_id", read_only=True, label="领导机构 id")
    body_name = serializers.CharField(source="meeting.body.name", read_only=True, label="领导机构名称")
    owner_name = serializers.CharField(source="owner.name", read_only=True, label="责任单位名称")
    status = serializers.CharField(read_only=True, help_text=_values(AgreedItem.Status.choices))
    days_overdue = serializers.SerializerMethodField(
        label="逾期天数", help_text="办理中且已过办结时限的天数；否则为 0。"
    )

    class Meta:
        model = AgreedItem
        fields = [
            "id",
            "meeting",
            "meeting_title",
            "body",
            "body_name",
            "number",
            "text",
            "owner",
            "owner_name",
            "due_on",
            "status",
            "closed_on",
            "result",
            "days_overdue",
        ]
        read_only_fields = fields

    def get_days_overdue(self, item: AgreedItem) -> int:
        return selectors.days_overdue(item, today=_today(self.context))


class AgreedItemDetailSerializer(AgreedItemSerializer):
    progress = ItemProgressSerializer(many=True, read_only=True, label="办理经过")

    class Meta(AgreedItemSerializer.Meta):
        fields = [*AgreedItemSerializer.Meta.fields, "progress"]
        read_only_fields = fields


class AgreedItemUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    text = serializers.CharField(max_length=1000, label="议定事项")
    owner = VisiblePrimaryKeyField(
        visible=visible_departments,
        queryset=Department.objects.all(),
        label="责任单位 id",
        help_text="须为本机构成员单位。",
    )
    due_on = serializers.DateField(label="办结时限", help_text="不早于会议召开日期。")


class AgreedItemCreateSerializer(AgreedItemUpdateSerializer):
    meeting = VisiblePrimaryKeyField(
        visible=access.visible_meetings, queryset=Meeting.objects.all(), label="会议 id"
    )


class ProgressNoteSerializer(serializers.Serializer[dict[str, Any]]):
    note = serializers.CharField(max_length=2000, label="进展情况")


class CloseSerializer(serializers.Serializer[dict[str, Any]]):
    result = serializers.CharField(max_length=2000, label="办理结果")
    closed_on = serializers.DateField(
        required=False, allow_null=True, label="办结日期", help_text="不填为今天。"
    )


class CancelSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=2000, label="撤销理由")


class ReopenSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=2000, label="重新打开的原因")
    due_on = serializers.DateField(
        required=False, allow_null=True, label="新的办结时限", help_text="不填则不变。"
    )


class ItemFilters(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(
        choices=selectors.ITEM_FILTERS,
        required=False,
        help_text="open 办理中；overdue 已逾期（办理中且过了办结时限）；done 已办结；cancelled 已撤销。",
    )
    owner = serializers.IntegerField(required=False, help_text="责任单位 id。")
    body = serializers.IntegerField(required=False, help_text="领导机构 id。")
    meeting = serializers.IntegerField(required=False, help_text="会议 id。")


class MeetingFilters(serializers.Serializer[dict[str, Any]]):
    body = serializers.IntegerField(required=False, help_text="领导机构 id。")
