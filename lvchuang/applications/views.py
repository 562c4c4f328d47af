"""Application and batch pages. Every object comes through `access`; every write is one service call.

When a service refuses (a closed window, a missing comment, an ineligible unit) its message is shown on the page
and whatever was typed stays in the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.accounts.access import access_unit_by_id
from lvchuang.applications import access, batches, documents, selectors, services
from lvchuang.applications.forms import (
    BatchCreateForm,
    ConsentForm,
    GoalsForm,
    HideCommentForm,
    ReturnBatchForm,
    SealScanForm,
    StartForm,
    TransitionForm,
)
from lvchuang.applications.models import FINAL_STATUSES, Application, Batch, GoalComment, Status
from lvchuang.applications.workflow import available
from lvchuang.assessments.files import LABELS
from lvchuang.campaigns.access import access_campaign_by_id, can_run_campaign, visible_campaigns
from lvchuang.campaigns.models import Campaign
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _error_messages(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- lists --------------------------------------------------------------------------------------------------


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的申报: the campaigns open to the user's units, each with its eligibility, and their applications."""
    context = {
        "offers": selectors.offers_for(request.user),
        "applications": list(selectors.applications_of_own_units(request.user)),
    }
    return render(request, "applications/mine.html", context)


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StartForm(request.POST)
    if not form.is_valid():
        raise Http404
    campaign = access_campaign_by_id(request.user, form.cleaned_data["campaign"])
    unit = access_unit_by_id(request.user, form.cleaned_data["unit"], for_change=True)
    try:
        application = services.create_application(by=request.user, campaign=campaign, unit=unit)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("applications:mine")
    messages.success(request, _("已开始申报。请完成自评、填写创建目标后提交。"))
    return redirect("applications:detail", application_id=application.pk)


@login_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """待我处理: applications the user may move on now, by campaign and status."""
    campaign_id = _int(request.GET.get("campaign"))
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    found = selectors.queue_for(request.user, campaign_id=campaign_id, status=status)
    context = {"queue": found, "campaign_id": campaign_id, "status": status}
    return render(request, "applications/queue.html", context)


