"""demo_logins: the table `make demo` prints after loading."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lvchuang.demo.logins import display_width, format_table


def logins() -> str:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    return out.getvalue()


def test_it_lists_every_demo_login_with_its_role_scope_and_the_password(db, fake_package):
    call_command("load_demo", "--i-know-this-is-not-production", stdout=StringIO())

    output = logins()

    assert output.splitlines()[2].split() == ["Username", "Name", "Role", "Scope"]
    assert "lvchuang-demo" in output
    lines = output.splitlines()
    furong = next(line for line in lines if line.startswith("furong "))
    assert furong.split()[2:] == ["区县创建办工作人员", "芙蓉区创建办"]
    visitor = next(line for line in lines if line.startswith("visitor "))
    assert "无角色" in visitor
    assert any(line.startswith("expert ") and "评审专家" in line for line in lines)


def test_it_asks_to_load_the_demo_first(db):
    with pytest.raises(CommandError, match="load_demo"):
        logins()


def test_it_aligns_columns_of_chinese_text():
    table = format_table(("Role", "Scope"), [("区县创建办工作人员", "a"), ("系统管理员", "b")])

    columns = [
        display_width(line[: line.index(letter)]) for line, letter in zip(table[2:], "ab", strict=True)
    ]
    assert columns[0] == columns[1] == display_width("区县创建办工作人员  ")
