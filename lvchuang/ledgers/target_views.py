"""Annual targets (年度能耗指标) and the coefficient tables (折算系数).

Targets are reached through `target_access` (404 outside the user's sight, 403 when read only); the coefficient
tables are read by everybody with a role and changed by the system administrator. Views parse input, call one
service and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvchuang.ledgers import target_access, target_services
from lvchuang.ledgers.indicators import INDICATORS
from lvchuang.ledgers.models import CANONICAL_MEASURE, ReferenceRecord
from lvchuang.ledgers.target_forms import AnnualTargetForm, PresetForm, reference_form_class
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate

TABLE_TITLES = {
    "factor": gettext_lazy("折标准煤系数"),
    "density": gettext_lazy("油品密度"),
    "grid": gettext_lazy("区域电网划分"),
    "emission": gettext_lazy("二氧化碳排放因子"),
}


def _preset_form(request: AuthenticatedHttpRequest, data: Any = None) -> PresetForm | None:
    offices = target_access.target_offices(request.user)
    if not target_access.can_set_targets(request.user):
        return None
    return PresetForm(data, offices=offices, initial={"office": offices.first()}, prefix="preset")


@login_required
def target_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """年度能耗指标: the targets set for the user's regions, those above that apply to them and those below."""
    if not target_access.can_read_reference_tables(request.user):
        raise PermissionDenied
    targets = target_access.visible_annual_targets(request.user).order_by("-year", "region__path", "pk")
    page_obj = paginate(request, targets)
    changeable = {
        target.pk for target in page_obj if target_access.can_change_annual_target(request.user, target)
    }
    context = {
        "page_obj": page_obj,
        "changeable": changeable,
        "indicators": INDICATORS,
        "preset_form": _preset_form(request),
        "presets": target_services.presets().values(),
        "can_create": target_access.can_set_targets(request.user),
    }
    return render(request, "ledgers/target_list.html", context)


@login_required
def target_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A target from a preset (the one-click form of the list, `mode=preset`) or from the blank form."""
    if not target_access.can_set_targets(request.user):
        raise PermissionDenied
    offices = target_access.target_offices(request.user)
    mode = request.POST.get("mode", "")
    preset_form = _preset_form(request, request.POST if mode == "preset" else None)
    form = AnnualTargetForm(
        request.POST if mode == "blank" else None,
        offices=offices,
        initial={"office": offices.first(), "source": ""},
        prefix="blank",
    )
    if request.method == "POST" and mode == "preset" and preset_form is not None and preset_form.is_valid():
        try:
            target_services.create_annual_target_from_preset(
                by=request.user,
                office=preset_form.cleaned_data["office"],
                preset=preset_form.cleaned_data["preset"],
            )
        except ValidationError as error:
            add_service_errors(preset_form, error)
        else:
            messages.success(request, _("已按预设添加年度能耗指标，请按本地文件核对。"))
            return redirect("ledgers:target_list")
    elif request.method == "POST" and mode == "blank" and form.is_valid():
        data = form.cleaned_data
        try:
            target_services.create_annual_target(by=request.user, office=data["office"], **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("年度能耗指标已下达。"))
            return redirect("ledgers:target_list")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "preset_form": preset_form,
        "presets": target_services.presets().values(),
    }
    return render(request, "ledgers/target_form.html", context, status=status)


@login_required
def target_edit(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    target = target_access.access_annual_target_by_id(request.user, target_id, for_change=True)
    form = AnnualTargetForm(request.POST or None, initial=AnnualTargetForm.initial_of(target))
    if request.method == "POST" and form.is_valid():
        try:
            target_services.update_annual_target(by=request.user, target=target, changes=form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("年度能耗指标已保存。"))
            return redirect("ledgers:target_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "ledgers/target_edit.html", {"target": target, "form": form}, status=status)


@require_POST
@login_required
def target_delete(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    target = target_access.access_annual_target_by_id(request.user, target_id, for_change=True)
    target_services.delete_annual_target(by=request.user, target=target)
    messages.success(request, _("年度能耗指标已删除。"))
    return redirect("ledgers:target_list")


# --- coefficient tables -----------------------------------------------------------------------------------------


@login_required
def factor_tables(request: AuthenticatedHttpRequest) -> HttpResponse:
    """折算系数: the four coefficient tables with their sources; rows waiting for confirmation are marked."""
    target_access.require_reference_reader(request.user)
    tables = [
        {
            "code": code,
            "title": TABLE_TITLES[code],
            "model": model,
            "rows": [
                {"row": row, "measure": CANONICAL_MEASURE.get(getattr(row, "carrier", ""), "")}
                for row in model._default_manager.all()
            ],
        }
        for code, model in target_services.REFERENCE_TABLES.items()
    ]
    context = {
        "tables": tables,
        "can_change": target_access.can_change_reference_tables(request.user),
    }
    return render(request, "ledgers/factor_tables.html", context)


def _table(request: AuthenticatedHttpRequest, table: str) -> type[ReferenceRecord]:
    model = target_services.REFERENCE_TABLES.get(table)
    if model is None:
        raise Http404
    target_access.require_reference_reader(request.user)
    if not target_access.can_change_reference_tables(request.user):
        raise PermissionDenied
    return model


def _reference_form(
    request: AuthenticatedHttpRequest, table: str, row: ReferenceRecord | None
) -> HttpResponse:
    form = reference_form_class(table)(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in target_services.REFERENCE_FIELDS[table]}
        try:
            target_services.save_reference_row(by=request.user, table=table, values=values, row=row)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("系数已保存，新的数值即时用于各年度的折算。"))
            return redirect("ledgers:factor_tables")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "table": table, "title": TABLE_TITLES[table], "row": row}
    return render(request, "ledgers/factor_form.html", context, status=status)


@login_required
def factor_create(request: AuthenticatedHttpRequest, table: str) -> HttpResponse:
    _table(request, table)
    return _reference_form(request, table, None)


@login_required
def factor_edit(request: AuthenticatedHttpRequest, table: str, row_id: int) -> HttpResponse:
    model = _table(request, table)
    try:
        row = model._default_manager.get(pk=row_id)
    except model.DoesNotExist:
        raise Http404 from None
    return _reference_form(request, table, row)
