"""Import a file of monthly consumption from the command line, as a user, in this process.

    manage.py import_ledger 2024-月报.xlsx --user jgswj          # layout from the header
    manage.py import_ledger ledger.csv --user jgswj --layout long

The file is kept as an `ImportBatch` like an upload and imported at once (no task runner needed): the same
checks, the same all-or-nothing write, the same error report. Exit status 1 when the file was not imported.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.management.base import BaseCommand, CommandError

from lvchuang.accounts.models import User
from lvchuang.ledgers.importing import run_import, store_import
from lvchuang.ledgers.models import ImportBatch


class Command(BaseCommand):
    help = (
        "导入月度消费量文件（CSV 或 XLSX，统计报表格式或长表格式）：逐行校验，整份文件全部导入或全部不导入。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="CSV 或 XLSX 文件")
        parser.add_argument(
            "--user", required=True, help="以哪个用户的名义导入（用户名；按其权限确定可填报的单位）"
        )
        parser.add_argument(
            "--layout", default="", choices=["", *ImportBatch.Layout.values], help="格式，默认按表头识别"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist:
            raise CommandError(f"没有用户 {options['user']}") from None
        with path.open("rb") as handle:
            upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
            try:
                batch = store_import(by=user, upload=upload, layout=options["layout"])
            except (ValidationError, PermissionDenied) as error:
                raise CommandError("；".join(getattr(error, "messages", [str(error)]))) from error
        batch = run_import(batch)
        self.stdout.write(f"导入 {batch.pk}（{batch.get_status_display()}）：{batch.message}")
        if batch.status != ImportBatch.Status.DONE:
            if batch.error_report:
                try:
                    where = batch.error_report.path
                except NotImplementedError:  # a storage without local paths
                    where = batch.error_report.name
                self.stdout.write(f"错误报告：{where}")
            raise CommandError(batch.get_status_display())
