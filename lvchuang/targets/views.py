"""Coverage target pages: the list with each target's status for the user's region, setting a target (from a
preset or blank), its rule and milestones, the progress dashboard with drill-down, its Excel and PDF exports, and
the quota usage of a campaign.

Every target is reached through `access.access_target_by_id` and every region through `access.region_for` (404
outside the target or the user's jurisdiction). Views parse input, call one service or selector and render.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.accounts.access import grantable_scopes, jurisdiction_of
from lvchuang.campaigns.access import access_campaign_by_id
from lvchuang.targets import access, charts, coverage, exports, selectors, services
from lvchuang.targets.forms import AsOfForm, MilestoneFormSet, PresetForm, TargetForm
from lvchuang.targets.models import CoverageTarget
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate


def _can_create(request: AuthenticatedHttpRequest) -> bool:
    jurisdiction = jurisdiction_of(request.user)
    return jurisdiction.is_admin or bool(jurisdiction.managed_paths)


@login_required
def target_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """覆盖目标: the targets of the user's offices and of those above and below, each with its status for the
    user's own region in it."""
    show_all = request.GET.get("all") == "1"
    targets = access.visible_targets(request.user)
    if not show_all:
        targets = targets.filter(is_active=True)
    page_obj = paginate(request, coverage.with_rule(targets).order_by("office__region__path", "name", "pk"))
    today = timezone.localdate()
    context = {
        "page_obj": page_obj,
        "summaries": coverage.summaries(request.user, list(page_obj.object_list), today=today),
        "today": today,
        "show_all": show_all,
        "can_create": _can_create(request),
    }
    return render(request, "targets/target_list.html", context)


@login_required
def target_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """从预设新建 or 空白新建: the office chooses one of the seeds' targets or writes its own."""
    offices = grantable_scopes(request.user).offices
    if not offices.exists():
        raise PermissionDenied
    mode = request.POST.get("mode", "")
    today = timezone.localdate()
    preset_form = PresetForm(
        request.POST if mode == "preset" else None,
        offices=offices,
        initial={"starts_on": datetime.date(today.year, 1, 1)},
        prefix="preset",
    )
    blank_form = TargetForm(
        request.POST if mode == "blank" else None,
        offices=offices,
        initial={"starts_on": datetime.date(today.year, 1, 1)},
        prefix="blank",
    )
    if request.method == "POST" and mode == "preset" and preset_form.is_valid():
        data = preset_form.cleaned_data
        try:
            target = services.create_target_from_preset(
                by=request.user,
                office=data["office"],
                preset=data["preset"],
                starts_on=data["starts_on"],
                name=data["name"],
            )
        except ValidationError as error:
            add_service_errors(preset_form, error)
        else:
            messages.success(request, _("覆盖目标已建立，阶段目标已按预设填好，请核对。"))
            return redirect("targets:target_detail", target_id=target.pk)
    elif request.method == "POST" and mode == "blank" and blank_form.is_valid():
        data = blank_form.cleaned_data
        try:
            target = services.create_target(
                by=request.user,
                office=data["office"],
                name=data["name"],
                programs=list(data["programs"]),
                unit_kind=data["unit_kind"],
                organ_levels=data["organ_levels"],
                starts_on=data["starts_on"],
                source=data["source"],
                needs_confirmation=data["needs_confirmation"],
            )
        except ValidationError as error:
            add_service_errors(blank_form, error)
        else:
            messages.success(request, _("覆盖目标已建立，下一步：填写阶段目标。"))
            return redirect("targets:target_milestones", target_id=target.pk)
    status = 400 if request.method == "POST" else 200
    context = {"preset_form": preset_form, "blank_form": blank_form, "presets": services.presets().values()}
    return render(request, "targets/target_form.html", context, status=status)


