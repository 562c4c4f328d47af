"""Who sees and changes which coverage target, and which region of it they may look at (STYLE habit 3).

- A target is seen by the offices (and leadership members) whose region lies under the target's office, where it
  applies, and by those above it, who follow their subordinates' targets.
- It is changed by its office and the offices above it.
- The region shown on a dashboard lies inside the target's region and inside the user's jurisdiction: an office
  above sees the target's region whole; an office below sees its own subtree only, so a district never sees its
  sibling district or the city's total. Anything else answers 404.
Unit staff, sector staff and reviewers hold no region of their own to measure, so they see no targets.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lvchuang.accounts.access import Jurisdiction, _get_or_404, _paths_q, jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.campaigns.access import PREFIX_LENGTHS
from lvchuang.regions.models import Region
from lvchuang.targets.models import CoverageTarget


def _at_or_above(paths: tuple[str, ...]) -> list[str]:
    """Every region path at or above the given ones."""
    return sorted({path[:length] for path in paths for length in PREFIX_LENGTHS if length <= len(path)})


def visible_targets(user: User | AnonymousUser) -> QuerySet[CoverageTarget]:
    targets = CoverageTarget.objects.select_related("office__region")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return targets
    paths = jurisdiction.all_paths
    q = _paths_q(paths, "office__region__path")
    if paths:
        q |= Q(office__region__path__in=_at_or_above(paths))
    return targets.filter(q)


def can_change_target(user: User | AnonymousUser, target: CoverageTarget) -> bool:
    """The target's office and the offices above it."""
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or any(
        target.office.region.path.startswith(path) for path in jurisdiction.managed_paths
    )


def access_target_by_id(
    user: User | AnonymousUser, target_id: Any, *, for_change: bool = False
) -> CoverageTarget:
    target = _get_or_404(visible_targets(user), pk=target_id)
    if for_change and not can_change_target(user, target):
        raise PermissionDenied
    return target


def _sees_whole(jurisdiction: Jurisdiction, path: str) -> bool:
    return jurisdiction.is_admin or any(path.startswith(p) for p in jurisdiction.all_paths)


def top_path(user: User | AnonymousUser, target: CoverageTarget) -> str | None:
    """The outermost region path of the target the user may see: the target's own region when the user sees it
    whole, else the user's outermost region inside it (None when there is none)."""
    jurisdiction = jurisdiction_of(user)
    target_path = target.office.region.path
    if _sees_whole(jurisdiction, target_path):
        return target_path
    inside = [p for p in jurisdiction.all_paths if p.startswith(target_path)]
    return min(inside, key=lambda p: (len(p), p)) if inside else None


def region_for(user: User | AnonymousUser, target: CoverageTarget, code: str | None = None) -> Region:
    """The region of `target` to show: `code` (12 digits) when it lies inside both the target's region and the
    user's jurisdiction, by default the outermost such region (`top_path`). 404 otherwise."""
    target_region: Region = target.office.region
    jurisdiction = jurisdiction_of(user)
    if not code:
        path = top_path(user, target)
        if path is None:
            raise Http404
        if path == target_region.path:
            return target_region
        region = Region.objects.filter(path=path).order_by("-is_active", "code").first()
        if region is None:
            raise Http404
        return region
    region = _get_or_404(Region.objects.all(), code=code)
    if not region.path.startswith(target_region.path) or not _sees_whole(jurisdiction, region.path):
        raise Http404
    return region


def can_see_region(user: User | AnonymousUser, target: CoverageTarget, region: Region) -> bool:
    return region.path.startswith(target.office.region.path) and _sees_whole(
        jurisdiction_of(user), region.path
    )
