"""Load the Changsha demo: real divisions of 长沙市, its campaign offices and bodies, units and one login per role.

    manage.py load_demo                                   # needs DEBUG=1 and `make divisions` first
    manage.py load_demo --i-know-this-is-not-production   # DEBUG off: only for throwaway copies

Idempotent: a second run finds everything in place, changes nothing and says so.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lvchuang.demo import catalogue
from lvchuang.demo.loader import DemoError, LoadReport, load_demo
from lvchuang.demo.logins import display_width
from lvchuang.organisations.models import Unit

LABELS = {
    "regions": "行政区划 regions",
    "departments": "部门 departments",
    "offices": "创建办 offices",
    "bodies": "领导机构 bodies",
    "users": "用户 users",
    "roles": "角色分配 role assignments",
    "reviewer assignments": "评审指派 reviewer assignments",
    "standards": "内置评价标准 built-in standards",
    "self-assessments": "自评 self-assessments",
    "district titles": "区级称号 district titles",
    "city titles": "市级称号 city titles",
    "campaigns": "创建活动 campaigns",
    "quota allocations": "名额分配 quota allocations",
    "applications": "申报 applications",
    "batches": "申报表 batches",
    "late batches with an override": "延期报送的申报表 late batches (override)",
    "spot checks": "抽查 spot checks",
    "reviewers": "评审专家 reviewers",
    "reviews": "评审 reviews",
    "notices named": "公示并命名 notices named",
    "notices open": "公示中 notices open today",
    "re-inspections": "复核（回头看） re-inspections",
    "titles revoked": "撤销的称号 titles revoked",
    "titles under rectification": "整改中的称号 titles under rectification",
    "organ titles": "节约型机关称号 organ titles",
    "coverage targets": "覆盖目标 coverage targets",
    "liaisons": "联络员 liaisons",
    "meetings": "联席会议 meetings",
    "submissions": "报送材料 submissions",
    "ledger units": "建立台账的机关 organs keeping ledgers",
    "ledger years": "基本信息表 basic information (unit-years)",
    "monthly ledger rows": "月度消费记录 monthly consumption rows",
    "meters": "计量器具 meters",
    "meter readings": "分项计量读数 meter readings",
    "data rooms": "数据中心机房 data rooms (unit-years)",
    "garbage removals": "垃圾清运记录 garbage removals",
    "annual targets": "年度能耗指标 annual targets",
    "quality flags": "待更正的数据质量问题 open quality flags",
}


def label(key: str) -> str:
    if key.startswith("last year: "):
        return "上一年 last year · " + label(key.removeprefix("last year: "))
    if key.startswith("units:"):
        kind = key.removeprefix("units:")
        return f"单位·{Unit.Kind(kind).label} units ({kind})"
    return LABELS.get(key, key)


class Command(BaseCommand):
    help = "载入长沙市演示数据（区划、创建办、领导小组、数百个创建单位、各角色的演示账号）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="DEBUG 关闭时也载入（演示账号共用一个公开的密码，切勿用于生产环境）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "DEBUG 未开启：这看起来像生产环境，演示账号共用公开的密码，拒绝载入。"
                "确需在一次性副本中载入，请加 --i-know-this-is-not-production。"
            )
        started = time.monotonic()
        try:
            report = load_demo(divisions_dir=Path(settings.DIVISIONS_DIR))
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.divisions)
        self._table(report)
        elapsed = time.monotonic() - started
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"演示数据已载入，用时 {elapsed:.1f} 秒。"))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"演示数据已是最新，未做任何修改（用时 {elapsed:.1f} 秒）。")
            )
        self.stdout.write(
            f"演示密码 demo password：{catalogue.DEMO_PASSWORD}（所有演示账号通用，仅用于演示）。"
            "账号列表：manage.py demo_logins"
        )

    def _table(self, report: LoadReport) -> None:
        keys = sorted(set(report.created) | set(report.existing), key=_order)
        width = max(display_width(label(key)) for key in keys)
        self.stdout.write(f"  {_pad('', width)}  {_right('新增 new', 9)}  {_right('已有 kept', 10)}")
        for key in keys:
            self.stdout.write(
                f"  {_pad(label(key), width)}  {report.created[key]:>9}  {report.existing[key]:>10}"
            )


_ORDER = [
    "regions",
    "departments",
    "offices",
    "bodies",
    "units:",
    "users",
    "roles",
    "reviewer assignments",
    "standards",
    "self-assessments",
]


def _order(key: str) -> tuple[int, str]:
    for index, prefix in enumerate(_ORDER):
        if key.startswith(prefix):
            return index, key
    return len(_ORDER), key


def _right(text: str, width: int) -> str:
    return " " * (width - display_width(text)) + text


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
