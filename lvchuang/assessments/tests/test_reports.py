"""The printable report (PDF with an embedded Chinese font) and the Excel export."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lvchuang.assessments import services
from lvchuang.assessments.tests.helpers import PASSING, leaf, pdf_upload, png_upload


@pytest.fixture
def completed(world, assessment, answer):
    for code, values in PASSING.items():
        answer(code, **values)
    answer("1.1", points=Decimal("10"), narrative="2024 年 3 月发文成立领导小组，书记任组长。")
    answer("1.2", points=Decimal("0"), narrative="年度节能目标未完成。")
    for code, upload in (("1.1", pdf_upload("领导小组成立文件.pdf")), ("2.1", png_upload("楼道灯照片.png"))):
        services.attach_evidence(
            by=world.user("unit"), assessment=assessment, item=leaf(assessment.version, code), upload=upload
        )
    return services.complete_assessment(by=world.user("unit"), assessment=assessment)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # fpdf2 names its CFF font's encoding with an embedded Identity CMap, which pypdf reads as one byte per
    # code: every character comes out right but after a NUL (poppler's pdftotext reads it cleanly).
    return "\n".join(page.extract_text() for page in reader.pages).replace("\x00", "")


def embedded_fonts(content: bytes) -> set[str]:
    """Names of the fonts whose program is inside the file (FontFile, FontFile2 or FontFile3)."""
    reader = PdfReader(io.BytesIO(content))
    found = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    found.add(str(descriptor["/FontName"]))
    return found


def test_it_prints_the_report_with_the_chinese_text_and_an_embedded_font_subset(client, world, completed):
    client.force_login(world.user("furong"))

    response = client.get(f"/assessments/{completed.pk}/report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    text = pdf_text(response.content).replace("\n", "")  # table cells wrap anywhere in Chinese text
    for expected in (
        "自评报告",
        "识字岭社区居委会",
        "节能环保社区考评标准",
        "2024 年版",
        "已完成",
        "未通过",
        "必须完成项「1.2 完成年度节能目标」得分为零",
        "成立创建工作领导小组",
        "书记任组长",
        "佐证材料清单",
        "领导小组成立文件.pdf",
        "楼道灯照片.png",
    ):
        assert expected in text, expected
    [font] = embedded_fonts(response.content)
    # A subset (six letters and a plus sign before the name) of Noto Sans CJK SC, from noto-cjk-sans-otc.
    assert font.endswith("+NotoSansCJKSC")
    assert len(font.split("+")[0]) == 7
    assert len(response.content) < 200_000


def test_it_prints_a_draft_with_its_provisional_result(client, world, assessment, answer):
    answer("1.1", points=Decimal("6"))
    client.force_login(world.user("unit"))

    text = pdf_text(client.get(f"/assessments/{assessment.pk}/report.pdf").content)

    assert "填写中" in text
    assert "尚未完成" in text
    assert "本自评尚未完成，以上结果按打印时已填写的内容计算。" in text
    assert "没有上传佐证材料。" in text


def test_it_exports_the_answers_and_the_evidence_list_to_excel(client, world, completed):
    client.force_login(world.user("city"))

    response = client.get(f"/assessments/{completed.pk}/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["自评结果", "佐证材料"]
    summary = workbook["自评结果"]
    facts = {row[0]: row[1] for row in summary.iter_rows(max_row=13, values_only=True)}
    assert facts["单位"] == "识字岭社区居委会"
    assert facts["自评得分"] == "77 / 105 分"
    assert facts["结果"] == "未通过"
    assert str(facts["评分说明"]).startswith("未通过：必须完成项「1.2 完成年度节能目标」得分为零。")
    rows = {row[0]: row for row in summary.iter_rows(min_row=15, values_only=True) if row[0]}
    assert rows["编号"][:5] == ("编号", "条目", "类型", "分值", "自评分")
    assert rows["1.1"][1:] == (
        "成立创建工作领导小组",
        "计分项",
        10,
        10,
        None,
        "2024 年 3 月发文成立领导小组，书记任组长。",
        1,
    )
    assert rows["1.2"][2] == "★ 必须完成项"
    assert rows["3.1"][5] == "满足"
    assert rows["2.2"][2] == "小计"
    files = list(workbook["佐证材料"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[2], row[4]) for row in files] == [
        ("1.1", "领导小组成立文件.pdf", "PDF", "unit"),
        ("2.1", "楼道灯照片.png", "PNG 图片", "unit"),
    ]
    assert all(len(str(row[6])) == 64 for row in files)
