from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from lvchuang.campaigns.deadlines import Deadline
from lvchuang.web.http import AuthenticatedHttpRequest
from lvchuang.web.selectors import home_for


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    home = home_for(request.user)
    reminders = [(deadline, deadline_link(deadline)) for deadline in home.deadlines]
    return render(request, "web/home.html", {"home": home, "reminders": reminders})


def deadline_link(deadline: Deadline) -> str | None:
    """The unit's application, or the campaign, for an office; None while those pages do not exist yet."""
    if deadline.application_id is not None:
        link = _reverse_or_none("applications:detail", application_id=deadline.application_id)
        if link is not None:
            return link
    # The campaign pages are being built alongside: accept either name the campaign page ends up with.
    for name in ("campaigns:detail", "campaigns:campaign_detail"):
        link = _reverse_or_none(name, campaign_id=deadline.campaign.pk)
        if link is not None:
            return link
    return None


def _reverse_or_none(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None
