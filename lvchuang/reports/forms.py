"""Forms of the submission pages. They parse input and give messages in Chinese; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.organisations.models import GoverningBody
from lvchuang.regions.models import Region
from lvchuang.reports.models import Requirement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RequirementForm(forms.ModelForm[Requirement]):
    class Meta:
        model = Requirement
        fields = [
            "kind",
            "title",
            "instructions",
            "submitters",
            "submitter_level",
            "body",
            "period",
            "due_on",
            "days_after_quarter",
            "requires_file",
            "remind_days_before",
            "remind_days_after",
        ]
        widgets = {"due_on": DATE, "instructions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, bodies: QuerySet[GoverningBody], office_level: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = bodies
        level = self.fields["submitter_level"]
        assert isinstance(level, forms.TypedChoiceField)
        level.choices = [("", "---------")] + [
            (value, label) for value, label in Region.Level.choices if value > office_level
        ]
        self.fields["submitter_level"].help_text = _("报送主体为下级创建办时填写：哪一级的创建办报送。")

    def _post_clean(self) -> None:
        """The services validate the model (with the campaign, which the form does not hold)."""


class SubmitForm(forms.Form):
    period = forms.ChoiceField(
        label=_("报送期"), required=False
    )  # "" is the one period of a one-off requirement
    submitter = forms.ChoiceField(label=_("报送单位"))
    content = forms.CharField(
        label=_("报送内容"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("可直接填写，也可只上传文件。"),
    )
    upload = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("一个文件：PDF、Word、Excel 或 JPEG、PNG 图片。"),
    )

    def __init__(
        self,
        *args: Any,
        periods: list[tuple[str, str]],
        submitters: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        submitter = self.fields["submitter"]
        assert isinstance(period, forms.ChoiceField)
        assert isinstance(submitter, forms.ChoiceField)
        period.choices = periods
        submitter.choices = submitters
        if len(periods) == 1:
            period.widget = forms.HiddenInput()
        if len(submitters) == 1:
            submitter.widget = forms.HiddenInput()


class AcceptForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("退回理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明需要修改或补充的内容，报送单位修改后重新报送。"),
    )


class CompletenessFilter(forms.Form):
    period = forms.CharField(required=False)
    status = forms.CharField(required=False)
