"""Forms of the notice pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvchuang.campaigns.models import DayKind
from lvchuang.notices.models import DayOverride, Notice, NoticeEntry


class NoticeForm(forms.ModelForm[Notice]):
    class Meta:
        model = Notice
        fields = ["title", "body", "contact_phone", "contact_email", "contact_address"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class ObjectionForm(forms.Form):
    """An objection from the public. `website` is a honeypot: hidden from people, filled in by robots."""

    entry = forms.TypedChoiceField(label=_("异议对象（单位）"), coerce=int, empty_value=None)
    name = forms.CharField(label=_("真实姓名"), max_length=60)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=40,
        help_text=_("手机号或带区号的固定电话，仅受理单位可见，用于核实情况。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱（选填）"),
        required=False,
        help_text=_("填写后，受理回执和书面答复会发到这个邮箱。"),
    )
    content = forms.CharField(
        label=_("异议内容"),
        help_text=_("请写明具体事实、理由和线索。"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
    )
    evidence = forms.FileField(
        label=_("证据材料（选填）"),
        required=False,
        help_text=_("一个文件：JPEG、PNG 图片，PDF，Word 或 Excel。"),
    )
    website = forms.CharField(
        required=False,
        label=_("网址（请留空）"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, entries: list[NoticeEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entry"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("请选择单位"))] + [(entry.pk, entry.unit.name) for entry in entries]

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(_("提交未通过校验。"))
        return value


class InvestigateForm(forms.Form):
    findings = forms.CharField(
        label=_("调查情况（内部记录）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("结论"),
        choices=[("dismissed", _("异议不成立，单位保留在名单中")), ("upheld", _("异议成立，将单位移出名单"))],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=_("给异议人的书面答复"),
        max_length=5000,
        help_text=_("异议人可以通过查询链接看到；异议成立时也作为移出名单的理由。"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    findings = forms.CharField(
        label=_("调查情况（内部记录，不公开）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @property
    def upheld(self) -> bool:
        return bool(self.cleaned_data.get("outcome") == "upheld")


class DayOverrideForm(forms.ModelForm[DayOverride]):
    class Meta:
        model = DayOverride
        fields = ["date", "is_workday", "name", "source"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def validate_unique(self) -> None:
        # Saving a date that already has an override corrects it (services.save_day_override).
        pass


class WindowPreviewForm(forms.Form):
    publish_day = forms.DateField(label=_("发布日期"), widget=forms.DateInput(attrs={"type": "date"}))
    length = forms.IntegerField(label=_("公示期长度"), min_value=1, max_value=60, initial=7)
    day_kind = forms.ChoiceField(label=_("计算方式"), choices=DayKind.choices, initial=DayKind.WORKING)
