"""The daily expiry of titles, run by the task runner and never in a request.

`manage.py expire_titles` (run daily by cron on deploy) enqueues `expire_titles`, which moves every title in
force whose validity ended to `expired` through `titles.lifecycle` (each with its event). Running it twice on a
day changes nothing the second time.
"""

from __future__ import annotations

import datetime

from django_tasks import task

from lvchuang.titles import lifecycle


@task()
def expire_titles(today_iso: str) -> int:
    """Expire the titles whose validity ended before `today_iso` (YYYY-MM-DD); returns how many."""
    return lifecycle.expire_due(today=datetime.date.fromisoformat(today_iso))
