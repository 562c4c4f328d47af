"""Enqueue today's deadline reminders for the task runner.

    manage.py send_reminders                    # today's reminders
    manage.py send_reminders --date 2026-09-25  # as of another day (the demo, or a missed run)

Deploy runs it once a day from cron, e.g. `30 8 * * * manage.py send_reminders`; `manage.py db_worker` sends
the mail. Running it twice on one day sends nothing new: each reminder goes once per deadline and kind.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lvchuang.campaigns.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "把截止提醒邮件交给任务队列发送：即将截止和已逾期的事项，每人一封。"
        "部署时由 cron 每天运行一次（如 30 8 * * * manage.py send_reminders），由 db_worker 发信；"
        "同一天重复运行不会重复发送。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", default="", help="按哪一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate().isoformat()
        try:
            datetime.date.fromisoformat(day)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{day}") from None
        result = send_deadline_reminders.enqueue(day)
        self.stdout.write(f"已将 {day} 的截止提醒加入任务队列（任务 {result.id}）。")
