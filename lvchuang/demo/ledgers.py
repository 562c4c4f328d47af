"""The demo's resource ledgers: every organ of the city and its districts keeps monthly ledgers from 2020 to the
last complete year, against the 十四五 target the city office set, with a few mistakes left for the quality
rules to find.

- **Basic information.** Each organ gets a 统一社会信用代码 (a 机关 code of its county, with a valid check
  character) and a 基本信息表 per year: type 01, its floor area and 用能人数 (drawn like the loader's when the unit
  has none).
- **Consumption.** Electricity with Changsha's two peaks (air conditioning in July–August and heating by air
  conditioner in December–January, a low February for the Spring Festival), natural gas for the canteens,
  gasoline for official cars in litres, water with a summer high. Changsha lies south of the heating line: no heat.
  Each organ drifts from its 2020 level at its own pace; 长沙市机关事务管理局 cuts well below the target and
  长沙市发展和改革委员会 (whose self-assessment fails on its ★ target item, assessments.demo) uses more.
- **Meters** by end use (lighting, air conditioning, power, the data room of a few organs, canteen gas, water)
  with the last two years' readings, the data-room table, the heating table (无采暖) and a year of garbage
  removals.
- **Mistakes** the rules flag: a month not reported, a negative water reading, a month ten times too high and a
  month copied from the one before, in four district organs.

Rows are written with `bulk_create` (a bulk import writes the same way; a month form would audit each row), the
target through `ledgers.target_services` as the city office, and the quality rules run once at the end
(`ledgers.quality.recheck`). Organs that already keep ledgers since 2020 are left alone, so loading twice changes
nothing.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from lvchuang.accounts.models import Role
from lvchuang.assessments import services as assessments
from lvchuang.assessments.models import SelfAssessment
from lvchuang.demo import catalogue as c
from lvchuang.demo.campaigns import Builder, user_of
from lvchuang.ledgers import quality, target_services
from lvchuang.ledgers.models import (
    AnnualTarget,
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
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region

FIRST_YEAR = 2020  # the 十四五 base year
TARGET_PRESET = "shisiwu-2025"
MET_ORGAN = "长沙市机关事务管理局"  # cuts well below the target
MISSED_ORGAN = c.CITY_ORGAN_WITH_LOGIN[0]  # 长沙市发展和改革委员会: uses more than in 2020
DATA_ROOM_ORGANS = (
    "长沙市人民政府办公厅",
    "长沙市公安局",
    "长沙市统计局",
    "长沙市发展和改革委员会",
    "长沙市机关事务管理局",
)
READING_YEARS = 2  # meter readings for the last two complete years
BATCH = 2000

# Month profiles (mean 1): Changsha's summers and winters both run the air conditioners; February is the
# Spring Festival.
ELECTRICITY = (1.16, 0.84, 0.86, 0.78, 0.88, 1.06, 1.34, 1.38, 1.10, 0.82, 0.84, 1.10)
WATER = (0.86, 0.72, 0.92, 0.96, 1.04, 1.12, 1.22, 1.24, 1.10, 0.96, 0.92, 0.94)
CANTEEN_GAS = (1.10, 0.62, 1.02, 1.00, 1.00, 0.96, 0.94, 0.92, 1.02, 1.06, 1.12, 1.24)
CAR_FUEL = (1.00, 0.70, 1.02, 1.06, 1.04, 1.02, 1.00, 0.98, 1.04, 1.08, 1.04, 1.02)
NOISE = 0.04  # month-to-month scatter of a reading

HAULERS = {
    GarbageRemoval.Category.KITCHEN: "湘环餐厨垃圾收运有限公司",
    GarbageRemoval.Category.OTHER: "星沙环卫服务有限公司",
    GarbageRemoval.Category.RECYCLABLE: "绿源再生资源回收有限公司",
    GarbageRemoval.Category.HAZARDOUS: "湘江危险废物处置有限公司",
}

# GB 32100-2015: the check character of a 统一社会信用代码.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(body: str) -> str:
    """The 17 characters of a code followed by their check character."""
    total = sum(
        CREDIT_ALPHABET.index(char) * weight for char, weight in zip(body, CREDIT_WEIGHTS, strict=True)
    )
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class OrganPlan:
    unit: Unit
    floor_area: Decimal
    headcount: int
    electricity_kwh: float  # a year's, in 2020
    gas_m3: float  # 0: no canteen
    fuel_litres: float
    water_m3: float
    energy_change: float  # by 2025 versus 2020, e.g. -0.08
    water_change: float
    steady_staff: bool  # 用能人数 the same every year (the two organs whose target check the demo shows)
    data_room: bool

    def scale(self, year: int, change: float) -> float:
        """The year's level versus 2020: the five-year change spread evenly, and carried on after 2025."""
        return float((1 + change) ** ((year - FIRST_YEAR) / 5))


