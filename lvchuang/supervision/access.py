"""Who sees and acts on re-inspections, rectification orders and revocation proposals (STYLE habit 3).

- A re-inspection is the organising office's: it and the offices above it see and run it (leadership members of
  a body over it may read it).
- A rectification order is seen by the offices over the unit (and leadership members over it) and by the unit
  itself; the unit answers it (`can_answer_order`), the offices that manage the title decide on it
  (`titles.access.can_manage_title`).
- A revocation proposal is the offices' deliberation: the offices over the unit see it, the offices that manage
  the title decide it. The unit learns of it on its rectification order and, once decided, on the public
  registry.

Anything outside answers 404; a visible object the user may not act on answers 403 (`for_change=True`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from lvchuang.accounts.access import Jurisdiction, _get_or_404, _paths_q, jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.supervision.models import Inspection, RectificationOrder, Reinspection, RevocationProposal
from lvchuang.titles.access import can_manage_title


def _office_q(jurisdiction: Jurisdiction, lookup: str, *, for_change: bool = False) -> Q:
    return _paths_q(jurisdiction.managed_paths if for_change else jurisdiction.all_paths, lookup)


# --- re-inspections ---------------------------------------------------------------------------------------------


def visible_reinspections(user: User | AnonymousUser) -> QuerySet[Reinspection]:
    reinspections = Reinspection.objects.select_related("office__region", "program", "version__standard")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return reinspections
    return reinspections.filter(_office_q(jurisdiction, "office__region__path"))


def can_run_reinspection(user: User | AnonymousUser, reinspection: Reinspection) -> bool:
    """The organising office and the offices above it draw, record results and close."""
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or any(
        reinspection.office.region.path.startswith(path) for path in jurisdiction.managed_paths
    )


def access_reinspection_by_id(
    user: User | AnonymousUser, reinspection_id: Any, *, for_change: bool = False
) -> Reinspection:
    reinspection = _get_or_404(visible_reinspections(user), pk=reinspection_id)
    if for_change and not can_run_reinspection(user, reinspection):
        raise PermissionDenied
    return reinspection


def access_inspection_by_id(
    user: User | AnonymousUser, inspection_id: Any, *, for_change: bool = False
) -> Inspection:
    scoped = Inspection.objects.filter(reinspection__in=visible_reinspections(user)).select_related(
        "reinspection__office__region", "reinspection__program", "title__unit__region", "title__program"
    )
    inspection = _get_or_404(scoped, pk=inspection_id)
    if for_change and not can_run_reinspection(user, inspection.reinspection):
        raise PermissionDenied
    return inspection


# --- rectification orders ---------------------------------------------------------------------------------------


def _over_the_unit_q(jurisdiction: Jurisdiction, *, with_own_units: bool) -> Q:
    q = _office_q(jurisdiction, "title__unit__region__path")
    if with_own_units and jurisdiction.own_unit_ids:
        q |= Q(title__unit_id__in=jurisdiction.own_unit_ids)
    return q


def visible_orders(user: User | AnonymousUser) -> QuerySet[RectificationOrder]:
    """Orders of the units under the user's offices, and the user's own units' orders."""
    orders = RectificationOrder.objects.select_related(
        "title__unit__region", "title__program", "title__campaign__office__region", "inspection"
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return orders
    return orders.filter(_over_the_unit_q(jurisdiction, with_own_units=True))


def can_answer_order(user: User | AnonymousUser, order: RectificationOrder) -> bool:
    """Staff of the unit that holds the title report the rectification."""
    return order.title.unit_id in jurisdiction_of(user).own_unit_ids


def access_order_by_id(
    user: User | AnonymousUser, order_id: Any, *, for_change: bool = False
) -> RectificationOrder:
    """`for_change`: the user may act on the order, as its unit (report) or as a managing office (decide)."""
    order = _get_or_404(visible_orders(user), pk=order_id)
    if for_change and not (can_answer_order(user, order) or can_manage_title(user, order.title)):
        raise PermissionDenied
    return order


# --- revocation proposals ---------------------------------------------------------------------------------------


def visible_proposals(user: User | AnonymousUser) -> QuerySet[RevocationProposal]:
    proposals = RevocationProposal.objects.select_related(
        "title__unit__region", "title__program", "title__campaign__office__region", "order", "proposed_by"
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return proposals
    return proposals.filter(_over_the_unit_q(jurisdiction, with_own_units=False))


def access_proposal_by_id(
    user: User | AnonymousUser, proposal_id: Any, *, for_change: bool = False
) -> RevocationProposal:
    proposal = _get_or_404(visible_proposals(user), pk=proposal_id)
    if for_change and not can_manage_title(user, proposal.title):
        raise PermissionDenied
    return proposal
