"""Office pages of public notices and objection cases, and the holiday calendar.

Every object comes through `access`; every write is one service call. When a service refuses (the window has
not passed, a case is still open, a reply is missing) its message is shown and whatever was typed stays.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.assessments.files import ALLOWED
from lvchuang.campaigns.access import access_campaign_by_id
from lvchuang.notices import access, calendar, services
from lvchuang.notices.forms import (
    DayOverrideForm,
    DecideForm,
    InvestigateForm,
    NoticeForm,
    WindowPreviewForm,
)
from lvchuang.notices.models import Notice, Objection
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate

OPEN_CASE_STATUSES = (Objection.Status.RECEIVED, Objection.Status.INVESTIGATING)


def _error_messages(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _site_root(request: AuthenticatedHttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- notices ------------------------------------------------------------------------------------------------


@login_required
def notice_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    notices = (
        access.visible_notices(request.user)
        .annotate(
            listed=Count("entries", filter=Q(entries__status="listed"), distinct=True),
            open_cases=Count(
                "objections", filter=Q(objections__status__in=OPEN_CASE_STATUSES), distinct=True
            ),
        )
        .order_by("-created_at", "-pk")
    )
    return render(request, "notices/notice_list.html", {"page_obj": paginate(request, notices)})


@login_required
def notice_create(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """制作公示: a draft from the campaign's shortlist."""
    campaign = access_campaign_by_id(request.user, campaign_id, for_change=True)
    status = 200
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = services.create_notice(by=request.user, campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("公示草稿已生成，请核对名单后发布。"))
                return redirect("notices:detail", notice_id=notice.pk)
        status = 400
    else:
        form = NoticeForm(
            initial={"title": _("关于%(campaign)s拟命名名单的公示") % {"campaign": campaign.name}}
        )
    context = {
        "campaign": campaign,
        "form": form,
        "shortlist": services.shortlist_of(campaign),
        "unfinished": campaign.notices.exclude(status=Notice.Status.CLOSED).first(),
    }
    return render(request, "notices/notice_create.html", context, status=status)


