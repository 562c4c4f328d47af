"""Reads about units that several pages share: which basic facts a unit lacks, and counts without N+1."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, Field, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import Promise

from lvchuang.accounts import access
from lvchuang.accounts.models import User
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody, Unit

# The facts every later step needs: intensity indicators divide by floor area and headcount (seed 003), and an
# office cannot reach a unit without a contact.
BASIC_FACTS = ("floor_area", "energy_headcount", "contact_name", "contact_phone")


def _unit_field(name: str) -> Field[Any, Any]:
    field = Unit._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def missing_facts_q() -> Q:
    """Units lacking at least one basic fact."""
    q = Q(pk__in=[])
    for name in BASIC_FACTS:
        q |= Q(**{f"{name}__isnull": True}) if _unit_field(name).null else Q(**{name: ""})
    return q


def missing_facts(unit: Unit) -> list[str | Promise]:
    """The labels of the basic facts `unit` has not filled in, in form order."""
    return [_unit_field(name).verbose_name for name in BASIC_FACTS if getattr(unit, name) in (None, "")]


def count_subquery(queryset: QuerySet[Any]) -> Coalesce:
    """An annotation counting the rows of `queryset` (which filters on an `OuterRef`), 0 when there are none.

    One correlated subquery per row of the outer list, so a page of 50 regions costs one query, not 51.
    """
    counted = queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def units_in_subtree_count(units: QuerySet[Unit]) -> Coalesce:
    """For a list of regions: how many of `units` lie in each region's subtree."""
    return count_subquery(units.filter(region__path__startswith=OuterRef("path")))


def bodies_of_department(user: User, department: Department) -> QuerySet[GoverningBody]:
    """The visible bodies `department` is a member of, each annotated with `is_lead`."""
    lead = BodyMembership.objects.filter(body=OuterRef("pk"), department=department, is_lead=True)
    return (
        access.visible_bodies(user)
        .filter(bodymembership__department=department)
        .annotate(is_lead=Exists(lead))
        .select_related("region")
        .order_by("name")
    )
