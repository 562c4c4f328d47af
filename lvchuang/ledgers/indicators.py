"""Intensity indicators of public institutions and the check of annual targets (facts §3, ADR 0008).

Consumption is summed in SQL by (group, province, year, carrier, measure), one query whatever the number of
units, and converted in Python with the year's coefficients (`ledgers.conversion`). The province (first two
digits of the unit's region path) picks the regional grid of electricity's CO₂ factor.

Who is counted: a unit counts in a year when it has that year's basic information (基本信息表: floor area and
用能人数, the denominators) and any consumption that year. An aggregate is Σ energy ÷ Σ floor area (and Σ ÷ Σ
用能人数) over the counted units, as the statistics system's summary tables compute it; a unit without basic
information is left out of numerator and denominator alike, so a missing form cannot distort the ratio. For a
single unit (`unit_indicators`) the consumption is summed even without basic information (the unit's page shows
it); the ratios are then unknown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvchuang.ledgers.conversion import Coefficients, CoefficientTables
from lvchuang.ledgers.models import AnnualTarget, BasicInfo, Basis, Carrier, Consumption
from lvchuang.lib.divisions import Level
from lvchuang.lib.energy import meets_change, percent_change, ratio
from lvchuang.organisations.models import Department, Unit
from lvchuang.regions.models import Region

ZERO = Decimal(0)
GROUPINGS = ("region", "sector", "type", "unit")


@dataclass(frozen=True)
class IndicatorInfo:
    key: str
    label: Any  # a lazy translation
    measure: Any  # a lazy translation
    target_field: str


# The four indicators of the 十四五 plan, in the order of the statistics tables. The first three keys are those of
# `IntensityRange.Indicator`.
INDICATORS: tuple[IndicatorInfo, ...] = (
    IndicatorInfo("area_energy", gettext_lazy("单位建筑面积能耗"), "kgce/m²", "area_energy_change"),
    IndicatorInfo(
        "per_capita_energy", gettext_lazy("人均综合能耗"), gettext_lazy("kgce/人"), "per_capita_energy_change"
    ),
    IndicatorInfo(
        "per_capita_water", gettext_lazy("人均用水量"), gettext_lazy("m³/人"), "per_capita_water_change"
    ),
    IndicatorInfo("co2_per_area", gettext_lazy("单位建筑面积碳排放"), "kgCO₂/m²", "co2_per_area_change"),
)
INDICATOR_KEYS = tuple(info.key for info in INDICATORS)


@dataclass(frozen=True)
class Indicators:
    units: int = 0  # units counted (with basic information and any consumption that year)
    energy_kgce: Decimal = ZERO  # 综合能耗, water excluded
    water_m3: Decimal = ZERO
    co2_kg: Decimal = ZERO
    floor_area: Decimal = ZERO  # Σ over counted units
    headcount: int = 0
    by_carrier: dict[str, Decimal] = field(default_factory=dict)  # kgce per energy carrier

    @property
    def area_energy(self) -> Decimal | None:
        """单位建筑面积能耗, kgce/m²."""
        return ratio(self.energy_kgce, self.floor_area)

    @property
    def per_capita_energy(self) -> Decimal | None:
        """人均综合能耗, kgce/person."""
        return ratio(self.energy_kgce, self.headcount)

    @property
    def per_capita_water(self) -> Decimal | None:
        """人均用水量, m³/person."""
        return ratio(self.water_m3, self.headcount)

    @property
    def co2_per_area(self) -> Decimal | None:
        """kgCO₂/m²."""
        return ratio(self.co2_kg, self.floor_area)

    def value(self, indicator: str) -> Decimal | None:
        if indicator not in INDICATOR_KEYS:
            raise KeyError(indicator)
        result: Decimal | None = getattr(self, indicator)
        return result


EMPTY = Indicators()


# --- summing and converting ------------------------------------------------------------------------------------


class _Sums:
    """Converted sums of one group in one year, filled row by row from the grouped query."""

    def __init__(self) -> None:
        self.energy = ZERO
        self.water = ZERO
        self.co2 = ZERO
        self.by_carrier: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.carriers: set[str] = set()

    def add(
        self, coefficients: Coefficients, province: str, carrier: str, measure: str, amount: Decimal
    ) -> None:
        self.carriers.add(carrier)
        if carrier == Carrier.WATER:
            self.water += amount
            return
        kgce = coefficients.kgce(carrier, measure, amount)
        self.energy += kgce
        self.by_carrier[carrier] += kgce
        self.co2 += coefficients.kgco2(carrier, measure, amount, province)

    def indicators(self, *, units: int, floor_area: Decimal, headcount: int) -> Indicators:
        return Indicators(
            units=units,
            energy_kgce=self.energy,
            water_m3=self.water,
            co2_kg=self.co2,
            floor_area=floor_area,
            headcount=headcount,
            by_carrier=dict(self.by_carrier),
        )


def _tables_for(years: Iterable[int], basis: str) -> dict[int, Coefficients]:
    tables = CoefficientTables.load()
    return {year: tables.for_year(year, basis) for year in set(years)}


def _aggregate(
    units: QuerySet[Unit],
    years: Iterable[int],
    *,
    consumption_key: Any,
    basic_key: Any,
    basis: str,
) -> dict[tuple[str, int], Indicators]:
    """Indicators per (group key, year) of the counted units: two grouped queries and the coefficient tables."""
    years = sorted(set(years))
    coefficients = _tables_for(years, basis)
    has_basic_info = BasicInfo.objects.filter(unit=OuterRef("unit"), year=OuterRef("year"))
    has_consumption = Consumption.objects.filter(unit=OuterRef("unit"), year=OuterRef("year"))
    consumption = (
        Consumption.objects.filter(unit__in=units.values("pk"), year__in=years)
        .filter(Exists(has_basic_info))
        .annotate(key=consumption_key, province=Substr("unit__region__path", 1, 2))
        .values("key", "province", "year", "carrier", "measure")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    sums: dict[tuple[str, int], _Sums] = defaultdict(_Sums)
    for row in consumption:
        key = (_key(row["key"]), row["year"])
        sums[key].add(
            coefficients[row["year"]], row["province"], row["carrier"], row["measure"], row["total"]
        )
    denominators = (
        BasicInfo.objects.filter(unit__in=units.values("pk"), year__in=years)
        .filter(Exists(has_consumption))
        .annotate(key=basic_key)
        .values("key", "year")
        .annotate(area=Sum("floor_area"), heads=Sum("headcount"), count=Count("pk"))
        .order_by()
    )
    result: dict[tuple[str, int], Indicators] = {}
    for row in denominators:
        key = (_key(row["key"]), row["year"])
        result[key] = sums[key].indicators(
            units=row["count"], floor_area=row["area"] or ZERO, headcount=row["heads"] or 0
        )
    return result


def _key(value: object) -> str:
    return "" if value is None else str(value)


# --- one unit --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _UnitYear:
    indicators: Indicators
    has_basic_info: bool
    carriers: frozenset[str]

    @property
    def has_energy(self) -> bool:
        return bool(self.carriers - {Carrier.WATER})

    @property
    def has_water(self) -> bool:
        return Carrier.WATER in self.carriers


def _unit_years(unit: Unit, years: Iterable[int], basis: str) -> dict[int, _UnitYear]:
    years = sorted(set(years))
    coefficients = _tables_for(years, basis)
    province = unit.region.path[:2]
    sums: dict[int, _Sums] = defaultdict(_Sums)
    rows = (
        Consumption.objects.filter(unit=unit, year__in=years)
        .values("year", "carrier", "measure")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        sums[row["year"]].add(
            coefficients[row["year"]], province, row["carrier"], row["measure"], row["total"]
        )
    basic = {info.year: info for info in BasicInfo.objects.filter(unit=unit, year__in=years)}
    result = {}
    for year in years:
        info = basic.get(year)
        year_sums = sums[year]
        counted = info is not None and bool(year_sums.carriers)
        result[year] = _UnitYear(
            indicators=year_sums.indicators(
                units=1 if counted else 0,
                floor_area=info.floor_area if info else ZERO,
                headcount=info.headcount if info else 0,
            ),
            has_basic_info=info is not None,
            carriers=frozenset(year_sums.carriers),
        )
    return result


def unit_indicators(
    unit: Unit, years: Iterable[int], *, basis: str = Basis.EQUIVALENT
) -> dict[int, Indicators]:
    """The unit's indicators for each of `years` (a constant number of queries for any number of years)."""
    return {year: data.indicators for year, data in _unit_years(unit, years, basis).items()}


