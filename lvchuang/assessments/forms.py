"""Forms of the self-assessment pages: one item's answer, an evidence upload, starting a self-assessment.

They parse input and give messages in Chinese; the rules (range, who may write, limits) are the services'.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvchuang.assessments.models import NARRATIVE_MAX_LENGTH, ItemResponse
from lvchuang.standards.document import format_points
from lvchuang.standards.models import Item, StandardVersion

MET_CHOICES = [("yes", _("满足")), ("no", _("不满足"))]


class ItemPointsForm(forms.Form):
    """Points for a scored leaf, or 满足/不满足 for a basic condition (gate), plus one text field; the base of the
    self-assessment sheet's answers and of the reviewers' scores.

    Points are typed as text (`inputmode=decimal`), not `type=number`: a browser hands a number field's
    half-typed or mistyped value to scripts as empty, which autosave would store as "cleared".
    """

    points = forms.DecimalField(
        label=_("自评分"),
        required=False,
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "invalid": _("请输入数字，如 8 或 7.5。"),
            "min_value": _("分值不能小于 0。"),
            "max_digits": _("分值太大了。"),
            "max_whole_digits": _("分值太大了。"),
            "max_decimal_places": _("分值最多保留两位小数。"),
        },
    )
    met = forms.ChoiceField(
        label=_("是否满足"), choices=MET_CHOICES, required=False, widget=forms.RadioSelect
    )
    text_field = ""  # the subclass's text field: the narrative, or the reviewer's comment

    def __init__(
        self,
        *args: Any,
        item: Item,
        saved: tuple[Decimal | None, bool | None, str] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"item-{item.pk}")
        if saved is not None and "initial" not in kwargs:
            points, met, text = saved
            kwargs["initial"] = {
                "points": None if points is None else format_points(points),
                "met": None if met is None else "yes" if met else "no",
                self.text_field: text,
            }
        super().__init__(*args, **kwargs)
        self.item = item
        if item.kind == Item.Kind.GATE:
            del self.fields["points"]
        else:
            del self.fields["met"]
            self.fields["points"].widget = forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "class": "points-input"}
            )

    @property
    def is_gate(self) -> bool:
        return self.item.kind == Item.Kind.GATE

    def points_and_met(self) -> dict[str, Any]:
        """The cleaned points and met as the services take them."""
        data = self.cleaned_data
        return {"points": data.get("points"), "met": {"yes": True, "no": False}.get(data.get("met") or "")}


class AnswerForm(ItemPointsForm):
    """One leaf item's answer in a self-assessment: points or met, and a narrative."""

    narrative = forms.CharField(
        label=_("情况说明"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("情况说明最多 %(limit_value)d 字，现在是 %(show_value)d 字。")},
    )
    text_field = "narrative"

    def __init__(self, *args: Any, item: Item, response: ItemResponse | None = None, **kwargs: Any) -> None:
        saved = None if response is None else (response.points, response.met, response.narrative)
        super().__init__(*args, item=item, saved=saved, **kwargs)
        if "points" in self.fields:
            self.fields["points"].help_text = _("满分 %(max)s 分") % {"max": format_points(item.max_points)}
        self.fields["narrative"].widget.attrs.update(
            {"maxlength": str(NARRATIVE_MAX_LENGTH), "placeholder": _("简要说明做了什么、佐证材料在哪里")}
        )

    def answer(self) -> dict[str, Any]:
        """The cleaned answer as the service takes it."""
        return {**self.points_and_met(), "narrative": self.cleaned_data.get("narrative", "")}


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("佐证材料"),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("文件是空的，未上传。")},
    )


class StartForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("评价标准"),
        queryset=StandardVersion.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("该标准版本不能用于本单位的自评。")},
    )

    def __init__(self, *args: Any, versions: list[StandardVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = self.fields["version"]
        assert isinstance(version, forms.ModelChoiceField)
        version.queryset = StandardVersion.objects.filter(pk__in=[v.pk for v in versions]).select_related(
            "standard"
        )
