"""Coverage computed from the title registry (ADR 0007; docs/workflow.md, "Coverage targets").

For a target and a day *d*:
- **eligible** — the active units of the target's kind (and organ levels, when given) inside a region;
- **covered** — those holding a title of one of the target's programs on *d*: named on or before *d*, not past
  its validity (`valid_until`), not revoked or expired on or before *d*. A title under rectification still counts:
  it has not been lost.

The dashboard's figures come from one grouped query (`_grid`): per region-path prefix of the children and per
sector, the eligible units and those covered on each day of the trend. Children, sectors, the trend and the
headline are sums of its cells, so the number of queries depends on neither the number of regions nor of units.
The unit list tests "covered" with a correlated `EXISTS`, one page at a time.
Counts (seed 000: 100 communities) are figures of the target's whole region; below it, and per sector, only the
shares are judged.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.models import User
from lvchuang.campaigns.access import PREFIX_LENGTHS
from lvchuang.lib import progress
from lvchuang.organisations.models import Department, Unit
from lvchuang.regions.models import Region
from lvchuang.targets import access, caching
from lvchuang.targets.models import CoverageTarget, Milestone
from lvchuang.titles.models import Title

STATUS_LABELS = {
    progress.Status.MET: _("已达标"),
    progress.Status.ON_TRACK: _("进度正常"),
    progress.Status.BEHIND: _("进度滞后"),
    progress.Status.MISSED: _("逾期未达标"),
}
NOT_JUDGED = _("—")
TREND_YEARS = 5  # points on the trend: the current year (to the day shown) and the four before it
LOST = (Title.Status.REVOKED, Title.Status.EXPIRED)


# --- the rule as querysets ----------------------------------------------------------------------------------


def eligible_units(target: CoverageTarget, path: str) -> QuerySet[Unit]:
    """The units the target counts inside the region with `path` (the denominator)."""
    units = Unit.objects.filter(is_active=True, kind=target.unit_kind, region__path__startswith=path)
    if target.organ_levels:
        units = units.filter(organ_level__in=target.organ_levels)
    return units


def _in_force(on: datetime.date, via: str = "") -> Q:
    """A title in force on `on`: named on or before it, not past its validity, not revoked or expired on or
    before it (under rectification it still counts). `via` reaches the title through a relation."""

    def q(lookup: str, value: object) -> Q:
        return Q(**{via + lookup: value})

    lost = q("status__in", LOST) & (q("status_changed_on__isnull", True) | q("status_changed_on__lte", on))
    valid = q("valid_until__isnull", True) | q("valid_until__gte", on)
    return q("named_on__lte", on) & valid & ~lost


def counted_titles(program_ids: Sequence[int], on: datetime.date) -> QuerySet[Title]:
    """Titles of the programs in force on `on`, of the unit of the outer query (`OuterRef("pk")`)."""
    return Title.objects.filter(_in_force(on), unit=OuterRef("pk"), program_id__in=program_ids)


def _flag(condition: Q) -> Max:
    return Max(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


@dataclass(frozen=True)
class Cell:
    """The units of one region prefix and one sector: how many, and how many covered on each day asked."""

    prefix: str
    sector_id: int | None
    sector_name: str
    eligible: int
    covered: tuple[int, ...]
    rectifying: int  # on the last day asked


def _grid(
    units: QuerySet[Unit], program_ids: Sequence[int], *, length: int, days: Sequence[datetime.date]
) -> list[Cell]:
    """Eligible and covered units by (region prefix of `length` digits, sector), on each of `days`, in ONE query.

    The inner query (built by the ORM) joins each unit to its titles of the programs and gives one row per unit
    with a 0/1 flag per day, since a unit may hold several counted titles; the outer one sums the flags per prefix
    and sector in plain SQL that every backend runs. One pass over the units and their titles: far cheaper at
    province scale than an `EXISTS` per unit and day, or `COUNT(DISTINCT …)` per day."""
    # A target always counts some program; the impossible id keeps the join condition valid SQL regardless.
    ids = list(program_ids) or [0]
    flags: dict[str, Max] = {
        f"covered_{index}": _flag(_in_force(day, "counted__")) for index, day in enumerate(days)
    }
    flags["rectifying"] = _flag(
        _in_force(days[-1], "counted__") & Q(counted__status=Title.Status.UNDER_RECTIFICATION)
    )
    per_unit = (
        units.alias(counted=FilteredRelation("titles", condition=Q(titles__program_id__in=ids)))
        .annotate(prefix=Substr("region__path", 1, length))
        .values("pk", "prefix", "sector_id")
        .annotate(**flags)
        .order_by()
    )
    inner, params = per_unit.query.sql_with_params()
    q = connection.ops.quote_name
    unit, sector = q("per_unit"), q("sector")
    grouped = f"{unit}.{q('prefix')}, {unit}.{q('sector_id')}, {sector}.{q('name')}"
    sums = ", ".join(f"SUM({unit}.{q(name)})" for name in flags)
    sql = (
        f"SELECT {grouped}, COUNT(*), {sums} FROM ({inner}) {unit} "
        f"LEFT JOIN {q(Department._meta.db_table)} {sector} ON {sector}.{q('id')} = {unit}.{q('sector_id')} "
        f"GROUP BY {grouped}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Cell(
            prefix=row[0],
            sector_id=row[1],
            sector_name=row[2] or "",
            eligible=int(row[3]),
            covered=tuple(int(value or 0) for value in row[4 : 4 + len(days)]),
            rectifying=int(row[4 + len(days)] or 0),
        )
        for row in rows
    ]


def _sum(cells: Iterable[Cell], index: int, *, rectifying: bool) -> Figures:
    """The figures of some cells on the `index`-th day asked (rectification is known for the last day only)."""
    eligible = covered = rectifying_units = 0
    for cell in cells:
        eligible += cell.eligible
        covered += cell.covered[index]
        rectifying_units += cell.rectifying if rectifying else 0
    return Figures(eligible, covered, rectifying_units)


def trend_days(on: datetime.date, years: int = TREND_YEARS) -> list[datetime.date]:
    """31 December of each of the `years - 1` years before `on`'s, then `on` itself."""
    return [datetime.date(year, 12, 31) for year in range(on.year - years + 1, on.year)] + [on]


