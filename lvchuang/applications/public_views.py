"""The public goals page: no login. Each applicant posts its creation goals and main measures "在社区醒目位置
张榜公示，接受社会监督和评议" (seed 000); residents comment here.

Only applications whose goals are published and which are still in the running exist on these pages: any other
campaign or application answers 404, so nothing leaks about an unpublished application.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.applications import selectors, services
from lvchuang.applications.forms import GoalCommentForm
from lvchuang.applications.models import Application
from lvchuang.campaigns.models import Campaign
from lvchuang.web.http import add_service_errors


def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/public_list.html", {"campaigns": list(selectors.public_campaigns())})


def _campaign(campaign_id: int) -> Campaign:
    campaign = selectors.public_campaigns().filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def _page(
    request: HttpRequest,
    campaign: Campaign,
    *,
    bound: GoalCommentForm | None = None,
    bound_for: int | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = [
        (
            application,
            bound
            if application.pk == bound_for and bound is not None
            else GoalCommentForm(auto_id=f"comment-{application.pk}-%s"),
        )
        for application in selectors.public_goals(campaign)
    ]
    context = {"campaign": campaign, "entries": entries, "bound_for": bound_for}
    return render(request, "applications/public_goals.html", context, status=status)


def campaign_goals(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _page(request, _campaign(campaign_id))


@require_POST
def comment(request: HttpRequest, campaign_id: int, application_id: int) -> HttpResponse:
    campaign = _campaign(campaign_id)
    application: Application | None = (
        selectors.published_applications().filter(campaign=campaign, pk=application_id).first()
    )
    if application is None:
        raise Http404
    form = GoalCommentForm(request.POST, auto_id=f"comment-{application.pk}-%s")
    status = 400
    if form.is_valid():
        try:
            services.post_goal_comment(
                application=application,
                author_name=form.cleaned_data["author_name"],
                content=form.cleaned_data["content"],
                client_address=request.META.get("REMOTE_ADDR", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            status = 429
        else:
            messages.success(request, _("谢谢您的评议，已发布。"))
            url = reverse("public_goals:campaign", args=[campaign.pk])
            return redirect(f"{url}#application-{application.pk}")
    return _page(request, campaign, bound=form, bound_for=application.pk, status=status)
