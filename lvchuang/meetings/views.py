"""Joint meeting pages (联席会议, seed 004): the bodies with their members and liaisons, meetings with attendees
and minutes, agreed items (议定事项) tracked to done, "我的议定事项" for liaisons and the offices' item list.

Every object is reached through `meetings.access` (404 outside; 403 where the user may only read). Views parse
input, call one service and render; a refused form is shown again with what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.assessments import files
from lvchuang.assessments.views import _file_response
from lvchuang.meetings import access, selectors, services
from lvchuang.meetings.forms import (
    AgreedItemForm,
    CancelForm,
    CloseForm,
    LiaisonForm,
    MeetingForm,
    ProgressForm,
    ReopenForm,
    attendee_formset,
)
from lvchuang.meetings.models import AgreedItem, Meeting
from lvchuang.organisations.models import Department, GoverningBody
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate

Status = AgreedItem.Status


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- bodies -------------------------------------------------------------------------------------------------------


@login_required
def body_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """联席会议: the bodies the user sees, with members, meetings and open and overdue items."""
    today = timezone.localdate()
    page_obj = paginate(request, selectors.bodies_with_counts(request.user, today=today))
    context = {
        "page_obj": page_obj,
        "can_list_items": selectors.can_see_item_list(request.user),
        "is_liaison": bool(selectors.liaison_department_ids(request.user)),
    }
    return render(request, "meetings/body_list.html", context)


def _body_context(request: AuthenticatedHttpRequest, body: GoverningBody, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    can_keep = access.can_keep_body(request.user, body)
    memberships = list(selectors.memberships_of(body))
    meetings = selectors.meetings_with_counts(Meeting.objects.filter(body=body)).order_by("-held_on", "-pk")
    open_items = (
        AgreedItem.objects.filter(meeting__body=body, status=Status.OPEN)
        .select_related("meeting", "owner")
        .order_by("due_on", "meeting_id", "number")
    )
    return {
        "body": body,
        "today": today,
        "can_keep": can_keep,
        "memberships": memberships,
        "meetings": list(meetings),
        "open_items": list(open_items),
        "liaison_form": forms.get("liaison_form") or (LiaisonForm(body=body) if can_keep else None),
    }


@login_required
def body_detail(request: AuthenticatedHttpRequest, body_id: int) -> HttpResponse:
    body = access.access_meeting_body_by_id(request.user, body_id)
    return render(request, "meetings/body_detail.html", _body_context(request, body))


@login_required
@require_POST
def liaison_add(request: AuthenticatedHttpRequest, body_id: int) -> HttpResponse:
    body = access.access_meeting_body_by_id(request.user, body_id, for_change=True)
    form = LiaisonForm(request.POST, body=body)
    if form.is_valid():
        try:
            services.add_liaison(
                by=request.user, membership=form.cleaned_data["membership"], user=form.cleaned_data["user"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("联络员已登记。"))
            return redirect("meetings:body_detail", body_id=body.pk)
    context = _body_context(request, body, liaison_form=form)
    return render(request, "meetings/body_detail.html", context, status=400)


@login_required
@require_POST
def liaison_remove(request: AuthenticatedHttpRequest, liaison_id: int) -> HttpResponse:
    liaison = access.access_liaison_by_id(request.user, liaison_id, for_change=True)
    body_id = liaison.membership.body_id
    services.remove_liaison(by=request.user, liaison=liaison)
    messages.success(request, _("联络员已移除。"))
    return redirect("meetings:body_detail", body_id=body_id)


# --- meetings -----------------------------------------------------------------------------------------------------


def _meeting_form_page(
    request: AuthenticatedHttpRequest, body: GoverningBody, meeting: Meeting | None
) -> HttpResponse:
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES)
        formset = attendee_formset(body, request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            fields = {
                "title": data["title"],
                "held_on": data["held_on"],
                "place": data["place"],
                "chair": data["chair"],
                "minutes": data["minutes"],
                "minutes_number": data["minutes_number"],
                "minutes_upload": data["minutes_file"],
                "attendees": formset.attendees(),
            }
            try:
                if meeting is None:
                    meeting = services.create_meeting(by=request.user, body=body, **fields)
                else:
                    meeting = services.update_meeting(
                        by=request.user,
                        meeting=meeting,
                        clear_minutes_file=data["clear_minutes_file"],
                        **fields,
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("会议已保存。"))
                return redirect("meetings:meeting_detail", meeting_id=meeting.pk)
        status = 400
    else:
        if meeting is None:
            form = MeetingForm(initial={"held_on": timezone.localdate()})
            formset = attendee_formset(body)
        else:
            form = MeetingForm(
                initial={
                    "title": meeting.title,
                    "held_on": meeting.held_on,
                    "place": meeting.place,
                    "chair": meeting.chair,
                    "minutes": meeting.minutes,
                    "minutes_number": meeting.minutes_number,
                }
            )
            formset = attendee_formset(
                body,
                initial=[
                    {
                        "department": row.department_id,
                        "name": row.name,
                        "position": row.position,
                        "is_absent": row.is_absent,
                    }
                    for row in meeting.attendances.all()
                ],
            )
        status = 200
    context = {"body": body, "meeting": meeting, "form": form, "formset": formset}
    return render(request, "meetings/meeting_form.html", context, status=status)


@login_required
def meeting_create(request: AuthenticatedHttpRequest, body_id: int) -> HttpResponse:
    body = access.access_meeting_body_by_id(request.user, body_id, for_change=True)
    return _meeting_form_page(request, body, None)


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_by_id(request.user, meeting_id, for_change=True)
    return _meeting_form_page(request, meeting.body, meeting)


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_by_id(request.user, meeting_id)
    today = timezone.localdate()
    items = list(meeting.agreed_items.select_related("owner").order_by("number"))
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "today": today,
        "can_keep": access.can_keep_body(request.user, meeting.body),
        "attendances": list(meeting.attendances.select_related("department")),
        "items": items,
        "overdue_ids": {item.pk for item in items if selectors.is_overdue(item, today=today)},
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_minutes_file(request: AuthenticatedHttpRequest, meeting_id: int) -> FileResponse:
    """The minutes scan, to whoever may read the meeting (404 for everybody else)."""
    return minutes_response(access.access_meeting_by_id(request.user, meeting_id))


def minutes_response(meeting: Meeting) -> FileResponse:
    """The meeting's minutes scan as a download (404 when there is none)."""
    if not meeting.minutes_file:
        raise Http404
    extension = "." + meeting.minutes_file.name.rsplit(".", 1)[-1].lower()
    content_type = next(
        (kind.content_type for kind in files.ALLOWED if extension in kind.extensions),
        "application/octet-stream",
    )
    return _file_response(
        meeting.minutes_file.name,
        filename=f"{meeting.title}{_('纪要')}{extension}",
        content_type=content_type,
        attachment=True,
    )


