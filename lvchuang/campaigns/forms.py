"""Forms of programs and campaigns. They parse and check input in Chinese; every write is `campaigns.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts import access as accounts_access
from lvchuang.accounts.models import User
from lvchuang.campaigns import program_access
from lvchuang.campaigns.models import Action, Campaign, Program
from lvchuang.organisations.models import Department, Office, Unit
from lvchuang.regions.forms import RegionField
from lvchuang.regions.models import Region
from lvchuang.standards import access as standards_access
from lvchuang.standards.models import Standard, StandardVersion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def office_choices(user: User) -> QuerySet[Office]:
    """The offices a user works in (the administrator: every office)."""
    return standards_access.owner_choices(user)


class ProgramCopyForm(forms.Form):
    office = forms.ModelChoiceField(label=_("归属创建办"), queryset=Office.objects.none(), empty_label=None)
    code = forms.SlugField(
        label=_("项目代码"), max_length=60, help_text=_("英文字母、数字和连字符，全系统唯一。")
    )
    name = forms.CharField(label=_("称号名称"), max_length=120, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office = self.fields["office"]
        assert isinstance(office, forms.ModelChoiceField)
        office.queryset = office_choices(user)


class ProgramForm(forms.ModelForm[Program]):
    unit_kinds = forms.MultipleChoiceField(
        label=_("适用单位类别"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示不限。"),
    )
    organ_types = forms.MultipleChoiceField(
        label=_("适用机关类型"),
        choices=Unit.OrganType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("仅对党政机关适用；不选表示不限。"),
    )
    awards = forms.JSONField(
        label=_("奖励"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('每个示范单位的奖励，例如 [{"payer": "市环保局", "amount": 10000}]。'),
    )
    calendar = forms.JSONField(
        label=_("日程模板"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            '每个阶段：{"name": 名称, "start": "MM-DD", "end": "MM-DD", "actions": [开放的操作]}；'
            "操作：submit、recommend、approve、batch、publish_goals、check、review、shortlist。"
        ),
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "level",
            "standard",
            "unit_kinds",
            "organ_types",
            "prerequisite",
            "skip_level_allowed",
            "cooldown_years",
            "validity_years",
            "exempt_programs",
            "yearly_quota",
            "demonstration_quota",
            "awards",
            "notice_length",
            "notice_day_kind",
            "calendar",
            "combination_rule",
            "reviewers_per_application",
            "reminder_days",
            "source",
            "is_active",
        ]
        widgets = {"exempt_programs": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Program.objects.exclude(pk=self.instance.pk).order_by("code")
        prerequisite = self.fields["prerequisite"]
        exempt = self.fields["exempt_programs"]
        standard = self.fields["standard"]
        assert isinstance(prerequisite, forms.ModelChoiceField)
        assert isinstance(exempt, forms.ModelMultipleChoiceField)
        assert isinstance(standard, forms.ModelChoiceField)
        prerequisite.queryset = others
        exempt.queryset = others
        standard.queryset = Standard.objects.order_by("code")

    def changes(self) -> dict[str, Any]:
        """Only what differs from the stored program."""
        result: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "exempt_programs":
                if {p.pk for p in value} != {p.pk for p in self.initial.get(name, [])}:
                    result[name] = list(value)
            elif value != self.initial.get(name, getattr(self.instance, name, None)):
                result[name] = value
        return result


class CampaignFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    program = forms.ModelChoiceField(
        label=_("创建项目"), required=False, queryset=Program.objects.none(), empty_label=_("全部")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program = self.fields["program"]
        assert isinstance(program, forms.ModelChoiceField)
        program.queryset = program_access.visible_programs(user).order_by("code")

    def apply(self, campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
        if not self.is_valid():
            return campaigns
        if self.cleaned_data.get("year"):
            campaigns = campaigns.filter(year=self.cleaned_data["year"])
        if self.cleaned_data.get("program"):
            campaigns = campaigns.filter(program=self.cleaned_data["program"])
        return campaigns


class VersionChoiceField(forms.ModelChoiceField[StandardVersion]):
    def label_from_instance(self, obj: StandardVersion) -> str:
        return f"{obj.standard.name} · {obj.label}"


class CampaignCreateForm(forms.Form):
    program = forms.ModelChoiceField(label=_("创建项目"), queryset=Program.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    office = forms.ModelChoiceField(label=_("组织单位"), queryset=Office.objects.none(), empty_label=None)
    name = forms.CharField(
        label=_("名称"), max_length=150, required=False, help_text=_("留空则按“年度 + 称号”命名。")
    )
    version = VersionChoiceField(
        label=_("标准版本"),
        queryset=StandardVersion.objects.none(),
        required=False,
        empty_label=_("该项目标准的最新发布版本"),
        help_text=_("创建后该版本即被锁定，活动期间不能再修改。"),
    )
    quota = forms.IntegerField(
        label=_("名额"), min_value=0, required=False, help_text=_("留空则采用项目的年度名额。")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        program = self.fields["program"]
        office = self.fields["office"]
        version = self.fields["version"]
        assert isinstance(program, forms.ModelChoiceField)
        assert isinstance(office, forms.ModelChoiceField)
        assert isinstance(version, forms.ModelChoiceField)
        program.queryset = program_access.visible_programs(user).filter(is_active=True).order_by("code")
        office.queryset = office_choices(user)
        version.queryset = (
            StandardVersion.objects.filter(status=StandardVersion.Status.PUBLISHED)
            .select_related("standard")
            .order_by("standard__code", "-number")
        )


class StageForm(forms.Form):
    name = forms.CharField(label=_("阶段名称"), max_length=60)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("截止日期"), widget=DATE)
    actions = forms.MultipleChoiceField(
        label=_("开放的操作"), choices=Action.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def campaign_regions(campaign: Campaign, user: User) -> QuerySet[Region]:
    """Regions below the campaign's own, down to streets and towns, that the user may see."""
    root = campaign.office.region
    return (
        accounts_access.visible_regions(user)
        .filter(path__startswith=root.path, level__lte=Region.Level.TOWNSHIP)
        .exclude(pk=root.pk)
    )


