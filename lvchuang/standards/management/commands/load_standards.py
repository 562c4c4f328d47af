"""Load the built-in evaluation standards (lvchuang/standards/defaults/*.yaml). Running it again changes nothing.

manage.py load_standards
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lvchuang.standards.defaults import BrokenDefault, load_builtin_standards


class Command(BaseCommand):
    help = "载入系统内置的评价标准（已有的标准不会改动）。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_builtin_standards()
        except BrokenDefault as error:
            raise CommandError(f"内置标准文件有误：{error}") from error
        for name in report.created:
            self.stdout.write(f"  新增  {name}")
        for name in report.existing:
            self.stdout.write(f"  已有  {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"内置评价标准：新增 {len(report.created)} 个，已有 {len(report.existing)} 个。"
            )
        )
