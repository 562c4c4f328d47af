"""Reads behind the public portal: the title registry as the public sees it, on a given day.

Everything here is public by design (DOMAIN.md: "the public … verify a plaque, see who holds which title"), so
no access helper scopes these queries; what keeps them safe is what they show: a unit's name and region, the
title and its public status with the public reason — never contacts, objectors or internal notes.

The registry's status is the stored one, except that a title still in force past its last day of validity shows
as expired: the nightly `titles.lifecycle.expire_due` may not have run yet, and a plaque must not read as valid
the morning after it lapsed. `with_effective_status` is the one place that rule lives.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby
from typing import TypedDict

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils.translation import gettext as _

from lvchuang.campaigns.models import Program
from lvchuang.lib.divisions import Level
from lvchuang.notices.models import Notice
from lvchuang.regions.models import Region
from lvchuang.titles.lifecycle import IN_FORCE
from lvchuang.titles.models import Title, TitleEvent

Status = Title.Status

# The registry reads the same everywhere: newest year first, then program, place and unit.
REGISTRY_ORDER = ("-year", "program__name", "unit__region__path", "unit__name", "pk")


# --- the effective status -------------------------------------------------------------------------------------


def with_effective_status(titles: QuerySet[Title], *, today: datetime.date) -> QuerySet[Title]:
    """Annotate `effective_status`: the stored status, or expired for a title in force past `valid_until`."""
    return titles.annotate(
        effective_status=Case(
            When(status__in=IN_FORCE, valid_until__lt=today, then=Value(Status.EXPIRED.value)),
            default=F("status"),
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class PublicStatus:
    """What the public reads about a title's status on a day: the state, and why and since when if not valid."""

    code: str
    label: str
    reason: str
    changed_on: datetime.date | None

    @property
    def in_force(self) -> bool:
        return self.code in IN_FORCE


def public_status(title: Title) -> PublicStatus:
    """The public status of a title read through `public_titles` (it needs the `effective_status` annotation)."""
    code: str = title.effective_status  # type: ignore[attr-defined]
    if code == Status.VALID:
        return PublicStatus(code=code, label=str(Status(code).label), reason="", changed_on=None)
    if code == Status.EXPIRED and title.status != Status.EXPIRED:
        # Lapsed today or earlier, before the nightly expiry wrote its event: say what it will say.
        assert title.valid_until is not None
        return PublicStatus(
            code=code,
            label=str(Status(code).label),
            reason=_("有效期至 %(date)s 届满") % {"date": title.valid_until.isoformat()},
            changed_on=title.valid_until + datetime.timedelta(days=1),
        )
    return PublicStatus(
        code=code,
        label=str(Status(code).label),
        reason=title.status_reason,
        changed_on=title.status_changed_on,
    )


def public_titles(*, today: datetime.date) -> QuerySet[Title]:
    """Every title, with what a public row shows, in registry order."""
    titles = Title.objects.select_related("unit__region", "program").order_by(*REGISTRY_ORDER)
    return with_effective_status(titles, today=today)


# --- searching the registry ---------------------------------------------------------------------------------


class RegistryFilters(TypedDict, total=False):
    """The search of the registry page and of the open data, as cleaned by `forms.RegistryFilterForm`."""

    region: str  # a region path prefix (2 to 12 digits)
    program: str  # a program code
    level: str  # a TitleLevel
    year: int
    status: str  # an effective status
    q: str  # part of a unit's name


def search_titles(filters: RegistryFilters, *, today: datetime.date) -> QuerySet[Title]:
    titles = public_titles(today=today)
    if filters.get("region"):
        titles = titles.filter(unit__region__path__startswith=filters["region"])
    if filters.get("program"):
        titles = titles.filter(program__code=filters["program"])
    if filters.get("level"):
        titles = titles.filter(program__level=filters["level"])
    if filters.get("year"):
        titles = titles.filter(year=filters["year"])
    if filters.get("status"):
        titles = titles.filter(Q(effective_status=filters["status"]))
    if filters.get("q"):
        titles = titles.filter(unit__name__icontains=filters["q"])
    return titles


@dataclass(frozen=True)
class RegionOption:
    path: str
    label: str


