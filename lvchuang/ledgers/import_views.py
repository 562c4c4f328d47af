"""Bulk import pages: the upload form with the user's recent files, one file's progress and outcome (polled by
htmx while it runs), its error report, and the empty templates of both layouts.

A batch is reached through `importing.access_batch_by_id`: its uploader (and the administrator) only, 404 for
everybody else. Who may import is `importing.can_import`: whoever may change some unit keeping ledgers.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lvchuang.ledgers import importing
from lvchuang.ledgers.import_forms import ImportForm
from lvchuang.ledgers.models import ImportBatch
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, render_with_partial

RECENT = 20  # batches listed under the form
ERRORS_SHOWN = 50  # error report rows shown on a batch's page


@login_required
def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """批量导入: the upload form and the user's recent files."""
    if not importing.can_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = importing.start_import(
                by=request.user, upload=form.cleaned_data["file"], layout=form.cleaned_data["layout"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("文件已上传，正在排队导入。"))
            return redirect("ledgers:import_detail", batch_id=batch.pk)
    context = {
        "form": form,
        "batches": importing.visible_batches(request.user).filter(uploaded_by=request.user)[:RECENT],
        "layouts": ImportBatch.Layout.choices,
    }
    return render(
        request, "ledgers/import_list.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def import_detail(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    """One file: a progress bar while queued or running (the status part polls every second), then the counts or
    the first rows of the error report."""
    batch = importing.access_batch_by_id(request.user, batch_id)
    context = {
        "batch": batch,
        "running": batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING),
        "errors": importing.first_errors(batch, ERRORS_SHOWN)
        if batch.status == ImportBatch.Status.REJECTED
        else [],
        "errors_shown": ERRORS_SHOWN,
    }
    return render_with_partial(request, "ledgers/import_detail.html", "ledgers/import_status.html", context)


def error_report_response(batch: ImportBatch) -> FileResponse:
    if not batch.error_report:
        raise Http404
    try:
        handle = batch.error_report.storage.open(batch.error_report.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = _("导入错误报告-%(id)s.csv") % {"id": batch.pk}
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="text/csv; charset=utf-8"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def import_errors(request: AuthenticatedHttpRequest, batch_id: int) -> FileResponse:
    """The whole error report (行号, 列, 值, 问题), UTF-8 with BOM so Excel opens it."""
    return error_report_response(importing.access_batch_by_id(request.user, batch_id))


def template_response(layout: str, fmt: str) -> HttpResponse:
    content, content_type, filename = importing.template_file(layout, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_template(request: AuthenticatedHttpRequest, layout: str, fmt: str) -> HttpResponse:
    """An empty file of a layout (official or long) as CSV or XLSX, to fill in and upload."""
    return template_response(layout, fmt)
