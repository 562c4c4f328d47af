"""Write a synthetic province at full scale, for trying the progress dashboard (docs/benchmarks.md).

    manage.py generate_province                                  # 20,000 units, 5 years of titles, Shaanxi (61)
    manage.py generate_province --units 5000 --years 3 --seed 7 --cities 4 --province 62
    manage.py generate_province --password '…'                   # a login for the province office

Needs DEBUG=1 (or --i-know-this-is-not-production): the data is invented. The province code must be free.
"""

from __future__ import annotations

import datetime
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lvchuang.targets.province import generate_province


class Command(BaseCommand):
    help = "生成一个虚构的全省数据（行政区划、创建办、约两万个创建单位、近几年的称号和覆盖目标），用于看板的压力测试。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--units", type=int, default=20_000, help="创建单位数（默认 20000）")
        parser.add_argument("--years", type=int, default=5, help="生成最近几年的称号（默认 5）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子：同一种子生成同样的数据")
        parser.add_argument("--cities", type=int, default=14, help="地级区划数（默认 14）")
        parser.add_argument("--province", default="61", help="两位省级代码，须尚未使用（默认 61 陕西省）")
        parser.add_argument("--username", default="", help="省创建办账号的用户名（默认 province-<代码>）")
        parser.add_argument("--password", default=None, help="该账号的密码（默认不可登录）")
        parser.add_argument("--today", default="", help="按哪一天生成（YYYY-MM-DD），默认今天")
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="DEBUG 关闭时也生成（数据是虚构的，切勿用于生产环境）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "DEBUG 未开启：这看起来像生产环境，拒绝写入虚构数据。"
                "确需在一次性副本中生成，请加 --i-know-this-is-not-production。"
            )
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['today']}") from None
        started = time.monotonic()
        try:
            result = generate_province(
                units=options["units"],
                years=options["years"],
                seed=options["seed"],
                cities=options["cities"],
                province_code=options["province"],
                username=options["username"],
                password=options["password"],
                today=today,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics for the new rows, before anyone measures
        for key, count in sorted(result.counts.items()):
            self.stdout.write(f"  {key:<50} {count:>7}")
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成{result.province.name}（{result.province.code}），用时 {time.monotonic() - started:.1f} 秒。"
                f"省创建办账号：{result.user.username}；覆盖目标编号："
                + "、".join(str(target.pk) for target in result.targets.values())
            )
        )