@login_required
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every application the user may see (the office's overview), filterable by campaign and status."""
    campaign_id = _int(request.GET.get("campaign"))
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    applications = selectors.application_list(request.user, campaign_id=campaign_id, status=status)
    context = {
        "page_obj": paginate(request, applications),
        "campaigns": list(visible_campaigns(request.user)),
        "campaign_id": campaign_id,
        "status": status,
        "statuses": Status.choices,
    }
    return render(request, "applications/application_list.html", context)


# --- one application ----------------------------------------------------------------------------------------


def _detail_context(
    request: AuthenticatedHttpRequest, application: Application, **forms: Any
) -> dict[str, Any]:
    user = request.user
    events = selectors.events_of(application)
    unit_side = access.is_unit_side(user, application)
    transitions = available(user, application)
    transition_forms = forms.pop("transition_forms", {})
    program = application.campaign.program
    steps = selectors.progress_of(application, events)
    return {
        "application": application,
        "unit": application.unit,
        "campaign": application.campaign,
        "events": events,
        "steps": steps,
        "steps_done": sum(step.done for step in steps),
        "explained": services.explain_eligibility(application),
        "unit_side": unit_side,
        "can_run": can_run_campaign(user, application.campaign),
        "transitions": [
            (t, transition_forms.get(t.name) or TransitionForm(initial={"name": t.name})) for t in transitions
        ],
        "last_return": services.latest_return(application),
        "goals_form": forms.pop("goals_form", None) or GoalsForm(instance=application),
        "consent_form": forms.pop("consent_form", None) or ConsentForm(),
        "show_consent": program.skip_level_allowed
        and can_run_campaign(user, application.campaign)
        and application.status in (Status.DRAFT, Status.RETURNED, Status.SUBMITTED),
        "comments": selectors.visible_comments(application),
        "final": application.status in FINAL_STATUSES,
        **forms,
    }


@login_required
def application_detail(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = access.access_application_by_id(request.user, application_id)
    return render(request, "applications/application_detail.html", _detail_context(request, application))


@login_required
@require_POST
def transition(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = access.access_application_by_id(request.user, application_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.apply_transition(
                by=request.user,
                application=application,
                name=form.cleaned_data["name"],
                comment=form.cleaned_data["comment"],
                item_comments=form.item_comments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            application.refresh_from_db()
            messages.success(
                request, _("操作成功，申报现为“%(status)s”。") % {"status": application.get_status_display()}
            )
            return redirect("applications:detail", application_id=application.pk)
    name = request.POST.get("name", "")
    context = _detail_context(request, application, transition_forms={name: form})
    context["failed_transition"] = name
    return render(request, "applications/application_detail.html", context, status=400)


@login_required
@require_POST
def save_goals(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = access.access_application_by_id(request.user, application_id)
    form = GoalsForm(request.POST, instance=Application.objects.get(pk=application.pk))
    if form.is_valid():
        try:
            services.save_goals(
                by=request.user,
                application=application,
                goals=form.cleaned_data["goals"],
                measures=form.cleaned_data["measures"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("创建目标和主要措施已保存。"))
            return redirect("applications:detail", application_id=application.pk)
    application = access.access_application_by_id(request.user, application_id)
    context = _detail_context(request, application, goals_form=form)
    return render(request, "applications/application_detail.html", context, status=400)


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = access.access_application_by_id(request.user, application_id)
    try:
        if request.POST.get("action") == "unpublish":
            services.unpublish_goals(by=request.user, application=application)
            messages.success(request, _("已撤下公开的创建目标。"))
        else:
            services.publish_goals(by=request.user, application=application)
            messages.success(request, _("创建目标和主要措施已公布，居民可以在公开页面评议。"))
    except ValidationError as error:
        _error_messages(request, error)
    return redirect("applications:detail", application_id=application.pk)


@login_required
@require_POST
def consent(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = access.access_application_by_id(request.user, application_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.record_consent(
                by=request.user,
                application=application,
                document=form.cleaned_data["document"],
                given_on=form.cleaned_data["given_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记越级申报同意。"))
            return redirect("applications:detail", application_id=application.pk)
    context = _detail_context(request, application, consent_form=form)
    return render(request, "applications/application_detail.html", context, status=400)


@login_required
@require_POST
def hide_comment(request: AuthenticatedHttpRequest, application_id: int, comment_id: int) -> HttpResponse:
    application = access.access_application_by_id(request.user, application_id)
    comment = GoalComment.objects.filter(application=application, pk=comment_id).first()
    if comment is None:
        raise Http404
    form = HideCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明隐藏理由。"))
    else:
        try:
            services.hide_goal_comment(by=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("已隐藏该评议。"))
    return redirect("applications:detail", application_id=application.pk)


# --- batches ------------------------------------------------------------------------------------------------


@login_required
def batch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaigns = [
        campaign
        for campaign in visible_campaigns(request.user).filter(status=Campaign.Status.OPEN)
        if any(access.batch_senders(request.user, campaign))
    ]
    context = {
        "page_obj": paginate(request, selectors.batch_list(request.user)),
        "campaigns": campaigns,
        "form": BatchCreateForm(),
    }
    return render(request, "applications/batch_list.html", context)


@login_required
@require_POST
def batch_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BatchCreateForm(request.POST)
    if not form.is_valid():
        raise Http404
    campaign = access_campaign_by_id(request.user, form.cleaned_data["campaign"])
    office, department = access.batch_senders(request.user, campaign)
    try:
        batch = batches.create_batch(
            by=request.user,
            campaign=campaign,
            office=office,
            department=department,
            contact_name=form.cleaned_data["contact_name"],
            contact_phone=form.cleaned_data["contact_phone"],
        )
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("applications:batch_list")
    messages.success(request, _("已新建申报表“%(number)s”。") % {"number": batch.number})
    return redirect("applications:batch_detail", batch_id=batch.pk)


def _batch_context(request: AuthenticatedHttpRequest, batch: Batch, **extra: Any) -> dict[str, Any]:
    can_prepare = access.can_prepare_batch(request.user, batch)
    draft = batch.status == Batch.Status.DRAFT
    return {
        "batch": batch,
        "campaign": batch.campaign,
        "applications": selectors.batch_applications(batch),
        "addable": list(batches.addable_applications(batch)) if can_prepare and draft else [],
        "can_prepare": can_prepare,
        "can_return": can_run_campaign(request.user, batch.campaign) and batches.is_returnable(batch),
        "today": timezone.localdate(),
        "window": batches.batch_window(batch),
        "scan_form": extra.pop("scan_form", None) or SealScanForm(),
        "return_form": extra.pop("return_form", None) or ReturnBatchForm(),
        "scan_label": LABELS.get(_scan_type(batch), ""),
        **extra,
    }


def _scan_type(batch: Batch) -> str:
    name = batch.seal_scan.name.lower() if batch.seal_scan else ""
    if name.endswith(".pdf"):
        return "application/pdf"
    if name.endswith(".png"):
        return "image/png"
    return "image/jpeg"


@login_required
def batch_detail(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = access.access_batch_by_id(request.user, batch_id)
    return render(request, "applications/batch_detail.html", _batch_context(request, batch))


@login_required
@require_POST
def batch_add(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = access.access_batch_by_id(request.user, batch_id, for_change=True)
    ids = [pk for pk in (_int(value) for value in request.POST.getlist("application")) if pk is not None]
    chosen = list(Application.objects.filter(pk__in=ids))
    try:
        added = batches.add_applications(by=request.user, batch=batch, applications=chosen)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("已列入 %(count)s 份申报。") % {"count": added})
    return redirect("applications:batch_detail", batch_id=batch.pk)


@login_required
@require_POST
def batch_remove(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = access.access_batch_by_id(request.user, batch_id, for_change=True)
    application_id = _int(request.POST.get("application"))
    application = batch.applications.filter(pk=application_id).first() if application_id else None
    if application is None:
        raise Http404
    try:
        batches.remove_application(by=request.user, batch=batch, application=application)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("已从申报表移出“%(unit)s”。") % {"unit": application.unit.name})
    return redirect("applications:batch_detail", batch_id=batch.pk)


@login_required
@require_POST
def batch_upload_scan(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = access.access_batch_by_id(request.user, batch_id, for_change=True)
    form = SealScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            batches.upload_seal_scan(by=request.user, batch=batch, upload=form.cleaned_data["seal_scan"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("盖章扫描件已上传。"))
            return redirect("applications:batch_detail", batch_id=batch.pk)
    return render(
        request, "applications/batch_detail.html", _batch_context(request, batch, scan_form=form), status=400
    )


@login_required
def batch_scan(request: AuthenticatedHttpRequest, batch_id: int) -> FileResponse:
    """The stamped scan, to whoever may see the batch (404 for everybody else)."""
    batch = access.access_batch_by_id(request.user, batch_id)
    if not batch.seal_scan:
        raise Http404
    try:
        handle = default_storage.open(batch.seal_scan.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=batch.seal_scan_name or "scan",
        content_type=_scan_type(batch),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def batch_submit(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = access.access_batch_by_id(request.user, batch_id, for_change=True)
    window = batches.batch_window(batch)
    try:
        batches.submit_batch(by=request.user, batch=batch)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if window.override is not None:
            messages.success(
                request,
                _("申报表已报送（依据窗口延期：%(reason)s）。") % {"reason": window.override.reason},
            )
        else:
            messages.success(request, _("申报表已报送。"))
    return redirect("applications:batch_detail", batch_id=batch.pk)


@login_required
@require_POST
def batch_return(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch = access.access_batch_by_id(request.user, batch_id)
    form = ReturnBatchForm(request.POST)
    if form.is_valid():
        try:
            batches.return_batch(by=request.user, batch=batch, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("申报表已退回。"))
            return redirect("applications:batch_detail", batch_id=batch.pk)
    return render(
        request,
        "applications/batch_detail.html",
        _batch_context(request, batch, return_form=form),
        status=400,
    )


def _document(batch: Batch, extension: str) -> HttpResponse:
    form = documents.form_of(batch)
    if extension == "pdf":
        response = HttpResponse(documents.pdf_of(form), content_type="application/pdf")
    else:
        response = HttpResponse(documents.xlsx_of(form), content_type=documents.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = documents.disposition(form, extension, inline=extension == "pdf")
    return response


@login_required
def batch_form_xlsx(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    return _document(access.access_batch_by_id(request.user, batch_id), "xlsx")


@login_required
def batch_form_pdf(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    return _document(access.access_batch_by_id(request.user, batch_id), "pdf")
