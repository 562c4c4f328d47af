"""Pages of programs and campaigns: the program library, campaigns with their calendar, today's windows, the
override log, quota usage at every level, stages, and the eligibility check.

Programs come through `campaigns.program_access` (a library every role reads), campaigns through
`campaigns.access` (404 outside, 403 read only); every write is one call to `campaigns.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.accounts import access as accounts_access
from lvchuang.campaigns import access, program_access, selectors, services
from lvchuang.campaigns.eligibility import explain
from lvchuang.campaigns.forms import (
    AllocationForm,
    CampaignCreateForm,
    CampaignFilterForm,
    EligibilityForm,
    OverrideForm,
    ProgramCopyForm,
    ProgramForm,
    StageForm,
)
from lvchuang.campaigns.models import Campaign, Stage
from lvchuang.regions.models import Region
from lvchuang.standards import access as standards_access
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate, render_with_partial


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    if not program_access.can_read_programs(request.user):
        raise PermissionDenied(_("您还没有任何角色，无法查看创建项目。请联系所在创建办分配角色。"))


def _campaign_url(campaign: Campaign | int, anchor: str = "") -> str:
    pk = campaign if isinstance(campaign, int) else campaign.pk
    url = reverse("campaigns:campaign_detail", kwargs={"campaign_id": pk})
    return f"{url}#{anchor}" if anchor else url


# --- programs -----------------------------------------------------------------------------------------------


@login_required
def program_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    programs = selectors.program_list(program_access.visible_programs(request.user))
    context = {
        "rows": [(program, selectors.rules_of(program)) for program in programs],
        "can_copy": program_access.can_copy_programs(request.user),
        "own_offices": standards_access.own_office_ids(request.user),
        "is_admin": standards_access.is_admin(request.user),
    }
    return render(request, "campaigns/program_list.html", context)


@login_required
def program_detail(request: AuthenticatedHttpRequest, program_id: int) -> HttpResponse:
    program = program_access.access_program_by_id(request.user, program_id)
    context = {
        "program": program,
        "rules": selectors.rules_of(program),
        "calendar": selectors.calendar_template(program),
        "can_change": program_access.can_change_program(request.user, program),
        "can_copy": program_access.can_copy_programs(request.user),
    }
    return render(request, "campaigns/program_detail.html", context)


@login_required
def program_copy(request: AuthenticatedHttpRequest, program_id: int) -> HttpResponse:
    program = program_access.access_program_by_id(request.user, program_id)
    if not program_access.can_copy_programs(request.user):
        raise PermissionDenied(_("只有创建办可以把创建项目复制为本单位的项目。"))
    form = ProgramCopyForm(request.POST or None, user=request.user, initial={"code": f"{program.code}-copy"})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_program(
                by=request.user,
                program=program,
                office=form.cleaned_data["office"],
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已复制为“%(name)s”，归%(office)s维护，可以修改其中的规则。")
                % {"name": copy.name, "office": form.cleaned_data["office"].name},
            )
            return redirect("campaigns:program_detail", program_id=copy.pk)
    return render(
        request,
        "campaigns/program_copy.html",
        {"form": form, "program": program},
        status=400 if form.errors else 200,
    )


@login_required
def program_edit(request: AuthenticatedHttpRequest, program_id: int) -> HttpResponse:
    program = program_access.access_program_by_id(request.user, program_id, for_change=True)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            if changes:
                services.update_program(by=request.user, program=program, changes=changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存项目规则。") if changes else _("没有修改任何内容。"))
            return redirect("campaigns:program_detail", program_id=program.pk)
    # ModelForm writes the cleaned values into the instance; show the stored program's name in the heading.
    program.refresh_from_db()
    return render(
        request,
        "campaigns/program_form.html",
        {"form": form, "program": program},
        status=400 if form.errors else 200,
    )


# --- campaigns ----------------------------------------------------------------------------------------------


@login_required
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CampaignFilterForm(request.GET or None, user=request.user)
    campaigns = form.apply(selectors.campaign_list(access.visible_campaigns(request.user)))
    context = {
        "form": form,
        "page_obj": paginate(request, campaigns),
        "can_create": program_access.can_copy_programs(request.user),
    }
    return render_with_partial(
        request, "campaigns/campaign_list.html", "campaigns/_campaign_results.html", context
    )


@login_required
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not program_access.can_copy_programs(request.user):
        raise PermissionDenied(_("只有创建办可以发起创建活动。"))
    initial: dict[str, Any] = {}
    if request.GET.get("program", "").isdigit():
        initial["program"] = request.GET["program"]
    form = CampaignCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.create_campaign(
                by=request.user,
                program=data["program"],
                year=data["year"],
                office=data["office"],
                name=data["name"],
                version=data["version"],
                quota=data["quota"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已发起“%(name)s”：日程已按项目模板生成，标准版本已锁定。") % {"name": campaign.name},
            )
            return redirect(_campaign_url(campaign))
    return render(request, "campaigns/campaign_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request: AuthenticatedHttpRequest, campaign: Campaign) -> dict[str, Any]:
    today = timezone.localdate()
    region_path, department_id = selectors.place_of(request.user)
    can_run = access.can_run_campaign(request.user, campaign)
    return {
        "campaign": campaign,
        "program": campaign.program,
        "today": today,
        "rules": selectors.rules_of(campaign.program),
        "calendar": selectors.calendar_of(campaign, today),
        "windows": selectors.windows_today(
            campaign, today=today, region_path=region_path, department_id=department_id
        ),
        "overrides": list(campaign.overrides.select_related("region", "department", "created_by")),
        "usage": selectors.quota_usage(campaign, user=request.user),
        "can_run": can_run,
        "can_allocate": can_run or bool(accounts_access.jurisdiction_of(request.user).managed_paths),
        "override_form": OverrideForm(campaign=campaign, user=request.user, prefix="override"),
        "allocation_form": AllocationForm(campaign=campaign, user=request.user, prefix="allocation"),
        "stage_form": StageForm(prefix="stage"),
    }


def _render_detail(
    request: AuthenticatedHttpRequest, campaign: Campaign, status: int = 200, **forms: Any
) -> HttpResponse:
    context = _detail_context(request, campaign)
    context.update(forms)
    return render(request, "campaigns/campaign_detail.html", context, status=status)


def _campaign(request: AuthenticatedHttpRequest, campaign_id: int, *, for_change: bool = False) -> Campaign:
    campaign = access.access_campaign_by_id(request.user, campaign_id, for_change=for_change)
    return selectors.campaign_detail_queryset(Campaign.objects.select_related("office__region")).get(
        pk=campaign.pk
    )


@login_required
def campaign_detail(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    return _render_detail(request, _campaign(request, campaign_id))


@login_required
@require_POST
def override_create(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id, for_change=True)
    form = OverrideForm(request.POST, campaign=campaign, user=request.user, prefix="override")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_override(
                by=request.user,
                campaign=campaign,
                action=data["action"],
                until=data["until"],
                reason=data["reason"],
                region=data.get("region"),
                department=data.get("department"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记窗口延期。"))
            return redirect(_campaign_url(campaign, "overrides"))
    return _render_detail(request, campaign, status=400, override_form=form)


@login_required
@require_POST
def allocation_set(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    # A district may split its own share of a city campaign among its streets: the service decides who may.
    campaign = _campaign(request, campaign_id)
    form = AllocationForm(request.POST, campaign=campaign, user=request.user, prefix="allocation")
    if form.is_valid():
        data = form.cleaned_data
        try:
            allocation = services.set_allocation(
                by=request.user,
                campaign=campaign,
                amount=data["amount"],
                region=data.get("region"),
                department=data.get("department"),
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已分配名额：%(allocation)s。") % {"allocation": allocation})
            return redirect(_campaign_url(campaign, "quota"))
    return _render_detail(request, campaign, status=400, allocation_form=form)


@login_required
def quota(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The quota table one level down from `?region=` (a drill-down: city → district → street)."""
    campaign = _campaign(request, campaign_id)
    region = None
    if request.GET.get("region"):
        region = Region.objects.filter(code=request.GET["region"]).first()
        if region is None or not region.path.startswith(campaign.office.region.path):
            raise Http404
        if not selectors.sees_region(request.user, campaign, region):
            raise Http404
    context = {
        "campaign": campaign,
        "usage": selectors.quota_usage(campaign, region=region, user=request.user),
    }
    return render_with_partial(request, "campaigns/quota.html", "campaigns/_quota.html", context)


