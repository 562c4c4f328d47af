"""Deadline reminders, mailed by the task runner and never in a request.

`manage.py send_reminders` (run daily by cron on deploy) enqueues `send_deadline_reminders`. For every user who
owes work before a deadline that is approaching or already missed, it mails one message in Simplified Chinese
listing them, and records a `ReminderSent` row per deadline and kind: running it twice on the same day (or every
day of the reminder period) sends each reminder once — one as the deadline approaches, one when it is missed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from lvchuang.accounts.models import User
from lvchuang.campaigns.deadlines import DEADLINE_ROLES, MISSED, Deadline, attention_needed, deadlines_for
from lvchuang.campaigns.models import ReminderSent

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@task()
def send_deadline_reminders(today_iso: str) -> int:
    """Mail each user their new reminders of `today_iso` (YYYY-MM-DD); returns the number of mails sent."""
    today = datetime.date.fromisoformat(today_iso)
    recipients = (
        User.objects.filter(is_active=True, roles__role__in=DEADLINE_ROLES)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    with override(settings.LANGUAGE_CODE):
        return sum(1 for user in recipients if remind(user, today=today))


def remind(user: User, *, today: datetime.date) -> bool:
    """Mail the user the reminders not sent yet; True when a mail went out."""
    due = attention_needed(deadlines_for(user, today=today))
    if not due:
        return False
    already = set(
        ReminderSent.objects.filter(
            user=user, campaign_id__in={deadline.campaign.pk for deadline in due}
        ).values_list("campaign_id", "action", "kind", "due_on")
    )

    def record(key: tuple[int, str, str, datetime.date]) -> None:
        campaign_id, action, kind, due_on = key
        ReminderSent.objects.create(
            user=user, campaign_id=campaign_id, action=action, kind=kind, due_on=due_on
        )

    return mail_once(
        user,
        due,
        key=lambda deadline: deadline.reminder_key,
        already=already,
        record=record,
        compose=lambda listed: reminder_mail(user, listed),
    )


def mail_once(
    user: User,
    items: Sequence[T],
    *,
    key: Callable[[T], K],
    already: set[K],
    record: Callable[[K], object],
    compose: Callable[[list[T]], tuple[str, str]],
) -> bool:
    """Mail `user` the items whose key is not recorded yet, recording each key once; True when a mail went out.

    The records are written first, in the same transaction as the mail: a second run finds them (`already`) and
    skips, a concurrent run loses the unique constraint `record` hits, and a mail that fails to go rolls them
    back for the next run. Shared by every reminder of the platform (deadlines here, submissions in `reports`).
    """
    with transaction.atomic():
        fresh: set[K] = set()
        for item_key in dict.fromkeys(key(item) for item in items):
            if item_key in already:
                continue
            try:
                with transaction.atomic():
                    record(item_key)
            except IntegrityError:  # another run got there first
                continue
            fresh.add(item_key)
        listed = [item for item in items if key(item) in fresh]
        if not listed:
            return False
        subject, body = compose(listed)
        send_mail(subject, body, None, [user.email])
    return True


def reminder_mail(user: User, deadlines: list[Deadline]) -> tuple[str, str]:
    missed = sum(1 for deadline in deadlines if deadline.state == MISSED)
    approaching = len(deadlines) - missed
    if missed and approaching:
        subject = _("【绿创】截止提醒：%(missed)s 项已逾期，%(approaching)s 项即将截止") % {
            "missed": missed,
            "approaching": approaching,
        }
    elif missed:
        subject = _("【绿创】截止提醒：%(missed)s 项已逾期") % {"missed": missed}
    else:
        subject = _("【绿创】截止提醒：%(approaching)s 项即将截止") % {"approaching": approaching}
    lines = [_("%(name)s，您好：") % {"name": user}, ""]
    for deadline in deadlines:
        lines.append(
            _("· %(campaign)s · %(action)s：%(pending)s。%(when)s")
            % {
                "campaign": deadline.campaign.name,
                "action": deadline.label,
                "pending": _for_whom(deadline),
                "when": days_phrase(deadline),
            }
        )
    lines += [
        "",
        _("已逾期的事项如确需延期，请联系组织单位登记窗口延期并说明理由。"),
        _("请登录绿创查看详情并办理：/"),
    ]
    return subject, "\n".join(lines)


def _for_whom(deadline: Deadline) -> str:
    if deadline.unit is not None:
        return f"{deadline.unit.name}{deadline.pending}"
    return str(deadline.pending)


def days_phrase(deadline: Deadline) -> str:
    """'9 月 30 日截止，还剩 5 天' / '今天截止' / '已于 9 月 30 日截止，逾期 3 天'."""
    date = date_format(deadline.due_on)
    if deadline.days_left < 0:
        return _("已于 %(date)s 截止，逾期 %(days)s 天。") % {"date": date, "days": -deadline.days_left}
    if deadline.days_left == 0:
        return _("今天（%(date)s）截止。") % {"date": date}
    return _("%(date)s 截止，还剩 %(days)s 天。") % {"date": date, "days": deadline.days_left}
