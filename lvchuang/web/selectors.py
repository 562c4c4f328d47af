"""What needs attention, per role: the home page's reads, all scoped through the access helpers.

The number of queries depends on how many roles the user holds, never on how much data there is: every list
is cut to a fixed length and every count is one query (the home page tests pin the numbers).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from lvchuang.accounts import access
from lvchuang.accounts.models import Role, User
from lvchuang.assessments.models import SelfAssessment
from lvchuang.assessments.selectors import assessments_of_units
from lvchuang.campaigns.deadlines import Deadline, attention_needed, deadlines_for
from lvchuang.naming.access import visible_filings
from lvchuang.naming.models import Filing
from lvchuang.notices.access import visible_objections
from lvchuang.notices.models import Objection
from lvchuang.organisations.models import Department, GoverningBody, Office, Unit
from lvchuang.organisations.selectors import missing_facts, missing_facts_q, units_in_subtree_count
from lvchuang.regions.models import DivisionImport, Region
from lvchuang.standards.access import own_office_ids
from lvchuang.supervision.access import visible_orders, visible_proposals
from lvchuang.supervision.models import RevocationProposal
from lvchuang.supervision.selectors import order_counts

CHILD_REGIONS_SHOWN = 50
MISSING_UNITS_SHOWN = 20
RECENT_IMPORTS_SHOWN = 5
ROLELESS_USERS_SHOWN = 20


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str | Promise
    count: int


@dataclass(frozen=True)
class RegionOverview:
    """A jurisdiction at a glance: its units by kind, its child regions, and units still missing facts."""

    region: Region
    kind_counts: list[KindCount]
    children: Sequence[Region]  # each annotated with `unit_count`
    more_children: bool
    missing_units: list[Unit]
    missing_total: int
    read_only: bool

    @property
    def unit_total(self) -> int:
        return sum(kind.count for kind in self.kind_counts)


@dataclass(frozen=True)
class OfficeHome:
    office: Office
    overview: RegionOverview


@dataclass(frozen=True)
class BodyHome:
    body: GoverningBody
    overview: RegionOverview


@dataclass(frozen=True)
class UnitHome:
    unit: Unit
    missing: list[str | Promise]
    self_assessments: list[SelfAssessment] = field(default_factory=list)  # with `answered` and `leaf_count`


@dataclass(frozen=True)
class SectorHome:
    department: Department
    unit_total: int
    missing_units: list[Unit]
    missing_total: int


@dataclass(frozen=True)
class AdminHome:
    counts: list[tuple[str | Promise, int, str]]  # label, count, URL name of the list
    recent_imports: list[DivisionImport]
    roleless_users: list[User]
    roleless_total: int


@dataclass(frozen=True)
class Home:
    offices: list[OfficeHome] = field(default_factory=list)
    bodies: list[BodyHome] = field(default_factory=list)
    units: list[UnitHome] = field(default_factory=list)
    sectors: list[SectorHome] = field(default_factory=list)
    reviewed_units: list[Unit] | None = None  # None: not a reviewer; empty: nothing assigned yet
    admin: AdminHome | None = None
    deadlines: list[Deadline] = field(default_factory=list)  # approaching and missed, the missed first

    @property
    def has_no_role(self) -> bool:
        return not (
            self.offices
            or self.bodies
            or self.units
            or self.sectors
            or self.admin
            or self.reviewed_units is not None
        )


def home_for(user: User, *, today: datetime.date | None = None) -> Home:
    jurisdiction = access.jurisdiction_of(user)
    own = list(
        access.visible_role_assignments(user)
        .filter(user_id=user.pk)
        .select_related(
            "unit__region", "unit__sector", "office__region", "department__region", "body__region"
        )
        .order_by("role", "pk")
    )
    return Home(
        offices=[
            OfficeHome(office=a.office, overview=region_overview(user, a.office.region, read_only=False))
            for a in own
            if a.office is not None
        ],
        bodies=[
            BodyHome(body=a.body, overview=region_overview(user, a.body.region, read_only=True))
            for a in own
            if a.body is not None
        ],
        units=unit_homes([a.unit for a in own if a.unit is not None]),
        sectors=[sector_home(user, a.department) for a in own if a.department is not None],
        reviewed_units=reviewed_units(user) if Role.REVIEWER in jurisdiction.roles else None,
        admin=admin_home(user) if jurisdiction.is_admin else None,
        deadlines=attention_needed(deadlines_for(user, today=today or timezone.localdate(), assignments=own)),
    )


def unit_homes(units: list[Unit]) -> list[UnitHome]:
    """The user's own units, each with its missing facts and its self-assessments (one query for all units)."""
    assessments = assessments_of_units(unit.pk for unit in units)
    return [
        UnitHome(unit=unit, missing=missing_facts(unit), self_assessments=assessments.get(unit.pk, []))
        for unit in units
    ]


