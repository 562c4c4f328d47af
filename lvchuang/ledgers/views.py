"""The unit's ledger pages: the user's entry, the units in scope, each unit's year (basic information, the month
sheet, indicators against the target, charts, meters, data rooms, heating, garbage, open flags) and the forms
that write them.

Every unit is reached through `selectors.access_ledger_unit`: 404 outside the user's jurisdiction and for units
that keep no ledger, 403 on a form or a POST for a user who may only read the unit. Views parse input, call one
service or selector and render.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.accounts.access import jurisdiction_of
from lvchuang.ledgers import indicators, quality, selectors, services, unit_charts
from lvchuang.ledgers.forms import (
    BasicInfoForm,
    DataRoomForm,
    GarbageFilterForm,
    GarbageForm,
    HeatingForm,
    MeterForm,
    MeterReadingsForm,
    MonthSheetForm,
    UnitFilterForm,
    YearBasisForm,
)
from lvchuang.ledgers.models import Basis, DataRoom, GarbageRemoval, Meter
from lvchuang.organisations.models import Unit
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate

RECENT_GARBAGE = 10
FLAGS_SHOWN = 20


def _today() -> datetime.date:
    return timezone.localdate()


def _check_year(year: int) -> int:
    if not selectors.FIRST_YEAR <= year <= selectors.LAST_YEAR:
        raise Http404
    return year


def _unit_url(unit: Unit, year: int) -> str:
    return reverse("ledgers:unit_detail", args=[unit.pk]) + f"?year={year}"


def _page(unit: Unit, year: int, can_change: bool, current: str, **context: Any) -> dict[str, Any]:
    """What every unit page shares: its header, year and tabs (`ledgers/_unit_header.html`)."""
    return {"unit": unit, "year": year, "can_change": can_change, "current": current, **context}


# --- entry and list --------------------------------------------------------------------------------------------


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """台账: a unit's clerk goes straight to their unit; offices and sector departments see their units in
    scope and the ledger pages of their level."""
    jurisdiction = jurisdiction_of(request.user)
    units = selectors.ledger_units(request.user)
    oversees = jurisdiction.is_admin or bool(jurisdiction.all_paths or jurisdiction.sector_ids)
    if not oversees:
        own = list(units.select_related("region").order_by("name", "pk")[:21])
        if len(own) == 1:
            return redirect("ledgers:unit_detail", unit_id=own[0].pk)
        context = {"oversees": False, "own_units": own, "has_unit": bool(jurisdiction.own_unit_ids)}
        return render(request, "ledgers/overview.html", context)
    year = _today().year
    context = {
        "oversees": True,
        "unit_count": units.count(),
        "reporting_count": selectors.units_reporting(units, year),
        "open_flags": quality.open_flag_count(units),
        "year": year,
        "can_import": jurisdiction.is_admin or bool(jurisdiction.managed_paths),
        "is_admin": jurisdiction.is_admin,
    }
    return render(request, "ledgers/overview.html", context)


@login_required
def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """单位台账: the units in scope that keep ledgers, with their latest year, the months reported this year and
    their open quality flags."""
    units = selectors.ledger_units(request.user)
    form = UnitFilterForm(request.GET or None, regions=selectors.filter_regions(units))
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year") or _today().year
    region = filters.get("region")
    chosen = selectors.filter_units(
        units,
        region_path=region.path if region is not None else "",
        institution_type=filters.get("institution_type", ""),
        name=(filters.get("name") or "").strip(),
    )
    page_obj = paginate(request, selectors.unit_rows(chosen, year).order_by("region__path", "name", "pk"))
    return render(request, "ledgers/unit_list.html", {"form": form, "page_obj": page_obj, "year": year})


# --- a unit's year ---------------------------------------------------------------------------------------------


@login_required
def unit_detail(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    """A unit's ledger of one year (`?year=`, `?basis=equivalent|equal_value`)."""
    unit = selectors.access_ledger_unit(request.user, unit_id)
    query = YearBasisForm(request.GET)
    if not query.is_valid():
        raise BadRequest(_("年份或折算口径有误。"))
    years = selectors.unit_years(unit)
    year: int = query.cleaned_data["year"] or selectors.default_year(years, _today())
    basis: str = query.cleaned_data["basis"] or Basis.EQUIVALENT
    shown_years = sorted(set(years) | {year - 1, year})
    by_year = indicators.unit_indicators(unit, shown_years, basis=basis)
    monthly = indicators.monthly_energy(unit, year, basis=basis)
    monthly_before = indicators.monthly_energy(unit, year - 1, basis=basis)
    trend_years = [y for y in shown_years if by_year[y].units]
    sheet = selectors.month_sheet(unit, year)
    context = _page(
        unit,
        year,
        selectors.can_change_ledger(request.user, unit),
        "detail",
        years=years,
        basis=basis,
        bases=Basis.choices,
        info=selectors.basic_info(unit, year),
        sheet=sheet,
        lines=selectors.indicator_lines(by_year[year], by_year[year - 1]),
        target_check=indicators.target_check(unit, year),
        monthly_chart=unit_charts.monthly_chart(year, monthly, monthly_before),
        trend_chart=unit_charts.trend_chart(
            {y: by_year[y].area_energy for y in trend_years},
            {y: by_year[y].per_capita_water for y in trend_years},
        ),
        meters=list(selectors.meters_with_totals(unit, year)),
        data_rooms=selectors.data_rooms(unit, year),
        heating=selectors.heating(unit, year),
        garbage=list(selectors.garbage_removals(unit)[:RECENT_GARBAGE]),
        flags=list(selectors.open_flags(unit)[: FLAGS_SHOWN + 1]),
        flags_shown=FLAGS_SHOWN,
        sources=selectors.coefficients_used(unit, sheet, basis),
    )
    return render(request, "ledgers/unit_detail.html", context)


