"""Forms of the data-quality pages: the flag list's filters, a decision on a flag, a recheck, and the edit forms of
a rule (one field per parameter, from `quality.PARAM_SPECS`) and of an intensity range. Writes are
`ledgers.quality` services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts import access
from lvchuang.accounts.models import User
from lvchuang.ledgers import quality
from lvchuang.ledgers.models import Basis, Carrier, IntensityRange, QualityFlag, QualityRule
from lvchuang.organisations.models import Unit
from lvchuang.regions.forms import RegionField
from lvchuang.regions.models import Region

ALL = "all"
STATUS_CHOICES = [*QualityFlag.Status.choices, (ALL, _("全部"))]


class FlagFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS_CHOICES)
    rule = forms.ChoiceField(
        label=_("规则"), required=False, choices=[("", _("全部")), *QualityRule.Code.choices]
    )
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(
        label=_("单位名称"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入单位名称的一部分")}),
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = access.visible_regions(user)
        self.fields["region"] = RegionField(
            regions,
            listed=regions.filter(level__lte=Region.Level.COUNTY),
            selected=self.data.get("region"),
            label=_("行政区"),
            required=False,
            empty_label=_("全部"),
        )
        self.order_fields(["status", "rule", "year", "region", "q", "unit"])

    def apply(self, flags: QuerySet[QualityFlag]) -> QuerySet[QualityFlag]:
        """Filter by every valid field (an invalid one is shown and ignored); open flags unless told."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or QualityFlag.Status.OPEN
        if status != ALL:
            flags = flags.filter(status=status)
        if data.get("rule"):
            flags = flags.filter(rule=data["rule"])
        if data.get("year"):
            flags = flags.filter(year=data["year"])
        if data.get("region"):
            flags = flags.filter(unit__region__path__startswith=data["region"].path)
        if data.get("q"):
            flags = flags.filter(unit__name__icontains=data["q"].strip())
        if data.get("unit"):
            flags = flags.filter(unit_id=data["unit"])
        return flags

    @property
    def shown_status(self) -> str:
        data = getattr(self, "cleaned_data", {})
        return str(data.get("status") or QualityFlag.Status.OPEN)


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("说明"),
        max_length=300,
        help_text=_("说明数据为什么无误，如“该月办公楼停用装修”。"),
        widget=forms.TextInput(attrs={"placeholder": _("确认无误的理由")}),
    )


class RecheckForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)


_CARRIER_CHOICES = Carrier.choices


def _param_field(spec: quality.ParamSpec) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "help_text": spec.help_text}
    if spec.kind == "carriers":
        return forms.MultipleChoiceField(
            choices=_CARRIER_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.kind == "boolean":
        return forms.BooleanField(required=False, **common)
    if spec.kind == "basis":
        return forms.ChoiceField(choices=Basis.choices, **common)
    if spec.kind == "integer":
        return forms.IntegerField(
            min_value=None if spec.minimum is None else int(spec.minimum),
            max_value=None if spec.maximum is None else int(spec.maximum),
            **common,
        )
    return forms.DecimalField(
        min_value=spec.minimum, max_value=spec.maximum, max_digits=12, decimal_places=3, **common
    )


class RuleForm(forms.Form):
    """A rule's switch, description and one field per parameter (named `param_<name>`)."""

    is_active = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args: Any, rule: QualityRule, **kwargs: Any) -> None:
        params = quality.params_of(rule)
        self.specs = quality.PARAM_SPECS.get(rule.code, ())
        kwargs["initial"] = {
            "is_active": rule.is_active,
            "description": rule.description,
            **{f"param_{spec.name}": params.get(spec.name) for spec in self.specs},
        }
        super().__init__(*args, **kwargs)
        for spec in self.specs:
            self.fields[f"param_{spec.name}"] = _param_field(spec)
        self.fields["description"] = forms.CharField(
            label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 4})
        )

    def params(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in self.specs:
            value = self.cleaned_data[f"param_{spec.name}"]
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            values[spec.name] = value
        return values

    def param_fields(self) -> list[forms.BoundField]:
        return [self[f"param_{spec.name}"] for spec in self.specs]


class RangeForm(forms.Form):
    """An intensity range; the type and indicator are chosen only when the range is new."""

    institution_type = forms.ChoiceField(label=_("单位类型代码"), choices=Unit.InstitutionType.choices)
    indicator = forms.ChoiceField(label=_("指标"), choices=IntensityRange.Indicator.choices)
    low = forms.DecimalField(label=_("下限"), max_digits=10, decimal_places=2, min_value=Decimal(0))
    high = forms.DecimalField(label=_("上限"), max_digits=10, decimal_places=2, min_value=Decimal(0))
    source = forms.CharField(label=_("依据"), max_length=300)
    needs_confirmation = forms.BooleanField(label=_("待确认"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, existing: IntensityRange | None = None, **kwargs: Any) -> None:
        if existing is not None:
            kwargs.setdefault("initial", {name: getattr(existing, name) for name in quality.RANGE_FIELDS})
        super().__init__(*args, **kwargs)
        if existing is not None:
            del self.fields["institution_type"]
            del self.fields["indicator"]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in quality.RANGE_FIELDS}
