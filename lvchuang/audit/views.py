"""The audit trail: who changed what, when, and every field before → after. Offices and administrators only."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts import access
from lvchuang.audit.forms import AuditFilterForm
from lvchuang.audit.models import AuditEntry
from lvchuang.audit.selectors import present_entries
from lvchuang.web.http import AuthenticatedHttpRequest, paginate

EXPORT_CHUNK = 500


def _filtered(request: AuthenticatedHttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    if not access.can_view_audit(request.user):
        raise PermissionDenied(_("只有创建办和系统管理员可以查看审计记录。"))
    form = AuditFilterForm(request.GET or None)
    entries = form.apply(access.visible_audit_entries(request.user))
    return form, entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


@login_required
def entry_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = paginate(request, entries)
    context = {"form": form, "page_obj": page, "entries": present_entries(page.object_list)}
    return render(request, "audit/entry_list.html", context)


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


@login_required
def entry_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The same rows as the list, one CSV line per changed field, in UTF-8 with a BOM so Excel reads Chinese."""
    _form, entries = _filtered(request)
    writer = csv.writer(_Echo())
    header = [
        _("时间"),
        _("操作人"),
        _("用户名"),
        _("操作"),
        _("对象类型"),
        _("对象"),
        _("字段"),
        _("改前"),
        _("改后"),
    ]

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for start in range(0, entries.count(), EXPORT_CHUNK):
            for item in present_entries(entries[start : start + EXPORT_CHUNK]):
                entry = item.entry
                when = timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S")
                who = [str(entry.actor), entry.actor.username] if entry.actor else [_("系统"), ""]
                common = [when, *who, str(item.action_label), str(item.model_label), entry.object_repr]
                if not item.changes:
                    yield writer.writerow([*common, "", "", ""])
                for change in item.changes:
                    yield writer.writerow([*common, str(change.label), str(change.before), str(change.after)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = timezone.localtime().strftime("lvchuang-audit-%Y%m%d-%H%M.csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
