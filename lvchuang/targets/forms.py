"""Forms of the targets pages. They parse input and give messages in Chinese; the rules are the services'."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.campaigns.models import Program
from lvchuang.organisations.models import Office, Unit
from lvchuang.targets.models import CoverageTarget
from lvchuang.targets.services import MilestoneInput, presets

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _offices(field: forms.Field, offices: QuerySet[Office]) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = offices.select_related("region").order_by("region__path", "name")


class PresetForm(forms.Form):
    office = forms.ModelChoiceField(label=_("制定机构"), queryset=Office.objects.none())
    preset = forms.ChoiceField(label=_("预设目标"), widget=forms.RadioSelect)
    starts_on = forms.DateField(
        label=_("起算日期"),
        widget=DATE,
        help_text=_("相对日期的阶段目标（如“次年 10 月底”）从起算日期所在年份推算。"),
    )
    name = forms.CharField(
        label=_("目标名称"), max_length=150, required=False, help_text=_("留空则用预设名称。")
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices)
        field = self.fields["preset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(preset.code, preset.name) for preset in presets().values()]


class TargetForm(forms.Form):
    office = forms.ModelChoiceField(label=_("制定机构"), queryset=Office.objects.none())
    name = forms.CharField(label=_("目标名称"), max_length=150, help_text=_("如：城市社区绿色社区覆盖率"))
    programs = forms.ModelMultipleChoiceField(
        label=_("计入的称号"),
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("持有其中任一有效称号（含整改中）的单位计为已覆盖。"),
    )
    unit_kind = forms.ChoiceField(label=_("单位类别"), choices=Unit.Kind.choices)
    organ_levels = forms.MultipleChoiceField(
        label=_("机关层级"),
        choices=Unit.OrganLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("仅对党政机关：只统计这些层级的机关；不选表示不限。"),
    )
    starts_on = forms.DateField(
        label=_("起算日期"), widget=DATE, help_text=_("进度从起算日期（覆盖为零）到各阶段截止日期线性推算。")
    )
    source = forms.CharField(label=_("依据文件"), max_length=300, required=False)
    needs_confirmation = forms.BooleanField(label=_("待确认"), required=False)

    def __init__(self, *args: Any, offices: QuerySet[Office] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is None:
            del self.fields["office"]
        else:
            _offices(self.fields["office"], offices)
        field = self.fields["programs"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Program.objects.filter(is_active=True).order_by("level", "name")

    @staticmethod
    def initial_of(target: CoverageTarget) -> dict[str, Any]:
        return {
            "name": target.name,
            "programs": list(target.programs.all()),
            "unit_kind": target.unit_kind,
            "organ_levels": target.organ_levels,
            "starts_on": target.starts_on,
            "source": target.source,
            "needs_confirmation": target.needs_confirmation,
        }


class MilestoneForm(forms.Form):
    due_on = forms.DateField(label=_("截止日期"), widget=DATE, required=False)
    share = forms.DecimalField(
        label=_("目标覆盖率（%）"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
    )
    count = forms.IntegerField(label=_("目标数量（个）"), min_value=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = data.get("share") is not None or data.get("count") is not None
        if filled and data.get("due_on") is None:
            self.add_error("due_on", _("请填写截止日期。"))
        if data.get("due_on") is not None and not filled:
            self.add_error(None, _("请填写目标覆盖率或目标数量。"))
        return data

    def milestone(self) -> MilestoneInput | None:
        data = self.cleaned_data
        due_on: datetime.date | None = data.get("due_on")
        if due_on is None:
            return None
        return MilestoneInput(due_on=due_on, share=data.get("share"), count=data.get("count"))


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=3, max_num=20, validate_max=True)


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("统计日期"), widget=DATE, required=False)
    region = forms.CharField(max_length=12, required=False)
    view = forms.ChoiceField(choices=[("overview", _("概览")), ("units", _("单位"))], required=False)
    units = forms.ChoiceField(
        choices=[("", _("全部")), ("covered", _("已覆盖")), ("uncovered", _("未覆盖"))], required=False
    )
