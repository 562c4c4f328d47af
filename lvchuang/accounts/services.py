"""Writes to users and role assignments. Offices grant roles only inside their own subtree."""

from __future__ import annotations

import secrets

from auditlog.context import set_actor
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
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
    must_change_password: bool = False,
) -> User:
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        must_change_password=must_change_password,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with set_actor(by):
        user.save()
    return user


# Letters and digits that cannot be mistaken for one another when read out or copied from paper (no 0/O, 1/l/I).
_ONE_TIME_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_one_time_password() -> str:
    """Twelve random characters in groups of four (about 69 bits), e.g. `k7Qm-x2Rf-9TbW`."""
    characters = "".join(secrets.choice(_ONE_TIME_PASSWORD_ALPHABET) for _ in range(12))
    return "-".join(characters[i : i + 4] for i in range(0, 12, 4))


@transaction.atomic
def create_user_with_role(
    *,
    by: User,
    username: str,
    full_name: str,
    phone: str = "",
    email: str = "",
    password: str | None = None,
    role: str,
    unit: Unit | None = None,
    office: Office | None = None,
    department: Department | None = None,
    body: GoverningBody | None = None,
) -> User:
    """Open an account for someone the office works with, holding one role the office may grant.

    The user and the role are one transaction: if `grant_role` refuses the role (`access.can_grant`), no user
    is left behind. Whoever opened the account knows its password, so the user must change it at the next
    sign-in. Without `password` a one-time password is generated; it is returned once, on the returned
    object's `one_time_password` (never saved: only its hash is), for the office to hand over.
    """
    username, full_name = username.strip(), full_name.strip()
    _validate_new_account(username=username, full_name=full_name)
    one_time_password = None
    if not password:
        password = one_time_password = generate_one_time_password()
    candidate = User(username=username, full_name=full_name, email=email, phone=phone)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user = create_user(
        by=by,
        username=username,
        password=password,
        full_name=full_name,
        email=email,
        phone=phone,
        must_change_password=True,
    )
    grant_role(by=by, user=user, role=role, unit=unit, office=office, department=department, body=body)
    user.one_time_password = one_time_password
    return user


def _validate_new_account(*, username: str, full_name: str) -> None:
    errors: dict[str, list[str]] = {}
    field = User._meta.get_field("username")
    assert isinstance(field, models.CharField)
    try:
        field.clean(username, None)  # required, at most 150 characters, Django's username validator
    except ValidationError as error:
        errors["username"] = error.messages
    else:
        # Usernames differing only in case would be told apart by nobody reading them out on the phone.
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = [
                _("用户名“%(username)s”已被占用，请换一个，例如加上单位简称或数字。") % {"username": username}
            ]
    if not full_name:
        errors["full_name"] = [_("请填写姓名。")]
    if errors:
        raise ValidationError(errors)


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
