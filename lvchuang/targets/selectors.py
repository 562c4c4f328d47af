"""Reads of the targets pages beyond the coverage figures: the quota usage of a campaign (seed 002's annex: 35
titles split among the counties and sector departments, each share compared with what it took)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from lvchuang.accounts.access import jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.applications.models import SELECTED_STATUSES, Application, Status
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Campaign, QuotaAllocation
from lvchuang.campaigns.selectors import sees_region


@dataclass(frozen=True)
class QuotaLine:
    allocation: QuotaAllocation
    selected: int  # shortlisted or named: a place taken in the quota
    named: int

    @property
    def label(self) -> str:
        return str(self.allocation.region or self.allocation.department)

    @property
    def is_sector(self) -> bool:
        return self.allocation.department_id is not None

    @property
    def over(self) -> int:
        """How many places beyond the allocation were taken (0 within it)."""
        return max(0, self.selected - self.allocation.amount)

    @property
    def left(self) -> int:
        return max(0, self.allocation.amount - self.selected)


@dataclass(frozen=True)
class QuotaUsage:
    campaign: Campaign
    lines: list[QuotaLine]
    whole: bool  # the user runs the campaign: the totals are the campaign's, else those of the lines shown
    selected: int
    named: int
    outside: int | None  # selected applications of units no allocation covers (only for those who run it)

    @property
    def quota(self) -> int | None:
        return self.campaign.quota

    @property
    def allocated(self) -> int:
        return sum(line.allocation.amount for line in self.lines)

    @property
    def over(self) -> int:
        return 0 if self.quota is None or not self.whole else max(0, self.selected - self.quota)

    @property
    def lines_over(self) -> list[QuotaLine]:
        return [line for line in self.lines if line.over]


def quota_usage(user: User | AnonymousUser, campaign: Campaign) -> QuotaUsage:
    """Each allocation of the campaign the user may see against the shortlisted and named applications of the
    units it covers (`QuotaAllocation.covers`: a region's share counts the units without a sector authority), in
    two queries."""
    allocations = list(
        campaign.allocations.select_related("region", "department").order_by(
            "department_id", "region__code", "department__name", "pk"
        )
    )
    applications = list(
        Application.objects.filter(campaign=campaign, status__in=SELECTED_STATUSES).values_list(
            "unit__region__path", "unit__sector_id", "status"
        )
    )
    runs = can_run_campaign(user, campaign)
    sector_ids = jurisdiction_of(user).sector_ids
    lines: list[QuotaLine] = []
    covered_rows: set[int] = set()
    for allocation in allocations:
        matched = [
            index
            for index, (path, sector_id, _status) in enumerate(applications)
            if (
                sector_id == allocation.department_id
                if allocation.department_id is not None
                else sector_id is None
                and allocation.region is not None
                and path.startswith(allocation.region.path)
            )
        ]
        covered_rows.update(matched)
        if allocation.region is not None:
            visible = sees_region(user, campaign, allocation.region)
        else:
            visible = runs or allocation.department_id in sector_ids
        if not visible:
            continue
        lines.append(
            QuotaLine(
                allocation=allocation,
                selected=len(matched),
                named=sum(1 for index in matched if applications[index][2] == Status.NAMED),
            )
        )
    if not runs:
        return QuotaUsage(
            campaign=campaign,
            lines=lines,
            whole=False,
            selected=sum(line.selected for line in lines),
            named=sum(line.named for line in lines),
            outside=None,
        )
    return QuotaUsage(
        campaign=campaign,
        lines=lines,
        whole=True,
        selected=len(applications),
        named=sum(1 for row in applications if row[2] == Status.NAMED),
        outside=len(applications) - len(covered_rows),
    )
