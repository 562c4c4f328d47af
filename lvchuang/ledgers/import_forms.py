"""The upload form of the ledger import. It parses input; the rules are `importing.store_import`'s."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lvchuang.ledgers.models import ImportBatch


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("CSV（UTF-8 或 Excel 另存的 GBK/GB18030 编码）或 XLSX，只读第一个工作表。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    layout = forms.ChoiceField(
        label=_("格式"),
        choices=[("", _("按表头自动识别")), *ImportBatch.Layout.choices],
        required=False,
    )
