"""The unit's ledger pages: the entry, the list of units, a unit's year, and who may open what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lvchuang.ledgers import services
from lvchuang.ledgers.models import (
    CANONICAL_MEASURE,
    AnnualTarget,
    BasicInfo,
    Consumption,
    GarbageRemoval,
    Meter,
    QualityFlag,
)
from lvchuang.ledgers.tests.conftest import LedgerWorld
from lvchuang.organisations.models import Unit

D = Decimal


@pytest.fixture(autouse=True)
def _in_2025():
    with time_machine.travel(datetime.datetime(2025, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def client_for(ledger_world: LedgerWorld, name: str) -> Client:
    client = Client()
    client.force_login(ledger_world.user(name))
    return client


def year_of(unit: Unit, year: int, *, electricity: int = 12000, water: int = 1200, months: int = 12) -> None:
    Consumption.objects.bulk_create(
        Consumption(
            unit=unit,
            year=year,
            month=month,
            carrier=carrier,
            amount=D(total) / 12,
            measure=CANONICAL_MEASURE[carrier],
            updated_at=timezone.now(),
        )
        for month in range(1, months + 1)
        for carrier, total in (("electricity", electricity), ("water", water))
    )


def detail(unit: Unit, **query: str) -> str:
    url = reverse("ledgers:unit_detail", args=[unit.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- overview --------------------------------------------------------------------------------------------------


def test_a_units_clerk_goes_straight_to_the_units_ledger(ledger_world: LedgerWorld) -> None:
    response = client_for(ledger_world, "organ_clerk").get(reverse("ledgers:overview"))
    assert response.status_code == 302
    assert response["Location"] == detail(ledger_world.organ)


def test_a_communitys_clerk_is_told_it_keeps_no_ledger(ledger_world: LedgerWorld) -> None:
    response = client_for(ledger_world, "unit").get(reverse("ledgers:overview"))
    assert response.status_code == 200
    assert "不填报能源资源消费台账" in response.content.decode()


def test_an_outsider_is_told_there_is_nothing_to_see(ledger_world: LedgerWorld) -> None:
    response = client_for(ledger_world, "outsider").get(reverse("ledgers:overview"))
    assert response.status_code == 200
    assert "您没有可以查看的台账" in response.content.decode()


def test_an_office_sees_its_units_and_the_ledger_pages(ledger_world: LedgerWorld) -> None:
    year_of(ledger_world.organ, 2025, months=3)
    response = client_for(ledger_world, "furong").get(reverse("ledgers:overview"))
    assert response.status_code == 200
    text = response.content.decode()
    for name in ("unit_list", "summary", "import_list", "flag_list", "target_list", "factor_tables"):
        assert reverse(f"ledgers:{name}") in text
    assert response.context["unit_count"] == 1  # 芙蓉区发展和改革局; the community keeps none
    assert response.context["reporting_count"] == 1


def test_a_sector_department_sees_the_pages_but_cannot_import(ledger_world: LedgerWorld) -> None:
    response = client_for(ledger_world, "sector").get(reverse("ledgers:overview"))
    text = response.content.decode()
    assert reverse("ledgers:unit_list") in text
    assert reverse("ledgers:import_list") not in text
    assert response.context["unit_count"] == 1  # the school


# --- the list of units -----------------------------------------------------------------------------------------


def test_the_list_shows_the_units_in_scope_with_their_reporting(ledger_world: LedgerWorld) -> None:
    year_of(ledger_world.organ, 2024)
    year_of(ledger_world.organ, 2025, months=5)
    QualityFlag.objects.create(
        unit=ledger_world.organ, rule="missing_month", year=2025, key="k", message="缺 6 月"
    )
    response = client_for(ledger_world, "furong").get(reverse("ledgers:unit_list"))
    assert response.status_code == 200
    rows = list(response.context["page_obj"])
    assert [unit.name for unit in rows] == ["芙蓉区发展和改革局"]
    assert (rows[0].latest_year, rows[0].months_reported, rows[0].open_flags) == (2025, 5, 1)
    text = response.content.decode()
    assert "天心区卫生健康局" not in text
    assert "识字岭社区居委会" not in text


def test_the_city_filters_its_units_by_region_type_and_name(ledger_world: LedgerWorld) -> None:
    client = client_for(ledger_world, "city")
    url = reverse("ledgers:unit_list")
    names = lambda response: [unit.name for unit in response.context["page_obj"]]  # noqa: E731
    assert names(client.get(url)) == [
        "长沙市机关事务管理局",
        "芙蓉区发展和改革局",
        "天心区卫生健康局",
        "长沙市第一中学",
    ]
    assert names(client.get(url, {"region": ledger_world.world.tianxin.code})) == [
        "天心区卫生健康局",
        "长沙市第一中学",
    ]
    assert names(client.get(url, {"institution_type": "021"})) == ["长沙市第一中学"]
    assert names(client.get(url, {"name": "发展"})) == ["芙蓉区发展和改革局"]


def test_the_list_asks_a_fixed_number_of_queries(ledger_world: LedgerWorld) -> None:
    client = client_for(ledger_world, "city")
    url = reverse("ledgers:unit_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        unit = Unit.objects.create(
            name=f"长沙市某局{n}",
            kind=Unit.Kind.PUBLIC_INSTITUTION,
            region=ledger_world.world.furong,
            institution_type="026",
        )
        year_of(unit, 2025, months=2)
        QualityFlag.objects.create(unit=unit, rule="missing_month", year=2025, key="k", message="缺月")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 12
    assert len(many) == len(few)
    assert len(many) <= 7  # login, user, roles, counties, filter regions, count, page


# --- a unit's year ---------------------------------------------------------------------------------------------


@pytest.fixture
def a_full_year(ledger_world: LedgerWorld) -> Unit:
    organ = ledger_world.organ
    year_of(organ, 2020, electricity=20000, water=2000)
    year_of(organ, 2024, electricity=15000)
    year_of(organ, 2025, electricity=12000, months=6)
    AnnualTarget.objects.create(
        office=ledger_world.world.city_office,
        region=ledger_world.world.city,
        year=2025,
        baseline_year=2020,
        area_energy_change=D("-5"),
        per_capita_water_change=D("-6"),
        source="长沙市“十四五”公共机构节约能源资源工作规划",
    )
    meter = services.create_meter(
        by=None,
        unit=organ,
        number="E-01",
        name="空调总表",
        scope="item",
        purpose="air_conditioning",
        carrier="electricity",
    )
    services.save_meter_readings(by=None, meter=meter, year=2025, amounts={1: D(300), 2: D(200)})
    services.add_data_room(
        by=None, unit=organ, year=2025, name="一楼机房", area=D(40), electricity_kwh=D(9000)
    )
    services.save_heating(by=None, unit=organ, year=2025, mode="electric", heated_area=D(1000))
    services.add_garbage_removal(
        by=None,
        unit=organ,
        removed_on=datetime.date(2025, 5, 6),
        category="hazardous",
        weight_kg=D(3),
        hauler="某回收公司",
    )
    QualityFlag.objects.create(
        unit=organ, rule="missing_month", year=2025, month=7, key="m", message="2025 年 7 月缺数"
    )
    return organ


def test_a_units_year_shows_its_records_indicators_target_and_charts(
    ledger_world: LedgerWorld, a_full_year: Unit
) -> None:
    response = client_for(ledger_world, "organ_clerk").get(detail(a_full_year, year="2025"))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "芙蓉区发展和改革局",
        "2025 年基本信息",
        "单位建筑面积能耗",
        "年度能耗指标完成情况",
        "长沙市“十四五”公共机构节约能源资源工作规划",
        "<svg",
        "空调总表",
        "一楼机房",
        "电采暖",
        "某回收公司",
        "2025 年 7 月缺数",
        "已填报 6 个月",
        "GB/T 2589",
    ):
        assert expected in text, expected
    assert reverse("ledgers:monthly_edit", args=[a_full_year.pk, 2025]) in text
    assert response.context["target_check"].status in {"met", "missed", "unknown"}
    lines = {line.key: line for line in response.context["lines"]}
    assert lines["energy_kgce"].current == D("6000") * D("0.1229")
    assert lines["energy_kgce"].previous == D("15000") * D("0.1229")
    assert lines["energy_kgce"].change == D("-60.00")


def test_it_shows_the_equal_value_when_asked(ledger_world: LedgerWorld, a_full_year: Unit) -> None:
    response = client_for(ledger_world, "furong").get(detail(a_full_year, year="2025", basis="equal_value"))
    lines = {line.key: line for line in response.context["lines"]}
    assert lines["energy_kgce"].current != D("6000") * D("0.1229")
    assert response.context["basis"] == "equal_value"


def test_it_opens_on_the_latest_year_with_data(ledger_world: LedgerWorld, a_full_year: Unit) -> None:
    response = client_for(ledger_world, "furong").get(detail(a_full_year))
    assert response.context["year"] == 2025


def test_it_answers_a_malformed_year_with_400(ledger_world: LedgerWorld) -> None:
    response = client_for(ledger_world, "furong").get(detail(ledger_world.organ, year="twenty"))
    assert response.status_code == 400


def test_a_reader_sees_no_edit_links(ledger_world: LedgerWorld, a_full_year: Unit) -> None:
    for name in ("leader", "city_clerk"):
        client = client_for(ledger_world, name)
        if name == "city_clerk":
            assert client.get(detail(a_full_year)).status_code == 404
            continue
        text = client.get(detail(a_full_year, year="2025")).content.decode()
        assert reverse("ledgers:monthly_edit", args=[a_full_year.pk, 2025]) not in text
        assert reverse("ledgers:basic_info_edit", args=[a_full_year.pk, 2025]) not in text


def test_a_units_year_asks_a_number_of_queries_that_does_not_grow(
    ledger_world: LedgerWorld, a_full_year: Unit
) -> None:
    client = client_for(ledger_world, "organ_clerk")
    url = detail(a_full_year, year="2025")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    organ = a_full_year
    for year in (2021, 2022, 2023):
        year_of(organ, year)
    for n in range(5):
        meter = services.create_meter(
            by=None,
            unit=organ,
            number=f"W-{n}",
            name="水表",
            scope="zone",
            purpose="water_supply",
            carrier="water",
        )
        services.save_meter_readings(by=None, meter=meter, year=2025, amounts={1: D(1), 2: D(2)})
        services.add_data_room(
            by=None, unit=organ, year=2025, name=f"机房{n}", area=D(1), electricity_kwh=D(1)
        )
        GarbageRemoval.objects.create(
            unit=organ,
            removed_on=datetime.date(2025, 1, n + 1),
            category="other",
            weight_kg=D(1),
            hauler="环卫",
        )
        QualityFlag.objects.create(
            unit=organ, rule="jump", year=2025, month=n + 1, key=f"j{n}", message="突变"
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_a_units_year_stays_within_its_query_budget(
    ledger_world: LedgerWorld, a_full_year: Unit, django_assert_max_num_queries
) -> None:
    client = client_for(ledger_world, "organ_clerk")
    client.get(detail(a_full_year, year="2025"))
    # login, user, roles, unit, years ×2, indicators of the years, this and last year's months, the sheet, the
    # target check, meters, data rooms, heating, garbage, flags, the coefficients used, the menu: 42, of which
    # 20 read the four coefficient tables once per conversion call.
    with django_assert_max_num_queries(42):
        client.get(detail(a_full_year, year="2025"))


# --- who may open what -----------------------------------------------------------------------------------------


def unit_pages(unit: Unit, meter: Meter | None = None) -> list[str]:
    pages = [
        reverse("ledgers:unit_detail", args=[unit.pk]),
        reverse("ledgers:basic_info_edit", args=[unit.pk, 2025]),
        reverse("ledgers:monthly_edit", args=[unit.pk, 2025]),
        reverse("ledgers:data_rooms", args=[unit.pk, 2025]),
        reverse("ledgers:heating_edit", args=[unit.pk, 2025]),
        reverse("ledgers:meter_list", args=[unit.pk]),
        reverse("ledgers:garbage_list", args=[unit.pk]),
    ]
    if meter is not None:
        pages += [
            reverse("ledgers:meter_edit", args=[unit.pk, meter.pk]),
            reverse("ledgers:meter_readings", args=[unit.pk, meter.pk, 2025]),
        ]
    return pages


@pytest.fixture
def meter(ledger_world: LedgerWorld) -> Meter:
    return services.create_meter(
        by=None,
        unit=ledger_world.organ,
        number="E-01",
        name="总表",
        scope="household",
        purpose="other",
        carrier="electricity",
    )


@pytest.mark.parametrize("name", ["city_clerk", "tianxin", "outsider", "sector"])
def test_users_outside_the_units_scope_get_404(ledger_world: LedgerWorld, meter: Meter, name: str) -> None:
    client = client_for(ledger_world, name)
    for url in unit_pages(ledger_world.organ, meter):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("ledgers:monthly_edit", args=[ledger_world.organ.pk, 2025]), {}).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["organ_clerk", "furong", "city", "admin"])
def test_the_clerk_and_the_offices_above_open_every_page(
    ledger_world: LedgerWorld, meter: Meter, name: str
) -> None:
    client = client_for(ledger_world, name)
    for url in unit_pages(ledger_world.organ, meter):
        assert client.get(url).status_code == 200, url


def test_a_sector_department_reads_its_schools_ledger_but_may_not_write(ledger_world: LedgerWorld) -> None:
    school = ledger_world.world.school
    client = client_for(ledger_world, "sector")
    for url in unit_pages(school)[:1] + unit_pages(school)[3:4] + unit_pages(school)[5:]:
        assert client.get(url).status_code == 200, url
    for url in unit_pages(school)[1:3] + unit_pages(school)[4:5]:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("ledgers:monthly_edit", args=[school.pk, 2025]), {"m1_water": "5"})
    assert response.status_code == 403
    response = client.post(
        reverse("ledgers:garbage_list", args=[school.pk]),
        {"removed_on": "2025-01-02", "category": "other", "weight_kg": "3", "hauler": "环卫"},
    )
    assert response.status_code == 403
    assert not Consumption.objects.exists()
    assert not GarbageRemoval.objects.exists()


def test_a_leadership_member_reads_but_gets_403_on_forms(ledger_world: LedgerWorld) -> None:
    client = client_for(ledger_world, "leader")
    assert client.get(detail(ledger_world.organ)).status_code == 200
    assert client.get(reverse("ledgers:monthly_edit", args=[ledger_world.organ.pk, 2025])).status_code == 403
    assert (
        client.post(reverse("ledgers:basic_info_edit", args=[ledger_world.organ.pk, 2025]), {}).status_code
        == 403
    )


def test_a_community_keeps_no_ledger_pages(ledger_world: LedgerWorld) -> None:
    community = ledger_world.world.furong_unit
    client = client_for(ledger_world, "unit")
    for url in unit_pages(community):
        assert client.get(url).status_code == 404, url


def test_the_pages_need_a_login(ledger_world: LedgerWorld) -> None:
    response = Client().get(detail(ledger_world.organ))
    assert response.status_code == 302
    assert BasicInfo.objects.filter(unit=ledger_world.organ).count() == 6
