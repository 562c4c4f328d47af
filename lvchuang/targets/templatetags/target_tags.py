"""Small pieces of the dashboard tables as tags: a status badge, a milestone, the expected figure. Tags rather
than `{% include %}` in loops, which cost a template context per row on a province's dashboard."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lvchuang.lib.progress import Milestone, Progress
from lvchuang.targets.coverage import status_label
from lvchuang.targets.exports import milestone_text

register = template.Library()

BADGES = {"met": "badge-ok", "on_track": "badge-draft", "behind": "badge-missing", "missed": "badge-failed"}


@register.simple_tag
def status_badge(judged: Progress | None) -> SafeString:
    if not judged:  # None, or "" where the template looked through a missing progress
        return format_html('<span class="muted" title="{}">—</span>', _("无可判断的阶段目标"))
    return format_html('<span class="badge {}">{}</span>', BADGES[judged.status.value], status_label(judged))


@register.simple_tag
def milestone(step: Milestone | None) -> SafeString:
    if not step:
        return format_html('<span class="muted">{}</span>', _("未设阶段目标"))
    return format_html("{}", milestone_text(step))


@register.simple_tag
def expected(judged: Progress | None) -> str:
    if not judged:
        return "—"
    parts = []
    if judged.expected_share is not None:
        parts.append(f"{judged.expected_share}%")
    if judged.expected_count is not None:
        parts.append(_("%(n)s 个") % {"n": judged.expected_count})
    return " + ".join(parts)


@register.filter
def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"