def _stage_of(campaign: Campaign, stage_id: int) -> Stage:
    stage = next((s for s in campaign.stages.all() if s.pk == stage_id), None)
    if stage is None:
        raise Http404
    return stage


def _stage_form_page(
    request: AuthenticatedHttpRequest, campaign: Campaign, stage: Stage | None
) -> HttpResponse:
    initial = (
        {"name": stage.name, "starts_on": stage.starts_on, "ends_on": stage.ends_on, "actions": stage.actions}
        if stage is not None
        else {}
    )
    form = StageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_stage(by=request.user, campaign=campaign, stage=stage, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存阶段“%(name)s”。") % {"name": form.cleaned_data["name"]})
            return redirect(_campaign_url(campaign, "calendar"))
    context = {"form": form, "campaign": campaign, "stage": stage}
    return render(request, "campaigns/stage_form.html", context, status=400 if form.errors else 200)


@login_required
def stage_create(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    return _stage_form_page(request, _campaign(request, campaign_id, for_change=True), None)


@login_required
def stage_edit(request: AuthenticatedHttpRequest, campaign_id: int, stage_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id, for_change=True)
    return _stage_form_page(request, campaign, _stage_of(campaign, stage_id))


@login_required
@require_POST
def stage_delete(request: AuthenticatedHttpRequest, campaign_id: int, stage_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id, for_change=True)
    stage = _stage_of(campaign, stage_id)
    services.delete_stage(by=request.user, stage=stage)
    messages.success(request, _("已删除阶段“%(name)s”。") % {"name": stage.name})
    return redirect(_campaign_url(campaign, "calendar"))


@login_required
def eligibility(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """May this unit apply, and why: each rule of the program as a sentence (htmx swaps the verdict in)."""
    campaign = _campaign(request, campaign_id)
    form = EligibilityForm(request.GET or None, program=campaign.program, user=request.user)
    explained = None
    unit = None
    if form.is_bound and form.is_valid():
        unit = form.cleaned_data["unit"]
        explained = explain(campaign.program, unit, today=timezone.localdate())
    context = {"campaign": campaign, "form": form, "unit": unit, "explained": explained}
    return render_with_partial(
        request, "campaigns/eligibility.html", "campaigns/_eligibility_result.html", context
    )