def _detail_context(request: AuthenticatedHttpRequest, notice: Notice, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    can_manage = access.can_manage_notice(request.user, notice)
    context: dict[str, Any] = {
        "notice": notice,
        "campaign": notice.campaign,
        "entries": list(notice.entries.select_related("unit__region", "application")),
        "can_manage": can_manage,
        "objections": list(
            access.visible_objections(request.user).filter(notice=notice).order_by("received_at", "pk")
        ),
        "today": today,
        "close_refusal": services.close_refusal(notice, today) if notice.status == Notice.Status.OPEN else "",
        "edit_form": forms.pop("edit_form", None) or NoticeForm(instance=notice),
    }
    if notice.status == Notice.Status.DRAFT:
        context["would_be"] = calendar.window_for(program=notice.campaign.program, publish_day=today)
    return context


@login_required
def notice_detail(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice_by_id(request.user, notice_id)
    return render(request, "notices/notice_detail.html", _detail_context(request, notice))


@login_required
@require_POST
def notice_edit(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice_by_id(request.user, notice_id, for_change=True)
    form = NoticeForm(request.POST, instance=Notice.objects.get(pk=notice.pk))
    if form.is_valid():
        try:
            services.update_notice(by=request.user, notice=notice, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("notices:detail", notice_id=notice.pk)
    context = _detail_context(request, notice, edit_form=form)
    return render(request, "notices/notice_detail.html", context, status=400)


@login_required
@require_POST
def notice_delete(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice_by_id(request.user, notice_id, for_change=True)
    try:
        services.delete_notice(by=request.user, notice=notice)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("notices:detail", notice_id=notice.pk)
    messages.success(request, _("公示草稿已删除。"))
    return redirect("notices:list")


@login_required
@require_POST
def notice_publish(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice_by_id(request.user, notice_id, for_change=True)
    try:
        notice = services.publish_notice(by=request.user, notice=notice)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        assert notice.starts_on is not None
        assert notice.ends_on is not None
        messages.success(
            request,
            _("公示已发布，公示期 %(start)s 至 %(end)s。")
            % {"start": notice.starts_on.isoformat(), "end": notice.ends_on.isoformat()},
        )
    return redirect("notices:detail", notice_id=notice.pk)


@login_required
@require_POST
def notice_close(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice_by_id(request.user, notice_id, for_change=True)
    try:
        services.close_notice(by=request.user, notice=notice)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("公示已结束，可以据此作出命名决定。"))
    return redirect("notices:detail", notice_id=notice.pk)


# --- objection cases ----------------------------------------------------------------------------------------


def _objection_context(
    request: AuthenticatedHttpRequest, objection: Objection, **forms: Any
) -> dict[str, Any]:
    return {
        "objection": objection,
        "notice": objection.notice,
        "campaign": objection.notice.campaign,
        "show_identity": access.can_see_objector(request.user, objection),
        "can_manage": access.can_manage_notice(request.user, objection.notice),
        "investigate_form": forms.pop("investigate_form", None) or InvestigateForm(),
        "decide_form": forms.pop("decide_form", None) or DecideForm(initial={"findings": objection.findings}),
    }


@login_required
def objection_detail(request: AuthenticatedHttpRequest, objection_id: int) -> HttpResponse:
    objection = access.access_objection_by_id(request.user, objection_id)
    return render(request, "notices/objection_detail.html", _objection_context(request, objection))


@login_required
def objection_evidence(request: AuthenticatedHttpRequest, objection_id: int) -> FileResponse:
    """The evidence file, to the issuing office only: it may say who objected (404 for everybody else)."""
    objection = access.access_objection_by_id(request.user, objection_id)
    if not objection.evidence or not access.can_see_objector(request.user, objection):
        raise Http404
    try:
        handle = default_storage.open(objection.evidence.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = "." + objection.evidence.name.rsplit(".", 1)[-1].lower()
    content_type = next(
        (kind.content_type for kind in ALLOWED if suffix in kind.extensions), "application/octet-stream"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=objection.evidence_name or "evidence", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def objection_investigate(request: AuthenticatedHttpRequest, objection_id: int) -> HttpResponse:
    objection = access.access_objection_by_id(request.user, objection_id)
    form = InvestigateForm(request.POST)
    if form.is_valid():
        try:
            services.start_investigation(
                by=request.user, objection=objection, findings=form.cleaned_data["findings"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已开始调查核实。"))
            return redirect("notices:objection", objection_id=objection.pk)
    context = _objection_context(request, objection, investigate_form=form)
    return render(request, "notices/objection_detail.html", context, status=400)


@login_required
@require_POST
def objection_decide(request: AuthenticatedHttpRequest, objection_id: int) -> HttpResponse:
    objection = access.access_objection_by_id(request.user, objection_id)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide_objection(
                by=request.user,
                objection=objection,
                upheld=form.upheld,
                reply=form.cleaned_data["reply"],
                findings=form.cleaned_data["findings"],
                site_root=_site_root(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            objection.refresh_from_db()
            if objection.status == Objection.Status.UPHELD:
                messages.success(request, _("异议成立，该单位已移出公示名单，申报已退出。"))
            else:
                messages.success(request, _("异议不成立，已答复异议人。"))
            return redirect("notices:objection", objection_id=objection.pk)
    context = _objection_context(request, objection, decide_form=form)
    return render(request, "notices/objection_detail.html", context, status=400)


# --- the holiday calendar -----------------------------------------------------------------------------------


def _calendar_context(request: AuthenticatedHttpRequest, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    preview_form = WindowPreviewForm(request.GET or None, initial={"publish_day": today})
    preview = None
    if preview_form.is_bound and preview_form.is_valid():
        data = preview_form.cleaned_data
        window = calendar.window_for(
            publish_day=data["publish_day"], length=data["length"], day_kind=data["day_kind"]
        )
        preview = {"window": window, "days": calendar.days_of(data["publish_day"], window.ends_on)}
    overrides = access.visible_day_overrides(request.user).filter(date__year__gte=today.year - 1)
    return {
        "overrides": list(overrides),
        "can_edit": access.can_edit_calendar(request.user),
        "override_form": forms.pop("override_form", None) or DayOverrideForm(),
        "preview_form": preview_form,
        "preview": preview,
        "today": today,
    }


@login_required
def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """节假日调整: the overrides, the administrator's form, and a window preview for everyone."""
    return render(request, "notices/calendar.html", _calendar_context(request))


@login_required
@require_POST
def override_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.can_edit_calendar(request.user):
        raise PermissionDenied
    form = DayOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.save_day_override(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存节假日调整。"))
            return redirect("notices:calendar")
    context = _calendar_context(request, override_form=form)
    return render(request, "notices/calendar.html", context, status=400)


@login_required
@require_POST
def override_delete(request: AuthenticatedHttpRequest, override_id: int) -> HttpResponse:
    override = access.access_day_override_by_id(request.user, override_id, for_change=True)
    services.delete_day_override(by=request.user, override=override)
    messages.success(request, _("已删除 %(date)s 的调整。") % {"date": override.date.isoformat()})
    return redirect("notices:calendar")
