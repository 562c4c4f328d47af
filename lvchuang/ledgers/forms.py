"""Forms of the unit's record pages. They parse input and give messages in Chinese; the rules are the
services'. A form that fails keeps what was typed, so nothing is lost on bad input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.ledgers.models import (
    CANONICAL_MEASURE,
    LIQUID_CARRIERS,
    BasicInfo,
    Basis,
    Carrier,
    DataRoom,
    GarbageRemoval,
    Heating,
    Measure,
    Meter,
)
from lvchuang.ledgers.selectors import MONTHS, MonthSheet
from lvchuang.ledgers.services import cell_key
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_ERRORS = {"invalid": _("请填写数字。")}


def amount_field(label: str, *, required: bool = False) -> forms.DecimalField:
    """A figure as typed in a sheet: any sign (the quality rules judge it), at most three decimals."""
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=16,
        decimal_places=3,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 9, "autocomplete": "off"}),
        error_messages={
            **NUMBER_ERRORS,
            "max_decimal_places": _("最多保留 3 位小数。"),
            "max_digits": _("数值过大。"),
            "max_whole_digits": _("数值过大，整数部分最多 13 位。"),
        },
    )


class BasicInfoForm(forms.ModelForm[BasicInfo]):
    class Meta:
        model = BasicInfo
        fields = ["institution_type", "floor_area", "headcount", "heated_area"]


class MonthSheetForm(forms.Form):
    """One form for a year: a cell per month and carrier, and for the liquid fuels a choice of kg or litres.

    A blank cell deletes the month's figure; cells are named `m<month>_<carrier>` like the service's errors.
    """

    def __init__(self, *args: Any, sheet: MonthSheet | None = None, **kwargs: Any) -> None:
        if sheet is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(sheet)
        super().__init__(*args, **kwargs)
        for month in MONTHS:
            for carrier in Carrier:
                label = _("%(month)s月%(carrier)s") % {"month": month, "carrier": carrier.label}
                self.fields[cell_key(month, carrier)] = amount_field(label)
                if carrier in LIQUID_CARRIERS:
                    self.fields[cell_key(month, carrier) + "_measure"] = forms.ChoiceField(
                        label=_("%(month)s月%(carrier)s计量单位")
                        % {"month": month, "carrier": carrier.label},
                        choices=[(Measure.KG, _("千克")), (Measure.LITRE, _("升"))],
                        initial=Measure.KG,
                        required=False,
                    )

    @staticmethod
    def initial_of(sheet: MonthSheet) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for (month, carrier), (amount, measure) in sheet.values().items():
            initial[cell_key(month, carrier)] = amount
            if carrier in LIQUID_CARRIERS:
                initial[cell_key(month, carrier) + "_measure"] = measure
        return initial

    def values(self) -> dict[tuple[int, str], tuple[Decimal | None, str]]:
        """Every cell of the sheet for `services.save_month_sheet` (blank ones delete)."""
        data = self.cleaned_data
        result: dict[tuple[int, str], tuple[Decimal | None, str]] = {}
        for month in MONTHS:
            for carrier in Carrier:
                key = cell_key(month, carrier)
                measure = data.get(key + "_measure") or CANONICAL_MEASURE[carrier]
                result[(month, carrier)] = (data.get(key), measure)
        return result

    def grid(self) -> list[tuple[int, list[tuple[forms.BoundField, forms.BoundField | None]]]]:
        """The bound fields month by month, each with its measure choice for the liquid fuels."""
        return [
            (
                month,
                [
                    (
                        self[cell_key(month, carrier)],
                        self[cell_key(month, carrier) + "_measure"] if carrier in LIQUID_CARRIERS else None,
                    )
                    for carrier in Carrier
                ],
            )
            for month in MONTHS
        ]


class MeterReadingsForm(forms.Form):
    """Twelve months of one meter; a blank month deletes its reading."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in MONTHS:
            self.fields[f"m{month}"] = amount_field(_("%(month)s月") % {"month": month})

    def amounts(self) -> dict[int, Decimal | None]:
        return {month: self.cleaned_data.get(f"m{month}") for month in MONTHS}


class MeterForm(forms.ModelForm[Meter]):
    class Meta:
        model = Meter
        fields = ["number", "name", "scope", "purpose", "carrier", "location", "installed_on"]
        widgets = {"installed_on": DATE}


class DataRoomForm(forms.ModelForm[DataRoom]):
    class Meta:
        model = DataRoom
        fields = ["name", "area", "racks", "it_load_kw", "electricity_kwh", "pue"]


class HeatingForm(forms.ModelForm[Heating]):
    class Meta:
        model = Heating
        fields = ["mode", "heated_area", "heat_gj", "billed_by_heat"]


class GarbageForm(forms.ModelForm[GarbageRemoval]):
    class Meta:
        model = GarbageRemoval
        fields = ["removed_on", "category", "weight_kg", "hauler", "note"]
        widgets = {"removed_on": DATE}


class GarbageFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *GarbageRemoval.Category.choices]
    )


class YearBasisForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)
    basis = forms.ChoiceField(
        label=_("折算口径"),
        required=False,
        choices=Basis.choices,
    )


class UnitFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("地区"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("全部"),
    )
    institution_type = forms.ChoiceField(
        label=_("单位类型"),
        required=False,
        choices=[("", _("全部")), *Unit.InstitutionType.choices],
    )
    name = forms.CharField(label=_("名称"), required=False, max_length=60)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = regions
