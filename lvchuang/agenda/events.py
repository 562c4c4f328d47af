"""Every dated duty in a user's scope, for the calendar page, its API and the ICS feed (docs/workflow.md).

- **stage**: the start and end of each stage of the visible campaigns;
- **deadline**: the user's pending actions and the 申报表 a district owes (`campaigns.deadlines`), missed or
  approaching by the campaign's `reminder_days`;
- **notice**: the last day of each published notice's objection window in the visible campaigns;
- **order**: the due date of open, reported or overdue rectification orders the user sees;
- **submission**: report periods the user owes or the user's office receives (`reports.selectors`);
- **item**: open agreed items owned by the user's liaison departments or kept by the user's office (`meetings`).

Orders and items count as approaching by `defaults/agenda.yaml`; submissions by their requirement's
`remind_days_before`. Each source is one query or a few whatever the number of events (the page pins its
query count). Every event has a stable UID, so a calendar program updates it in place rather than adding a copy.
"""

from __future__ import annotations

import dataclasses
import datetime
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvchuang.accounts.models import User
from lvchuang.agenda.rules import rules
from lvchuang.campaigns import deadlines
from lvchuang.campaigns.access import visible_campaigns
from lvchuang.campaigns.models import Stage
from lvchuang.meetings.models import AgreedItem, Liaison
from lvchuang.meetings.selectors import visible_agreed_items
from lvchuang.notices.access import visible_notices
from lvchuang.notices.models import Notice
from lvchuang.organisations.models import Office
from lvchuang.reports.selectors import dated_requirements_for
from lvchuang.standards.access import own_office_ids
from lvchuang.supervision.access import visible_orders
from lvchuang.supervision.models import RectificationOrder
from lvchuang.supervision.selectors import is_overdue

STAGE = "stage"
DEADLINE = "deadline"
NOTICE = "notice"
ORDER = "order"
SUBMISSION = "submission"
ITEM = "item"

# The legend, in the order events of one day are listed.
KINDS: dict[str, str | Promise] = {
    DEADLINE: gettext_lazy("办理期限"),
    SUBMISSION: gettext_lazy("报送"),
    ORDER: gettext_lazy("整改"),
    ITEM: gettext_lazy("议定事项"),
    NOTICE: gettext_lazy("公示"),
    STAGE: gettext_lazy("阶段"),
}
KIND_ORDER = {kind: number for number, kind in enumerate(KINDS)}

OVERDUE = "overdue"
APPROACHING = "approaching"
STATES: dict[str, str | Promise] = {OVERDUE: gettext_lazy("已逾期"), APPROACHING: gettext_lazy("即将到期")}

DEADLINE_STATES = {deadlines.MISSED: OVERDUE, deadlines.APPROACHING: APPROACHING}
LIVE_ORDER_STATUSES = (
    RectificationOrder.Status.OPEN,
    RectificationOrder.Status.REPORTED,
    RectificationOrder.Status.OVERDUE,
)
PUBLISHED_NOTICE_STATUSES = (Notice.Status.OPEN, Notice.Status.CLOSED)


@dataclass(frozen=True)
class Event:
    on: datetime.date
    kind: str
    title: str
    detail: str
    url: str  # a path on this site; the feed and the API make it absolute
    uid: str
    state: str = ""  # OVERDUE, APPROACHING or ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def state_label(self) -> str:
        return str(STATES[self.state]) if self.state else ""


