"""Print the demo logins (username, role, scope) and the shared demo password; `make demo` runs it after loading."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lvchuang.demo import catalogue
from lvchuang.demo.logins import demo_login_rows, format_table


class Command(BaseCommand):
    help = "列出演示账号（用户名、角色、范围）和演示密码。"

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_login_rows()
        if not rows:
            raise CommandError("还没有演示账号，请先运行 manage.py load_demo。")
        self.stdout.write("演示账号 Demo logins")
        self.stdout.write("")
        table = format_table(
            ("Username", "Name", "Role", "Scope"),
            [(row.username, row.full_name, row.role, row.scope) for row in rows],
        )
        for line in table:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            f"密码 Password: {catalogue.DEMO_PASSWORD}   （所有演示账号通用 / same for every login）"
        )
        self.stdout.write("登录 Log in at /accounts/login/ — 仅用于演示，切勿在生产环境中使用这些账号。")
