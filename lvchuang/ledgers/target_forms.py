"""Forms of the annual-target and coefficient-table pages. They parse input and give messages in Chinese; the
rules are the services' (`target_services`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.ledgers.models import YEAR_VALIDATORS, AnnualTarget, ReferenceRecord
from lvchuang.ledgers.target_services import CHANGE_FIELDS, REFERENCE_FIELDS, REFERENCE_TABLES, presets
from lvchuang.organisations.models import Office, Unit

CHANGE_HELP = _("百分比，下降填负数（如 -5）；留空表示不考核该指标。")


def _offices(field: forms.Field, offices: QuerySet[Office]) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = offices


class PresetForm(forms.Form):
    office = forms.ModelChoiceField(label=_("下达机构"), queryset=Office.objects.none())
    preset = forms.ChoiceField(label=_("预设指标"))

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offices(self.fields["office"], offices)
        field = self.fields["preset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(preset.code, preset.name) for preset in presets().values()]


def _change_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("-99.99"),
        max_value=Decimal("1000"),
        required=False,
        help_text=CHANGE_HELP,
    )


class AnnualTargetForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("下达机构"),
        queryset=Office.objects.none(),
        help_text=_("指标适用于该机构所在行政区的全部公共机构。"),
    )
    year = forms.IntegerField(label=_("考核年度"), validators=YEAR_VALIDATORS)
    baseline_year = forms.IntegerField(label=_("基准年度"), validators=YEAR_VALIDATORS)
    area_energy_change = _change_field(_("单位建筑面积能耗变化（%）"))
    per_capita_energy_change = _change_field(_("人均综合能耗变化（%）"))
    per_capita_water_change = _change_field(_("人均用水量变化（%）"))
    co2_per_area_change = _change_field(_("单位建筑面积碳排放变化（%）"))
    institution_types = forms.MultipleChoiceField(
        label=_("单位类型"),
        choices=Unit.InstitutionType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只适用于所选类型；不选表示全部类型。"),
    )
    source = forms.CharField(label=_("依据文件"), max_length=300, required=False)

    def __init__(self, *args: Any, offices: QuerySet[Office] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is None:
            del self.fields["office"]
        else:
            _offices(self.fields["office"], offices)

    @staticmethod
    def initial_of(target: AnnualTarget) -> dict[str, Any]:
        return {
            "year": target.year,
            "baseline_year": target.baseline_year,
            "institution_types": list(target.institution_types),
            "source": target.source,
            **{name: getattr(target, name) for name in CHANGE_FIELDS},
        }

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "office"}


def reference_form_class(table: str) -> type[forms.ModelForm[ReferenceRecord]]:
    """A form for one row of a coefficient table with the fields the service accepts."""
    form: type[forms.ModelForm[ReferenceRecord]] = forms.modelform_factory(
        REFERENCE_TABLES[table],
        fields=REFERENCE_FIELDS[table],
        widgets={"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
    )
    return form
