"""Submission reminders, mailed by the task runner and never in a request.

`manage.py send_submission_reminders` (run daily by cron on deploy) enqueues `send_submission_reminders`. For
every period of a requirement of an open campaign still owed by a submitter (nothing handed in, or returned),
each user who may hand it in gets one mail listing what is new for them:
- approaching — within the requirement's `remind_days_before` of the due date;
- missed — from the day after the due date;
- still_missing — once more `remind_days_after` days after the due date.
A `SubmissionReminder` row per requirement, period, user and kind makes each go once: running the command twice
on a day, or every day, sends each reminder once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from lvchuang.accounts.models import User
from lvchuang.campaigns.models import Campaign
from lvchuang.campaigns.tasks import mail_once
from lvchuang.reports.models import Requirement, SubmissionReminder
from lvchuang.reports.selectors import HANDED_IN, completeness, period_label, periods_of
from lvchuang.reports.submitters import Submitter, submitter_users

Kind = SubmissionReminder.Kind


@dataclass(frozen=True)
class Reminder:
    requirement: Requirement
    period: str
    due_on: datetime.date
    submitter: Submitter
    kind: str

    @property
    def key(self) -> tuple[int, str, str, datetime.date]:
        return (self.requirement.pk, self.period, self.kind, self.due_on)


def kind_on(requirement: Requirement, due_on: datetime.date, today: datetime.date) -> str | None:
    """Which reminder a period owed on `today` calls for, if any."""
    if today > due_on:
        still_missing_on = due_on + datetime.timedelta(days=max(requirement.remind_days_after, 1))
        return Kind.STILL_MISSING if today >= still_missing_on else Kind.MISSED
    if today >= due_on - datetime.timedelta(days=requirement.remind_days_before):
        return Kind.APPROACHING
    return None


def reminders_on(today: datetime.date) -> dict[User, list[Reminder]]:
    """Every reminder `today` calls for, per user (sent or not yet)."""
    requirements = Requirement.objects.filter(campaign__status=Campaign.Status.OPEN).select_related(
        "campaign__office__region", "campaign__program", "body"
    )
    found: dict[User, list[Reminder]] = {}
    for requirement in requirements:
        for period in periods_of(requirement):
            kind = kind_on(requirement, period.due_on, today)
            if kind is None:
                continue
            owing = [
                row.submitter
                for row in completeness(requirement, period, today=today).rows
                if row.status not in HANDED_IN
            ]
            if not owing:
                continue
            users = submitter_users(requirement, owing)
            for submitter in owing:
                for user in users.get(submitter.key, []):
                    reminder = Reminder(requirement, period.key, period.due_on, submitter, kind)
                    found.setdefault(user, []).append(reminder)
    return found


@task()
def send_submission_reminders(today_iso: str) -> int:
    """Mail each user their new submission reminders of `today_iso` (YYYY-MM-DD); the number of mails sent."""
    today = datetime.date.fromisoformat(today_iso)
    with override(settings.LANGUAGE_CODE):
        return sum(
            1
            for user, reminders in sorted(reminders_on(today).items(), key=lambda pair: pair[0].pk)
            if user.email and remind(user, reminders, today=today)
        )


def remind(user: User, reminders: list[Reminder], *, today: datetime.date) -> bool:
    """Mail the reminders not sent yet, each once (`campaigns.tasks.mail_once`); True when a mail went out."""
    already = set(
        SubmissionReminder.objects.filter(
            user=user, requirement_id__in={r.requirement.pk for r in reminders}
        ).values_list("requirement_id", "period", "kind", "due_on")
    )

    def record(key: tuple[int, str, str, datetime.date]) -> None:
        requirement_id, period, kind, due_on = key
        SubmissionReminder.objects.create(
            requirement_id=requirement_id, period=period, user=user, kind=kind, due_on=due_on
        )

    return mail_once(
        user,
        reminders,
        key=lambda reminder: reminder.key,
        already=already,
        record=record,
        compose=lambda listed: reminder_mail(user, listed, today=today),
    )


def reminder_mail(user: User, reminders: list[Reminder], *, today: datetime.date) -> tuple[str, str]:
    late = sum(1 for reminder in reminders if reminder.kind != Kind.APPROACHING)
    approaching = len(reminders) - late
    if late and approaching:
        subject = _("【绿创】报送提醒：%(late)s 项已逾期，%(approaching)s 项即将截止") % {
            "late": late,
            "approaching": approaching,
        }
    elif late:
        subject = _("【绿创】报送提醒：%(late)s 项已逾期未报送") % {"late": late}
    else:
        subject = _("【绿创】报送提醒：%(approaching)s 项即将截止") % {"approaching": approaching}
    lines = [_("%(name)s，您好：") % {"name": user}, ""]
    for reminder in reminders:
        title = reminder.requirement.title
        if reminder.period:
            title = f"{title}（{period_label(reminder.period)}）"
        lines.append(
            _("· %(campaign)s · %(title)s · %(submitter)s：%(when)s")
            % {
                "campaign": reminder.requirement.campaign.name,
                "title": title,
                "submitter": reminder.submitter.name,
                "when": days_phrase(reminder.due_on, today),
            }
        )
    lines += ["", _("请登录绿创，在“我的报送”中填写或上传材料：/reports/mine/")]
    return subject, "\n".join(lines)


def days_phrase(due_on: datetime.date, today: datetime.date) -> str:
    date = date_format(due_on)
    days_left = (due_on - today).days
    if days_left < 0:
        return _("已于 %(date)s 截止，逾期 %(days)s 天，请尽快报送。") % {"date": date, "days": -days_left}
    if days_left == 0:
        return _("今天（%(date)s）截止。") % {"date": date}
    return _("%(date)s 截止，还剩 %(days)s 天。") % {"date": date, "days": days_left}
