"""Every object a user reaches goes through these helpers (STYLE habit 3).

A user's jurisdiction is the union of their role assignments:
- an office user sees and manages the subtree of the office's region;
- a leadership-group member sees (read only) the subtree of the body's region;
- sector-department staff see and manage the units under their department;
- unit staff see and manage their own unit;
- a reviewer sees the units assigned to them;
- a system administrator sees everything.

Lists are scoped with `visible_*`; single objects are fetched with `access_*`, which answers 404 for anything
outside the jurisdiction (so an outsider cannot even learn that an object exists) and 403 for a visible object
the user may only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from lvchuang.accounts.models import OFFICE_ROLE_LEVELS, Role, RoleAssignment, User
from lvchuang.audit.models import AuditEntry
from lvchuang.lib.divisions import Level
from lvchuang.organisations.models import Department, GoverningBody, Office, ReviewerAssignment, Unit
from lvchuang.regions.models import DivisionImport, Region

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_CACHE_ATTRIBUTE = "_lvchuang_jurisdiction"
M = TypeVar("M", bound="Model")


@dataclass(frozen=True)
class Jurisdiction:
    is_admin: bool = False
    managed_paths: tuple[str, ...] = ()  # region subtrees the user manages (office roles)
    viewed_paths: tuple[str, ...] = ()  # region subtrees the user may only read (leadership members)
    sector_ids: frozenset[int] = field(default_factory=frozenset)
    own_unit_ids: frozenset[int] = field(default_factory=frozenset)
    reviewed_unit_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def all_paths(self) -> tuple[str, ...]:
        return _outermost(self.managed_paths + self.viewed_paths)

    @property
    def is_empty(self) -> bool:
        return not (
            self.is_admin or self.all_paths or self.sector_ids or self.own_unit_ids or self.reviewed_unit_ids
        )


NOBODY = Jurisdiction()


def _outermost(paths: tuple[str, ...]) -> tuple[str, ...]:
    """Drop every path that lies inside another, so each subtree is queried once."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return tuple(sorted(kept))


def jurisdiction_of(user: User | AnonymousUser) -> Jurisdiction:
    """The user's jurisdiction, computed once per user object (one query, two for reviewers)."""
    if not user.is_authenticated:
        return NOBODY
    cached: Jurisdiction | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    assignments = list(
        RoleAssignment.objects.filter(user=user).select_related("office__region", "body__region")
    )
    roles = frozenset(a.role for a in assignments)
    reviewed: frozenset[int] = frozenset()
    if Role.REVIEWER in roles:
        reviewed = frozenset(
            ReviewerAssignment.objects.filter(reviewer=user).values_list("unit_id", flat=True)
        )
    jurisdiction = Jurisdiction(
        is_admin=user.is_superuser or Role.SYSTEM_ADMIN in roles,
        managed_paths=_outermost(tuple(a.office.region.path for a in assignments if a.office is not None)),
        viewed_paths=_outermost(tuple(a.body.region.path for a in assignments if a.body is not None)),
        sector_ids=frozenset(a.department_id for a in assignments if a.department_id is not None),
        own_unit_ids=frozenset(a.unit_id for a in assignments if a.unit_id is not None),
        reviewed_unit_ids=reviewed,
        roles=roles,
    )
    setattr(user, _CACHE_ATTRIBUTE, jurisdiction)
    return jurisdiction


def forget_jurisdiction(user: User) -> None:
    """Call after changing a user's roles within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _paths_q(paths: tuple[str, ...], lookup: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


# The length of a region path gives its level (regions.models.Region.path).
_LEVEL_OF_PATH_LENGTH = {int(level.prefix_length): int(level) for level in Level}


# --- units --------------------------------------------------------------------------------------------------


def unit_q(jurisdiction: Jurisdiction, *, for_change: bool = False, prefix: str = "") -> Q:
    """A filter on Unit (or, with `prefix="unit__"`, on anything that points to a unit)."""
    if jurisdiction.is_admin:
        return Q()
    paths = jurisdiction.managed_paths if for_change else jurisdiction.all_paths
    q = _paths_q(paths, f"{prefix}region__path")
    if jurisdiction.sector_ids:
        q |= Q(**{f"{prefix}sector_id__in": jurisdiction.sector_ids})
    unit_ids = (
        jurisdiction.own_unit_ids
        if for_change
        else jurisdiction.own_unit_ids | jurisdiction.reviewed_unit_ids
    )
    if unit_ids:
        q |= Q(**{f"{prefix}pk__in" if prefix else "pk__in": unit_ids})
    return q


def visible_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    return Unit.objects.filter(unit_q(jurisdiction_of(user)))


def can_change_unit(user: User | AnonymousUser, unit: Unit) -> bool:
    return Unit.objects.filter(unit_q(jurisdiction_of(user), for_change=True), pk=unit.pk).exists()


def access_unit_by_id(user: User | AnonymousUser, unit_id: Any, *, for_change: bool = False) -> Unit:
    unit = _get_or_404(visible_units(user).select_related("region", "sector"), pk=unit_id)
    if for_change and not can_change_unit(user, unit):
        raise PermissionDenied
    return unit


# --- regions and organisations -------------------------------------------------------------------------------


def visible_regions(user: User | AnonymousUser) -> QuerySet[Region]:
    """Region subtrees of the user's offices and bodies, plus the regions of the units they belong to."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return Region.objects.all()
    q = _paths_q(jurisdiction.all_paths, "path")
    if jurisdiction.own_unit_ids:
        q |= Q(units__pk__in=jurisdiction.own_unit_ids)
    return Region.objects.filter(q).distinct() if jurisdiction.own_unit_ids else Region.objects.filter(q)


