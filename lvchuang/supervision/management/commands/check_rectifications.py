"""Enqueue today's check of rectification deadlines for the task runner.

    manage.py check_rectifications                    # as of today
    manage.py check_rectifications --date 2026-08-01  # as of another day (the demo, or a missed run)

Deploy runs it once a day from cron, e.g. `10 1 * * * manage.py check_rectifications`; `manage.py db_worker`
does the work. Running it twice on one day changes nothing new.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lvchuang.supervision.tasks import check_rectification_deadlines


class Command(BaseCommand):
    help = (
        "检查整改期限：已过期限仍未报送整改报告的整改通知转为逾期，并自动提出撤销称号的建议。"
        "部署时由 cron 每天运行一次（如 10 1 * * * manage.py check_rectifications），由 db_worker 执行；"
        "同一天重复运行不会重复处理。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", default="", help="按哪一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate().isoformat()
        try:
            datetime.date.fromisoformat(day)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{day}") from None
        result = check_rectification_deadlines.enqueue(day)
        self.stdout.write(f"已将 {day} 的整改期限检查加入任务队列（任务 {result.id}）。")