# --- agreed items -------------------------------------------------------------------------------------------------


@login_required
def item_create(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting_by_id(request.user, meeting_id, for_change=True)
    form = AgreedItemForm(request.POST or None, body=meeting.body)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agreed_item(by=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("议定事项已添加。"))
            if "another" in request.POST:
                return redirect("meetings:item_create", meeting_id=meeting.pk)
            return redirect("meetings:meeting_detail", meeting_id=meeting.pk)
    status = 400 if request.method == "POST" else 200
    context = {"meeting": meeting, "body": meeting.body, "form": form, "item": None}
    return render(request, "meetings/item_form.html", context, status=status)


@login_required
def item_edit(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = access.access_item_by_id(request.user, item_id)
    if not access.can_keep_body(request.user, item.meeting.body):
        raise PermissionDenied
    initial = {"text": item.text, "owner": item.owner_id, "due_on": item.due_on}
    form = AgreedItemForm(request.POST or None, initial=initial, body=item.meeting.body)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreed_item(by=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("议定事项已修改。"))
            return redirect("meetings:item_detail", item_id=item.pk)
    status = 400 if request.method == "POST" else 200
    context = {"meeting": item.meeting, "body": item.meeting.body, "form": form, "item": item}
    return render(request, "meetings/item_form.html", context, status=status)


def _item_context(request: AuthenticatedHttpRequest, item: AgreedItem, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    body = item.meeting.body
    can_keep = access.can_keep_body(request.user, body)
    can_work = can_keep or access.can_act_as_owner(request.user, item)
    is_open = item.status == Status.OPEN
    return {
        "item": item,
        "meeting": item.meeting,
        "body": body,
        "today": today,
        "overdue": selectors.is_overdue(item, today=today),
        "days_overdue": selectors.days_overdue(item, today=today),
        "progress": list(item.progress.select_related("by").order_by("at", "pk")),
        "can_edit": can_keep and is_open,
        "can_progress": can_work and is_open,
        "can_close": can_work and is_open,
        "can_cancel": can_keep and is_open,
        "can_reopen": can_keep and item.status == Status.DONE,
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
    }


@login_required
def item_detail(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = access.access_item_by_id(request.user, item_id)
    return render(request, "meetings/item_detail.html", _item_context(request, item))


def _item_action(
    request: AuthenticatedHttpRequest, item_id: int, form_class: type[Any], name: str, done: str
) -> HttpResponse:
    item = access.access_item_by_id(request.user, item_id, for_change=True)
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if name == "progress_form":
                services.add_progress(by=request.user, item=item, note=data["note"])
            elif name == "close_form":
                services.close_item(
                    by=request.user, item=item, result=data["result"], closed_on=data["closed_on"]
                )
            elif name == "cancel_form":
                services.cancel_item(by=request.user, item=item, reason=data["reason"])
            else:
                services.reopen_item(by=request.user, item=item, reason=data["reason"], due_on=data["due_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("meetings:item_detail", item_id=item.pk)
    item.refresh_from_db()
    return render(
        request, "meetings/item_detail.html", _item_context(request, item, **{name: form}), status=400
    )


@login_required
@require_POST
def item_progress(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    return _item_action(request, item_id, ProgressForm, "progress_form", _("办理进展已填报。"))


@login_required
@require_POST
def item_close(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    return _item_action(request, item_id, CloseForm, "close_form", _("议定事项已办结。"))


@login_required
@require_POST
def item_cancel(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = access.access_item_by_id(request.user, item_id)
    if not access.can_keep_body(request.user, item.meeting.body):
        raise PermissionDenied
    return _item_action(request, item_id, CancelForm, "cancel_form", _("议定事项已撤销。"))


@login_required
@require_POST
def item_reopen(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = access.access_item_by_id(request.user, item_id)
    if not access.can_keep_body(request.user, item.meeting.body):
        raise PermissionDenied
    return _item_action(request, item_id, ReopenForm, "reopen_form", _("议定事项已重新打开。"))


@login_required
def item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """议定事项: every item of the bodies the user sees, filtered by status (incl. overdue), owner and body."""
    today = timezone.localdate()
    visible = selectors.visible_agreed_items(request.user)
    shown = request.GET.get("status", "")
    if shown not in selectors.ITEM_FILTERS:
        shown = ""
    owner_id = _int_or_none(request.GET.get("owner"))
    body_id = _int_or_none(request.GET.get("body"))
    items = selectors.filter_items(visible, status=shown, owner_id=owner_id, body_id=body_id, today=today)
    page_obj = paginate(request, items)
    owners: QuerySet[Department] = Department.objects.filter(
        pk__in=visible.order_by().values("owner_id")
    ).order_by("name")
    bodies: QuerySet[GoverningBody] = access.visible_meeting_bodies(request.user).order_by("name")
    context = {
        "page_obj": page_obj,
        "today": today,
        "shown": shown,
        "owner_id": owner_id,
        "body_id": body_id,
        "owners": list(owners),
        "bodies": list(bodies),
        "filters": _status_filters(),
        "overdue_ids": {item.pk for item in page_obj if selectors.is_overdue(item, today=today)},
    }
    return render(request, "meetings/item_list.html", context)


def _status_filters() -> list[tuple[str, str]]:
    return [
        ("open", _("办理中")),
        ("overdue", _("已逾期")),
        ("done", _("已办结")),
        ("cancelled", _("已撤销")),
    ]


@login_required
def my_items(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的议定事项: what the liaison's departments owe, overdue first with the days overdue."""
    today = timezone.localdate()
    rows = selectors.items_for_liaison(request.user, today=today)
    context = {
        "rows": rows,
        "today": today,
        "open_count": sum(1 for row in rows if row.item.status == Status.OPEN),
        "overdue_count": sum(1 for row in rows if row.overdue),
        "is_liaison": bool(selectors.liaison_department_ids(request.user)),
    }
    return render(request, "meetings/my_items.html", context)
