"""A form field for choosing a region, shared by every page that filters or files something by region."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.regions.models import Region

# Past this many regions a drop-down is unusable (a city has thousands of streets and communities once the
# real division data is loaded), so the field asks for the 12-digit code instead.
MAX_LISTED_REGIONS = 300
CHOOSE = _("请选择")


class RegionField(forms.ModelChoiceField[Region]):
    """A region picked by its 12-digit code from `queryset` (which scopes what may be chosen).

    `listed`, a part of `queryset`, is what the drop-down offers; `selected` is kept in it even when outside.
    """

    def __init__(
        self,
        queryset: QuerySet[Region],
        *,
        listed: QuerySet[Region] | None = None,
        selected: str | None = None,
        empty_label: str | Any = CHOOSE,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("没有这个区划代码，或者它不在您的管辖范围内。")}
        )
        super().__init__(queryset, to_field_name="code", empty_label=empty_label, **kwargs)
        shown = list((queryset if listed is None else listed).order_by("code")[: MAX_LISTED_REGIONS + 1])
        if len(shown) > MAX_LISTED_REGIONS:
            self.widget = forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": "12", "placeholder": _("12 位统计用区划代码")}
            )
        else:
            if selected and selected not in {region.code for region in shown}:
                shown += list(queryset.filter(code=selected))
            top = min((region.level for region in shown), default=1)
            choices = [("", empty_label)] + [
                (region.code, "\u3000" * (region.level - top) + region.name) for region in shown
            ]
            self.widget = forms.Select(choices=choices)
        self.widget.is_required = self.required


class RegionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("名称或区划代码"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：识字岭 或 430102")}),
    )
