"""Excel, YAML and JSON: what goes out comes back the same, and a bad file changes nothing and says where."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from lvchuang.standards import interchange, services
from lvchuang.standards.defaults import default_documents
from lvchuang.standards.document import StandardDocument
from lvchuang.standards.interchange import (
    export_json,
    export_xlsx,
    export_yaml,
    read_json,
    read_xlsx,
    read_yaml,
)
from lvchuang.standards.models import Item, StandardVersion
from lvchuang.standards.selectors import document_of
from lvchuang.standards.tests.factories import small_document

FIRST_ITEM_ROW = 15  # 12 header rows, a blank row, the item header row
KINDS_EXPECTED = "应为领域、计分项、必须完成项、基本条件、加分项之一（或 area、scored、veto、gate、bonus）"


def edited_xlsx(document, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(export_xlsx(document)))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def item_rows(workbook) -> dict[str, int]:
    sheet = workbook["评价标准"]
    return {str(sheet.cell(row=row, column=1).value): row for row in range(FIRST_ITEM_ROW, sheet.max_row + 1)}


# --- round trips --------------------------------------------------------------------------------------------------

ROUND_TRIPS: dict[str, tuple[Callable[[StandardDocument], Any], Callable[[Any], interchange.ReadResult]]] = {
    "xlsx": (export_xlsx, read_xlsx),
    "yaml": (export_yaml, read_yaml),
    "json": (export_json, read_json),
}
DEFAULTS = [document for _path, document in default_documents()]


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIPS))
@pytest.mark.parametrize("document", [small_document(), *DEFAULTS], ids=lambda d: d.code)
def test_a_document_comes_back_from_its_file_unchanged(fmt, document):
    write, read = ROUND_TRIPS[fmt]
    result = read(write(document))
    assert result.errors == []
    assert result.document == document


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIPS))
def test_an_exported_version_imports_as_a_new_version_with_every_item_and_band_equal(world, draft, fmt):
    services.move_item(by=world.user("furong"), item=draft.items.get(code="1.2"), direction="up")
    content = interchange.export(document_of(draft), fmt)
    result = interchange.read_file(f"standard.{fmt}", content)
    assert result.document is not None, result.errors
    imported = services.import_version(
        by=world.user("furong"), standard=draft.standard, document=result.document
    )

    assert imported.number == 2
    assert imported.status == StandardVersion.Status.DRAFT
    assert document_of(imported) == document_of(draft)
    fields = (
        "code",
        "title",
        "kind",
        "max_points",
        "guidance",
        "evidence_required",
        "needs_confirmation",
        "order",
    )
    original = {i["code"]: i for i in draft.items.values(*fields, "parent__code")}
    again = {i["code"]: i for i in imported.items.values(*fields, "parent__code")}
    assert again == original
    assert list(imported.grade_bands.values_list("name", "min_score")) == list(
        draft.grade_bands.values_list("name", "min_score")
    )


def test_the_excel_file_has_the_layout_offices_use():
    workbook = load_workbook(io.BytesIO(export_xlsx(small_document())))
    assert workbook.sheetnames == ["评价标准", "等次"]
    sheet = workbook["评价标准"]
    header = [sheet.cell(row=row, column=1).value for row in range(1, 7)]
    assert header == ["标准名称", "版本", "满分", "合格线", "加分上限", "适用单位"]
    assert sheet.cell(row=6, column=2).value == "社区（居委会）"
    assert [c.value for c in sheet[FIRST_ITEM_ROW - 1]] == list(interchange.ITEM_COLUMNS)
    assert [c.value for c in sheet[FIRST_ITEM_ROW + 3]] == [
        "1.1",
        "1",
        "计分项",
        "成立创建工作领导小组",
        20,
        "有成立文件得 20 分",
        "成立文件",
        None,
    ]
    assert [[c.value for c in row] for row in workbook["等次"].iter_rows()] == [
        ["等次", "最低分"],
        ["优秀", 90],
        ["合格", 80],
        ["不合格", 0],
    ]


def test_it_reads_kinds_and_flags_written_in_chinese_or_english_and_codes_typed_as_numbers():
    def edit(workbook):
        sheet = workbook["评价标准"]
        rows = item_rows(workbook)
        sheet.cell(row=rows["1.1"], column=3).value = "scored"
        sheet.cell(row=rows["2"], column=3).value = "★"
        sheet.cell(row=rows["3"], column=3).value = "Bonus"
        sheet.cell(row=rows["1.2"], column=8).value = "是"
        sheet.cell(row=rows["2"], column=1).value = 2  # Excel turned the code into a number
        sheet.cell(row=6, column=2).value = "社区"

    result = read_xlsx(edited_xlsx(small_document(), edit))
    assert result.errors == []
    assert result.document == small_document()


# --- malformed files ------------------------------------------------------------------------------------------------


def test_a_malformed_excel_file_lists_each_bad_row_with_its_sheet_and_row_number():
    def edit(workbook):
        sheet = workbook["评价标准"]
        rows = item_rows(workbook)
        sheet.cell(row=rows["1.1"], column=5).value = "二十"  # bad points
        sheet.cell(row=rows["1.2"], column=3).value = "奇怪类型"  # unknown kind
        sheet.cell(row=rows["2"], column=2).value = "7"  # missing parent
        sheet.cell(row=rows["3"], column=1).value = "1.1"  # duplicate code
        sheet.cell(row=rows["0.1"], column=5).value = -3  # negative points
        workbook["等次"].cell(row=3, column=2).value = "八十"

    result = read_xlsx(edited_xlsx(small_document(), edit))

    assert result.document is None
    found = {(error.sheet, error.row): error.message for error in result.errors}
    assert found == {
        ("评价标准", 16): "分值不能为负数（现为 -3）",
        ("评价标准", 18): "分值“二十”不是数字",
        (
            "评价标准",
            19,
        ): f"类型“奇怪类型”无效，{KINDS_EXPECTED}",
        ("评价标准", 20): "上级编号 7 不存在",
        ("评价标准", 21): "编号 1.1 与第 18 行重复",
        ("等次", 3): "最低分“八十”不是数字",
    }
    assert str(result.errors[0]).startswith("“评价标准”表第 16 行：")


def test_a_wrong_item_header_is_reported_on_its_row():
    def edit(workbook):
        workbook["评价标准"].cell(row=FIRST_ITEM_ROW - 1, column=2).value = "父编号"

    [error] = read_xlsx(edited_xlsx(small_document(), edit)).errors
    assert (error.sheet, error.row) == ("评价标准", FIRST_ITEM_ROW - 1)
    assert error.message.startswith(
        "条目表头应为“编号 | 上级编号 | 类型 | 名称 | 分值 | 评分细则 | 佐证材料 | 待确认”"
    )


def test_a_missing_or_unknown_header_line_and_a_missing_sheet_are_reported():
    def edit(workbook):
        sheet = workbook["评价标准"]
        sheet.cell(row=3, column=1).value = "总分"  # instead of 满分

    messages = [str(error) for error in read_xlsx(edited_xlsx(small_document(), edit)).errors]
    assert messages[0].startswith("“评价标准”表第 3 行：表头“总分”无法识别")
    assert "“评价标准”：表头缺少“满分”一行" in messages

    def rename(workbook):
        workbook["评价标准"].title = "Sheet1"

    [error] = read_xlsx(edited_xlsx(small_document(), rename)).errors
    assert error.message == "找不到名为“评价标准”的工作表（文件中有：Sheet1、等次）。"
    [error] = read_xlsx(b"not a workbook").errors
    assert "无法读取 Excel 文件" in error.message


def test_rows_that_read_well_but_do_not_add_up_are_reported_on_the_items_row():
    def edit(workbook):
        rows = item_rows(workbook)
        workbook["评价标准"].cell(row=rows["1.2"], column=5).value = 30

    messages = [str(error) for error in read_xlsx(edited_xlsx(small_document(), edit)).errors]
    assert messages == [
        "“评价标准”表第 17 行：领域「1 组织管理」的分值 60 分高于其下级条目最多可得的 50 分，满分无法达到",
        "“评价标准”：计分项（不含加分项）最多可得 90 分，与标准满分 100 分不一致",
    ]

    def gate(workbook):
        rows = item_rows(workbook)
        workbook["评价标准"].cell(row=rows["0.1"], column=5).value = 5

    [error] = read_xlsx(edited_xlsx(small_document(), gate)).errors
    assert (error.row, error.message) == (16, "基本条件只判断是否满足，分值必须为 0（现为 5）")


def test_a_malformed_json_or_yaml_file_lists_each_bad_item_by_its_position():
    data = json.loads(export_json(small_document()))
    area = data["items"][1]  # 1 组织管理
    area["children"][0]["points"] = "many"
    area["children"][1]["kind"] = "unknown"
    area["children"][1]["colour"] = "green"
    data["items"].append({"code": "1", "title": "重复", "kind": "area", "points": 0})
    data["version"]["total_points"] = "一百"

    result = read_json(json.dumps(data, ensure_ascii=False))

    assert result.document is None
    assert [str(error) for error in result.errors] == [
        "“版本信息”：满分“一百”不是数字",
        "条目第 5 项：未知字段“colour”",
        "条目第 4 项：分值“many”不是数字",
        f"条目第 5 项：类型“unknown”无效，{KINDS_EXPECTED}",
        "条目第 8 项：编号 1 与第 3 项重复",
    ]
    [error] = read_yaml("items: [\n  - code: 1\n   title: x").errors
    assert error.message.startswith("YAML 格式错误（第 2 行）：")
    [error] = interchange.read_file("standard.csv", b"a,b").errors
    assert error.message == "只能导入 .xlsx、.yaml（.yml）或 .json 文件。"


def test_the_yaml_export_is_the_format_of_the_built_in_defaults():
    data = yaml.safe_load(export_yaml(small_document()))
    assert data["format"] == "lvchuang-standard/1"
    assert list(data) == [
        "format",
        "code",
        "name",
        "title_name",
        "description",
        "source",
        "version",
        "grade_bands",
        "items",
    ]
    assert data["items"][1]["children"][0] == {
        "code": "1.1",
        "title": "成立创建工作领导小组",
        "kind": "scored",
        "points": 20,
        "guidance": "有成立文件得 20 分",
        "evidence": "成立文件",
    }


# --- the import page ------------------------------------------------------------------------------------------------


def test_the_import_page_changes_nothing_for_a_bad_file_and_shows_every_error(client, world, draft):
    def edit(workbook):
        rows = item_rows(workbook)
        workbook["评价标准"].cell(row=rows["1.1"], column=5).value = "二十"
        workbook["评价标准"].cell(row=rows["2"], column=2).value = "7"

    versions, items = StandardVersion.objects.count(), Item.objects.count()
    client.force_login(world.user("furong"))
    upload = SimpleUploadedFile("标准.xlsx", edited_xlsx(document_of(draft), edit))
    response = client.post(f"/standards/versions/{draft.pk}/import/", {"file": upload})

    assert response.status_code == 400
    body = response.content.decode()
    assert "发现 2 处错误，未导入任何内容" in body
    assert "“评价标准”表第 18 行" in body
    assert "分值“二十”不是数字" in body
    assert "“评价标准”表第 20 行" in body
    assert "上级编号 7 不存在" in body
    assert (StandardVersion.objects.count(), Item.objects.count()) == (versions, items)


def test_the_import_page_makes_a_new_draft_from_a_sound_file(client, world, draft):
    document = document_of(draft)
    content = export_yaml(document).replace("成立创建工作领导小组", "成立领导小组")
    client.force_login(world.user("furong"))
    response = client.post(
        f"/standards/versions/{draft.pk}/import/", {"file": SimpleUploadedFile("v2.yaml", content.encode())}
    )
    imported = draft.standard.versions.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == f"/standards/versions/{imported.pk}/"
    assert imported.items.get(code="1.1").title == "成立领导小组"
    assert imported.items.get(code="1.1").max_points == Decimal("20")


def test_importing_a_new_standard_makes_it_the_offices_own(client, world):
    client.force_login(world.user("tianxin"))
    upload = SimpleUploadedFile("std.json", export_json(small_document()).encode())
    response = client.post("/standards/import/", {"file": upload, "owner": world.tianxin_office.pk})
    assert response.status_code == 302
    version = StandardVersion.objects.get(standard__name=small_document().name)
    assert version.standard.owner == world.tianxin_office
    assert version.standard.code == "furong-community"
    assert document_of(version) == small_document()
