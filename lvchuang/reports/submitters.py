"""Who must hand in a requirement, and who may hand it in for each of them.

A requirement names its submitters by rule, never by a list (docs/architecture.md): the offices at one level
inside the issuing office's region (district work plans, seed 000), the units that applied in the campaign
(organs' creation plans, seed 003), or the member departments of a body (quarterly reports, seed 004). The rule
is evaluated when asked, so a new district office or a new applicant owes the requirement at once.

Who acts for a submitter: the users holding an office role on exactly that office; the unit's staff; for a
member department, its liaisons in that body (`meetings.Liaison`) and the department's own sector staff.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.models import OFFICE_ROLE_LEVELS, Role, RoleAssignment, User
from lvchuang.applications.models import Application, Status
from lvchuang.meetings.models import Liaison
from lvchuang.organisations.models import Department, Office, Unit
from lvchuang.reports.models import Requirement, Submission

OFFICE = "office"
UNIT = "unit"
DEPARTMENT = "department"
KIND_LABELS = {OFFICE: _("创建办"), UNIT: _("单位"), DEPARTMENT: _("成员单位")}
OFFICE_ROLES = tuple(OFFICE_ROLE_LEVELS)
# An application that was never handed in, or was taken back, does not make its unit an applicant.
NOT_APPLYING = (Status.DRAFT, Status.WITHDRAWN)

_ACTING_ATTRIBUTE = "_lvchuang_reports_acting_for"


@dataclass(frozen=True, order=True)
class Submitter:
    """One expected submitter: an office, a unit or a member department."""

    region_path: str
    name: str
    kind: str
    id: int

    @property
    def key(self) -> str:
        """`office-3`: how a form or the API names the submitter."""
        return f"{self.kind}-{self.id}"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def parse_key(text: str) -> tuple[str, int] | None:
    kind, _sep, number = text.partition("-")
    if kind not in KIND_LABELS or not number.isascii() or not number.isdigit():
        return None
    return kind, int(number)


def expected_submitters(requirement: Requirement) -> list[Submitter]:
    """Everybody the requirement's rule names today, ordered by region and name (one query)."""
    campaign = requirement.campaign
    if requirement.submitters == Requirement.Submitters.OFFICES and requirement.submitter_level is not None:
        offices = (
            Office.objects.filter(
                region__path__startswith=campaign.office.region.path,
                region__level=requirement.submitter_level,
            )
            .exclude(pk=campaign.office_id)
            .values_list("pk", "name", "region__path")
        )
        rows = [Submitter(path, name, OFFICE, pk) for pk, name, path in offices]
    elif requirement.submitters == Requirement.Submitters.APPLICANTS:
        applying = Application.objects.filter(campaign_id=campaign.pk).exclude(status__in=NOT_APPLYING)
        units = Unit.objects.filter(pk__in=applying.values("unit_id")).values_list(
            "pk", "name", "region__path"
        )
        rows = [Submitter(path, name, UNIT, pk) for pk, name, path in units]
    elif requirement.submitters == Requirement.Submitters.MEMBERS:
        departments = Department.objects.filter(bodymembership__body_id=requirement.body_id).values_list(
            "pk", "name", "region__path"
        )
        rows = [Submitter(path, name, DEPARTMENT, pk) for pk, name, path in departments]
    else:
        rows = []
    return sorted(rows)


def submitter_of(submission: Submission) -> Submitter:
    """The submitter a submission was handed in for (its office, unit or department must be loaded)."""
    if submission.office is not None:
        office = submission.office
        return Submitter(office.region.path, office.name, OFFICE, office.pk)
    if submission.unit is not None:
        unit = submission.unit
        return Submitter(unit.region.path, unit.name, UNIT, unit.pk)
    assert submission.department is not None
    department = submission.department
    return Submitter(department.region.path, department.name, DEPARTMENT, department.pk)


def submitter_fields(submitter: Submitter) -> dict[str, int]:
    """The Submission column the submitter goes in: `{"office_id": 3}`."""
    return {f"{submitter.kind}_id": submitter.id}


