"""Who sees and changes annual targets and the coefficient tables (STYLE habit 3).

- An annual target is seen by the offices (and leadership members) of its region and of the regions below it,
  where it applies, and by the offices above, who follow their subordinates' targets; by a unit's clerk and a
  sector department's staff when it applies to their units. A sibling district sees nothing of its neighbour's.
- It is set by an office for its region, or by an office above on its behalf, and changed or deleted by them.
- The coefficient tables are read by every signed-in user who holds a role and changed by the system
  administrator only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from lvchuang.accounts.access import (
    _get_or_404,
    _paths_q,
    can_manage_organisations_in,
    grantable_scopes,
    jurisdiction_of,
)
from lvchuang.accounts.models import User
from lvchuang.ledgers.models import AnnualTarget
from lvchuang.lib.divisions import Level
from lvchuang.organisations.models import Department, Office, Unit

_PREFIX_LENGTHS = sorted(int(level.prefix_length) for level in Level)


def _at_or_above(paths: list[str] | tuple[str, ...]) -> list[str]:
    return sorted({path[:length] for path in paths for length in _PREFIX_LENGTHS if length <= len(path)})


def visible_annual_targets(user: User | AnonymousUser) -> QuerySet[AnnualTarget]:
    targets = AnnualTarget.objects.select_related("office", "region")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return targets
    subtrees = list(jurisdiction.all_paths)
    if jurisdiction.sector_ids:
        subtrees += Department.objects.filter(pk__in=jurisdiction.sector_ids).values_list(
            "region__path", flat=True
        )
    above = list(subtrees)
    unit_ids = jurisdiction.own_unit_ids | jurisdiction.reviewed_unit_ids
    if unit_ids:
        above += Unit.objects.filter(pk__in=unit_ids).values_list("region__path", flat=True)
    if not above:
        return targets.none()
    return targets.filter(_paths_q(tuple(subtrees), "region__path") | Q(region__path__in=_at_or_above(above)))


def can_change_annual_target(user: User | AnonymousUser, target: AnnualTarget) -> bool:
    """The office of the target's region and the offices above it."""
    return can_manage_organisations_in(user, target.region)


def access_annual_target_by_id(
    user: User | AnonymousUser, target_id: Any, *, for_change: bool = False
) -> AnnualTarget:
    target = _get_or_404(visible_annual_targets(user), pk=target_id)
    if for_change and not can_change_annual_target(user, target):
        raise PermissionDenied
    return target


def target_offices(user: User | AnonymousUser) -> QuerySet[Office]:
    """The offices in whose name the user may set a target: those of the regions they manage."""
    return grantable_scopes(user).offices.select_related("region").order_by("region__path", "name")


def can_set_targets(user: User | AnonymousUser) -> bool:
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or bool(jurisdiction.managed_paths)


def can_read_reference_tables(user: User | AnonymousUser) -> bool:
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or bool(jurisdiction.roles)


def can_change_reference_tables(user: User | AnonymousUser) -> bool:
    return jurisdiction_of(user).is_admin


def require_reference_reader(user: User | AnonymousUser) -> None:
    if not can_read_reference_tables(user):
        raise PermissionDenied
