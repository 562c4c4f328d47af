"""Points as a clerk writes them (86.50 → 86.5, 10.00 → 10) and file sizes, for the self-assessment templates."""

from __future__ import annotations

from decimal import Decimal

from django import template

from lvchuang.assessments.files import ALLOWED_EXTENSIONS, LABELS
from lvchuang.assessments.services import human_size
from lvchuang.standards.document import format_points

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    return "—" if value is None else format_points(value)


@register.filter
def filesize(value: int) -> str:
    return human_size(value)


@register.filter
def filetype(content_type: str) -> str:
    return LABELS.get(content_type, content_type)


@register.simple_tag
def evidence_accept() -> str:
    """The file picker's `accept`: the extensions `assessments.files` allows."""
    return ",".join(ALLOWED_EXTENSIONS)