def region_options() -> list[RegionOption]:
    """The districts and streets where some unit holds a title, each district followed by its streets."""
    paths = set(Title.objects.values_list("unit__region__path", flat=True).distinct())
    county, township = Level.COUNTY.prefix_length, Level.TOWNSHIP.prefix_length
    prefixes = {path[:county] for path in paths if len(path) >= county}
    prefixes |= {path[:township] for path in paths if len(path) >= township}
    regions = {r.path: r for r in Region.objects.filter(path__in=prefixes).only("path", "name")}
    options = []
    for path in sorted(regions):
        region = regions[path]
        if len(path) == township and path[:county] in regions:
            options.append(RegionOption(path=path, label=f"{regions[path[:county]].name} · {region.name}"))
        else:
            options.append(RegionOption(path=path, label=region.name))
    return options


def program_options() -> QuerySet[Program]:
    """The programs of which some title exists."""
    return Program.objects.filter(pk__in=Title.objects.values("program_id")).order_by("level", "name")


def title_years() -> list[int]:
    return list(Title.objects.order_by("-year").values_list("year", flat=True).distinct())


def place_names(titles: list[Title]) -> dict[str, str]:
    """For each unit region path among `titles`, its place from the district down: 芙蓉区 文艺路街道 识字岭社区."""
    county = Level.COUNTY.prefix_length
    ends = [end.prefix_length for end in Level if end.prefix_length >= county]
    wanted = {t.unit.region.path[:end] for t in titles for end in ends if len(t.unit.region.path) >= end}
    names = dict(Region.objects.filter(path__in=wanted).values_list("path", "name"))
    places = {}
    for title in titles:
        path = title.unit.region.path
        parts = [names[path[:end]] for end in ends if len(path) >= end and path[:end] in names]
        places[path] = " ".join(dict.fromkeys(parts)) or title.unit.region.name
    return places


# --- named lists by year --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedList:
    """The units one naming document named for one program (a published list, 命名名单)."""

    program: Program
    document_number: str
    named_on: datetime.date
    titles: list[Title]

    @property
    def demonstration_count(self) -> int:
        return sum(1 for title in self.titles if title.is_demonstration)


def named_lists(year: int, *, today: datetime.date) -> list[NamedList]:
    """The year's titles grouped by program and naming document; demonstration units first in each list."""
    titles = list(
        public_titles(today=today)
        .filter(year=year)
        .order_by(
            "program__name",
            "program_id",
            "document_number",
            "-is_demonstration",
            "unit__region__path",
            "unit__name",
            "pk",
        )
    )
    lists = []
    for (_program_id, document_number), group in groupby(
        titles, key=lambda t: (t.program_id, t.document_number)
    ):
        members = list(group)
        lists.append(
            NamedList(
                program=members[0].program,
                document_number=document_number,
                named_on=min(t.named_on for t in members),
                titles=members,
            )
        )
    return lists


@dataclass(frozen=True)
class NamedYear:
    year: int
    count: int
    demonstration_count: int


def named_years() -> list[NamedYear]:
    rows = (
        Title.objects.values("year")
        .annotate(count=Count("pk"), demonstration_count=Count("pk", filter=Q(is_demonstration=True)))
        .order_by("-year")
    )
    return [NamedYear(**row) for row in rows]


# --- verification -----------------------------------------------------------------------------------------


def title_for_verification(number: str, *, today: datetime.date) -> Title | None:
    """The title bearing certificate `number`, with `decision_document_number`: the document of its last event."""
    number = number.strip()
    if not number:
        return None
    last_event = TitleEvent.objects.filter(title=OuterRef("pk")).order_by("-on", "-at", "-pk")
    return (
        public_titles(today=today)
        .annotate(decision_document_number=Subquery(last_event.values("document_number")[:1]))
        .filter(certificate_number=number)
        .first()
    )


# --- the home page ----------------------------------------------------------------------------------------


def open_notices(*, today: datetime.date) -> QuerySet[Notice]:
    """Notices open for objections today (up to the end of their last day)."""
    return (
        Notice.objects.filter(status=Notice.Status.OPEN, ends_on__gte=today)
        .select_related("campaign__program", "campaign__office")
        .order_by("ends_on", "pk")
    )


@dataclass(frozen=True)
class RegistryCounts:
    in_force: int
    demonstration: int
    units: int


def registry_counts(*, today: datetime.date) -> RegistryCounts:
    """How many titles are in force today, of them demonstration, and how many units hold one."""
    in_force = public_titles(today=today).filter(Q(effective_status__in=IN_FORCE)).order_by()
    counts = in_force.aggregate(
        in_force=Count("pk"),
        demonstration=Count("pk", filter=Q(is_demonstration=True)),
        units=Count("unit_id", distinct=True),
    )
    return RegistryCounts(**counts)
