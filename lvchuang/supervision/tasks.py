"""The daily check of rectification deadlines, run by the task runner and never in a request.

`manage.py check_rectifications` (run daily by cron on deploy) enqueues `check_rectification_deadlines`: every
open order past its due date becomes overdue and a revocation proposal is raised for its title with no proposer
(the system). Running it twice on the same day changes nothing the second time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import override
from django_tasks import task

from lvchuang.supervision.services import mark_overdue


@task()
def check_rectification_deadlines(today_iso: str) -> int:
    """Mark the orders overdue as of `today_iso` (YYYY-MM-DD); returns how many became overdue."""
    with override(settings.LANGUAGE_CODE):  # the proposals' reasons are written in the source language
        return mark_overdue(today=datetime.date.fromisoformat(today_iso))
