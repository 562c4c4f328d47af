"""Whether an action of a campaign is open today, for a given place, and until when.

An action is open on a day when a stage that lists it covers the day (seed 000: applications May–September,
the district batch by 30 September), or when an office recorded an override for the action that covers the
place and has not run out. Every guarded transition calls `require_open`, so a late action is refused with a
sentence that says when it closed and what to do, and an action allowed by an override cites it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lvchuang.campaigns.models import Action, Campaign, Stage, WindowOverride


@dataclass(frozen=True)
class Window:
    action: str
    is_open: bool
    stage: Stage | None = None  # the stage that opens it today
    override: WindowOverride | None = None  # the override that opens it today, when no stage does
    opens_on: datetime.date | None = None  # the first day of the action's stages
    closes_on: datetime.date | None = None  # the deadline: the last day of the action's stages

    @property
    def label(self) -> str:
        return str(Action(self.action).label)


def _stages(campaign: Campaign) -> list[Stage]:
    # Prefetched on lists (prefetch_related("stages")); one query otherwise.
    return list(campaign.stages.all())


def opens_on(campaign: Campaign, action: str) -> datetime.date | None:
    """The first day of the action's stages."""
    return min((s.starts_on for s in _stages(campaign) if action in s.actions), default=None)


def deadline(campaign: Campaign, action: str) -> datetime.date | None:
    """The last day of the action's stages."""
    return max((s.ends_on for s in _stages(campaign) if action in s.actions), default=None)


def due_on(
    campaign: Campaign, action: str, *, region_path: str = "", department_id: int | None = None
) -> datetime.date | None:
    """The action's deadline for a place: the end of its stages, or a later override that covers the place.
    Reads `campaign.overrides.all()`, so lists prefetch them (with their regions)."""
    due = deadline(campaign, action)
    if due is None:
        return None
    for override in campaign.overrides.all():
        if override.action == action and override.covers(region_path, department_id):
            due = max(due, override.until)
    return due


def window_for(
    campaign: Campaign,
    action: str,
    *,
    region_path: str = "",
    department_id: int | None = None,
    today: datetime.date | None = None,
) -> Window:
    today = today or timezone.localdate()
    first, last = opens_on(campaign, action), deadline(campaign, action)
    for stage in _stages(campaign):
        if action in stage.actions and stage.starts_on <= today <= stage.ends_on:
            return Window(action, True, stage=stage, opens_on=first, closes_on=last)
    for override in campaign.overrides.filter(action=action, until__gte=today).select_related("region"):
        if override.covers(region_path, department_id):
            return Window(action, True, override=override, opens_on=first, closes_on=last)
    return Window(action, False, opens_on=first, closes_on=last)


def require_open(
    campaign: Campaign,
    action: str,
    *,
    region_path: str = "",
    department_id: int | None = None,
    today: datetime.date | None = None,
) -> Window:
    """The open window, or a ValidationError that says when the action opens or closed."""
    today = today or timezone.localdate()
    window = window_for(campaign, action, region_path=region_path, department_id=department_id, today=today)
    if window.is_open:
        return window
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("该创建活动已结束。"))
    if window.opens_on is None or window.closes_on is None:
        raise ValidationError(_("本活动的日程未安排“%(action)s”。") % {"action": window.label})
    if today < window.opens_on:
        raise ValidationError(
            _("“%(action)s”自 %(date)s 起开放。")
            % {"action": window.label, "date": date_format(window.opens_on)}
        )
    if today > window.closes_on:
        raise ValidationError(
            _("“%(action)s”已于 %(date)s 截止。如确需延期，请组织单位登记窗口延期并说明理由。")
            % {"action": window.label, "date": date_format(window.closes_on)}
        )
    raise ValidationError(_("“%(action)s”今天不开放，请查看活动日程。") % {"action": window.label})
