"""The public notice pages: no login (seed 000, 认定巩固阶段: 公示, then naming).

Published notices only: a draft answers 404. The list and scores are public; an objector's identity never
appears here, and a case page (reached by its private link) shows the status and the written reply, never the
office's internal findings.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited  # type: ignore[import-untyped]  # ships no type information

from lvchuang.notices import services
from lvchuang.notices.forms import ObjectionForm
from lvchuang.notices.models import Notice, NoticeEntry, Objection
from lvchuang.web.http import add_service_errors

RECENTLY_CLOSED = 20


def published_notices() -> QuerySet[Notice]:
    return Notice.objects.exclude(status=Notice.Status.DRAFT).select_related(
        "campaign__office", "campaign__program"
    )


def _notice(notice_id: int) -> Notice:
    notice = published_notices().filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    return notice


def notice_list(request: HttpRequest) -> HttpResponse:
    context = {
        "open_notices": list(
            published_notices().filter(status=Notice.Status.OPEN).order_by("-starts_on", "-pk")
        ),
        "closed_notices": list(
            published_notices()
            .filter(status=Notice.Status.CLOSED)
            .order_by("-closed_at", "-pk")[:RECENTLY_CLOSED]
        ),
    }
    return render(request, "notices/public_list.html", context)


def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _notice(notice_id)
    context = {
        "notice": notice,
        "entries": list(notice.entries.select_related("unit__region")),
        "accepting": services.accepts_objections(notice),
        "refusal": ""
        if services.accepts_objections(notice)
        else services.window_refusal(notice, timezone.localdate()),
    }
    return render(request, "notices/public_detail.html", context)


def _listed(notice: Notice) -> list[NoticeEntry]:
    return list(notice.entries.filter(status=NoticeEntry.Status.LISTED).select_related("unit"))


def _objection_page(
    request: HttpRequest, notice: Notice, form: ObjectionForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    today = timezone.localdate()
    accepting = services.accepts_objections(notice, today)
    context = {
        "notice": notice,
        "form": form,
        "accepting": accepting,
        "refusal": "" if accepting else services.window_refusal(notice, today),
        "file_dropped": form.is_bound and bool(request.FILES.get("evidence")),
        **extra,
    }
    return render(request, "notices/public_object.html", context, status=status)


def rate_limited(request: HttpRequest) -> bool:
    """Counts this submission against the caller's address (django-ratelimit, in the shared cache); shared by
    the public form and the public API."""
    limited: bool = is_ratelimited(
        request,
        group="notices.objection",
        key="ip",
        rate=objection_rate(),
        method="POST",
        increment=True,
    )
    return limited


def objection_rate() -> str:
    return str(getattr(settings, "OBJECTION_RATE", "5/h"))


def rate_refusal() -> str:
    return _("提交过于频繁：同一网络每小时最多提交 %(rate)s 件异议，请稍后再试。") % {
        "rate": objection_rate().split("/")[0]
    }


def object_to(request: HttpRequest, notice_id: int) -> HttpResponse:
    """提出异议: the form per notice; the unit is chosen from the list."""
    notice = _notice(notice_id)
    entries = _listed(notice)
    if request.method != "POST":
        initial = {"entry": request.GET.get("entry", "")}
        return _objection_page(request, notice, ObjectionForm(entries=entries, initial=initial))
    form = ObjectionForm(request.POST, request.FILES, entries=entries)
    if not form.is_valid():
        return _objection_page(request, notice, form, status=400)
    if rate_limited(request):
        form.add_error(None, rate_refusal())
        return _objection_page(request, notice, form, status=429)
    entry = NoticeEntry.objects.filter(notice=notice, pk=form.cleaned_data["entry"]).first()
    if entry is None:
        form.add_error("entry", _("所选单位不在本公示的名单中。"))
        return _objection_page(request, notice, form, status=400)
    try:
        objection = services.submit_objection(
            notice=notice,
            entry=entry,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
            content=form.cleaned_data["content"],
            evidence=form.cleaned_data["evidence"],
            client_address=request.META.get("REMOTE_ADDR", ""),
            site_root=request.build_absolute_uri("/").rstrip("/"),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _objection_page(request, notice, form, status=400)
    messages.success(request, _("您的异议已受理，案件编号 %(case)s。") % {"case": objection.case_number})
    return redirect(reverse("public_notices:case", args=[objection.token]) + "?submitted=1")


def case(request: HttpRequest, token: str) -> HttpResponse:
    """The objector's private case page: status and written reply, nothing of the internal findings."""
    objection = (
        Objection.objects.select_related("notice", "entry__unit").filter(token=token).first()
        if token
        else None
    )
    if objection is None:
        raise Http404
    context = {
        "objection": objection,
        "notice": objection.notice,
        "submitted": request.GET.get("submitted") == "1",
        "link": request.build_absolute_uri(reverse("public_notices:case", args=[objection.token])),
    }
    response = render(request, "notices/public_case.html", context)
    # The page is reached by a secret link: keep it out of shared caches and of other sites' Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
