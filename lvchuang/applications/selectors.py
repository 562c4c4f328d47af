"""Reads behind the application pages and the API: every query starts from the access helpers (`access.py`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.access import jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.applications import access
from lvchuang.applications.models import (
    ACTIVE_STATUSES,
    Application,
    ApplicationEvent,
    Batch,
    GoalComment,
    Route,
    Status,
)
from lvchuang.applications.workflow import TRANSITIONS, Transition
from lvchuang.campaigns import eligibility
from lvchuang.campaigns.access import visible_campaigns
from lvchuang.campaigns.models import Campaign
from lvchuang.organisations.models import Unit

# --- the unit's side: campaigns open to it, and its applications ------------------------------------------


@dataclass(frozen=True)
class Offer:
    """A campaign open to one of the user's units, with the eligibility verdict and the application if any."""

    unit: Unit
    campaign: Campaign
    explained: eligibility.Explained
    application: Application | None

    @property
    def can_start(self) -> bool:
        # A skip-level applicant may start a draft and ask the issuing office for consent (services.create).
        hard = [line for line in self.explained.lines if line.refuses and line.outcome != "consent_needed"]
        return self.application is None and not hard


def own_units(user: User | AnonymousUser) -> list[Unit]:
    jurisdiction = jurisdiction_of(user)
    if not jurisdiction.own_unit_ids:
        return []
    return list(
        Unit.objects.filter(pk__in=jurisdiction.own_unit_ids).select_related("region").order_by("name")
    )


def offers_for(user: User | AnonymousUser) -> list[Offer]:
    units = own_units(user)
    if not units:
        return []
    campaigns = list(
        visible_campaigns(user)
        .filter(status=Campaign.Status.OPEN)
        .prefetch_related("program__exempt_programs", "stages")
        .select_related("program__prerequisite")
    )
    existing = {
        (a.campaign_id, a.unit_id): a
        for a in Application.objects.filter(unit__in=units, campaign__in=campaigns)
    }
    today = timezone.localdate()
    offers = []
    for unit in units:
        for campaign in campaigns:
            kinds = campaign.program.unit_kinds
            if kinds and unit.kind not in kinds:
                continue
            explained = eligibility.explain(campaign.program, unit, today=today)
            offers.append(Offer(unit, campaign, explained, existing.get((campaign.pk, unit.pk))))
    return offers


def applications_of_own_units(user: User | AnonymousUser) -> QuerySet[Application]:
    jurisdiction = jurisdiction_of(user)
    return (
        Application.objects.filter(unit_id__in=jurisdiction.own_unit_ids)
        .select_related("unit__region", "campaign__program", "campaign__office__region")
        .order_by("-updated_at", "-pk")
    )


# --- the reviewing side: what waits for me ------------------------------------------------------------------


def reviewing_transitions(user: User | AnonymousUser, application: Application) -> list[Transition]:
    """The transitions of the level holding the application (recommend, approve, check, review, return,
    reject) that this user may take: `workflow.available` without the unit's own withdraw, and without a query
    per application (every actor below reads only the cached jurisdiction)."""
    return [
        t
        for t in TRANSITIONS.values()
        if not t.automatic
        and t.name != "withdraw"
        and application.status in t.sources
        and t.actor(user, application)
    ]


@dataclass(frozen=True)
class Queue:
    rows: list[tuple[Application, list[Transition]]]
    counts: list[tuple[str, str, int]]  # status, label, count (before the status filter)
    campaigns: list[Campaign]


def queue_for(user: User | AnonymousUser, *, campaign_id: int | None = None, status: str = "") -> Queue:
    applications = (
        access.visible_applications(user)
        .filter(status__in=ACTIVE_STATUSES)
        .select_related("batch")
        .order_by("submitted_at", "pk")
    )
    waiting = []
    for application in applications:
        transitions = reviewing_transitions(user, application)
        if transitions:
            waiting.append((application, transitions))
    campaigns = sorted({a.campaign for a, _t in waiting}, key=lambda c: (-c.year, c.pk))
    if campaign_id is not None:
        waiting = [(a, t) for a, t in waiting if a.campaign_id == campaign_id]
    tally = Counter(a.status for a, _t in waiting)
    counts = [(value, str(label), tally[value]) for value, label in Status.choices if tally[value]]
    if status:
        waiting = [(a, t) for a, t in waiting if a.status == status]
    return Queue(waiting, counts, campaigns)