def access_region_by_code(user: User | AnonymousUser, code: str) -> Region:
    return _get_or_404(visible_regions(user), code=code)


def _organisation_q(jurisdiction: Jurisdiction, *, for_change: bool = False) -> Q:
    if jurisdiction.is_admin:
        return Q()
    return _paths_q(jurisdiction.managed_paths if for_change else jurisdiction.all_paths, "region__path")


def visible_offices(user: User | AnonymousUser) -> QuerySet[Office]:
    return Office.objects.filter(_organisation_q(jurisdiction_of(user)))


def visible_departments(user: User | AnonymousUser) -> QuerySet[Department]:
    jurisdiction = jurisdiction_of(user)
    q = _organisation_q(jurisdiction)
    if jurisdiction.sector_ids:
        q |= Q(pk__in=jurisdiction.sector_ids)
    return Department.objects.filter(q)


def visible_bodies(user: User | AnonymousUser) -> QuerySet[GoverningBody]:
    return GoverningBody.objects.filter(_organisation_q(jurisdiction_of(user)))


def access_office_by_id(user: User | AnonymousUser, office_id: Any) -> Office:
    return _get_or_404(visible_offices(user).select_related("region", "host_department"), pk=office_id)


def access_department_by_id(user: User | AnonymousUser, department_id: Any) -> Department:
    return _get_or_404(visible_departments(user).select_related("region"), pk=department_id)


def access_body_by_id(user: User | AnonymousUser, body_id: Any) -> GoverningBody:
    return _get_or_404(visible_bodies(user).select_related("region", "office"), pk=body_id)


def can_manage_organisations_in(user: User | AnonymousUser, region: Region) -> bool:
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or any(region.path.startswith(p) for p in jurisdiction.managed_paths)