@login_required
def basic_info_edit(request: AuthenticatedHttpRequest, unit_id: int, year: int) -> HttpResponse:
    """基本信息表 of a year; a year not yet filled starts from the year before (or the unit's record)."""
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=True)
    _check_year(year)
    info = selectors.basic_info(unit, year)
    initial = selectors.basic_info_prefill(unit, year) if info is None else None
    form = BasicInfoForm(request.POST or None, instance=info, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_basic_info(
                by=request.user,
                unit=unit,
                year=year,
                institution_type=data["institution_type"],
                floor_area=data["floor_area"],
                headcount=data["headcount"],
                heated_area=data["heated_area"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(year)s 年基本信息已保存。") % {"year": year})
            return redirect(_unit_url(unit, year))
    status = 400 if request.method == "POST" else 200
    context = _page(unit, year, True, "info", form=form, prefilled=info is None)
    return render(request, "ledgers/unit_basic_info.html", context, status=status)


@login_required
def monthly_edit(request: AuthenticatedHttpRequest, unit_id: int, year: int) -> HttpResponse:
    """月度填报: the year's 12 months × energy types and water in one form. A blank cell deletes the month's
    figure; a form with any bad cell writes nothing and comes back as typed, each error beside its cell."""
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=True)
    _check_year(year)
    sheet = selectors.month_sheet(unit, year)
    form = MonthSheetForm(request.POST or None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.save_month_sheet(by=request.user, unit=unit, year=year, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("已保存，%(n)s 项有变动。") % {"n": changed})
            else:
                messages.info(request, _("没有变动。"))
            return redirect(_unit_url(unit, year))
    status = 400 if request.method == "POST" else 200
    context = _page(unit, year, True, "monthly", form=form, sheet=sheet)
    return render(request, "ledgers/unit_monthly.html", context, status=status)


@login_required
def data_rooms(request: AuthenticatedHttpRequest, unit_id: int, year: int) -> HttpResponse:
    """数据中心机房表 of a year, with a form to add a room."""
    for_change = request.method == "POST"
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=for_change)
    _check_year(year)
    can_change = for_change or selectors.can_change_ledger(request.user, unit)
    form = DataRoomForm(request.POST or None) if can_change else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_data_room(
                by=request.user,
                unit=unit,
                year=year,
                name=data["name"],
                area=data["area"],
                racks=data["racks"],
                it_load_kw=data["it_load_kw"],
                electricity_kwh=data["electricity_kwh"],
                pue=data["pue"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("机房已添加。"))
            return redirect("ledgers:data_rooms", unit_id=unit.pk, year=year)
    status = 400 if request.method == "POST" else 200
    context = _page(unit, year, can_change, "data_rooms", rooms=selectors.data_rooms(unit, year), form=form)
    return render(request, "ledgers/unit_data_rooms.html", context, status=status)


@login_required
@require_POST
def data_room_delete(
    request: AuthenticatedHttpRequest, unit_id: int, year: int, room_id: int
) -> HttpResponse:
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=True)
    room = get_object_or_404(DataRoom, unit=unit, year=year, pk=room_id)
    services.delete_data_room(by=request.user, room=room)
    messages.success(request, _("机房“%(name)s”已删除。") % {"name": room.name})
    return redirect("ledgers:data_rooms", unit_id=unit.pk, year=year)


@login_required
def heating_edit(request: AuthenticatedHttpRequest, unit_id: int, year: int) -> HttpResponse:
    """采暖表 of a year (one per year)."""
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=True)
    _check_year(year)
    current = selectors.heating(unit, year)
    form = HeatingForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_heating(
                by=request.user,
                unit=unit,
                year=year,
                mode=data["mode"],
                heated_area=data["heated_area"],
                heat_gj=data["heat_gj"],
                billed_by_heat=data["billed_by_heat"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(year)s 年采暖情况已保存。") % {"year": year})
            return redirect(_unit_url(unit, year))
    status = 400 if request.method == "POST" else 200
    context = _page(unit, year, True, "heating", form=form)
    return render(request, "ledgers/unit_heating.html", context, status=status)


# --- meters ----------------------------------------------------------------------------------------------------


def _meter_year(request: AuthenticatedHttpRequest) -> int:
    query = YearBasisForm(request.GET)
    if not query.is_valid():
        raise BadRequest(_("年份有误。"))
    year: int | None = query.cleaned_data["year"]
    return year or _today().year


@login_required
def meter_list(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    """计量器具: the unit's meters with their readings of a year (`?year=`), and a form to add one."""
    for_change = request.method == "POST"
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=for_change)
    year = _meter_year(request)
    can_change = for_change or selectors.can_change_ledger(request.user, unit)
    form = MeterForm(request.POST or None) if can_change else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meter = services.create_meter(
                by=request.user,
                unit=unit,
                number=data["number"],
                name=data["name"],
                scope=data["scope"],
                purpose=data["purpose"],
                carrier=data["carrier"],
                location=data["location"],
                installed_on=data["installed_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("计量器具“%(number)s”已添加。") % {"number": meter.number})
            return redirect("ledgers:meter_list", unit_id=unit.pk)
    status = 400 if request.method == "POST" else 200
    meters = list(selectors.meters_with_totals(unit, year))
    context = _page(unit, year, can_change, "meters", meters=meters, form=form)
    return render(request, "ledgers/meter_list.html", context, status=status)


@login_required
def meter_edit(request: AuthenticatedHttpRequest, unit_id: int, meter_id: int) -> HttpResponse:
    """A meter's description; `active=0|1` takes it out of service or back (its readings stay)."""
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=True)
    meter = get_object_or_404(Meter, unit=unit, pk=meter_id)
    if request.method == "POST" and "active" in request.POST:
        meter = services.set_meter_active(by=request.user, meter=meter, active=request.POST["active"] == "1")
        messages.success(request, _("计量器具已启用。") if meter.is_active else _("计量器具已停用。"))
        return redirect("ledgers:meter_list", unit_id=unit.pk)
    form = MeterForm(request.POST or None, instance=meter)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meter(by=request.user, meter=meter, changes=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("计量器具已保存。"))
            return redirect("ledgers:meter_list", unit_id=unit.pk)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        meter.refresh_from_db()  # the form changed the instance while checking it; the heading shows the saved one
    context = _page(unit, _today().year, True, "meters", meter=meter, form=form)
    return render(request, "ledgers/meter_edit.html", context, status=status)


@login_required
def meter_readings(request: AuthenticatedHttpRequest, unit_id: int, meter_id: int, year: int) -> HttpResponse:
    """分项计量读数: twelve months of one meter; a blank month deletes its reading."""
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=True)
    _check_year(year)
    meter = get_object_or_404(Meter, unit=unit, pk=meter_id)
    initial = {f"m{month}": amount for month, amount in selectors.meter_readings(meter, year).items()}
    form = MeterReadingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.save_meter_readings(
                by=request.user, meter=meter, year=year, amounts=form.amounts()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("读数已保存，%(n)s 项有变动。") % {"n": changed})
            return redirect(reverse("ledgers:meter_list", args=[unit.pk]) + f"?year={year}")
    status = 400 if request.method == "POST" else 200
    total = sum((amount for amount in initial.values() if amount is not None), Decimal(0))
    context = _page(unit, year, True, "meters", meter=meter, form=form, total=total)
    return render(request, "ledgers/meter_readings.html", context, status=status)


# --- garbage ---------------------------------------------------------------------------------------------------


@login_required
def garbage_list(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    """清运台账: the unit's removals (`?year=`, `?category=`), totals by category, and a form to add one."""
    for_change = request.method == "POST"
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=for_change)
    query = GarbageFilterForm(request.GET)
    if not query.is_valid():
        raise BadRequest(_("年份或类别有误。"))
    year: int | None = query.cleaned_data["year"]
    category: str = query.cleaned_data["category"]
    can_change = for_change or selectors.can_change_ledger(request.user, unit)
    form = GarbageForm(request.POST or None, initial={"removed_on": _today()}) if can_change else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_garbage_removal(
                by=request.user,
                unit=unit,
                removed_on=data["removed_on"],
                category=data["category"],
                weight_kg=data["weight_kg"],
                hauler=data["hauler"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("清运记录已登记。"))
            return redirect(request.get_full_path())
    removals = selectors.garbage_removals(unit, year=year, category=category)
    status = 400 if request.method == "POST" else 200
    context = _page(
        unit,
        year or _today().year,
        can_change,
        "garbage",
        query=query,
        form=form,
        page_obj=paginate(request, removals),
        totals=selectors.garbage_totals(removals),
        garbage_years=selectors.garbage_years(unit),
        chosen_year=year,
        chosen_category=category,
        categories=GarbageRemoval.Category.choices,
    )
    return render(request, "ledgers/garbage_list.html", context, status=status)


@login_required
@require_POST
def garbage_delete(request: AuthenticatedHttpRequest, unit_id: int, removal_id: int) -> HttpResponse:
    """Undo a removal entered by mistake (the audit trail keeps it)."""
    unit = selectors.access_ledger_unit(request.user, unit_id, for_change=True)
    removal = get_object_or_404(GarbageRemoval, unit=unit, pk=removal_id)
    services.delete_garbage_removal(by=request.user, removal=removal)
    messages.success(request, _("清运记录已删除。"))
    return redirect("ledgers:garbage_list", unit_id=unit.pk)