def _parse(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    form = AsOfForm(request.GET)
    if not form.is_valid():
        raise BadRequest(_("统计日期应为 YYYY-MM-DD 格式的日期。"))
    return form.cleaned_data


@login_required
def target_detail(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    """The progress dashboard of a target for one region: headline, children with drill-down, sectors, units,
    trend and charts. `?region=` (12-digit code) drills down, `?as_of=` looks back."""
    target = access.access_target_by_id(request.user, target_id)
    query = _parse(request)
    region = access.region_for(request.user, target, query["region"])
    view = query["view"] or "overview"
    board = coverage.dashboard(
        request.user, target, region, as_of=query["as_of"], with_tables=view == "overview"
    )
    context: dict[str, Any] = {
        "target": target,
        "board": board,
        "view": view,
        "as_of_given": query["as_of"],
        "can_change": access.can_change_target(request.user, target),
        "today": timezone.localdate(),
    }
    if view == "units":
        assert board.coverage is not None
        units = board.coverage.units(region, on=board.as_of)
        if query["units"]:
            units = units.filter(is_covered=query["units"] == "covered")  # type: ignore[misc]  # an annotation
        context["page_obj"] = paginate(request, units)
        context["units_filter"] = query["units"]
    else:
        context["regions_chart"] = charts.regions_chart(board.children, board.next_milestone)
        context["trend_chart"] = charts.trend_chart(board.trend, coverage.milestones_of(target))
    return render(request, "targets/target_detail.html", context)


def _board(request: AuthenticatedHttpRequest, target_id: int) -> coverage.Dashboard:
    target = access.access_target_by_id(request.user, target_id)
    query = _parse(request)
    region = access.region_for(request.user, target, query["region"])
    return coverage.dashboard(request.user, target, region, as_of=query["as_of"])


@login_required
def target_export_xlsx(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    board = _board(request, target_id)
    assert board.coverage is not None
    units = board.coverage.units(board.region, on=board.as_of)
    response = HttpResponse(exports.xlsx_of(board, units.iterator()), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exports.disposition(board, "xlsx")
    return response


@login_required
def target_export_pdf(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    board = _board(request, target_id)
    response = HttpResponse(exports.pdf_of(board), content_type="application/pdf")
    response["Content-Disposition"] = exports.disposition(board, "pdf")
    return response


@login_required
def target_edit(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    target = access.access_target_by_id(request.user, target_id, for_change=True)
    form = TargetForm(request.POST or None, initial=TargetForm.initial_of(target))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {**data, "programs": list(data["programs"])}
        try:
            services.update_target(by=request.user, target=target, changes=changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("覆盖目标已保存。"))
            return redirect("targets:target_detail", target_id=target.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "targets/target_edit.html", {"target": target, "form": form}, status=status)


@login_required
def target_milestones(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    """阶段目标: the dated shares and counts, replaced as a set."""
    target = access.access_target_by_id(request.user, target_id, for_change=True)
    initial = [{"due_on": m.due_on, "share": m.share, "count": m.count} for m in target.milestones.all()]
    formset = MilestoneFormSet(request.POST or None, initial=initial, prefix="milestones")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        steps = [step for form in formset.forms if (step := form.milestone()) is not None]
        try:
            services.set_milestones(by=request.user, target=target, milestones=steps)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("阶段目标已保存。"))
            return redirect("targets:target_detail", target_id=target.pk)
    status = 400 if request.method == "POST" else 200
    context = {"target": target, "formset": formset, "errors": errors}
    return render(request, "targets/target_milestones.html", context, status=status)


@login_required
@require_POST
def target_active(request: AuthenticatedHttpRequest, target_id: int) -> HttpResponse:
    """停用 / 启用: a target no longer followed leaves the list's default view and the home page."""
    target: CoverageTarget = access.access_target_by_id(request.user, target_id, for_change=True)
    active = request.POST.get("active") == "1"
    services.set_active(by=request.user, target=target, active=active)
    messages.success(request, _("目标已启用。") if active else _("目标已停用。"))
    return redirect("targets:target_detail", target_id=target.pk)


@login_required
def quota_usage(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """名额使用: each allocation of a campaign against its shortlisted and named units (seed 002)."""
    campaign = access_campaign_by_id(request.user, campaign_id)
    usage = selectors.quota_usage(request.user, campaign)
    return render(request, "targets/quota_usage.html", {"campaign": campaign, "usage": usage})
