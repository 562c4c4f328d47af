"""The 申报表 (seed 000, annex 2): a batch's applications on paper, as Excel and as PDF, ready to be stamped.

Both formats say the same thing: the title (e.g. "长沙市节能环保社区申报表"), the sending office, the year and the
batch number, a table of the applications (序号, 单位名称, 所在街道/地区, 户数, 自评得分, 创建目标摘要, 联系人,
联系电话), then the block the office signs and stamps ("审核意见：  （盖章）  年 月 日"). The PDF embeds the
same Noto Sans CJK subset as the self-assessment report (`assessments/reports.py`), so it prints the same on an
intranet machine without Chinese fonts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from fpdf.enums import Align, WrapMode, XPos, YPos
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from lvchuang.applications.models import Application, Batch
from lvchuang.assessments.reports import FONT, GREEN, HEADING_FILL, MUTED, XLSX_CONTENT_TYPE, _Report
from lvchuang.lib.divisions import Level
from lvchuang.standards.document import format_points

__all__ = ["XLSX_CONTENT_TYPE", "BatchForm", "disposition", "form_of", "pdf_of", "xlsx_of"]

GOALS_SUMMARY_LENGTH = 60
TOWNSHIP = int(Level.TOWNSHIP.prefix_length)
LEVEL_WORDS = re.compile(r"^(国家级|省级|市级|区级|县级|区县级)")


@dataclass(frozen=True)
class FormRow:
    number: int
    unit_name: str
    place: str
    households: str
    self_score: str
    goals: str
    contact_name: str
    contact_phone: str


@dataclass(frozen=True)
class BatchForm:
    title: str
    sender: str
    year: int
    number: str
    contact: str
    rows: tuple[FormRow, ...]

    @property
    def headings(self) -> tuple[str, ...]:
        return (
            _("序号"),
            _("单位名称"),
            _("所在街道/地区"),
            _("户数"),
            _("自评得分"),
            _("创建目标摘要"),
            _("联系人"),
            _("联系电话"),
        )

    @property
    def facts(self) -> str:
        return _("报送单位：%(sender)s    年度：%(year)s    编号：%(number)s") % {
            "sender": self.sender,
            "year": self.year,
            "number": self.number,
        }


def title_of(batch: Batch) -> str:
    """ "长沙市节能环保社区申报表": the issuing region, the title without its level word, "申报表"."""
    campaign = batch.campaign
    name = LEVEL_WORDS.sub("", campaign.program.name) or campaign.program.name
    return _("%(region)s%(title)s申报表") % {"region": campaign.office.region.name, "title": name}


def _place(application: Application) -> str:
    region = application.unit.region
    if len(region.path) > TOWNSHIP and region.parent is not None:
        return region.parent.name
    return region.name


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= GOALS_SUMMARY_LENGTH else text[: GOALS_SUMMARY_LENGTH - 1] + "…"


def _score(value: Decimal | None) -> str:
    return "—" if value is None else format_points(value)


def form_of(batch: Batch) -> BatchForm:
    applications = batch.applications.select_related("unit__region__parent").order_by("unit__name", "pk")
    rows = tuple(
        FormRow(
            number=number,
            unit_name=application.unit.name,
            place=_place(application),
            households=""
            if application.unit.household_count is None
            else str(application.unit.household_count),
            self_score=_score(application.self_score),
            goals=_summary(application.goals),
            contact_name=application.unit.contact_name,
            contact_phone=application.unit.contact_phone,
        )
        for number, application in enumerate(applications, start=1)
    )
    contact = " ".join(part for part in (batch.contact_name, batch.contact_phone) if part)
    return BatchForm(
        title=title_of(batch),
        sender=batch.sender_name,
        year=batch.campaign.year,
        number=batch.number,
        contact=contact,
        rows=rows,
    )


def disposition(form: BatchForm, extension: str, *, inline: bool) -> str:
    header = content_disposition_header(not inline, f"{form.title}-{form.number}.{extension}")
    assert header is not None
    return header


def _signature_lines() -> tuple[str, str, str]:
    return (_("审核意见："), _("（盖章）"), _("年    月    日"))


# --- Excel --------------------------------------------------------------------------------------------------

WIDTHS = (6, 26, 16, 8, 10, 44, 10, 16)


def xlsx_of(form: BatchForm) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("申报表")
    columns = len(WIDTHS)
    last = get_column_letter(columns)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    sheet.append([form.title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = centre
    sheet.row_dimensions[1].height = 30
    sheet.append([form.facts])
    sheet.merge_cells(f"A2:{last}2")
    if form.contact:
        sheet.append([_("联系人：%(contact)s") % {"contact": form.contact}])
        sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
    sheet.append([])
    sheet.append(list(form.headings))
    heading_row = sheet.max_row
    for cell in sheet[heading_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F7F2")
        cell.alignment = centre
        cell.border = box
    for row in form.rows:
        sheet.append(
            [
                row.number,
                row.unit_name,
                row.place,
                int(row.households) if row.households else None,
                float(row.self_score) if row.self_score != "—" else None,
                row.goals,
                row.contact_name,
                row.contact_phone,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
            cell.border = box
    sheet.append([])
    opinion, seal, date = _signature_lines()
    sheet.append([opinion])
    sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
    sheet.row_dimensions[sheet.max_row].height = 60
    sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(vertical="top")
    sheet.append([*([None] * (columns - 3)), seal])
    sheet.append([*([None] * (columns - 3)), date])
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------------

PDF_WIDTHS = (12, 48, 32, 16, 18, 86, 20, 29)  # 261 mm: A4 landscape less 18 mm margins


class _Form(_Report):
    def __init__(self, footer_text: str) -> None:
        super().__init__(footer_text)
        self.set_margins(18, 14, 18)


def pdf_of(form: BatchForm) -> bytes:
    pdf = _Form(f"{form.title} · {form.number}")
    pdf.set_title(f"{form.title} {form.number}")
    pdf.set_author(form.sender)
    pdf.set_creator("lvchuang 绿创")
    pdf.add_page(orientation="landscape")
    pdf.set_font(FONT, size=18)
    pdf.set_text_color(*GREEN)
    pdf.cell(0, 12, form.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=10)
    pdf.cell(0, 7, form.facts, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if form.contact:
        pdf.cell(
            0,
            6,
            _("联系人：%(contact)s") % {"contact": form.contact},
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(3)
    pdf.set_font(FONT, size=9)
    with pdf.table(
        col_widths=PDF_WIDTHS,
        headings_style=FontFace(emphasis="", color=GREEN, fill_color=HEADING_FILL),
        line_height=5.5,
        text_align=(Align.C, Align.L, Align.L, Align.R, Align.R, Align.L, Align.L, Align.L),
        wrapmode=WrapMode.CHAR,
        padding=(1.2, 1.5),
        repeat_headings=1,
    ) as table:
        header = table.row()
        for text in form.headings:
            header.cell(text)
        for row in form.rows:
            cells = table.row()
            for value in (
                str(row.number),
                row.unit_name,
                row.place,
                row.households,
                row.self_score,
                row.goals,
                row.contact_name,
                row.contact_phone,
            ):
                cells.cell(value)
    if not form.rows:
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 8, _("申报表中还没有申报。"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
    _seal_block(pdf)
    return bytes(pdf.output())


def _seal_block(pdf: _Form) -> None:
    """A boxed area for the office's opinion, signature and stamp, kept on one page."""
    height = 48
    pdf.ln(6)
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page(orientation="landscape")
    opinion, seal, date = _signature_lines()
    left, top = pdf.l_margin, pdf.get_y()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_draw_color(*MUTED)
    pdf.rect(left, top, width, height)
    pdf.set_font(FONT, size=11)
    pdf.set_xy(left + 4, top + 4)
    pdf.cell(0, 7, opinion)
    # The seal's place: a dashed square on the right where the office stamps.
    seal_size = 36
    seal_left = left + width - seal_size - 30
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.rect(seal_left, top + 5, seal_size, seal_size)
    pdf.set_dash_pattern()
    pdf.set_xy(seal_left, top + 5 + seal_size / 2 - 4)
    pdf.set_text_color(*MUTED)
    pdf.cell(seal_size, 8, seal, align=Align.C)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(seal_left - 10, top + height - 8)
    pdf.cell(seal_size + 20, 6, date, align=Align.C)
    pdf.set_xy(left, top + height + 2)
