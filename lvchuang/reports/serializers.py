"""Serializers of the submissions API.

Kinds and states are plain text with their values listed in the help text: several models have a `kind`, a
`period` or a `status`, and choice sets exposed as enums would collide by name in the schema.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lvchuang.accounts.access import visible_bodies
from lvchuang.accounts.api import VisiblePrimaryKeyField
from lvchuang.campaigns.access import visible_campaigns
from lvchuang.campaigns.models import Campaign
from lvchuang.organisations.models import GoverningBody
from lvchuang.regions.models import Region
from lvchuang.reports import selectors
from lvchuang.reports.models import Requirement, Submission
from lvchuang.reports.submitters import submitter_of


def _values(choices: Any) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


STATUS_HELP = _values(selectors.STATUS_LABELS.items())


class PeriodSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(label="报送期", help_text="如 2026Q1；一次性报送为空。")
    due_on = serializers.DateField(label="截止日期")


class RequirementSerializer(serializers.ModelSerializer[Requirement]):
    kind = serializers.CharField(read_only=True, help_text=_values(Requirement.Kind.choices))
    period = serializers.CharField(read_only=True, help_text=_values(Requirement.Period.choices))
    submitters = serializers.CharField(read_only=True, help_text=_values(Requirement.Submitters.choices))
    submitter_level = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_values(Region.Level.choices)
    )
    periods = serializers.SerializerMethodField(label="报送期")

    class Meta:
        model = Requirement
        fields = [
            "id",
            "campaign",
            "kind",
            "title",
            "instructions",
            "period",
            "due_on",
            "days_after_quarter",
            "submitters",
            "submitter_level",
            "body",
            "requires_file",
            "remind_days_before",
            "remind_days_after",
            "periods",
        ]
        read_only_fields = fields

    def get_periods(self, requirement: Requirement) -> list[dict[str, Any]]:
        periods = selectors.periods_of(requirement)
        return [dict(PeriodSerializer({"key": p.key, "due_on": p.due_on}).data) for p in periods]


class RequirementWriteSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.CharField(max_length=24, help_text=_values(Requirement.Kind.choices))
    title = serializers.CharField(max_length=150)
    instructions = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    period = serializers.CharField(
        max_length=10, default=Requirement.Period.ONCE, help_text=_values(Requirement.Period.choices)
    )
    due_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="一次性报送的截止日期。"
    )
    days_after_quarter = serializers.IntegerField(min_value=0, max_value=90, default=10)
    submitters = serializers.CharField(max_length=12, help_text=_values(Requirement.Submitters.choices))
    submitter_level = serializers.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        allow_null=True,
        default=None,
        help_text="报送主体为下级创建办时。",
    )
    body = VisiblePrimaryKeyField(
        visible=visible_bodies,
        queryset=GoverningBody.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="报送主体为成员单位时：联席会议或领导小组 id。",
    )
    requires_file = serializers.BooleanField(default=False)
    remind_days_before = serializers.IntegerField(min_value=0, max_value=60, default=7)
    remind_days_after = serializers.IntegerField(min_value=0, max_value=60, default=3)

    # Choice sets as plain text (see the module docstring); the values are checked here.
    def validate_kind(self, value: str) -> str:
        return _one_of(value, Requirement.Kind.values)

    def validate_period(self, value: str) -> str:
        return _one_of(value, Requirement.Period.values)

    def validate_submitters(self, value: str) -> str:
        return _one_of(value, Requirement.Submitters.values)


def _one_of(value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise serializers.ValidationError(f"应为以下之一：{'、'.join(allowed)}。")
    return value


class RequirementCreateSerializer(RequirementWriteSerializer):
    campaign = VisiblePrimaryKeyField(
        visible=visible_campaigns, queryset=Campaign.objects.all(), help_text="创建活动 id。"
    )


class DefaultsRequestSerializer(serializers.Serializer[dict[str, Any]]):
    campaign = VisiblePrimaryKeyField(
        visible=visible_campaigns, queryset=Campaign.objects.all(), help_text="创建活动 id。"
    )


class SkippedSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    reason = serializers.CharField()


class DefaultsAddedSerializer(serializers.Serializer[Any]):
    created = RequirementSerializer(many=True, label="已添加")
    skipped = SkippedSerializer(many=True, label="未添加及原因")


class SubmitterSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="如 office-3、unit-5、department-7：报送时用。")
    kind = serializers.CharField(help_text="office 创建办；unit 单位；department 成员单位")
    id = serializers.IntegerField()
    name = serializers.CharField()
    region_path = serializers.CharField()


class CompletenessRowSerializer(serializers.Serializer[Any]):
    submitter = SubmitterSerializer()
    status = serializers.CharField(help_text=STATUS_HELP)
    due_on = serializers.DateField()
    is_overdue = serializers.BooleanField(help_text="已过截止日期仍未报送（或退回未重报）。")
    submission = serializers.SerializerMethodField(label="报送材料 id")

    def get_submission(self, row: selectors.CompletenessRow) -> int | None:
        return row.submission.pk if row.submission is not None else None


class CompletenessSerializer(serializers.Serializer[Any]):
    period = serializers.CharField(source="period.key")
    due_on = serializers.DateField(source="period.due_on")
    expected = serializers.IntegerField(label="应报")
    handed_in = serializers.IntegerField(label="已报（含逾期报送和已确认）")
    totals = serializers.DictField(child=serializers.IntegerField(), help_text=STATUS_HELP)
    rows = CompletenessRowSerializer(many=True)


class CompletenessQuerySerializer(serializers.Serializer[dict[str, Any]]):
    period = serializers.CharField(
        required=False, allow_blank=True, help_text="如 2026Q1；默认下一个到期的期。"
    )


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    requirement_title = serializers.CharField(source="requirement.title", read_only=True)
    submitter = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text=_values(Submission.Status.choices))
    has_file = serializers.SerializerMethodField(label="有附件")

    class Meta:
        model = Submission
        fields = [
            "id",
            "requirement",
            "requirement_title",
            "period",
            "due_on",
            "submitter",
            "content",
            "has_file",
            "status",
            "is_late",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ]
        read_only_fields = fields

    def get_submitter(self, submission: Submission) -> dict[str, Any]:
        return dict(SubmitterSerializer(submitter_of(submission)).data)

    def get_has_file(self, submission: Submission) -> bool:
        return bool(submission.file)


class SubmissionSubmitSerializer(serializers.Serializer[dict[str, Any]]):
    period = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=8, help_text="如 2026Q1；一次性报送留空。"
    )
    submitter = serializers.CharField(help_text="报送单位，如 office-3、unit-5、department-7。")
    content = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    file = serializers.FileField(required=False, help_text="PDF、Word、Excel 或 JPEG、PNG 图片。")


class ReviewCommentSerializer(serializers.Serializer[dict[str, Any]]):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="意见；退回时必填。"
    )


class DutySerializer(serializers.Serializer[Any]):
    requirement = serializers.IntegerField(source="requirement.pk")
    requirement_title = serializers.CharField(source="requirement.title")
    campaign = serializers.IntegerField(source="requirement.campaign_id")
    campaign_name = serializers.CharField(source="requirement.campaign.name")
    period = serializers.CharField(source="period.key")
    due_on = serializers.DateField(source="period.due_on")
    submitter = SubmitterSerializer()
    status = serializers.CharField(help_text=STATUS_HELP)
    owed = serializers.BooleanField(help_text="仍须报送（未报送或已退回）。")
    submission = serializers.SerializerMethodField(label="报送材料 id")

    def get_submission(self, duty: selectors.Duty) -> int | None:
        return duty.submission.pk if duty.submission is not None else None
