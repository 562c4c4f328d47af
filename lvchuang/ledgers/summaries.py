"""The summaries of a region's public institutions (汇总): totals, indicators by child region, department, type
or unit, the annual target that applies, the five-year trend, and the official summary tables.

One selector serves the summary page, its API and the Excel tables, so the three always show the same figures.
The numbers come from `ledgers.indicators` (aggregated in SQL, converted in Python); this module chooses the
region and the units, asks for the years it needs and compares them with the target. The number of queries does
not depend on the number of regions or units.

Scope: the units are the user's ledger units (`selectors.ledger_units`) inside the region shown. The region is
one the user may see (`access_region_by_code`, 404 otherwise), by default their outermost one; sector staff, who
hold no region, see their department's region and the regions below it, always with their sector's units only.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.access import (
    access_region_by_code,
    jurisdiction_of,
    visible_departments,
    visible_regions,
)
from lvchuang.accounts.models import User
from lvchuang.campaigns.access import PREFIX_LENGTHS
from lvchuang.ledgers.conversion import Coefficients, coefficients_for
from lvchuang.ledgers.indicators import (
    INDICATORS,
    GroupRow,
    Indicators,
    TargetLine,
    grouped_indicators,
    total_indicators,
)
from lvchuang.ledgers.models import (
    CANONICAL_MEASURE,
    LIQUID_CARRIERS,
    AnnualTarget,
    Basis,
    Carrier,
    Consumption,
    Measure,
)
from lvchuang.ledgers.selectors import ledger_units
from lvchuang.lib import energy
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region

TREND_YEARS = 5


class Grouping(models.TextChoices):
    REGION = "region", _("按地区")
    SECTOR = "sector", _("按部门")
    TYPE = "type", _("按类型")
    UNIT = "unit", _("按单位")


def indicator_value(figures: Indicators | None, indicator: str) -> Decimal | None:
    return None if figures is None else figures.value(indicator)


# --- the region and the units -----------------------------------------------------------------------------------


def _sector_paths(user: User | AnonymousUser) -> list[str]:
    """Region paths of the user's sector departments: what sector staff, who hold no region, may look at."""
    sector_ids = jurisdiction_of(user).sector_ids
    if not sector_ids:
        return []
    return list(visible_departments(user).filter(pk__in=sector_ids).values_list("region__path", flat=True))


def summary_region(user: User | AnonymousUser, code: str | None = None) -> Region:
    """The region to summarise: `code` when the user may see it, by default the user's outermost region."""
    if code:
        try:
            return access_region_by_code(user, code)
        except Http404:
            paths = _sector_paths(user)
            region = Region.objects.filter(code=code).first() if paths else None
            if region is None or not any(region.path.startswith(path) for path in paths):
                raise
            return region
    region = visible_regions(user).order_by(Length("path"), "code").first()
    if region is None:
        paths = _sector_paths(user)
        if paths:
            region = Region.objects.filter(path=min(paths, key=len)).order_by("-is_active", "code").first()
    if region is None:
        raise PermissionDenied  # no region and no sector at all: nothing to summarise, nothing named
    return region


def region_units(user: User | AnonymousUser, region: Region) -> QuerySet[Unit]:
    return ledger_units(user).filter(region__path__startswith=region.path)


def years_with_data(units: QuerySet[Unit]) -> list[int]:
    """The years in which any of the units reported consumption, latest first (one query)."""
    years = (
        Consumption.objects.filter(unit__in=units).values_list("year", flat=True).order_by("-year").distinct()
    )
    return list(years)


def region_target(region: Region, year: int) -> AnnualTarget | None:
    """The annual target for `year` of the nearest office at or above the region: the longest region path wins,
    then a target for all types over one for some, then the latest base year (`indicators.applicable_target`
    chooses a unit's the same way)."""
    paths = {region.path[:length] for length in PREFIX_LENGTHS if length <= len(region.path)}
    candidates = AnnualTarget.objects.filter(year=year, region__path__in=paths).select_related(
        "region", "office"
    )
    return max(
        candidates,
        key=lambda target: (len(target.region.path), not target.institution_types, target.baseline_year),
        default=None,
    )


