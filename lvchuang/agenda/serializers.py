"""Shapes of the calendar API (`api.py`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from lvchuang.agenda.events import KINDS, STATES
from lvchuang.agenda.rules import rules


class AgendaEventQuerySerializer(serializers.Serializer[dict[str, Any]]):
    start = serializers.DateField(help_text="第一天（含），YYYY-MM-DD。")
    end = serializers.DateField(help_text="最后一天（含），YYYY-MM-DD；与 start 相距最多 400 天。")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start: datetime.date = attrs["start"]
        end: datetime.date = attrs["end"]
        if end < start:
            raise serializers.ValidationError({"end": [_("结束日期不能早于开始日期。")]})
        longest = rules().api_max_range_days
        if (end - start).days > longest:
            raise serializers.ValidationError(
                {"end": [_("查询范围最长 %(days)s 天，请缩小范围。") % {"days": longest}]}
            )
        return attrs


class AgendaEventSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(label="日期")
    kind = serializers.ChoiceField(choices=list(KINDS), label="类别")
    kind_label = serializers.CharField(label="类别名称")
    title = serializers.CharField(label="事项")
    detail = serializers.CharField(label="说明")
    url = serializers.SerializerMethodField(label="详情页地址")
    uid = serializers.CharField(label="唯一标识（与订阅日程中的 UID 相同）")
    state = serializers.ChoiceField(
        choices=["", *STATES], label="状态", help_text="overdue 已逾期，approaching 即将到期，空为无提醒。"
    )
    state_label = serializers.CharField(label="状态名称")

    def get_url(self, event: Any) -> str:
        request = self.context.get("request")
        return str(request.build_absolute_uri(event.url)) if request is not None else str(event.url)


class FeedAddressSerializer(serializers.Serializer[Any]):
    feed_url = serializers.URLField(label="订阅地址", help_text="在日历软件中订阅；无需登录，请勿转发。")
