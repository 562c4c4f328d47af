"""Naming pages: the decision on a closed notice, the decision with its titles, awards and filing, the award
payments and the filings of the user's offices.

Every object is reached through `naming.access` (404 outside; 403 where the user may only read). Views parse
input, call one service and render; a refusal is said in words beside the form, which keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.assessments.views import _file_response
from lvchuang.naming import access, exports, services
from lvchuang.naming.forms import AwardFilterForm, CancelPaymentForm, DecisionForm, FilingForm, PaymentForm
from lvchuang.naming.models import AwardPayment, Filing, NamingDecision
from lvchuang.notices import access as notices_access
from lvchuang.standards.access import own_office_ids
from lvchuang.titles.models import Title
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate


def _flash_errors(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(request: AuthenticatedHttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


# --- decisions ---------------------------------------------------------------------------------------------


@login_required
def decision_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """命名: the decisions within sight, and the closed notices of the user's campaigns awaiting one."""
    context = {
        "awaiting": list(access.notices_awaiting_naming(request.user)),
        "page_obj": paginate(request, access.visible_decisions(request.user)),
    }
    return render(request, "naming/decision_list.html", context)


@login_required
def decide(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    """The naming decision on a closed notice; the page says why it cannot be taken when it cannot."""
    notice = notices_access.access_notice_by_id(request.user, notice_id, for_change=True)
    refusal = services.naming_refusal(notice)
    campaign = notice.campaign
    form = DecisionForm(
        request.POST or None,
        initial={"decided_on": timezone.localdate(), "issuer": campaign.office.name},
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            decision = services.name_units(by=request.user, notice=notice, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已命名 %(count)d 个单位，证书编号已生成，备案截止 %(due)s。")
                % {
                    "count": decision.notice.entries.filter(title_record__isnull=False).count(),
                    "due": decision.filing.due_on,
                },
            )
            return redirect("naming:decision_detail", decision_id=decision.pk)
    listed = notice.entries.filter(status="listed").select_related("unit__region").order_by("rank", "pk")
    context = {
        "notice": notice,
        "campaign": campaign,
        "program": campaign.program,
        "refusal": refusal,
        "form": form,
        "listed": list(listed),
        "demonstrations": sum(1 for entry in listed if entry.is_demonstration),
    }
    return render(request, "naming/decide.html", context)


def _decision_titles(decision: NamingDecision) -> list[Title]:
    return list(access.titles_of(decision))


@login_required
def decision_detail(request: AuthenticatedHttpRequest, decision_id: int) -> HttpResponse:
    decision = access.access_decision_by_id(request.user, decision_id)
    filing: Filing | None = getattr(decision, "filing", None)
    today = timezone.localdate()
    awards = list(decision.awards.select_related("title__unit").order_by("title__unit__name", "payer"))
    context = {
        "decision": decision,
        "campaign": decision.notice.campaign,
        "titles": _decision_titles(decision),
        "awards": awards,
        "award_total": sum(a.amount for a in awards if a.status != AwardPayment.Status.CANCELLED),
        "filing": filing,
        "overdue": filing is not None and services.is_overdue(filing, today),
        "can_run": access.can_run_decision(request.user, decision),
        "can_acknowledge": filing is not None and access.can_acknowledge(request.user, filing),
        "payment_form": PaymentForm(initial={"paid_on": today}),
        "cancel_form": CancelPaymentForm(),
        "filing_form": FilingForm(initial={"filed_on": today}),
    }
    return render(request, "naming/decision_detail.html", context)


@login_required
def named_list_csv(request: AuthenticatedHttpRequest, decision_id: int) -> HttpResponse:
    named = exports.named_list_of(access.access_decision_by_id(request.user, decision_id))
    response = HttpResponse(exports.csv_of(named), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = exports.disposition(named, "csv")
    return response


@login_required
def named_list_xlsx(request: AuthenticatedHttpRequest, decision_id: int) -> HttpResponse:
    named = exports.named_list_of(access.access_decision_by_id(request.user, decision_id))
    response = HttpResponse(exports.xlsx_of(named), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exports.disposition(named, "xlsx")
    return response


# --- award payments ----------------------------------------------------------------------------------------


@login_required
def award_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """奖励拨付: payments within sight, filtered by payer, status and year, with the totals per payer."""
    payments = access.visible_award_payments(request.user)
    form = AwardFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["payer"]:
            payments = payments.filter(payer=data["payer"])
        if data["status"]:
            payments = payments.filter(status=data["status"])
        if data["year"]:
            payments = payments.filter(title__year=data["year"])
    totals = (
        payments.order_by()
        .values("payer")
        .annotate(
            count=Count("pk"),
            due=Sum("amount", filter=Q(status=AwardPayment.Status.PENDING), default=0),
            paid=Sum("amount", filter=Q(status=AwardPayment.Status.PAID), default=0),
        )
        .order_by("payer")
    )
    payers = (
        access.visible_award_payments(request.user)
        .order_by("payer")
        .values_list("payer", flat=True)
        .distinct()
    )
    context = {
        "form": form,
        "page_obj": paginate(
            request, payments.order_by("status", "-decision__decided_on", "title__unit__name")
        ),
        "totals": list(totals),
        "payers": list(payers),
    }
    return render(request, "naming/award_list.html", context)


def _back_to_decision(payment: AwardPayment) -> HttpResponse:
    return redirect("naming:decision_detail", decision_id=payment.decision_id)


@login_required
@require_POST
def award_pay(request: AuthenticatedHttpRequest, payment_id: int) -> HttpResponse:
    payment = access.access_award_payment_by_id(request.user, payment_id, for_change=True)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(by=request.user, payment=payment, **form.cleaned_data)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("已登记拨付：%(payment)s。") % {"payment": payment})
    else:
        _form_errors(request, form)
    return _back_to_decision(payment)


@login_required
@require_POST
def award_cancel(request: AuthenticatedHttpRequest, payment_id: int) -> HttpResponse:
    payment = access.access_award_payment_by_id(request.user, payment_id, for_change=True)
    form = CancelPaymentForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_payment(by=request.user, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("已取消这笔奖励。"))
    else:
        _form_errors(request, form)
    return _back_to_decision(payment)


# --- filings -----------------------------------------------------------------------------------------------


@login_required
def filing_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """备案: filings made to the user's offices, and the filings sent from within the user's jurisdiction."""
    filings = access.visible_filings(request.user)
    offices = own_office_ids(request.user)
    received = filings.filter(to_office_id__in=offices)
    sent = filings.exclude(to_office_id__in=offices) if offices else filings
    today = timezone.localdate()
    context = {
        "received": [(f, services.is_overdue(f, today)) for f in received],
        "sent": [(f, services.is_overdue(f, today)) for f in sent],
        "overdue_count": services.overdue_filings(filings, today=today).count(),
        "today": today,
    }
    return render(request, "naming/filing_list.html", context)


@login_required
@require_POST
def filing_file(request: AuthenticatedHttpRequest, filing_id: int) -> HttpResponse:
    filing = access.access_filing_by_id(request.user, filing_id)
    form = FilingForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.file_filing(by=request.user, filing=filing, **form.cleaned_data)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("已报送备案。"))
    else:
        _form_errors(request, form)
    return redirect("naming:decision_detail", decision_id=filing.decision_id)


@login_required
@require_POST
def filing_acknowledge(request: AuthenticatedHttpRequest, filing_id: int) -> HttpResponse:
    filing = access.access_filing_by_id(request.user, filing_id)
    try:
        services.acknowledge_filing(by=request.user, filing=filing)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("已确认收到备案。"))
    return redirect("naming:decision_detail", decision_id=filing.decision_id)


@login_required
def filing_materials(request: AuthenticatedHttpRequest, filing_id: int) -> FileResponse:
    filing = access.access_filing_by_id(request.user, filing_id)
    if not filing.materials:
        raise Http404
    return _file_response(
        filing.materials.name,
        filename=filing.materials_name or "materials",
        content_type="application/octet-stream",
        attachment=True,
    )
