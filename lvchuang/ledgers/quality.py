"""Data quality of the resource ledgers: editable rules find problems; flags keep them until the data is corrected
(resolved, by the system) or a person confirms the figure (accepted). No rule changes or drops a value (ADR 0008).

The rules (`QualityRule.Code`; every threshold is in the rule's `params`, defaults and a description of each in
`defaults/quality.yaml`; a key missing from a stored rule falls back to the file):

- **missing_month** — for a unit and year with any consumption or basic information, every month from January up
  to the last month due must have a row for each carrier of `carriers`. A past year is due through December; in
  the year of the check (`as_of`) a month is due from day `due_day` of the month after. One flag per missing
  (month, carrier).
- **non_positive** — a negative amount, or a zero one of a carrier not in `zero_allowed` (an organ may burn no
  coal or diesel in a month; it always uses electricity and water).
- **jump** — a positive amount more than `factor` times the median of the unit's same-carrier amounts over the
  `window_months` months before it ("high": a digit too many, a wrong unit), or less than the median ÷ `factor`
  ("low": a digit too few, one meter of several). Not judged with fewer than `min_months` months in the window
  or a median of zero or less.
- **intensity** — the unit's 单位建筑面积能耗, 人均综合能耗 and 人均用水量 of a year outside the `IntensityRange`
  of the type code of its basic information. Types without a range are not judged. With `require_complete_year`
  the energy indicators need 12 months of electricity and the water indicator 12 months of water. Standard coal
  is converted on `basis` with the year's coefficients (`ledgers.conversion`).
- **duplicate** — an amount (at least `min_amount`, same measure) equal to the previous month's of the same
  carrier, for the carriers of `carriers` (a copied row). Duplicate keys within a file are refused by the import.

A flag is identified by (unit, rule, key), the key saying what it is about: "2024-03:electricity" for a month and
carrier (missing_month, non_positive, jump, duplicate), "2024:area_energy" for a year's indicator (intensity).

`recheck(unit_ids, years)` runs every active rule for those units and years and brings the flags in step: a new
problem opens a flag; an open flag whose problem is gone is resolved ("数据已更正", or "规则已停用" when its rule
was switched off); a resolved flag found again is reopened; an accepted flag is left alone. A month's jump and
duplicate verdicts depend on the months before it, so those two rules also judge the following years the changed
months reach (up to the year of `as_of`). The data is read in a fixed number of queries whatever the number of
units. After an edit of a rule nothing is rechecked at once: an office or the administrator starts a recheck of
their units for a year (`recheck_scope`), run by the task runner when the scope is large.
"""

from __future__ import annotations

import datetime
import functools
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from lvchuang.accounts.access import _get_or_404, jurisdiction_of
from lvchuang.accounts.models import User
from lvchuang.ledgers.conversion import Coefficients, coefficients_for_years
from lvchuang.ledgers.models import (
    YEAR_VALIDATORS,
    BasicInfo,
    Basis,
    Carrier,
    Consumption,
    IntensityRange,
    QualityFlag,
    QualityRule,
)
from lvchuang.ledgers.selectors import can_change_ledger, kept_ledger_units, ledger_units
from lvchuang.lib.energy import ratio
from lvchuang.organisations.models import Unit

DEFAULTS_PATH = Path(__file__).resolve().parent / "defaults" / "quality.yaml"
Code = QualityRule.Code
Status = QualityFlag.Status
Indicator = IntensityRange.Indicator

# A recheck of more units than this is left to the task runner; the units are checked this many at a time.
INLINE_RECHECK_UNITS = 200
RECHECK_CHUNK = 500
HUNDREDTH = Decimal("0.01")


# --- defaults and parameters --------------------------------------------------------------------------------------


@functools.cache
def defaults() -> dict[str, Any]:
    """`defaults/quality.yaml`: `rules` and `intensity_ranges` (the schema read by `ledgers.defaults`)."""
    data: dict[str, Any] = yaml.safe_load(DEFAULTS_PATH.read_text(encoding="utf-8"))
    return data


def default_params(code: str) -> dict[str, Any]:
    for rule in defaults()["rules"]:
        if rule["code"] == code:
            return dict(rule["params"])
    return {}