def submitter_q(submitter: Submitter, prefix: str = "") -> Q:
    return Q(**{f"{prefix}{submitter.kind}_id": submitter.id})


# --- who acts for whom ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActingFor:
    """The submitters a user may hand in for: office and unit ids, member departments per body, sector ids."""

    office_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    liaisons: frozenset[tuple[int, int]] = frozenset()  # (body id, department id)
    sector_ids: frozenset[int] = frozenset()
    body_ids: frozenset[int] = field(default_factory=frozenset)  # bodies of the liaison memberships

    @property
    def is_empty(self) -> bool:
        return not (self.office_ids or self.unit_ids or self.liaisons or self.sector_ids)

    def may_submit_for(self, requirement: Requirement, submitter: Submitter) -> bool:
        if submitter.kind == OFFICE:
            return submitter.id in self.office_ids
        if submitter.kind == UNIT:
            return submitter.id in self.unit_ids
        return submitter.id in self.sector_ids or (requirement.body_id, submitter.id) in self.liaisons


NOBODY = ActingFor()


def acting_for(user: User | AnonymousUser) -> ActingFor:
    """What the user may hand in for, read once per user object (one query; two for a leadership member, the
    only role that can be a liaison)."""
    if not user.is_authenticated:
        return NOBODY
    cached: ActingFor | None = getattr(user, _ACTING_ATTRIBUTE, None)
    if cached is not None:
        return cached
    assignments = list(
        RoleAssignment.objects.filter(user=user).values_list("role", "office_id", "unit_id", "department_id")
    )
    liaisons: frozenset[tuple[int, int]] = frozenset()
    if any(role == Role.LEADERSHIP_MEMBER for role, _o, _u, _d in assignments):
        liaisons = frozenset(
            Liaison.objects.filter(user=user).values_list("membership__body_id", "membership__department_id")
        )
    acting = ActingFor(
        office_ids=frozenset(o for role, o, _u, _d in assignments if role in OFFICE_ROLES and o is not None),
        unit_ids=frozenset(u for role, _o, u, _d in assignments if role == Role.UNIT_STAFF and u is not None),
        liaisons=liaisons,
        sector_ids=frozenset(
            d for role, _o, _u, d in assignments if role == Role.SECTOR_STAFF and d is not None
        ),
        body_ids=frozenset(body for body, _department in liaisons),
    )
    setattr(user, _ACTING_ATTRIBUTE, acting)
    return acting


def submitter_users(requirement: Requirement, submitters: list[Submitter]) -> dict[str, list[User]]:
    """For each submitter (by key), the active users who may hand in for it (two queries)."""
    office_ids = [s.id for s in submitters if s.kind == OFFICE]
    unit_ids = [s.id for s in submitters if s.kind == UNIT]
    department_ids = [s.id for s in submitters if s.kind == DEPARTMENT]
    found: dict[str, dict[int, User]] = defaultdict(dict)
    roles = RoleAssignment.objects.filter(
        Q(role__in=OFFICE_ROLES, office_id__in=office_ids)
        | Q(role=Role.UNIT_STAFF, unit_id__in=unit_ids)
        | Q(role=Role.SECTOR_STAFF, department_id__in=department_ids),
        user__is_active=True,
    ).select_related("user")
    for assignment in roles:
        if assignment.office_id is not None:
            key = f"{OFFICE}-{assignment.office_id}"
        elif assignment.unit_id is not None:
            key = f"{UNIT}-{assignment.unit_id}"
        else:
            key = f"{DEPARTMENT}-{assignment.department_id}"
        found[key][assignment.user_id] = assignment.user
    if department_ids and requirement.body_id is not None:
        liaisons = Liaison.objects.filter(
            membership__body_id=requirement.body_id,
            membership__department_id__in=department_ids,
            user__is_active=True,
        ).select_related("user", "membership")
        for liaison in liaisons:
            found[f"{DEPARTMENT}-{liaison.membership.department_id}"][liaison.user_id] = liaison.user
    return {key: sorted(users.values(), key=lambda u: u.pk) for key, users in found.items()}
