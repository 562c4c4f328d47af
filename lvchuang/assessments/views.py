"""Self-assessment pages. Every assessment is reached through its unit's jurisdiction (`selectors`, `access`).

The sheet saves as it is typed: each leaf item's form posts itself (htmx, 600 ms after the last keystroke) and
the answer comes back as a status line ("已保存 14:32") or inline errors, together with the completeness meter and
the result panel; the inputs themselves are never replaced, so nothing typed is lost. Without scripts every
form still posts and the page comes back whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.accounts import access
from lvchuang.assessments import reports, selectors, services
from lvchuang.assessments.forms import AnswerForm, EvidenceForm, StartForm
from lvchuang.assessments.models import ItemResponse, SelfAssessment
from lvchuang.assessments.selectors import Row, Sheet
from lvchuang.standards.models import Item
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate, wants_partial

# --- lists --------------------------------------------------------------------------------------------------


@login_required
def assessment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every self-assessment the user may see, newest first."""
    status = request.GET.get("status", "")
    assessments: QuerySet[SelfAssessment] = selectors.visible_assessments(request.user)
    if status in SelfAssessment.Status.values:
        assessments = assessments.filter(status=status)
    assessments = selectors.with_progress(
        assessments.select_related("unit__region", "version__standard")
    ).order_by("-updated_at", "-pk")
    context = {
        "page_obj": paginate(request, assessments),
        "status": status,
        "statuses": SelfAssessment.Status.choices,
    }
    return render(request, "assessments/assessment_list.html", context)


