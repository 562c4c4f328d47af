from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from lvchuang.campaigns.deadlines import Deadline
from lvchuang.web.http import AuthenticatedHttpRequest
from lvchuang.web.selectors import home_for


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    home = home_for(request.user)
    reminders = [(deadline, deadline_link(deadline)) for deadline in home.deadlines]
    return render(request, "web/home.html", {"home": home, "reminders": reminders})


def deadline_link(deadline: Deadline) -> str:
    """The unit's own application, or the campaign page for an office."""
    if deadline.application_id is not None:
        return reverse("applications:detail", kwargs={"application_id": deadline.application_id})
    return reverse("campaigns:campaign_detail", kwargs={"campaign_id": deadline.campaign.pk})
