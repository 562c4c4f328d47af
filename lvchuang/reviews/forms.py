"""Forms of the review pages. They parse input and give messages in Chinese; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.models import User
from lvchuang.assessments.forms import ItemPointsForm
from lvchuang.organisations.models import Department, Unit
from lvchuang.regions.models import Region
from lvchuang.reviews.models import COMMENT_MAX_LENGTH, Review, ReviewScore
from lvchuang.standards.models import Item


class ScoreForm(ItemPointsForm):
    """One leaf item's score by a reviewer: points (or, for a basic condition, 满足/不满足) and a comment."""

    comment = forms.CharField(
        label=_("意见"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text_field = "comment"

    def __init__(self, *args: Any, item: Item, score: ReviewScore | None = None, **kwargs: Any) -> None:
        saved = None if score is None else (score.points, score.met, score.comment)
        super().__init__(*args, item=item, saved=saved, **kwargs)
        if "points" in self.fields:
            self.fields["points"].label = _("评分")
        self.fields["comment"].widget.attrs.update(
            {"maxlength": str(COMMENT_MAX_LENGTH), "placeholder": _("现场看到的情况、扣分理由")}
        )

    def score(self) -> dict[str, Any]:
        return {**self.points_and_met(), "comment": self.cleaned_data.get("comment", "")}


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("照片"),
        error_messages={"required": _("请选择照片。"), "empty": _("文件是空的，未上传。")},
    )


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label=_("总体意见"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SpotCheckForm(forms.Form):
    size = forms.IntegerField(label=_("样本量"), min_value=1, max_value=10000)
    weighted = forms.BooleanField(
        label=_("按风险加权"),
        required=False,
        help_text=_("自评分较上次申报跃升过多、或有整改记录的单位被抽中的机会更大。"),
    )
    seed = forms.CharField(
        label=_("随机种子"),
        required=False,
        max_length=64,
        help_text=_("留空则自动生成。可以填写公开的数字（如当日某彩票开奖号码），让抽取过程无法预先安排。"),
    )
    purpose = forms.CharField(label=_("用途"), required=False, max_length=120)


class PanelForm(forms.Form):
    kind = forms.ChoiceField(label=_("评审方式"), choices=Review.Kind.choices)
    reviewers = forms.ModelMultipleChoiceField(
        label=_("指定评审专家"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("不指定则自动抽选：跳过须回避的专家，优先安排待评审任务少的专家。"),
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def __init__(self, *args: Any, reviewers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reviewers is not None:
            field = self.fields["reviewers"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = reviewers


def _region_by_code(code: str) -> Region | None:
    code = code.strip()
    if not code:
        return None
    region = Region.objects.filter(code=code).first() or Region.objects.filter(path=code).first()
    if region is None:
        raise forms.ValidationError(_("找不到代码为 %(code)s 的地区。"), params={"code": code})
    return region


class _PlaceForm(forms.Form):
    """A region by its division code, a unit by its name (inside the region when given), a department."""

    region_code = forms.CharField(
        label=_("地区代码"), required=False, max_length=12, help_text=_("统计用区划代码，如 430102000000。")
    )
    unit_name = forms.CharField(label=_("单位名称"), required=False, max_length=150)
    department = forms.ModelChoiceField(
        label=_("部门"), queryset=Department.objects.select_related("region").order_by("name"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["region"] = _region_by_code(data.get("region_code", ""))
        except forms.ValidationError as error:
            self.add_error("region_code", error)
            return data
        name = (data.get("unit_name") or "").strip()
        data["unit"] = None
        if name:
            units = Unit.objects.filter(name=name)
            if data["region"] is not None:
                units = units.filter(region__path__startswith=data["region"].path)
            found = list(units[:2])
            if not found:
                self.add_error("unit_name", _("找不到名为“%(name)s”的单位。") % {"name": name})
            elif len(found) > 1:
                self.add_error("unit_name", _("有多个同名单位，请同时填写地区代码。"))
            else:
                data["unit"] = found[0]
        return data


class ProfileForm(_PlaceForm):
    expertise = forms.CharField(label=_("专业领域"), required=False, max_length=200)


class ConflictForm(_PlaceForm):
    relation = forms.CharField(label=_("关系说明"), max_length=200, help_text=_("如：配偶在该单位工作。"))
