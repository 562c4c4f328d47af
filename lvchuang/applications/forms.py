"""Forms of the application pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvchuang.applications.models import Application, GoalComment

ITEM_ROWS = 5


class GoalsForm(forms.ModelForm[Application]):
    class Meta:
        model = Application
        fields = ["goals", "measures"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "goals": _("例如：年内居民节能灯具普及率达到 90%，垃圾分类参与率达到 70%。"),
            "measures": _("公布后将在公示栏和公开页面展示，接受居民监督和评议。"),
        }


class ConsentForm(forms.Form):
    document = forms.CharField(label=_("同意文件文号"), max_length=80)
    given_on = forms.DateField(label=_("同意日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class TransitionForm(forms.Form):
    """One transition; a return may list what to fix item by item (item code + comment, several rows)."""

    name = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else {}
        self.item_rows: list[tuple[str, str]] = []
        items = data.getlist("item") if hasattr(data, "getlist") else []
        comments = data.getlist("item_comment") if hasattr(data, "getlist") else []
        for item, comment in zip(items, comments, strict=False):
            self.item_rows.append((item, comment))
        while len(self.item_rows) < ITEM_ROWS:
            self.item_rows.append(("", ""))

    def item_comments(self) -> list[dict[str, str]]:
        return [
            {"item": item.strip(), "comment": comment.strip()}
            for item, comment in self.item_rows
            if comment.strip()
        ]


class StartForm(forms.Form):
    campaign = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.IntegerField(widget=forms.HiddenInput)


class GoalCommentForm(forms.ModelForm[GoalComment]):
    """A resident's comment. `website` is a honeypot: hidden from people, filled in by robots."""

    website = forms.CharField(
        required=False,
        label=_("网址（请留空）"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = GoalComment
        fields = ["author_name", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}
        labels = {"author_name": _("署名"), "content": _("评议内容")}

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(_("提交未通过校验。"))
        return value


class HideCommentForm(forms.Form):
    reason = forms.CharField(label=_("隐藏理由"), max_length=200)


class BatchCreateForm(forms.Form):
    campaign = forms.IntegerField(widget=forms.HiddenInput)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)


class SealScanForm(forms.Form):
    seal_scan = forms.FileField(label=_("盖章扫描件（PDF、JPEG 或 PNG）"))


class ReturnBatchForm(forms.Form):
    comment = forms.CharField(label=_("退回意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
