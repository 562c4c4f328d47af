"""Who may read and who may change the standards library. Pages and the API reach standards only through here.

- Reading: every signed-in user who holds a role (or the administrator) reads the whole library — a standard is
  a public rule book, and a unit must read the one it is assessed against. A user without any role sees nothing
  (404 on every object, as everywhere else).
- Changing: the system administrator changes the built-in standards (no owner) and any other; an office's staff
  change the standards their office owns (`Standard.owner`), which includes every copy the office made.
- Copying: any office may copy any standard into a new one it owns, and then change its copy.

Single objects come from `access_*`: 404 for a user who may not read the library, 403 for a reader who may not
change what they asked to change (`for_change=True`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lvchuang.accounts.access import jurisdiction_of
from lvchuang.accounts.models import RoleAssignment, User
from lvchuang.organisations.models import Office
from lvchuang.standards.models import GradeBand, Item, Standard, StandardVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_OFFICES_ATTRIBUTE = "_lvchuang_standard_offices"
M = TypeVar("M", bound=Model)


def can_read_library(user: User | AnonymousUser) -> bool:
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or bool(jurisdiction.roles)


def is_admin(user: User | AnonymousUser) -> bool:
    return jurisdiction_of(user).is_admin


def own_office_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The offices the user works in (office roles at any level), read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _OFFICES_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, office__isnull=False).values_list("office_id", flat=True)
        )
        setattr(user, _OFFICES_ATTRIBUTE, cached)
    return cached


def can_change_standard(user: User | AnonymousUser, standard: Standard) -> bool:
    if is_admin(user):
        return True
    return standard.owner_id is not None and standard.owner_id in own_office_ids(user)


def can_create_standards(user: User | AnonymousUser) -> bool:
    """Offices make their own standards (by copying, importing or from scratch); the administrator built-ins."""
    return is_admin(user) or bool(own_office_ids(user))


def owner_choices(user: User | AnonymousUser) -> QuerySet[Office]:
    """The offices a user may make a standard for: their own offices (the administrator: any office)."""
    offices = Office.objects.select_related("region").order_by("region__code", "name")
    return offices if is_admin(user) else offices.filter(pk__in=own_office_ids(user))


def visible_standards(user: User | AnonymousUser) -> QuerySet[Standard]:
    return Standard.objects.all() if can_read_library(user) else Standard.objects.none()


def visible_versions(user: User | AnonymousUser) -> QuerySet[StandardVersion]:
    return StandardVersion.objects.all() if can_read_library(user) else StandardVersion.objects.none()


def access_standard_by_id(
    user: User | AnonymousUser, standard_id: Any, *, for_change: bool = False
) -> Standard:
    standard = _get_or_404(visible_standards(user).select_related("owner__region"), pk=standard_id)
    if for_change and not can_change_standard(user, standard):
        raise PermissionDenied(_("您无权修改该标准。"))
    return standard


def access_version_by_id(
    user: User | AnonymousUser, version_id: Any, *, for_change: bool = False
) -> StandardVersion:
    scoped = visible_versions(user).select_related(
        "standard__owner__region", "based_on__standard", "confirmed_by"
    )
    version = _get_or_404(scoped, pk=version_id)
    if for_change and not can_change_standard(user, version.standard):
        raise PermissionDenied(_("您无权修改该标准。"))
    return version


def access_item_by_id(user: User | AnonymousUser, item_id: Any, *, for_change: bool = False) -> Item:
    items = Item.objects.all() if can_read_library(user) else Item.objects.none()
    item = _get_or_404(items.select_related("version__standard__owner", "parent"), pk=item_id)
    if for_change and not can_change_standard(user, item.version.standard):
        raise PermissionDenied(_("您无权修改该标准。"))
    return item


def access_band_by_id(user: User | AnonymousUser, band_id: Any, *, for_change: bool = False) -> GradeBand:
    bands = GradeBand.objects.all() if can_read_library(user) else GradeBand.objects.none()
    band = _get_or_404(bands.select_related("version__standard__owner"), pk=band_id)
    if for_change and not can_change_standard(user, band.version.standard):
        raise PermissionDenied(_("您无权修改该标准。"))
    return band


def _get_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
