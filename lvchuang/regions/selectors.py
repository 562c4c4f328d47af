"""Reads for the region pages, scoped by the access helpers."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet

from lvchuang.accounts import access
from lvchuang.accounts.models import User
from lvchuang.lib.divisions import Level
from lvchuang.organisations.selectors import count_subquery, units_in_subtree_count
from lvchuang.regions.models import Region

# Path length of each level's significant code prefix (Region.path).
PATH_LENGTHS = tuple(level.prefix_length for level in Level)


def with_counts(user: User, regions: QuerySet[Region]) -> QuerySet[Region]:
    """Annotate each region with the units visible in its subtree and its visible children."""
    return regions.annotate(
        unit_count=units_in_subtree_count(access.visible_units(user)),
        child_count=count_subquery(access.visible_regions(user).filter(parent_id=OuterRef("pk"))),
    )


def top_regions(user: User) -> QuerySet[Region]:
    """Where browsing starts: the provinces for an administrator, otherwise the top of each jurisdiction
    (an office's or body's region, or the region of the user's own unit)."""
    jurisdiction = access.jurisdiction_of(user)
    visible = access.visible_regions(user)
    if jurisdiction.is_admin:
        tops = visible.filter(level=Region.Level.PROVINCE)
    else:
        q = Q(path__in=jurisdiction.all_paths)
        if jurisdiction.own_unit_ids:
            inside = Q(pk__in=[])
            for path in jurisdiction.all_paths:
                inside |= Q(path__startswith=path)
            q |= Q(units__pk__in=jurisdiction.own_unit_ids) & ~inside
        tops = visible.filter(q)
    return with_counts(user, tops).order_by("code")


def search(user: User, text: str) -> QuerySet[Region]:
    """Visible regions whose name contains `text`, or whose code starts with it (a community among thousands)."""
    text = text.strip()
    found = access.visible_regions(user).filter(Q(name__icontains=text) | Q(code__startswith=text))
    return with_counts(user, found).order_by("code")


def ancestors(user: User, region: Region) -> list[Region]:
    """The breadcrumbs: the region's ancestors the user may see, from the top down."""
    prefixes = [region.path[:length] for length in PATH_LENGTHS if length < len(region.path)]
    return list(access.visible_regions(user).filter(path__in=prefixes).order_by("path"))


def children(user: User, region: Region) -> QuerySet[Region]:
    return with_counts(user, access.visible_regions(user).filter(parent_id=region.pk)).order_by("code")


def units_in_subtree(user: User, region: Region) -> int:
    return access.visible_units(user).filter(region__path__startswith=region.path).count()
