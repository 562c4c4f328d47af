"""Who sees and keeps a body's record of meetings and agreed items (STYLE habit 3).

- A body's record (meetings, attendees, minutes, agreed items, liaisons) is seen by whoever sees the body
  (`accounts.access.visible_bodies`: the offices over its region, leadership members over it, administrators)
  and by its liaisons.
- It is kept — meetings recorded, items agreed, cancelled and reopened, liaisons registered — by the offices
  that manage the body's region (its own office and those above it) and by administrators (`can_keep_body`).
- A liaison acts for their member department: they add progress notes to the department's open items in that
  body and close them with the result (`can_act_as_owner`). Only the office cancels or reopens.

Anything outside answers 404; a visible object the user may not act on answers 403 (`for_change=True`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from lvchuang.accounts.access import _get_or_404, _paths_q, can_manage_organisations_in, jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.meetings.models import AgreedItem, Liaison, Meeting
from lvchuang.organisations.models import GoverningBody


def _seen_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """A filter on GoverningBody (or, with a prefix such as "meeting__body__", on what hangs from a body)."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return Q()
    q = _paths_q(jurisdiction.all_paths, f"{prefix}region__path")
    if user.is_authenticated:
        liaison_of = Liaison.objects.filter(user_id=user.pk).values("membership__body_id")
        q |= Q(**{f"{prefix}pk__in": liaison_of})
    return q


def visible_meeting_bodies(user: User | AnonymousUser) -> QuerySet[GoverningBody]:
    """The bodies whose record the user may read."""
    return GoverningBody.objects.filter(_seen_q(user))


def can_keep_body(user: User | AnonymousUser, body: GoverningBody) -> bool:
    """The offices that manage the body's region (its own and those above) and administrators keep its record."""
    return can_manage_organisations_in(user, body.region)


def is_liaison_for(user: User | AnonymousUser, *, body_id: int, department_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return Liaison.objects.filter(
        user_id=user.pk, membership__body_id=body_id, membership__department_id=department_id
    ).exists()


def can_act_as_owner(user: User | AnonymousUser, item: AgreedItem) -> bool:
    """A liaison of the owner department in the item's body reports progress and closes it."""
    return is_liaison_for(user, body_id=item.meeting.body_id, department_id=item.owner_id)


def can_work_on_item(user: User | AnonymousUser, item: AgreedItem) -> bool:
    """Progress notes and closing: the owner's liaisons and whoever keeps the body's record."""
    return can_keep_body(user, item.meeting.body) or can_act_as_owner(user, item)


def access_meeting_body_by_id(
    user: User | AnonymousUser, body_id: Any, *, for_change: bool = False
) -> GoverningBody:
    body = _get_or_404(visible_meeting_bodies(user).select_related("region", "office"), pk=body_id)
    if for_change and not can_keep_body(user, body):
        raise PermissionDenied
    return body


def visible_meetings(user: User | AnonymousUser) -> QuerySet[Meeting]:
    return Meeting.objects.filter(_seen_q(user, "body__")).select_related("body__region", "body__office")


def access_meeting_by_id(user: User | AnonymousUser, meeting_id: Any, *, for_change: bool = False) -> Meeting:
    meeting = _get_or_404(visible_meetings(user), pk=meeting_id)
    if for_change and not can_keep_body(user, meeting.body):
        raise PermissionDenied
    return meeting


def visible_items(user: User | AnonymousUser) -> QuerySet[AgreedItem]:
    return AgreedItem.objects.filter(_seen_q(user, "meeting__body__")).select_related(
        "meeting__body__region", "meeting__body__office", "owner"
    )


def access_item_by_id(user: User | AnonymousUser, item_id: Any, *, for_change: bool = False) -> AgreedItem:
    """`for_change`: the user may work on the item, as the body's office or as a liaison of its owner. Cancelling,
    reopening and editing need `access_item_by_id(…, for_change=True)` and `can_keep_body`."""
    item = _get_or_404(visible_items(user), pk=item_id)
    if for_change and not can_work_on_item(user, item):
        raise PermissionDenied
    return item


def visible_liaisons(user: User | AnonymousUser) -> QuerySet[Liaison]:
    return Liaison.objects.filter(_seen_q(user, "membership__body__")).select_related(
        "membership__body__region", "membership__department", "user"
    )


def access_liaison_by_id(user: User | AnonymousUser, liaison_id: Any, *, for_change: bool = False) -> Liaison:
    liaison = _get_or_404(visible_liaisons(user), pk=liaison_id)
    if for_change and not can_keep_body(user, liaison.membership.body):
        raise PermissionDenied
    return liaison