def sector_choices(user: User) -> QuerySet[Department]:
    return accounts_access.visible_departments(user).filter(is_sector_authority=True).order_by("name")


class OverrideForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), choices=Action.choices)
    until = forms.DateField(label=_("开放至"), widget=DATE)
    department = forms.ModelChoiceField(
        label=_("适用主管部门"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("不限"),
        help_text=_("选了主管部门就不再按地区。"),
    )
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, campaign: Campaign, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(
            campaign_regions(campaign, user),
            selected=self.data.get(self.add_prefix("region")),
            label=_("适用地区"),
            required=False,
            empty_label=_("整个活动"),
        )
        self.order_fields(["action", "until", "region", "department", "reason"])
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = sector_choices(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("region") and data.get("department"):
            self.add_error("department", _("地区和主管部门只能选一个。"))
        return data


class AllocationForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("主管部门"), queryset=Department.objects.none(), required=False, empty_label="—"
    )
    amount = forms.IntegerField(label=_("名额"), min_value=0)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, campaign: Campaign, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(
            campaign_regions(campaign, user),
            selected=self.data.get(self.add_prefix("region")),
            label=_("地区"),
            required=False,
        )
        self.order_fields(["region", "department", "amount", "note"])
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = sector_choices(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if bool(data.get("region")) == bool(data.get("department")):
            raise forms.ValidationError(_("请选择一个地区或一个主管部门。"))
        return data


class EligibilityForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), empty_label=_("请选择单位"))

    def __init__(self, *args: Any, program: Program, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = accounts_access.visible_units(user).select_related("region").order_by("region__code", "name")
        if program.unit_kinds:
            units = units.filter(kind__in=program.unit_kinds)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        unit.widget.attrs["autofocus"] = True
