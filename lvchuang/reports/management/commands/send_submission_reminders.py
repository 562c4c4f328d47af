"""Enqueue today's submission reminders for the task runner.

    manage.py send_submission_reminders                    # today's reminders
    manage.py send_submission_reminders --date 2026-05-25  # as of another day (the demo, or a missed run)

Deploy runs it once a day from cron, e.g. `40 8 * * * manage.py send_submission_reminders`; `manage.py
db_worker` sends the mail. Running it twice on one day sends nothing new: each reminder goes once per period,
user and kind.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lvchuang.reports.tasks import send_submission_reminders


class Command(BaseCommand):
    help = (
        "把报送提醒邮件交给任务队列发送：截止前、截止次日和逾期仍未报送时各提醒一次。"
        "部署时由 cron 每天运行一次，由 db_worker 发信；重复运行不会重复发送。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", default="", help="按哪一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate().isoformat()
        try:
            datetime.date.fromisoformat(day)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{day}") from None
        result = send_submission_reminders.enqueue(day)
        self.stdout.write(f"已将 {day} 的报送提醒加入任务队列（任务 {result.id}）。")
