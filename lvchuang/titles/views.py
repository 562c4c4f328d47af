"""Title pages of the offices: the registry within the user's sight, a title with its history, awards and
certificates, and the revocation, reinstatement and certificate number of the offices that manage it.

Every title is reached through `titles.access` (404 outside the user's sight; 403 where it may only be read).
The public registry and verification page are the portal's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.campaigns.models import Program
from lvchuang.naming import services as naming
from lvchuang.titles import certificates, services
from lvchuang.titles.access import access_title_by_id, can_manage_title, visible_titles
from lvchuang.titles.forms import ReinstateForm, RevokeForm, TitleFilterForm
from lvchuang.titles.models import Title
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate


@login_required
def title_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """称号登记: the titles of the units within the user's sight, filtered and paged."""
    titles = visible_titles(request.user)
    form = TitleFilterForm(request.GET or None)
    page = paginate(request, form.apply(titles) if form.is_bound else titles)
    programs = Program.objects.filter(pk__in=titles.values("program_id")).order_by("level", "name")
    context = {
        "form": form,
        "page_obj": page,
        "programs": programs,
        "program_id": form.cleaned_data.get("program") if form.is_bound and form.is_valid() else None,
    }
    return render(request, "titles/title_list.html", context)


def _detail_context(request: AuthenticatedHttpRequest, title: Title, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "title": title,
        "events": list(title.events.select_related("by")),
        "awards": list(title.awards.all()),
        "can_manage": can_manage_title(request.user, title),
        "revoke_form": forms.get("revoke_form") or RevokeForm(initial={"on": today}),
        "reinstate_form": forms.get("reinstate_form") or ReinstateForm(initial={"on": today}),
        "verify_url": certificates.verification_url(request, title.certificate_number)
        if title.certificate_number
        else "",
    }


@login_required
def title_detail(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    title = access_title_by_id(request.user, title_id)
    return render(request, "titles/title_detail.html", _detail_context(request, title))


def _pdf(request: AuthenticatedHttpRequest, title_id: int, kind: str) -> HttpResponse:
    title = access_title_by_id(request.user, title_id)
    if not title.certificate_number:
        messages.error(request, _("该称号还没有证书编号，请先生成证书编号。"))
        return redirect("titles:detail", title_id=title.pk)
    url = certificates.verification_url(request, title.certificate_number)
    if kind == "plaque":
        body, label = certificates.plaque_pdf(title, url=url), _("牌匾")
    else:
        body, label = certificates.certificate_pdf(title, url=url), _("证书")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = certificates.disposition(title, label)
    return response


@login_required
def certificate_pdf(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    return _pdf(request, title_id, "certificate")


@login_required
def plaque_pdf(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    return _pdf(request, title_id, "plaque")


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    title = access_title_by_id(request.user, title_id, for_change=True)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            naming.revoke_title(by=request.user, title=title, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("称号已撤销，未拨付的奖励已取消。"))
            return redirect("titles:detail", title_id=title.pk)
    context = _detail_context(request, title, revoke_form=form)
    return render(request, "titles/title_detail.html", context)


@login_required
@require_POST
def reinstate(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    title = access_title_by_id(request.user, title_id, for_change=True)
    form = ReinstateForm(request.POST)
    if form.is_valid():
        try:
            services.reinstate_title(by=request.user, title=title, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("称号已恢复为有效。"))
            return redirect("titles:detail", title_id=title.pk)
    context = _detail_context(request, title, reinstate_form=form)
    return render(request, "titles/title_detail.html", context)


@login_required
@require_POST
def issue_number(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    title = access_title_by_id(request.user, title_id, for_change=True)
    try:
        title = services.issue_certificate_number(by=request.user, title=title)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已生成证书编号 %(number)s。") % {"number": title.certificate_number})
    return redirect("titles:detail", title_id=title.pk)
