"""Reads of the unit's records: which units keep ledgers, a unit's years, the month sheet of a year, meters,
data rooms, heating, garbage removals and open flags, each in a fixed number of queries.

Scope is the caller's: lists start from `ledger_units(user)`, single units come through `access_ledger_unit`
(`accounts.access.access_unit_by_id`, 404 outside the jurisdiction, 403 when read only).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.access import access_unit_by_id, jurisdiction_of, unit_q, visible_units
from lvchuang.accounts.models import User
from lvchuang.ledgers import conversion
from lvchuang.ledgers.models import (
    CANONICAL_MEASURE,
    LIQUID_CARRIERS,
    BasicInfo,
    Carrier,
    Consumption,
    DataRoom,
    GarbageRemoval,
    Heating,
    Measure,
    Meter,
    MeterReading,
    QualityFlag,
)
from lvchuang.lib import energy
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region

if TYPE_CHECKING:
    from lvchuang.ledgers.indicators import Indicators

MONTHS = tuple(range(1, 13))
FIRST_YEAR, LAST_YEAR = 2000, 2100  # models.YEAR_VALIDATORS
# Public institutions in the sense of the statistics system: organs, public institutions and schools, and any
# unit given a type code of the system (a hospital registered as "other", say).
LEDGER_KINDS = (Unit.Kind.ORGAN, Unit.Kind.PUBLIC_INSTITUTION, Unit.Kind.SCHOOL)


# How a measure is written beside a figure (the choices' labels are the words: 千瓦时, 立方米 …).
MEASURE_SYMBOLS: dict[str, str] = {
    Measure.KWH: "kWh",
    Measure.M3: "m³",
    Measure.KG: "kg",
    Measure.LITRE: "L",
    Measure.GJ: "GJ",
}


def ledger_q(prefix: str = "") -> Q:
    """A filter on Unit (or, with `prefix="unit__"`, on anything pointing to a unit) for units keeping ledgers."""
    return Q(**{f"{prefix}kind__in": LEDGER_KINDS}) | ~Q(**{f"{prefix}institution_type": ""})


def keeps_ledger(unit: Unit) -> bool:
    return unit.kind in LEDGER_KINDS or bool(unit.institution_type)


def ledger_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """Units the user may see that keep ledgers (public institutions)."""
    return visible_units(user).filter(ledger_q())


def kept_ledger_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The units keeping ledgers whose records the user writes, as `can_change_ledger` decides for one unit:
    their own unit, the units in the regions their offices manage, any for the administrator. Sector
    departments read their units' ledgers but do not keep them."""
    keeper = dataclasses.replace(jurisdiction_of(user), sector_ids=frozenset())
    return Unit.objects.filter(unit_q(keeper, for_change=True), ledger_q())


def can_change_ledger(user: User | AnonymousUser, unit: Unit) -> bool:
    """Who writes a unit's records: its own clerks, the offices of the regions above it and the administrator.
    Sector departments read their units' ledgers but do not keep them (unlike `access.can_change_unit`)."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin or unit.pk in jurisdiction.own_unit_ids:
        return True
    return any(unit.region.path.startswith(path) for path in jurisdiction.managed_paths)


def access_ledger_unit(user: User | AnonymousUser, unit_id: Any, *, for_change: bool = False) -> Unit:
    """A unit in the user's scope that keeps ledgers (`access.access_unit_by_id`): 404 outside the scope and for
    units that keep none (a community), 403 when `for_change` and the user may only read its ledger."""
    unit = access_unit_by_id(user, unit_id)
    if not keeps_ledger(unit):
        raise Http404
    if for_change and not can_change_ledger(user, unit):
        raise PermissionDenied
    return unit


def allowed_measures(carrier: str) -> tuple[str, ...]:
    """The physical units a carrier may be reported in: its own, and litres for the liquid fuels."""
    canonical = CANONICAL_MEASURE[carrier]
    return (canonical, Measure.LITRE) if carrier in LIQUID_CARRIERS else (canonical,)


# --- years and basic information -------------------------------------------------------------------------------


def unit_years(unit: Unit) -> list[int]:
    """Years with basic information or consumption, newest first (two small queries)."""
    years = set(BasicInfo.objects.filter(unit=unit).values_list("year", flat=True))
    years.update(Consumption.objects.filter(unit=unit).order_by().values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def default_year(years: list[int], today: datetime.date) -> int:
    """The year a unit's page opens on: the newest with data, else last year (the one being reported)."""
    return years[0] if years else today.year - 1


def basic_info(unit: Unit, year: int) -> BasicInfo | None:
    return BasicInfo.objects.filter(unit=unit, year=year).select_related("updated_by").first()


def basic_info_prefill(unit: Unit, year: int) -> dict[str, Any]:
    """What the basic-information form starts from for a year not yet filled: the nearest earlier year's
    figures, else those of the unit's own record."""
    previous = BasicInfo.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
    if previous is not None:
        return {
            "institution_type": previous.institution_type,
            "floor_area": previous.floor_area,
            "headcount": previous.headcount,
            "heated_area": previous.heated_area,
        }
    return {
        "institution_type": unit.institution_type,
        "floor_area": unit.floor_area,
        "headcount": unit.energy_headcount,
        "heated_area": None,
    }


