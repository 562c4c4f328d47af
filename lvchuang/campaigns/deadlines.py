"""The deadlines that concern a user: which action of which campaign closes when, and what they still owe.

A deadline is the last day of the stages that open an action (`windows.due_on`), pushed later by any override
that covers the user's place. It concerns a user only while that user's level holds work for it:

| role | action | pending work |
|---|---|---|
| unit staff | submit | the unit's application is a draft or was returned, or it has none yet in an open campaign that
  covers it (only while the window is open: not applying is not a missed duty) |
| unit staff | publish_goals | submitted, goals and measures not yet public (seed 000, implementation Jul–Sep) |
| street office | recommend | submitted applications of its units, held by the street |
| district office | approve, batch | applications it must approve; approved ones not yet in a submitted 申报表 |
| sector staff | approve, batch | the same for the units of its sector (seed 002) |
| issuing office | check, review, shortlist | approved applications that may be checked; checked and under review |

Who holds an application follows `applications.access.holder_of`; the office counts below are its rules written
as aggregate filters (one query per role assignment, however many applications there are), and the tests check
that every counted application is held by the user according to `is_holder`.

State: **missed** once the deadline has passed with work still pending, **approaching** within the campaign's
`reminder_days`, **open** otherwise. An action whose window has not opened yet has no deadline today.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.applications.access import holder_of
from lvchuang.applications.models import Application, Batch, Route, Status
from lvchuang.campaigns import windows
from lvchuang.campaigns.access import visible_campaigns
from lvchuang.campaigns.models import Action, Campaign, ReminderSent, WindowOverride
from lvchuang.organisations.models import Department, Office, Unit
from lvchuang.regions.models import Region

APPROACHING = ReminderSent.Kind.APPROACHING.value
MISSED = ReminderSent.Kind.MISSED.value
OPEN = "open"

STATE_LABELS = {APPROACHING: _("即将截止"), MISSED: _("已逾期"), OPEN: _("进行中")}

# The roles that owe work before a deadline; leadership members, reviewers and administrators owe none.
DEADLINE_ROLES = (
    Role.UNIT_STAFF,
    Role.STREET_OFFICE,
    Role.DISTRICT_OFFICE,
    Role.CITY_OFFICE,
    Role.PROVINCE_OFFICE,
    Role.SECTOR_STAFF,
)
OFFICE_ROLES = (Role.STREET_OFFICE, Role.DISTRICT_OFFICE, Role.CITY_OFFICE, Role.PROVINCE_OFFICE)

# A unit may post its goals once it has submitted (services.publish_goals refuses these states).
NO_GOALS_STATUSES = (Status.DRAFT, Status.REJECTED, Status.WITHDRAWN)

ACTION_ORDER = {action: number for number, action in enumerate(Action.values)}  # the order of the workflow

TOWNSHIP = Region.Level.TOWNSHIP
COUNTY = Region.Level.COUNTY


@dataclass(frozen=True)
class Place:
    """Whose deadline: overrides cover a region subtree or a sector department."""

    region_path: str
    department_id: int | None = None
    unit: Unit | None = None


@dataclass(frozen=True)
class Deadline:
    campaign: Campaign
    action: str
    due_on: datetime.date
    days_left: int  # negative: missed by that many days
    state: str  # APPROACHING, MISSED or OPEN
    pending: str | Promise  # what is still to do, one short sentence
    count: int = 0  # applications waiting (0 when the work is the user's own unit's)
    unit: Unit | None = None  # the user's unit, for unit staff
    application_id: int | None = None  # the unit's application, when there is one

    @property
    def label(self) -> str:
        return str(Action(self.action).label)

    @property
    def state_label(self) -> str | Promise:
        return STATE_LABELS[self.state]

    @property
    def is_missed(self) -> bool:
        return self.state == MISSED

    @property
    def is_approaching(self) -> bool:
        return self.state == APPROACHING

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def needs_attention(self) -> bool:
        return self.state in (APPROACHING, MISSED)

    @property
    def reminder_key(self) -> tuple[int, str, str, datetime.date]:
        """What a `ReminderSent` row records: one reminder per campaign, action, kind and deadline."""
        return (self.campaign.pk, self.action, self.state, self.due_on)


def deadlines_for(
    user: User,
    *,
    today: datetime.date,
    assignments: Iterable[RoleAssignment] | None = None,
) -> list[Deadline]:
    """Every deadline with pending work for the user, the missed first, then the nearest.

    `assignments` are the user's role assignments with `unit__region`, `office__region` and `department`
    loaded (the home page has them already); read here otherwise. Queries: the assignments, the open visible
    campaigns with their stages and overrides, then one per role assignment — never more with more data.
    """
    if assignments is None:
        assignments = RoleAssignment.objects.filter(user_id=user.pk, role__in=DEADLINE_ROLES).select_related(
            "unit__region", "office__region", "department__region"
        )
    relevant = [a for a in assignments if a.role in DEADLINE_ROLES]
    if not relevant:
        return []
    campaigns = list(
        visible_campaigns(user)
        .filter(status=Campaign.Status.OPEN)
        .prefetch_related(
            "stages", Prefetch("overrides", queryset=WindowOverride.objects.select_related("region"))
        )
    )
    if not campaigns:
        return []
    found: list[Deadline] = []
    units = [a.unit for a in relevant if a.role == Role.UNIT_STAFF and a.unit is not None]
    if units:
        found += _unit_deadlines(units, campaigns, today)
    for assignment in relevant:
        office = assignment.office
        if assignment.role == Role.STREET_OFFICE and office is not None:
            found += _street_deadlines(office, campaigns, today)
        elif assignment.role == Role.DISTRICT_OFFICE and office is not None:
            found += _district_deadlines(office, campaigns, today)
        elif assignment.role == Role.SECTOR_STAFF and assignment.department is not None:
            found += _sector_deadlines(assignment.department, campaigns, today)
        if assignment.role in OFFICE_ROLES and office is not None:
            found += _issuer_deadlines(office, campaigns, today)
    return sorted(found, key=lambda d: (d.state != MISSED, d.due_on, d.campaign.pk, ACTION_ORDER[d.action]))


def attention_needed(deadlines: Iterable[Deadline]) -> list[Deadline]:
    """The approaching and missed deadlines: what the home page and the reminder mail show."""
    return [deadline for deadline in deadlines if deadline.needs_attention]


# --- the calendar -------------------------------------------------------------------------------------------


def _deadline(
    campaign: Campaign,
    action: str,
    *,
    today: datetime.date,
    pending: str | Promise,
    place: Place,
    count: int = 0,
    application_id: int | None = None,
    open_only: bool = False,
) -> Deadline | None:
    """The deadline in its state today, or None when the window has not opened yet (or, with `open_only`,
    when it has closed)."""
    due = windows.due_on(campaign, action, region_path=place.region_path, department_id=place.department_id)
    opens = windows.opens_on(campaign, action)
    if due is None or opens is None:
        return None
    days_left = (due - today).days
    if days_left < 0:
        if open_only:
            return None
        state = MISSED
    elif today < opens:
        return None
    elif days_left <= campaign.reminder_days:
        state = APPROACHING
    else:
        state = OPEN
    return Deadline(
        campaign=campaign,
        action=action,
        due_on=due,
        days_left=days_left,
        state=state,
        pending=pending,
        count=count,
        unit=place.unit,
        application_id=application_id,
    )


def _keep(*deadlines: Deadline | None) -> list[Deadline]:
    return [deadline for deadline in deadlines if deadline is not None]


def _issued_above(campaign: Campaign, path: str) -> bool:
    """The campaign's issuing office sits at or above the region of `path`."""
    return path.startswith(campaign.office.region.path)


