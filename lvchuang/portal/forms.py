"""Forms of the public portal: the registry search (also the open data's filters) and certificate lookup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from lvchuang.campaigns.models import Program, TitleLevel
from lvchuang.lib.divisions import path_of
from lvchuang.portal.selectors import RegionOption, RegistryFilters
from lvchuang.titles.models import Title

FIRST_YEAR, LAST_YEAR = 1949, 2100


class RegistryFilterForm(forms.Form):
    """The registry search. Validation needs no query, so the open data downloads use it as they are.

    The region is a division code prefix: the page offers the districts and streets where titles are held, and a
    link or a script may give any prefix (or a full 12-digit code).
    """

    q = forms.CharField(label=_("单位名称"), max_length=60, required=False)
    region = forms.CharField(
        label=_("所在区域"),
        required=False,
        validators=[RegexValidator(r"^\d{2,12}$", _("请选择区域，或填写 2 到 12 位区划代码。"))],
    )
    program = forms.CharField(label=_("称号"), max_length=60, required=False)
    level = forms.ChoiceField(
        label=_("级别"), choices=[("", _("全部级别")), *TitleLevel.choices], required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Title.Status.choices], required=False
    )

    def offer(
        self, *, regions: Sequence[RegionOption], programs: Sequence[Program], years: Sequence[int]
    ) -> None:
        """Show region, program and year as lists of what the registry holds (the page; not the downloads)."""
        self.fields["region"].widget = forms.Select(
            choices=[("", _("全部区域")), *((r.path, r.label) for r in regions)]
        )
        self.fields["program"].widget = forms.Select(
            choices=[("", _("全部称号")), *((p.code, p.name) for p in programs)]
        )
        self.fields["year"].widget = forms.Select(choices=[("", _("全部年度")), *((y, y) for y in years)])

    def clean_region(self) -> str:
        region: str = self.cleaned_data["region"]
        if len(region) == 12:
            # A full code of a district ends in zeros; its subtree is the code's significant prefix.
            try:
                return path_of(region)
            except ValueError:
                return region
        return region

    def clean_q(self) -> str:
        return str(self.cleaned_data["q"]).strip()

    def filters(self) -> RegistryFilters:
        """The valid filters (an invalid field is left out; the page shows its error)."""
        data: dict[str, Any] = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        filters = RegistryFilters()
        for name in ("region", "program", "level", "status", "q"):
            if data.get(name):
                filters[name] = data[name]
        if data.get("year"):
            filters["year"] = int(data["year"])
        return filters


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("证书编号"),
        max_length=40,
        help_text=_("证书或牌匾上的编号，也可以用手机扫描证书上的二维码直接打开核验结果。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_number(self) -> str:
        number = "".join(str(self.cleaned_data["number"]).split())
        if "/" in number:
            raise forms.ValidationError(_("证书编号中没有“/”，请核对后重新输入。"))
        return number
