"""Data-quality pages: the flags of the units in the user's scope (to correct, or to confirm as right), one flag
with its decision, the rules and intensity ranges (read by every role holder, changed by the administrator), and
重新检查 for a year (offices and the administrator).

Flags are reached through `quality.access_flag_by_id` (404 outside the scope, 403 for a decision on a unit the
user may only read). Views parse input, call one service and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lvchuang.ledgers import quality
from lvchuang.ledgers.models import IntensityRange, QualityRule
from lvchuang.ledgers.quality_forms import AcceptForm, FlagFilterForm, RangeForm, RecheckForm, RuleForm
from lvchuang.ledgers.selectors import can_change_ledger
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate


def _recheck_form(request: AuthenticatedHttpRequest) -> RecheckForm | None:
    if not quality.can_recheck(request.user):
        return None
    return RecheckForm(initial={"year": timezone.localdate().year - 1})


def _back(request: AuthenticatedHttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (its filters kept), if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
@require_http_methods(["GET", "POST"])
def flag_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """数据质量问题 of the units in scope (open ones first shown); POST runs 重新检查 for a year."""
    if request.method == "POST":
        return _recheck(request)
    form = FlagFilterForm(request.GET, user=request.user)
    flags = form.apply(quality.visible_flags(request.user)).select_related("unit__region", "closed_by")
    page_obj = paginate(request, flags.order_by("-year", "unit__name", "unit_id", "month", "rule", "key"))
    changeable = quality.changeable_unit_ids(request.user, (flag.unit_id for flag in page_obj))
    context: dict[str, Any] = {
        "form": form,
        "page_obj": page_obj,
        "changeable": changeable,
        "shown_status": form.shown_status,
        "recheck_form": _recheck_form(request),
        "accept_form": AcceptForm(),
    }
    return render(request, "ledgers/flag_list.html", context)


def _recheck(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not quality.can_recheck(request.user):
        raise PermissionDenied
    form = RecheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写要重新检查的年份（2000–2100）。"))
        return _back(request, reverse("ledgers:flag_list"))
    year = form.cleaned_data["year"]
    try:
        outcome = quality.recheck_scope(by=request.user, year=year)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(request, reverse("ledgers:flag_list"))
    if outcome.queued:
        messages.success(
            request,
            _("已开始重新检查 %(year)s 年 %(units)s 家单位的数据，稍后刷新本页查看结果。")
            % {"year": year, "units": outcome.units},
        )
    else:
        result = outcome.result or quality.RecheckResult()
        messages.success(
            request,
            _(
                "已重新检查 %(year)s 年 %(units)s 家单位：新发现 %(opened)s 个问题，%(resolved)s 个已更正，"
                "%(reopened)s 个再次出现。"
            )
            % {
                "year": year,
                "units": outcome.units,
                "opened": result.opened,
                "resolved": result.resolved,
                "reopened": result.reopened,
            },
        )
    return _back(request, f"{reverse('ledgers:flag_list')}?year={year}")


@login_required
@require_http_methods(["GET", "POST"])
def flag_action(request: AuthenticatedHttpRequest, flag_id: int) -> HttpResponse:
    """One flag: its problem, links to the data, and 确认无误 (with a note) or 重新打开."""
    flag = quality.access_flag_by_id(request.user, flag_id, for_change=request.method == "POST")
    action = request.POST.get("action", "")
    form = AcceptForm(request.POST if action == "accept" else None)
    problems: list[str] = []
    if request.method == "POST":
        here = reverse("ledgers:flag_action", args=[flag.pk])
        try:
            if action == "accept" and form.is_valid():
                quality.accept_flag(by=request.user, flag=flag, note=form.cleaned_data["note"])
                messages.success(request, _("已确认该数据无误。"))
                return _back(request, here)
            if action == "reopen":
                quality.reopen_flag(by=request.user, flag=flag)
                messages.success(request, _("问题已重新打开。"))
                return _back(request, here)
            if action not in ("accept", "reopen"):
                problems.append(_("未知的操作。"))
        except ValidationError as error:
            if action == "accept":
                add_service_errors(form, error)
            else:
                problems.extend(error.messages)
        flag.refresh_from_db()
    context = {
        "flag": flag,
        "form": form,
        "problems": problems,
        "can_change": can_change_ledger(request.user, flag.unit),
    }
    return render(
        request, "ledgers/flag_action.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def rule_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """数据质量规则: every rule with its thresholds and every intensity range."""
    if not quality.can_read_rules(request.user):
        raise PermissionDenied
    rules = [(rule, quality.describe_params(rule)) for rule in QualityRule.objects.order_by("code")]
    context = {
        "rules": rules,
        "ranges": IntensityRange.objects.order_by("institution_type", "indicator"),
        "can_edit": quality.can_edit_rules(request.user),
        "recheck_form": _recheck_form(request),
    }
    return render(request, "ledgers/rule_list.html", context)


def _admin_only(request: AuthenticatedHttpRequest) -> None:
    if not quality.can_edit_rules(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: AuthenticatedHttpRequest, rule_id: int) -> HttpResponse:
    _admin_only(request)
    rule = QualityRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    form = RuleForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            quality.update_rule(
                by=request.user,
                rule=rule,
                is_active=form.cleaned_data["is_active"],
                params=form.params(),
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("规则已保存。已有的问题在数据再次保存或“重新检查”后按新规则更新。"))
            return redirect("ledgers:rule_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "ledgers/rule_edit.html", {"rule": rule, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def range_edit(request: AuthenticatedHttpRequest, range_id: int) -> HttpResponse:
    """An intensity range; `range_id` 0 adds one for a type or indicator without a range."""
    _admin_only(request)
    existing = None
    if range_id:
        existing = IntensityRange.objects.filter(pk=range_id).first()
        if existing is None:
            raise Http404
    form = RangeForm(request.POST or None, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            if existing is None:
                quality.create_range(
                    by=request.user,
                    institution_type=form.cleaned_data["institution_type"],
                    indicator=form.cleaned_data["indicator"],
                    **form.changes(),
                )
            else:
                quality.update_range(by=request.user, intensity_range=existing, changes=form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("合理范围已保存。"))
            return redirect("ledgers:rule_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "ledgers/rule_range_edit.html", {"range": existing, "form": form}, status=status)