@login_required
def unit_assessments(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    """One unit's self-assessments, and the standards it may start one against."""
    unit = access.access_unit_by_id(request.user, unit_id)
    can_change = access.can_change_unit(request.user, unit)
    assessments = selectors.assessments_of_units([unit.pk]).get(unit.pk, [])
    versions = selectors.startable_versions(unit) if can_change else []
    context = {
        "unit": unit,
        "assessments": assessments,
        "can_change": can_change,
        "form": StartForm(versions=versions) if versions else None,
    }
    return render(request, "assessments/unit_assessments.html", context)


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = access.access_unit_by_id(request.user, unit_id, for_change=True)
    form = StartForm(request.POST, versions=selectors.startable_versions(unit))
    if form.is_valid():
        try:
            assessment = services.start_assessment(
                by=request.user, unit=unit, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已开始自评。填写的内容会自动保存。"))
            return redirect("assessments:detail", assessment_id=assessment.pk)
    else:
        for text in (str(message) for errors in form.errors.values() for message in errors):
            messages.error(request, text)
    return redirect("assessments:unit_assessments", unit_id=unit.pk)


# --- the sheet ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A row of the sheet with its form (None where the user may only read, or for a heading)."""

    row: Row
    form: AnswerForm | None


def _entries(sheet: Sheet, editable: bool, bound: AnswerForm | None = None) -> list[dict[str, Any]]:
    def entry(row: Row) -> Entry:
        if not (editable and row.is_leaf) or row.item.computed_by:
            return Entry(row, None)  # read only; a computed item is answered by the system
        if bound is not None and bound.item.pk == row.item.pk:
            return Entry(row, bound)
        return Entry(row, AnswerForm(item=row.item, response=row.response))

    return [
        {"head": entry(section.head), "entries": [entry(row) for row in section.rows]}
        for section in sheet.sections
    ]


def _page_context(request: AuthenticatedHttpRequest, sheet: Sheet, **extra: Any) -> dict[str, Any]:
    assessment = sheet.assessment
    can_change = access.can_change_unit(request.user, assessment.unit)
    editable = can_change and not assessment.is_completed
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "sheet": sheet,
        "can_change": can_change,
        "editable": editable,
        "sections": _entries(sheet, editable, extra.pop("bound", None)),
        "max_file_mb": services.max_file_bytes() // services.MEGABYTE,
        "checked_year": services.checked_year(assessment),
        **extra,
    }


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.access_assessment_by_id(request.user, assessment_id)
    sheet = selectors.load_sheet(assessment)
    if not assessment.is_completed:
        # The system's answers to computed items, from today's records.
        items = [row.item for row in sheet.rows]
        if services.refresh_computed_answers(assessment=assessment, items=items):
            sheet = selectors.load_sheet(assessment)
    return render(request, "assessments/assessment_detail.html", _page_context(request, sheet))


def _leaf_of(assessment: SelfAssessment, item_id: int) -> Item:
    item = Item.objects.filter(version_id=assessment.version_id, pk=item_id).first()
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def save_item(request: AuthenticatedHttpRequest, assessment_id: int, item_id: int) -> HttpResponse:
    """Autosave of one item's answer (htmx), or the form's plain POST without scripts."""
    assessment = selectors.access_assessment_by_id(request.user, assessment_id, for_change=True)
    item = _leaf_of(assessment, item_id)
    form = AnswerForm(request.POST, item=item)
    saved: ItemResponse | None = None
    if form.is_valid():
        try:
            saved = services.save_answer(by=request.user, assessment=assessment, item=item, **form.answer())
        except ValidationError as error:
            add_service_errors(form, error)
    if wants_partial(request):
        sheet = selectors.load_sheet(assessment, with_evidence=False)
        context = {
            "sheet": sheet,
            "assessment": assessment,
            "form": form,
            "row": sheet.row(item.pk),
            "saved": saved,
            "ancestors": [sheet.row(pk) for pk in sheet.row(item.pk).ancestors],
            "editable": True,
        }
        return render(request, "assessments/_autosave.html", context)
    if saved is not None:
        messages.success(request, _("已保存“%(code)s”。") % {"code": item.code})
        return redirect(reverse("assessments:detail", args=[assessment.pk]) + f"#item-{item.pk}")
    sheet = selectors.load_sheet(assessment)
    context = _page_context(request, sheet, bound=form)
    return render(request, "assessments/assessment_detail.html", context, status=200)


@login_required
@require_POST
def complete(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.access_assessment_by_id(request.user, assessment_id, for_change=True)
    try:
        assessment = services.complete_assessment(by=request.user, assessment=assessment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("自评已完成，结果已记录。"))
    return redirect("assessments:detail", assessment_id=assessment.pk)


@login_required
@require_POST
def reopen(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.access_assessment_by_id(request.user, assessment_id, for_change=True)
    try:
        assessment = services.reopen_assessment(by=request.user, assessment=assessment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("自评已重新打开，可以继续修改。"))
    return redirect("assessments:detail", assessment_id=assessment.pk)


# --- evidence -----------------------------------------------------------------------------------------------


def _evidence_block(
    request: AuthenticatedHttpRequest, assessment: SelfAssessment, item: Item, error: str = ""
) -> HttpResponse:
    response = (
        ItemResponse.objects.filter(assessment=assessment, item=item)
        .prefetch_related("evidence__uploaded_by")
        .first()
    )
    context = {
        "assessment": assessment,
        "item": item,
        "evidence": list(response.evidence.all()) if response is not None else [],
        "editable": True,
        "upload_error": error,
        "max_file_mb": services.max_file_bytes() // services.MEGABYTE,
    }
    return render(request, "assessments/_evidence.html", context)


@login_required
@require_POST
def upload_evidence(request: AuthenticatedHttpRequest, assessment_id: int, item_id: int) -> HttpResponse:
    assessment = selectors.access_assessment_by_id(request.user, assessment_id, for_change=True)
    item = _leaf_of(assessment, item_id)
    form = EvidenceForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            evidence = services.attach_evidence(
                by=request.user, assessment=assessment, item=item, upload=form.cleaned_data["file"]
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            if not wants_partial(request):
                messages.success(request, _("已上传“%(name)s”。") % {"name": evidence.original_name})
    else:
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    if wants_partial(request):
        return _evidence_block(request, assessment, item, error)
    if error:
        messages.error(request, error)
    return redirect(reverse("assessments:detail", args=[assessment.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def delete_evidence(request: AuthenticatedHttpRequest, assessment_id: int, evidence_id: int) -> HttpResponse:
    assessment = selectors.access_assessment_by_id(request.user, assessment_id, for_change=True)
    evidence = selectors.access_evidence(assessment, evidence_id)
    item = Item.objects.get(pk=evidence.response.item_id)
    error = ""
    try:
        services.remove_evidence(by=request.user, evidence=evidence)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    if wants_partial(request):
        return _evidence_block(request, assessment, item, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已删除“%(name)s”。") % {"name": evidence.original_name})
    return redirect(reverse("assessments:detail", args=[assessment.pk]) + f"#item-{item.pk}")


def _file_response(name: str, *, filename: str, content_type: str, attachment: bool) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever the file holds, a browser opening it may run nothing from it and send it nowhere.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def evidence_file(request: AuthenticatedHttpRequest, assessment_id: int, evidence_id: int) -> FileResponse:
    """The file itself, as a download, to whoever may see the unit (404 for everybody else)."""
    assessment = selectors.access_assessment_by_id(request.user, assessment_id)
    evidence = selectors.access_evidence(assessment, evidence_id)
    return _file_response(
        evidence.file.name,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        attachment=True,
    )


@login_required
def evidence_thumbnail(
    request: AuthenticatedHttpRequest, assessment_id: int, evidence_id: int
) -> FileResponse:
    assessment = selectors.access_assessment_by_id(request.user, assessment_id)
    evidence = selectors.access_evidence(assessment, evidence_id)
    if not evidence.thumbnail:
        raise Http404
    return _file_response(
        evidence.thumbnail.name, filename="thumbnail.jpg", content_type="image/jpeg", attachment=False
    )


# --- reports ------------------------------------------------------------------------------------------------


@login_required
def report_pdf(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.access_assessment_by_id(request.user, assessment_id)
    sheet = selectors.load_sheet(assessment)
    response = HttpResponse(reports.pdf_of(sheet), content_type="application/pdf")
    response["Content-Disposition"] = reports.disposition(sheet, "pdf", inline=True)
    return response


@login_required
def export_xlsx(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.access_assessment_by_id(request.user, assessment_id)
    sheet = selectors.load_sheet(assessment)
    response = HttpResponse(reports.xlsx_of(sheet), content_type=reports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = reports.disposition(sheet, "xlsx", inline=False)
    return response