def managed_regions(user: User | AnonymousUser) -> QuerySet[Region]:
    """Regions in which the user may create and reclassify units (`can_manage_organisations_in`)."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return Region.objects.all()
    return Region.objects.filter(_paths_q(jurisdiction.managed_paths, "path"))


def assignable_sectors(
    user: User | AnonymousUser, *, keeping: Department | None = None
) -> QuerySet[Department]:
    """Sector departments a unit in the user's jurisdiction may be put under: those in the user's subtrees and
    those of the regions above them (a city's 教育局 runs schools in every district), plus `keeping`, the
    unit's current one."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return Department.objects.filter(is_sector_authority=True)
    q = _paths_q(jurisdiction.managed_paths, "region__path")
    ancestors = {path[:length] for path in jurisdiction.managed_paths for length in _LEVEL_OF_PATH_LENGTH}
    q |= Q(region__path__in=sorted(ancestors))
    if keeping is not None:
        q |= Q(pk=keeping.pk)
    return Department.objects.filter(q, is_sector_authority=True)


def visible_division_imports(user: User | AnonymousUser) -> QuerySet[DivisionImport]:
    """Administrators see every import; an office sees the imports scoped inside its subtree (`scope` is a
    region path). A whole-country import (empty scope) rewrites the table for everybody: administrators only."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return DivisionImport.objects.all()
    return DivisionImport.objects.filter(_paths_q(jurisdiction.managed_paths, "scope"))


def can_view_division_imports(user: User | AnonymousUser) -> bool:
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or bool(jurisdiction.managed_paths)


# --- users and roles ----------------------------------------------------------------------------------------


def _role_scope_q(jurisdiction: Jurisdiction, *, for_change: bool = False, prefix: str = "") -> Q:
    """Role assignments whose scope object lies inside the jurisdiction."""
    paths = jurisdiction.managed_paths if for_change else jurisdiction.all_paths
    q = Q(pk__in=[])
    for lookup in (
        "unit__region__path",
        "office__region__path",
        "department__region__path",
        "body__region__path",
    ):
        q |= _paths_q(paths, f"{prefix}{lookup}")
    if jurisdiction.sector_ids and not for_change:
        q |= Q(**{f"{prefix}unit__sector_id__in": jurisdiction.sector_ids})
    return q


def visible_users(user: User | AnonymousUser) -> QuerySet[User]:
    """Users who hold a role inside the jurisdiction, and the user themself."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return User.objects.all()
    if not user.is_authenticated:
        return User.objects.none()
    ids = RoleAssignment.objects.filter(_role_scope_q(jurisdiction)).values("user_id")
    return User.objects.filter(Q(pk__in=ids) | Q(pk=user.pk))


def access_user_by_id(user: User | AnonymousUser, user_id: Any) -> User:
    return _get_or_404(visible_users(user), pk=user_id)


def visible_role_assignments(user: User | AnonymousUser) -> QuerySet[RoleAssignment]:
    """Role assignments whose scope lies inside the jurisdiction, and the user's own."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return RoleAssignment.objects.all()
    if not user.is_authenticated:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(_role_scope_q(jurisdiction) | Q(user_id=user.pk))


def access_role_assignment_by_id(user: User | AnonymousUser, assignment_id: Any) -> RoleAssignment:
    scoped = visible_role_assignments(user).select_related(
        "user", "unit__region", "office__region", "department__region", "body__region"
    )
    return _get_or_404(scoped, pk=assignment_id)


def grantable_roles(user: User | AnonymousUser) -> list[str]:
    """The roles `can_grant` allows on some scope: all for an administrator; for an office, the scoped roles,
    office roles only at or below the level of its own region."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return list(Role.values)
    if not jurisdiction.managed_paths:
        return []
    top = min(_LEVEL_OF_PATH_LENGTH.get(len(path), 5) for path in jurisdiction.managed_paths)
    return [
        role
        for role in Role.values
        if role not in (Role.REVIEWER, Role.SYSTEM_ADMIN) and OFFICE_ROLE_LEVELS.get(role, top) >= top
    ]


@dataclass(frozen=True)
class GrantableScopes:
    """The objects a user may scope a granted role to (`can_grant`), one queryset per kind of scope."""

    units: QuerySet[Unit]
    offices: QuerySet[Office]
    departments: QuerySet[Department]
    bodies: QuerySet[GoverningBody]


def grantable_scopes(user: User | AnonymousUser) -> GrantableScopes:
    q = _organisation_q(jurisdiction_of(user), for_change=True)
    return GrantableScopes(
        units=Unit.objects.filter(q),
        offices=Office.objects.filter(q),
        departments=Department.objects.filter(q, is_sector_authority=True),
        bodies=GoverningBody.objects.filter(q),
    )


def can_grant(user: User | AnonymousUser, assignment: RoleAssignment) -> bool:
    """An office may grant roles on objects inside its subtree; unscoped roles are the administrator's."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return True
    if assignment.role in (Role.REVIEWER, Role.SYSTEM_ADMIN):
        return False
    scope_region = _scope_region(assignment)
    return scope_region is not None and any(
        scope_region.path.startswith(p) for p in jurisdiction.managed_paths
    )


def _scope_region(assignment: RoleAssignment) -> Region | None:
    for scope in (assignment.unit, assignment.office, assignment.department, assignment.body):
        if scope is not None:
            region: Region = scope.region
            return region
    return None


def office_role_level_matches(assignment: RoleAssignment) -> bool:
    expected = OFFICE_ROLE_LEVELS.get(assignment.role)
    return expected is None or (assignment.office is not None and assignment.office.region.level == expected)


# --- audit trail --------------------------------------------------------------------------------------------


def visible_audit_entries(user: User | AnonymousUser) -> QuerySet[AuditEntry]:
    """Administrators see every entry; an office sees entries about records inside its subtree, and about the
    accounts of people who hold a role there (a user belongs to no region of their own)."""
    jurisdiction = jurisdiction_of(user)
    entries: QuerySet[AuditEntry] = AuditEntry.objects.all()  # auditlog's manager is untyped
    if jurisdiction.is_admin:
        return entries
    if not jurisdiction.managed_paths:
        return entries.none()
    people = RoleAssignment.objects.filter(_role_scope_q(jurisdiction, for_change=True)).values(
        pk_text=Cast("user_id", CharField())
    )
    accounts = Q(content_type=ContentType.objects.get_for_model(User), object_pk__in=people)
    return entries.filter(_paths_q(jurisdiction.managed_paths, "region_path") | accounts)


def can_view_audit(user: User | AnonymousUser) -> bool:
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or bool(jurisdiction.managed_paths)


def unit_history(user: User | AnonymousUser, unit: Unit) -> QuerySet[AuditEntry]:
    """One unit's audit entries, for whoever may change the unit: the earlier values let them undo an edit."""
    if not can_change_unit(user, unit):
        raise PermissionDenied
    entries: QuerySet[AuditEntry] = AuditEntry.objects.filter(
        content_type__app_label=Unit._meta.app_label,
        content_type__model=Unit._meta.model_name,
        object_pk=str(unit.pk),
    )
    return entries


def _get_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
