"""Every write of a unit's records: one function, one transaction, keyword-only with `by` first (STYLE habit 1).

Callers reach the unit through `selectors.access_ledger_unit(..., for_change=True)`; each service checks again
that `by` may change it (`by=None` is the system: the demo, tests). Rows are saved one at a time under
`set_actor(by)`, so the audit trail has every change with its actor; a row whose values did not change is not
written again. Amounts are kept as reported, negative and zero included: the quality rules flag them
(`ledgers.quality`), which run at the end of every write of consumption or basic information.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.ledgers import quality
from lvchuang.ledgers.models import (
    BasicInfo,
    Carrier,
    Consumption,
    DataRoom,
    GarbageRemoval,
    Heating,
    Measure,
    Meter,
    MeterReading,
)
from lvchuang.ledgers.selectors import (
    FIRST_YEAR,
    LAST_YEAR,
    MONTHS,
    allowed_measures,
    can_change_ledger,
    keeps_ledger,
)
from lvchuang.organisations.models import Unit

AMOUNT_DIGITS = 16  # Consumption.amount and MeterReading.amount: DecimalField(16, 3)
AMOUNT_PLACES = 3
METER_FIELDS = ("number", "name", "scope", "purpose", "carrier", "location", "installed_on")


def cell_key(month: int, carrier: str) -> str:
    """The name of a month sheet's cell in errors and forms: "m3_electricity"."""
    return f"m{month}_{carrier}"


def _require_change(by: User | None, unit: Unit) -> None:
    if by is not None and not can_change_ledger(by, unit):
        raise PermissionDenied(_("您不能修改该单位的台账。"))
    if not keeps_ledger(unit):
        raise ValidationError(_("“%(unit)s”不是公共机构，不填报能源资源消费台账。") % {"unit": unit.name})


def _amount_problem(amount: Decimal) -> str | None:
    """Why an amount cannot be stored, or None. Its sign is not a problem (the quality rules judge that)."""
    if not amount.is_finite():
        return _("请填写数字。")
    _sign, digits, exponent = amount.as_tuple()
    places = max(0, -int(exponent))
    whole = max(0, len(digits) + int(exponent))
    if places > AMOUNT_PLACES:
        return _("最多保留 %(n)s 位小数。") % {"n": AMOUNT_PLACES}
    if whole > AMOUNT_DIGITS - AMOUNT_PLACES:
        return _("数值过大，整数部分最多 %(n)s 位。") % {"n": AMOUNT_DIGITS - AMOUNT_PLACES}
    return None


def _measure_problem(carrier: str, measure: str) -> str | None:
    allowed = allowed_measures(carrier)
    if measure in allowed:
        return None
    label = Carrier(carrier).label
    if measure == Measure.LITRE:
        return _("%(carrier)s不能以升填报：升只适用于汽油、柴油和煤油。") % {"carrier": label}
    names = "、".join(str(Measure(m).label) for m in allowed)
    return _("%(carrier)s的计量单位应为%(measures)s。") % {"carrier": label, "measures": names}


def _recheck(unit: Unit, year: int) -> None:
    """Run the quality rules for what was just written, inside the same transaction."""
    quality.recheck(unit_ids=[unit.pk], years=[year])


# --- basic information -----------------------------------------------------------------------------------------


@transaction.atomic
def save_basic_info(
    *,
    by: User | None,
    unit: Unit,
    year: int,
    institution_type: str,
    floor_area: Decimal,
    headcount: int,
    heated_area: Decimal | None = None,
) -> BasicInfo:
    """基本信息表 of a year: created, or changed where a figure differs (an unchanged form writes nothing)."""
    _require_change(by, unit)
    info = BasicInfo.objects.select_for_update().filter(unit=unit, year=year).first()
    created = info is None
    if info is None:
        info = BasicInfo(unit=unit, year=year)
    values = {
        "institution_type": institution_type,
        "floor_area": floor_area,
        "headcount": headcount,
        "heated_area": heated_area,
    }
    changed = created or any(getattr(info, name) != value for name, value in values.items())
    if not changed:
        return info
    for name, value in values.items():
        setattr(info, name, value)
    info.unit = unit
    info.updated_by = by
    info.full_clean(exclude=["unit", "updated_by"])  # the objects at hand; uniqueness is the row locked above
    with set_actor(by):
        info.save()
    _recheck(unit, year)
    return info


# --- monthly consumption ---------------------------------------------------------------------------------------


