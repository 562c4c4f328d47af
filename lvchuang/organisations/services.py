"""Writes to units, offices, departments and governing bodies. Each is one transaction; auditlog records it."""

from __future__ import annotations

from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvchuang.accounts import access
from lvchuang.accounts.models import User
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody, Office, Unit
from lvchuang.regions.models import Region

# Fields unit staff may keep up to date themselves; classification stays with the offices.
UNIT_FACT_FIELDS = (
    "floor_area",
    "energy_headcount",
    "household_count",
    "green_family_count",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "credit_code",
)
UNIT_CLASSIFICATION_FIELDS = (
    "name",
    "kind",
    "region",
    "sector",
    "organ_type",
    "organ_level",
    "institution_type",
    "is_active",
)


def _require_region_manager(by: User | None, region: Region) -> None:
    # `by=None` is the system itself (data loading, management commands), as in accounts.services.
    if by is not None and not access.can_manage_organisations_in(by, region):
        raise PermissionDenied(_("您无权管理该行政区的单位与机构。"))


@transaction.atomic
def create_unit(*, by: User | None, region: Region, name: str, kind: str, **facts: Any) -> Unit:
    _require_region_manager(by, region)
    unit = Unit(region=region, name=name, kind=kind, **facts)
    if unit.sector is not None and not unit.sector.is_sector_authority:
        raise ValidationError({"sector": _("所选部门不是主管部门。")})
    unit.full_clean()
    with set_actor(by):
        unit.save()
    return unit


@transaction.atomic
def update_unit(*, by: User, unit: Unit, changes: dict[str, Any]) -> Unit:
    """Apply `changes` to a unit the user may change. Unit staff may change only the basic facts."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not access.can_change_unit(by, unit):
        raise PermissionDenied(_("您无权修改该单位。"))
    unknown = set(changes) - set(UNIT_FACT_FIELDS) - set(UNIT_CLASSIFICATION_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    classification = set(changes) & set(UNIT_CLASSIFICATION_FIELDS)
    if classification and not access.can_manage_organisations_in(by, unit.region):
        raise PermissionDenied(_("单位的名称、类别和所属关系由创建办维护。"))
    if "region" in changes:
        _require_region_manager(by, changes["region"])
    for name, value in changes.items():
        setattr(unit, name, value)
    if unit.sector is not None and not unit.sector.is_sector_authority:
        raise ValidationError({"sector": _("所选部门不是主管部门。")})
    unit.full_clean()
    with set_actor(by):
        unit.save()
    return unit


@transaction.atomic
def create_department(
    *, by: User | None, region: Region, name: str, is_sector_authority: bool = False
) -> Department:
    _require_region_manager(by, region)
    department = Department(region=region, name=name, is_sector_authority=is_sector_authority)
    department.full_clean()
    with set_actor(by):
        department.save()
    return department


@transaction.atomic
def create_office(
    *,
    by: User | None,
    region: Region,
    name: str,
    host_department: Department | None = None,
    phone: str = "",
    address: str = "",
) -> Office:
    _require_region_manager(by, region)
    office = Office(region=region, name=name, host_department=host_department, phone=phone, address=address)
    office.full_clean()
    with set_actor(by):
        office.save()
    return office


@transaction.atomic
def create_body(
    *,
    by: User | None,
    region: Region,
    name: str,
    kind: str,
    office: Office | None,
    members: list[Department],
    lead: Department,
) -> GoverningBody:
    """A leadership group, committee or joint meeting with its member departments, one of them the lead."""
    _require_region_manager(by, region)
    if lead not in members:
        raise ValidationError({"lead": _("牵头单位必须是成员单位之一。")})
    body = GoverningBody(region=region, name=name, kind=kind, office=office)
    body.full_clean()
    with set_actor(by):
        body.save()
        for department in members:
            BodyMembership.objects.create(body=body, department=department, is_lead=department == lead)
    return body