# --- unit staff ---------------------------------------------------------------------------------------------


def _covers(campaign: Campaign, unit: Unit) -> bool:
    """An open campaign over the unit's region, for its kind of unit (the program's rules as data)."""
    program = campaign.program
    if not _issued_above(campaign, unit.region.path):
        return False
    if program.unit_kinds and unit.kind not in program.unit_kinds:
        return False
    return not (
        program.organ_types and unit.kind == Unit.Kind.ORGAN and unit.organ_type not in program.organ_types
    )


def _unit_deadlines(
    units: Sequence[Unit], campaigns: Sequence[Campaign], today: datetime.date
) -> list[Deadline]:
    """One query: the units' applications in these campaigns (one per unit and campaign at most)."""
    by_campaign = {campaign.pk: campaign for campaign in campaigns}
    applications = {
        (application.campaign_id, application.unit_id): application
        for application in Application.objects.filter(
            unit_id__in=[unit.pk for unit in units], campaign_id__in=list(by_campaign)
        )
    }
    found: list[Deadline] = []
    for unit in units:
        place = Place(unit.region.path, unit.sector_id, unit)
        for campaign in campaigns:
            application = applications.get((campaign.pk, unit.pk))
            if application is None:
                if _covers(campaign, unit):
                    found += _keep(
                        _deadline(
                            campaign,
                            Action.SUBMIT,
                            today=today,
                            pending=_("尚未申报"),
                            open_only=True,
                            place=place,
                        )
                    )
                continue
            application.campaign = campaign  # loaded already: holder_of never queries
            application.unit = unit
            if holder_of(application) == "unit":  # a draft, or returned to the unit
                pending = (
                    _("申报已退回，待修改后重新提交")
                    if application.status == Status.RETURNED
                    else _("申报未提交")
                )
                found += _keep(
                    _deadline(
                        campaign,
                        Action.SUBMIT,
                        today=today,
                        pending=pending,
                        application_id=application.pk,
                        place=place,
                    )
                )
            if application.status not in NO_GOALS_STATUSES and application.goals_published_at is None:
                found += _keep(
                    _deadline(
                        campaign,
                        Action.PUBLISH_GOALS,
                        today=today,
                        pending=_("创建目标和主要措施未公布"),
                        application_id=application.pk,
                        place=place,
                    )
                )
    return found


