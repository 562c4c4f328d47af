"""Forms of the supervision pages. They parse input and give messages in Chinese; the rules are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.campaigns.models import Program
from lvchuang.organisations.models import Office
from lvchuang.standards.models import StandardVersion
from lvchuang.supervision.models import Inspection, Reinspection

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReinspectionForm(forms.Form):
    office = forms.ModelChoiceField(label=_("组织单位"), queryset=Office.objects.none())
    program = forms.ModelChoiceField(label=_("称号"), queryset=Program.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=150, help_text=_("如：2026年节能环保社区回头看"))
    kind = forms.ChoiceField(label=_("类型"), choices=Reinspection.Kind.choices, widget=forms.RadioSelect)
    sample_size = forms.IntegerField(
        label=_("抽取数量"), min_value=0, max_value=10000, required=False, help_text=_("抽样复核时填写。")
    )
    risk_weighted = forms.BooleanField(
        label=_("风险加权"), required=False, help_text=_("有整改记录的单位被抽中的概率按倍数提高。")
    )
    risk_factor = forms.DecimalField(
        label=_("风险加权倍数"), min_value=Decimal(1), max_digits=4, decimal_places=1, initial=Decimal(3)
    )
    version = forms.ModelChoiceField(
        label=_("对照的标准版本"),
        queryset=StandardVersion.objects.none(),
        required=False,
        help_text=_("新标准复查时选择：按新版本命名之外的所有持有单位都要复查。"),
    )
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "office": offices.select_related("region").order_by("region__path", "name"),
            "program": Program.objects.filter(is_active=True).order_by("level", "name"),
            "version": StandardVersion.objects.filter(status=StandardVersion.Status.PUBLISHED).select_related(
                "standard"
            ),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class InspectionResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("结论"),
        choices=[(Inspection.Result.PASSED, _("合格")), (Inspection.Result.FAILED, _("不合格"))],
        widget=forms.RadioSelect,
    )
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE)
    score = forms.DecimalField(label=_("得分"), required=False, max_digits=7, decimal_places=2)
    findings = forms.CharField(
        label=_("检查发现"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    requirements = forms.CharField(
        label=_("整改要求"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不合格时必填，写入整改通知书。"),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("结束说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OrderForm(forms.Form):
    requirements = forms.CharField(
        label=_("整改要求"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("整改情况"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("逐条说明按整改要求做了什么、效果如何。"),
    )
    upload = forms.FileField(
        label=_("整改材料"),
        required=False,
        help_text=_("可附一个文件：JPEG、PNG 图片，PDF，Word 或 Excel。"),
    )


class OrderDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("验收结论"),
        choices=[("accept", _("整改合格")), ("reject", _("整改不合格，提出撤销建议"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("验收意见"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不合格时必填。"),
    )


class ProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：发生重大环境污染事故。决定撤销后在核验页面公开。"),
    )


class RevocationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=[("revoke", _("撤销称号")), ("decline", _("不予撤销"))],
        widget=forms.RadioSelect,
    )
    document_number = forms.CharField(
        label=_("决定文号"), required=False, max_length=80, help_text=_("撤销时必填，如：长创办〔2026〕12号")
    )
    reason = forms.CharField(
        label=_("公开的撤销理由"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("留空则使用撤销建议中的理由。"),
    )
    note = forms.CharField(
        label=_("决定说明"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不予撤销时必填。"),
    )