def application_list(
    user: User | AnonymousUser, *, campaign_id: int | None = None, status: str = ""
) -> QuerySet[Application]:
    applications = access.visible_applications(user).order_by("-updated_at", "-pk")
    if campaign_id is not None:
        applications = applications.filter(campaign_id=campaign_id)
    if status:
        applications = applications.filter(status=status)
    return applications


# --- one application ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    current: bool


RANK = {
    Status.DRAFT: 0,
    Status.RETURNED: 0,
    Status.SUBMITTED: 1,
    Status.RECOMMENDED: 2,
    Status.APPROVED: 3,
    Status.CHECKED: 5,
    Status.UNDER_REVIEW: 6,
    Status.SHORTLISTED: 7,
    Status.NAMED: 8,
}


def _reached(application: Application, events: list[ApplicationEvent]) -> int:
    status = Status(application.status)
    if status in (Status.REJECTED, Status.WITHDRAWN):
        # How far it got before it stopped: the state it left last.
        source = next((e.from_status for e in reversed(events) if e.to_status == status), "")
        status = Status(source) if source else Status.DRAFT
    rank = RANK.get(status, 0)
    batch = application.batch
    if status == Status.APPROVED and batch is not None and batch.status == Batch.Status.SUBMITTED:
        rank = 4
    return rank


def progress_of(application: Application, events: list[ApplicationEvent]) -> list[Step]:
    """The levels the application climbs on its route, and how far it is (the progress bar)."""
    steps: list[tuple[str, str, int]] = [("submit", _("单位提交"), 1)]
    if application.route == Route.SECTOR:
        steps.append(("approve", _("主管部门审核"), 3))
    else:
        if access.has_street_level(application):
            steps.append(("recommend", _("街道推荐"), 2))
        if access.has_district_level(application):
            steps.append(("approve", _("区县审核"), 3))
        else:
            steps.append(("approve", _("审核"), 3))
    if access.needs_batch(application):
        steps.append(("batch", _("报送申报表"), 4))
    steps += [
        ("check", _("初审"), 5),
        ("review", _("评审"), 6),
        ("shortlist", _("入围"), 7),
        ("name", _("公示命名"), 8),
    ]
    reached = _reached(application, events)
    result = []
    current_found = False
    for key, label, rank in steps:
        done = reached >= rank
        current = (
            not done
            and not current_found
            and application.status
            not in (
                Status.REJECTED,
                Status.WITHDRAWN,
            )
        )
        current_found = current_found or current
        result.append(Step(key, label, done, current))
    return result


def events_of(application: Application) -> list[ApplicationEvent]:
    return list(application.events.select_related("by", "override").order_by("at", "pk"))


def visible_comments(application: Application) -> list[GoalComment]:
    return list(application.goal_comments.order_by("created_at", "pk"))


# --- batches ------------------------------------------------------------------------------------------------


def batch_list(user: User | AnonymousUser) -> QuerySet[Batch]:
    return access.visible_batches(user).annotate(size=Count("applications")).order_by("-created_at", "-pk")


def batch_applications(batch: Batch) -> list[Application]:
    return list(batch.applications.select_related("unit__region").order_by("unit__name", "pk"))


# --- the public goals page ----------------------------------------------------------------------------------


def published_applications() -> QuerySet[Application]:
    """Applications whose goals are posted publicly (seed 000) and still in the running."""
    return Application.objects.filter(goals_published_at__isnull=False).exclude(
        status__in=(Status.REJECTED, Status.WITHDRAWN)
    )


def public_campaigns() -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(pk__in=published_applications().values("campaign_id"))
        .select_related("office__region", "program")
        .order_by("-year", "pk")
    )


def public_goals(campaign: Campaign) -> list[Application]:
    shown = GoalComment.objects.filter(is_hidden=False).order_by("created_at", "pk")
    return list(
        published_applications()
        .filter(campaign=campaign)
        .select_related("unit__region")
        .prefetch_related(Prefetch("goal_comments", queryset=shown, to_attr="shown_comments"))
        .order_by("unit__name", "pk")
    )
