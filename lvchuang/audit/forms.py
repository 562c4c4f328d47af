from __future__ import annotations

import datetime
from typing import Any

from auditlog.registry import auditlog
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvchuang.audit.models import AuditEntry
from lvchuang.audit.selectors import ACTION_LABELS


def _model_choices() -> list[tuple[str, Any]]:
    models = sorted(auditlog.get_models(), key=lambda model: model._meta.label)
    return [("", _("全部")), *((model._meta.label_lower, model._meta.verbose_name) for model in models)]


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("对象类型"), required=False, choices=_model_choices)
    action = forms.TypedChoiceField(
        label=_("操作"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), *((value, label) for value, label in ACTION_LABELS.items())],
    )
    actor = forms.CharField(
        label=_("操作人"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名或用户名")}),
    )
    object = forms.CharField(
        label=_("对象名称"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    date_from = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """Filter by every valid field; invalid ones are shown beside the field and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("model"):
            app_label, _dot, model = data["model"].partition(".")
            entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
        if data.get("action") is not None:
            entries = entries.filter(action=data["action"])
        if data.get("actor"):
            text = data["actor"].strip()
            entries = entries.filter(Q(actor__username__icontains=text) | Q(actor__full_name__icontains=text))
        if data.get("object"):
            entries = entries.filter(object_repr__icontains=data["object"].strip())
        # Whole days in the local time zone (Asia/Shanghai), as the user reads the dates.
        if data.get("date_from"):
            entries = entries.filter(timestamp__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(timestamp__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
