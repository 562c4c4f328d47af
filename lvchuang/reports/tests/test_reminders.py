"""Submission reminders by mail: before the due date, the day after it, and once more later; each once."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from lvchuang.campaigns.models import Campaign
from lvchuang.reports.models import SubmissionReminder
from lvchuang.reports.tasks import send_submission_reminders

from .conftest import department_submitter, office_submitter


def _run(today_iso: str) -> int:
    result = send_submission_reminders.enqueue(today_iso)
    assert result.return_value is not None
    return result.return_value


def _to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_it_reminds_each_district_once_as_the_work_plan_falls_due(rw):
    assert _run("2026-05-23") == 0  # eight days before: not yet
    assert _run("2026-05-24") == 3  # seven days before: 芙蓉区, 天心区, 岳麓区
    [to_furong] = _to("furong@example.cn")
    assert to_furong.subject == "【绿创】报送提醒：1 项即将截止"
    assert "区年度创建工作计划 · 芙蓉区创建办" in to_furong.body
    assert "还剩 7 天" in to_furong.body
    assert not _to("city@example.cn")  # the office that receives owes nothing
    reminder = SubmissionReminder.objects.get(user=rw.user("furong"))
    assert (reminder.requirement, reminder.period, reminder.kind, reminder.due_on) == (
        rw.work_plan,
        "",
        SubmissionReminder.Kind.APPROACHING,
        datetime.date(2026, 5, 31),
    )
    mail.outbox.clear()
    assert _run("2026-05-24") == 0  # twice the same day
    assert _run("2026-05-30") == 0  # still approaching, already reminded
    assert mail.outbox == []


def test_it_reminds_the_missing_after_the_due_date_and_once_more_later(rw):
    world = rw.world
    rw.hand_in(rw.work_plan, office_submitter(world.furong_office), "furong", datetime.date(2026, 5, 28))
    _run("2026-05-24")
    mail.outbox.clear()

    assert _run("2026-06-01") == 2  # the day after: 天心区 and 岳麓区, not 芙蓉区
    [to_tianxin] = _to("tianxin@example.cn")
    assert to_tianxin.subject == "【绿创】报送提醒：1 项已逾期未报送"
    assert "逾期 1 天" in to_tianxin.body
    assert not _to("furong@example.cn")
    assert _run("2026-06-02") == 0

    rw.hand_in(rw.work_plan, office_submitter(world.tianxin_office), "tianxin", datetime.date(2026, 6, 2))
    mail.outbox.clear()
    assert _run("2026-06-03") == 1  # three days after: only 岳麓区 still owes
    [to_yuelu] = mail.outbox
    assert to_yuelu.to == ["yuelu@example.cn"]
    assert "逾期 3 天" in to_yuelu.body
    assert _run("2026-06-03") == 0
    assert _run("2026-06-20") == 0  # nothing more after the third reminder
    kinds = SubmissionReminder.objects.filter(user=rw.user("yuelu")).values_list("kind", flat=True)
    assert sorted(kinds) == ["approaching", "missed", "still_missing"]


def test_it_reminds_a_returned_submitter_again(rw):
    world = rw.world
    submission = rw.hand_in(
        rw.work_plan, office_submitter(world.furong_office), "furong", datetime.date(2026, 5, 20)
    )
    from lvchuang.reports.services import return_submission

    return_submission(by=rw.user("city"), submission=submission, comment="请补充")
    _run("2026-06-01")
    assert len(_to("furong@example.cn")) == 1


def test_it_reminds_the_joint_meeting_s_liaisons_per_quarter(rw, joint_meeting):
    from lvchuang.reports.services import submit

    submit(
        by=rw.user("civil"),
        requirement=joint_meeting.quarterly,
        period="2026Q1",
        submitter=department_submitter(joint_meeting.civil_affairs),
        content="一季度",
    )
    assert _run("2026-04-11") == 1
    [to_housing] = mail.outbox
    assert to_housing.to == ["housing@example.cn"]
    assert "成员单位季度工作情况（2026年第1季度）" in to_housing.body


def test_it_sends_nothing_for_a_closed_campaign(rw):
    Campaign.objects.filter(pk=rw.campaign.pk).update(status=Campaign.Status.CLOSED)
    assert _run("2026-06-01") == 0


def test_the_command_enqueues_the_reminders_and_a_second_run_sends_nothing(rw):
    out = StringIO()
    call_command("send_submission_reminders", "--date", "2026-05-25", stdout=out)
    assert "2026-05-25 的报送提醒" in out.getvalue()
    assert len(mail.outbox) == 3
    call_command("send_submission_reminders", "--date", "2026-05-25", stdout=StringIO())
    assert len(mail.outbox) == 3
    with pytest.raises(CommandError):
        call_command("send_submission_reminders", "--date", "25/05/2026")
