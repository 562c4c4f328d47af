"""Deadline reminders by mail: sent by the task runner, once per deadline and kind, enqueued by a command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from conftest import CampaignWorld
from lvchuang.accounts.models import User
from lvchuang.applications.models import Application, Route, Status
from lvchuang.campaigns.models import Action, ReminderSent
from lvchuang.campaigns.services import record_override
from lvchuang.campaigns.tasks import send_deadline_reminders

WEEK_BEFORE = "2026-09-25"
DAY_AFTER = "2026-09-26"
AFTER_CLOSED = "2026-10-03"


def _with_emails(cw: CampaignWorld, *names: str) -> None:
    for name in names:
        User.objects.filter(username=name).update(email=f"{name}@example.cn")


def _application(cw: CampaignWorld, status: str, unit=None) -> Application:
    return Application.objects.create(
        campaign=cw.campaign, unit=unit or cw.world.furong_unit, status=status, route=Route.TERRITORIAL
    )


def _run(today_iso: str) -> int:
    """Run the task as the test settings do (at once, on enqueue); the number of mails it sent."""
    result = send_deadline_reminders.enqueue(today_iso)
    assert result.return_value is not None
    return result.return_value


def _outbox_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_it_mails_each_user_their_approaching_deadlines_once(campaign_world):
    cw = campaign_world
    _with_emails(cw, "unit", "street", "furong", "city", "leader")
    _application(cw, Status.SUBMITTED)
    _application(cw, Status.DRAFT, cw.world.tianxin_unit)  # tianxin_unit has no email address

    assert _run(WEEK_BEFORE) == 2
    [to_unit] = _outbox_to("unit@example.cn")
    assert to_unit.subject == "【绿创】截止提醒：1 项即将截止"
    assert (
        "2026 年市级节能环保社区创建 · 公布创建目标：识字岭社区居委会创建目标和主要措施未公布" in to_unit.body
    )
    assert "还剩 5 天" in to_unit.body
    [to_street] = _outbox_to("street@example.cn")
    assert "街道推荐：1 份申报待推荐" in to_street.body
    assert not _outbox_to("furong@example.cn")  # nothing to approve yet
    assert not _outbox_to("leader@example.cn")  # leadership members owe no work
    sent = ReminderSent.objects.get(user=cw.user("unit"))
    assert (sent.campaign, sent.action, sent.kind, sent.due_on) == (
        cw.campaign,
        Action.PUBLISH_GOALS,
        ReminderSent.Kind.APPROACHING,
        datetime.date(2026, 9, 30),
    )

    mail.outbox.clear()
    assert _run(WEEK_BEFORE) == 0  # twice the same day
    assert _run(DAY_AFTER) == 0  # still approaching, already reminded
    assert mail.outbox == []
    assert ReminderSent.objects.count() == 2


def test_it_mails_again_once_when_the_deadline_is_missed(campaign_world):
    cw = campaign_world
    _with_emails(cw, "unit")
    _application(cw, Status.DRAFT)
    assert _run(WEEK_BEFORE) == 1
    mail.outbox.clear()

    assert _run(AFTER_CLOSED) == 1
    [message] = mail.outbox
    assert message.subject == "【绿创】截止提醒：1 项已逾期"
    assert "单位提交申报：识字岭社区居委会申报未提交。已于 2026年9月30日 截止，逾期 3 天。" in message.body
    assert "窗口延期" in message.body
    assert _run(AFTER_CLOSED) == 0
    assert sorted(ReminderSent.objects.values_list("kind", flat=True)) == ["approaching", "missed"]


def test_a_deadline_moved_by_an_override_is_reminded_again(campaign_world):
    cw = campaign_world
    _with_emails(cw, "unit")
    _application(cw, Status.DRAFT)
    assert _run(WEEK_BEFORE) == 1
    record_override(
        by=cw.user("city"),
        campaign=cw.campaign,
        action=Action.SUBMIT,
        until=datetime.date(2026, 10, 8),
        reason="国庆假期顺延",
        region=cw.world.furong,
    )
    mail.outbox.clear()
    assert _run(AFTER_CLOSED) == 1
    assert "2026年10月8日 截止，还剩 5 天" in mail.outbox[0].body


def test_it_lists_missed_and_approaching_deadlines_in_one_mail(campaign_world):
    cw = campaign_world
    _with_emails(cw, "unit")
    _application(cw, Status.RETURNED)
    record_override(
        by=cw.user("city"),
        campaign=cw.campaign,
        action=Action.SUBMIT,
        until=datetime.date(2026, 10, 8),
        reason="国庆假期顺延",
        region=cw.world.furong,
    )
    assert _run(AFTER_CLOSED) == 1
    [message] = mail.outbox
    assert message.subject == "【绿创】截止提醒：1 项已逾期，1 项即将截止"
    assert message.body.index("公布创建目标") < message.body.index("单位提交申报")  # the missed first


def test_it_mails_nobody_when_nothing_is_due(campaign_world):
    _with_emails(campaign_world, "unit", "street", "furong", "city")
    assert _run("2026-08-01") == 0
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_the_command_enqueues_todays_reminders(campaign_world):
    _with_emails(campaign_world, "unit")
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 9, 25, 9, tzinfo=datetime.UTC), tick=False):
        call_command("send_reminders", stdout=out)
    assert "已将 2026-09-25 的截止提醒加入任务队列" in out.getvalue()
    [message] = mail.outbox  # the test settings run tasks at once
    assert "尚未申报" in message.body


def test_the_command_takes_another_day(campaign_world):
    _with_emails(campaign_world, "unit")
    _application(campaign_world, Status.DRAFT)
    call_command("send_reminders", "--date", AFTER_CLOSED, stdout=StringIO())
    assert ReminderSent.objects.get().kind == ReminderSent.Kind.MISSED


def test_the_command_refuses_a_malformed_date(campaign_world):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "25/09/2026", stdout=StringIO())
