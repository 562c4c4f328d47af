"""Forms of the joint meeting pages. They parse input and give messages in Chinese; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.models import Role, User
from lvchuang.meetings.services import AttendeeInput
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def member_departments(body: GoverningBody) -> QuerySet[Department]:
    return Department.objects.filter(bodymembership__body=body).order_by("name")


class MembershipChoiceField(forms.ModelChoiceField[BodyMembership]):
    def label_from_instance(self, obj: BodyMembership) -> str:
        return obj.department.name


class LiaisonForm(forms.Form):
    membership = MembershipChoiceField(label=_("成员单位"), queryset=BodyMembership.objects.none())
    user = forms.ModelChoiceField(
        label=_("联络员"),
        queryset=User.objects.none(),
        help_text=_("只能选择已被授予本机构“领导小组成员”角色的用户。"),
    )

    def __init__(self, *args: Any, body: GoverningBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        membership = self.fields["membership"]
        user = self.fields["user"]
        assert isinstance(membership, MembershipChoiceField)
        assert isinstance(user, forms.ModelChoiceField)
        membership.queryset = BodyMembership.objects.filter(body=body).select_related("department")
        user.queryset = User.objects.filter(roles__role=Role.LEADERSHIP_MEMBER, roles__body=body).order_by(
            "username"
        )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=150, help_text=_("如：2026年第二次联席会议"))
    held_on = forms.DateField(label=_("召开日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=150, required=False)
    chair = forms.CharField(label=_("主持人"), max_length=60, required=False)
    minutes_number = forms.CharField(
        label=_("纪要编号"), max_length=80, required=False, help_text=_("如：县绿创联席〔2026〕2号")
    )
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    minutes_file = forms.FileField(
        label=_("纪要扫描件"), required=False, help_text=_("PDF、Word 或图片，可不上传。")
    )
    clear_minutes_file = forms.BooleanField(label=_("删除已上传的扫描件"), required=False)


class AttendeeForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("所属部门"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("列席（非成员单位）"),
    )
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    is_absent = forms.BooleanField(label=_("请假"), required=False)

    def __init__(self, *args: Any, body: GoverningBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = member_departments(body)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = data.get("department") or data.get("position") or data.get("is_absent")
        if filled and not data.get("name") and not data.get("DELETE"):
            self.add_error("name", _("请填写姓名。"))
        return data


BaseAttendeeFormSet = forms.formset_factory(AttendeeForm, extra=3, can_delete=True)


class AttendeeFormSet(BaseAttendeeFormSet):  # type: ignore[valid-type,misc]
    """The attendee rows; blank rows and rows marked for deletion are left out."""

    def attendees(self) -> list[AttendeeInput]:
        result: list[AttendeeInput] = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            result.append(
                AttendeeInput(
                    name=data["name"],
                    department=data.get("department"),
                    position=data.get("position", ""),
                    is_absent=bool(data.get("is_absent")),
                )
            )
        return result


def attendee_formset(
    body: GoverningBody, data: Any = None, initial: list[dict[str, Any]] | None = None
) -> Any:
    return AttendeeFormSet(data, initial=initial, prefix="attendees", form_kwargs={"body": body})


class AgreedItemForm(forms.Form):
    text = forms.CharField(label=_("议定事项"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("责任单位"), queryset=Department.objects.none())
    due_on = forms.DateField(label=_("办结时限"), widget=DATE)

    def __init__(self, *args: Any, body: GoverningBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = member_departments(body)


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("进展情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(
        label=_("办结日期"), required=False, widget=DATE, help_text=_("不填则为今天。")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新打开的原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(
        label=_("新的办结时限"), required=False, widget=DATE, help_text=_("不填则不变。")
    )
