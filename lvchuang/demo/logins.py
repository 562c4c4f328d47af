"""The demo logins as rows of a table, read back from the database (so the table shows what really exists)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.demo.loader import demo_usernames
from lvchuang.organisations.models import ReviewerAssignment


@dataclass(frozen=True)
class LoginRow:
    username: str
    full_name: str
    role: str
    scope: str


def demo_login_rows() -> list[LoginRow]:
    order = {username: index for index, username in enumerate(demo_usernames())}
    users = sorted(User.objects.filter(username__in=order), key=lambda user: order[user.username])
    assignments: dict[int, list[RoleAssignment]] = {}
    for assignment in RoleAssignment.objects.filter(user__in=users).select_related(
        "unit", "office", "department", "body"
    ):
        assignments.setdefault(assignment.user_id, []).append(assignment)
    rows = []
    for user in users:
        for assignment in assignments.get(user.pk, []):
            rows.append(
                LoginRow(user.username, user.full_name, assignment.get_role_display(), _scope(assignment))
            )
        if user.pk not in assignments:
            rows.append(LoginRow(user.username, user.full_name, "（无角色）", "—"))
    return rows


def _scope(assignment: RoleAssignment) -> str:
    if assignment.role == Role.SYSTEM_ADMIN:
        return "全部"
    if assignment.role == Role.REVIEWER:
        count = ReviewerAssignment.objects.filter(reviewer_id=assignment.user_id).count()
        return f"指派的 {count} 个单位"
    return str(assignment.scope)


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_table(headings: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(display_width(cell) for cell in column) for column in zip(headings, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        padded = (
            cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths, strict=True)
        )
        return "  ".join(padded).rstrip()

    return [line(headings), "  ".join("-" * width for width in widths), *(line(row) for row in rows)]
