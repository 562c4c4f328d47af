"""Submission pages (报送): a campaign's requirements with their counts, one requirement's completeness per
period, one submission with accept / return, "我的报送" for submitters with the form to hand in, and the files.

Every object is reached through `access.access_*` (404 outside; 403 where the user may only read). Views parse
input, call one service and render.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.accounts.access import visible_bodies
from lvchuang.assessments import files
from lvchuang.assessments.views import _file_response
from lvchuang.campaigns.access import access_campaign_by_id, can_run_campaign
from lvchuang.campaigns.models import Campaign
from lvchuang.lib.periods import Period
from lvchuang.reports import access, selectors, services
from lvchuang.reports.forms import AcceptForm, RequirementForm, ReturnForm, SubmitForm
from lvchuang.reports.models import Requirement, Submission
from lvchuang.reports.submitters import Submitter, acting_for, expected_submitters, submitter_of
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors


def _flash_errors(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _requirements_url(campaign_id: int) -> str:
    return reverse("reports:campaign_requirements", args=[campaign_id])


# --- a campaign's requirements -----------------------------------------------------------------------------------


@login_required
def campaign_requirements(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """报送要求: the campaign's requirements, with who has handed in per period for the offices over it."""
    campaign = access_campaign_by_id(request.user, campaign_id)
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "today": today,
        "summaries": selectors.campaign_overview(campaign, today=today),
        "can_manage": can_run_campaign(request.user, campaign),
        "can_view_counts": access.can_view_completeness(request.user, campaign),
        "has_defaults": bool(services.default_entries(campaign.program.code)),
    }
    return render(request, "reports/campaign_requirements.html", context)


def _bodies(request: AuthenticatedHttpRequest, campaign: Campaign) -> Any:
    return (
        visible_bodies(request.user)
        .filter(region__path__startswith=campaign.office.region.path)
        .select_related("region")
        .order_by("region__path", "name")
    )


def _requirement_form(
    request: AuthenticatedHttpRequest, campaign: Campaign, **kwargs: Any
) -> RequirementForm:
    return RequirementForm(
        request.POST or None,
        bodies=_bodies(request, campaign),
        office_level=campaign.office.region.level,
        **kwargs,
    )


