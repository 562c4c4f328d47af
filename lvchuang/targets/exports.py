"""The progress dashboard as an Excel workbook (by region, by sector, trend, units) and as a printable A4 PDF.

The PDF embeds the Noto Sans CJK subset like every document of the system (`assessments.reports._Report`), so
it prints the same on an intranet machine with no Chinese fonts.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from fpdf.enums import Align, WrapMode, XPos, YPos
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lvchuang.assessments.reports import DANGER, FONT, GREEN, HEADING_FILL, MUTED, _Report
from lvchuang.lib.progress import Milestone, Status
from lvchuang.organisations.models import Unit
from lvchuang.targets.coverage import DIRECT, Dashboard, Row
from lvchuang.titles.models import Title

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WARNING = (154, 98, 0)
STATUS_COLOURS = {Status.MET: GREEN, Status.ON_TRACK: GREEN, Status.BEHIND: WARNING, Status.MISSED: DANGER}


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def milestone_text(milestone: Milestone | None) -> str:
    if milestone is None:
        return _("未设阶段目标")
    figures = []
    if milestone.share is not None:
        figures.append(f"{milestone.share.normalize():f}%")
    if milestone.count is not None:
        figures.append(_("%(n)s 个") % {"n": milestone.count})
    return _("%(date)s 前 %(figures)s") % {
        "date": milestone.due_on.isoformat(),
        "figures": " + ".join(figures),
    }


def row_label(row: Row) -> str:
    if row.label == DIRECT:
        return _("本级直属")
    if row.region is None and not row.label:
        return _("属地管理（无主管部门）")
    return row.label


def _expected(row: Row) -> str:
    if row.progress is None:
        return "—"
    parts = []
    if row.progress.expected_share is not None:
        parts.append(_percent(row.progress.expected_share))
    if row.progress.expected_count is not None:
        parts.append(_("%(n)s 个") % {"n": row.progress.expected_count})
    return " + ".join(parts)


def _title(board: Dashboard) -> str:
    return f"{board.target.name} · {board.region.name}"


def disposition(board: Dashboard, extension: str) -> str:
    stem = _("覆盖目标进度-%(target)s-%(region)s-%(date)s") % {
        "target": board.target.name,
        "region": board.region.name,
        "date": board.as_of.isoformat(),
    }
    header = content_disposition_header(True, f"{stem}.{extension}")
    assert header is not None
    return header


def _table_rows(rows: Iterable[Row]) -> list[list[object]]:
    return [
        [
            row_label(row),
            row.figures.eligible,
            row.figures.covered,
            float(row.figures.share) if row.figures.share is not None else None,
            row.figures.rectifying,
            _expected(row),
            milestone_text(row.progress.milestone) if row.progress is not None else "—",
            row.status_label,
        ]
        for row in rows
    ]


# --- Excel --------------------------------------------------------------------------------------------------


def _sheet(sheet: Worksheet, headings: list[str], rows: Iterable[list[object]]) -> None:
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F7F2")
    for row in rows:
        sheet.append(row)
    for index, heading in enumerate(headings):
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(10, len(heading) * 2 + 4)
    sheet.freeze_panes = "A2"


def xlsx_of(board: Dashboard, units: Iterable[Unit]) -> bytes:
    workbook = Workbook()
    table_headings = [
        _("名称"),
        _("适用单位数"),
        _("已覆盖"),
        _("覆盖率（%）"),
        _("其中整改中"),
        _("按进度应达到"),
        _("对照的阶段目标"),
        _("状态"),
    ]
    regions = workbook.active
    assert regions is not None
    regions.title = _("按地区")
    _sheet(regions, table_headings, _table_rows([board.headline, *board.children]))
    regions.append([])
    regions.append([_("目标"), board.target.name])
    regions.append([_("统计日期"), board.as_of.isoformat()])
    regions.append([_("依据"), board.target.source])
    _sheet(workbook.create_sheet(_("按主管部门")), table_headings, _table_rows(board.sectors))
    _sheet(
        workbook.create_sheet(_("逐年趋势")),
        [_("日期"), _("适用单位数"), _("已覆盖"), _("覆盖率（%）"), _("状态")],
        (
            [
                point.on.isoformat(),
                point.figures.eligible,
                point.figures.covered,
                float(point.figures.share) if point.figures.share is not None else None,
                point.status_label,
            ]
            for point in board.trend
        ),
    )
    status_labels = dict(Title.Status.choices)
    _sheet(
        workbook.create_sheet(_("单位")),
        [
            _("单位"),
            _("所在地区"),
            _("主管部门"),
            _("是否覆盖"),
            _("计入的称号"),
            _("命名日期"),
            _("称号状态"),
        ],
        (
            [
                unit.name,
                unit.region.name,
                unit.sector.name if unit.sector is not None else "",
                _("是") if getattr(unit, "is_covered", False) else _("否"),
                getattr(unit, "title_program", None) or "",
                named.isoformat() if (named := getattr(unit, "title_named_on", None)) else "",
                str(status_labels.get(getattr(unit, "title_status", None) or "", "")),
            ]
            for unit in units
        ),
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------------


def _pdf_table(pdf: _Report, rows: list[Row]) -> None:
    pdf.set_font(FONT, size=8.5)
    with pdf.table(
        col_widths=(40, 17, 15, 17, 26, 34, 25),
        headings_style=FontFace(emphasis="", color=GREEN, fill_color=HEADING_FILL),
        line_height=5,
        text_align=(Align.L, Align.R, Align.R, Align.R, Align.R, Align.L, Align.L),
        wrapmode=WrapMode.CHAR,
        padding=(1, 1.2),
        repeat_headings=1,
    ) as table:
        header = table.row()
        for text in (
            _("名称"),
            _("适用"),
            _("已覆盖"),
            _("覆盖率"),
            _("按进度应达"),
            _("阶段目标"),
            _("状态"),
        ):
            header.cell(text)
        for row in rows:
            cells = table.row()
            cells.cell(row_label(row))
            cells.cell(str(row.figures.eligible))
            cells.cell(str(row.figures.covered))
            cells.cell(_percent(row.figures.share))
            cells.cell(_expected(row))
            cells.cell(milestone_text(row.progress.milestone) if row.progress is not None else "—")
            colour = STATUS_COLOURS[row.progress.status] if row.progress is not None else MUTED
            cells.cell(row.status_label, style=FontFace(color=colour))
    pdf.set_font(FONT, size=10)
    pdf.ln(4)


def pdf_of(board: Dashboard) -> bytes:
    pdf = _Report(_title(board))
    pdf.set_title(_title(board))
    pdf.set_creator("lvchuang 绿创")
    pdf.add_page()
    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT, size=9)
    pdf.cell(0, 5, _("绿创 · 覆盖目标进度"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.heading(board.target.name, size=16)
    headline = board.headline
    facts = [
        (_("地区"), board.region.name),
        (_("统计日期"), board.as_of.isoformat()),
        (_("适用单位"), str(headline.figures.eligible)),
        (_("已覆盖"), str(headline.figures.covered)),
        (_("覆盖率"), _percent(headline.figures.share)),
        (_("下一阶段目标"), milestone_text(board.next_milestone)),
        (_("按进度应达到"), _expected(headline)),
        (_("状态"), headline.status_label),
        (_("依据"), board.target.source or "—"),
    ]
    with pdf.table(
        col_widths=(36, 138),
        first_row_as_headings=False,
        line_height=6,
        text_align=(Align.L, Align.L),
        wrapmode=WrapMode.CHAR,
        borders_layout="HORIZONTAL_LINES",
        padding=(1, 2),
    ) as table:
        for label, value in facts:
            row = table.row()
            row.cell(label, style=FontFace(color=MUTED))
            row.cell(value)
    pdf.ln(5)
    if board.children:
        pdf.heading(_("按地区"), size=12)
        _pdf_table(pdf, board.children)
    if board.sectors:
        pdf.heading(_("按主管部门"), size=12)
        _pdf_table(pdf, board.sectors)
    pdf.heading(_("逐年趋势"), size=12)
    pdf.set_font(FONT, size=9)
    with pdf.table(
        col_widths=(40, 30, 30, 30, 44),
        headings_style=FontFace(emphasis="", color=GREEN, fill_color=HEADING_FILL),
        line_height=5.5,
        text_align=(Align.L, Align.R, Align.R, Align.R, Align.L),
        padding=(1, 1.2),
    ) as table:
        header = table.row()
        for text in (_("日期"), _("适用"), _("已覆盖"), _("覆盖率"), _("状态")):
            header.cell(text)
        for point in board.trend:
            cells = table.row()
            cells.cell(point.on.isoformat())
            cells.cell(str(point.figures.eligible))
            cells.cell(str(point.figures.covered))
            cells.cell(_percent(point.figures.share))
            cells.cell(point.status_label)
    pdf.ln(4)
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0,
        4.5,
        _(
            "覆盖率 = 持有计入称号（含整改中）的适用单位 ÷ 适用单位，均由称号登记簿实时计算；逐年趋势以当前的"
            "适用单位为分母。生成时间：%(now)s"
        )
        % {"now": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        wrapmode=WrapMode.CHAR,
    )
    return bytes(pdf.output())
