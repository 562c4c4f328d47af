"""Supervision pages: re-inspections (回头看) with their reproducible sample and per-title results, rectification
orders (整改通知) answered by the unit and decided by the office, and revocation proposals.

Every object is reached through `access.access_*` (404 outside; 403 where the user may only read). Views parse
input, call one service and render. Recording an inspection result swaps its table row (htmx) and works as a
plain POST without scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, QuerySet, Value, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.accounts.access import grantable_scopes, jurisdiction_of
from lvchuang.assessments import files
from lvchuang.assessments.views import _file_response
from lvchuang.organisations.models import Office
from lvchuang.supervision import access, selectors, services
from lvchuang.supervision.forms import (
    CloseForm,
    InspectionResultForm,
    OrderDecisionForm,
    OrderForm,
    ProposalForm,
    ReinspectionForm,
    ReportForm,
    RevocationDecisionForm,
)
from lvchuang.supervision.models import Inspection, RectificationOrder, Reinspection, RevocationProposal
from lvchuang.titles.access import access_title_by_id, can_manage_title
from lvchuang.titles.lifecycle import IN_FORCE
from lvchuang.titles.models import Title
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate, wants_partial


def _flash_errors(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _own_offices(request: AuthenticatedHttpRequest) -> QuerySet[Office]:
    """The offices the user may organise a re-inspection for: theirs and those below them."""
    return grantable_scopes(request.user).offices


# --- re-inspections ---------------------------------------------------------------------------------------------


@login_required
def reinspection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """复核: the re-inspections of the user's offices and the offices below them."""
    page_obj = paginate(request, access.visible_reinspections(request.user))
    can_create = bool(jurisdiction_of(request.user).managed_paths) or jurisdiction_of(request.user).is_admin
    return render(
        request, "supervision/reinspection_list.html", {"page_obj": page_obj, "can_create": can_create}
    )


