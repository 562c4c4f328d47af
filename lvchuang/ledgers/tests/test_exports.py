"""The official summary tables in Excel: 按部门、按地区、按类型汇总 and 说明, numbers as numbers, scoped."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from lvchuang.ledgers.models import Consumption, Measure
from lvchuang.ledgers.tests.conftest import LedgerWorld
from lvchuang.ledgers.tests.test_summary_pages import add_districts, build_ledgers, client_for, queries

URL = reverse("ledgers:summary_export")
D = Decimal
HEADINGS = [
    "名称",
    "单位数",
    "建筑面积（m²）",
    "用能人数",
    "电力（万kWh）",
    "天然气（万m³）",
    "汽油（t）",
    "柴油（t）",
    "其他能源（tce）",
    "综合能耗（tce）",
    "用水量（万m³）",
    "碳排放（tCO₂）",
    "单位建筑面积能耗（kgce/m²）",
    "人均综合能耗（kgce/人）",
    "人均用水量（m³/人）",
    "单位建筑面积碳排放（kgCO₂/m²）",
    "综合能耗同比（%）",
    "单位建筑面积能耗同比（%）",
    "人均综合能耗同比（%）",
    "人均用水量同比（%）",
    "单位建筑面积碳排放同比（%）",
]


@pytest.fixture
def ledgers(ledger_world: LedgerWorld) -> LedgerWorld:
    return build_ledgers(ledger_world)


def workbook(client: Client, **query: str) -> Workbook:
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def rows(sheet: Worksheet) -> dict[str, dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    headings = [str(heading) for heading in values[0]]
    return {str(row[0]): dict(zip(headings, row, strict=True)) for row in values[1:]}


def test_it_writes_the_three_official_tables_and_the_notes(ledgers: LedgerWorld) -> None:
    book = workbook(client_for(ledgers, "city"))

    assert book.sheetnames == ["按部门汇总", "按地区汇总", "按类型汇总", "说明"]
    for name in book.sheetnames[:3]:
        assert [cell.value for cell in book[name][1]] == HEADINGS
        assert book[name]["A2"].value == "合计"
    regions = rows(book["按地区汇总"])
    assert list(regions) == ["合计", "长沙市本级", "芙蓉区", "天心区"]
    total = regions["合计"]
    assert total["单位数"] == 3
    assert total["建筑面积（m²）"] == 20000
    assert total["用能人数"] == 500
    assert total["电力（万kWh）"] == pytest.approx(25.8)
    assert total["综合能耗（tce）"] == pytest.approx(31.7082)
    assert total["用水量（万m³）"] == pytest.approx(0.996)
    assert total["单位建筑面积能耗（kgce/m²）"] == pytest.approx(1.58541)
    assert total["人均用水量（m³/人）"] == pytest.approx(19.92)
    assert total["单位建筑面积能耗同比（%）"] == pytest.approx(-4.44)
    assert total["综合能耗同比（%）"] == pytest.approx(-4.44)
    assert regions["芙蓉区"]["单位建筑面积能耗同比（%）"] == pytest.approx(-10.0)
    assert regions["天心区"]["天然气（万m³）"] == 0
    assert list(rows(book["按类型汇总"])) == ["合计", "01 国家机关"]
    assert list(rows(book["按部门汇总"])) == ["合计", "无主管部门"]
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert notes["地区"] == "长沙市"
    assert notes["年度"] == 2024
    assert notes["折算口径"] == "当量值"
    coefficients = [
        row[1] for row in book["说明"].iter_rows(values_only=True) if row[0] in ("所用系数", None)
    ]
    assert any("0.1229" in str(text) for text in coefficients)


def test_its_figures_are_numbers_with_number_formats(ledgers: LedgerWorld) -> None:
    sheet = workbook(client_for(ledgers, "city"))["按地区汇总"]
    for cell in sheet[2][1:]:
        assert cell.data_type == "n", cell.coordinate
        assert cell.number_format != "General", cell.coordinate


def test_it_gives_liquid_fuels_in_tonnes(ledgers: LedgerWorld) -> None:
    Consumption.objects.create(
        unit=ledgers.organ,
        year=2024,
        month=3,
        carrier="gasoline",
        amount=D("1000"),
        measure=Measure.LITRE,
        updated_at=timezone.now(),
    )
    regions = rows(workbook(client_for(ledgers, "city"))["按地区汇总"])
    assert regions["芙蓉区"]["汽油（t）"] == pytest.approx(0.73)  # 1,000 L at 0.73 kg/L
    assert regions["合计"]["综合能耗（tce）"] == pytest.approx(31.7082 + 0.73 * 1.4714)


def test_it_exports_the_year_region_and_basis_asked_for(ledgers: LedgerWorld) -> None:
    book = workbook(
        client_for(ledgers, "city"), region=ledgers.world.furong.code, year="2023", basis="equal_value"
    )
    regions = rows(book["按地区汇总"])
    assert regions["合计"]["单位数"] == 1
    assert regions["合计"]["电力（万kWh）"] == pytest.approx(12)
    assert regions["合计"]["综合能耗同比（%）"] is None  # no 2022 ledger
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert (notes["地区"], notes["年度"], notes["折算口径"]) == ("芙蓉区", 2023, "等价值")


def test_the_export_is_scoped_like_the_page(ledgers: LedgerWorld) -> None:
    furong = client_for(ledgers, "furong")
    assert furong.get(URL, {"region": ledgers.world.tianxin.code}).status_code == 404
    assert furong.get(URL, {"region": ledgers.world.city.code}).status_code == 404
    assert client_for(ledgers, "outsider").get(URL).status_code == 403  # no region: nothing to export
    assert rows(workbook(furong)["按地区汇总"])["合计"]["单位数"] == 1


def test_the_exports_query_count_does_not_grow_with_the_regions(ledgers: LedgerWorld) -> None:
    client = client_for(ledgers, "city")
    add_districts(ledgers, range(2))
    before = queries(client, URL, {})
    add_districts(ledgers, range(2, 4))
    assert queries(client, URL, {}) == before
