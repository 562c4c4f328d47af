"""Enqueue today's expiry of titles for the task runner.

    manage.py expire_titles                    # as of today
    manage.py expire_titles --date 2031-12-21  # as of another day (the demo, or a missed run)

Deploy runs it once a day from cron, e.g. `10 1 * * * manage.py expire_titles`; `manage.py db_worker` runs it.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lvchuang.titles.tasks import expire_titles


class Command(BaseCommand):
    help = (
        "把称号到期处理交给任务队列：有效期已届满的称号改为“已过期”并记录变更。"
        "部署时由 cron 每天运行一次（如 10 1 * * * manage.py expire_titles），由 db_worker 执行；重复运行无副作用。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", default="", help="按哪一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate().isoformat()
        try:
            datetime.date.fromisoformat(day)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{day}") from None
        result = expire_titles.enqueue(day)
        self.stdout.write(f"已将 {day} 的称号到期处理加入任务队列（任务 {result.id}）。")