def target_units(units: QuerySet[Unit], target: AnnualTarget) -> QuerySet[Unit]:
    """The units a target applies to: all, or those of its type codes."""
    if target.institution_types:
        return units.filter(institution_type__in=target.institution_types)
    return units


# --- the target check of a group ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetMark:
    """A group's indicators in the target year against the base year, one line per targeted indicator."""

    lines: list[TargetLine]

    @property
    def status(self) -> str:
        """ "met" when every targeted indicator is at or below its change, "missed" when one is above, else
        "unknown" (a year's data is missing)."""
        if any(line.met is False for line in self.lines):
            return "missed"
        if self.lines and all(line.met for line in self.lines):
            return "met"
        return "unknown"


def target_mark(target: AnnualTarget, current: Indicators | None, baseline: Indicators | None) -> TargetMark:
    lines = []
    for info in INDICATORS:
        wanted: Decimal | None = getattr(target, info.target_field)
        if wanted is None:
            continue
        before = indicator_value(baseline, info.key)
        now = indicator_value(current, info.key)
        change = energy.percent_change(before, now)
        lines.append(
            TargetLine(
                indicator=info.key,
                label=str(info.label),
                baseline=before,
                current=now,
                change=change,
                target=wanted,
                met=energy.meets_change(change, wanted),
            )
        )
    return TargetMark(lines)


def used_sources(coefficients: Coefficients, figures: Indicators, region: Region) -> list[str]:
    """The coefficients behind `figures`: those of the carriers reported, with the density of the liquid fuels
    (which may be reported in litres) and the electricity factor of the region's grid; all of the year's when
    nothing was reported."""
    for carrier in figures.by_carrier:
        measures = [CANONICAL_MEASURE[carrier]] + ([Measure.LITRE] if carrier in LIQUID_CARRIERS else [])
        for measure in measures:
            try:
                coefficients.kgce(carrier, measure, Decimal(1))
                coefficients.kgco2(carrier, measure, Decimal(1), region.path[:2])
            except ValidationError:
                continue  # a carrier the tables cannot convert: the indicators could not have used it either
    return coefficients.sources()


# --- the summary -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFigure:
    key: str
    label: str
    measure: str
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None  # percent versus the previous year


@dataclass(frozen=True)
class Line:
    """One row of a summary table (or its total): a group's figures this year, last year and against the target."""

    row: GroupRow
    region_code: str = ""  # a child region: the summary drills down to it
    unit_id: int | None = None  # a unit: its ledger
    target: TargetMark | None = None

    @property
    def key(self) -> str:
        return self.row.key

    @property
    def label(self) -> str:
        return self.row.label

    @property
    def current(self) -> Indicators:
        return self.row.current

    @property
    def energy_tce(self) -> Decimal:
        return self.row.current.energy_kgce / 1000

    @property
    def co2_t(self) -> Decimal:
        return self.row.current.co2_kg / 1000

    @property
    def energy_change(self) -> Decimal | None:
        previous = self.row.previous
        return energy.percent_change(previous.energy_kgce if previous else None, self.row.current.energy_kgce)

    @property
    def changes(self) -> dict[str, Decimal | None]:
        """Percent change versus the previous year of each indicator and of 综合能耗 ("energy")."""
        return {**{info.key: self.row.change(info.key) for info in INDICATORS}, "energy": self.energy_change}

    @property
    def indicators(self) -> list[IndicatorFigure]:
        return [
            IndicatorFigure(
                key=info.key,
                label=str(info.label),
                measure=str(info.measure),
                value=indicator_value(self.row.current, info.key),
                previous=indicator_value(self.row.previous, info.key),
                change=self.row.change(info.key),
            )
            for info in INDICATORS
        ]