@dataclass
class Mistakes:
    """The deliberate errors: (unit, year, month) of each."""

    missing: tuple[int, int, int] | None = None
    negative: tuple[int, int, int] | None = None
    jump: tuple[int, int, int] | None = None
    copied: tuple[int, int, int] | None = None


def load_ledgers(builder: Builder) -> None:
    organs = sorted(
        (unit for unit in builder.ctx.units if unit.kind == Unit.Kind.ORGAN),
        key=lambda unit: (unit.region.code, unit.name),
    )
    last = builder.year - 1
    if last < FIRST_YEAR or not organs or BasicInfo.objects.filter(unit__in=organs, year=FIRST_YEAR).exists():
        return
    years = list(range(FIRST_YEAR, last + 1))
    _replace_stand_ins(organs, years, builder.ctx.city_office.region)
    rng = builder.ctx.rng("ledgers")
    _give_credit_codes(organs, rng)
    plans = [_plan(unit, rng) for unit in organs]
    clerk = user_of(Role.UNIT_STAFF, unit__name=MISSED_ORGAN)
    mistakes = _choose_mistakes([plan.unit for plan in plans], last, rng)
    infos = [info for plan in plans for info in _basic_info(plan, years, rng)]
    BasicInfo.objects.bulk_create(infos, batch_size=BATCH)
    monthly: dict[tuple[int, int, int, str], Decimal] = {}
    rows = []
    for plan in plans:
        entered_by = clerk.pk if clerk is not None and plan.unit.name == MISSED_ORGAN else None
        for year, month, carrier, amount, measure in _consumption(plan, years, rng, mistakes):
            monthly[(plan.unit.pk, year, month, carrier)] = amount
            rows.append(
                (plan.unit.pk, year, month, carrier, amount, measure, entered_by, _reported(month, year))
            )
    _insert(
        Consumption,
        ("unit", "year", "month", "carrier", "amount", "measure", "updated_by", "updated_at"),
        rows,
    )
    builder.report.add("ledger units", len(plans))
    builder.report.add("ledger years", len(infos))
    builder.report.add("monthly ledger rows", len(rows))
    _meters(builder, plans, years[-READING_YEARS:], monthly, rng)
    _heating_and_data_rooms(builder, plans, years, monthly, rng)
    _garbage(builder, plans, rng)
    city_user = user_of(Role.CITY_OFFICE, office=builder.ctx.city_office)
    if (
        city_user is not None
        and not AnnualTarget.objects.filter(region=builder.ctx.city_office.region).exists()
    ):
        target_services.create_annual_target_from_preset(
            by=city_user, office=builder.ctx.city_office, preset=TARGET_PRESET
        )
        builder.report.add("annual targets")
    quality.recheck(unit_ids=[plan.unit.pk for plan in plans], years=years, as_of=builder.today)
    builder.report.add(
        "quality flags", QualityFlag.objects.filter(unit__in=organs, status=QualityFlag.Status.OPEN).count()
    )
    # A draft's ★ target item is answered from the ledger (assessments.services): answer it from this one.
    for assessment in SelfAssessment.objects.filter(unit__in=organs, status=SelfAssessment.Status.DRAFT):
        assessments.refresh_computed_answers(assessment=assessment)


def _replace_stand_ins(organs: Sequence[Unit], years: Sequence[int], city: Region) -> None:
    """The self-assessment demo, loaded first, gives its organ a two-year ledger and a one-year target of its own
    when there is no ledger yet (assessments.demo); the full ledger and the city's 十四五 target replace them. A
    stand-in target is one no office user set."""
    Consumption.objects.filter(unit__in=organs, year__in=years).delete()
    BasicInfo.objects.filter(unit__in=organs, year__in=years).delete()
    AnnualTarget.objects.filter(created_by=None, year__in=years, region__path__startswith=city.path).delete()


