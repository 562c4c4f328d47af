"""The summary of a region's public institutions and its Excel tables.

`?region=` (12-digit code) drills down, `?year=` chooses the year (default: the latest with data), `?by=` groups
the table by child region, department, type or unit, `?basis=` converts electricity at 当量值 (default) or 等价值.
A region outside the user's scope answers 404 (`summaries.summary_region`); the units are the user's own
(`selectors.ledger_units`), so a sector's staff see their sector's units only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvchuang.ledgers import charts, exports, summaries
from lvchuang.ledgers.indicators import INDICATORS
from lvchuang.ledgers.models import Basis
from lvchuang.web.http import AuthenticatedHttpRequest


class SummaryQueryForm(forms.Form):
    region = forms.RegexField(regex=r"^\d{12}$", required=False)
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False, label=gettext_lazy("年度"))
    by = forms.ChoiceField(choices=summaries.Grouping.choices, required=False, label=gettext_lazy("汇总方式"))
    basis = forms.ChoiceField(choices=Basis.choices, required=False, label=gettext_lazy("折算口径"))


def _query(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    form = SummaryQueryForm(request.GET)
    if not form.is_valid():
        raise BadRequest(_("查询参数有误：地区为 12 位代码，年度为 2000–2100 之间的整数。"))
    data = form.cleaned_data
    return {
        "region_code": data["region"] or None,
        "year": data["year"],
        "basis": data["basis"] or Basis.EQUIVALENT,
        "by": data["by"] or summaries.Grouping.REGION,
    }


@login_required
def summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    """能源资源消费汇总: a region's totals and indicators with their change, grouped, against the annual target."""
    query = _query(request)
    board = summaries.build_summary(request.user, **query)
    context = {
        "summary": board,
        "groupings": summaries.Grouping.choices,
        "bases": Basis.choices,
        "indicators": [(info.key, str(info.label), str(info.measure)) for info in INDICATORS],
        "area_chart": charts.area_energy_chart(board.rows, board.year),
        "trend_chart": charts.trend_chart(board.trend),
    }
    return render(request, "ledgers/summary.html", context)


@login_required
def summary_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The official summary tables (按部门、按地区、按类型) of the region and year as an Excel workbook."""
    query = _query(request)
    tables = summaries.official_tables(
        request.user, region_code=query["region_code"], year=query["year"], basis=query["basis"]
    )
    response = HttpResponse(exports.xlsx_of(tables), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exports.disposition(tables)
    return response