@login_required
def reinspection_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = _own_offices(request)
    if not offices.exists():
        raise PermissionDenied
    form = ReinspectionForm(
        request.POST or None,
        offices=offices,
        initial={"year": timezone.localdate().year, "kind": Reinspection.Kind.SAMPLE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reinspection = services.create_reinspection(
                by=request.user,
                office=data["office"],
                program=data["program"],
                year=data["year"],
                name=data["name"],
                kind=data["kind"],
                sample_size=data["sample_size"] or 0,
                risk_weighted=data["risk_weighted"],
                risk_factor=data["risk_factor"],
                version=data["version"],
                notes=data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("复核已创建，下一步：抽取样本。"))
            return redirect("supervision:reinspection_detail", reinspection_id=reinspection.pk)
    return render(request, "supervision/reinspection_form.html", {"form": form})


@dataclass(frozen=True)
class InspectionRow:
    inspection: Inspection
    form: InspectionResultForm | None
    orders: list[RectificationOrder]


def _row(
    inspection: Inspection, *, editable: bool, form: InspectionResultForm | None = None
) -> InspectionRow:
    pending = inspection.result == Inspection.Result.PENDING
    if editable and pending and form is None:
        form = InspectionResultForm(
            initial={"inspected_on": timezone.localdate()}, prefix=f"inspection-{inspection.pk}"
        )
    return InspectionRow(
        inspection=inspection,
        form=form if editable and pending else None,
        orders=list(inspection.orders.all()),
    )


def _inspections(reinspection: Reinspection) -> QuerySet[Inspection]:
    return (
        reinspection.inspections.select_related(
            "title__unit__region", "title__campaign__version", "inspector"
        )
        .prefetch_related("orders")
        .order_by("pk")
    )


def _reinspection_context(
    request: AuthenticatedHttpRequest, reinspection: Reinspection, bound: InspectionResultForm | None = None
) -> dict[str, Any]:
    """The page's context; `bound` is a result form that failed, shown again in its row with what was typed."""
    can_run = access.can_run_reinspection(request.user, reinspection)
    editable = can_run and reinspection.status == Reinspection.Status.DRAWN
    drawn = reinspection.status != Reinspection.Status.PLANNED
    bound_prefix = bound.prefix if bound is not None else None
    rows = [
        _row(
            inspection,
            editable=editable,
            form=bound if bound_prefix == f"inspection-{inspection.pk}" else None,
        )
        for inspection in _inspections(reinspection)
    ]
    results = [row.inspection.result for row in rows]
    return {
        "reinspection": reinspection,
        "can_run": can_run,
        "rows": rows,
        "population": selectors.population_rows(reinspection) if drawn else [],
        "verified": services.verify_sample(reinspection) if drawn else None,
        "redrawn": services.redraw(reinspection) if drawn else [],
        "planned_population": len(services.population_of(reinspection)) if not drawn else None,
        "close_form": CloseForm(),
        "results": {
            "pending": results.count(Inspection.Result.PENDING),
            "failed": results.count(Inspection.Result.FAILED),
        },
    }


@login_required
def reinspection_detail(request: AuthenticatedHttpRequest, reinspection_id: int) -> HttpResponse:
    reinspection = access.access_reinspection_by_id(request.user, reinspection_id)
    return render(
        request, "supervision/reinspection_detail.html", _reinspection_context(request, reinspection)
    )


@login_required
@require_POST
def reinspection_draw(request: AuthenticatedHttpRequest, reinspection_id: int) -> HttpResponse:
    reinspection = access.access_reinspection_by_id(request.user, reinspection_id, for_change=True)
    seed = request.POST.get("seed", "")[:64]
    try:
        reinspection = services.draw_sample(by=request.user, reinspection=reinspection, seed=seed)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(
            request,
            _("已抽取 %(n)d 家单位（总体 %(total)d 家）。")
            % {"n": len(reinspection.sample), "total": len(reinspection.population)},
        )
    return redirect("supervision:reinspection_detail", reinspection_id=reinspection.pk)


@login_required
@require_POST
def reinspection_close(request: AuthenticatedHttpRequest, reinspection_id: int) -> HttpResponse:
    reinspection = access.access_reinspection_by_id(request.user, reinspection_id, for_change=True)
    form = CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.close_reinspection(by=request.user, reinspection=reinspection, note=note)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("复核已结束。"))
    return redirect("supervision:reinspection_detail", reinspection_id=reinspection.pk)


@login_required
@require_POST
def inspection_record(request: AuthenticatedHttpRequest, inspection_id: int) -> HttpResponse:
    """Record one inspection's result: the row again (htmx), or the page (with the form again on an error)."""
    inspection = access.access_inspection_by_id(request.user, inspection_id, for_change=True)
    form = InspectionResultForm(request.POST, prefix=f"inspection-{inspection.pk}")
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.record_inspection(
                by=request.user,
                inspection=inspection,
                result=data["result"],
                inspected_on=data["inspected_on"],
                findings=data["findings"],
                score=data["score"],
                requirements=data["requirements"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    reinspection = inspection.reinspection
    if saved is not None:
        reinspection.refresh_from_db()
    if wants_partial(request):
        fresh = _inspections(reinspection).get(pk=inspection.pk)
        editable = reinspection.status == Reinspection.Status.DRAWN
        row = _row(fresh, editable=editable, form=None if saved is not None else form)
        response = render(request, "supervision/_inspection_row.html", {"row": row})
        if saved is not None and reinspection.status == Reinspection.Status.CLOSED:
            response["HX-Refresh"] = "true"  # the page header and counts change with the closing
        return response
    if saved is None:
        context = _reinspection_context(request, reinspection, bound=form)
        return render(request, "supervision/reinspection_detail.html", context, status=400)
    messages.success(request, _("已记录 %(unit)s 的检查结论。") % {"unit": saved.title.unit.name})
    return redirect(
        reverse("supervision:reinspection_detail", args=[reinspection.pk]) + f"#inspection-{inspection.pk}"
    )


# --- rectification orders ---------------------------------------------------------------------------------------

ORDER_FILTERS = {
    "waiting": (RectificationOrder.Status.OPEN, RectificationOrder.Status.REPORTED),
    "reported": (RectificationOrder.Status.REPORTED,),
    "overdue": (RectificationOrder.Status.OVERDUE,),
    "done": (RectificationOrder.Status.ACCEPTED, RectificationOrder.Status.FAILED),
}


@login_required
def order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """整改通知: for offices every order in their jurisdiction with counts and the overdue highlighted; for unit
    staff their own orders, with what to report by when."""
    today = timezone.localdate()
    orders = access.visible_orders(request.user)
    counts = selectors.order_counts(orders, today=today)
    shown = request.GET.get("status", "")
    if shown in ORDER_FILTERS:
        orders = orders.filter(status__in=ORDER_FILTERS[shown])
    # What still needs someone's action first (overdue, reported, open), each by due date.
    waiting_first = Case(
        When(status=RectificationOrder.Status.OVERDUE, then=Value(0)),
        When(status=RectificationOrder.Status.REPORTED, then=Value(1)),
        When(status=RectificationOrder.Status.OPEN, then=Value(2)),
        default=Value(3),
    )
    page_obj = paginate(request, orders.order_by(waiting_first, "due_on", "pk"))
    context = {
        "page_obj": page_obj,
        "counts": counts,
        "shown": shown,
        "today": today,
        "overdue_ids": {o.pk for o in page_obj if selectors.is_overdue(o, today=today)},
        "my_open_orders": selectors.my_open_orders(request.user),
        "is_office": bool(jurisdiction_of(request.user).all_paths) or jurisdiction_of(request.user).is_admin,
    }
    return render(request, "supervision/order_list.html", context)


@dataclass(frozen=True)
class Step:
    on: Any
    text: str
    note: str = ""


def _history(order: RectificationOrder, proposals: list[RevocationProposal]) -> list[Step]:
    steps = [
        Step(
            order.issued_on,
            _("下达整改通知，限 %(due)s 前整改") % {"due": order.due_on.isoformat()},
            order.requirements,
        )
    ]
    if order.reported_on:
        steps.append(Step(order.reported_on, _("单位报送整改报告"), order.report))
    if order.status == RectificationOrder.Status.OVERDUE:
        steps.append(Step(order.due_on, _("整改期限届满，未报送整改报告")))
    if order.decided_on:
        steps.append(Step(order.decided_on, order.get_status_display(), order.decision_note))
    for proposal in proposals:
        steps.append(Step(proposal.proposed_on, _("提出撤销建议"), proposal.reason))
        if proposal.decided_on:
            steps.append(Step(proposal.decided_on, proposal.get_status_display(), proposal.decision_note))
    return sorted(steps, key=lambda step: step.on)


def _order_context(
    request: AuthenticatedHttpRequest, order: RectificationOrder, **forms: Any
) -> dict[str, Any]:
    today = timezone.localdate()
    can_answer = access.can_answer_order(request.user, order)
    can_decide = can_manage_title(request.user, order.title)
    proposals = list(order.proposals.order_by("proposed_on", "pk"))
    return {
        "order": order,
        "title": order.title,
        "today": today,
        "overdue": selectors.is_overdue(order, today=today),
        "can_report": can_answer and order.status == RectificationOrder.Status.OPEN and today <= order.due_on,
        "can_decide": can_decide and order.status == RectificationOrder.Status.REPORTED,
        "can_manage": can_decide,
        "history": _history(order, proposals),
        "proposals": proposals,
        "report_form": forms.get("report_form") or ReportForm(),
        "decision_form": forms.get("decision_form") or OrderDecisionForm(),
    }


@login_required
def order_detail(request: AuthenticatedHttpRequest, order_id: int) -> HttpResponse:
    order = access.access_order_by_id(request.user, order_id)
    return render(request, "supervision/order_detail.html", _order_context(request, order))


@login_required
@require_POST
def order_report(request: AuthenticatedHttpRequest, order_id: int) -> HttpResponse:
    order = access.access_order_by_id(request.user, order_id, for_change=True)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_rectification(
                by=request.user,
                order=order,
                report=form.cleaned_data["report"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("整改报告已报送，等待创建办验收。"))
            return redirect("supervision:order_detail", order_id=order.pk)
    context = _order_context(request, order, report_form=form)
    return render(request, "supervision/order_detail.html", context, status=400)


@login_required
def order_file(request: AuthenticatedHttpRequest, order_id: int) -> FileResponse:
    """The unit's rectification file, to whoever may see the order (404 for everybody else)."""
    order = access.access_order_by_id(request.user, order_id)
    if not order.report_file:
        raise Http404
    extension = "." + order.report_file.name.rsplit(".", 1)[-1].lower()
    content_type = next(
        (kind.content_type for kind in files.ALLOWED if extension in kind.extensions),
        "application/octet-stream",
    )
    return _file_response(
        order.report_file.name,
        filename=order.report_file_name or f"整改材料{extension}",
        content_type=content_type,
        attachment=True,
    )


@login_required
@require_POST
def order_decide(request: AuthenticatedHttpRequest, order_id: int) -> HttpResponse:
    order = access.access_order_by_id(request.user, order_id, for_change=True)
    if not can_manage_title(request.user, order.title):
        raise PermissionDenied
    form = OrderDecisionForm(request.POST)
    if form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == "accept":
                services.accept_rectification(by=request.user, order=order, note=note)
            else:
                services.reject_rectification(by=request.user, order=order, note=note)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if decision == "accept":
                messages.success(request, _("已验收合格，称号恢复有效。"))
            else:
                messages.success(request, _("已判定整改不合格，并提出撤销建议。"))
            return redirect("supervision:order_detail", order_id=order.pk)
    context = _order_context(request, order, decision_form=form)
    return render(request, "supervision/order_detail.html", context, status=400)


# --- revocation proposals ---------------------------------------------------------------------------------------


@login_required
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    proposals = access.visible_proposals(request.user)
    waiting = proposals.filter(status=RevocationProposal.Status.PROPOSED).count()
    context = {"page_obj": paginate(request, proposals), "waiting": waiting}
    return render(request, "supervision/proposal_list.html", context)


def _proposal_context(
    request: AuthenticatedHttpRequest,
    proposal: RevocationProposal,
    form: RevocationDecisionForm | None = None,
) -> dict[str, Any]:
    can_decide = can_manage_title(request.user, proposal.title)
    return {
        "proposal": proposal,
        "title": proposal.title,
        "events": list(proposal.title.events.select_related("by")),
        "can_decide": can_decide and proposal.status == RevocationProposal.Status.PROPOSED,
        "form": form or RevocationDecisionForm(initial={"reason": proposal.reason}),
    }


@login_required
def proposal_detail(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal_by_id(request.user, proposal_id)
    return render(request, "supervision/proposal_detail.html", _proposal_context(request, proposal))


@login_required
@require_POST
def proposal_decide(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.access_proposal_by_id(request.user, proposal_id, for_change=True)
    form = RevocationDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        revoke = data["decision"] == "revoke"
        try:
            services.decide_revocation(
                by=request.user,
                proposal=proposal,
                revoke=revoke,
                document_number=data["document_number"],
                note=data["note"],
                reason=data["reason"] or None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("称号已撤销。") if revoke else _("已决定不予撤销。"))
            return redirect("supervision:proposal_detail", proposal_id=proposal.pk)
    return render(
        request, "supervision/proposal_detail.html", _proposal_context(request, proposal, form), status=400
    )


# --- one title's supervision --------------------------------------------------------------------------------------


def _title_context(request: AuthenticatedHttpRequest, title: Title, **forms: Any) -> dict[str, Any]:
    can_manage = can_manage_title(request.user, title)
    proposals = access.visible_proposals(request.user).filter(title=title)
    return {
        "title": title,
        "orders": list(selectors.orders_of_title(request.user, title)),
        "proposals": list(proposals),
        "events": list(title.events.select_related("by")),
        "can_manage": can_manage,
        "in_force": title.status in IN_FORCE,
        "order_form": forms.get("order_form") or OrderForm(),
        "proposal_form": forms.get("proposal_form") or ProposalForm(),
    }


@login_required
def title_supervision(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    """One title's orders, proposals and status history, with the forms to issue an order or propose revocation."""
    title = access_title_by_id(request.user, title_id)
    return render(request, "supervision/title_supervision.html", _title_context(request, title))


@login_required
@require_POST
def title_issue_order(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    title = access_title_by_id(request.user, title_id, for_change=True)
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            order = services.issue_order(
                by=request.user, title=title, requirements=form.cleaned_data["requirements"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已下达整改通知 %(number)s。") % {"number": order.number})
            return redirect("supervision:order_detail", order_id=order.pk)
    context = _title_context(request, title, order_form=form)
    return render(request, "supervision/title_supervision.html", context, status=400)


@login_required
@require_POST
def title_propose(request: AuthenticatedHttpRequest, title_id: int) -> HttpResponse:
    title = access_title_by_id(request.user, title_id, for_change=True)
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = services.propose_revocation(
                by=request.user, title=title, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已提出撤销建议，待决定。"))
            return redirect("supervision:proposal_detail", proposal_id=proposal.pk)
    context = _title_context(request, title, proposal_form=form)
    return render(request, "supervision/title_supervision.html", context, status=400)