# --- who the organs are -----------------------------------------------------------------------------------------


def _give_credit_codes(organs: Sequence[Unit], rng: random.Random) -> None:
    """A 机关 code (登记管理部门 1, 机构类别 1) of the organ's county for every organ without one."""
    taken = {unit.credit_code for unit in organs if unit.credit_code}
    missing = []
    for unit in organs:
        if unit.credit_code:
            continue
        code = ""
        while not code or code in taken:
            code = credit_code(f"11{unit.region.code[:6]}MB{rng.randint(0, 9_999_999):07d}")
        taken.add(code)
        unit.credit_code = code
        missing.append(unit)
    Unit.objects.bulk_update(missing, ["credit_code"], batch_size=BATCH)


def _plan(unit: Unit, rng: random.Random) -> OrganPlan:
    city = unit.region.level == Region.Level.CITY
    # The unit's own figures when it has them; the loader's ranges otherwise (demo.loader._organ).
    area = unit.floor_area or Decimal(rng.randint(400000, 2000000 if city else 1200000)) / 100
    headcount = unit.energy_headcount or max(20, round(float(area) / rng.uniform(28, 45)))
    if unit.name == MET_ORGAN:
        energy_change, water_change = -0.13, -0.12
    elif unit.name == MISSED_ORGAN:
        energy_change, water_change = 0.05, 0.03
    else:
        # Most organs save energy and water, about half of them as fast as the plan asks.
        energy_change, water_change = rng.uniform(-0.15, 0.01), rng.uniform(-0.14, 0.01)
    canteen = unit.name in (MET_ORGAN, MISSED_ORGAN) or rng.random() < 0.7
    return OrganPlan(
        unit=unit,
        floor_area=area,
        headcount=headcount,
        electricity_kwh=float(area) * rng.uniform(72, 102),
        gas_m3=headcount * rng.uniform(24, 42) if canteen else 0.0,
        fuel_litres=rng.uniform(2200, 4200) * max(1.0, headcount / 120),
        water_m3=headcount * rng.uniform(38, 62),
        energy_change=energy_change,
        water_change=water_change,
        steady_staff=unit.name in (MET_ORGAN, MISSED_ORGAN),
        data_room=unit.name in DATA_ROOM_ORGANS,
    )


def _basic_info(plan: OrganPlan, years: Sequence[int], rng: random.Random) -> Iterator[BasicInfo]:
    for year in years:
        staff = (
            plan.headcount if plan.steady_staff else max(10, round(plan.headcount * rng.uniform(0.97, 1.03)))
        )
        yield BasicInfo(
            unit=plan.unit,
            year=year,
            institution_type=Unit.InstitutionType.STATE_ORGAN,
            floor_area=plan.floor_area,
            headcount=staff,
        )


def _choose_mistakes(organs: Sequence[Unit], last: int, rng: random.Random) -> Mistakes:
    """Four district organs (never the two whose target check the demo shows), one mistake each."""
    district = [unit for unit in organs if unit.region.level == Region.Level.COUNTY]
    if len(district) < 4:
        return Mistakes()
    missing, negative, jump, copied = rng.sample(district, 4)
    return Mistakes(
        missing=(missing.pk, last, 4),
        negative=(negative.pk, last - 1 if last > FIRST_YEAR else last, 7),
        jump=(jump.pk, last, 9),
        copied=(copied.pk, last, 11),
    )


# --- the monthly ledger -----------------------------------------------------------------------------------------


