from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.organisations.models import Department, GoverningBody, Office, Unit
from lvchuang.regions.models import Region


class User(AbstractUser):
    """A person who signs in. What they may see and do comes only from their role assignments."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    # Set when someone else chose the password (an office opening the account); the next sign-in goes to the
    # password-change page until the user has set one only they know.
    must_change_password = models.BooleanField(
        _("须修改密码"), default=False, help_text=_("登录后须先修改密码；本人修改密码后自动取消。")
    )

    # Not a field: only the object `services.create_user_with_role` returns carries the generated password, for
    # the office to see once. The database keeps only its hash.
    one_time_password: str | None = None

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    UNIT_STAFF = "unit_staff", _("创建单位工作人员")
    STREET_OFFICE = "street_office", _("街道/乡镇工作人员")
    DISTRICT_OFFICE = "district_office", _("区县创建办工作人员")
    CITY_OFFICE = "city_office", _("市创建办工作人员")
    PROVINCE_OFFICE = "province_office", _("省级主管部门工作人员")
    SECTOR_STAFF = "sector_staff", _("主管部门工作人员")
    LEADERSHIP_MEMBER = "leadership_member", _("领导小组成员")
    REVIEWER = "reviewer", _("评审专家")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


# Which region level an office role's office must sit at.
OFFICE_ROLE_LEVELS: dict[str, int] = {
    Role.STREET_OFFICE: Region.Level.TOWNSHIP,
    Role.DISTRICT_OFFICE: Region.Level.COUNTY,
    Role.CITY_OFFICE: Region.Level.CITY,
    Role.PROVINCE_OFFICE: Region.Level.PROVINCE,
}


class RoleAssignment(models.Model):
    """One role held by one user, scoped to exactly the object the role needs (unit, office, sector or body)."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE)
    office = models.ForeignKey(
        Office, verbose_name=_("创建办"), null=True, blank=True, on_delete=models.CASCADE
    )
    department = models.ForeignKey(
        Department, verbose_name=_("主管部门"), null=True, blank=True, on_delete=models.CASCADE
    )
    body = models.ForeignKey(
        GoverningBody, verbose_name=_("领导机构"), null=True, blank=True, on_delete=models.CASCADE
    )
    granted_by = models.ForeignKey(
        User, verbose_name=_("授予人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(
                name="role_has_exactly_its_scope",
                condition=(
                    models.Q(
                        role="unit_staff",
                        unit__isnull=False,
                        office__isnull=True,
                        department__isnull=True,
                        body__isnull=True,
                    )
                    | models.Q(
                        role__in=["street_office", "district_office", "city_office", "province_office"],
                        unit__isnull=True,
                        office__isnull=False,
                        department__isnull=True,
                        body__isnull=True,
                    )
                    | models.Q(
                        role="sector_staff",
                        unit__isnull=True,
                        office__isnull=True,
                        department__isnull=False,
                        body__isnull=True,
                    )
                    | models.Q(
                        role="leadership_member",
                        unit__isnull=True,
                        office__isnull=True,
                        department__isnull=True,
                        body__isnull=False,
                    )
                    | models.Q(
                        role__in=["reviewer", "system_admin"],
                        unit__isnull=True,
                        office__isnull=True,
                        department__isnull=True,
                        body__isnull=True,
                    )
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", scope],
                    condition=models.Q(**{f"{scope}__isnull": False}),
                    name=f"role_assigned_once_per_{scope}",
                )
                for scope in ("unit", "office", "department", "body")
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(role__in=["reviewer", "system_admin"]),
                name="role_assigned_once_unscoped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self) -> object:
        return self.unit or self.office or self.department or self.body or "—"

    def get_additional_data(self) -> dict[str, Any]:
        region = (
            self.unit.region
            if self.unit
            else self.office.region
            if self.office
            else self.department.region
            if self.department
            else self.body.region
            if self.body
            else None
        )
        return {"region_path": region.path if region else "", "user_id": self.user_id}


auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(RoleAssignment)