def region_overview(user: User, region: Region, *, read_only: bool) -> RegionOverview:
    """Four queries: units by kind, child regions with their unit counts, and the units missing facts."""
    units = access.visible_units(user).filter(region__path__startswith=region.path)
    by_kind = dict(units.order_by().values_list("kind").annotate(count=Count("pk")))
    kind_counts = [
        KindCount(kind=kind.value, label=kind.label, count=by_kind[kind.value])
        for kind in Unit.Kind
        if by_kind.get(kind.value)
    ]
    children = list(
        access.visible_regions(user)
        .filter(parent_id=region.pk)
        .annotate(unit_count=units_in_subtree_count(access.visible_units(user)))
        .order_by("code")[: CHILD_REGIONS_SHOWN + 1]
    )
    missing = units.filter(missing_facts_q())
    if read_only:
        missing_units: list[Unit] = []
    else:
        missing_units = list(
            missing.select_related("region").order_by("region__code", "name")[:MISSING_UNITS_SHOWN]
        )
    return RegionOverview(
        region=region,
        kind_counts=kind_counts,
        children=children[:CHILD_REGIONS_SHOWN],
        more_children=len(children) > CHILD_REGIONS_SHOWN,
        missing_units=missing_units,
        missing_total=missing.count(),
        read_only=read_only,
    )


def sector_home(user: User, department: Department) -> SectorHome:
    units = access.visible_units(user).filter(sector_id=department.pk)
    missing = units.filter(missing_facts_q())
    return SectorHome(
        department=department,
        unit_total=units.count(),
        missing_units=list(
            missing.select_related("region").order_by("region__code", "name")[:MISSING_UNITS_SHOWN]
        ),
        missing_total=missing.count(),
    )


def reviewed_units(user: User) -> list[Unit]:
    reviewed = access.jurisdiction_of(user).reviewed_unit_ids
    if not reviewed:
        return []
    return list(access.visible_units(user).filter(pk__in=reviewed).select_related("region").order_by("name"))


def admin_home(user: User) -> AdminHome:
    counted: list[tuple[str | Promise, Any, str]] = [
        (pgettext_lazy("navigation", "行政区划"), access.visible_regions(user), "regions:list"),
        (pgettext_lazy("navigation", "创建单位"), access.visible_units(user), "organisations:unit_list"),
        (pgettext_lazy("navigation", "创建办"), access.visible_offices(user), "organisations:office_list"),
        (
            pgettext_lazy("navigation", "部门"),
            access.visible_departments(user),
            "organisations:department_list",
        ),
        (pgettext_lazy("navigation", "领导机构"), access.visible_bodies(user), "organisations:body_list"),
        (pgettext_lazy("navigation", "用户"), access.visible_users(user), "accounts:user_list"),
    ]
    holders = access.visible_role_assignments(user).values("user_id")
    roleless = access.visible_users(user).exclude(pk__in=holders).filter(is_superuser=False)
    return AdminHome(
        counts=[(label, queryset.count(), url_name) for label, queryset, url_name in counted],
        recent_imports=list(
            access.visible_division_imports(user).select_related("by")[:RECENT_IMPORTS_SHOWN]
        ),
        roleless_users=list(roleless.order_by("username")[:ROLELESS_USERS_SHOWN]),
        roleless_total=roleless.count(),
    )


# --- after naming: cases, filings, rectifications and revocations waiting on the user -------------------------


@dataclass(frozen=True)
class Waiting:
    label: str | Promise
    count: int
    url: str


def waiting_after_naming(user: User, *, today: datetime.date) -> list[Waiting]:
    """What the notices, naming and supervision work leaves on an office's desk, as counts with a link; only
    the non-zero ones. Five counting queries (and the user's offices), none for users without an office role."""
    jurisdiction = access.jurisdiction_of(user)
    if not (jurisdiction.is_admin or jurisdiction.managed_paths):
        return []
    offices = own_office_ids(user)
    filings = visible_filings(user).aggregate(
        overdue=Count(
            "pk", filter=Q(status=Filing.Status.PENDING, from_office_id__in=offices, due_on__lt=today)
        ),
        to_acknowledge=Count(
            "pk",
            filter=Q(status=Filing.Status.FILED, to_office_id__in=offices, acknowledged_on__isnull=True),
        ),
    )
    orders = order_counts(visible_orders(user), today=today)
    open_cases = [Objection.Status.RECEIVED, Objection.Status.INVESTIGATING]
    rows = [
        Waiting(
            pgettext_lazy("home", "未办结的异议"),
            visible_objections(user).filter(status__in=open_cases).count(),
            reverse("notices:list"),
        ),
        Waiting(pgettext_lazy("home", "逾期未备案"), filings["overdue"], reverse("naming:filing_list")),
        Waiting(
            pgettext_lazy("home", "待确认的下级备案"),
            filings["to_acknowledge"],
            reverse("naming:filing_list"),
        ),
        Waiting(
            pgettext_lazy("home", "待验收的整改报告"), orders.reported, reverse("supervision:order_list")
        ),
        Waiting(
            pgettext_lazy("home", "逾期未整改"),
            orders.overdue + orders.late,
            reverse("supervision:order_list"),
        ),
        Waiting(
            pgettext_lazy("home", "待决定的撤销建议"),
            visible_proposals(user).filter(status=RevocationProposal.Status.PROPOSED).count(),
            reverse("supervision:proposal_list"),
        ),
    ]
    return [row for row in rows if row.count]
