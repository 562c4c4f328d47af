"""Writes to users and role assignments. Offices grant roles only inside their own subtree."""

from __future__ import annotations

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvchuang.accounts import access
from lvchuang.accounts.models import OFFICE_ROLE_LEVELS, Role, RoleAssignment, User
from lvchuang.organisations.models import Department, GoverningBody, Office, Unit


@transaction.atomic
def create_user(
    *,
    by: User | None,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with set_actor(by):
        user.save()
    return user


@transaction.atomic
def grant_role(
    *,
    by: User | None,
    user: User,
    role: str,
    unit: Unit | None = None,
    office: Office | None = None,
    department: Department | None = None,
    body: GoverningBody | None = None,
) -> RoleAssignment:
    """Give `user` a role scoped to one object. `by=None` is the system itself (data loading, commands)."""
    assignment = RoleAssignment(
        user=user, role=role, unit=unit, office=office, department=department, body=body, granted_by=by
    )
    _validate_scope(assignment)
    if by is not None and not access.can_grant(by, assignment):
        raise PermissionDenied(_("您无权授予该角色。"))
    if RoleAssignment.objects.filter(
        user=user, role=role, unit=unit, office=office, department=department, body=body
    ).exists():
        raise ValidationError(_("该用户已拥有此角色。"))
    with set_actor(by):
        assignment.save()
    access.forget_jurisdiction(user)
    return assignment


@transaction.atomic
def revoke_role(*, by: User, assignment: RoleAssignment) -> None:
    if not access.can_grant(by, assignment):
        raise PermissionDenied(_("您无权撤销该角色。"))
    with set_actor(by):
        assignment.delete()
    access.forget_jurisdiction(assignment.user)


def _validate_scope(assignment: RoleAssignment) -> None:
    role = assignment.role
    needs = {
        Role.UNIT_STAFF: "unit",
        Role.SECTOR_STAFF: "department",
        Role.LEADERSHIP_MEMBER: "body",
        **dict.fromkeys(OFFICE_ROLE_LEVELS, "office"),
    }.get(role)
    given = [
        name for name in ("unit", "office", "department", "body") if getattr(assignment, name) is not None
    ]
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色。")})
    if given != ([needs] if needs else []):
        labels = {
            "unit": _("单位"),
            "office": _("创建办"),
            "department": _("主管部门"),
            "body": _("领导机构"),
        }
        expected = labels[needs] if needs else _("无")
        raise ValidationError(
            _("角色“%(role)s”的范围必须是：%(scope)s。") % {"role": Role(role).label, "scope": expected}
        )
    if not access.office_role_level_matches(assignment):
        raise ValidationError({"office": _("创建办所在行政区的层级与角色不符。")})
    if role == Role.SECTOR_STAFF and assignment.department and not assignment.department.is_sector_authority:
        raise ValidationError({"department": _("所选部门不是主管部门。")})
