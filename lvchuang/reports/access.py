"""Who sees and acts on scheduled submissions (STYLE habit 3), on top of `campaigns.access`.

- A requirement is seen by whoever sees its campaign (`visible_campaigns`) and managed — created, edited,
  deleted, its submissions accepted or returned — by those who run the campaign (`can_run_campaign`: the issuing
  office and the offices above it).
- Who has handed in what (the completeness table) is read by the runners and by the offices and leadership
  bodies over the issuing office; a submitter sees only their own submissions.
- A submission is seen by the users who act for its submitter (`submitters.acting_for`) and by the runners.

Anything outside answers 404; a visible object the user may not change answers 403 (`for_change=True`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from lvchuang.accounts.access import _get_or_404, _paths_q, jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.campaigns.access import can_run_campaign, visible_campaigns
from lvchuang.campaigns.models import Campaign
from lvchuang.reports.models import Requirement, Submission
from lvchuang.reports.submitters import acting_for


def visible_requirements(user: User | AnonymousUser) -> QuerySet[Requirement]:
    requirements = Requirement.objects.select_related(
        "campaign__office__region", "campaign__program", "body__region"
    )
    if jurisdiction_of(user).is_admin:
        return requirements
    return requirements.filter(campaign_id__in=visible_campaigns(user).values("pk"))


def can_manage_requirement(user: User | AnonymousUser, requirement: Requirement) -> bool:
    return can_run_campaign(user, requirement.campaign)


def can_view_completeness(user: User | AnonymousUser, campaign: Campaign) -> bool:
    """The runners, and whoever oversees the issuing office's region (a leadership body of it reads it too)."""
    jurisdiction = jurisdiction_of(user)
    path = campaign.office.region.path
    return jurisdiction.is_admin or any(path.startswith(outer) for outer in jurisdiction.all_paths)


def access_requirement_by_id(
    user: User | AnonymousUser, requirement_id: Any, *, for_change: bool = False
) -> Requirement:
    requirement = _get_or_404(visible_requirements(user), pk=requirement_id)
    if for_change and not can_manage_requirement(user, requirement):
        raise PermissionDenied
    return requirement


def _own_submissions_q(user: User | AnonymousUser) -> Q:
    acting = acting_for(user)
    q = Q(pk__in=[])
    if acting.office_ids:
        q |= Q(office_id__in=acting.office_ids)
    if acting.unit_ids:
        q |= Q(unit_id__in=acting.unit_ids)
    if acting.sector_ids:
        q |= Q(department_id__in=acting.sector_ids)
    for body_id, department_id in sorted(acting.liaisons):
        q |= Q(department_id=department_id, requirement__body_id=body_id)
    return q


def visible_submissions(user: User | AnonymousUser) -> QuerySet[Submission]:
    submissions = Submission.objects.select_related(
        "requirement__campaign__office__region",
        "requirement__campaign__program",
        "office__region",
        "unit__region",
        "department__region",
        "submitted_by",
        "reviewed_by",
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return submissions
    runs = _paths_q(jurisdiction.managed_paths, "requirement__campaign__office__region__path")
    return submissions.filter(runs | _own_submissions_q(user))


def is_own_submission(user: User | AnonymousUser, submission: Submission) -> bool:
    return Submission.objects.filter(_own_submissions_q(user), pk=submission.pk).exists()


def access_submission_by_id(
    user: User | AnonymousUser, submission_id: Any, *, for_change: bool = False
) -> Submission:
    """`for_change`: the user may accept or return it (a runner of the campaign)."""
    submission = _get_or_404(visible_submissions(user), pk=submission_id)
    if for_change and not can_manage_requirement(user, submission.requirement):
        raise PermissionDenied
    return submission
