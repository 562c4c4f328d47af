"""Reads of the joint meeting that need more than a scoped queryset: the body list with its counts, the items a
liaison's department owes (overdue first), the overdue items for a home page, the office's item list filters.

Overdue: an open item whose due date (办结时限) has passed. Nothing stores it; `today` decides.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from lvchuang.accounts.access import jurisdiction_of
from lvchuang.accounts.models import Role, User
from lvchuang.meetings.access import visible_items, visible_meeting_bodies
from lvchuang.meetings.models import AgreedItem, Liaison, Meeting
from lvchuang.organisations.models import BodyMembership, GoverningBody

Status = AgreedItem.Status


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def is_overdue(item: AgreedItem, *, today: datetime.date) -> bool:
    return item.status == Status.OPEN and item.due_on < today


def days_overdue(item: AgreedItem, *, today: datetime.date) -> int:
    """Whole days past the due date (0 for an item not overdue)."""
    return max(0, (today - item.due_on).days) if item.status == Status.OPEN else 0


def visible_agreed_items(user: User | AnonymousUser) -> QuerySet[AgreedItem]:
    """Every agreed item of the bodies whose record the user may read."""
    return visible_items(user)


def _liaison_pairs(user: User | AnonymousUser) -> list[tuple[int, int]]:
    """(body id, department id) of each membership the user is liaison of."""
    # Only a leadership member of a body can be its liaison (services.add_liaison): others need no query.
    if not user.is_authenticated or Role.LEADERSHIP_MEMBER not in jurisdiction_of(user).roles:
        return []
    return list(
        Liaison.objects.filter(user_id=user.pk).values_list(
            "membership__body_id", "membership__department_id"
        )
    )


def liaison_department_ids(user: User | AnonymousUser) -> set[int]:
    """The departments the user acts for as a liaison, in any body."""
    return {department_id for _body_id, department_id in _liaison_pairs(user)}


def _owned_q(pairs: list[tuple[int, int]]) -> Q:
    q = Q(pk__in=[])
    for body_id, department_id in pairs:
        q |= Q(meeting__body_id=body_id, owner_id=department_id)
    return q


def items_owned_by(user: User | AnonymousUser) -> QuerySet[AgreedItem]:
    """The items owned by the departments the user is liaison for, each in the body where they are liaison."""
    pairs = _liaison_pairs(user)
    return AgreedItem.objects.filter(_owned_q(pairs)).select_related("meeting__body", "owner")


@dataclass(frozen=True)
class LiaisonItem:
    item: AgreedItem
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def items_for_liaison(user: User | AnonymousUser, *, today: datetime.date | None = None) -> list[LiaisonItem]:
    """我的议定事项: the open items of the user's departments, overdue first (most days first), then by due date;
    then the closed ones, most recent first."""
    today = _today(today)
    items = list(items_owned_by(user).order_by("due_on", "meeting_id", "number"))
    rows = [LiaisonItem(item, days_overdue(item, today=today)) for item in items]
    open_rows = [row for row in rows if row.item.status == Status.OPEN]
    closed_rows = [row for row in rows if row.item.status != Status.OPEN]
    open_rows.sort(key=lambda row: (-row.days_overdue, row.item.due_on))
    closed_rows.sort(key=lambda row: row.item.closed_on or row.item.due_on, reverse=True)
    return open_rows + closed_rows


def _office_bodies_q(user: User | AnonymousUser) -> Q:
    """Bodies at the region of an office the user works in: the body's own office and the creation office of the
    same place keep its record together (a city's joint meeting and the 市创建办), without a query."""
    paths = jurisdiction_of(user).managed_paths
    if not paths:
        return Q(pk__in=[])
    return Q(meeting__body__region__path__in=paths)


def overdue_items_for(user: User | AnonymousUser, *, today: datetime.date | None = None) -> list[AgreedItem]:
    """Open items past their due date that the user's home page should show: those owned by the departments the
    user is liaison for (in that body), and those of the bodies whose office the user works in. Most overdue
    first."""
    today = _today(today)
    q = _owned_q(_liaison_pairs(user)) | _office_bodies_q(user)
    return list(
        AgreedItem.objects.filter(q, status=Status.OPEN, due_on__lt=today)
        .select_related("meeting__body", "owner")
        .order_by("due_on", "meeting_id", "number")
    )


# --- lists --------------------------------------------------------------------------------------------------------


def _count(queryset: QuerySet[Any], *, by: str) -> Coalesce:
    """A correlated count (a subquery, so several counts on one row do not multiply each other)."""
    counted = queryset.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def bodies_with_counts(
    user: User | AnonymousUser, *, today: datetime.date | None = None
) -> QuerySet[GoverningBody]:
    """The bodies the user sees, each with member_count, meeting_count, open_count and overdue_count (one query)."""
    today = _today(today)
    open_items = AgreedItem.objects.filter(meeting__body_id=OuterRef("pk"), status=Status.OPEN)
    return (
        visible_meeting_bodies(user)
        .select_related("region", "office")
        .annotate(
            member_count=_count(BodyMembership.objects.filter(body_id=OuterRef("pk")), by="body_id"),
            meeting_count=_count(Meeting.objects.filter(body_id=OuterRef("pk")), by="body_id"),
            open_count=_count(open_items, by="meeting__body_id"),
            overdue_count=_count(open_items.filter(due_on__lt=today), by="meeting__body_id"),
        )
        .order_by("region__code", "name")
    )


def meetings_with_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings with item_count and open_count."""
    items = AgreedItem.objects.filter(meeting_id=OuterRef("pk"))
    return meetings.annotate(
        item_count=_count(items, by="meeting_id"),
        open_count=_count(items.filter(status=Status.OPEN), by="meeting_id"),
    )


ITEM_FILTERS = ("open", "overdue", "done", "cancelled")


def filter_items(
    items: QuerySet[AgreedItem],
    *,
    status: str = "",
    owner_id: int | None = None,
    body_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[AgreedItem]:
    """The office's item list: by status ("overdue" is open past its due date), owner and body; open ones first,
    each by due date."""
    today = _today(today)
    if status == "overdue":
        items = items.filter(status=Status.OPEN, due_on__lt=today)
    elif status in Status.values:
        items = items.filter(status=status)
    if owner_id is not None:
        items = items.filter(owner_id=owner_id)
    if body_id is not None:
        items = items.filter(meeting__body_id=body_id)
    open_first = Case(When(status=Status.OPEN, then=Value(0)), default=Value(1))
    return items.order_by(open_first, "due_on", "meeting_id", "number")


def can_see_item_list(user: User | AnonymousUser) -> bool:
    """The list across bodies is the offices' (and leadership members' and administrators') tool."""
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or bool(jurisdiction.all_paths)


def memberships_of(body: GoverningBody) -> QuerySet[BodyMembership]:
    """A body's member departments, the lead first, each with its liaisons (for the body's page and API)."""
    liaisons = Liaison.objects.select_related("user", "membership__department")
    return (
        BodyMembership.objects.filter(body=body)
        .select_related("department")
        .prefetch_related(Prefetch("liaisons", queryset=liaisons))
        .order_by("-is_lead", "department__name")
    )
