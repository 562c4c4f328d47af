"""The summary page: totals and indicators with their change, groups with drill-down, the annual target, scope
and a query count that does not grow with the regions and units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lvchuang.ledgers.models import CANONICAL_MEASURE, AnnualTarget, BasicInfo, Consumption
from lvchuang.ledgers.summaries import Line, Summary
from lvchuang.ledgers.tests.conftest import LedgerWorld
from lvchuang.organisations.models import Office, Unit
from lvchuang.regions.models import Region

D = Decimal
URL = reverse("ledgers:summary")


def client_for(ledger_world: LedgerWorld, name: str) -> Client:
    client = Client()
    client.force_login(ledger_world.user(name))
    return client


def year_of(unit: Unit, year: int, *, electricity: int, water: int = 0) -> None:
    """A year of monthly rows: the annual electricity (kWh) and water (m³) spread evenly over twelve months."""
    rows = []
    for month in range(1, 13):
        rows.append((month, "electricity", D(electricity) / 12))
        if water:
            rows.append((month, "water", D(water) / 12))
    Consumption.objects.bulk_create(
        Consumption(
            unit=unit,
            year=year,
            month=month,
            carrier=carrier,
            amount=amount.quantize(D("0.001")),
            measure=CANONICAL_MEASURE[carrier],
            updated_at=timezone.now(),
        )
        for month, carrier, amount in rows
    )


def build_ledgers(ledger_world: LedgerWorld) -> LedgerWorld:
    """2023 and 2024: 芙蓉区's organ cuts its electricity by 10 %, the others use the same both years.

    Electricity at 0.1229 kgce/kWh (当量值): organ 120,000 → 108,000 kWh (14,748 → 13,273.2 kgce, 5,000 m²);
    tianxin_organ 30,000 kWh (3,687 kgce, 3,000 m²); city_organ 120,000 kWh (14,748 kgce, 12,000 m²).
    """
    world = ledger_world
    year_of(world.organ, 2023, electricity=120000, water=2400)
    year_of(world.organ, 2024, electricity=108000, water=2160)
    for year in (2023, 2024):
        year_of(world.tianxin_organ, year, electricity=30000, water=1800)
        year_of(world.city_organ, year, electricity=120000, water=6000)
    return world


@pytest.fixture
def ledgers(ledger_world: LedgerWorld) -> LedgerWorld:
    return build_ledgers(ledger_world)


def summary_of(response: object) -> Summary:
    found: Summary = response.context["summary"]  # type: ignore[attr-defined]
    return found


def row(summary: Summary, label: str) -> Line:
    return next(line for line in summary.rows if line.label == label)


def test_it_sums_the_citys_organs_with_their_change(ledgers: LedgerWorld) -> None:
    response = client_for(ledgers, "city").get(URL)

    assert response.status_code == 200
    summary = summary_of(response)
    assert (summary.region.name, summary.year, summary.years) == ("长沙市", 2024, [2024, 2023])
    total = summary.total.current
    assert total.units == 3
    assert total.energy_kgce == D("13273.2") + D("3687") + D("14748")
    assert total.floor_area == D("20000")
    assert total.water_m3 == D("9960")
    # 33,183 → 31,708.2 kgce on 20,000 m²: 1.65915 → 1.58541 kgce/m², −4.44 %
    assert summary.total.row.change("area_energy") == D("-4.44")
    assert summary.total.row.change("per_capita_water") == D("-2.35")  # 20.4 → 19.92 m³/人
    text = response.content.decode()
    assert "31.71" in text  # tce
    assert "同比 -4.44%" in text
    assert [line.label for line in summary.rows] == ["长沙市本级", "芙蓉区", "天心区"]
    furong = row(summary, "芙蓉区")
    assert furong.current.area_energy == D("13273.2") / 5000
    assert furong.row.change("area_energy") == D("-10.00")
    assert furong.row.change("per_capita_water") == D("-10.00")
    assert row(summary, "天心区").row.change("area_energy") == D("0.00")


def test_it_drills_down_into_a_child_region(ledgers: LedgerWorld) -> None:
    client = client_for(ledgers, "city")
    text = client.get(URL).content.decode()
    assert f'href="?region={ledgers.world.furong.code}"' in text
    assert f'href="?region={ledgers.world.city.code}"' not in text  # the city's own units do not drill down

    response = client.get(URL, {"region": ledgers.world.furong.code})

    summary = summary_of(response)
    assert summary.region == ledgers.world.furong
    assert summary.total.current.units == 1
    assert [crumb.name for crumb in summary.breadcrumbs] == ["长沙市", "芙蓉区"]


def test_it_groups_by_unit_type_and_department(ledgers: LedgerWorld) -> None:
    client = client_for(ledgers, "city")
    by_unit = summary_of(client.get(URL, {"by": "unit", "year": "2024"}))
    assert {line.label for line in by_unit.rows} == {
        "芙蓉区发展和改革局",
        "长沙市机关事务管理局",
        "天心区卫生健康局",
    }
    assert all(line.unit_id for line in by_unit.rows)
    by_type = summary_of(client.get(URL, {"by": "type"}))
    assert [line.key for line in by_type.rows] == ["01"]
    assert by_type.rows[0].current.units == 3
    by_sector = summary_of(client.get(URL, {"by": "sector"}))
    assert [line.current.units for line in by_sector.rows] == [3]


def test_it_checks_each_group_against_the_annual_target(ledgers: LedgerWorld) -> None:
    AnnualTarget.objects.create(
        office=ledgers.world.city_office,
        region=ledgers.world.city,
        year=2024,
        baseline_year=2023,
        area_energy_change=D("-5"),
        per_capita_energy_change=D("-5"),
        source="长沙市公共机构节能目标（测试）",
    )

    response = client_for(ledgers, "city").get(URL)

    summary = summary_of(response)
    assert summary.target is not None
    assert summary.total.target is not None
    assert summary.total.target.status == "missed"  # −4.44 % against −5 %
    assert row(summary, "芙蓉区").target.status == "met"  # type: ignore[union-attr]
    assert row(summary, "天心区").target.status == "missed"  # type: ignore[union-attr]
    assert [line.indicator for line in summary.total.target.lines] == ["area_energy", "per_capita_energy"]
    text = response.content.decode()
    assert "长沙市公共机构节能目标（测试）" in text
    assert "达标" in text
    assert "未达标" in text


def test_a_year_without_the_base_year_cannot_be_judged(ledgers: LedgerWorld) -> None:
    AnnualTarget.objects.create(
        office=ledgers.world.city_office,
        region=ledgers.world.city,
        year=2024,
        baseline_year=2020,
        area_energy_change=D("-5"),
    )
    summary = summary_of(client_for(ledgers, "city").get(URL))
    assert summary.total.target is not None
    assert summary.total.target.status == "unknown"


def test_the_nearest_target_above_applies(ledgers: LedgerWorld) -> None:
    for office, change in ((ledgers.world.city_office, "-5"), (ledgers.world.furong_office, "-12")):
        AnnualTarget.objects.create(
            office=office, region=office.region, year=2024, baseline_year=2023, area_energy_change=D(change)
        )
    furong = summary_of(client_for(ledgers, "city").get(URL, {"region": ledgers.world.furong.code}))
    assert furong.target is not None
    assert furong.target.office == ledgers.world.furong_office
    assert furong.total.target is not None
    assert furong.total.target.status == "missed"  # −10 % against −12 %


def test_it_converts_electricity_at_the_equal_value_when_asked(ledgers: LedgerWorld) -> None:
    summary = summary_of(client_for(ledgers, "city").get(URL, {"basis": "equal_value"}))
    assert summary.total.current.energy_kgce == D("258000") * D("0.3007")
    assert any("0.3007" in source for source in summary.sources)


def test_it_draws_the_charts_as_inline_svg(ledgers: LedgerWorld) -> None:
    text = client_for(ledgers, "city").get(URL).content.decode()
    assert text.count("<svg ") == 2
    assert "<script" not in text.split("<main", 1)[1]


def test_it_shows_an_empty_region_without_errors(ledger_world: LedgerWorld) -> None:
    response = client_for(ledger_world, "city").get(URL, {"year": "2022"})
    assert response.status_code == 200
    assert summary_of(response).total.current.units == 0


def test_it_refuses_a_malformed_query(ledgers: LedgerWorld) -> None:
    client = client_for(ledgers, "city")
    assert client.get(URL, {"year": "soon"}).status_code == 400
    assert client.get(URL, {"by": "colour"}).status_code == 400
    assert client.get(URL, {"region": "4301"}).status_code == 400


# --- scope ------------------------------------------------------------------------------------------------------


def test_a_district_sees_its_own_subtree_only(ledgers: LedgerWorld) -> None:
    client = client_for(ledgers, "furong")
    summary = summary_of(client.get(URL))
    assert summary.region == ledgers.world.furong
    assert summary.total.current.units == 1
    assert [line.label for line in summary.rows] == ["芙蓉区本级"]  # its streets keep no ledgers: not listed
    assert client.get(URL, {"region": ledgers.world.tianxin.code}).status_code == 404  # the sibling
    assert client.get(URL, {"region": ledgers.world.city.code}).status_code == 404  # the city above


def test_an_outsider_is_refused_and_never_told_a_region_exists(ledgers: LedgerWorld) -> None:
    client = client_for(ledgers, "outsider")
    assert client.get(URL).status_code == 403  # no region and no sector: nothing to summarise
    assert client.get(URL, {"region": ledgers.world.city.code}).status_code == 404


def test_a_clerk_sees_their_own_unit(ledgers: LedgerWorld) -> None:
    client = client_for(ledgers, "organ_clerk")
    summary = summary_of(client.get(URL))
    assert summary.total.current.units == 1
    assert summary.total.current.energy_kgce == D("13273.2")
    assert client.get(URL, {"region": ledgers.world.tianxin.code}).status_code == 404


def test_sector_staff_see_their_sectors_units_only(ledgers: LedgerWorld) -> None:
    school = ledgers.world.school
    for year in (2023, 2024):
        BasicInfo.objects.create(
            unit=school, year=year, institution_type="021", floor_area=D("20000"), headcount=1000
        )
        year_of(school, year, electricity=240000)
    client = client_for(ledgers, "sector")

    summary = summary_of(client.get(URL))

    assert summary.region == ledgers.world.city  # the education bureau's region
    assert summary.total.current.units == 1
    assert summary.total.current.energy_kgce == D("240000") * D("0.1229")
    tianxin = summary_of(client.get(URL, {"region": ledgers.world.tianxin.code}))
    assert tianxin.total.current.units == 1
    assert client.get(URL, {"region": "440100000000"}).status_code == 404


def test_it_requires_a_login(ledgers: LedgerWorld) -> None:
    response = Client().get(URL)
    assert response.status_code == 302


# --- queries ----------------------------------------------------------------------------------------------------


def add_districts(ledger_world: LedgerWorld, numbers: range) -> None:
    """Districts 新区<n> of the city, each with three organs keeping two years of ledgers."""
    city = ledger_world.world.city
    for number in numbers:
        code = f"4301{11 + number:02d}000000"
        district = Region.objects.create(
            code=code, name=f"新区{number}", level=3, parent=city, path=code[:6], code_year=2023
        )
        Office.objects.create(name=f"新区{number}创建办", region=district)
        for index in range(3):
            unit = Unit.objects.create(
                name=f"新区{number}机关{index}",
                kind=Unit.Kind.ORGAN,
                region=district,
                organ_type=Unit.OrganType.GOVERNMENT,
                organ_level=Unit.OrganLevel.COUNTY,
                institution_type="01",
            )
            for year in (2023, 2024):
                BasicInfo.objects.create(
                    unit=unit, year=year, institution_type="01", floor_area=D("4000"), headcount=100
                )
                year_of(unit, year, electricity=60000, water=1200)


def queries(client: Client, url: str, query: dict[str, str]) -> int:
    client.get(url, query)  # the first request also loads the login
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("by", ["region", "unit", "type", "sector"])
def test_the_query_count_does_not_grow_with_the_regions_and_units(ledgers: LedgerWorld, by: str) -> None:
    AnnualTarget.objects.create(
        office=ledgers.world.city_office,
        region=ledgers.world.city,
        year=2024,
        baseline_year=2023,
        area_energy_change=D("-5"),
    )
    client = client_for(ledgers, "city")
    add_districts(ledgers, range(2))
    before = queries(client, URL, {"by": by})

    add_districts(ledgers, range(2, 4))  # twice the districts and the units

    assert queries(client, URL, {"by": by}) == before
