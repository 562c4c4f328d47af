"""Reads of scheduled submissions: the periods of a requirement, who has handed in what (completeness), what a
user owes, and the dated entries the home page and the calendar show (the contract in the shared brief).

Status of one submitter for one period (docs/workflow.md, "Scheduled submissions"):
owed (nothing yet, not due) · overdue (nothing yet, past due) · submitted · late (handed in after the due date)
· returned (sent back: owed again) · accepted.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.models import User
from lvchuang.applications.models import Application
from lvchuang.campaigns.access import _prefixes
from lvchuang.campaigns.models import Campaign
from lvchuang.lib.periods import Period, month_day, quarters
from lvchuang.organisations.models import BodyMembership, Office
from lvchuang.reports.models import Requirement, Submission
from lvchuang.reports.submitters import (
    DEPARTMENT,
    NOT_APPLYING,
    OFFICE,
    UNIT,
    Submitter,
    acting_for,
    expected_submitters,
    submitter_of,
)

OWED = "owed"
OVERDUE = "overdue"
SUBMITTED = "submitted"
LATE = "late"
RETURNED = "returned"
ACCEPTED = "accepted"
STATUS_LABELS = {
    OWED: _("待报送"),
    OVERDUE: _("逾期未报"),
    SUBMITTED: _("已报送"),
    LATE: _("逾期报送"),
    RETURNED: _("已退回"),
    ACCEPTED: _("已确认"),
}
STATUSES = tuple(STATUS_LABELS)
# Handed in and not sent back: the submitter owes nothing more for the period.
HANDED_IN = (SUBMITTED, LATE, ACCEPTED)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def periods_of(requirement: Requirement) -> list[Period]:
    """A one-off requirement has one period "" due `due_on`; a quarterly one the four quarters of the campaign's
    year, each due `days_after_quarter` days after it ends (seed 004: Q1 on 10 April, Q4 on 10 January)."""
    if requirement.period == Requirement.Period.QUARTERLY:
        return quarters(requirement.campaign.year, days_after=requirement.days_after_quarter)
    due_on = requirement.due_on
    assert due_on is not None  # the check constraint `requirement_once_has_a_due_date`
    return [
        Period(key="", starts_on=month_day(requirement.campaign.year, "01-01"), ends_on=due_on, due_on=due_on)
    ]


def period_of(requirement: Requirement, key: str) -> Period | None:
    return next((period for period in periods_of(requirement) if period.key == key), None)


def period_label(key: str) -> str:
    """`2026Q1` → `2026年第1季度`; a one-off period has no label."""
    if not key:
        return ""
    year, _sep, number = key.partition("Q")
    return str(_("%(year)s年第%(number)s季度") % {"year": year, "number": number})


def status_of(submission: Submission | None, *, due_on: datetime.date, today: datetime.date) -> str:
    if submission is None:
        return OVERDUE if today > due_on else OWED
    if submission.status == Submission.Status.ACCEPTED:
        return ACCEPTED
    if submission.status == Submission.Status.RETURNED:
        return RETURNED
    return LATE if submission.is_late else SUBMITTED


def _submissions_of(requirement_ids: list[int], **filters: object) -> list[Submission]:
    return list(
        Submission.objects.filter(requirement_id__in=requirement_ids, **filters).select_related(
            "office__region", "unit__region", "department__region", "submitted_by"
        )
    )


# --- completeness -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletenessRow:
    submitter: Submitter
    submission: Submission | None
    status: str
    due_on: datetime.date
    is_overdue: bool  # past the due date and still owed (nothing handed in, or returned): highlighted

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class Completeness:
    requirement: Requirement
    period: Period
    rows: list[CompletenessRow]
    totals: dict[str, int]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def handed_in(self) -> int:
        return sum(self.totals[status] for status in HANDED_IN)

    @property
    def label(self) -> str:
        return period_label(self.period.key)


def _totals(statuses: list[str]) -> dict[str, int]:
    counted = Counter(statuses)
    return {status: counted.get(status, 0) for status in STATUSES}


def completeness(
    requirement: Requirement, period: Period, *, today: datetime.date | None = None
) -> Completeness:
    """One row per expected submitter (and per submitter no longer expected who handed in), with its status.
    Two queries, whatever the number of submitters."""
    today = _today(today)
    by_submitter = {
        submitter_of(submission): submission
        for submission in _submissions_of([requirement.pk], period=period.key)
    }
    submitters = sorted(set(expected_submitters(requirement)) | set(by_submitter))
    rows = []
    for submitter in submitters:
        submission = by_submitter.get(submitter)
        due_on = submission.due_on if submission is not None else period.due_on
        status = status_of(submission, due_on=due_on, today=today)
        rows.append(
            CompletenessRow(
                submitter=submitter,
                submission=submission,
                status=status,
                due_on=due_on,
                is_overdue=status == OVERDUE or (status == RETURNED and today > due_on),
            )
        )
    return Completeness(
        requirement=requirement, period=period, rows=rows, totals=_totals([row.status for row in rows])
    )


@dataclass(frozen=True)
class PeriodSummary:
    period: Period
    expected: int
    totals: dict[str, int]

    @property
    def label(self) -> str:
        return period_label(self.period.key)

    @property
    def handed_in(self) -> int:
        return sum(self.totals[status] for status in HANDED_IN)

    @property
    def missing(self) -> int:
        return self.totals[OWED] + self.totals[OVERDUE] + self.totals[RETURNED]


@dataclass(frozen=True)
class RequirementSummary:
    requirement: Requirement
    periods: list[PeriodSummary]


def campaign_overview(campaign: Campaign, *, today: datetime.date | None = None) -> list[RequirementSummary]:
    """Every requirement of the campaign with its counts per period: one query for the requirements, one for
    the submissions and one per distinct submitter rule."""
    today = _today(today)
    requirements = list(
        campaign.requirements.select_related("campaign__office__region", "body").order_by("due_on", "pk")
    )
    for requirement in requirements:
        requirement.campaign = campaign
    handed: dict[tuple[int, str], dict[Submitter, Submission]] = defaultdict(dict)
    for submission in _submissions_of([r.pk for r in requirements]):
        handed[(submission.requirement_id, submission.period)][submitter_of(submission)] = submission
    rules: dict[tuple[str, int | None, int | None], list[Submitter]] = {}
    summaries = []
    for requirement in requirements:
        rule = (requirement.submitters, requirement.submitter_level, requirement.body_id)
        if rule not in rules:
            rules[rule] = expected_submitters(requirement)
        periods = []
        for period in periods_of(requirement):
            by_submitter = handed[(requirement.pk, period.key)]
            submitters = set(rules[rule]) | set(by_submitter)
            statuses = [status_of(by_submitter.get(s), due_on=period.due_on, today=today) for s in submitters]
            periods.append(PeriodSummary(period=period, expected=len(submitters), totals=_totals(statuses)))
        summaries.append(RequirementSummary(requirement=requirement, periods=periods))
    return summaries


# --- what a user owes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duty:
    """One period a user hands in for one submitter, with what was handed in so far."""

    requirement: Requirement
    period: Period
    submitter: Submitter
    submission: Submission | None
    status: str

    @property
    def owed(self) -> bool:
        return self.status not in HANDED_IN

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def period_label(self) -> str:
        return period_label(self.period.key)

    @property
    def submit_url(self) -> str:
        query = urlencode({"period": self.period.key, "submitter": self.submitter.key})
        return f"{reverse('reports:submit', args=[self.requirement.pk])}?{query}"


def _requirements_for(user: User | AnonymousUser) -> list[tuple[Requirement, Submitter]]:
    """The requirements of open campaigns the user hands in for, each with the submitter they act for (one
    query per kind of role the user has, plus one for the requirements)."""
    acting = acting_for(user)
    if acting.is_empty:
        return []
    offices = list(Office.objects.filter(pk__in=acting.office_ids).select_related("region"))
    applied: dict[int, list[Submitter]] = defaultdict(list)
    if acting.unit_ids:
        applications = (
            Application.objects.filter(unit_id__in=acting.unit_ids)
            .exclude(status__in=NOT_APPLYING)
            .values_list("campaign_id", "unit_id", "unit__name", "unit__region__path")
        )
        for campaign_id, unit_id, name, path in applications:
            applied[campaign_id].append(Submitter(path, name, UNIT, unit_id))
    members: dict[int, list[Submitter]] = defaultdict(list)
    if acting.liaisons or acting.sector_ids:
        memberships = BodyMembership.objects.filter(
            Q(body_id__in=acting.body_ids) | Q(department_id__in=acting.sector_ids)
        ).values_list("body_id", "department_id", "department__name", "department__region__path")
        for body_id, department_id, name, path in memberships:
            if department_id in acting.sector_ids or (body_id, department_id) in acting.liaisons:
                members[body_id].append(Submitter(path, name, DEPARTMENT, department_id))
    q = Q(pk__in=[])
    for office in offices:
        q |= Q(
            submitters=Requirement.Submitters.OFFICES,
            submitter_level=office.region.level,
            campaign__office__region__path__in=sorted(_prefixes(office.region.path)),
        ) & ~Q(campaign__office_id=office.pk)
    if applied:
        q |= Q(submitters=Requirement.Submitters.APPLICANTS, campaign_id__in=sorted(applied))
    if members:
        q |= Q(submitters=Requirement.Submitters.MEMBERS, body_id__in=sorted(members))
    requirements = Requirement.objects.filter(q, campaign__status=Campaign.Status.OPEN).select_related(
        "campaign__office__region", "campaign__program", "body"
    )
    pairs: list[tuple[Requirement, Submitter]] = []
    for requirement in requirements:
        if requirement.submitters == Requirement.Submitters.OFFICES:
            campaign_path = requirement.campaign.office.region.path
            for office in offices:
                if (
                    office.region.level == requirement.submitter_level
                    and office.region.path.startswith(campaign_path)
                    and office.pk != requirement.campaign.office_id
                ):
                    pairs.append((requirement, Submitter(office.region.path, office.name, OFFICE, office.pk)))
        elif requirement.submitters == Requirement.Submitters.APPLICANTS:
            pairs += [(requirement, submitter) for submitter in applied[requirement.campaign_id]]
        elif requirement.body_id is not None:
            pairs += [(requirement, submitter) for submitter in members[requirement.body_id]]
    return pairs


def duties_for(user: User | AnonymousUser, *, today: datetime.date | None = None) -> list[Duty]:
    """Every period the user owes or has handed in, for every submitter they act for, by due date."""
    today = _today(today)
    pairs = _requirements_for(user)
    if not pairs:
        return []
    handed: dict[tuple[int, str, Submitter], Submission] = {}
    for handed_in in _submissions_of(sorted({requirement.pk for requirement, _s in pairs})):
        handed[(handed_in.requirement_id, handed_in.period, submitter_of(handed_in))] = handed_in
    duties = []
    for requirement, submitter in pairs:
        for period in periods_of(requirement):
            submission = handed.get((requirement.pk, period.key, submitter))
            due_on = submission.due_on if submission is not None else period.due_on
            duties.append(
                Duty(
                    requirement=requirement,
                    period=period,
                    submitter=submitter,
                    submission=submission,
                    status=status_of(submission, due_on=due_on, today=today),
                )
            )
    return sorted(duties, key=lambda d: (d.period.due_on, d.requirement.pk, d.submitter))


# --- the contract: dated entries for the home page and the calendar -------------------------------------------------


@dataclass(frozen=True)
class DatedRequirement:
    requirement: Requirement
    period: str
    due_on: datetime.date
    submitter_label: str
    url: str
    owed: bool


def _owed_entry(duty: Duty) -> DatedRequirement:
    return DatedRequirement(
        requirement=duty.requirement,
        period=duty.period.key,
        due_on=duty.period.due_on,
        submitter_label=duty.submitter.name,
        url=duty.submit_url,
        owed=duty.owed,
    )


def dated_requirements_for(
    user: User | AnonymousUser,
    *,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> list[DatedRequirement]:
    """Periods due in [start, end]: those the user hands in (owed until handed in and not returned), and one
    entry per requirement period the user's office receives (owed=False)."""
    entries = [
        _owed_entry(duty) for duty in duties_for(user, today=today) if start <= duty.period.due_on <= end
    ]
    office_ids = acting_for(user).office_ids
    if office_ids:
        received = Requirement.objects.filter(campaign__office_id__in=office_ids).select_related(
            "campaign__office__region", "campaign__program"
        )
        for requirement in received:
            for period in periods_of(requirement):
                if start <= period.due_on <= end:
                    url = reverse("reports:requirement_detail", args=[requirement.pk])
                    entries.append(
                        DatedRequirement(
                            requirement=requirement,
                            period=period.key,
                            due_on=period.due_on,
                            submitter_label=requirement.get_submitters_display(),
                            url=f"{url}?{urlencode({'period': period.key})}" if period.key else url,
                            owed=False,
                        )
                    )
    return sorted(
        entries, key=lambda e: (e.due_on, e.requirement.pk, e.period, not e.owed, e.submitter_label)
    )


def owed_submissions_for(
    user: User | AnonymousUser, *, today: datetime.date | None = None
) -> list[DatedRequirement]:
    """What the user still owes: periods due within the requirement's `remind_days_before`, or overdue."""
    today = _today(today)
    return [
        _owed_entry(duty)
        for duty in duties_for(user, today=today)
        if duty.owed
        and duty.period.due_on - datetime.timedelta(days=duty.requirement.remind_days_before) <= today
    ]