# --- figures ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    eligible: int = 0
    covered: int = 0
    rectifying: int = 0  # of the covered, those whose title is under rectification

    @property
    def share(self) -> Decimal | None:
        return progress.share_of(self.covered, self.eligible)

    @property
    def uncovered(self) -> int:
        return self.eligible - self.covered

    def __sub__(self, other: Figures) -> Figures:
        return Figures(
            self.eligible - other.eligible, self.covered - other.covered, self.rectifying - other.rectifying
        )


def status_label(judged: progress.Progress | None) -> str:
    return str(STATUS_LABELS[judged.status]) if judged is not None else str(NOT_JUDGED)


def milestones_of(target: CoverageTarget) -> list[progress.Milestone]:
    return [
        progress.Milestone(due_on=m.due_on, share=m.share, count=m.count) for m in target.milestones.all()
    ]


def _shares_only(milestones: Sequence[progress.Milestone]) -> list[progress.Milestone]:
    return [progress.Milestone(due_on=m.due_on, share=m.share) for m in milestones if m.share is not None]


@dataclass(frozen=True)
class Row:
    """One line of a dashboard table: a region, a sector department or the units directly in a region."""

    label: str
    figures: Figures
    progress: progress.Progress | None
    region: Region | None = None
    sector_id: int | None = None

    @property
    def status(self) -> str:
        return self.progress.status.value if self.progress is not None else ""

    @property
    def status_label(self) -> str:
        return status_label(self.progress)


@dataclass(frozen=True)
class TrendPoint:
    on: datetime.date
    figures: Figures
    progress: progress.Progress | None

    @property
    def status(self) -> str:
        return self.progress.status.value if self.progress is not None else ""

    @property
    def status_label(self) -> str:
        return status_label(self.progress)


