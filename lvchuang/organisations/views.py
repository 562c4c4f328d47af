"""Pages for units, offices, departments and governing bodies. Every object comes through `access`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lvchuang.accounts import access
from lvchuang.accounts.models import Role
from lvchuang.audit.selectors import present_entries
from lvchuang.organisations import services
from lvchuang.organisations.forms import UnitFilterForm, UnitForm
from lvchuang.organisations.models import Unit
from lvchuang.organisations.selectors import bodies_of_department, count_subquery, missing_facts
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate, render_with_partial

# --- units --------------------------------------------------------------------------------------------------


@login_required
def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None, user=request.user)
    units = form.apply(access.visible_units(request.user)).select_related("region", "sector")
    context = {
        "form": form,
        "page_obj": paginate(request, units.order_by("region__code", "name")),
        "can_create": _can_create_units(request),
    }
    return render_with_partial(
        request, "organisations/unit_list.html", "organisations/_unit_results.html", context
    )


@login_required
def unit_detail(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = access.access_unit_by_id(request.user, unit_id)
    can_change = access.can_change_unit(request.user, unit)
    context = {"unit": unit, "missing": missing_facts(unit), "can_change": can_change}
    return render(request, "organisations/unit_detail.html", context)


def _editable_fields(request: AuthenticatedHttpRequest, unit: Unit) -> tuple[str, ...]:
    if access.can_manage_organisations_in(request.user, unit.region):
        return (*services.UNIT_CLASSIFICATION_FIELDS, *services.UNIT_FACT_FIELDS)
    return services.UNIT_FACT_FIELDS


@login_required
def unit_edit(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = access.access_unit_by_id(request.user, unit_id, for_change=True)
    editable = _editable_fields(request, unit)
    before = {name: getattr(unit, name) for name in editable}
    form = UnitForm(request.POST or None, instance=unit, user=request.user, editable=editable)
    if request.method == "POST" and form.is_valid():
        changes = form.changes(before)
        if not changes:
            messages.info(request, _("没有修改任何内容。"))
            return redirect("organisations:unit_detail", unit_id=unit.pk)
        try:
            services.update_unit(by=request.user, unit=unit, changes=changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已保存“%(name)s”的修改。如有误，可在修改记录中查看原值并改回。")
                % {"name": changes.get("name", unit.name)},
            )
            return redirect("organisations:unit_detail", unit_id=unit.pk)
    classification = [form[name] for name in services.UNIT_CLASSIFICATION_FIELDS if name in form.fields]
    facts = [form[name] for name in services.UNIT_FACT_FIELDS if name in form.fields]
    context = {"form": form, "unit": unit, "classification": classification, "facts": facts}
    return render(request, "organisations/unit_form.html", context)


def _can_create_units(request: AuthenticatedHttpRequest) -> bool:
    jurisdiction = access.jurisdiction_of(request.user)
    return jurisdiction.is_admin or bool(jurisdiction.managed_paths)


@login_required
def unit_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not _can_create_units(request):
        raise PermissionDenied(_("只有创建办可以新建单位。"))
    editable = tuple(name for name in services.UNIT_CLASSIFICATION_FIELDS if name != "is_active")
    editable += services.UNIT_FACT_FIELDS
    form = UnitForm(request.POST or None, user=request.user, editable=editable)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = dict(form.cleaned_data)
        try:
            unit = services.create_unit(
                by=request.user,
                region=data.pop("region"),
                name=data.pop("name"),
                kind=data.pop("kind"),
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已新建单位“%(name)s”。") % {"name": unit.name})
            return redirect("organisations:unit_detail", unit_id=unit.pk)
    classification = [form[name] for name in services.UNIT_CLASSIFICATION_FIELDS if name in form.fields]
    facts = [form[name] for name in services.UNIT_FACT_FIELDS if name in form.fields]
    context = {"form": form, "unit": None, "classification": classification, "facts": facts}
    return render(request, "organisations/unit_form.html", context)


@login_required
def unit_history(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = access.access_unit_by_id(request.user, unit_id)
    entries = access.unit_history(request.user, unit).select_related("actor", "content_type")
    page = paginate(request, entries.order_by("-timestamp", "-pk"))
    context = {"unit": unit, "page_obj": page, "entries": present_entries(page.object_list)}
    return render(request, "organisations/unit_history.html", context)


# --- offices ------------------------------------------------------------------------------------------------


@login_required
def office_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = access.visible_offices(request.user).select_related("region", "host_department")
    page = paginate(request, offices.order_by("region__code", "name"))
    return render(request, "organisations/office_list.html", {"page_obj": page})


@login_required
def office_detail(request: AuthenticatedHttpRequest, office_id: int) -> HttpResponse:
    office = access.access_office_by_id(request.user, office_id)
    context = {
        "office": office,
        "bodies": access.visible_bodies(request.user).filter(office=office).order_by("name"),
        "staff": access.visible_role_assignments(request.user)
        .filter(office=office)
        .select_related("user")
        .order_by("user__username"),
    }
    return render(request, "organisations/office_detail.html", context)


# --- departments --------------------------------------------------------------------------------------------


@login_required
def department_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = access.visible_units(request.user).filter(sector_id=OuterRef("pk"))
    departments = (
        access.visible_departments(request.user)
        .select_related("region")
        .annotate(unit_count=count_subquery(units))
        .order_by("region__code", "-is_sector_authority", "name")
    )
    return render(request, "organisations/department_list.html", {"page_obj": paginate(request, departments)})


@login_required
def department_detail(request: AuthenticatedHttpRequest, department_id: int) -> HttpResponse:
    department = access.access_department_by_id(request.user, department_id)
    units = access.visible_units(request.user).filter(sector=department).select_related("region")
    context = {
        "department": department,
        "page_obj": paginate(request, units.order_by("region__code", "name")),
        "bodies": bodies_of_department(request.user, department),
        "staff": access.visible_role_assignments(request.user)
        .filter(department=department, role=Role.SECTOR_STAFF)
        .select_related("user")
        .order_by("user__username"),
    }
    return render(request, "organisations/department_detail.html", context)


# --- governing bodies ---------------------------------------------------------------------------------------


@login_required
def body_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    bodies = (
        access.visible_bodies(request.user)
        .select_related("region", "office")
        .annotate(member_count=Count("members"))
        .order_by("region__code", "name")
    )
    return render(request, "organisations/body_list.html", {"page_obj": paginate(request, bodies)})


@login_required
def body_detail(request: AuthenticatedHttpRequest, body_id: int) -> HttpResponse:
    body = access.access_body_by_id(request.user, body_id)
    memberships = body.bodymembership_set.select_related("department").order_by(
        "-is_lead", "department__name"
    )
    context = {"body": body, "memberships": memberships}
    return render(request, "organisations/body_detail.html", context)
