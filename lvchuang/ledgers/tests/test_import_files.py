"""Bulk import of monthly consumption: layouts, encodings, row checks, all or nothing, idempotence."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lvchuang.ledgers import importing, quality
from lvchuang.ledgers.models import Consumption, ImportBatch
from lvchuang.ledgers.tests.conftest import LedgerWorld

ORGAN = "11430102MB1234567X"  # 芙蓉区发展和改革局 (organ_clerk's unit)
CITY_ORGAN = "11430100MB7654321Y"  # 长沙市机关事务管理局 (city_clerk's unit)
TIANXIN_ORGAN = "11430103MB0000001Z"  # 天心区卫生健康局
LONG = ["统一社会信用代码", "年份", "月份", "品种", "数量", "计量单位"]
OFFICIAL = list(importing.OFFICIAL_HEADER)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def csv_bytes(rows: Sequence[Any], encoding: str = "utf-8") -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Any]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def official_row(code: str, year: object, month: object, **values: object) -> list[object]:
    """A row of the official layout with the given columns filled (keyword = column name)."""
    cells: dict[str, object] = {
        "统一社会信用代码": code,
        "单位名称": "",
        "年份": year,
        "月份": month,
        **values,
    }
    return [cells.get(name, "") for name in OFFICIAL]


def run(user, content: bytes, name: str = "ledger.csv", layout: str = "") -> ImportBatch:
    upload = SimpleUploadedFile(name, content)
    batch = importing.store_import(by=user, upload=upload, layout=layout)
    importing.run_import(batch)
    batch.refresh_from_db()
    return batch


def report_of(batch: ImportBatch) -> list[list[str]]:
    with batch.error_report.open("rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel opens it"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def amounts(unit) -> dict[tuple[int, int, str], tuple[Decimal, str]]:
    return {
        (c.year, c.month, c.carrier): (c.amount, c.measure) for c in Consumption.objects.filter(unit=unit)
    }


def test_it_imports_the_long_layout_from_csv(ledger_world: LedgerWorld):
    clerk = ledger_world.organ_clerk
    batch = run(
        clerk,
        csv_bytes(
            [
                LONG,
                [ORGAN, 2024, 1, "电力", "12345.6", "kWh"],
                [ORGAN, 2024, 1, "water", "300", "立方米"],
                [ORGAN, "2024", "02", "柴油", "55.125", "升"],
            ]
        ),
    )
    assert batch.status == ImportBatch.Status.DONE, batch.message
    assert batch.layout == ImportBatch.Layout.LONG
    assert (batch.rows_read, batch.created, batch.updated, batch.unchanged) == (3, 3, 0, 0)
    assert batch.bytes_done == batch.size
    assert amounts(ledger_world.organ) == {
        (2024, 1, "electricity"): (Decimal("12345.600"), "kWh"),
        (2024, 1, "water"): (Decimal("300.000"), "m3"),
        (2024, 2, "diesel"): (Decimal("55.125"), "L"),
    }
    row = Consumption.objects.get(unit=ledger_world.organ, carrier="electricity")
    assert (row.batch_id, row.updated_by_id) == (batch.pk, clerk.pk)
    assert row.updated_at is not None


def test_it_imports_the_official_layout_from_csv(ledger_world: LedgerWorld):
    rows = [
        OFFICIAL,
        official_row(ORGAN, 2024, 1, **{"电力(千瓦时)": "1000", "汽油(升)": "80.5", "水(立方米)": "20"}),
        official_row(ORGAN, 2024, 2, **{"电力(千瓦时)": "1100", "天然气(立方米)": "0"}),
    ]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert batch.status == ImportBatch.Status.DONE, batch.message
    assert batch.layout == ImportBatch.Layout.OFFICIAL
    assert (batch.rows_read, batch.created) == (2, 5)
    assert amounts(ledger_world.organ)[(2024, 1, "gasoline")] == (Decimal("80.500"), "L")
    assert amounts(ledger_world.organ)[(2024, 2, "natural_gas")] == (Decimal("0.000"), "m3")


def test_it_imports_both_layouts_from_xlsx(ledger_world: LedgerWorld):
    official = xlsx_bytes(
        [OFFICIAL, official_row(ORGAN, 2023, 12, **{"电力(千瓦时)": 2500.25, "热力(吉焦)": 12})]
    )
    batch = run(ledger_world.organ_clerk, official, name="月报.xlsx")
    assert (batch.status, batch.layout, batch.created) == ("done", "official", 2)
    long = xlsx_bytes(
        [LONG, [ORGAN, 2023, 11, "原煤", 1200, "千克"], [ORGAN, 2023.0, 10.0, "lpg", 0.125, "kg"]]
    )
    batch = run(ledger_world.organ_clerk, long, name="long.xlsx")
    assert (batch.status, batch.layout, batch.created) == ("done", "long", 2), batch.message
    assert amounts(ledger_world.organ) == {
        (2023, 12, "electricity"): (Decimal("2500.250"), "kWh"),
        (2023, 12, "heat"): (Decimal("12.000"), "GJ"),
        (2023, 11, "raw_coal"): (Decimal("1200.000"), "kg"),
        (2023, 10, "lpg"): (Decimal("0.125"), "kg"),
    }


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_it_reads_csv_saved_by_excel_in_china_and_in_utf8(ledger_world: LedgerWorld, encoding):
    rows = [LONG, [ORGAN, 2024, 3, "液化石油气", "12", "千克"], [ORGAN, 2024, 3, "热力", "3.5", "吉焦"]]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows, encoding))
    assert (batch.status, batch.created) == ("done", 2), batch.message
    assert set(amounts(ledger_world.organ)) == {(2024, 3, "lpg"), (2024, 3, "heat")}


def test_it_detects_the_layout_from_a_header_in_any_order_with_spaces_and_full_width_brackets(
    ledger_world: LedgerWorld,
):
    header = [" 月份 ", "电力（千瓦时）", "统一社会信用代码", "年份", "单位名称", "柴油 （升）"]
    rows = [header, ["5", "800", ORGAN.lower(), "2024", "芙蓉区发展和改革局", "40"]]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert (batch.status, batch.layout, batch.created) == ("done", "official", 2), batch.message
    assert amounts(ledger_world.organ)[(2024, 5, "diesel")] == (Decimal("40.000"), "L")


def test_it_keeps_negative_and_zero_amounts_as_reported(ledger_world: LedgerWorld):
    rows = [LONG, [ORGAN, 2024, 4, "电力", "-120.5", "kWh"], [ORGAN, 2024, 4, "水", "0", "m3"]]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert (batch.status, batch.created) == ("done", 2)
    assert amounts(ledger_world.organ) == {
        (2024, 4, "electricity"): (Decimal("-120.500"), "kWh"),
        (2024, 4, "water"): (Decimal("0.000"), "m3"),
    }


def test_it_accepts_what_people_type_in_cells(ledger_world: LedgerWorld):
    rows = [
        LONG,
        [f" {ORGAN} ", " 2024 ", "6月", " 电力 ", "1,234,567.50", "KWH"],
        [ORGAN, "2024年", "6", "ELECTRICITY", "", "kWh"],
        [ORGAN, "２０２４", "７", "水", "＋１２．５", "m³"],
    ]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert batch.status == "rejected"
    assert [row[:2] for row in report_of(batch)[1:]] == [["3", "数量"]]  # only the blank amount
    rows.pop(2)
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert (batch.status, batch.created) == ("done", 2), report_of(batch) if batch.error_report else ""
    assert amounts(ledger_world.organ) == {
        (2024, 6, "electricity"): (Decimal("1234567.500"), "kWh"),
        (2024, 7, "water"): (Decimal("12.500"), "m3"),
    }


def test_a_reimport_of_the_same_file_changes_nothing(ledger_world: LedgerWorld):
    content = csv_bytes(
        [
            OFFICIAL,
            official_row(ORGAN, 2024, 1, **{"电力(千瓦时)": "1000", "水(立方米)": "20"}),
            official_row(ORGAN, 2024, 2, **{"电力(千瓦时)": "1000.000", "柴油(千克)": "3"}),
        ]
    )
    first = run(ledger_world.organ_clerk, content)
    before = list(Consumption.objects.order_by("pk").values())
    again = run(ledger_world.organ_clerk, content)
    assert (first.created, first.updated, first.unchanged) == (4, 0, 0)
    assert (again.status, again.created, again.updated, again.unchanged) == ("done", 0, 0, 4)
    assert list(Consumption.objects.order_by("pk").values()) == before  # not even updated_at or batch moved


def test_a_changed_value_is_counted_as_updated(ledger_world: LedgerWorld):
    run(
        ledger_world.organ_clerk,
        csv_bytes([LONG, [ORGAN, 2024, 1, "电力", "100", "kWh"], [ORGAN, 2024, 1, "柴油", "5", "kg"]]),
    )
    batch = run(
        ledger_world.organ_clerk,
        csv_bytes(
            [
                LONG,
                [ORGAN, 2024, 1, "电力", "100.000", "kWh"],  # the same value written differently
                [ORGAN, 2024, 1, "柴油", "6", "L"],  # the measure changed
                [ORGAN, 2024, 2, "电力", "90", "kWh"],
            ]
        ),
    )
    assert (batch.created, batch.updated, batch.unchanged) == (1, 1, 1)
    assert amounts(ledger_world.organ)[(2024, 1, "diesel")] == (Decimal("6.000"), "L")
    changed = Consumption.objects.get(unit=ledger_world.organ, year=2024, month=1, carrier="diesel")
    assert changed.batch_id == batch.pk


BAD_LONG_ROWS: list[tuple[list[Any], Any]] = [
    ([ORGAN, 2024, 1, "电力", "1", "kWh"], None),  # a good row among them
    (["91430000XXXXXXXXXX", 2024, 1, "电力", "1", "kWh"], ("统一社会信用代码", "无权填报或不存在")),
    (["", 2024, 1, "电力", "1", "kWh"], ("统一社会信用代码", "必填")),
    ([ORGAN, 1999, 1, "电力", "1", "kWh"], ("年份", "年份应为 2000–2100 之间的整数")),
    ([ORGAN, "二〇二四", 1, "电力", "1", "kWh"], ("年份", "年份应为 2000–2100 之间的整数")),
    ([ORGAN, 2024, 13, "电力", "1", "kWh"], ("月份", "月份应为 1–12 之间的整数")),
    ([ORGAN, 2024, 0, "电力", "1", "kWh"], ("月份", "月份应为 1–12 之间的整数")),
    ([ORGAN, 2024, 2, "焦炭", "1", "kg"], ("品种", "无法识别的品种")),
    ([ORGAN, 2024, 3, "电力", "1.2345", "kWh"], ("数量", "最多 3 位小数")),
    ([ORGAN, 2024, 4, "电力", "12345678901234", "kWh"], ("数量", "数值过大")),
    ([ORGAN, 2024, 5, "电力", "1e3", "kWh"], ("数量", "应为数字")),
    ([ORGAN, 2024, 6, "电力", "", "kWh"], ("数量", "必填")),
    ([ORGAN, 2024, 7, "电力", "1", "度"], ("计量单位", "无法识别的计量单位")),
    ([ORGAN, 2024, 8, "电力", "1", "L"], ("计量单位", "电力不能以“升”计量，应为千瓦时")),
    ([ORGAN, 2024, 9, "天然气", "1", "kg"], ("计量单位", "天然气不能以“千克”计量，应为立方米")),
]


@pytest.mark.parametrize(("cells", "expected"), BAD_LONG_ROWS[1:], ids=[e[1] for _c, e in BAD_LONG_ROWS[1:]])
def test_it_reports_each_kind_of_bad_row_with_its_row_number(ledger_world: LedgerWorld, cells, expected):
    good = BAD_LONG_ROWS[0][0]
    batch = run(ledger_world.organ_clerk, csv_bytes([LONG, good, cells, [*good[:3], "水", "1", "m3"]]))
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.error_count == 1
    (line,) = report_of(batch)[1:]
    column, problem = expected
    column, problem = expected or ("", "")
    assert line[:2] == ["3", column]
    assert line[3].startswith(problem), line
    assert line[2] == str(cells[LONG.index(column)])
    assert not Consumption.objects.exists()


def test_a_key_named_twice_is_an_error_naming_both_rows(ledger_world: LedgerWorld):
    rows = [
        LONG,
        [ORGAN, 2024, 1, "电力", "10", "kWh"],
        [ORGAN, 2024, 1, "水", "10", "m3"],
        [ORGAN, 2024, 1, "electricity", "10", "kWh"],  # the same key, even with the same value
    ]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert (batch.status, batch.error_count) == ("rejected", 2)
    problems = {(line[0], line[1]): line[3] for line in report_of(batch)[1:]}
    assert problems == {
        ("2", "品种"): "与第 4 行重复：同一单位、年份、月份、品种只能填报一次",
        ("4", "品种"): "与第 2 行重复：同一单位、年份、月份、品种只能填报一次",
    }
    assert not Consumption.objects.exists()


def test_a_fuel_in_kg_and_litres_is_one_error_in_a_row_and_a_duplicate_across_rows(ledger_world: LedgerWorld):
    rows = [
        OFFICIAL,
        official_row(ORGAN, 2024, 1, **{"汽油(千克)": "10", "汽油(升)": "13"}),
        official_row(ORGAN, 2024, 2, **{"柴油(千克)": "10", "电力(千瓦时)": "5"}),
        official_row(ORGAN, 2024, 2, **{"柴油(升)": "12", "电力(千瓦时)": "5"}),
    ]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert (batch.status, batch.error_count) == ("rejected", 3)
    lines = report_of(batch)[1:]
    assert lines[0] == ["2", "汽油(升)", "13", "同一月份的汽油只能按一种计量单位填报（千克或升）"]
    assert sorted((line[0], line[1]) for line in lines[1:]) == [
        ("3", "柴油(千克)"),
        ("3", "电力(千瓦时)"),
        ("4", "柴油(升)"),
        ("4", "电力(千瓦时)"),
    ]


def test_it_reports_every_problem_of_an_official_row_under_its_column(ledger_world: LedgerWorld):
    rows = [
        OFFICIAL,
        official_row(ORGAN, 2024, 1, **{"电力(千瓦时)": "1000"}),
        official_row(ORGAN, 2024, 13, **{"电力(千瓦时)": "12.3456", "热力(吉焦)": "x", "水(立方米)": "5"}),
    ]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert (batch.status, batch.error_count) == ("rejected", 1)
    assert [line[:3] for line in report_of(batch)[1:]] == [
        ["3", "月份", "13"],
        ["3", "电力(千瓦时)", "12.3456"],
        ["3", "热力(吉焦)", "x"],
    ]


def test_a_credit_code_held_by_two_units_in_scope_is_refused_as_ambiguous(ledger_world: LedgerWorld):
    ledger_world.tianxin_organ.credit_code = ORGAN
    ledger_world.tianxin_organ.save()
    batch = run(ledger_world.user("city"), csv_bytes([LONG, [ORGAN, 2024, 1, "电力", "1", "kWh"]]))
    assert report_of(batch)[1][3].startswith("该代码对应多个单位")
    batch = run(ledger_world.organ_clerk, csv_bytes([LONG, [ORGAN, 2024, 1, "电力", "1", "kWh"]]))
    assert batch.status == "done"  # the clerk can change only one of them


def test_a_malformed_file_changes_nothing_and_its_report_names_each_bad_row(ledger_world: LedgerWorld):
    organ = ledger_world.organ
    run(ledger_world.organ_clerk, csv_bytes([LONG, [ORGAN, 2024, 1, "电力", "100", "kWh"]]))
    before = list(Consumption.objects.order_by("pk").values())
    rows: list[list[Any]] = [LONG]
    for month in range(1, 13):
        rows.append([ORGAN, 2024, month, "电力", str(200 + month), "kWh"])  # would update January
        rows.append([ORGAN, 2024, month, "水", "30", "m3"])
    for position, cells in (
        (5, [ORGAN, 2024, 14, "水", "1", "m3"]),
        (11, [CITY_ORGAN, 2024, 1, "水", "1", "m3"]),
    ):
        rows.insert(position, cells)
    rows.append([ORGAN, 2025, 1, "电力", "abc", "kWh"])
    rows.append([ORGAN, 2025, 2, "汽油", "1.5", "立方米"])
    bad = {"6", "12", str(len(rows) - 1), str(len(rows))}
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    assert batch.status == "rejected"
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, 0)
    assert batch.error_count == len(bad)
    assert {line[0] for line in report_of(batch)[1:]} == bad
    assert list(Consumption.objects.order_by("pk").values()) == before
    assert Consumption.objects.filter(unit=organ).count() == 1


def test_an_importer_cannot_write_a_unit_outside_their_scope(ledger_world: LedgerWorld):
    rows = [
        LONG,
        [CITY_ORGAN, 2024, 1, "电力", "1", "kWh"],  # exists, another clerk's unit
        ["91430100MA00000000", 2024, 1, "电力", "1", "kWh"],  # exists nowhere
    ]
    batch = run(ledger_world.organ_clerk, csv_bytes(rows))
    lines = report_of(batch)[1:]
    # The same words for a unit out of scope as for one that does not exist: nothing about it leaks.
    assert [line[3] for line in lines] == ["无权填报或不存在", "无权填报或不存在"]
    assert not Consumption.objects.exists()


def test_an_office_imports_for_the_units_of_its_subtree_only(ledger_world: LedgerWorld):
    furong = ledger_world.user("furong")
    rows = [LONG, [ORGAN, 2024, 1, "电力", "1", "kWh"], [TIANXIN_ORGAN, 2024, 1, "电力", "1", "kWh"]]
    batch = run(furong, csv_bytes(rows))
    assert [line[:2] for line in report_of(batch)[1:]] == [["3", "统一社会信用代码"]]
    batch = run(ledger_world.user("city"), csv_bytes(rows))
    assert (batch.status, batch.created) == ("done", 2)


def test_it_refuses_a_file_whose_header_it_does_not_know(ledger_world: LedgerWorld):
    batch = run(ledger_world.organ_clerk, csv_bytes([["代码", "年份", "月份", "电量"], [ORGAN, 2024, 1, 5]]))
    assert batch.status == "rejected"
    assert batch.message == "表头有误，未导入任何数据。"
    lines = report_of(batch)[1:]
    assert [line[1] for line in lines] == ["代码", "电量", ""]
    assert lines[2][3].startswith("无法识别格式")
    batch = run(
        ledger_world.organ_clerk, csv_bytes([LONG, [ORGAN, 2024, 1, "电力", "1", "kWh"]]), layout="official"
    )
    assert batch.status == "rejected"
    assert {line[3] for line in report_of(batch)[1:]} == {"此列不属于所选格式", "没有任何品种列"}


def test_it_refuses_an_empty_file_and_a_file_that_is_not_a_spreadsheet(ledger_world: LedgerWorld):
    assert run(ledger_world.organ_clerk, csv_bytes([LONG])).message == "文件中没有数据行，未导入任何数据。"
    batch = run(ledger_world.organ_clerk, b"PK\x03\x04 not really a zip", name="broken.xlsx")
    assert (batch.status, batch.message) == ("rejected", "无法读取该 Excel 文件，请另存为 .xlsx 后重试。")


def test_it_reruns_the_quality_rules_for_the_units_and_years_written(ledger_world: LedgerWorld, monkeypatch):
    calls = []
    monkeypatch.setattr(quality, "recheck", lambda **kwargs: calls.append(kwargs))
    content = csv_bytes([LONG, [ORGAN, 2023, 12, "电力", "1", "kWh"], [ORGAN, 2024, 1, "电力", "1", "kWh"]])
    run(ledger_world.organ_clerk, content)
    assert calls == [{"unit_ids": [ledger_world.organ.pk], "years": [2023, 2024]}]
    run(ledger_world.organ_clerk, content)
    assert len(calls) == 1  # nothing written the second time: nothing to recheck


def test_a_failure_while_writing_writes_nothing_and_marks_the_batch_failed(
    ledger_world: LedgerWorld, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("rules broke")

    monkeypatch.setattr(quality, "recheck", broken)
    batch = run(ledger_world.organ_clerk, csv_bytes([LONG, [ORGAN, 2024, 1, "电力", "1", "kWh"]]))
    assert batch.status == ImportBatch.Status.FAILED
    assert not Consumption.objects.exists()


def test_an_import_opens_quality_flags_for_what_it_wrote(ledger_world: LedgerWorld):
    from lvchuang.ledgers.models import QualityFlag

    batch = run(ledger_world.organ_clerk, csv_bytes([LONG, [ORGAN, 2024, 1, "电力", "-5", "kWh"]]))
    assert batch.status == "done"
    assert QualityFlag.objects.filter(unit=ledger_world.organ, rule="non_positive", year=2024).exists()