# --- offices ------------------------------------------------------------------------------------------------


def _counted(campaign_ids: list[int], scope: Q, **counts: Q) -> dict[int, dict[str, int]]:
    """One aggregate query: for each campaign, how many applications in `scope` match each filter."""
    if not campaign_ids:
        return {}
    rows = (
        Application.objects.filter(scope, campaign_id__in=campaign_ids)
        .order_by()
        .values("campaign_id")
        .annotate(**{name: Count("pk", filter=q) for name, q in counts.items()})
    )
    return {row["campaign_id"]: row for row in rows}


NOT_IN_SUBMITTED_BATCH = Q(batch__isnull=True) | Q(batch__status=Batch.Status.DRAFT)


def _street_deadlines(office: Office, campaigns: Sequence[Campaign], today: datetime.date) -> list[Deadline]:
    """Submitted applications of the street's units wait for its recommendation when a level above the street
    issued the campaign (holder_of: 'street')."""
    path = office.region.path
    ids = [c.pk for c in campaigns if _issued_above(c, path) and c.office.region.level < TOWNSHIP]
    counts = _counted(
        ids,
        Q(route=Route.TERRITORIAL, unit__region__path__startswith=path),
        recommend=Q(status=Status.SUBMITTED),
    )
    found: list[Deadline] = []
    for campaign in campaigns:
        waiting = counts.get(campaign.pk, {}).get("recommend", 0)
        if waiting:
            found += _keep(
                _deadline(
                    campaign,
                    Action.RECOMMEND,
                    today=today,
                    pending=_("%(count)s 份申报待推荐") % {"count": waiting},
                    count=waiting,
                    place=Place(path),
                )
            )
    return found


