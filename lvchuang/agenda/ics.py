"""The events as an iCalendar file (RFC 5545), written by the `icalendar` package.

Every event is a whole day (DTSTART;VALUE=DATE, DTEND the next day, as RFC 5545 §3.6.1 asks of all-day events),
so no time zone is needed; X-WR-TIMEZONE only tells calendar programs where the deadlines are meant.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vDuration
from icalendar import Event as CalendarEvent

from lvchuang.agenda.events import Event
from lvchuang.agenda.rules import rules

PRODUCT_ID = "-//lvchuang//绿创日程//ZH"
ONE_DAY = datetime.timedelta(days=1)


def feed_calendar(
    events: Iterable[Event], *, name: str, site_root: str, stamp: datetime.datetime | None = None
) -> bytes:
    """`site_root` is the site's absolute address without the trailing slash (`https://lvchuang.example`)."""
    stamp = stamp or timezone.now()
    refresh = datetime.timedelta(hours=rules().feed_refresh_hours)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    for event in events:
        url = site_root + event.url
        description = "\n".join(part for part in (event.state_label, event.detail, url) if part)
        entry = CalendarEvent()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.on)
        entry.add("dtend", event.on + ONE_DAY)
        entry.add("summary", event.title)
        entry.add("description", description)
        entry.add("url", url)
        entry.add("categories", [event.kind])
        entry.add("transp", "TRANSPARENT")  # a deadline does not make the day busy
        calendar.add_component(entry)
    return bytes(calendar.to_ical())


def calendar_name(user_label: str) -> str:
    return _("绿创日程 · %(user)s") % {"user": user_label}