def params_of(rule: QualityRule) -> dict[str, Any]:
    """The rule's parameters, completed from the defaults for any key the stored rule lacks."""
    return {**default_params(rule.code), **(rule.params or {})}


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a rule, as the edit form and the API check it."""

    name: str
    kind: str  # "carriers" | "integer" | "number" | "boolean" | "basis"
    label: Any  # a lazy translation
    help_text: Any = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None


PARAM_SPECS: dict[str, tuple[ParamSpec, ...]] = {
    Code.MISSING_MONTH: (
        ParamSpec("carriers", "carriers", gettext_lazy("必须逐月填报的品种")),
        ParamSpec(
            "due_day",
            "integer",
            gettext_lazy("应报日"),
            gettext_lazy("本年的某月在次月的这一天后才算应报（1–28）。"),
            Decimal(1),
            Decimal(28),
        ),
    ),
    Code.NON_POSITIVE: (
        ParamSpec(
            "zero_allowed",
            "carriers",
            gettext_lazy("允许为零的品种"),
            gettext_lazy("这些品种只标记负值；其余品种零值也标记。"),
        ),
    ),
    Code.JUMP: (
        ParamSpec(
            "factor",
            "number",
            gettext_lazy("倍数 N"),
            gettext_lazy("高于中位数 N 倍或低于中位数 1/N 的月份被标记（须大于 1）。"),
            Decimal("1.01"),
            Decimal(1000),
        ),
        ParamSpec(
            "window_months",
            "integer",
            gettext_lazy("对照月数"),
            gettext_lazy("取此前多少个月的用量求中位数（1–36）。"),
            Decimal(1),
            Decimal(36),
        ),
        ParamSpec(
            "min_months",
            "integer",
            gettext_lazy("最少月数"),
            gettext_lazy("对照期内有数据的月份少于此数时不判断。"),
            Decimal(1),
            Decimal(36),
        ),
    ),
    Code.INTENSITY: (
        ParamSpec(
            "require_complete_year",
            "boolean",
            gettext_lazy("只判断数据完整的年份"),
            gettext_lazy("能耗指标要求 12 个月的电力数据，人均用水量要求 12 个月的用水数据。"),
        ),
        ParamSpec("basis", "basis", gettext_lazy("折算口径")),
    ),
    Code.DUPLICATE: (
        ParamSpec("carriers", "carriers", gettext_lazy("判断的品种")),
        ParamSpec(
            "min_amount",
            "number",
            gettext_lazy("最小用量"),
            gettext_lazy("低于此数的重复可能是巧合，不标记。"),
            Decimal(0),
            None,
        ),
    ),
}


def describe_params(rule: QualityRule) -> list[tuple[str, str]]:
    """The rule's parameters as (label, value) for a page: carriers by name, yes/no, numbers as written."""
    params = params_of(rule)
    described = []
    for spec in PARAM_SPECS.get(rule.code, ()):
        value = params.get(spec.name)
        if spec.kind == "carriers":
            text = "、".join(str(Carrier(item).label) for item in value or []) or _("无")
        elif spec.kind == "boolean":
            text = _("是") if value else _("否")
        elif spec.kind == "basis":
            text = str(Basis(value).label) if value in Basis.values else str(value)
        else:
            text = str(value)
        described.append((str(spec.label), text))
    return described


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def clean_params(code: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Check a rule's parameters (unknown keys refused, missing ones taken from the defaults); ValidationError
    with one Chinese message per problem."""
    specs = {spec.name: spec for spec in PARAM_SPECS.get(code, ())}
    problems: list[str] = []
    unknown = sorted(set(params) - set(specs))
    if unknown:
        problems.append(_("规则没有这些参数：%(names)s。") % {"names": "、".join(unknown)})
    cleaned = {name: value for name, value in default_params(code).items() if name in specs}
    for name, value in params.items():
        spec = specs.get(name)
        if spec is None:
            continue
        try:
            cleaned[name] = _clean_value(spec, value)
        except ValueError as error:
            problems.append(_("%(label)s：%(problem)s") % {"label": spec.label, "problem": error})
    if code == Code.JUMP and not problems and int(cleaned["min_months"]) > int(cleaned["window_months"]):
        problems.append(_("最少月数不能大于对照月数。"))
    if problems:
        raise ValidationError({"params": problems})
    return cleaned


def _clean_value(spec: ParamSpec, value: Any) -> Any:
    if spec.kind == "carriers":
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            raise ValueError(_("应为品种代码的列表。"))
        wrong = [item for item in value if item not in Carrier.values]
        if wrong:
            raise ValueError(_("未知的品种：%(names)s") % {"names": "、".join(wrong)})
        return [carrier for carrier in Carrier.values if carrier in value]  # the form's order, no repeats
    if spec.kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(_("应为 true 或 false。"))
        return value
    if spec.kind == "basis":
        if value not in Basis.values:
            raise ValueError(_("应为 %(values)s 之一。") % {"values": "、".join(Basis.values)})
        return value
    if isinstance(value, bool):
        raise ValueError(_("应为数字。"))
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("应为数字。")) from None
    if not number.is_finite():
        raise ValueError(_("应为数字。"))
    if spec.kind == "integer" and number != number.to_integral_value():
        raise ValueError(_("应为整数。"))
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(_("不能小于 %(minimum)s。") % {"minimum": _plain(spec.minimum)})
    if spec.maximum is not None and number > spec.maximum:
        raise ValueError(_("不能大于 %(maximum)s。") % {"maximum": _plain(spec.maximum)})
    return int(number) if spec.kind == "integer" else _json_number(number)


# --- what the rules read --------------------------------------------------------------------------------------------


def _index(year: int, month: int) -> int:
    """Months counted from year 0, so that a window of months is a range of integers."""
    return year * 12 + month - 1


def _year_month(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class _Reading:
    amount: Decimal
    measure: str


@dataclass(frozen=True)
class _Info:
    institution_type: str
    floor_area: Decimal
    headcount: int


@dataclass
class _Ledger:
    """The consumption and basic information of the checked units over the years the rules need."""

    series: dict[tuple[int, str], dict[int, _Reading]]  # (unit, carrier) -> month index -> reading
    info: dict[tuple[int, int], _Info]  # (unit, year) -> basic information
    reported: set[tuple[int, int]]  # (unit, year) with any consumption

    @classmethod
    def load(cls, unit_ids: list[int], years: set[int]) -> _Ledger:
        series: dict[tuple[int, str], dict[int, _Reading]] = defaultdict(dict)
        reported: set[tuple[int, int]] = set()
        rows = Consumption.objects.filter(unit_id__in=unit_ids, year__in=sorted(years)).values_list(
            "unit_id", "year", "month", "carrier", "amount", "measure"
        )
        for unit_id, year, month, carrier, amount, measure in rows.order_by():
            series[(unit_id, carrier)][_index(year, month)] = _Reading(amount, measure)
            reported.add((unit_id, year))
        info = {
            (unit_id, year): _Info(institution_type, floor_area, headcount)
            for unit_id, year, institution_type, floor_area, headcount in BasicInfo.objects.filter(
                unit_id__in=unit_ids, year__in=sorted(years)
            )
            .order_by()
            .values_list("unit_id", "year", "institution_type", "floor_area", "headcount")
        }
        return cls(series=series, info=info, reported=reported)

    def months(self, unit_id: int, carrier: str, years: set[int]) -> Iterator[tuple[int, _Reading]]:
        for index, reading in self.series.get((unit_id, carrier), {}).items():
            if index // 12 in years:
                yield index, reading


@dataclass(frozen=True)
class Problem:
    """What a rule found: the flag it opens or keeps open."""

    unit_id: int
    rule: str
    key: str
    year: int
    month: int | None
    carrier: str
    message: str

    @property
    def identity(self) -> tuple[int, str, str]:
        return (self.unit_id, self.rule, self.key)


def month_key(year: int, month: int, carrier: str) -> str:
    return f"{year}-{month:02d}:{carrier}"


def _month_problem(rule: str, unit_id: int, index: int, carrier: str, message: str) -> Problem:
    year, month = _year_month(index)
    return Problem(unit_id, rule, month_key(year, month, carrier), year, month, carrier, message)


def _plain(value: Decimal) -> str:
    """12000.000 → 12000, 0.50 → 0.5."""
    text = format(value.normalize(), "f")
    return text


def _when(year: int, month: int) -> str:
    return _("%(year)s年%(month)s月") % {"year": year, "month": month}


def _amount(reading: _Reading) -> str:
    return f"{_plain(reading.amount)} {reading.measure}"


# --- the rules ------------------------------------------------------------------------------------------------------


def last_due_month(year: int, as_of: datetime.date, due_day: int) -> int:
    """The last month of `year` that should be reported on `as_of` (0 for none)."""
    if year < as_of.year:
        return 12
    if year > as_of.year:
        return 0
    due = [month for month in range(1, 12) if datetime.date(year, month + 1, due_day) <= as_of]
    return max(due, default=0)


def _missing_months(
    ledger: _Ledger, unit_ids: list[int], years: set[int], params: dict[str, Any], as_of: datetime.date
) -> Iterator[Problem]:
    carriers = list(params["carriers"])
    for unit_id in unit_ids:
        for year in sorted(years):
            if (unit_id, year) not in ledger.reported and (unit_id, year) not in ledger.info:
                continue
            for month in range(1, last_due_month(year, as_of, int(params["due_day"])) + 1):
                for carrier in carriers:
                    if _index(year, month) not in ledger.series.get((unit_id, carrier), {}):
                        yield _month_problem(
                            Code.MISSING_MONTH,
                            unit_id,
                            _index(year, month),
                            carrier,
                            _("%(when)s%(carrier)s未填报。")
                            % {"when": _when(year, month), "carrier": Carrier(carrier).label},
                        )


def _non_positive(
    ledger: _Ledger, unit_ids: list[int], years: set[int], params: dict[str, Any]
) -> Iterator[Problem]:
    zero_allowed = set(params["zero_allowed"])
    for unit_id in unit_ids:
        for carrier in Carrier.values:
            for index, reading in ledger.months(unit_id, carrier, years):
                label = Carrier(carrier).label
                when = _when(*_year_month(index))
                if reading.amount < 0:
                    message = _("%(when)s%(carrier)s用量为负数（%(amount)s）。") % {
                        "when": when,
                        "carrier": label,
                        "amount": _amount(reading),
                    }
                elif reading.amount == 0 and carrier not in zero_allowed:
                    message = _("%(when)s%(carrier)s用量为零，该品种每月都应有消耗。") % {
                        "when": when,
                        "carrier": label,
                    }
                else:
                    continue
                yield _month_problem(Code.NON_POSITIVE, unit_id, index, carrier, message)


def _jumps(
    ledger: _Ledger, unit_ids: list[int], years: set[int], params: dict[str, Any]
) -> Iterator[Problem]:
    factor = Decimal(str(params["factor"]))
    window = int(params["window_months"])
    min_months = int(params["min_months"])
    for unit_id in unit_ids:
        for carrier in Carrier.values:
            readings = ledger.series.get((unit_id, carrier), {})
            for index, reading in ledger.months(unit_id, carrier, years):
                if reading.amount <= 0:
                    continue  # the non_positive rule's concern
                before = [readings[i].amount for i in range(index - window, index) if i in readings]
                if len(before) < min_months:
                    continue
                median = Decimal(statistics.median(before))
                if median <= 0:
                    continue
                values = {
                    "when": _when(*_year_month(index)),
                    "carrier": Carrier(carrier).label,
                    "amount": _amount(reading),
                    "months": window,
                    "median": _plain(median.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)),
                    "factor": _plain(factor),
                }
                if reading.amount > factor * median:
                    values["ratio"] = _plain((reading.amount / median).quantize(Decimal("0.1")))
                    message = _(
                        "%(when)s%(carrier)s %(amount)s，偏高：是前 %(months)s 个月中位数 %(median)s 的 "
                        "%(ratio)s 倍（超过 %(factor)s 倍）。"
                    )
                elif reading.amount * factor < median:
                    values["ratio"] = _plain((reading.amount * 100 / median).quantize(Decimal("0.1")))
                    message = _(
                        "%(when)s%(carrier)s %(amount)s，偏低：仅为前 %(months)s 个月中位数 %(median)s 的 "
                        "%(ratio)s%%（不到 1/%(factor)s）。"
                    )
                else:
                    continue
                yield _month_problem(Code.JUMP, unit_id, index, carrier, message % values)


def _duplicates(
    ledger: _Ledger, unit_ids: list[int], years: set[int], params: dict[str, Any]
) -> Iterator[Problem]:
    minimum = Decimal(str(params["min_amount"]))
    for unit_id in unit_ids:
        for carrier in params["carriers"]:
            readings = ledger.series.get((unit_id, carrier), {})
            for index, reading in ledger.months(unit_id, carrier, years):
                previous = readings.get(index - 1)
                if (
                    previous is None
                    or reading.amount <= 0
                    or reading.amount < minimum
                    or (previous.amount, previous.measure) != (reading.amount, reading.measure)
                ):
                    continue
                message = _("%(when)s%(carrier)s %(amount)s 与上月完全相同，可能是复制了上月的行。") % {
                    "when": _when(*_year_month(index)),
                    "carrier": Carrier(carrier).label,
                    "amount": _amount(reading),
                }
                yield _month_problem(Code.DUPLICATE, unit_id, index, carrier, message)


# Each indicator's name and measure as a flag's message writes them.
_INDICATOR_TEXT = {
    Indicator.AREA_ENERGY: (gettext_lazy("单位建筑面积能耗"), "kgce/m²"),
    Indicator.PER_CAPITA_ENERGY: (gettext_lazy("人均综合能耗"), gettext_lazy("kgce/人")),
    Indicator.PER_CAPITA_WATER: (gettext_lazy("人均用水量"), gettext_lazy("m³/人")),
}


def _intensities(
    ledger: _Ledger,
    unit_ids: list[int],
    years: set[int],
    params: dict[str, Any],
    ranges: dict[str, list[IntensityRange]],
    coefficients: Callable[[int], Coefficients],
) -> Iterator[Problem]:
    complete = bool(params["require_complete_year"])
    for unit_id in unit_ids:
        for year in sorted(years):
            info = ledger.info.get((unit_id, year))
            if info is None or info.institution_type not in ranges or (unit_id, year) not in ledger.reported:
                continue
            values = _year_indicators(ledger, unit_id, year, info, coefficients(year), complete)
            for bounds in ranges[info.institution_type]:
                value = values.get(bounds.indicator)
                if value is None or bounds.low <= value <= bounds.high:
                    continue
                name, measure = _INDICATOR_TEXT[Indicator(bounds.indicator)]
                figures = {
                    "year": year,
                    "indicator": name,
                    "value": _plain(value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)),
                    "measure": measure,
                    "type": info.institution_type,
                    "low": _plain(bounds.low),
                    "high": _plain(bounds.high),
                }
                template = (
                    _(
                        "%(year)s年%(indicator)s %(value)s %(measure)s，低于类型 %(type)s 的合理范围 %(low)s–%(high)s。"
                    )
                    if value < bounds.low
                    else _(
                        "%(year)s年%(indicator)s %(value)s %(measure)s，高于类型 %(type)s 的合理范围 %(low)s–%(high)s。"
                    )
                )
                yield Problem(
                    unit_id, Code.INTENSITY, f"{year}:{bounds.indicator}", year, None, "", template % figures
                )


def _year_indicators(
    ledger: _Ledger, unit_id: int, year: int, info: _Info, coefficients: Coefficients, complete: bool
) -> dict[str, Decimal]:
    """The unit's indicators of a year that can be judged (complete enough, convertible, with a denominator)."""
    months: dict[str, int] = {}
    energy = Decimal(0)
    water = Decimal(0)
    convertible = True
    for carrier in Carrier.values:
        readings = list(ledger.months(unit_id, carrier, {year}))
        months[carrier] = len(readings)
        for _month_index, reading in readings:
            if carrier == Carrier.WATER:
                water += reading.amount
                continue
            try:
                energy += coefficients.kgce(carrier, reading.measure, reading.amount)
            except ValidationError:
                convertible = False  # a coefficient is missing: the energy indicators cannot be judged
    found: dict[str, Decimal] = {}
    if convertible and (not complete or months[Carrier.ELECTRICITY] == 12):
        for indicator, denominator in (
            (Indicator.AREA_ENERGY, info.floor_area),
            (Indicator.PER_CAPITA_ENERGY, Decimal(info.headcount)),
        ):
            value = ratio(energy, denominator)
            if value is not None:
                found[indicator] = value
    if not complete or months[Carrier.WATER] == 12:
        value = ratio(water, info.headcount)
        if value is not None:
            found[Indicator.PER_CAPITA_WATER] = value
    return found


# --- recheck --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecheckResult:
    opened: int = 0
    resolved: int = 0
    reopened: int = 0

    def __add__(self, other: RecheckResult) -> RecheckResult:
        return RecheckResult(
            self.opened + other.opened, self.resolved + other.resolved, self.reopened + other.reopened
        )


def recheck(*, unit_ids: Iterable[int], years: Iterable[int], as_of: datetime.date | None = None) -> None:
    """Run every active rule for these units and years and bring their flags in step (see the module's text)."""
    run_recheck(unit_ids=unit_ids, years=years, as_of=as_of)


@transaction.atomic
def run_recheck(
    *, unit_ids: Iterable[int], years: Iterable[int], as_of: datetime.date | None = None
) -> RecheckResult:
    """`recheck`, answering how many flags it opened, resolved and reopened. A fixed number of queries: the
    rules, the ranges, the consumption and basic information, the coefficient tables, the flags, two writes."""
    units = sorted(set(unit_ids))
    checked = set(years)
    if not units or not checked:
        return RecheckResult()
    today = as_of or timezone.localdate()
    rules = {rule.code: rule for rule in QualityRule.objects.all()}
    active = {code: params_of(rule) for code, rule in rules.items() if rule.is_active}

    # The years each rule judges: the given ones, and for the rules that look back the years after them that
    # the changed months reach. The data loaded covers those years and the months the rules look back on.
    domains: dict[str, set[int]] = {code: set(checked) for code in Code.values}
    reach = {
        Code.JUMP: math.ceil(int(active[Code.JUMP]["window_months"]) / 12) if Code.JUMP in active else 0,
        Code.DUPLICATE: 1 if Code.DUPLICATE in active else 0,
    }
    for code, years_ahead in reach.items():
        domains[code] |= {
            year + ahead
            for year in checked
            for ahead in range(1, years_ahead + 1)
            if year + ahead <= today.year
        }
    back = max(reach.values())
    judged = set().union(*domains.values())
    loaded = {year - behind for year in judged for behind in range(back + 1)}
    ledger = _Ledger.load(units, loaded)

    with translation.override(settings.LANGUAGE_CODE):
        found: dict[tuple[int, str, str], Problem] = {}
        for problem in _problems(ledger, units, domains, active, today):
            found[problem.identity] = problem
        return _sync(units, domains, found, active_codes=set(active))


def _problems(
    ledger: _Ledger,
    units: list[int],
    domains: dict[str, set[int]],
    active: dict[str, dict[str, Any]],
    today: datetime.date,
) -> Iterator[Problem]:
    if Code.MISSING_MONTH in active:
        yield from _missing_months(
            ledger, units, domains[Code.MISSING_MONTH], active[Code.MISSING_MONTH], today
        )
    if Code.NON_POSITIVE in active:
        yield from _non_positive(ledger, units, domains[Code.NON_POSITIVE], active[Code.NON_POSITIVE])
    if Code.JUMP in active:
        yield from _jumps(ledger, units, domains[Code.JUMP], active[Code.JUMP])
    if Code.DUPLICATE in active:
        yield from _duplicates(ledger, units, domains[Code.DUPLICATE], active[Code.DUPLICATE])
    if Code.INTENSITY in active:
        params = active[Code.INTENSITY]
        ranges: dict[str, list[IntensityRange]] = defaultdict(list)
        for bounds in IntensityRange.objects.order_by("institution_type", "indicator"):
            ranges[bounds.institution_type].append(bounds)
        years = domains[Code.INTENSITY]
        judged = {
            year
            for (unit_id, year), info in ledger.info.items()
            if year in years and info.institution_type in ranges
        }
        if judged:
            tables = coefficients_for_years(judged, params["basis"])
            yield from _intensities(ledger, units, years, params, ranges, tables.__getitem__)


def _sync(
    units: list[int],
    domains: dict[str, set[int]],
    found: dict[tuple[int, str, str], Problem],
    *,
    active_codes: set[str],
) -> RecheckResult:
    now = timezone.now()
    changed: list[QualityFlag] = []
    resolved = reopened = 0
    every_year = sorted(set().union(*domains.values()))
    flags = QualityFlag.objects.filter(unit_id__in=units, year__in=every_year)
    for flag in flags.only("pk", "unit_id", "rule", "key", "year", "status", "message"):
        if flag.year not in domains.get(flag.rule, set()):
            continue
        problem = found.pop((flag.unit_id, flag.rule, flag.key), None)
        if flag.status == Status.ACCEPTED:
            continue  # a person's decision: left alone, whether the problem is still found or not
        if problem is None:
            if flag.status == Status.OPEN:
                flag.status = Status.RESOLVED
                flag.closed_at = now
                flag.closed_by = None
                flag.note = _("数据已更正") if flag.rule in active_codes else _("规则已停用")
                changed.append(flag)
                resolved += 1
        elif flag.status == Status.RESOLVED:
            flag.status = Status.OPEN
            flag.closed_at = None
            flag.closed_by = None
            flag.note = ""
            flag.message = problem.message
            changed.append(flag)
            reopened += 1
        elif flag.message != problem.message:
            flag.message = problem.message
            changed.append(flag)
    if changed:
        QualityFlag.objects.bulk_update(changed, ["status", "closed_at", "closed_by", "note", "message"])
    new = [
        QualityFlag(
            unit_id=problem.unit_id,
            rule=problem.rule,
            key=problem.key,
            year=problem.year,
            month=problem.month,
            carrier=problem.carrier,
            message=problem.message,
        )
        for problem in found.values()
    ]
    if new:
        # A concurrent recheck of the same unit may have opened the same flag: it stands.
        QualityFlag.objects.bulk_create(new, ignore_conflicts=True)
    return RecheckResult(opened=len(new), resolved=resolved, reopened=reopened)


# --- rechecking a scope ---------------------------------------------------------------------------------------------


def recheck_units(user: User) -> QuerySet[Unit]:
    """The units a user's recheck covers: the ledger units they may change."""
    return kept_ledger_units(user)


def can_recheck(user: User) -> bool:
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or bool(jurisdiction.managed_paths)


@dataclass(frozen=True)
class RecheckRequest:
    units: int
    queued: bool
    result: RecheckResult | None = None  # when run at once


def recheck_scope(*, by: User, year: int, as_of: datetime.date | None = None) -> RecheckRequest:
    """重新检查: rerun the rules for a year over the units of the user's scope (an office or the administrator),
    at once for a few units, by the task runner for more."""
    if not can_recheck(by):
        raise PermissionDenied(_("只有创建办和系统管理员可以重新检查。"))
    try:
        for validator in YEAR_VALIDATORS:
            validator(year)
    except ValidationError:
        raise ValidationError({"year": _("请填写 2000–2100 之间的年份。")}) from None
    day = as_of or timezone.localdate()
    count = recheck_units(by).count()
    if count > INLINE_RECHECK_UNITS:
        recheck_scope_task.enqueue(by.pk, year, day.isoformat())
        return RecheckRequest(units=count, queued=True)
    return RecheckRequest(units=count, queued=False, result=_recheck_scope(by, year, day))


def _recheck_scope(user: User, year: int, as_of: datetime.date) -> RecheckResult:
    ids = list(recheck_units(user).order_by("pk").values_list("pk", flat=True))
    total = RecheckResult()
    for start in range(0, len(ids), RECHECK_CHUNK):
        total += run_recheck(unit_ids=ids[start : start + RECHECK_CHUNK], years=[year], as_of=as_of)
    return total


@task()
def recheck_scope_task(user_id: int, year: int, as_of_iso: str) -> int:
    """The task body of a large `recheck_scope`: the number of flags opened."""
    user = User.objects.get(pk=user_id)
    return _recheck_scope(user, year, datetime.date.fromisoformat(as_of_iso)).opened


# --- reading flags --------------------------------------------------------------------------------------------------


def visible_flags(user: User | AnonymousUser) -> QuerySet[QualityFlag]:
    """The flags of the ledger units the user may see."""
    return QualityFlag.objects.filter(unit__in=ledger_units(user))


def access_flag_by_id(user: User | AnonymousUser, flag_id: Any, *, for_change: bool = False) -> QualityFlag:
    """A flag of a unit in the user's scope (404 outside it); with `for_change`, 403 when the user may only
    read the unit."""
    flag = _get_or_404(visible_flags(user).select_related("unit__region", "closed_by"), pk=flag_id)
    if for_change and not can_change_ledger(user, flag.unit):
        raise PermissionDenied
    return flag


def changeable_unit_ids(user: User, unit_ids: Iterable[int]) -> set[int]:
    """Which of these units the user may change (one query, for the action buttons of a page of flags)."""
    return set(kept_ledger_units(user).filter(pk__in=set(unit_ids)).values_list("pk", flat=True))


# --- people's decisions and the rule tables ------------------------------------------------------------------------


def _require_changer(by: User, flag: QualityFlag) -> None:
    if not can_change_ledger(by, flag.unit):
        raise PermissionDenied(_("您只能查看该单位的台账，不能处理它的数据质量问题。"))


@transaction.atomic
def accept_flag(*, by: User, flag: QualityFlag, note: str) -> QualityFlag:
    """确认无误: the figure is right (a building closed for a month); the flag stays accepted whatever later
    checks find, until someone reopens it."""
    flag = QualityFlag.objects.select_for_update().get(pk=flag.pk)
    _require_changer(by, flag)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("请说明数据为什么无误，如“该月办公楼停用装修”。")})
    if flag.status != Status.OPEN:
        raise ValidationError(_("只有待更正的问题可以确认无误。"))
    flag.status = Status.ACCEPTED
    flag.closed_at = timezone.now()
    flag.closed_by = by
    flag.note = note
    flag.full_clean()
    with set_actor(by):
        flag.save()
    return flag


