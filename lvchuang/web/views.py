from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from lvchuang.campaigns.deadlines import Deadline
from lvchuang.meetings.selectors import overdue_items_for
from lvchuang.reports.selectors import owed_submissions_for
from lvchuang.supervision.selectors import my_open_orders
from lvchuang.targets.coverage import targets_summary_for
from lvchuang.web.http import AuthenticatedHttpRequest
from lvchuang.web.selectors import home_for, waiting_after_naming


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    home = home_for(request.user)
    today = timezone.localdate()
    reminders = [(deadline, deadline_link(deadline)) for deadline in home.deadlines]
    context = {
        "home": home,
        "reminders": reminders,
        "waiting": waiting_after_naming(request.user, today=today),
        "my_open_orders": my_open_orders(request.user),
        "today": today,
        "owed_submissions": owed_submissions_for(request.user, today=today),
        "overdue_agreed_items": overdue_items_for(request.user, today=today),
        "target_summaries": targets_summary_for(request.user, today=today),
    }
    return render(request, "web/home.html", context)


def deadline_link(deadline: Deadline) -> str:
    """The unit's own application, or the campaign page for an office."""
    if deadline.application_id is not None:
        return reverse("applications:detail", kwargs={"application_id": deadline.application_id})
    return reverse("campaigns:campaign_detail", kwargs={"campaign_id": deadline.campaign.pk})