@functools.cache
def _reported(month: int, year: int) -> Any:
    """When a month's figures were entered, as the database takes it: the 8th of the month after, mid-morning."""
    day = datetime.date(year + month // 12, month % 12 + 1, 8)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    return connection.ops.adapt_datetimefield_value(moment)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    assert field.column is not None
    return field.column


def _insert(model: type[Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT rows of plain values (ids, numbers, text, adapted datetimes): by COPY on PostgreSQL, many rows per
    statement on SQLite. The ledger is tens of thousands of rows; `bulk_create` would spend most of its time
    preparing each field of each row, and the demo must load in seconds."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        size = max(1, min(BATCH, (connection.features.max_query_params or 999) // len(fields)))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_marks] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def _consumption(
    plan: OrganPlan, years: Sequence[int], rng: random.Random, mistakes: Mistakes
) -> Iterator[tuple[int, int, str, Decimal, str]]:
    """(year, month, carrier, amount, measure) of each month the organ reported."""
    unit = plan.unit
    carriers: list[tuple[str, str, float, float, tuple[float, ...], str]] = [
        (Carrier.ELECTRICITY, Measure.KWH, plan.electricity_kwh, plan.energy_change, ELECTRICITY, "1"),
        (Carrier.WATER, Measure.M3, plan.water_m3, plan.water_change, WATER, "1"),
        (Carrier.GASOLINE, Measure.LITRE, plan.fuel_litres, plan.energy_change, CAR_FUEL, "0.1"),
    ]
    if plan.gas_m3:
        carriers.append((Carrier.NATURAL_GAS, Measure.M3, plan.gas_m3, plan.energy_change, CANTEEN_GAS, "1"))
    for carrier, measure, yearly, change, profile, step in carriers:
        previous: Decimal | None = None
        for year in years:
            level = yearly * plan.scale(year, change) / 12
            for month in range(1, 13):
                amount = Decimal(level * profile[month - 1] * rng.uniform(1 - NOISE, 1 + NOISE)).quantize(
                    Decimal(step)
                )
                if amount == previous:
                    amount += Decimal(step)  # an exact repeat is what the duplicate rule looks for
                where = (unit.pk, year, month)
                if carrier == Carrier.ELECTRICITY and where == mistakes.missing:
                    previous = None
                    continue
                if carrier == Carrier.ELECTRICITY and where == mistakes.jump:
                    amount *= 10  # a digit too many
                if carrier == Carrier.ELECTRICITY and where == mistakes.copied and previous is not None:
                    amount = previous  # last month's row copied
                if carrier == Carrier.WATER and where == mistakes.negative:
                    amount = -amount  # a meter reading subtracted the wrong way round
                previous = amount
                yield year, month, carrier, amount, measure


# --- meters, data rooms, heating, garbage -----------------------------------------------------------------------

# End-use meters: (number, name, purpose, carrier, share of the carrier's monthly total or None for the seasonal
# air conditioning).
METERS: tuple[tuple[str, str, str, str, float | None], ...] = (
    ("E-01", "照明插座", Meter.Purpose.LIGHTING, Carrier.ELECTRICITY, 0.30),
    ("E-02", "中央空调", Meter.Purpose.AIR_CONDITIONING, Carrier.ELECTRICITY, None),
    ("E-03", "电梯与水泵", Meter.Purpose.POWER, Carrier.ELECTRICITY, 0.11),
    ("E-04", "信息中心机房", Meter.Purpose.DATA_ROOM, Carrier.ELECTRICITY, 0.09),
    ("G-01", "食堂燃气", Meter.Purpose.KITCHEN, Carrier.NATURAL_GAS, 1.0),
    ("W-01", "供水总表", Meter.Purpose.WATER_SUPPLY, Carrier.WATER, 1.0),
)


def _air_conditioning_share(month: int) -> float:
    """The air conditioners' share of a month's electricity: 10 % in spring and autumn, up to 40 % at the peaks."""
    low, high = min(ELECTRICITY), max(ELECTRICITY)
    return 0.10 + 0.30 * (ELECTRICITY[month - 1] - low) / (high - low)


def _meters(
    builder: Builder,
    plans: Sequence[OrganPlan],
    years: Sequence[int],
    monthly: dict[tuple[int, int, int, str], Decimal],
    rng: random.Random,
) -> None:
    meters: list[Meter] = []
    for plan in plans:
        installed = datetime.date(FIRST_YEAR - 1, rng.randint(3, 11), rng.randint(1, 28))
        for number, name, purpose, carrier, _share in METERS:
            if purpose == Meter.Purpose.DATA_ROOM and not plan.data_room:
                continue
            if carrier == Carrier.NATURAL_GAS and not plan.gas_m3:
                continue
            meters.append(
                Meter(
                    unit=plan.unit,
                    number=number,
                    name=name,
                    scope=Meter.Scope.HOUSEHOLD if carrier == Carrier.WATER else Meter.Scope.ITEM,
                    purpose=purpose,
                    carrier=carrier,
                    location="地下一层配电房" if carrier == Carrier.ELECTRICITY else "一层设备间",
                    installed_on=installed,
                )
            )
    created = Meter.objects.bulk_create(meters, batch_size=BATCH)
    shares = {number: share for number, _name, _purpose, _carrier, share in METERS}
    readings = []
    for meter in created:
        for year in years:
            for month in range(1, 13):
                total = monthly.get((meter.unit_id, year, month, meter.carrier))
                if total is None or total <= 0:
                    continue
                share = shares[meter.number]
                fraction = _air_conditioning_share(month) if share is None else share
                amount = (total * Decimal(fraction * rng.uniform(0.97, 1.03))).quantize(Decimal(1))
                readings.append((meter.pk, year, month, min(amount, total), _reported(month, year)))
    _insert(MeterReading, ("meter", "year", "month", "amount", "updated_at"), readings)
    builder.report.add("meters", len(created))
    builder.report.add("meter readings", len(readings))


def _heating_and_data_rooms(
    builder: Builder,
    plans: Sequence[OrganPlan],
    years: Sequence[int],
    monthly: dict[tuple[int, int, int, str], Decimal],
    rng: random.Random,
) -> None:
    heating = [
        Heating(unit=plan.unit, year=year, mode=Heating.Mode.NONE, billed_by_heat=False)
        for plan in plans
        for year in years
    ]
    Heating.objects.bulk_create(heating, batch_size=BATCH)
    rooms = []
    for plan in plans:
        if not plan.data_room:
            continue
        area = Decimal(rng.randint(60, 160))
        racks = rng.randint(8, 30)
        for year in years:
            electricity = sum(
                (
                    monthly.get((plan.unit.pk, year, month, Carrier.ELECTRICITY), Decimal(0))
                    for month in range(1, 13)
                ),
                Decimal(0),
            )
            pue = Decimal(str(round(rng.uniform(1.55, 1.95), 2)))
            rooms.append(
                DataRoom(
                    unit=plan.unit,
                    year=year,
                    name="信息中心机房",
                    area=area,
                    racks=racks,
                    it_load_kw=Decimal(racks * 3),
                    electricity_kwh=(electricity * Decimal("0.09")).quantize(Decimal(1)),
                    pue=pue,
                )
            )
    DataRoom.objects.bulk_create(rooms, batch_size=BATCH)
    builder.report.add("data rooms", len(rooms))


def _garbage(builder: Builder, plans: Sequence[OrganPlan], rng: random.Random) -> None:
    """A year of removals up to yesterday: canteen waste every other week, other waste and recyclables monthly,
    hazardous waste (lamps, batteries, toner) each quarter."""
    today = builder.today
    removals = []
    for plan in plans:
        people = plan.headcount
        offset = rng.randint(0, 13)
        for back in range(365, 0, -1):
            day = today - datetime.timedelta(days=back)
            index = offset - back
            schedule = []
            if plan.gas_m3 and index % 14 == 0:
                schedule.append((GarbageRemoval.Category.KITCHEN, people * rng.uniform(0.9, 1.6)))
            if day.day == 5 + offset % 10:
                schedule.append((GarbageRemoval.Category.OTHER, people * rng.uniform(1.5, 2.6)))
                schedule.append((GarbageRemoval.Category.RECYCLABLE, people * rng.uniform(0.25, 0.6)))
                if day.month % 3 == 0:
                    schedule.append((GarbageRemoval.Category.HAZARDOUS, rng.uniform(1.2, 6.5)))
            for category, weight in schedule:
                removals.append(
                    (plan.unit.pk, day, category, Decimal(str(round(weight, 1))), HAULERS[category], "")
                )
    _insert(GarbageRemoval, ("unit", "removed_on", "category", "weight_kg", "hauler", "note"), removals)
    builder.report.add("garbage removals", len(removals))