@transaction.atomic
def reopen_flag(*, by: User, flag: QualityFlag) -> QualityFlag:
    """重新打开 an accepted flag: it is open again, and the next check resolves it if the data is right by then."""
    flag = QualityFlag.objects.select_for_update().get(pk=flag.pk)
    _require_changer(by, flag)
    if flag.status != Status.ACCEPTED:
        raise ValidationError(_("只有已确认无误的问题可以重新打开。"))
    flag.status = Status.OPEN
    flag.closed_at = None
    flag.closed_by = None
    flag.note = ""
    flag.full_clean()
    with set_actor(by):
        flag.save()
    return flag


def open_flag_count(units: QuerySet[Unit]) -> int:
    return QualityFlag.objects.filter(status=Status.OPEN, unit__in=units).count()


def can_edit_rules(user: User) -> bool:
    return jurisdiction_of(user).is_admin


def can_read_rules(user: User) -> bool:
    """The rule tables are read by every signed-in user with a role."""
    jurisdiction = jurisdiction_of(user)
    return jurisdiction.is_admin or bool(jurisdiction.roles)


def _require_admin(by: User) -> None:
    if not can_edit_rules(by):
        raise PermissionDenied(_("只有系统管理员可以修改数据质量规则。"))


@transaction.atomic
def update_rule(
    *,
    by: User,
    rule: QualityRule,
    is_active: bool,
    params: Mapping[str, Any],
    description: str | None = None,
) -> QualityRule:
    """Change a rule's switch, thresholds or description. Nothing is rechecked here: the flags follow at the
    next write of the data or a 重新检查."""
    _require_admin(by)
    rule = QualityRule.objects.select_for_update().get(pk=rule.pk)
    rule.is_active = is_active
    rule.params = clean_params(rule.code, params)
    if description is not None:
        rule.description = description.strip()
    rule.full_clean()
    with set_actor(by):
        rule.save()
    return rule


