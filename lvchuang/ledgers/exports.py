"""The official summary tables of the statistics system (facts §3: 按部门、按地区、按类型汇总) as one workbook.

Layout: one sheet per table, the column headings in row 1, the region's 合计 in row 2 and one row per group
below it (by sector department, by child region, by unit type code); a fourth sheet 说明 names the region, the
year, the conversion basis and every coefficient used. Each group row has the same columns:

    名称 · 单位数 · 建筑面积（m²） · 用能人数 ·
    电力（万kWh） · 天然气（万m³） · 汽油（t） · 柴油（t） · 其他能源（tce） · 综合能耗（tce） ·
    用水量（万m³） · 碳排放（tCO₂） ·
    单位建筑面积能耗（kgce/m²） · 人均综合能耗（kgce/人） · 人均用水量（m³/人） · 单位建筑面积碳排放（kgCO₂/m²） ·
    综合能耗同比（%） and 同比（%） of each of the four indicators.

Electricity, natural gas, gasoline and diesel are given in the form's physical units; every other carrier (coal,
kerosene, LPG, heat) is summed as standard coal in 其他能源. Water is not part of 综合能耗. Figures are numbers
with number formats, never text, so the tables can be summed and charted in Excel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lvchuang.ledgers.indicators import INDICATORS, GroupRow, Indicators
from lvchuang.ledgers.models import Basis
from lvchuang.ledgers.summaries import PHYSICAL_CARRIERS, Grouping, OfficialTables
from lvchuang.lib.energy import percent_change
from lvchuang.targets.exports import XLSX_CONTENT_TYPE

__all__ = ["XLSX_CONTENT_TYPE", "disposition", "xlsx_of"]

COUNT = "#,##0"
AREA = "#,##0.00"
AMOUNT = "#,##0.00"
INDICATOR = "0.00"
PERCENT = "0.00"
HEADING_FILL = PatternFill("solid", fgColor="F0F7F2")

SHEETS = (
    (Grouping.SECTOR, gettext_lazy("按部门汇总")),
    (Grouping.REGION, gettext_lazy("按地区汇总")),
    (Grouping.TYPE, gettext_lazy("按类型汇总")),
)

Column = tuple[str, str, Callable[[GroupRow, OfficialTables], object]]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _physical(carrier: str) -> Callable[[GroupRow, OfficialTables], object]:
    return lambda row, tables: _number(tables.physical(row.current, carrier))


def _indicator(key: str) -> Callable[[GroupRow, OfficialTables], object]:
    return lambda row, _tables: _number(row.current.value(key))


def _change(key: str) -> Callable[[GroupRow, OfficialTables], object]:
    return lambda row, _tables: _number(row.change(key))


def _energy_change(row: GroupRow, _tables: OfficialTables) -> object:
    previous: Indicators | None = row.previous
    return _number(percent_change(previous.energy_kgce if previous else None, row.current.energy_kgce))


def columns() -> list[Column]:
    """The columns of every summary sheet: heading, number format and how to read it from a group."""
    found: list[Column] = [
        (_("名称"), "@", lambda row, _tables: row.label),
        (_("单位数"), COUNT, lambda row, _tables: row.current.units),
        (_("建筑面积（m²）"), AREA, lambda row, _tables: _number(row.current.floor_area)),
        (_("用能人数"), COUNT, lambda row, _tables: row.current.headcount),
    ]
    found += [
        (str(label), AMOUNT, _physical(carrier)) for carrier, (label, _per) in PHYSICAL_CARRIERS.items()
    ]
    found += [
        (_("其他能源（tce）"), AMOUNT, lambda row, tables: _number(tables.other_energy_tce(row.current))),
        (_("综合能耗（tce）"), AMOUNT, lambda row, _tables: _number(row.current.energy_kgce / 1000)),
        (_("用水量（万m³）"), AMOUNT, lambda row, _tables: _number(row.current.water_m3 / 10000)),
        (_("碳排放（tCO₂）"), AMOUNT, lambda row, _tables: _number(row.current.co2_kg / 1000)),
    ]
    found += [(f"{info.label}（{info.measure}）", INDICATOR, _indicator(info.key)) for info in INDICATORS]
    found.append((_("综合能耗同比（%）"), PERCENT, _energy_change))
    found += [
        (_("%(indicator)s同比（%%）") % {"indicator": info.label}, PERCENT, _change(info.key))
        for info in INDICATORS
    ]
    return found


def _sheet(sheet: Worksheet, tables: OfficialTables, rows: Iterable[GroupRow]) -> None:
    spec = columns()
    sheet.append([heading for heading, _format, _read in spec])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADING_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, row in enumerate([tables.total, *rows]):
        sheet.append([read(row, tables) for _heading, _format, read in spec])
        for cell, (_heading, number_format, _read) in zip(sheet[index + 2], spec, strict=True):
            cell.number_format = number_format
            if index == 0:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    for position in range(2, len(spec) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 14
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "B2"


def _notes(sheet: Worksheet, tables: OfficialTables) -> None:
    sheet.append([_("项目"), _("内容")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADING_FILL
    facts: list[tuple[str, object]] = [
        (_("地区"), tables.region.name),
        (_("统计用区划代码"), tables.region.code),
        (_("年度"), tables.year),
        (_("折算口径"), str(Basis(tables.basis).label)),
        (_("统计单位数"), tables.total.current.units),
        (_("生成时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    for label, value in facts:
        sheet.append([label, value])
    for index, source in enumerate(tables.sources):
        sheet.append([_("所用系数") if index == 0 else "", source])
    for line in (
        _(
            "按部门汇总按主管部门分组，按地区汇总按下一级行政区分组（含本级），按类型汇总按公共机构类型代码"
            "分组；第 2 行为合计。"
        ),
        _(
            "综合能耗按所选折算口径折算为标准煤，不含水；电力、天然气、汽油、柴油为实物量，其他能源（原煤、"
            "煤油、液化石油气、热力等）为标准煤。"
        ),
        _(
            "单位建筑面积能耗 = 综合能耗 ÷ 建筑面积；人均综合能耗 = 综合能耗 ÷ 用能人数；人均用水量 = 用水量 ÷ "
            "用能人数；单位建筑面积碳排放 = 碳排放 ÷ 建筑面积。"
        ),
        _("同比为本年较上年的变化（%）；上年无数据时留空。只计入当年有基本信息和消费数据的单位。"),
    ):
        sheet.append([_("说明"), line])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 100


def xlsx_of(tables: OfficialTables) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    for index, (by, title) in enumerate(SHEETS):
        sheet = first if index == 0 else workbook.create_sheet()
        sheet.title = str(title)
        _sheet(sheet, tables, tables.tables[by])
    _notes(workbook.create_sheet(_("说明")), tables)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def disposition(tables: OfficialTables) -> str:
    stem = _("能源资源消费汇总-%(region)s-%(year)s") % {"region": tables.region.name, "year": tables.year}
    header = content_disposition_header(True, f"{stem}.xlsx")
    assert header is not None
    return header
