"""Standard coal (kgce) and CO₂ (kg) of reported quantities, from the editable coefficient tables (facts §3).

Nothing converted is stored (ADR 0008): a page loads the tables for a year once (`coefficients_for`, four small
queries) and converts the sums it aggregated in SQL. Choices made here:

- **Which row applies.** A conversion factor or density applies from its `valid_from`; for a year the row with
  the latest `valid_from` on or before 31 December of that year is used. A year earlier than every row uses the
  earliest row, and `sources()` says so.
- **等价值.** GB/T 2589-2020 distinguishes 当量值 (calorific value) from 等价值 (the primary energy spent to make
  it) only for secondary energy bought from outside; the tables ship 等价值 rows for electricity (the year's coal
  rate of supply) only. A carrier without a 等价值 row falls back to its 当量值 row, and `sources()` says so.
- **Litres** of a liquid fuel become kilograms through its `Density` row; a carrier without a density cannot be
  converted from litres (a validation error).
- **CO₂.** A carrier uses the factor of the province's regional grid (`GridAssignment`, by the first two
  digits of the region code) for the year, else that grid's latest earlier year, else the national factor of
  the year or the latest earlier year. Only electricity has grid factors; the other carriers have national ones.
  A year earlier than every national row uses the earliest one, flagged in `sources()`.
- **Water** is no energy: 0 kgce and 0 kgCO₂.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lvchuang.ledgers.models import (
    CANONICAL_MEASURE,
    Basis,
    Carrier,
    ConversionFactor,
    Density,
    EmissionFactor,
    Grid,
    GridAssignment,
    Measure,
)

ZERO = Decimal(0)
_Dated = TypeVar("_Dated", ConversionFactor, Density)


@dataclass(frozen=True)
class _Row:
    """One coefficient as used: its value and how to describe it on a page."""

    value: Decimal
    description: str


@dataclass(frozen=True)
class Coefficients:
    """Everything needed to convert one year's ledgers, loaded in a few queries."""

    year: int
    basis: str = Basis.EQUIVALENT
    factors: dict[str, _Row] = field(default_factory=dict, repr=False)  # carrier -> kgce per unit
    densities: dict[str, _Row] = field(default_factory=dict, repr=False)  # carrier -> kg per litre
    grids: dict[str, str] = field(default_factory=dict, repr=False)  # province code -> grid
    emissions: dict[tuple[str, str], _Row] = field(default_factory=dict, repr=False)  # (carrier, grid)
    # The descriptions of the coefficients the conversions made so far have used, in order of first use.
    _used: dict[str, None] = field(default_factory=dict, repr=False, compare=False)

    def kgce(self, carrier: str, measure: str, amount: Decimal) -> Decimal:
        """Standard coal of `amount` (in `measure`) of `carrier`; 0 for water."""
        if carrier == Carrier.WATER:
            return ZERO
        quantity = self._canonical_quantity(carrier, measure, amount)
        factor = self.factors.get(carrier)
        if factor is None:
            raise ValidationError(
                _("%(carrier)s没有折标准煤系数，无法折算。") % {"carrier": Carrier(carrier).label}
            )
        self._use(factor)
        return quantity * factor.value

    def kgco2(self, carrier: str, measure: str, amount: Decimal, province_code: str) -> Decimal:
        """CO₂ of `amount` (in `measure`) of `carrier` used in the province `province_code` (2 digits)."""
        if carrier == Carrier.WATER:
            return ZERO
        quantity = self._canonical_quantity(carrier, measure, amount)
        grid = self.grids.get(province_code[:2], Grid.NATIONAL)
        factor = self.emissions.get((carrier, grid)) or self.emissions.get((carrier, Grid.NATIONAL))
        if factor is None:
            raise ValidationError(
                _("%(carrier)s没有二氧化碳排放因子，无法折算。") % {"carrier": Carrier(carrier).label}
            )
        self._use(factor)
        return quantity * factor.value

    def sources(self) -> list[str]:
        """The coefficients used by the conversions made so far (all of the year's, before any conversion)."""
        if self._used:
            return list(self._used)
        every = [*self.factors.values(), *self.densities.values(), *self.emissions.values()]
        return list(dict.fromkeys(row.description for row in every))

    def _canonical_quantity(self, carrier: str, measure: str, amount: Decimal) -> Decimal:
        canonical = CANONICAL_MEASURE[carrier]
        if measure == canonical:
            return amount
        if measure == Measure.LITRE:
            density = self.densities.get(carrier)
            if density is None:
                raise ValidationError(
                    _("%(carrier)s没有密度数据，不能按升填报，请换算为千克。")
                    % {"carrier": Carrier(carrier).label}
                )
            self._use(density)
            return amount * density.value
        raise ValidationError(
            _("%(carrier)s应以%(measure)s计量。")
            % {"carrier": Carrier(carrier).label, "measure": Measure(canonical).label}
        )

    def _use(self, row: _Row) -> None:
        self._used.setdefault(row.description, None)