@dataclass(frozen=True)
class TrendPoint:
    year: int
    figures: Indicators

    @property
    def energy_tce(self) -> Decimal:
        return self.figures.energy_kgce / 1000

    @property
    def co2_t(self) -> Decimal:
        return self.figures.co2_kg / 1000


@dataclass(frozen=True)
class Summary:
    region: Region
    breadcrumbs: list[Region]
    year: int
    years: list[int]  # years with data, latest first
    by: str
    basis: str
    total: Line
    rows: list[Line]
    trend: list[TrendPoint]
    target: AnnualTarget | None
    sources: list[str]

    @property
    def basis_label(self) -> str:
        return str(Basis(self.basis).label)

    @property
    def by_label(self) -> str:
        return str(Grouping(self.by).label)


def _breadcrumbs(user: User | AnonymousUser, region: Region, *, is_top: bool) -> list[Region]:
    """The regions from the user's outermost one down to `region`, for the way back up."""
    if is_top:
        return [region]
    top = summary_region(user)
    if not region.path.startswith(top.path):
        return [region]
    paths = {region.path[:length] for length in PREFIX_LENGTHS if len(top.path) <= length <= len(region.path)}
    found = {r.path: r for r in Region.objects.filter(path__in=paths).order_by("is_active", "-code")}
    found[region.path] = region
    return [found[path] for path in sorted(found, key=len)]


def counted(row: GroupRow) -> bool:
    """A group with a unit counted this year or last; child regions without any are left out of the tables."""
    return row.current.units > 0 or (row.previous is not None and row.previous.units > 0)


def _lines(
    rows: Sequence[GroupRow],
    by: str,
    region: Region,
    *,
    marks: Mapping[str, TargetMark] | None = None,
) -> list[Line]:
    codes: dict[str, str] = {}
    if by == Grouping.REGION:
        # Child regions drill down; the row of the region's own units (本级) does not.
        children = [row.key for row in rows if row.key != region.path]
        found = Region.objects.filter(path__in=children).order_by("is_active", "-code")
        codes = {child.path: child.code for child in found}
    lines = []
    for row in rows:
        unit_id = int(row.key) if by == Grouping.UNIT and row.key.isdigit() else None
        lines.append(
            Line(
                row=row,
                region_code=codes.get(row.key, ""),
                unit_id=unit_id,
                target=(marks or {}).get(row.key),
            )
        )
    return lines


def build_summary(
    user: User | AnonymousUser,
    *,
    region_code: str | None = None,
    year: int | None = None,
    by: str = Grouping.REGION,
    basis: str = Basis.EQUIVALENT,
    today: datetime.date | None = None,
) -> Summary:
    """The summary of the region for the user. 404 outside the user's scope; ValidationError on bad input."""
    if by not in Grouping.values:
        raise ValidationError(_("未知的汇总方式：%(by)s") % {"by": by})
    if basis not in Basis.values:
        raise ValidationError(_("未知的折算口径：%(basis)s") % {"basis": basis})
    region = summary_region(user, region_code)
    units = region_units(user, region)
    years = years_with_data(units)
    if year is None:
        year = years[0] if years else (today or timezone.localdate()).year - 1
    trend = [
        TrendPoint(y, total_indicators(units, y, basis=basis))
        for y in range(year - TREND_YEARS + 1, year + 1)
    ]
    total_row = GroupRow(
        key=region.path, label=region.name, current=trend[-1].figures, previous=trend[-2].figures
    )
    rows = [row for row in grouped_indicators(units, year, by=by, region=region, basis=basis) if counted(row)]
    target = region_target(region, year)
    total_mark: TargetMark | None = None
    marks: dict[str, TargetMark] = {}
    if target is not None:
        scoped = target_units(units, target)
        baseline_total = total_indicators(scoped, target.baseline_year, basis=basis)
        baseline_rows = grouped_indicators(scoped, target.baseline_year, by=by, region=region, basis=basis)
        if target.institution_types:
            current_total = total_indicators(scoped, year, basis=basis)
            current_rows = grouped_indicators(scoped, year, by=by, region=region, basis=basis)
        else:
            current_total, current_rows = trend[-1].figures, rows
        total_mark = target_mark(target, current_total, baseline_total)
        before = {row.key: row.current for row in baseline_rows}
        for row in current_rows:
            marks[row.key] = target_mark(target, row.current, before.get(row.key))
    return Summary(
        region=region,
        breadcrumbs=_breadcrumbs(user, region, is_top=not region_code),
        year=year,
        years=years,
        by=by,
        basis=basis,
        total=Line(row=total_row, target=total_mark),
        rows=_lines(rows, by, region, marks=marks),
        trend=trend,
        target=target,
        sources=used_sources(coefficients_for(year, basis), trend[-1].figures, region),
    )


