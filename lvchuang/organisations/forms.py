"""Forms for units: the list's filters, and one form for creating and editing that shows only what the user may
change. The forms parse and check input in Chinese; the writes are `organisations.services`."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts import access
from lvchuang.accounts.models import User
from lvchuang.organisations.models import Department, Unit
from lvchuang.organisations.selectors import missing_facts_q
from lvchuang.organisations.services import UNIT_CLASSIFICATION_FIELDS, UNIT_FACT_FIELDS
from lvchuang.regions.forms import RegionField
from lvchuang.regions.models import Region

# GB 32100-2015: 18 characters from digits and capital letters without I, O, Z, S and V.
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
FAMILY_FIELDS = ("household_count", "green_family_count")


class UnitFilterForm(forms.Form):
    q = forms.CharField(
        label=_("名称"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入单位名称的一部分")}),
    )
    kind = forms.ChoiceField(label=_("单位类别"), required=False)
    sector = forms.ModelChoiceField(
        label=_("主管部门"), required=False, queryset=Department.objects.none(), empty_label=_("全部")
    )
    missing = forms.BooleanField(label=_("只看缺少基本信息的"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = access.visible_regions(user)
        self.fields["region"] = RegionField(
            regions,
            listed=regions.filter(level__lte=Region.Level.TOWNSHIP),
            selected=self.data.get("region"),
            label=_("行政区"),
            required=False,
            empty_label=_("全部"),
        )
        self.order_fields(["q", "region", "kind", "sector", "missing"])
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("全部")), *Unit.Kind.choices]
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ModelChoiceField)
        sector.queryset = access.visible_departments(user).filter(is_sector_authority=True).order_by("name")

    def apply(self, units: QuerySet[Unit]) -> QuerySet[Unit]:
        """Filter by every field that is valid; an invalid one (a mistyped code) is shown and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            units = units.filter(name__icontains=data["q"].strip())
        if data.get("region"):
            units = units.filter(region__path__startswith=data["region"].path)
        if data.get("kind"):
            units = units.filter(kind=data["kind"])
        if data.get("sector"):
            units = units.filter(sector=data["sector"])
        if data.get("missing"):
            units = units.filter(missing_facts_q())
        return units


class UnitForm(forms.ModelForm[Unit]):
    """Create or edit a unit. Only the fields in `editable` are shown (services.update_unit decides who may
    change what: unit and sector staff the facts, offices the classification as well)."""

    class Meta:
        model = Unit
        fields = [*UNIT_CLASSIFICATION_FIELDS, *UNIT_FACT_FIELDS]
        widgets = {
            "floor_area": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "energy_headcount": forms.NumberInput(attrs={"min": "0"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
        }
        error_messages = {NON_FIELD_ERRORS: {"unique_together": _("这个行政区里已经有同名的单位。")}}

    def __init__(self, *args: Any, user: User, editable: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.kind != Unit.Kind.COMMUNITY:
            # Households and green families are counted only for communities (seed 000, 附件3).
            editable = tuple(name for name in editable if name not in FAMILY_FIELDS)
        for name in list(self.fields):
            if name not in editable:
                del self.fields[name]
        if "region" in self.fields:
            current = self.instance.region.code if self.instance.region_id else None
            self.fields["region"] = RegionField(
                access.managed_regions(user),
                label=_("所在行政区"),
                selected=current,
                help_text=_("社区填所在社区；机关、学校等填所在街道或乡镇。"),
            )
            self.initial["region"] = current  # the field takes codes; the model's initial value is the key
        if "sector" in self.fields:
            sector = self.fields["sector"]
            assert isinstance(sector, forms.ModelChoiceField)
            keeping = self.instance.sector if self.instance.sector_id else None
            sector.queryset = access.assignable_sectors(user, keeping=keeping).order_by(
                "region__code", "name"
            )
            sector.help_text = _("按系统管理的单位（如学校归教育局）才填；按属地管理的留空。")
        if not self.instance.pk and "household_count" in self.fields:
            self.fields["household_count"].help_text = _("仅社区（居委会）填写。")
            self.fields["green_family_count"].help_text = _("仅社区（居委会）填写，不能超过户数。")
        if "credit_code" in self.fields:
            self.fields["credit_code"].widget.attrs.update(
                {"maxlength": "18", "autocapitalize": "characters"}
            )

    def clean_credit_code(self) -> str:
        code: str = self.cleaned_data["credit_code"].strip().upper()
        if code and "credit_code" in self.changed_data and not CREDIT_CODE.fullmatch(code):
            raise forms.ValidationError(
                _("统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、Z、S、V）。")
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None

        def value(name: str) -> Any:
            return data.get(name) if name in self.fields else getattr(self.instance, name, None)

        kind = value("kind")
        if kind == Unit.Kind.ORGAN:
            for name, message in (
                ("organ_type", _("党政机关必须选择机关类型。")),
                ("organ_level", _("党政机关必须选择机关层级。")),
            ):
                if not value(name):
                    self._error_on(name, message, fallback="kind")
        if kind and kind != Unit.Kind.COMMUNITY:
            for name in FAMILY_FIELDS:
                if value(name) is not None:
                    self._error_on(
                        name, _("户数和绿色家庭数只适用于社区（居委会），请清空。"), fallback="kind"
                    )
        households, green = value("household_count"), value("green_family_count")
        if households is not None and green is not None and green > households:
            self._error_on("green_family_count", _("绿色家庭数不能超过户数。"), fallback="household_count")
        return data

    def _error_on(self, name: str, message: Any, *, fallback: str) -> None:
        target = name if name in self.fields else fallback if fallback in self.fields else None
        if target is None or target in self.errors:
            return
        self.add_error(target, message)

    def changes(self, before: dict[str, Any]) -> dict[str, Any]:
        """The cleaned values that differ from `before` (the unit as it was when the form was opened)."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if self.cleaned_data[name] != before.get(name)
        }