@transaction.atomic
def save_month_sheet(
    *,
    by: User | None,
    unit: Unit,
    year: int,
    values: Mapping[tuple[int, str], tuple[Decimal | None, str]],
) -> int:
    """Write the cells of a year's month sheet: {(month, carrier): (amount, measure)}, an amount of None
    deleting the cell. Cells not given are left as they are. Returns the number of rows created, changed or
    deleted. Every cell is checked before anything is written; the errors name the cell (`cell_key`)."""
    _require_change(by, unit)
    errors: dict[str, list[str]] = {}
    for (month, carrier), (amount, measure) in values.items():
        key = cell_key(month, carrier)
        if month not in MONTHS:
            errors.setdefault(key, []).append(_("月份应为 1 到 12。"))
        if carrier not in Carrier.values:
            errors.setdefault(key, []).append(_("未知的品种：%(carrier)s。") % {"carrier": carrier})
            continue
        if amount is None:
            continue
        problem = _amount_problem(amount) or _measure_problem(carrier, measure)
        if problem:
            errors.setdefault(key, []).append(problem)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors.setdefault("year", []).append(_("年份应在 2000 到 2100 之间。"))
    if errors:
        raise ValidationError(errors)

    existing = {
        (row.month, row.carrier): row
        for row in Consumption.objects.select_for_update().filter(unit=unit, year=year)
    }
    now = timezone.now()
    changed = 0
    with set_actor(by):
        for (month, carrier), (amount, measure) in sorted(values.items()):
            row = existing.get((month, carrier))
            if amount is None:
                if row is not None:
                    row.unit = unit  # the audit entry reads the unit's region
                    row.delete()
                    changed += 1
                continue
            if row is not None and row.amount == amount and row.measure == measure:
                continue
            if row is None:
                row = Consumption(unit=unit, year=year, month=month, carrier=carrier)
            row.unit = unit
            row.amount = amount
            row.measure = measure
            row.batch = None  # typed in by hand: no longer what a file wrote
            row.updated_by = by
            row.updated_at = now
            # The unit and user are the objects at hand and the key was read under lock above.
            row.full_clean(exclude=["unit", "updated_by", "batch"], validate_constraints=False)
            row.save()
            changed += 1
    if changed:
        _recheck(unit, year)
    return changed


# --- meters ----------------------------------------------------------------------------------------------------


def _check_meter_number(meter: Meter) -> None:
    meter.number = meter.number.strip()
    if not meter.number:
        raise ValidationError({"number": _("请填写表号。")})
    clash = Meter.objects.filter(unit_id=meter.unit_id, number=meter.number).exclude(pk=meter.pk)
    if clash.exists():
        raise ValidationError(
            {"number": _("本单位已有表号为“%(number)s”的计量器具。") % {"number": meter.number}}
        )


@transaction.atomic
def create_meter(
    *,
    by: User | None,
    unit: Unit,
    number: str,
    name: str,
    scope: str,
    purpose: str,
    carrier: str,
    location: str = "",
    installed_on: datetime.date | None = None,
) -> Meter:
    """A meter of the unit (分户 / 分区 / 分项) with its purpose; the number is unique within the unit."""
    _require_change(by, unit)
    meter = Meter(
        unit=unit,
        number=number,
        name=name.strip(),
        scope=scope,
        purpose=purpose,
        carrier=carrier,
        location=location.strip(),
        installed_on=installed_on,
    )
    _check_meter_number(meter)
    meter.full_clean(exclude=["unit"], validate_constraints=False)
    with set_actor(by):
        meter.save()
    return meter


