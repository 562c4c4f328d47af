"""Who reads and who changes programs (创建项目). Pages and the API reach programs only through here.

Programs are a shared library like the evaluation standards (`standards.access`): every user who holds a role
reads every program — a unit must be able to read the rules it applies under — and a user without any role sees
nothing (404). A program is changed by the office that owns it (`Program.owner`) and by the administrator; the
built-ins (no owner) only by the administrator. Any office copies any program into one it owns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lvchuang.accounts.access import _get_or_404
from lvchuang.campaigns.models import Program
from lvchuang.standards.access import can_read_library, is_admin, own_office_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lvchuang.accounts.models import User


def can_read_programs(user: User | AnonymousUser) -> bool:
    return can_read_library(user)


def can_change_program(user: User | AnonymousUser, program: Program) -> bool:
    if is_admin(user):
        return True
    return program.owner_id is not None and program.owner_id in own_office_ids(user)


def can_copy_programs(user: User | AnonymousUser) -> bool:
    return is_admin(user) or bool(own_office_ids(user))


def visible_programs(user: User | AnonymousUser) -> QuerySet[Program]:
    programs = Program.objects.select_related("standard", "prerequisite", "owner__region")
    return programs if can_read_programs(user) else programs.none()


def access_program_by_id(user: User | AnonymousUser, program_id: Any, *, for_change: bool = False) -> Program:
    program = _get_or_404(visible_programs(user), pk=program_id)
    if for_change and not can_change_program(user, program):
        raise PermissionDenied(_("只有维护该项目的创建办可以修改它；系统内置项目请先复制为本单位的项目。"))
    return program
