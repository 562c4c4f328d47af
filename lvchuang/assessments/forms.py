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


class AnswerForm(forms.Form):
    """One leaf item's answer. A basic condition (gate) takes 满足/不满足; every other leaf takes points.

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
    narrative = forms.CharField(
        label=_("情况说明"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("情况说明最多 %(limit_value)d 字，现在是 %(show_value)d 字。")},
    )

    def __init__(self, *args: Any, item: Item, response: ItemResponse | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"item-{item.pk}")
        if response is not None and "initial" not in kwargs:
            met = None if response.met is None else "yes" if response.met else "no"
            points = None if response.points is None else format_points(response.points)
            kwargs["initial"] = {"points": points, "met": met, "narrative": response.narrative}
        super().__init__(*args, **kwargs)
        self.item = item
        if item.kind == Item.Kind.GATE:
            del self.fields["points"]
        else:
            del self.fields["met"]
            field = self.fields["points"]
            field.widget = forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "class": "points-input"}
            )
            field.help_text = _("满分 %(max)s 分") % {"max": format_points(item.max_points)}
        self.fields["narrative"].widget.attrs.update(
            {"maxlength": str(NARRATIVE_MAX_LENGTH), "placeholder": _("简要说明做了什么、佐证材料在哪里")}
        )

    @property
    def is_gate(self) -> bool:
        return self.item.kind == Item.Kind.GATE

    def answer(self) -> dict[str, Any]:
        """The cleaned answer as the service takes it."""
        data = self.cleaned_data
        met = {"yes": True, "no": False}.get(data.get("met") or "")
        return {"points": data.get("points"), "met": met, "narrative": data.get("narrative", "")}


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