def monthly_energy(unit: Unit, year: int, *, basis: str = Basis.EQUIVALENT) -> dict[int, dict[str, Decimal]]:
    """month -> {"energy_kgce", "water_m3", "co2_kg"} for the months of `year` that have any consumption."""
    coefficients = _tables_for([year], basis)[year]
    province = unit.region.path[:2]
    sums: dict[int, _Sums] = defaultdict(_Sums)
    rows = (
        Consumption.objects.filter(unit=unit, year=year)
        .values("month", "carrier", "measure")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        sums[row["month"]].add(coefficients, province, row["carrier"], row["measure"], row["total"])
    return {
        month: {"energy_kgce": month_sums.energy, "water_m3": month_sums.water, "co2_kg": month_sums.co2}
        for month, month_sums in sorted(sums.items())
    }


# --- groups of units ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    key: str  # region path / sector id / type code / unit id
    label: str
    current: Indicators  # `year`
    previous: Indicators | None  # `year - 1`; None when no unit was counted that year

    def change(self, indicator: str) -> Decimal | None:
        """Percent change versus the previous year, e.g. Decimal("-3.20")."""
        if self.previous is None:
            return None
        return percent_change(self.previous.value(indicator), self.current.value(indicator))


def grouped_indicators(
    units: QuerySet[Unit],
    year: int,
    *,
    by: str,
    region: Region | None = None,
    basis: str = Basis.EQUIVALENT,
) -> list[GroupRow]:
    """Indicators of `units` in `year` and `year - 1`, grouped:

    - "region": by the child regions of `region` (by province when None), plus a row for the units of `region`
      itself (本级); every child region has a row, with empty indicators when none of its units counted;
    - "sector": by 主管部门 (units without one form one row); "type": by the year's unit type code of the basic
      information; "unit": one row per unit. These list the groups with any counted unit in either year.

    A constant number of queries whatever the number of units or groups.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping: {by}")
    labels: dict[str, str]
    if by == "region":
        if region is not None:
            units = units.filter(region__path__startswith=region.path)
            length = Level(min(region.level + 1, Level.VILLAGE)).prefix_length
            children = Region.objects.filter(parent=region).order_by("path")
        else:
            length = Level.PROVINCE.prefix_length
            children = Region.objects.filter(level=Level.PROVINCE).order_by("path")
        consumption_key: Any = Substr("unit__region__path", 1, length)
        basic_key: Any = consumption_key
        labels = {child.path: child.name for child in children}
        if region is not None:
            labels[region.path] = _("%(region)s本级") % {"region": region.name}
    elif by == "sector":
        consumption_key = basic_key = F("unit__sector_id")
    elif by == "type":
        consumption_key = Subquery(
            BasicInfo.objects.filter(unit=OuterRef("unit"), year=OuterRef("year")).values("institution_type")[
                :1
            ]
        )
        basic_key = F("institution_type")
    else:
        consumption_key = basic_key = F("unit_id")
    data = _aggregate(
        units, [year - 1, year], consumption_key=consumption_key, basic_key=basic_key, basis=basis
    )
    keys = {key for key, _year in data}
    if by == "sector":
        labels = {
            str(pk): name
            for pk, name in Department.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name")
        }
        labels[""] = _("无主管部门")
    elif by == "type":
        labels = {str(code): str(label) for code, label in Unit.InstitutionType.choices}
    elif by == "unit":
        labels = {
            str(pk): name
            for pk, name in Unit.objects.filter(pk__in=[int(k) for k in keys]).values_list("pk", "name")
        }
    if by == "region":
        own = [region.path] if region is not None and region.path in keys else []
        ordered = own + [child.path for child in children]
        ordered += sorted(keys - set(ordered))
    elif by == "type":
        ordered = sorted(keys)
    else:
        ordered = sorted(keys, key=lambda key: (labels.get(key, key), key))
    return [
        GroupRow(
            key=key,
            label=labels.get(key, key),
            current=data.get((key, year), EMPTY),
            previous=data.get((key, year - 1)),
        )
        for key in ordered
    ]


def total_indicators(units: QuerySet[Unit], year: int, *, basis: str = Basis.EQUIVALENT) -> Indicators:
    """The indicators of all counted `units` together in `year`."""
    data = _aggregate(units, [year], consumption_key=Value("all"), basic_key=Value("all"), basis=basis)
    return data.get(("all", year), EMPTY)


# --- annual targets ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetLine:
    indicator: str
    label: str
    baseline: Decimal | None  # the indicator in the base year
    current: Decimal | None  # the indicator in the checked year
    change: Decimal | None  # percent, two places
    target: Decimal  # percent
    met: bool | None


STATUS_LABELS = {
    "met": gettext_lazy("完成"),
    "missed": gettext_lazy("未完成"),
    "unknown": gettext_lazy("无法判断"),
    "none": gettext_lazy("无适用指标"),
}


@dataclass(frozen=True)
class TargetCheck:
    year: int
    target: AnnualTarget | None
    lines: list[TargetLine]
    missing: list[str]  # what is missing to judge, e.g. "2020 年基本信息"

    @property
    def status(self) -> str:
        """ "met" | "missed" | "unknown" | "none" (no target applies). One indicator missed is a miss even when
        another cannot be judged."""
        if self.target is None:
            return "none"
        if any(line.met is False for line in self.lines):
            return "missed"
        if self.missing or any(line.met is None for line in self.lines):
            return "unknown"
        return "met"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def narrative(self) -> str:
        """Chinese sentences with the figures, for the veto item and the pages."""
        if self.target is None:
            return _("%(year)s 年没有适用于本单位的年度能耗指标。") % {"year": self.year}
        target = self.target
        parts = [
            _("%(office)s下达的 %(year)s 年能耗指标（较 %(baseline)s 年）")
            % {
                "office": target.office.name,
                "year": target.year,
                "baseline": target.baseline_year,
            }
        ]
        if target.source:
            parts[0] += _("，依据%(source)s") % {"source": target.source}
        parts[0] += "。"
        measures = {info.key: str(info.measure) for info in INDICATORS}
        for line in self.lines:
            outcome = _("无法判断") if line.met is None else _("完成") if line.met else _("未完成")
            parts.append(
                _(
                    "%(label)s %(baseline)s → %(current)s %(measure)s，"
                    "变化 %(change)s，目标 %(target)s%%，%(outcome)s。"
                )
                % {
                    "label": line.label,
                    "baseline": _figure(line.baseline),
                    "current": _figure(line.current),
                    "measure": measures[line.indicator],
                    "change": f"{line.change}%" if line.change is not None else "—",
                    "target": line.target,
                    "outcome": outcome,
                }
            )
        if self.missing:
            parts.append(_("缺少：%(missing)s。") % {"missing": "、".join(self.missing)})
        parts.append(_("结论：%(status)s。") % {"status": self.status_label})
        return "".join(parts)


def _figure(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def applicable_target(unit: Unit, year: int, institution_type: str) -> AnnualTarget | None:
    """The target of the nearest region above (or at) the unit for `year` that covers its type: the longest
    region path wins; within one region a target naming the type wins over one for all types, then the latest
    base year."""
    path = unit.region.path
    prefixes = [path[:length] for length in (level.prefix_length for level in Level) if length <= len(path)]
    candidates = [
        target
        for target in AnnualTarget.objects.filter(year=year, region__path__in=prefixes).select_related(
            "region", "office"
        )
        if not target.institution_types or institution_type in target.institution_types
    ]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda t: (len(t.region.path), bool(t.institution_types), t.baseline_year),
    )


def target_check(unit: Unit, year: int) -> TargetCheck:
    """Does the unit meet, in `year`, the annual target of the nearest office above it?

    Each targeted indicator's change versus the target's base year must be at or below the target's change.
    What is missing to judge (basic information, energy or water in either year) is listed and makes the check
    "unknown", unless another indicator is already missed.
    """
    reported_type = (
        BasicInfo.objects.filter(unit=unit, year=year).values_list("institution_type", flat=True).first()
    )
    institution_type = reported_type or unit.institution_type
    target = applicable_target(unit, year, institution_type)
    if target is None:
        return TargetCheck(year=year, target=None, lines=[], missing=[])
    data = _unit_years(unit, [target.baseline_year, year], Basis.EQUIVALENT)
    targeted = [info for info in INDICATORS if getattr(target, info.target_field) is not None]
    missing: list[str] = []
    for checked_year in (target.baseline_year, year):
        year_data = data[checked_year]
        if not year_data.has_basic_info:
            missing.append(_("%(year)s 年基本信息") % {"year": checked_year})
        if any(info.key != "per_capita_water" for info in targeted) and not year_data.has_energy:
            missing.append(_("%(year)s 年能源消费数据") % {"year": checked_year})
        if any(info.key == "per_capita_water" for info in targeted) and not year_data.has_water:
            missing.append(_("%(year)s 年用水数据") % {"year": checked_year})
    lines = []
    for info in targeted:
        values = []
        for checked_year in (target.baseline_year, year):
            year_data = data[checked_year]
            present = year_data.has_water if info.key == "per_capita_water" else year_data.has_energy
            values.append(year_data.indicators.value(info.key) if present else None)
        baseline, current = values
        change = percent_change(baseline, current)
        target_change: Decimal = getattr(target, info.target_field)
        lines.append(
            TargetLine(
                indicator=info.key,
                label=str(info.label),
                baseline=baseline,
                current=current,
                change=change,
                target=target_change,
                met=meets_change(change, target_change),
            )
        )
    return TargetCheck(year=year, target=target, lines=lines, missing=missing)


__all__ = [
    "INDICATORS",
    "GroupRow",
    "Indicators",
    "TargetCheck",
    "TargetLine",
    "applicable_target",
    "grouped_indicators",
    "monthly_energy",
    "target_check",
    "total_indicators",
    "unit_indicators",
]