class Coverage:
    """The figures of one target, with its programs and milestones read once."""

    def __init__(self, target: CoverageTarget) -> None:
        self.target = target
        self.program_ids = [p.pk for p in target.programs.all()]
        self.milestones = milestones_of(target)

    def milestones_for(self, path: str | None) -> list[progress.Milestone]:
        """Counts are figures of the target's whole region; elsewhere (a subregion, a sector) only shares."""
        whole = path is not None and path == self.target.office.region.path
        return self.milestones if whole else _shares_only(self.milestones)

    def judge(self, figures: Figures, *, path: str | None, on: datetime.date) -> progress.Progress | None:
        return progress.evaluate(
            self.milestones_for(path),
            starts_on=self.target.starts_on,
            as_of=on,
            covered=figures.covered,
            eligible=figures.eligible,
        )

    def figures(self, region: Region, *, on: datetime.date) -> Figures:
        """One region's figures on one day (one query)."""
        return _sum(self.grid(region.path, length=len(region.path), days=[on]), 0, rectifying=True)

    def grid(self, path: str, *, length: int, days: Sequence[datetime.date]) -> list[Cell]:
        """`_grid`, shared through the cache until a title, unit or department changes (targets/caching.py)."""
        rule = (
            self.target.unit_kind,
            tuple(sorted(self.target.organ_levels)),
            tuple(sorted(self.program_ids)),
        )
        return caching.cached(
            (rule, path, length, tuple(days)),
            lambda: _grid(eligible_units(self.target, path), self.program_ids, length=length, days=days),
        )

    def units(self, region: Region, *, on: datetime.date) -> QuerySet[Unit]:
        """The eligible units of a region, each with `is_covered` and its counted title (one query per page)."""
        titles = counted_titles(self.program_ids, on).order_by("-named_on", "-pk")
        return (
            eligible_units(self.target, region.path)
            .select_related("region", "sector")
            .annotate(
                is_covered=Exists(titles),
                title_program=Subquery(titles.values("program__name")[:1]),
                title_named_on=Subquery(titles.values("named_on")[:1]),
                title_status=Subquery(titles.values("status")[:1]),
            )
            .order_by("region__code", "name", "pk")
        )


# --- the dashboard ------------------------------------------------------------------------------------------


DIRECT = "direct"  # the units sitting in the region itself rather than in one of its children


@dataclass
class Dashboard:
    target: CoverageTarget
    region: Region
    as_of: datetime.date
    headline: Row
    next_milestone: progress.Milestone | None
    milestones: list[Milestone]
    children: list[Row] = field(default_factory=list)
    sectors: list[Row] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    breadcrumbs: list[Region] = field(default_factory=list)
    coverage: Coverage | None = None

    @property
    def is_whole(self) -> bool:
        return self.region.path == self.target.office.region.path


def _breadcrumbs(top: str, region: Region) -> list[Region]:
    """The regions from `top` down to `region` (one query)."""
    paths = [region.path[:length] for length in PREFIX_LENGTHS if len(top) <= length <= len(region.path)]
    found = {r.path: r for r in Region.objects.filter(path__in=paths).order_by("-is_active", "code")}
    return [found[path] for path in paths if path in found]


