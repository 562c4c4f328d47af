"""Forms of the standards library. They parse and check input in Chinese; every write is `standards.services`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.models import User
from lvchuang.organisations.models import Office, Unit
from lvchuang.standards import access
from lvchuang.standards.document import format_points
from lvchuang.standards.models import GradeBand, Item, Standard, StandardVersion

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a standard of a few hundred rows is tens of kilobytes


def unit_kind_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("适用单位类别"),
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示不限定单位类别。"),
    )


def points_widget() -> forms.NumberInput:
    return forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"})


class OwnerField(forms.ModelChoiceField[Office]):
    """The office a new standard belongs to; the administrator may also leave it empty (a built-in)."""

    def __init__(self, *, user: User, **kwargs: Any) -> None:
        admin = access.is_admin(user)
        super().__init__(
            queryset=access.owner_choices(user),
            required=not admin,
            empty_label=_("系统内置（无维护单位）") if admin else None,
            label=_("维护单位"),
            help_text=_("标准归哪个创建办维护：只有该创建办（和系统管理员）可以修改它。"),
            **kwargs,
        )


def show_points_plainly(form: forms.ModelForm[Any], *names: str) -> None:
    """An instance's 20.00 reads 20 in the form, as it does on the page."""
    for name in names:
        value = getattr(form.instance, name, None)
        if form.instance.pk and isinstance(value, Decimal) and name not in form.data:
            form.initial[name] = format_points(value)


class VersionForm(forms.ModelForm[StandardVersion]):
    applies_to = unit_kind_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show_points_plainly(self, "total_points", "pass_line", "bonus_cap")

    class Meta:
        model = StandardVersion
        fields = ["label", "total_points", "pass_line", "bonus_cap", "applies_to", "notes"]
        widgets = {
            "total_points": points_widget(),
            "pass_line": points_widget(),
            "bonus_cap": points_widget(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        total, line, cap = data.get("total_points"), data.get("pass_line"), data.get("bonus_cap")
        if total is not None and line is not None and cap is not None and line > total + cap:
            self.add_error("pass_line", _("合格线不能高于满分与加分上限之和。"))
        return data

    def _post_clean(self) -> None:
        # The version is saved by the service (which also validates); skip the model's own constraint check
        # here, whose message would repeat the one above in less helpful words.
        pass


class StandardCreateForm(forms.Form):
    name = forms.CharField(label=_("标准名称"), max_length=120)
    code = forms.SlugField(
        label=_("标准代码"),
        max_length=60,
        help_text=_("英文字母、数字和连字符，如 furong-green-community；导出文件以它命名。"),
    )
    title_name = forms.CharField(label=_("对应称号"), max_length=120, required=False)
    total_points = forms.DecimalField(
        label=_("满分"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=100,
        widget=points_widget(),
    )
    pass_line = forms.DecimalField(
        label=_("合格线"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=80,
        widget=points_widget(),
    )
    bonus_cap = forms.DecimalField(
        label=_("加分上限"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=0,
        widget=points_widget(),
    )
    applies_to = unit_kind_field()
    source = forms.CharField(label=_("依据文件"), max_length=300, required=False)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = OwnerField(user=user)
        self.order_fields(["owner", "name", "code", "title_name"])

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if Standard.objects.filter(code=code).exists():
            raise ValidationError(_("标准代码“%(code)s”已被使用。"), params={"code": code})
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        total, line, cap = data.get("total_points"), data.get("pass_line"), data.get("bonus_cap")
        if total is not None and line is not None and cap is not None and line > total + cap:
            self.add_error("pass_line", _("合格线不能高于满分与加分上限之和。"))
        return data


class ItemForm(forms.ModelForm[Item]):
    class Meta:
        model = Item
        fields = [
            "code",
            "title",
            "kind",
            "max_points",
            "guidance",
            "evidence_required",
            "needs_confirmation",
            "computed_by",
        ]
        widgets = {
            "code": forms.TextInput(attrs={"size": "8"}),
            "max_points": points_widget(),
            "guidance": forms.Textarea(attrs={"rows": 2}),
            "evidence_required": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "code": _("如 1、1.2、1.2.3；对比版本时按编号对应条目。"),
            "max_points": _("有子项的条目：子项合计超过它时以它封顶；填 0 表示不封顶。基本条件填 0。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show_points_plainly(self, "max_points")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("kind") == Item.Kind.GATE and data.get("max_points"):
            self.add_error("max_points", _("基本条件只判断是否满足，分值必须为 0。"))
        return data

    def _post_clean(self) -> None:
        pass  # the service validates the item in its version (unique code, constraints)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BandForm(forms.ModelForm[GradeBand]):
    class Meta:
        model = GradeBand
        fields = ["name", "min_score"]
        widgets = {"min_score": points_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show_points_plainly(self, "min_score")

    def _post_clean(self) -> None:
        pass  # the service checks names and scores against the version's other bands


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("标准文件"),
        help_text=_("Excel（.xlsx）、YAML（.yaml）或 JSON（.json），格式与本系统导出的文件相同。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.yaml,.yml,.json"}),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # importing a new standard: whose it is
            self.fields["owner"] = OwnerField(user=user)
            self.order_fields(["owner", "file"])

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件太大（最大 5 MB）。"))
        return upload


class AdoptForm(forms.Form):
    """Copy a standard into a new one an office owns."""

    name = forms.CharField(label=_("新标准的名称"), max_length=120)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = forms.ModelChoiceField(
            queryset=access.owner_choices(user),
            label=_("复制到"),
            empty_label=None,
            help_text=_("复制出的标准归该创建办维护，可以自由修改，原标准不受影响。"),
        )
        self.fields["owner"] = owner
        self.order_fields(["owner", "name"])