def events_for(
    user: User | AnonymousUser,
    *,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> list[Event]:
    """The user's events dated in [start, end], by date, then kind, then title."""
    if not user.is_authenticated or end < start:
        return []
    today = today or timezone.localdate()
    found = [
        *_stage_events(user, start, end),
        *_deadline_events(user, start, end, today),
        *_notice_events(user, start, end),
        *_order_events(user, start, end, today),
        *_submission_events(user, start, end, today),
        *_item_events(user, start, end, today),
    ]
    return sorted(_unique(found), key=lambda e: (e.on, KIND_ORDER[e.kind], e.title, e.uid))


def _unique(events: Iterable[Event]) -> list[Event]:
    """One event once (a deadline reached through two roles), and every UID unique within the list."""
    kept: dict[str, Event] = {}
    for event in dict.fromkeys(events):
        uid, number = event.uid, 1
        while uid in kept:
            number += 1
            uid = event.uid.replace("@", f"-{number}@", 1)
        kept[uid] = event if uid == event.uid else dataclasses.replace(event, uid=uid)
    return list(kept.values())


def _state(due_on: datetime.date, today: datetime.date, approaching_days: int) -> str:
    if due_on < today:
        return OVERDUE
    if (due_on - today).days <= approaching_days:
        return APPROACHING
    return ""


def _in(start: datetime.date, end: datetime.date, day: datetime.date | None) -> bool:
    return day is not None and start <= day <= end


# --- stages -------------------------------------------------------------------------------------------------


def _stage_events(user: User | AnonymousUser, start: datetime.date, end: datetime.date) -> list[Event]:
    stages = (
        Stage.objects.filter(campaign__in=visible_campaigns(user).values("pk"))
        .filter(Q(starts_on__range=(start, end)) | Q(ends_on__range=(start, end)))
        .select_related("campaign__office")
        .order_by("starts_on", "pk")
    )
    found: list[Event] = []
    for stage in stages:
        campaign = stage.campaign
        url = reverse("campaigns:campaign_detail", kwargs={"campaign_id": campaign.pk})
        detail = _("%(campaign)s（%(office)s）：%(stage)s %(starts)s 至 %(ends)s") % {
            "campaign": campaign.name,
            "office": campaign.office.name,
            "stage": stage.name,
            "starts": stage.starts_on.isoformat(),
            "ends": stage.ends_on.isoformat(),
        }
        names = {"stage": stage.name, "campaign": campaign.name}
        if _in(start, end, stage.starts_on):
            found.append(
                Event(
                    on=stage.starts_on,
                    kind=STAGE,
                    title=_("%(stage)s开始 · %(campaign)s") % names,
                    detail=detail,
                    url=url,
                    uid=f"stage-start-{stage.pk}@lvchuang",
                )
            )
        if _in(start, end, stage.ends_on):
            found.append(
                Event(
                    on=stage.ends_on,
                    kind=STAGE,
                    title=_("%(stage)s截止 · %(campaign)s") % names,
                    detail=detail,
                    url=url,
                    uid=f"stage-end-{stage.pk}@lvchuang",
                )
            )
    return found


# --- the user's pending actions -----------------------------------------------------------------------------


def _deadline_events(
    user: User | AnonymousUser, start: datetime.date, end: datetime.date, today: datetime.date
) -> list[Event]:
    if not isinstance(user, User):
        return []
    found: list[Event] = []
    for deadline in deadlines.deadlines_for(user, today=today):
        if not _in(start, end, deadline.due_on):
            continue
        campaign = deadline.campaign
        if deadline.application_id is not None:
            url = reverse("applications:detail", kwargs={"application_id": deadline.application_id})
        else:
            url = reverse("campaigns:campaign_detail", kwargs={"campaign_id": campaign.pk})
        pending = str(deadline.pending)
        if deadline.unit is not None:
            pending = f"{deadline.unit.name}：{pending}"
        place = f"u{deadline.unit.pk}" if deadline.unit is not None else "office"
        found.append(
            Event(
                on=deadline.due_on,
                kind=DEADLINE,
                title=_("%(action)s截止 · %(campaign)s")
                % {"action": deadline.label, "campaign": campaign.name},
                detail=pending,
                url=url,
                uid=f"deadline-{campaign.pk}-{deadline.action}-{place}@lvchuang",
                state=DEADLINE_STATES.get(deadline.state, ""),
            )
        )
    return found


# --- notices ------------------------------------------------------------------------------------------------


def _notice_events(user: User | AnonymousUser, start: datetime.date, end: datetime.date) -> list[Event]:
    notices = visible_notices(user).filter(status__in=PUBLISHED_NOTICE_STATUSES, ends_on__range=(start, end))
    found: list[Event] = []
    for notice in notices.order_by("ends_on", "pk"):
        assert notice.ends_on is not None  # filtered on it
        detail = _("%(campaign)s：公示期 %(starts)s 至 %(ends)s，期满前可提出异议。") % {
            "campaign": notice.campaign.name,
            "starts": notice.starts_on.isoformat() if notice.starts_on else "",
            "ends": notice.ends_on.isoformat(),
        }
        if notice.calendar_provisional:
            detail += _("节假日安排待确认，截止日期可能调整。")
        found.append(
            Event(
                on=notice.ends_on,
                kind=NOTICE,
                title=_("公示截止 · %(title)s") % {"title": notice.title},
                detail=detail,
                url=reverse("notices:detail", kwargs={"notice_id": notice.pk}),
                uid=f"notice-end-{notice.pk}@lvchuang",
            )
        )
    return found


# --- rectification orders -----------------------------------------------------------------------------------


def _order_events(
    user: User | AnonymousUser, start: datetime.date, end: datetime.date, today: datetime.date
) -> list[Event]:
    orders = visible_orders(user).filter(status__in=LIVE_ORDER_STATUSES, due_on__range=(start, end))
    approaching_days = rules().order_approaching_days
    found: list[Event] = []
    for order in orders.order_by("due_on", "pk"):
        if is_overdue(order, today=today):
            state = OVERDUE
        elif order.status == RectificationOrder.Status.OPEN:
            state = _state(order.due_on, today, approaching_days)
        else:
            state = ""  # reported: the unit has answered, the office decides
        found.append(
            Event(
                on=order.due_on,
                kind=ORDER,
                title=_("整改期限 · %(unit)s") % {"unit": order.title.unit.name},
                detail=_("%(number)s（%(program)s）：%(status)s")
                % {
                    "number": order.number,
                    "program": order.title.program.name,
                    "status": order.get_status_display(),
                },
                url=reverse("supervision:order_detail", kwargs={"order_id": order.pk}),
                uid=f"order-due-{order.pk}@lvchuang",
                state=state,
            )
        )
    return found


# --- submissions --------------------------------------------------------------------------------------------


def _submission_events(
    user: User | AnonymousUser, start: datetime.date, end: datetime.date, today: datetime.date
) -> list[Event]:
    """Periods the user hands in (overdue or approaching while owed) and the periods the user's office
    receives (one event per requirement period)."""
    if not isinstance(user, User):
        return []
    offices = own_office_ids(user)
    found: list[Event] = []
    for dated in dated_requirements_for(user, start=start, end=end, today=today):
        requirement = dated.requirement
        campaign = requirement.campaign
        name = f"{requirement.title}（{dated.period}）" if dated.period else requirement.title
        received = not dated.owed and campaign.office_id in offices
        if received:
            title = _("收取报送 · %(name)s") % {"name": name}
            detail = _("%(campaign)s：%(submitters)s报送截止") % {
                "campaign": campaign.name,
                "submitters": dated.submitter_label,
            }
            side, state = "received", ""
        else:
            title = _("报送截止 · %(name)s") % {"name": name}
            done = "" if dated.owed else _("（已报送）")
            detail = _("%(submitter)s报送%(done)s：%(campaign)s") % {
                "submitter": dated.submitter_label,
                "done": done,
                "campaign": campaign.name,
            }
            side = f"{zlib.crc32(dated.submitter_label.encode()):08x}"  # stable per submitter
            state = _state(dated.due_on, today, requirement.remind_days_before) if dated.owed else ""
        found.append(
            Event(
                on=dated.due_on,
                kind=SUBMISSION,
                title=title,
                detail=detail,
                url=dated.url,
                uid=f"submission-{requirement.pk}-{dated.period or 'once'}-{side}@lvchuang",
                state=state,
            )
        )
    return found


# --- agreed items -------------------------------------------------------------------------------------------


def _item_events(
    user: User | AnonymousUser, start: datetime.date, end: datetime.date, today: datetime.date
) -> list[Event]:
    """Open items owned by a department the user is liaison of in that item's body, and the items of the bodies
    kept by an office the user works in (as `meetings.selectors.overdue_items_for`: a body without an office is
    kept by the office of its region)."""
    if not isinstance(user, User):
        return []
    offices = own_office_ids(user)
    as_liaison = Exists(
        Liaison.objects.filter(
            user_id=user.pk,
            membership__body_id=OuterRef("meeting__body_id"),
            membership__department_id=OuterRef("owner_id"),
        )
    )
    kept = Q(meeting__body__office_id__in=offices) | Q(
        meeting__body__office__isnull=True,
        meeting__body__region_id__in=Office.objects.filter(pk__in=offices).values("region_id"),
    )
    items = (
        visible_agreed_items(user)
        .filter(as_liaison | kept, status=AgreedItem.Status.OPEN, due_on__range=(start, end))
        .order_by("due_on", "pk")
    )
    approaching_days = rules().item_approaching_days
    found: list[Event] = []
    for item in items:
        found.append(
            Event(
                on=item.due_on,
                kind=ITEM,
                title=_("议定事项办结时限 · %(meeting)s 第 %(number)s 项")
                % {"meeting": item.meeting.title, "number": item.number},
                detail=_("%(owner)s：%(text)s") % {"owner": item.owner.name, "text": item.text},
                url=reverse("meetings:item_detail", kwargs={"item_id": item.pk}),
                uid=f"agreed-item-{item.pk}@lvchuang",
                state=_state(item.due_on, today, approaching_days),
            )
        )
    return found
