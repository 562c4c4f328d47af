from __future__ import annotations

from django import template
from django.utils.functional import Promise

from lvchuang.organisations.models import Unit
from lvchuang.organisations.selectors import missing_facts as _missing_facts

register = template.Library()


@register.filter
def missing_facts(unit: Unit) -> list[str | Promise]:
    """`{% for label in unit|missing_facts %}`: the basic facts the unit still lacks."""
    return _missing_facts(unit)
