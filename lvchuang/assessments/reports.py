"""The self-assessment on paper (PDF) and as a sheet (Excel).

The PDF embeds a subset of Noto Sans CJK SC, read from the `noto-cjk-sans-otc` package (SIL Open Font License):
the report must print the same on an intranet machine with no Chinese fonts installed and no internet. Only the
glyphs the report uses are embedded, so a report stays a few dozen kilobytes.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import noto_cjk_sans_otc
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lvchuang.assessments.files import LABELS
from lvchuang.assessments.selectors import Row, Sheet
from lvchuang.assessments.services import human_size
from lvchuang.lib.scoring import Verdict
from lvchuang.standards.document import format_points
from lvchuang.standards.models import Item

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "NotoSansSC"
FONT_COLLECTION_INDEX = 2  # NotoSansCJK-Regular.ttc holds JP, KR, SC, TC, HK …: index 2 is Simplified Chinese
GREEN = (29, 94, 59)
DANGER = (179, 38, 30)
MUTED = (102, 113, 123)
HEADING_FILL = (240, 247, 242)
AREA_FILL = (247, 249, 248)


# --- what both formats say ----------------------------------------------------------------------------------


def _number(value: Decimal | None) -> str:
    return "—" if value is None else format_points(value)


def _kind_label(item: Item) -> str:
    return {
        Item.Kind.VETO: _("★ 必须完成项"),
        Item.Kind.GATE: _("基本条件"),
        Item.Kind.BONUS: _("加分项"),
        Item.Kind.SCORED: _("计分项"),
    }.get(Item.Kind(item.kind), "")


def _answer(row: Row) -> str:
    response = row.response
    if row.is_gate:
        if response is None or response.met is None:
            return _("未填写")
        return _("满足") if response.met else _("不满足")
    if response is None or response.points is None:
        return _("未填写")
    return _number(response.points)


def _verdict_label(sheet: Sheet) -> str:
    assessment = sheet.assessment
    if assessment.is_completed:
        return _("通过") if assessment.passed else _("未通过")
    return {
        Verdict.PASSED: _("通过"),
        Verdict.FAILED: _("未通过"),
        Verdict.INCOMPLETE: _("尚未完成"),
    }[sheet.evaluation.verdict]


def _summary(sheet: Sheet) -> list[tuple[str, str]]:
    """The facts of the cover page and the top of the Excel sheet, as label and value."""
    assessment, evaluation = sheet.assessment, sheet.evaluation
    unit, version = assessment.unit, assessment.version
    completed = assessment.is_completed
    total = assessment.total if completed else evaluation.total
    grade = assessment.grade if completed else (evaluation.grade or "")
    when = timezone.localtime(assessment.completed_at if completed else timezone.now())
    return [
        (_("单位"), unit.name),
        (_("单位类别"), str(unit.get_kind_display())),
        (_("所在行政区"), f"{unit.region.name}（{unit.region.code}）"),
        (_("评价标准"), version.standard.name),
        (_("标准版本"), f"{version.label}（第 {version.number} 版）"),
        (_("状态"), str(assessment.get_status_display())),
        (_("完成日期") if completed else _("打印日期"), when.strftime("%Y-%m-%d")),
        (_("自评得分"), f"{_number(total)} / {_number(evaluation.max_total)} 分"),
        (_("合格线"), f"{_number(evaluation.pass_line)} 分"),
        (_("结果"), _verdict_label(sheet)),
        (_("等次"), grade or "—"),
        (_("已填写"), f"{sheet.answered} / {sheet.leaf_count} 项"),
    ]


def _explanation(sheet: Sheet) -> list[str]:
    if sheet.assessment.is_completed and sheet.assessment.explanation:
        return [str(line) for line in sheet.assessment.explanation]
    return list(sheet.evaluation.explanation)


def _file_stem(sheet: Sheet) -> str:
    return f"自评-{sheet.assessment.unit.name}-{sheet.assessment.version.standard.name}"


def disposition(sheet: Sheet, extension: str, *, inline: bool) -> str:
    header = content_disposition_header(not inline, f"{_file_stem(sheet)}.{extension}")
    assert header is not None
    return header


# --- PDF ----------------------------------------------------------------------------------------------------


class _Report(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)
        font = str(noto_cjk_sans_otc.FONT_PATH)
        # The package has one weight; headings stand out by size and colour instead of bold.
        for style in ("", "B"):
            self.add_font(FONT, style, font, collection_font_number=FONT_COLLECTION_INDEX)
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.footer_text, align=Align.L)
        self.set_x(self.l_margin)
        self.cell(
            0,
            5,
            _("第 %(page)s 页，共 %(pages)s 页") % {"page": self.page_no(), "pages": "{nb}"},
            align=Align.R,
        )
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 14) -> None:
        self.set_font(FONT, size=size)
        self.set_text_color(*GREEN)
        self.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, size=10)
        self.ln(2)


def pdf_of(sheet: Sheet) -> bytes:
    assessment = sheet.assessment
    pdf = _Report(f"{assessment.unit.name} · {assessment.version.standard.name}")
    pdf.set_title(_file_stem(sheet))
    pdf.set_author(assessment.unit.name)
    pdf.set_creator("lvchuang 绿创")
    _cover(pdf, sheet)
    _items(pdf, sheet)
    _evidence(pdf, sheet)
    return bytes(pdf.output())


def _cover(pdf: _Report, sheet: Sheet) -> None:
    pdf.add_page()
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, _("绿创 · 绿色创建工作平台"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(14)
    pdf.set_text_color(*GREEN)
    pdf.set_font(FONT, size=22)
    pdf.multi_cell(0, 11, sheet.assessment.version.standard.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=16)
    pdf.cell(0, 10, _("自评报告"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=11)
    pdf.ln(8)
    with pdf.table(
        col_widths=(36, 138),
        first_row_as_headings=False,
        line_height=7,
        text_align=(Align.L, Align.L),
        wrapmode=WrapMode.CHAR,
        borders_layout="HORIZONTAL_LINES",
        padding=(1.5, 2),
    ) as table:
        for label, value in _summary(sheet):
            row = table.row()
            row.cell(label, style=FontFace(color=MUTED))
            if label == _("结果"):
                passed = value == _("通过")
                row.cell(value, style=FontFace(color=GREEN if passed else DANGER, size_pt=14))
            else:
                row.cell(value)
    pdf.ln(8)
    pdf.heading(_("评分说明"), size=12)
    for line in _explanation(sheet):
        pdf.multi_cell(0, 6.5, f"· {line}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        pdf.ln(1)
    if not sheet.assessment.is_completed:
        pdf.ln(3)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(
            0,
            6,
            _("本自评尚未完成，以上结果按打印时已填写的内容计算。"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            wrapmode=WrapMode.CHAR,
        )
        pdf.set_text_color(0, 0, 0)


def _items(pdf: _Report, sheet: Sheet) -> None:
    pdf.add_page()
    pdf.heading(_("逐项自评"))
    pdf.set_font(FONT, size=9)
    heading = FontFace(emphasis="", color=GREEN, fill_color=HEADING_FILL)
    with pdf.table(
        col_widths=(14, 50, 25, 12, 14, 59),
        headings_style=heading,
        line_height=5.2,
        text_align=(Align.L, Align.L, Align.L, Align.R, Align.R, Align.L),
        wrapmode=WrapMode.CHAR,
        padding=(1.2, 1.5),
        repeat_headings=1,
    ) as table:
        header = table.row()
        for text in (_("编号"), _("条目"), _("类型"), _("分值"), _("自评"), _("情况说明")):
            header.cell(text)
        for row in sheet.rows:
            cells = table.row()
            if not row.is_leaf:
                style = FontFace(fill_color=AREA_FILL, color=GREEN)
                cells.cell(row.item.code, style=style)
                cells.cell(row.item.title, style=style)
                cells.cell(_("领域") if row.item.kind == Item.Kind.AREA else _("小计"), style=style)
                counted = row.result.max_points > 0  # an area of basic conditions carries no points
                cells.cell(_number(row.result.max_points) if counted else "—", style=style)
                cells.cell(_number(row.result.points) if counted else "—", style=style)
                cells.cell("", style=style)
                continue
            failed = row.result.failed and row.result.answered
            cells.cell(row.item.code)
            cells.cell(row.item.title)
            cells.cell(
                _kind_label(row.item), style=FontFace(color=DANGER) if row.item.kind == "veto" else None
            )
            cells.cell("—" if row.is_gate else _number(row.item.max_points))
            cells.cell(_answer(row), style=FontFace(color=DANGER) if failed else None)
            cells.cell(row.response.narrative if row.response is not None else "")
    pdf.set_font(FONT, size=10)


def _evidence(pdf: _Report, sheet: Sheet) -> None:
    rows = [(row, evidence) for row in sheet.leaves for evidence in row.evidence]
    pdf.ln(6)
    pdf.heading(_("佐证材料清单"))
    if not rows:
        pdf.cell(0, 6, _("没有上传佐证材料。"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    pdf.set_font(FONT, size=9)
    with pdf.table(
        col_widths=(12, 62, 24, 16, 30, 30),
        headings_style=FontFace(emphasis="", color=GREEN, fill_color=HEADING_FILL),
        line_height=5.2,
        text_align=(Align.L, Align.L, Align.L, Align.R, Align.L, Align.L),
        wrapmode=WrapMode.CHAR,
        padding=(1.2, 1.5),
        cell_fill_mode=TableCellFillMode.NONE,
    ) as table:
        header = table.row()
        for text in (_("条目"), _("文件名"), _("类型"), _("大小"), _("上传时间"), _("SHA-256（前 12 位）")):
            header.cell(text)
        for row, evidence in rows:
            cells = table.row()
            cells.cell(row.item.code)
            cells.cell(evidence.original_name)
            cells.cell(LABELS.get(evidence.content_type, evidence.content_type))
            cells.cell(human_size(evidence.size))
            cells.cell(timezone.localtime(evidence.uploaded_at).strftime("%Y-%m-%d %H:%M"))
            cells.cell(evidence.sha256[:12])
    pdf.set_font(FONT, size=10)


# --- Excel --------------------------------------------------------------------------------------------------


def xlsx_of(sheet: Sheet) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = _("自评结果")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F0F7F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    for label, value in _summary(sheet):
        summary.append([label, value])
    summary.append([_("评分说明"), "\n".join(_explanation(sheet))])
    summary.cell(row=summary.max_row, column=2).alignment = wrap
    summary.append([])
    headings = [
        _("编号"),
        _("条目"),
        _("类型"),
        _("分值"),
        _("自评分"),
        _("是否满足"),
        _("情况说明"),
        _("佐证材料数"),
    ]
    summary.append(headings)
    heading_row = summary.max_row
    for heading_cell in summary[heading_row]:
        heading_cell.font = bold
        heading_cell.fill = fill
    for row in sheet.rows:
        response = row.response
        if not row.is_leaf:
            summary.append(
                [
                    row.item.code,
                    row.item.title,
                    _("领域") if row.item.kind == Item.Kind.AREA else _("小计"),
                    row.result.max_points,
                    row.result.points,
                    None,
                    None,
                    None,
                ]
            )
            for area_cell in summary[summary.max_row]:
                area_cell.font = bold
            continue
        met = None
        if row.is_gate and response is not None and response.met is not None:
            met = _("满足") if response.met else _("不满足")
        summary.append(
            [
                row.item.code,
                row.item.title,
                _kind_label(row.item),
                None if row.is_gate else row.item.max_points,
                response.points if response is not None else None,
                met,
                response.narrative if response is not None else "",
                len(row.evidence),
            ]
        )
        summary.cell(row=summary.max_row, column=7).alignment = wrap
    summary.freeze_panes = f"A{heading_row + 1}"
    for column, width in enumerate((14, 44, 14, 8, 8, 10, 60, 10), start=1):
        summary.column_dimensions[get_column_letter(column)].width = width

    files = workbook.create_sheet(_("佐证材料"))
    files.append(
        [_("条目"), _("文件名"), _("类型"), _("大小（字节）"), _("上传人"), _("上传时间"), "SHA-256"]
    )
    for file_heading in files[1]:
        file_heading.font = bold
        file_heading.fill = fill
    for row in sheet.leaves:
        for evidence in row.evidence:
            files.append(
                [
                    row.item.code,
                    evidence.original_name,
                    LABELS.get(evidence.content_type, evidence.content_type),
                    evidence.size,
                    str(evidence.uploaded_by) if evidence.uploaded_by else "",
                    timezone.localtime(evidence.uploaded_at).replace(tzinfo=None),
                    evidence.sha256,
                ]
            )
    for column, width in enumerate((10, 40, 16, 14, 14, 18, 66), start=1):
        files.column_dimensions[get_column_letter(column)].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