# --- the official summary tables (按部门 / 按地区 / 按类型汇总) -----------------------------------------------------

# Carriers shown in physical units in the official tables (万kWh, 万m³, t); the rest are summed as 其他能源 (tce).
PHYSICAL_CARRIERS: dict[str, tuple[Promise, Decimal]] = {
    Carrier.ELECTRICITY: (_("电力（万kWh）"), Decimal(10000)),
    Carrier.NATURAL_GAS: (_("天然气（万m³）"), Decimal(10000)),
    Carrier.GASOLINE: (_("汽油（t）"), Decimal(1000)),
    Carrier.DIESEL: (_("柴油（t）"), Decimal(1000)),
}


@dataclass(frozen=True)
class OfficialTables:
    region: Region
    year: int
    basis: str
    total: GroupRow
    tables: dict[str, list[GroupRow]]  # Grouping value → rows: sector, region, type
    coefficients: Coefficients
    sources: list[str]

    def physical(self, figures: Indicators, carrier: str) -> Decimal | None:
        """A carrier's physical quantity in the table's unit (万kWh, 万m³, t), from its standard coal."""
        kgce = figures.by_carrier.get(carrier)
        if not kgce:
            return Decimal(0)
        try:
            per_unit = self.coefficients.kgce(carrier, CANONICAL_MEASURE[carrier], Decimal(1))
        except ValidationError:
            return None
        if not per_unit:
            return None
        return kgce / per_unit / PHYSICAL_CARRIERS[carrier][1]

    @staticmethod
    def other_energy_tce(figures: Indicators) -> Decimal:
        return (
            sum(
                (kgce for carrier, kgce in figures.by_carrier.items() if carrier not in PHYSICAL_CARRIERS),
                Decimal(0),
            )
            / 1000
        )


def official_tables(
    user: User | AnonymousUser,
    *,
    region_code: str | None = None,
    year: int | None = None,
    basis: str = Basis.EQUIVALENT,
    today: datetime.date | None = None,
) -> OfficialTables:
    if basis not in Basis.values:
        raise ValidationError(_("未知的折算口径：%(basis)s") % {"basis": basis})
    region = summary_region(user, region_code)
    units = region_units(user, region)
    if year is None:
        years = years_with_data(units)
        year = years[0] if years else (today or timezone.localdate()).year - 1
    total = GroupRow(
        key=region.path,
        label=str(_("合计")),
        current=total_indicators(units, year, basis=basis),
        previous=total_indicators(units, year - 1, basis=basis),
    )
    tables = {
        by: [
            row for row in grouped_indicators(units, year, by=by, region=region, basis=basis) if counted(row)
        ]
        for by in (Grouping.SECTOR, Grouping.REGION, Grouping.TYPE)
    }
    coefficients = coefficients_for(year, basis)
    sources = used_sources(coefficients, total.current, region)
    return OfficialTables(
        region=region,
        year=year,
        basis=basis,
        total=total,
        tables={str(by): rows for by, rows in tables.items()},
        coefficients=coefficients,
        sources=sources,
    )
