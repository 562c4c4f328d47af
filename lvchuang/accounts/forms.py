from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts import access
from lvchuang.accounts.models import OFFICE_ROLE_LEVELS, Role, User

# The one object each role is scoped to (RoleAssignment's check constraint).
SCOPE_OF_ROLE: dict[str, str] = {
    Role.UNIT_STAFF: "unit",
    Role.SECTOR_STAFF: "department",
    Role.LEADERSHIP_MEMBER: "body",
    **dict.fromkeys(OFFICE_ROLE_LEVELS, "office"),
}
SCOPE_LABELS = {"unit": _("单位"), "office": _("创建办"), "department": _("主管部门"), "body": _("领导机构")}


class ScopeChoiceField(forms.ModelChoiceField[Model]):
    def label_from_instance(self, obj: Model) -> str:
        region = getattr(obj, "region", None)
        return f"{obj} · {region.name}" if region is not None and region.name not in str(obj) else str(obj)


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("姓名或用户名"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class GrantRoleForm(forms.Form):
    """A role and the one object it is scoped to; the choices are what the granting user may grant.

    Only the scope field of the chosen role is shown (htmx swaps it when the role changes; without scripts the
    first submission brings it up with a note).
    """

    role = forms.ChoiceField(label=_("角色"))

    def __init__(self, *args: Any, grantor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [
            ("", _("请选择角色")),
            *((r, Role(r).label) for r in access.grantable_roles(grantor)),
        ]
        role = str(self.data.get("role") or self.initial.get("role") or "")
        self.scope_name = SCOPE_OF_ROLE.get(role)
        if self.scope_name is None:
            return
        scopes = access.grantable_scopes(grantor)
        querysets = {
            "unit": scopes.units.select_related("region").order_by("region__code", "name"),
            "office": scopes.offices.select_related("region").order_by("region__code", "name"),
            "department": scopes.departments.select_related("region").order_by("region__code", "name"),
            "body": scopes.bodies.select_related("region").order_by("region__code", "name"),
        }
        queryset = querysets[self.scope_name]
        if role in OFFICE_ROLE_LEVELS:
            queryset = queryset.filter(region__level=OFFICE_ROLE_LEVELS[role])
        self.fields[self.scope_name] = ScopeChoiceField(
            queryset,
            label=SCOPE_LABELS[self.scope_name],
            empty_label=_("请选择"),
            error_messages={"required": _("请选择这个角色的范围。")},
        )

    def scope(self) -> dict[str, Any]:
        """The keyword argument for `grant_role`, e.g. {"unit": <Unit>}; empty for unscoped roles."""
        return {self.scope_name: self.cleaned_data[self.scope_name]} if self.scope_name else {}


class UserCreateForm(GrantRoleForm):
    """A new account: who the person is, then the role it starts with, chosen exactly as in `GrantRoleForm`.

    There is no password field: the service generates a one-time password the office hands over.
    """

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录时使用。可用字母、数字和 @ . + - _，例如 wang.fang 或拼音加单位简称。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    field_order = ["username", "full_name", "phone", "email", "role"]

    def account_fields(self) -> list[forms.BoundField]:
        """Who the person is; the role and its scope follow (`_role_fields.html`)."""
        return [self[name] for name in ("username", "full_name", "phone", "email")]
