"""Forms of the title pages: they parse input; the services and the lifecycle decide."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lvchuang.campaigns.models import TitleLevel
from lvchuang.regions.models import Region
from lvchuang.titles.models import Title

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=300,
        help_text=_("公开显示在核验页面上，如：发生重大污染事故。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    document_number = forms.CharField(label=_("撤销决定文号"), max_length=80)
    on = forms.DateField(label=_("撤销日期"), widget=DATE)


class ReinstateForm(forms.Form):
    reason = forms.CharField(
        label=_("恢复原因"),
        max_length=300,
        help_text=_("如：经复查，撤销所依据的事实有误。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    document_number = forms.CharField(label=_("纠正决定文号"), max_length=80)
    on = forms.DateField(label=_("恢复日期"), widget=DATE)


class TitleFilterForm(forms.Form):
    q = forms.CharField(label=_("单位名称或证书编号"), required=False, max_length=100)
    program = forms.IntegerField(required=False, min_value=1)
    level = forms.ChoiceField(label=_("级别"), required=False, choices=[("", _("全部")), *TitleLevel.choices])
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Title.Status.choices]
    )
    region = forms.CharField(label=_("地区代码"), required=False, max_length=12)

    def apply(self, titles: QuerySet[Title]) -> QuerySet[Title]:
        """The titles that match the filters given (an invalid filter is ignored, the form shows why)."""
        data = self.cleaned_data if self.is_valid() else {}
        return filter_titles(
            titles,
            q=data.get("q") or "",
            program_id=data.get("program"),
            level=data.get("level") or "",
            year=data.get("year"),
            status=data.get("status") or "",
            region=data.get("region") or "",
        )


def filter_titles(
    titles: QuerySet[Title],
    *,
    q: str = "",
    program_id: int | None = None,
    level: str = "",
    year: int | None = None,
    status: str = "",
    region: str = "",
) -> QuerySet[Title]:
    """Narrow an already scoped list of titles; `region` is a division code or path (its whole subtree)."""
    if q.strip():
        q = q.strip()
        titles = titles.filter(Q(unit__name__icontains=q) | Q(certificate_number__iexact=q))
    if program_id:
        titles = titles.filter(program_id=program_id)
    if level:
        titles = titles.filter(program__level=level)
    if year:
        titles = titles.filter(year=year)
    if status:
        titles = titles.filter(status=status)
    if region.strip():
        place = Region.objects.filter(Q(code=region.strip()) | Q(path=region.strip())).first()
        titles = titles.filter(unit__region__path__startswith=place.path) if place else titles.none()
    return titles
