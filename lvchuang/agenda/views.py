"""The calendar page (日程), the private ICS feed and replacing the feed's address.

The feed is fetched by calendar programs without a session: the secret key in its address stands for the user,
and it shows exactly what the calendar page shows that user. An unknown key, a replaced one and an inactive
user's all answer 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lvchuang.agenda import access, ics, selectors, services
from lvchuang.agenda.events import KINDS, events_for
from lvchuang.agenda.models import FeedToken
from lvchuang.agenda.rules import rules
from lvchuang.web.http import AuthenticatedHttpRequest, render_with_partial


def feed_url(request: HttpRequest, token: FeedToken) -> str:
    return request.build_absolute_uri(reverse("agenda:feed", kwargs={"key": token.key}))


@login_required
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A month of the user's deadlines: the grid, the list below it, the legend and the feed's address."""
    today = timezone.localdate()
    month = selectors.parse_month(request.GET.get("month"), today=today)
    status = 200
    if month is None:
        messages.error(request, _("月份格式应为 YYYY-MM（2000—2100 年），已显示本月。"))
        month = selectors.Month(today.year, today.month)
        status = 400
    first, last = selectors.grid_range(month)
    events = events_for(request.user, start=first, end=last, today=today)
    context = {
        "month": month,
        "today": today,
        "weekdays": selectors.WEEKDAYS,
        "weeks": selectors.month_grid(month, events, today=today),
        "month_events": [event for event in events if month.first <= event.on <= month.last],
        "kinds": KINDS,
        "feed_url": feed_url(request, services.feed_token_for(request.user)),
        "rules": rules(),
    }
    response = render_with_partial(request, "agenda/calendar.html", "agenda/_month.html", context)
    response.status_code = status
    return response


@login_required
@require_POST
def feed_key_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.reset_feed_key(by=request.user)
    messages.success(request, _("已更换订阅地址：原地址已失效，请在日历软件中改用新地址。"))
    url = reverse("agenda:calendar")
    if month := request.POST.get("month"):  # back to the month shown, when it was one
        shown = selectors.parse_month(month, today=timezone.localdate())
        url += f"?month={shown.key}" if shown is not None else ""
    return redirect(url + "#subscribe")


@require_GET
def feed(request: HttpRequest, key: str) -> HttpResponse:
    """The user's events from 60 days ago to 400 days ahead (`defaults/agenda.yaml`) as an ICS file."""
    user = access.access_feed_by_key(key).user
    today = timezone.localdate()
    start, end = rules().feed_range(today)
    events = events_for(user, start=start, end=end, today=today)
    body = ics.feed_calendar(
        events,
        name=ics.calendar_name(str(user)),
        site_root=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private"
    response["Content-Disposition"] = 'inline; filename="lvchuang.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