@transaction.atomic
def update_meter(*, by: User | None, meter: Meter, changes: Mapping[str, Any]) -> Meter:
    """Change a meter's description (`METER_FIELDS`); a meter whose fields all stay the same is not written."""
    meter = Meter.objects.select_for_update(of=("self",)).select_related("unit__region").get(pk=meter.pk)
    _require_change(by, meter.unit)
    unknown = set(changes) - set(METER_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    if all(getattr(meter, name) == value for name, value in cleaned.items()):
        return meter
    for name, value in cleaned.items():
        setattr(meter, name, value)
    _check_meter_number(meter)
    meter.full_clean(exclude=["unit"], validate_constraints=False)
    with set_actor(by):
        meter.save()
    return meter


@transaction.atomic
def set_meter_active(*, by: User | None, meter: Meter, active: bool) -> Meter:
    """停用 / 启用: a meter taken out of service keeps its readings."""
    meter = Meter.objects.select_for_update(of=("self",)).select_related("unit__region").get(pk=meter.pk)
    _require_change(by, meter.unit)
    if meter.is_active != active:
        meter.is_active = active
        with set_actor(by):
            meter.save(update_fields=["is_active"])
    return meter


def deactivate_meter(*, by: User | None, meter: Meter) -> Meter:
    return set_meter_active(by=by, meter=meter, active=False)


@transaction.atomic
def save_meter_readings(
    *, by: User | None, meter: Meter, year: int, amounts: Mapping[int, Decimal | None]
) -> int:
    """A meter's readings of a year, {month: amount}; None deletes the month. Returns the rows changed."""
    meter = Meter.objects.select_for_update(of=("self",)).select_related("unit__region").get(pk=meter.pk)
    _require_change(by, meter.unit)
    errors: dict[str, list[str]] = {}
    for month, amount in amounts.items():
        if month not in MONTHS:
            errors.setdefault(f"m{month}", []).append(_("月份应为 1 到 12。"))
        elif amount is not None and (problem := _amount_problem(amount)):
            errors.setdefault(f"m{month}", []).append(problem)
    if errors:
        raise ValidationError(errors)
    existing = {
        row.month: row for row in MeterReading.objects.select_for_update().filter(meter=meter, year=year)
    }
    changed = 0
    with set_actor(by):
        for month, amount in sorted(amounts.items()):
            row = existing.get(month)
            if amount is None:
                if row is not None:
                    row.meter = meter
                    row.delete()
                    changed += 1
                continue
            if row is not None and row.amount == amount:
                continue
            if row is None:
                row = MeterReading(meter=meter, year=year, month=month)
            row.meter = meter
            row.amount = amount
            row.full_clean(exclude=["meter"], validate_constraints=False)
            row.save()
            changed += 1
    return changed


# --- data rooms and heating ------------------------------------------------------------------------------------


@transaction.atomic
def add_data_room(
    *,
    by: User | None,
    unit: Unit,
    year: int,
    name: str,
    area: Decimal,
    electricity_kwh: Decimal,
    racks: int = 0,
    it_load_kw: Decimal | None = None,
    pue: Decimal | None = None,
) -> DataRoom:
    """A row of the 数据中心机房表 of a year; a room's name is unique within the unit's year."""
    _require_change(by, unit)
    room = DataRoom(
        unit=unit,
        year=year,
        name=name.strip(),
        area=area,
        racks=racks,
        it_load_kw=it_load_kw,
        electricity_kwh=electricity_kwh,
        pue=pue,
    )
    if not room.name:
        raise ValidationError({"name": _("请填写机房名称。")})
    if DataRoom.objects.filter(unit=unit, year=year, name=room.name).exists():
        raise ValidationError(
            {"name": _("%(year)s 年已有名为“%(name)s”的机房。") % {"year": year, "name": room.name}}
        )
    room.full_clean(exclude=["unit"], validate_constraints=False)
    with set_actor(by):
        room.save()
    return room


@transaction.atomic
def delete_data_room(*, by: User | None, room: DataRoom) -> None:
    room = DataRoom.objects.select_for_update(of=("self",)).select_related("unit__region").get(pk=room.pk)
    _require_change(by, room.unit)
    with set_actor(by):
        room.delete()


@transaction.atomic
def save_heating(
    *,
    by: User | None,
    unit: Unit,
    year: int,
    mode: str,
    heated_area: Decimal = Decimal(0),
    heat_gj: Decimal | None = None,
    billed_by_heat: bool = True,
) -> Heating:
    """采暖表 of a year (one per year): created, or changed where a figure differs."""
    _require_change(by, unit)
    row = Heating.objects.select_for_update().filter(unit=unit, year=year).first()
    created = row is None
    if row is None:
        row = Heating(unit=unit, year=year)
    values = {"mode": mode, "heated_area": heated_area, "heat_gj": heat_gj, "billed_by_heat": billed_by_heat}
    if not created and all(getattr(row, name) == value for name, value in values.items()):
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.unit = unit
    row.full_clean(exclude=["unit"], validate_constraints=False)
    with set_actor(by):
        row.save()
    return row


# --- garbage removal -------------------------------------------------------------------------------------------


@transaction.atomic
def add_garbage_removal(
    *,
    by: User | None,
    unit: Unit,
    removed_on: datetime.date,
    category: str,
    weight_kg: Decimal,
    hauler: str,
    note: str = "",
) -> GarbageRemoval:
    """One removal of the 清运台账 (category, weight, hauler, date)."""
    _require_change(by, unit)
    removal = GarbageRemoval(
        unit=unit,
        removed_on=removed_on,
        category=category,
        weight_kg=weight_kg,
        hauler=hauler.strip(),
        note=note.strip(),
        created_by=by,
    )
    if not removal.hauler:
        raise ValidationError({"hauler": _("请填写清运单位。")})
    removal.full_clean(exclude=["unit", "created_by"])
    with set_actor(by):
        removal.save()
    return removal


@transaction.atomic
def delete_garbage_removal(*, by: User | None, removal: GarbageRemoval) -> None:
    """Undo a removal entered by mistake; the audit trail keeps what it was."""
    removal = (
        GarbageRemoval.objects.select_for_update(of=("self",))
        .select_related("unit__region")
        .get(pk=removal.pk)
    )
    _require_change(by, removal.unit)
    with set_actor(by):
        removal.delete()