@dataclass(frozen=True)
class CoefficientTables:
    """The four coefficient tables as stored, read once and cut into `Coefficients` for any number of years."""

    factors: tuple[ConversionFactor, ...]
    densities: tuple[Density, ...]
    grids: tuple[GridAssignment, ...]
    emissions: tuple[EmissionFactor, ...]

    @classmethod
    def load(cls) -> CoefficientTables:
        return cls(
            factors=tuple(ConversionFactor.objects.order_by("valid_from")),
            densities=tuple(Density.objects.order_by("valid_from")),
            grids=tuple(GridAssignment.objects.all()),
            emissions=tuple(EmissionFactor.objects.order_by("year")),
        )

    def for_year(self, year: int, basis: str = Basis.EQUIVALENT) -> Coefficients:
        if basis not in Basis.values:
            raise ValidationError(_("未知的折算口径：%(basis)s") % {"basis": basis})
        last_day = datetime.date(year, 12, 31)
        factors: dict[str, _Row] = {}
        for carrier in {row.carrier for row in self.factors}:
            rows = [r for r in self.factors if r.carrier == carrier and r.basis == basis]
            fallback = ""
            if not rows:
                rows = [r for r in self.factors if r.carrier == carrier and r.basis == Basis.EQUIVALENT]
                fallback = _("（无等价值系数，按当量值）")
            if rows:
                chosen, early = _dated(rows, last_day)
                factors[carrier] = _Row(
                    chosen.kgce_per_unit, _describe_factor(chosen, year, early=early) + fallback
                )
        densities: dict[str, _Row] = {}
        for carrier in {row.carrier for row in self.densities}:
            chosen_density, early = _dated([r for r in self.densities if r.carrier == carrier], last_day)
            densities[carrier] = _Row(
                chosen_density.kg_per_litre, _describe_density(chosen_density, year, early)
            )
        emissions: dict[tuple[str, str], _Row] = {}
        for carrier, grid in {(row.carrier, row.grid) for row in self.emissions}:
            rows_e = [r for r in self.emissions if r.carrier == carrier and r.grid == grid]
            earlier = [r for r in rows_e if r.year <= year]
            if earlier:
                emission, early = earlier[-1], False
            elif grid == Grid.NATIONAL:
                emission, early = rows_e[0], True
            else:
                continue  # a grid without a factor for the year or before: the national factor applies
            emissions[(carrier, grid)] = _Row(
                emission.kgco2_per_unit, _describe_emission(emission, year, early)
            )
        return Coefficients(
            year=year,
            basis=basis,
            factors=factors,
            densities=densities,
            grids={row.province_code: row.grid for row in self.grids},
            emissions=emissions,
        )


def coefficients_for(year: int, basis: str = Basis.EQUIVALENT) -> Coefficients:
    """The coefficients for converting the ledgers of `year` (four queries)."""
    return CoefficientTables.load().for_year(year, basis)


def coefficients_for_years(years: Iterable[int], basis: str = Basis.EQUIVALENT) -> dict[int, Coefficients]:
    """The coefficients of several years, from one read of the tables."""
    tables = CoefficientTables.load()
    return {year: tables.for_year(year, basis) for year in set(years)}


def _dated(rows: list[_Dated], last_day: datetime.date) -> tuple[_Dated, bool]:
    """The row in force on `last_day` (rows sorted by `valid_from`), or the earliest one, flagged as early."""
    in_force = [row for row in rows if row.valid_from <= last_day]
    if in_force:
        return in_force[-1], False
    return rows[0], True


def _early_note(year: int, early: bool) -> str:
    return _("（%(year)s 年无适用系数，借用最早一条）") % {"year": year} if early else ""


def _describe_factor(row: ConversionFactor, year: int, *, early: bool) -> str:
    return _("%(carrier)s %(basis)s %(value)s kgce/%(measure)s（%(source)s，%(date)s 起）%(early)s") % {
        "carrier": row.get_carrier_display(),
        "basis": row.get_basis_display(),
        "value": _plain(row.kgce_per_unit),
        "measure": CANONICAL_MEASURE[row.carrier],
        "source": row.source,
        "date": row.valid_from.isoformat(),
        "early": _early_note(year, early),
    }


def _describe_density(row: Density, year: int, early: bool) -> str:
    return _("%(carrier)s密度 %(value)s kg/L（%(source)s）%(early)s") % {
        "carrier": row.get_carrier_display(),
        "value": _plain(row.kg_per_litre),
        "source": row.source,
        "early": _early_note(year, early),
    }


def _describe_emission(row: EmissionFactor, year: int, early: bool) -> str:
    return _(
        "%(carrier)s排放因子（%(grid)s，%(factor_year)s）%(value)s kgCO₂/%(measure)s（%(source)s）%(early)s"
    ) % {
        "carrier": row.get_carrier_display(),
        "grid": row.get_grid_display(),
        "factor_year": row.year,
        "value": _plain(row.kgco2_per_unit),
        "measure": CANONICAL_MEASURE[row.carrier],
        "source": row.source,
        "early": _early_note(year, early),
    }


def _plain(value: Decimal) -> str:
    """4.0000 → 4, 0.1229 → 0.1229."""
    return format(value.normalize(), "f")
