"""Who sees and runs which campaign and application (STYLE habit 3), on top of `accounts.access`.

- A campaign is visible to everyone whose jurisdiction lies under its issuing office's region (a street office,
  a unit, a sector department, a reviewer of one of its units) and to every office above or at that region.
- It is run (stages, overrides, quotas, checks, review, ranking) by the issuing office and the offices above it.
Applications and batches: `lvchuang/applications/access.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from lvchuang.accounts.access import Jurisdiction, _get_or_404, _paths_q, jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.campaigns.models import Campaign
from lvchuang.lib.divisions import Level
from lvchuang.organisations.models import Department, Unit

PREFIX_LENGTHS = sorted(int(level.prefix_length) for level in Level)


def _prefixes(path: str) -> set[str]:
    return {path[:length] for length in PREFIX_LENGTHS if length <= len(path)}


def _anchor_paths(jurisdiction: Jurisdiction) -> set[str]:
    """Every region path at or above the places the user acts for."""
    paths: set[str] = set()
    for path in jurisdiction.all_paths:
        paths |= _prefixes(path)
    unit_ids = jurisdiction.own_unit_ids | jurisdiction.reviewed_unit_ids
    if unit_ids:
        for path in Unit.objects.filter(pk__in=unit_ids).values_list("region__path", flat=True):
            paths |= _prefixes(path)
    if jurisdiction.sector_ids:
        for path in Department.objects.filter(pk__in=jurisdiction.sector_ids).values_list(
            "region__path", flat=True
        ):
            paths |= _prefixes(path)
    return paths


def visible_campaigns(user: User | AnonymousUser) -> QuerySet[Campaign]:
    jurisdiction = jurisdiction_of(user)
    campaigns = Campaign.objects.select_related("program", "office__region", "version__standard")
    if jurisdiction.is_admin:
        return campaigns
    q = _paths_q(jurisdiction.all_paths, "office__region__path")
    anchors = _anchor_paths(jurisdiction)
    if anchors:
        q |= Q(office__region__path__in=sorted(anchors))
    return campaigns.filter(q)


def can_run_campaign(user: User | AnonymousUser, campaign: Campaign) -> bool:
    """The issuing office and the offices above it run the campaign."""
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or any(
        campaign.office.region.path.startswith(path) for path in jurisdiction.managed_paths
    )


def access_campaign_by_id(
    user: User | AnonymousUser, campaign_id: Any, *, for_change: bool = False
) -> Campaign:
    campaign = _get_or_404(visible_campaigns(user), pk=campaign_id)
    if for_change and not can_run_campaign(user, campaign):
        raise PermissionDenied
    return campaign
