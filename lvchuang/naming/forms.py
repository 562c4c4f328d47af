"""Forms of the naming pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lvchuang.naming.models import AwardPayment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionForm(forms.Form):
    document_number = forms.CharField(
        label=_("命名文号"), max_length=80, help_text=_("如：长创绿办〔2026〕12号")
    )
    decided_on = forms.DateField(label=_("命名日期"), widget=DATE)
    issuer = forms.CharField(
        label=_("命名机关"),
        max_length=120,
        help_text=_("证书上署名的机关，如：长沙市创建节能环保社区工作领导小组"),
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("拨付日期"), widget=DATE)
    reference = forms.CharField(label=_("拨付凭证号"), max_length=80)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class CancelPaymentForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class FilingForm(forms.Form):
    filed_on = forms.DateField(label=_("报送日期"), widget=DATE)
    materials = forms.FileField(
        label=_("备案材料"),
        required=False,
        help_text=_("电子版材料：PDF、Word、Excel 或图片；纸质材料另行寄送。"),
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class AwardFilterForm(forms.Form):
    payer = forms.CharField(label=_("出资单位"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *AwardPayment.Status.choices]
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
