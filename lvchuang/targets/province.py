"""A synthetic province at full scale, for the progress dashboard's benchmark and scale tests (docs/benchmarks.md).

    generate_province(units=20_000, years=5, seed=2026)   # ≈ 14 cities, 120 counties, 1,500 townships

Real-shaped, not real: NBS-style 12-digit codes and paths (province → cities → districts, counties and county-level
cities → streets, towns and townships → communities), a creation office with its host department at every level
down to the counties, the sector departments that recommend their organs, units (mostly communities, one per
village-level region, plus provincial, municipal and county organs of every eligible organ type), the titles of
the last `years` years for 绿色社区 and 节约型机关 growing year by year (some revoked, under rectification or expired,
each with its title event), and the province office's coverage targets (seed 003's organ shares and the national
60% of communities), with one province-office login.

Every choice comes from `random.Random(seed)` and none depends on what the database returns, so a seed gives the
same province on every machine. Rows are written with `bulk_create`: a few dozen queries on PostgreSQL (a few
hundred on SQLite, whose limit on query parameters makes the batches small), and, as with any data load, no audit
rows for them. The province code must be free (the demo is Hunan, 43; the default is Shaanxi, 61).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.campaigns.models import Program
from lvchuang.organisations.models import Department, Office, Unit
from lvchuang.regions.models import Region
from lvchuang.targets import caching
from lvchuang.targets.models import CoverageTarget, Milestone
from lvchuang.titles.lifecycle import add_years
from lvchuang.titles.models import Title, TitleEvent

CODE_YEAR = 2023
BATCH = 2000  # rows per INSERT: well below SQLite's limit on query parameters

COMMUNITY_PROGRAM = "green-community"
ORGAN_PROGRAM = "conservation-oriented-organ"
ORGAN_EXEMPTING_PROGRAM = "public-institution-demonstration"  # counted by seed 003's targets as well

# Name and one-character abbreviation (used in document numbers such as 陕节能办〔2024〕3号).
PROVINCES = {
    "61": ("陕西省", "陕"),
    "62": ("甘肃省", "甘"),
    "63": ("青海省", "青"),
    "64": ("宁夏回族自治区", "宁"),
    "65": ("新疆维吾尔自治区", "新"),
}

# The shape of a province, from Shaanxi's and Hunan's code lists (≈ 14 cities, 120 counties, 1,500 townships).
COUNTIES_PER_CITY = (6, 11)
COMMUNITIES_PER_TOWNSHIP = 11
PROVINCIAL_ORGAN_SHARE = 0.003  # of all units
MUNICIPAL_ORGAN_SHARE = 0.02
COUNTY_ORGAN_SHARE = 0.15
# How much of each kind is titled by the last year, before a city's and a county's own drive is applied.
COMMUNITY_COVERAGE = 0.68
PROVINCIAL_ORGAN_COVERAGE = 0.85
MUNICIPAL_ORGAN_COVERAGE = 0.7
COUNTY_ORGAN_COVERAGE = 0.6
GROWTH_EXPONENT = 1.5  # cumulative share named by year k of n: ((k + 1) / n) ** 1.5, slow start then faster
REVOKED_SHARE = 0.02
RECTIFICATION_SHARE = 0.01
EXPIRED_SHARE = 0.04  # of the titles at least three years old: a three-year term not renewed
EXPIRED_TERM_YEARS = 3

_FIRST = "安宁平德兴华长永新东西南北金银青白龙凤云清泰和丰富康乐福寿嘉文武明正阳光春秋"
_SECOND = "阳川山河江城州源泉峰林原台宁安丰田湖溪塘坪桥岭关门口坝湾洲"
_STREET_SUFFIXES = ("路", "街", "苑", "园", "里", "坊", "巷", "湾", "新村", "花园")

# Organs of every type eligible for 节约型机关 (seed 003), as named at each level; {b} is 厅 or 局.
ORGANS: tuple[tuple[str, str], ...] = (
    ("中共{n}委员会办公室", Unit.OrganType.PARTY),
    ("中共{n}委员会组织部", Unit.OrganType.PARTY),
    ("中共{n}委员会宣传部", Unit.OrganType.PARTY),
    ("中共{n}委员会统一战线工作部", Unit.OrganType.PARTY),
    ("中共{n}委员会政法委员会", Unit.OrganType.PARTY),
    ("{n}人大常委会办公室", Unit.OrganType.CONGRESS),
    ("{n}人民政府办公室", Unit.OrganType.GOVERNMENT),
    ("{n}发展和改革委员会", Unit.OrganType.GOVERNMENT),
    ("{n}教育{b}", Unit.OrganType.GOVERNMENT),
    ("{n}科学技术{b}", Unit.OrganType.GOVERNMENT),
    ("{n}工业和信息化{b}", Unit.OrganType.GOVERNMENT),
    ("{n}公安{b}", Unit.OrganType.GOVERNMENT),
    ("{n}民政{b}", Unit.OrganType.GOVERNMENT),
    ("{n}司法{b}", Unit.OrganType.GOVERNMENT),
    ("{n}财政{b}", Unit.OrganType.GOVERNMENT),
    ("{n}人力资源和社会保障{b}", Unit.OrganType.GOVERNMENT),
    ("{n}自然资源{b}", Unit.OrganType.GOVERNMENT),
    ("{n}生态环境{b}", Unit.OrganType.GOVERNMENT),
    ("{n}住房和城乡建设{b}", Unit.OrganType.GOVERNMENT),
    ("{n}交通运输{b}", Unit.OrganType.GOVERNMENT),
    ("{n}水利{b}", Unit.OrganType.GOVERNMENT),
    ("{n}农业农村{b}", Unit.OrganType.GOVERNMENT),
    ("{n}商务{b}", Unit.OrganType.GOVERNMENT),
    ("{n}文化和旅游{b}", Unit.OrganType.GOVERNMENT),
    ("{n}卫生健康委员会", Unit.OrganType.GOVERNMENT),
    ("{n}退役军人事务{b}", Unit.OrganType.GOVERNMENT),
    ("{n}应急管理{b}", Unit.OrganType.GOVERNMENT),
    ("{n}审计{b}", Unit.OrganType.GOVERNMENT),
    ("{n}市场监督管理局", Unit.OrganType.GOVERNMENT),
    ("{n}统计局", Unit.OrganType.GOVERNMENT),
    ("{n}医疗保障局", Unit.OrganType.GOVERNMENT),
    ("{n}林业局", Unit.OrganType.GOVERNMENT),
    ("{n}机关事务管理局", Unit.OrganType.GOVERNMENT),
    ("政协{n}委员会办公室", Unit.OrganType.CPPCC),
    ("{n}监察委员会", Unit.OrganType.SUPERVISORY),
    ("{n}人民法院", Unit.OrganType.COURT),
    ("{n}人民检察院", Unit.OrganType.PROCURATORATE),
    ("{n}总工会", Unit.OrganType.PEOPLES_ORGANISATION),
    ("共青团{n}委员会", Unit.OrganType.PEOPLES_ORGANISATION),
    ("{n}妇女联合会", Unit.OrganType.PEOPLES_ORGANISATION),
    ("{n}科学技术协会", Unit.OrganType.PEOPLES_ORGANISATION),
    ("{n}残疾人联合会", Unit.OrganType.PEOPLES_ORGANISATION),
    ("{n}档案馆", Unit.OrganType.CIVIL_SERVICE_INSTITUTION),
    ("{n}地方志编纂办公室", Unit.OrganType.CIVIL_SERVICE_INSTITUTION),
    ("{n}供销合作社联合社", Unit.OrganType.CIVIL_SERVICE_INSTITUTION),
    ("{n}住房公积金管理中心", Unit.OrganType.CIVIL_SERVICE_INSTITUTION),
)


@dataclass(frozen=True)
class GeneratedProvince:
    province: Region
    office: Office  # the province office, which set the targets
    user: User  # holds PROVINCE_OFFICE at `office`; no usable password unless one was given
    # "communities" (60% of communities), "provincial_organs" and "city_county_organs" (seed 003)
    targets: dict[str, CoverageTarget]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _County:
    region: Region
    office_name: str
    drive: float  # how keen the county is: scales its coverage


def generate_province(
    *,
    units: int = 20_000,
    years: int = 5,
    seed: int = 2026,
    cities: int = 14,
    province_code: str = "61",
    username: str = "",
    password: str | None = None,
    today: datetime.date | None = None,
) -> GeneratedProvince:
    """Write a whole synthetic province and return its office, its login and its targets.

    `today` fixes the titles' years (the `years` full years before it) and the milestones around it; the login
    is `username` or `province-<code>`. ValueError (Chinese message) when the code or the login is taken or the
    numbers cannot make a province.
    """
    today = today or timezone.localdate()
    username = username or f"province-{province_code}"
    _check_arguments(units=units, years=years, cities=cities, province_code=province_code, username=username)
    programs = {p.code: p for p in Program.objects.filter(code__in=[COMMUNITY_PROGRAM, ORGAN_PROGRAM])}
    missing = {COMMUNITY_PROGRAM, ORGAN_PROGRAM} - set(programs)
    if missing:
        raise ValueError(f"缺少内置称号：{'、'.join(sorted(missing))}（请先运行 migrate）")
    rng = random.Random(seed)
    with transaction.atomic():
        builder = _Builder(rng=rng, code=province_code, today=today, years=years, programs=programs)
        builder.build_regions(units=units, cities=cities)
        builder.build_departments_and_offices()
        builder.build_units()
        builder.build_titles()
        user = create_user(
            by=None,
            username=username,
            password=password,
            full_name=f"{builder.province.name}创建办（生成数据）",
        )
        grant_role(by=None, user=user, role=Role.PROVINCE_OFFICE, office=builder.province_office)
        targets = builder.build_targets(by=user)
    # bulk_create sends no signals: say once that the registry changed, so no cached grid survives it.
    caching.registry_changed()
    return GeneratedProvince(
        province=builder.province,
        office=builder.province_office,
        user=user,
        targets=targets,
        counts=dict(builder.counts),
    )


def _check_arguments(*, units: int, years: int, cities: int, province_code: str, username: str) -> None:
    if (
        len(province_code) != 2
        or not (province_code.isascii() and province_code.isdigit())
        or province_code == "00"
    ):
        raise ValueError(f"省级代码应为两位数字：{province_code!r}")
    if not 1 <= cities <= 70:
        raise ValueError("地级区划数应在 1 到 70 之间。")
    if years < 1:
        raise ValueError("年数至少为 1。")
    if units < 100:
        raise ValueError("单位数至少为 100。")
    if Region.objects.filter(path__startswith=province_code).exists():
        raise ValueError(f"区划代码 {province_code} 开头的行政区划已存在，请换一个省级代码。")
    if User.objects.filter(username__iexact=username).exists():
        raise ValueError(f"用户名“{username}”已被占用。")


def spread(total: int, weights: Sequence[float], *, minimum: int = 0) -> list[int]:
    """Share `total` out in proportion to `weights`, each at least `minimum`, summing exactly to `total`
    (largest remainders) — or to `minimum * len(weights)` if that is more."""
    floor = minimum * len(weights)
    rest = max(0, total - floor)
    scale = rest / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [minimum + c for c in counts]


class _Builder:
    def __init__(
        self,
        *,
        rng: random.Random,
        code: str,
        today: datetime.date,
        years: int,
        programs: dict[str, Program],
    ) -> None:
        self.rng = rng
        self.code = code
        self.today = today
        self.years = years
        self.first_year = today.year - years
        self.programs = programs
        self.abbreviation = PROVINCES.get(code, ("", "测"))[1]
        self.counts: Counter[str] = Counter()
        self.cities: list[Region] = []
        self.city_drive: dict[str, float] = {}  # city code → drive
        self.counties: list[_County] = []
        self.communities: list[tuple[Region, _County]] = []
        self.organ_plan: list[tuple[Region, str, int, float]] = []  # region, level, how many, drive
        self.units: list[tuple[Unit, float]] = []  # unit, the share of its kind to be titled by the last year

    def name(self, suffix: str) -> str:
        return self.rng.choice(_FIRST) + self.rng.choice(_SECOND) + suffix

    # --- regions --------------------------------------------------------------------------------------------

    def build_regions(self, *, units: int, cities: int) -> None:
        rng, p = self.rng, self.code
        self.province = Region(
            code=f"{p}0000000000",
            name=PROVINCES.get(p, (f"测试省（{p}）", ""))[0],
            level=Region.Level.PROVINCE,
            path=p,
            code_year=CODE_YEAR,
        )
        levels: dict[int, list[Region]] = {level: [] for level in range(1, 6)}
        levels[1].append(self.province)
        county_kinds: list[str] = []
        for c in range(1, cities + 1):
            city = Region(
                code=f"{p}{c:02d}00000000",
                name=self.name("市"),
                level=Region.Level.CITY,
                path=f"{p}{c:02d}",
                code_year=CODE_YEAR,
                parent=self.province,
            )
            levels[2].append(city)
            self.cities.append(city)
            drive = rng.uniform(0.75, 1.2)
            self.city_drive[city.code] = drive
            how_many = rng.randint(*COUNTIES_PER_CITY)
            districts = rng.randint(2, min(5, how_many - 1))
            # NBS county segments: districts from 02, counties from 21, county-level cities from 81.
            segments = [(2 + i, "区") for i in range(districts)]
            segments += [(21 + i, "县") for i in range(how_many - districts - 1)]
            segments.append((81, "市"))
            for segment, suffix in segments:
                county_region = Region(
                    code=f"{city.path}{segment:02d}000000",
                    name=self.name(suffix),
                    level=Region.Level.COUNTY,
                    path=f"{city.path}{segment:02d}",
                    code_year=CODE_YEAR,
                    parent=city,
                )
                levels[3].append(county_region)
                county_kinds.append(suffix)
                self.counties.append(
                    _County(
                        region=county_region,
                        office_name=f"{county_region.name}创建办",
                        drive=drive * rng.uniform(0.85, 1.15),
                    )
                )
        self.plan_organs(units=units)
        organs = sum(how_many for _, _, how_many, _ in self.organ_plan)
        communities = units - organs
        if communities < len(self.counties):
            raise ValueError(f"单位数 {units} 太少：机关已占 {organs} 个，请增加单位数或减少地级区划数。")
        townships_total = max(len(self.counties), round(communities / COMMUNITIES_PER_TOWNSHIP))
        # Districts are denser than counties.
        per_county = spread(
            townships_total,
            [rng.uniform(0.7, 1.3) * (1.4 if kind == "区" else 1.0) for kind in county_kinds],
            minimum=1,
        )
        townships: list[tuple[Region, _County]] = []
        for county, how_many in zip(self.counties, per_county, strict=True):
            next_segment = {"street": 1, "town": 100, "township": 200}
            last_segment = {"street": 99, "town": 199, "township": 399}
            kind_suffix = {"street": "街道", "town": "镇", "township": "乡"}
            for _ in range(how_many):
                kind = self.township_kind(county.region.name[-1])
                if next_segment[kind] > last_segment[kind]:
                    kind = next(k for k in next_segment if next_segment[k] <= last_segment[k])
                segment = next_segment[kind]
                next_segment[kind] += 1
                township = Region(
                    code=f"{county.region.path}{segment:03d}000",
                    name=self.name(kind_suffix[kind]),
                    level=Region.Level.TOWNSHIP,
                    kind=kind,
                    path=f"{county.region.path}{segment:03d}",
                    code_year=CODE_YEAR,
                    parent=county.region,
                )
                levels[4].append(township)
                townships.append((township, county))
        weight = {"street": 1.6, "town": 0.8, "township": 0.4}
        per_township = spread(communities, [weight[t.kind] * rng.uniform(0.5, 1.5) for t, _ in townships])
        for (township, county), how_many in zip(townships, per_township, strict=True):
            if how_many > 199:
                raise ValueError("每个乡级区划的社区过多（NBS 代码 001–199），请增加地级区划数。")
            for v in range(1, how_many + 1):
                community = Region(
                    code=f"{township.path}{v:03d}",
                    name=self.name(rng.choice(_STREET_SUFFIXES) + "社区"),
                    level=Region.Level.VILLAGE,
                    kind=Region.Kind.COMMUNITY,
                    path=f"{township.path}{v:03d}",
                    code_year=CODE_YEAR,
                    parent=township,
                )
                levels[5].append(community)
                self.communities.append((community, county))
        for level, regions in levels.items():
            # The parents were written just before: bulk_create copies their new primary keys.
            Region.objects.bulk_create(regions, batch_size=BATCH)
            self.counts[f"regions level {level}"] = len(regions)

    def township_kind(self, county_suffix: str) -> str:
        roll = self.rng.random()
        if county_suffix == "区":
            return "street" if roll < 0.85 else "town"
        if county_suffix == "市":
            return "street" if roll < 0.5 else "town"
        return "street" if roll < 0.1 else "town" if roll < 0.7 else "township"

    def plan_organs(self, *, units: int) -> None:
        rng = self.rng
        self.organ_plan.append(
            (self.province, Unit.OrganLevel.PROVINCIAL, max(3, round(units * PROVINCIAL_ORGAN_SHARE)), 1.0)
        )
        municipal = spread(
            round(units * MUNICIPAL_ORGAN_SHARE), [rng.uniform(0.8, 1.2) for _ in self.cities], minimum=1
        )
        for city, how_many in zip(self.cities, municipal, strict=True):
            self.organ_plan.append((city, Unit.OrganLevel.MUNICIPAL, how_many, self.city_drive[city.code]))
        county_organs = spread(
            round(units * COUNTY_ORGAN_SHARE), [rng.uniform(0.8, 1.2) for _ in self.counties], minimum=1
        )
        for county, how_many in zip(self.counties, county_organs, strict=True):
            self.organ_plan.append((county.region, Unit.OrganLevel.COUNTY, how_many, county.drive))

    # --- departments and offices ----------------------------------------------------------------------------

    def build_departments_and_offices(self) -> None:
        province = self.province
        # 机关事务管理局 organises 节约型机关 (seed 003) and recommends its level's organs: a sector authority.
        self.affairs: dict[str, Department] = {
            province.code: Department(
                name=f"{province.name}机关事务管理局", region=province, is_sector_authority=True
            )
        }
        departments = [self.affairs[province.code]]
        for name in ("住房和城乡建设厅", "生态环境厅", "发展和改革委员会"):
            departments.append(
                Department(
                    name=f"{province.name}{name}",
                    region=province,
                    is_sector_authority=name.startswith("住房"),
                )
            )
        for city in self.cities:
            self.affairs[city.code] = Department(
                name=f"{city.name}机关事务管理局", region=city, is_sector_authority=True
            )
            departments.append(self.affairs[city.code])
            departments.append(
                Department(name=f"{city.name}住房和城乡建设局", region=city, is_sector_authority=True)
            )
        for county in self.counties:
            self.affairs[county.region.code] = Department(
                name=f"{county.region.name}机关事务服务中心", region=county.region
            )
            departments.append(self.affairs[county.region.code])
        Department.objects.bulk_create(departments, batch_size=BATCH)
        self.province_office = Office(
            name=f"{province.name}绿色创建工作办公室",
            region=province,
            host_department=self.affairs[province.code],
        )
        offices = [self.province_office]
        offices += [
            Office(name=f"{city.name}创建办", region=city, host_department=self.affairs[city.code])
            for city in self.cities
        ]
        offices += [
            Office(name=c.office_name, region=c.region, host_department=self.affairs[c.region.code])
            for c in self.counties
        ]
        Office.objects.bulk_create(offices, batch_size=BATCH)
        self.counts["departments"] = len(departments)
        self.counts["offices"] = len(offices)

    # --- units ----------------------------------------------------------------------------------------------

    def build_units(self) -> None:
        rng = self.rng
        coverage: dict[str, float] = {
            Unit.OrganLevel.PROVINCIAL: PROVINCIAL_ORGAN_COVERAGE,
            Unit.OrganLevel.MUNICIPAL: MUNICIPAL_ORGAN_COVERAGE,
            Unit.OrganLevel.COUNTY: COUNTY_ORGAN_COVERAGE,
        }
        for region, level, how_many, drive in self.organ_plan:
            place = region.name
            bureau = "厅" if level == Unit.OrganLevel.PROVINCIAL else "局"
            for index in range(how_many):
                pattern, organ_type = ORGANS[index % len(ORGANS)]
                name = pattern.format(n=place, b=bureau)
                if index >= len(ORGANS):
                    name += f"（第{index // len(ORGANS) + 1}办公区）"
                unit = Unit(
                    name=name,
                    kind=Unit.Kind.ORGAN,
                    region=region,
                    organ_type=organ_type,
                    organ_level=level,
                    institution_type=Unit.InstitutionType.STATE_ORGAN,
                    # county organs are recommended through the territorial offices, not a department
                    sector=self.affairs.get(region.code) if level != Unit.OrganLevel.COUNTY else None,
                    floor_area=Decimal(rng.randrange(800, 30000)),
                    energy_headcount=rng.randrange(20, 600),
                )
                self.units.append((unit, min(0.97, coverage[level] * drive)))
        for region, county in self.communities:
            households = rng.randrange(600, 5000)
            unit = Unit(
                name=f"{region.name}居委会",
                kind=Unit.Kind.COMMUNITY,
                region=region,
                household_count=households,
                green_family_count=int(households * rng.uniform(0.2, 0.75)),
            )
            self.units.append((unit, min(0.95, max(0.15, COMMUNITY_COVERAGE * county.drive))))
        Unit.objects.bulk_create([unit for unit, _ in self.units], batch_size=BATCH)
        for unit, _ in self.units:
            self.counts[f"units {unit.kind}" + (f" {unit.organ_level}" if unit.organ_level else "")] += 1
        self.counts["units"] = len(self.units)

    # --- titles ---------------------------------------------------------------------------------------------

    def named_year(self) -> int:
        """The year a unit that gets a title is named: few in the first years, more each year."""
        roll = self.rng.random()
        for k in range(self.years):
            if ((k + 1) / self.years) ** GROWTH_EXPONENT >= roll:
                return self.first_year + k
        return self.today.year - 1

    def build_titles(self) -> None:
        rng = self.rng
        # One naming decision per year: the province names 节约型机关 (a province-level title) at the end of
        # October (seed 003); each county names its 绿色社区 in November or December (seed 004).
        organ_day = {
            year: datetime.date(year, 10, rng.randint(20, 31))
            for year in range(self.first_year, self.today.year)
        }
        county_day: dict[tuple[str, int], datetime.date] = {}
        titles: list[Title] = []
        serial: Counter[tuple[str, int]] = Counter()
        for unit, share in self.units:
            if rng.random() >= share:
                continue
            year = self.named_year()
            if unit.kind == Unit.Kind.ORGAN:
                program = self.programs[ORGAN_PROGRAM]
                named_on = organ_day[year]
                document = f"{self.abbreviation}节能办〔{year}〕{3 + year % 7}号"
                short = "JY"
            else:
                program = self.programs[COMMUNITY_PROGRAM]
                county_code = unit.region.code[:6]
                key = (county_code, year)
                if key not in county_day:
                    county_day[key] = datetime.date(year, rng.choice((11, 12)), rng.randint(1, 28))
                named_on = county_day[key]
                document = f"{county_code}绿创〔{year}〕{1 + rng.randrange(9)}号"
                short = "LS"
            serial[(short, year)] += 1
            titles.append(
                Title(
                    unit=unit,
                    program=program,
                    year=year,
                    named_on=named_on,
                    document_number=document,
                    certificate_number=f"{self.code}-{short}-{year}-{serial[(short, year)]:06d}",
                )
            )
        for title in titles:
            self.change_status(title)
        Title.objects.bulk_create(titles, batch_size=BATCH)
        events = [
            TitleEvent(
                title=title,
                from_status=Title.Status.VALID,
                to_status=title.status,
                on=title.status_changed_on,
                reason=title.status_reason,
                document_number=f"{self.abbreviation}绿创撤〔{title.status_changed_on.year}〕1号"
                if title.status == Title.Status.REVOKED
                else "",
            )
            for title in titles
            if title.status_changed_on is not None
        ]
        TitleEvent.objects.bulk_create(events, batch_size=BATCH)
        for title in titles:
            self.counts[f"titles {title.program.code} {title.status}"] += 1
        self.counts["titles"] = len(titles)
        self.counts["title events"] = len(events)

    def change_status(self, title: Title) -> None:
        """Revoke, put under rectification or expire a few titles, as re-inspections and time do."""
        rng, today = self.rng, self.today
        roll = rng.random()
        age = (today - title.named_on).days
        if roll < REVOKED_SHARE and age > 200:
            title.status = Title.Status.REVOKED
            title.status_changed_on = title.named_on + datetime.timedelta(days=rng.randint(180, age - 1))
            title.status_reason = "复核（回头看）不合格，撤销称号"
        elif roll < REVOKED_SHARE + RECTIFICATION_SHARE and age > 150:
            title.status = Title.Status.UNDER_RECTIFICATION
            title.status_changed_on = today - datetime.timedelta(days=rng.randint(10, 120))
            title.status_reason = "复核发现问题，限期整改"
        elif roll < REVOKED_SHARE + RECTIFICATION_SHARE + EXPIRED_SHARE:
            valid_until = add_years(title.named_on, EXPIRED_TERM_YEARS) - datetime.timedelta(days=1)
            if valid_until < today - datetime.timedelta(days=1):
                title.valid_until = valid_until
                title.status = Title.Status.EXPIRED
                title.status_changed_on = valid_until + datetime.timedelta(days=1)
                title.status_reason = f"有效期至 {valid_until.isoformat()} 届满"

    # --- targets --------------------------------------------------------------------------------------------

    def build_targets(self, *, by: User) -> dict[str, CoverageTarget]:
        year = self.today.year
        organ_programs = list(
            Program.objects.filter(code__in=[ORGAN_PROGRAM, ORGAN_EXEMPTING_PROGRAM]).order_by("code")
        )
        plans = [
            _PlannedTarget(
                key="communities",
                name="城市社区绿色社区创建达标比例",
                unit_kind=Unit.Kind.COMMUNITY,
                organ_levels=[],
                programs=[self.programs[COMMUNITY_PROGRAM]],
                source="住房和城乡建设部等 6 部门《绿色社区创建行动方案》：60% 以上的城市社区达到创建要求",
                steps=[
                    (datetime.date(year - min(3, self.years), 12, 31), 30),
                    (datetime.date(year - 1, 12, 31), 60),
                    (datetime.date(year + 1, 12, 31), 80),
                ],
            ),
            _PlannedTarget(
                key="provincial_organs",
                name="省级党政机关建成节约型机关比例",
                unit_kind=Unit.Kind.ORGAN,
                organ_levels=[Unit.OrganLevel.PROVINCIAL],
                programs=organ_programs,
                source="节约型机关创建行动方案（种子文件 003）：50% 以上的省级党政机关，随后 80% 以上",
                steps=[
                    (datetime.date(year - min(2, self.years), 10, 31), 50),
                    (datetime.date(year + 1, 10, 31), 80),
                ],
            ),
            _PlannedTarget(
                key="city_county_organs",
                name="市县（区）党政机关建成节约型机关比例",
                unit_kind=Unit.Kind.ORGAN,
                organ_levels=[Unit.OrganLevel.MUNICIPAL, Unit.OrganLevel.COUNTY],
                programs=organ_programs,
                source="节约型机关创建行动方案（种子文件 003）：40% 以上的市县（区）党政机关，随后 70% 以上",
                steps=[
                    (datetime.date(year - min(2, self.years), 10, 31), 40),
                    (datetime.date(year + 1, 10, 31), 70),
                ],
            ),
        ]
        targets: dict[str, CoverageTarget] = {}
        milestones: list[Milestone] = []
        for plan in plans:
            target = CoverageTarget(
                office=self.province_office,
                name=plan.name,
                unit_kind=plan.unit_kind,
                organ_levels=[str(level) for level in plan.organ_levels],
                starts_on=datetime.date(self.first_year, 1, 1),
                source=f"{plan.source}（生成数据）",
                created_by=by,
            )
            target.full_clean()
            target.save()
            target.programs.set(plan.programs)
            targets[plan.key] = target
            # With few `years` two steps can fall on one day: the later, higher one is kept.
            for due_on, share in dict(plan.steps).items():
                milestones.append(Milestone(target=target, due_on=due_on, share=Decimal(share)))
        Milestone.objects.bulk_create(milestones)
        self.counts["targets"] = len(targets)
        self.counts["milestones"] = len(milestones)
        return targets


@dataclass(frozen=True)
class _PlannedTarget:
    key: str
    name: str
    unit_kind: str
    organ_levels: list[str]
    programs: list[Program]
    source: str
    steps: list[tuple[datetime.date, int]]  # due on, share in percent
