"""Who sees and handles which notice and objection (STYLE habit 3), on top of `campaigns.access`.

- A notice is visible to whoever sees its campaign, and managed (published, closed, its objections handled) by
  whoever runs the campaign: the issuing office and the offices above it.
- Objections are cases of the managing offices only; the unit objected to never sees them.
- The objector's identity (name, phone, e-mail, evidence) is shown only to people working in the office that
  issued the notice: not to the offices above it, not to the administrator unless they work there too.
- Day overrides are read by every signed-in user and written by the administrator.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from lvchuang.accounts.access import _get_or_404, _paths_q, jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.campaigns.access import can_run_campaign, visible_campaigns
from lvchuang.notices.models import DayOverride, Notice, Objection
from lvchuang.standards.access import own_office_ids


def visible_notices(user: User | AnonymousUser) -> QuerySet[Notice]:
    return Notice.objects.filter(campaign__in=visible_campaigns(user).values("pk")).select_related(
        "campaign__program", "campaign__office__region"
    )


def can_manage_notice(user: User | AnonymousUser, notice: Notice) -> bool:
    return can_run_campaign(user, notice.campaign)


def access_notice_by_id(user: User | AnonymousUser, notice_id: Any, *, for_change: bool = False) -> Notice:
    notice = _get_or_404(visible_notices(user), pk=notice_id)
    if for_change and not can_manage_notice(user, notice):
        raise PermissionDenied
    return notice


def visible_objections(user: User | AnonymousUser) -> QuerySet[Objection]:
    jurisdiction = jurisdiction_of(user)
    objections = Objection.objects.select_related(
        "notice__campaign__office__region", "entry__unit__region", "handled_by"
    )
    if jurisdiction.is_admin:
        return objections
    return objections.filter(_paths_q(jurisdiction.managed_paths, "notice__campaign__office__region__path"))


def access_objection_by_id(user: User | AnonymousUser, objection_id: Any) -> Objection:
    return _get_or_404(visible_objections(user), pk=objection_id)


def can_see_objector(user: User | AnonymousUser, objection: Objection) -> bool:
    """Only the office that issued the notice learns who objected (docs/workflow.md, Objections)."""
    return objection.notice.campaign.office_id in own_office_ids(user)


def can_edit_calendar(user: User | AnonymousUser) -> bool:
    return jurisdiction_of(user).is_admin


def visible_day_overrides(user: User | AnonymousUser) -> QuerySet[DayOverride]:
    if not user.is_authenticated:
        return DayOverride.objects.none()
    return DayOverride.objects.all()


def access_day_override_by_id(
    user: User | AnonymousUser, override_id: Any, *, for_change: bool = False
) -> DayOverride:
    override = _get_or_404(visible_day_overrides(user), pk=override_id)
    if for_change and not can_edit_calendar(user):
        raise PermissionDenied
    return override