RANGE_FIELDS = ("low", "high", "source", "needs_confirmation", "note")


def _check_range(bounds: IntensityRange) -> None:
    if bounds.low < 0:
        raise ValidationError({"low": _("下限不能为负数。")})
    if bounds.low >= bounds.high:
        raise ValidationError({"high": _("上限须大于下限。")})
    if not bounds.source.strip():
        raise ValidationError({"source": _("请写明依据，如所用的统计数据或文件。")})


@transaction.atomic
def update_range(*, by: User, intensity_range: IntensityRange, changes: Mapping[str, Any]) -> IntensityRange:
    """Change an intensity range (`RANGE_FIELDS`)."""
    _require_admin(by)
    unknown = set(changes) - set(RANGE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    bounds = IntensityRange.objects.select_for_update().get(pk=intensity_range.pk)
    for name, value in changes.items():
        setattr(bounds, name, value.strip() if isinstance(value, str) else value)
    _check_range(bounds)
    bounds.full_clean()
    with set_actor(by):
        bounds.save()
    return bounds


@transaction.atomic
def create_range(
    *,
    by: User,
    institution_type: str,
    indicator: str,
    low: Decimal,
    high: Decimal,
    source: str,
    needs_confirmation: bool = False,
    note: str = "",
) -> IntensityRange:
    """A range for a type (and indicator) that has none yet, so that the intensity rule judges it."""
    _require_admin(by)
    if IntensityRange.objects.filter(institution_type=institution_type, indicator=indicator).exists():
        raise ValidationError({"indicator": _("该类型的这一指标已有合理范围，请修改原有的。")})
    bounds = IntensityRange(
        institution_type=institution_type,
        indicator=indicator,
        low=low,
        high=high,
        source=source.strip(),
        needs_confirmation=needs_confirmation,
        note=note.strip(),
    )
    _check_range(bounds)
    bounds.full_clean()
    with set_actor(by):
        bounds.save()
    return bounds