# --- the month sheet -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    month: int
    carrier: str
    row: Consumption | None

    @property
    def amount(self) -> Decimal | None:
        return None if self.row is None else self.row.amount

    @property
    def measure(self) -> str:
        return CANONICAL_MEASURE[self.carrier] if self.row is None else self.row.measure

    @property
    def symbol(self) -> str:
        return MEASURE_SYMBOLS.get(self.measure, self.measure)


@dataclass(frozen=True)
class CarrierTotal:
    carrier: str
    label: str
    amounts: list[tuple[Decimal, str]]  # (sum, measure) per measure used in the year, canonical first

    @property
    def shown(self) -> list[tuple[Decimal, str]]:
        """The sums with their measure's symbol, for the page."""
        return [(amount, MEASURE_SYMBOLS.get(measure, measure)) for amount, measure in self.amounts]


@dataclass(frozen=True)
class MonthSheet:
    """A year of consumption as 12 months × carriers, with the carriers that have any figure."""

    year: int
    rows: list[tuple[int, list[Cell]]]
    carriers: list[tuple[str, str]]  # (value, label) of every carrier, in the form's order
    totals: list[CarrierTotal]
    months_reported: int

    @property
    def is_empty(self) -> bool:
        return self.months_reported == 0

    def values(self) -> dict[tuple[int, str], tuple[Decimal, str]]:
        return {
            (cell.month, cell.carrier): (cell.row.amount, cell.row.measure)
            for _month, cells in self.rows
            for cell in cells
            if cell.row is not None
        }


def month_sheet(unit: Unit, year: int) -> MonthSheet:
    """The year's consumption of the unit in one query."""
    rows = {
        (row.month, row.carrier): row
        for row in Consumption.objects.filter(unit=unit, year=year).only(
            "pk", "month", "carrier", "amount", "measure", "unit_id", "year"
        )
    }
    grid = [
        (month, [Cell(month, carrier, rows.get((month, carrier))) for carrier in Carrier]) for month in MONTHS
    ]
    totals = []
    for carrier in Carrier:
        sums: dict[str, Decimal] = {}
        for month in MONTHS:
            row = rows.get((month, carrier))
            if row is not None:
                sums[row.measure] = sums.get(row.measure, Decimal(0)) + row.amount
        if sums:
            ordered = sorted(sums.items(), key=lambda item: item[0] != CANONICAL_MEASURE[carrier])
            totals.append(
                CarrierTotal(carrier, str(carrier.label), [(total, measure) for measure, total in ordered])
            )
    return MonthSheet(
        year=year,
        rows=grid,
        carriers=[(value, str(label)) for value, label in Carrier.choices],
        totals=totals,
        months_reported=len({month for month, _carrier in rows}),
    )


# --- indicators ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    key: str
    label: str
    measure: str
    current: Decimal | None
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        """Percent change versus the year before, e.g. Decimal("-3.20"); None without both figures."""
        return energy.percent_change(self.previous, self.current)


# (attribute of indicators.Indicators, label, unit of measure)
INDICATOR_ROWS = (
    ("energy_kgce", _("综合能耗"), "kgce"),
    ("water_m3", _("用水量"), "m³"),
    ("co2_kg", _("二氧化碳排放"), "kgCO₂"),
    ("area_energy", _("单位建筑面积能耗"), "kgce/m²"),
    ("per_capita_energy", _("人均综合能耗"), "kgce/人"),
    ("per_capita_water", _("人均用水量"), "m³/人"),
    ("co2_per_area", _("单位建筑面积碳排放"), "kgCO₂/m²"),
)


TOTALS = ("energy_kgce", "water_m3", "co2_kg")


def indicator_lines(current: Indicators, previous: Indicators) -> list[IndicatorLine]:
    """The year's totals and intensities beside the year before's (`indicators.unit_indicators`). Totals show
    whenever the year has consumption; intensities only when the unit is counted (basic information too)."""

    def figure(indicators: Indicators, name: str) -> Decimal | None:
        if name in TOTALS:
            reported = indicators.units or indicators.by_carrier or indicators.water_m3
            return getattr(indicators, name) if reported else None
        value: Decimal | None = getattr(indicators, name) if indicators.units else None
        return value

    return [
        IndicatorLine(name, str(label), measure, figure(current, name), figure(previous, name))
        for name, label, measure in INDICATOR_ROWS
    ]


def coefficients_used(unit: Unit, sheet: MonthSheet, basis: str) -> list[str]:
    """The coefficients that convert the unit's year (`conversion.Coefficients.sources` after converting the
    year's totals), for the page to say which it used; none for a year without energy."""
    coefficients = conversion.coefficients_for(sheet.year, basis)
    province = unit.region.path[:2]
    converted = False
    for total in sheet.totals:
        if total.carrier == Carrier.WATER:
            continue
        for amount, measure in total.amounts:
            coefficients.kgce(total.carrier, measure, amount)
            coefficients.kgco2(total.carrier, measure, amount, province)
            converted = True
    return coefficients.sources() if converted else []