def dashboard(
    user: User | AnonymousUser,
    target: CoverageTarget,
    region: Region,
    *,
    as_of: datetime.date | None = None,
    with_tables: bool = True,
) -> Dashboard:
    """Everything the progress page shows for one target and region on `as_of` (default: today): the trend,
    the children and the sectors all come from one grid query (`_grid`), so the number of queries does not grow
    with the regions or units."""
    day = as_of or timezone.localdate()
    prefetch_related_objects([target], "programs", "milestones")
    coverage = Coverage(target)
    children = list(Region.objects.filter(parent=region).order_by("code")) if with_tables else []
    lengths = sorted({len(child.path) for child in children}) or [len(region.path)]
    days = trend_days(day)
    cells = coverage.grid(region.path, length=lengths[0], days=days)
    last = len(days) - 1
    trend = []
    for index, on in enumerate(days):
        figures = _sum(cells, index, rectifying=index == last)
        trend.append(TrendPoint(on, figures, coverage.judge(figures, path=region.path, on=on)))
    headline = Row(region.name, trend[-1].figures, trend[-1].progress, region=region)
    board = Dashboard(
        target=target,
        region=region,
        as_of=day,
        headline=headline,
        next_milestone=progress.next_milestone(coverage.milestones_for(region.path), on=day),
        milestones=list(target.milestones.all()),
        trend=trend,
        coverage=coverage,
    )
    board.breadcrumbs = _breadcrumbs(access.top_path(user, target) or region.path, region)
    if not with_tables:
        return board
    by_prefix: dict[str, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_prefix[cell.prefix].append(cell)
    # Where children sit at different depths (a level skipped), the deeper ones take a query per depth.
    for length in lengths[1:]:
        for cell in coverage.grid(region.path, length=length, days=[day]):
            by_prefix[cell.prefix].append(replace(cell, covered=(*(0,) * last, cell.covered[0])))
    for child in children:
        figures = _sum(by_prefix.get(child.path, []), last, rectifying=True)
        board.children.append(
            Row(child.name, figures, coverage.judge(figures, path=child.path, on=day), region=child)
        )
    direct = headline.figures
    for row in board.children:
        direct = direct - row.figures
    if children and direct.eligible:
        board.children.append(Row(DIRECT, direct, coverage.judge(direct, path=None, on=day)))
    by_sector: dict[tuple[int | None, str], list[Cell]] = defaultdict(list)
    for cell in cells:
        by_sector[(cell.sector_id, cell.sector_name)].append(cell)
    # Units under no sector authority (属地管理) first, then the departments by name.
    for sector_id, name in sorted(by_sector, key=lambda key: (key[0] is not None, key[1])):
        figures = _sum(by_sector[(sector_id, name)], last, rectifying=True)
        board.sectors.append(
            Row(name, figures, coverage.judge(figures, path=None, on=day), sector_id=sector_id)
        )
    return board


# --- the home page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    target: CoverageTarget
    region: Region
    figures: Figures
    progress: progress.Progress | None

    @property
    def status(self) -> str:
        return self.progress.status.value if self.progress is not None else ""

    @property
    def status_label(self) -> str:
        return status_label(self.progress)


def summaries(
    user: User | AnonymousUser, targets: Sequence[CoverageTarget], *, today: datetime.date | None = None
) -> list[Summary]:
    """Each target's figures and status for the user's own region in it (its outermost visible region): one
    query for the regions, one per target."""
    day = today or timezone.localdate()
    tops = {target.pk: access.top_path(user, target) for target in targets}
    wanted = {path for path in tops.values() if path is not None}
    regions = {r.path: r for r in Region.objects.filter(path__in=wanted).order_by("is_active", "-code")}
    for target in targets:
        regions.setdefault(target.office.region.path, target.office.region)
    result = []
    for target in targets:
        path = tops[target.pk]
        if path is None or path not in regions:
            continue
        region = regions[path]
        coverage = Coverage(target)
        figures = coverage.figures(region, on=day)
        result.append(Summary(target, region, figures, coverage.judge(figures, path=region.path, on=day)))
    return result


def with_rule(targets: QuerySet[CoverageTarget]) -> QuerySet[CoverageTarget]:
    """Targets with their programs and milestones, for `Coverage` to read without a query each."""
    return targets.prefetch_related("programs", "milestones")


def targets_summary_for(
    user: User | AnonymousUser, *, today: datetime.date | None = None, limit: int = 6
) -> list[Summary]:
    """For the home page: the user's active targets with the status of the user's own region in each."""
    targets = list(with_rule(access.visible_targets(user).filter(is_active=True))[:limit])
    return summaries(user, targets, today=today)
