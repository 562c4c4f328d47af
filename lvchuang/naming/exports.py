"""The named list of a decision as CSV and Excel: what the naming office files with the level above (seed 002)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lvchuang.assessments.reports import XLSX_CONTENT_TYPE
from lvchuang.naming import access
from lvchuang.naming.models import NamingDecision

__all__ = ["XLSX_CONTENT_TYPE", "NamedList", "csv_of", "disposition", "named_list_of", "xlsx_of"]

COLUMN_WIDTHS = (6, 32, 24, 24, 8, 20, 24, 12, 12)


@dataclass(frozen=True)
class NamedList:
    heading: str
    decision: NamingDecision
    rows: tuple[tuple[str, ...], ...]

    @property
    def headings(self) -> tuple[str, ...]:
        return (
            _("序号"),
            _("单位名称"),
            _("所在地区"),
            _("称号"),
            _("示范"),
            _("证书编号"),
            _("命名文号"),
            _("命名日期"),
            _("有效期至"),
        )


def named_list_of(decision: NamingDecision) -> NamedList:
    titles = access.titles_of(decision)
    rows = tuple(
        (
            str(number),
            title.unit.name,
            title.unit.region.name,
            title.program.name,
            _("是") if title.is_demonstration else "",
            title.certificate_number,
            title.document_number,
            title.named_on.isoformat(),
            title.valid_until.isoformat() if title.valid_until else _("长期"),
        )
        for number, title in enumerate(titles, start=1)
    )
    campaign = decision.notice.campaign
    heading = _("%(year)s 年度%(program)s命名名单") % {
        "year": campaign.year,
        "program": campaign.program.name,
    }
    return NamedList(heading=heading, decision=decision, rows=rows)


def csv_of(named: NamedList) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on Windows opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(named.headings)
    writer.writerows(named.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_of(named: NamedList) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("命名名单")
    sheet.append([named.heading])
    sheet["A1"].font = Font(size=14, bold=True)
    decision = named.decision
    sheet.append(
        [
            _("命名机关：%(issuer)s    文号：%(number)s    日期：%(date)s")
            % {"issuer": decision.issuer, "number": decision.document_number, "date": decision.decided_on}
        ]
    )
    sheet.append([])
    sheet.append(list(named.headings))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in named.rows:
        sheet.append(list(row))
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A5"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def disposition(named: NamedList, extension: str) -> str:
    header = content_disposition_header(True, f"{named.heading}-{named.decision.document_number}.{extension}")
    assert header is not None
    return header
