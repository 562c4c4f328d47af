"""Who manages which title (STYLE habit 3). The registry itself is public (`lvchuang.portal`).

A title is managed — rectification, revocation, certificates — by the office that named it and the offices above
that office. A title recorded from an earlier paper decision has no campaign; it is managed by the offices over
the unit's region at the program's level (a district title by the district office and above).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from lvchuang.accounts.access import _get_or_404, jurisdiction_of, unit_q
from lvchuang.accounts.models import User
from lvchuang.campaigns.models import TitleLevel
from lvchuang.lib.divisions import Level
from lvchuang.titles.models import Title

LEVEL_DEPTH = {
    TitleLevel.DISTRICT: Level.COUNTY,
    TitleLevel.CITY: Level.CITY,
    TitleLevel.PROVINCE: Level.PROVINCE,
}


def issuer_path(title: Title) -> str:
    """The region path of the office that named the title ('' for national titles: the administrator)."""
    if title.campaign is not None:
        return title.campaign.office.region.path
    depth = LEVEL_DEPTH.get(TitleLevel(title.program.level))
    return title.unit.region.path[: depth.prefix_length] if depth is not None else ""


def can_manage_title(user: User | AnonymousUser, title: Title) -> bool:
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return True
    path = issuer_path(title)
    return bool(path) and any(path.startswith(p) for p in jurisdiction.managed_paths)


def visible_titles(user: User | AnonymousUser) -> QuerySet[Title]:
    """Titles of the units the user can see, with what a list shows."""
    titles = Title.objects.select_related(
        "unit__region", "program", "campaign__office__region", "unit__sector"
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return titles
    if jurisdiction.is_empty:
        return titles.none()
    return titles.filter(unit_q(jurisdiction, prefix="unit__"))


def access_title_by_id(user: User | AnonymousUser, title_id: Any, *, for_change: bool = False) -> Title:
    title = _get_or_404(visible_titles(user), pk=title_id)
    if for_change and not can_manage_title(user, title):
        raise PermissionDenied
    return title