def _district_deadlines(
    office: Office, campaigns: Sequence[Campaign], today: datetime.date
) -> list[Deadline]:
    """The district approves what its streets recommended and what its units sitting directly in the district
    submitted (holder_of: 'approver'); when a level above issued the campaign, it sends the approved ones up in
    a stamped batch (seed 000: by the end of September)."""
    path = office.region.path
    ids = [c.pk for c in campaigns if _issued_above(c, path)]
    counts = _counted(
        ids,
        Q(route=Route.TERRITORIAL, unit__region__path__startswith=path),
        approve=Q(status=Status.RECOMMENDED) | Q(status=Status.SUBMITTED, unit__region__level__lt=TOWNSHIP),
        batch=Q(status=Status.APPROVED) & NOT_IN_SUBMITTED_BATCH,
    )
    found: list[Deadline] = []
    for campaign in campaigns:
        row = counts.get(campaign.pk, {})
        to_approve = row.get("approve", 0)
        # The district batches only for a campaign issued above it (applications.access.needs_batch).
        to_batch = row.get("batch", 0) if campaign.office.region.level < COUNTY else 0
        if to_approve:
            found += _keep(
                _deadline(
                    campaign,
                    Action.APPROVE,
                    today=today,
                    pending=_("%(count)s 份申报待审核") % {"count": to_approve},
                    count=to_approve,
                    place=Place(path),
                )
            )
        if to_batch:
            found += _keep(
                _deadline(
                    campaign,
                    Action.BATCH,
                    today=today,
                    pending=_("申报表未报送：%(count)s 份已审核申报待报送") % {"count": to_batch},
                    count=to_batch,
                    place=Place(path),
                )
            )
    return found


def _sector_deadlines(
    department: Department, campaigns: Sequence[Campaign], today: datetime.date
) -> list[Deadline]:
    """A sector department approves its units' submitted applications and sends them up in its own batch
    (seed 002: 市直各部门负责本系统)."""
    counts = _counted(
        [c.pk for c in campaigns],
        Q(route=Route.SECTOR, unit__sector_id=department.pk),
        approve=Q(status=Status.SUBMITTED),
        batch=Q(status=Status.APPROVED) & NOT_IN_SUBMITTED_BATCH,
    )
    found: list[Deadline] = []
    for campaign in campaigns:
        row = counts.get(campaign.pk, {})
        place = Place(department.region.path, department.pk)
        if to_approve := row.get("approve", 0):
            found += _keep(
                _deadline(
                    campaign,
                    Action.APPROVE,
                    today=today,
                    pending=_("%(count)s 份申报待审核") % {"count": to_approve},
                    count=to_approve,
                    place=place,
                )
            )
        if to_batch := row.get("batch", 0):
            found += _keep(
                _deadline(
                    campaign,
                    Action.BATCH,
                    today=today,
                    pending=_("申报表未报送：%(count)s 份已审核申报待报送") % {"count": to_batch},
                    count=to_batch,
                    place=place,
                )
            )
    return found


def _issuer_deadlines(office: Office, campaigns: Sequence[Campaign], today: datetime.date) -> list[Deadline]:
    """The issuing office checks what arrived (in a submitted batch when one is needed), reviews and ranks."""
    ids = [c.pk for c in campaigns if c.office_id == office.pk]
    # applications.access.needs_batch: a sector unit, or a unit with a district between it and the issuer.
    needs_batch = Q(route=Route.SECTOR) | Q(
        route=Route.TERRITORIAL,
        unit__region__level__gte=COUNTY,
        campaign__office__region__level__lt=COUNTY,
    )
    counts = _counted(
        ids,
        Q(),
        check=Q(status=Status.APPROVED) & (Q(batch__status=Batch.Status.SUBMITTED) | ~needs_batch),
        review=Q(status=Status.CHECKED) | Q(status=Status.UNDER_REVIEW, final_score__isnull=True),
        shortlist=Q(status=Status.UNDER_REVIEW),
    )
    sentences = {
        Action.CHECK: _("%(count)s 份申报待初审"),
        Action.REVIEW: _("%(count)s 份申报待评审"),
        Action.SHORTLIST: _("%(count)s 份申报待排名入围"),
    }
    found: list[Deadline] = []
    for campaign in campaigns:
        row = counts.get(campaign.pk, {})
        for action, sentence in sentences.items():
            if waiting := row.get(action.value, 0):
                found += _keep(
                    _deadline(
                        campaign,
                        action,
                        today=today,
                        pending=sentence % {"count": waiting},
                        count=waiting,
                        place=Place(office.region.path),
                    )
                )
    return found
