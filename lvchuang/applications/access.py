"""Who sees which application and batch, and who may move an application on (STYLE habit 3).

An application is visible to whoever sees its unit (`unit_q`), to the offices running its campaign, and to the
reviewers assigned to it. `holder_of` says which level holds it in its current state; the workflow table asks
`is_unit_side`, `is_street`, `is_approver` and `is_issuer` before each transition.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from lvchuang.accounts.access import Jurisdiction, _get_or_404, _paths_q, jurisdiction_of, unit_q
from lvchuang.accounts.models import RoleAssignment, User
from lvchuang.applications.models import Application, Batch, Route, Status
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Campaign
from lvchuang.lib.divisions import Level
from lvchuang.organisations.models import Department, Office, Unit

TOWNSHIP = int(Level.TOWNSHIP.prefix_length)
COUNTY = int(Level.COUNTY.prefix_length)


def _run_campaign_q(jurisdiction: Jurisdiction) -> Q:
    return _paths_q(jurisdiction.managed_paths, "campaign__office__region__path")


def visible_applications(user: User | AnonymousUser) -> QuerySet[Application]:
    jurisdiction = jurisdiction_of(user)
    applications = Application.objects.select_related(
        "unit__region", "unit__sector", "campaign__program", "campaign__office__region"
    )
    if jurisdiction.is_admin:
        return applications
    q = unit_q(jurisdiction, prefix="unit__") | _run_campaign_q(jurisdiction)
    if user.is_authenticated:
        q |= Q(reviews__reviewer_id=user.pk)
        return applications.filter(pk__in=Application.objects.filter(q).values("pk"))
    return applications.none()


def access_application_by_id(user: User | AnonymousUser, application_id: Any) -> Application:
    return _get_or_404(visible_applications(user), pk=application_id)


def visible_batches(user: User | AnonymousUser) -> QuerySet[Batch]:
    jurisdiction = jurisdiction_of(user)
    batches = Batch.objects.select_related("campaign__office__region", "office__region", "department__region")
    if jurisdiction.is_admin:
        return batches
    q = _paths_q(jurisdiction.all_paths, "office__region__path") | _run_campaign_q(jurisdiction)
    if jurisdiction.sector_ids:
        q |= Q(department_id__in=jurisdiction.sector_ids)
    return batches.filter(q)


def access_batch_by_id(user: User | AnonymousUser, batch_id: Any, *, for_change: bool = False) -> Batch:
    batch = _get_or_404(visible_batches(user), pk=batch_id)
    if for_change and not can_prepare_batch(user, batch):
        raise PermissionDenied
    return batch


def batch_senders(user: User | AnonymousUser, campaign: Campaign) -> tuple[Office | None, Department | None]:
    """The office below the issuer, or the sector department, the user sends a batch for in this campaign."""
    if not user.is_authenticated:
        return None, None
    issuer = campaign.office.region.path
    for assignment in RoleAssignment.objects.filter(user=user).select_related("office__region", "department"):
        office = assignment.office
        if office is not None and office.region.path.startswith(issuer) and office.region.path != issuer:
            return office, None
        department = assignment.department
        if department is not None and department.is_sector_authority:
            return None, department
    return None, None


def can_prepare_batch(user: User | AnonymousUser, batch: Batch) -> bool:
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return True
    if batch.department_id is not None:
        return batch.department_id in jurisdiction.sector_ids
    assert batch.office is not None
    return any(batch.office.region.path.startswith(path) for path in jurisdiction.managed_paths)


# --- who holds an application ------------------------------------------------------------------------------


def _manages_at(jurisdiction: Jurisdiction, path: str, length: int) -> bool:
    """The user manages the region of `path` at the level whose prefix has `length` digits (or one above)."""
    return len(path) >= length and any(
        path.startswith(managed) and len(managed) <= length for managed in jurisdiction.managed_paths
    )


def has_street_level(application: Application) -> bool:
    """A territorial unit below a township climbs through its street office first."""
    issuer = application.campaign.office.region.path
    return (
        application.route == Route.TERRITORIAL
        and len(application.unit.region.path) >= TOWNSHIP
        and len(issuer) < TOWNSHIP
    )


def has_district_level(application: Application) -> bool:
    issuer = application.campaign.office.region.path
    return (
        application.route == Route.TERRITORIAL
        and len(application.unit.region.path) >= COUNTY
        and len(issuer) < COUNTY
    )


def needs_batch(application: Application) -> bool:
    """Applications reach the issuing office in a stamped batch: from a district below it, or from a sector
    department (seed 000: the district submits the 申报表; seed 002: 市直部门 submit for their system)."""
    return application.route == Route.SECTOR or has_district_level(application)


def is_unit_side(user: User | AnonymousUser, application: Application) -> bool:
    """Unit staff of the unit, or an office that may change the unit and acts on its behalf."""
    jurisdiction = jurisdiction_of(user)
    return (
        jurisdiction.is_admin
        or Unit.objects.filter(unit_q(jurisdiction, for_change=True), pk=application.unit_id).exists()
    )


def is_street(user: User | AnonymousUser, application: Application) -> bool:
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or _manages_at(jurisdiction, application.unit.region.path, TOWNSHIP)


def is_approver(user: User | AnonymousUser, application: Application) -> bool:
    """The district office over the unit; the sector department for a sector unit; the issuing office for a
    unit with no district between it and the issuer."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return True
    if application.route == Route.SECTOR:
        return application.unit.sector_id in jurisdiction.sector_ids
    if has_district_level(application):
        return _manages_at(jurisdiction, application.unit.region.path, COUNTY)
    return can_run_campaign(user, application.campaign)


def is_issuer(user: User | AnonymousUser, application: Application) -> bool:
    return can_run_campaign(user, application.campaign)


def holder_of(application: Application) -> str:
    """Which actor holds the application in its current state: 'unit', 'street', 'approver' or 'issuer'."""
    status = application.status
    if status in (Status.DRAFT, Status.RETURNED):
        return "unit"
    if status == Status.SUBMITTED:
        return "street" if has_street_level(application) else "approver"
    if status == Status.RECOMMENDED:
        return "approver"
    return "issuer"


def is_holder(user: User | AnonymousUser, application: Application) -> bool:
    return {
        "unit": is_unit_side,
        "street": is_street,
        "approver": is_approver,
        "issuer": is_issuer,
    }[holder_of(application)](user, application)