@login_required
def requirement_create(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign_by_id(request.user, campaign_id, for_change=True)
    form = _requirement_form(
        request,
        campaign,
        initial={"period": Requirement.Period.ONCE, "submitters": Requirement.Submitters.OFFICES},
    )
    if request.method == "POST" and form.is_valid():
        try:
            requirement = services.create_requirement(by=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已添加报送要求“%(title)s”。") % {"title": requirement.title})
            return redirect("reports:requirement_detail", requirement_id=requirement.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reports/requirement_form.html", {"form": form, "campaign": campaign}, status=status
    )


@login_required
@require_POST
def add_defaults(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign_by_id(request.user, campaign_id, for_change=True)
    try:
        added = services.add_default_requirements(by=request.user, campaign=campaign)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        if added.created:
            messages.success(
                request,
                _("已按项目默认要求添加 %(n)d 项：%(titles)s")
                % {"n": len(added.created), "titles": "、".join(r.title for r in added.created)},
            )
        for skipped in added.skipped:
            messages.warning(
                request,
                _("未添加“%(title)s”：%(reason)s") % {"title": skipped.title, "reason": skipped.reason},
            )
    return redirect(_requirements_url(campaign.pk))


# --- one requirement --------------------------------------------------------------------------------------------


def _chosen_period(requirement: Requirement, key: str | None) -> Period:
    """The period asked for, else the first one not yet due (the last when all are due)."""
    periods = selectors.periods_of(requirement)
    if key is not None:
        found = next((period for period in periods if period.key == key), None)
        if found is None:
            raise Http404
        return found
    today = timezone.localdate()
    return next((period for period in periods if period.due_on >= today), periods[-1])


@login_required
def requirement_detail(request: AuthenticatedHttpRequest, requirement_id: int) -> HttpResponse:
    """The completeness table of one period: who has handed in, who is late, who still owes."""
    requirement = access.access_requirement_by_id(request.user, requirement_id)
    today = timezone.localdate()
    period = _chosen_period(requirement, request.GET.get("period"))
    can_view = access.can_view_completeness(request.user, requirement.campaign)
    table = selectors.completeness(requirement, period, today=today) if can_view else None
    shown = request.GET.get("status", "")
    rows = table.rows if table is not None else []
    if shown in selectors.STATUSES:
        rows = [row for row in rows if row.status == shown]
    duties = [
        duty
        for duty in selectors.duties_for(request.user, today=today)
        if duty.requirement.pk == requirement.pk
    ]
    context = {
        "requirement": requirement,
        "campaign": requirement.campaign,
        "period": period,
        "period_label": selectors.period_label(period.key),
        "periods": [(p, selectors.period_label(p.key)) for p in selectors.periods_of(requirement)],
        "table": table,
        "rows": rows,
        "shown": shown,
        "statuses": list(selectors.STATUS_LABELS.items()),
        "can_manage": access.can_manage_requirement(request.user, requirement),
        "duties": duties,
        "today": today,
    }
    return render(request, "reports/requirement_detail.html", context)


@login_required
def requirement_csv(request: AuthenticatedHttpRequest, requirement_id: int) -> HttpResponse:
    requirement = access.access_requirement_by_id(request.user, requirement_id)
    if not access.can_view_completeness(request.user, requirement.campaign):
        raise PermissionDenied
    period = _chosen_period(requirement, request.GET.get("period"))
    table = selectors.completeness(requirement, period)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("报送单位"), _("类别"), _("截止日期"), _("状态"), _("报送时间"), _("报送人"), _("审核意见")]
    )
    for row in table.rows:
        submission = row.submission
        writer.writerow(
            [
                row.submitter.name,
                row.submitter.kind_label,
                row.due_on.isoformat(),
                row.status_label,
                timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M") if submission else "",
                str(submission.submitted_by or "") if submission else "",
                submission.review_comment if submission else "",
            ]
        )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    name = f"{requirement.title}{selectors.period_label(period.key)}-报送情况.csv"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@login_required
def requirement_edit(request: AuthenticatedHttpRequest, requirement_id: int) -> HttpResponse:
    requirement = access.access_requirement_by_id(request.user, requirement_id, for_change=True)
    campaign = requirement.campaign
    form = _requirement_form(request, campaign, instance=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_requirement(by=request.user, requirement=requirement, changes=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("报送要求已保存。"))
            return redirect("reports:requirement_detail", requirement_id=requirement.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "campaign": campaign, "requirement": requirement}
    return render(request, "reports/requirement_form.html", context, status=status)


@login_required
@require_POST
def requirement_delete(request: AuthenticatedHttpRequest, requirement_id: int) -> HttpResponse:
    requirement = access.access_requirement_by_id(request.user, requirement_id, for_change=True)
    try:
        services.delete_requirement(by=request.user, requirement=requirement)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("reports:requirement_detail", requirement_id=requirement.pk)
    messages.success(request, _("已删除报送要求“%(title)s”。") % {"title": requirement.title})
    return redirect(_requirements_url(requirement.campaign_id))


# --- handing in -----------------------------------------------------------------------------------------------------


def _submit_choices(
    request: AuthenticatedHttpRequest, requirement: Requirement
) -> tuple[list[tuple[str, str]], list[Submitter]]:
    acting = acting_for(request.user)
    submitters = [s for s in expected_submitters(requirement) if acting.may_submit_for(requirement, s)]
    periods = [
        (
            period.key,
            selectors.period_label(period.key) or _("%(due)s 截止") % {"due": period.due_on.isoformat()},
        )
        for period in selectors.periods_of(requirement)
    ]
    return periods, submitters


def _submit_form(
    request: AuthenticatedHttpRequest, requirement: Requirement, data: Any = None, files_: Any = None
) -> tuple[SubmitForm, list[Submitter]]:
    periods, submitters = _submit_choices(request, requirement)
    initial = {
        "period": request.GET.get("period", periods[0][0] if periods else ""),
        "submitter": request.GET.get("submitter", submitters[0].key if submitters else ""),
    }
    form = SubmitForm(
        data,
        files_,
        periods=periods,
        submitters=[(s.key, s.name) for s in submitters],
        initial=initial,
    )
    return form, submitters


@login_required
def submit(request: AuthenticatedHttpRequest, requirement_id: int) -> HttpResponse:
    """The form to hand in a period for a submitter the user acts for (text, a file, or both)."""
    requirement = access.access_requirement_by_id(request.user, requirement_id)
    if request.method == "POST":
        form, submitters = _submit_form(request, requirement, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            submitter = next(s for s in submitters if s.key == data["submitter"])
            try:
                submission = services.submit(
                    by=request.user,
                    requirement=requirement,
                    period=data["period"],
                    submitter=submitter,
                    content=data["content"],
                    upload=data["upload"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if submission.is_late:
                    messages.warning(request, _("材料已报送（逾期报送），等待创建办确认。"))
                else:
                    messages.success(request, _("材料已报送，等待创建办确认。"))
                return redirect("reports:submission_detail", submission_id=submission.pk)
        status = 400
    else:
        form, submitters = _submit_form(request, requirement)
        status = 200
    duties = [duty for duty in selectors.duties_for(request.user) if duty.requirement.pk == requirement.pk]
    context = {
        "requirement": requirement,
        "campaign": requirement.campaign,
        "form": form,
        "can_submit": bool(submitters),
        "duties": duties,
    }
    return render(request, "reports/submit.html", context, status=status)


@login_required
def my_submissions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的报送: every period the user hands in, what is owed first."""
    today = timezone.localdate()
    duties = selectors.duties_for(request.user, today=today)
    owed = [duty for duty in duties if duty.owed]
    handed = [duty for duty in duties if not duty.owed]
    return render(request, "reports/my_submissions.html", {"owed": owed, "handed": handed, "today": today})


# --- one submission -----------------------------------------------------------------------------------------------


def _submission_context(
    request: AuthenticatedHttpRequest, submission: Submission, **forms: Any
) -> dict[str, Any]:
    requirement = submission.requirement
    can_review = access.can_manage_requirement(request.user, requirement)
    is_own = access.is_own_submission(request.user, submission)
    resubmit_url = ""
    if is_own and submission.status == Submission.Status.RETURNED:
        query = urlencode({"period": submission.period, "submitter": submitter_of(submission).key})
        resubmit_url = f"{reverse('reports:submit', args=[requirement.pk])}?{query}"
    return {
        "submission": submission,
        "requirement": requirement,
        "campaign": requirement.campaign,
        "submitter": submitter_of(submission),
        "period_label": selectors.period_label(submission.period),
        "can_review": can_review and submission.status == Submission.Status.SUBMITTED,
        "resubmit_url": resubmit_url,
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
    }


@login_required
def submission_detail(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    submission = access.access_submission_by_id(request.user, submission_id)
    return render(request, "reports/submission_detail.html", _submission_context(request, submission))


@login_required
@require_POST
def submission_accept(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    submission = access.access_submission_by_id(request.user, submission_id, for_change=True)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.accept(by=request.user, submission=submission, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已确认该报送材料。"))
            return redirect("reports:submission_detail", submission_id=submission.pk)
    context = _submission_context(request, submission, accept_form=form)
    return render(request, "reports/submission_detail.html", context, status=400)


@login_required
@require_POST
def submission_return(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    submission = access.access_submission_by_id(request.user, submission_id, for_change=True)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_submission(
                by=request.user, submission=submission, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已退回，报送单位修改后重新报送。"))
            return redirect("reports:submission_detail", submission_id=submission.pk)
    context = _submission_context(request, submission, return_form=form)
    return render(request, "reports/submission_detail.html", context, status=400)


@login_required
def submission_file(request: AuthenticatedHttpRequest, submission_id: int) -> FileResponse:
    """The submitted file, to whoever may see the submission (404 for everybody else)."""
    submission = access.access_submission_by_id(request.user, submission_id)
    if not submission.file:
        raise Http404
    extension = "." + submission.file.name.rsplit(".", 1)[-1].lower()
    content_type = next(
        (kind.content_type for kind in files.ALLOWED if extension in kind.extensions),
        "application/octet-stream",
    )
    period = selectors.period_label(submission.period)
    name = f"{submission.requirement.title}{period}-{submitter_of(submission).name}"
    return _file_response(
        submission.file.name, filename=f"{name}{extension}", content_type=content_type, attachment=True
    )