# --- the list of units -----------------------------------------------------------------------------------------


def unit_rows(units: QuerySet[Unit], year: int) -> QuerySet[Unit]:
    """Units with, as annotations, the latest year with consumption (`latest_year`), the months of `year` with
    any figure (`months_reported`) and the open quality flags (`open_flags`): one query for a page."""
    latest = Consumption.objects.filter(unit=OuterRef("pk")).order_by("-year").values("year")[:1]
    months = (
        Consumption.objects.filter(unit=OuterRef("pk"), year=year)
        .order_by()
        .values("unit")
        .annotate(n=Count("month", distinct=True))
        .values("n")
    )
    flags = (
        QualityFlag.objects.filter(unit=OuterRef("pk"), status=QualityFlag.Status.OPEN)
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return units.select_related("region", "sector").annotate(
        latest_year=Subquery(latest, output_field=IntegerField()),
        months_reported=Coalesce(Subquery(months, output_field=IntegerField()), Value(0)),
        open_flags=Coalesce(Subquery(flags, output_field=IntegerField()), Value(0)),
    )


def units_reporting(units: QuerySet[Unit], year: int) -> int:
    """How many of `units` have any consumption in `year` (one query)."""
    return units.filter(pk__in=Consumption.objects.filter(year=year).values("unit_id")).count()


def filter_units(
    units: QuerySet[Unit], *, region_path: str = "", institution_type: str = "", name: str = ""
) -> QuerySet[Unit]:
    if region_path:
        units = units.filter(region__path__startswith=region_path)
    if institution_type:
        units = units.filter(institution_type=institution_type)
    if name:
        units = units.filter(name__icontains=name)
    return units


# --- meters ----------------------------------------------------------------------------------------------------


def meters_with_totals(unit: Unit, year: int) -> QuerySet[Meter]:
    """The unit's meters, active first, each with `year_total` and `months_read` of `year` (one query)."""
    in_year = Q(readings__year=year)
    return (
        Meter.objects.filter(unit=unit)
        .annotate(
            year_total=Sum("readings__amount", filter=in_year),
            months_read=Count("readings", filter=in_year),
        )
        .order_by("-is_active", "number")
    )


def meter_readings(meter: Meter, year: int) -> dict[int, Decimal]:
    return dict(MeterReading.objects.filter(meter=meter, year=year).values_list("month", "amount"))


# --- data rooms, heating ---------------------------------------------------------------------------------------


def data_rooms(unit: Unit, year: int) -> list[DataRoom]:
    return list(DataRoom.objects.filter(unit=unit, year=year).order_by("name"))


def heating(unit: Unit, year: int) -> Heating | None:
    return Heating.objects.filter(unit=unit, year=year).first()


# --- garbage ---------------------------------------------------------------------------------------------------


def garbage_removals(unit: Unit, *, year: int | None = None, category: str = "") -> QuerySet[GarbageRemoval]:
    removals = GarbageRemoval.objects.filter(unit=unit).select_related("created_by")
    if year is not None:
        removals = removals.filter(removed_on__year=year)
    if category:
        removals = removals.filter(category=category)
    return removals.order_by("-removed_on", "-pk")


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    removals: int
    weight_kg: Decimal


def garbage_totals(removals: QuerySet[GarbageRemoval]) -> list[CategoryTotal]:
    """Removals and weight per category of `removals`, in the order of the categories (one query)."""
    found = {
        row["category"]: row
        for row in removals.order_by().values("category").annotate(n=Count("pk"), kg=Sum("weight_kg"))
    }
    return [
        CategoryTotal(value, str(label), found[value]["n"], found[value]["kg"])
        for value, label in GarbageRemoval.Category.choices
        if value in found
    ]


def garbage_years(unit: Unit) -> list[int]:
    dates = GarbageRemoval.objects.filter(unit=unit).dates("removed_on", "year", order="DESC")
    return [day.year for day in dates]


# --- flags -----------------------------------------------------------------------------------------------------


def open_flags(unit: Unit, *, years: Iterable[int] | None = None) -> QuerySet[QualityFlag]:
    flags = QualityFlag.objects.filter(unit=unit, status=QualityFlag.Status.OPEN)
    if years is not None:
        flags = flags.filter(year__in=list(years))
    return flags.order_by("-year", "month", "rule")


# --- filters ---------------------------------------------------------------------------------------------------

# Region paths are 2 (province), 4 (city), 6 (county) characters long and longer below.
FILTER_PATH_LENGTHS = (2, 4, 6)


def filter_regions(units: QuerySet[Unit]) -> QuerySet[Region]:
    """The provinces, cities and counties that hold any of `units`, for a filter (two queries, whatever the
    number of units)."""
    counties = set(
        units.order_by()
        .annotate(county=Substr("region__path", 1, FILTER_PATH_LENGTHS[-1]))
        .values_list("county", flat=True)
        .distinct()
    )
    paths = {path[:length] for path in counties for length in FILTER_PATH_LENGTHS if len(path) >= length}
    return Region.objects.filter(path__in=sorted(paths)).order_by("path")
