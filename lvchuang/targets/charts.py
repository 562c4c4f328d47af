"""The dashboard's charts, drawn on the server by pygal as inline SVG: no script, no CDN (intranets have none).

pygal adds a small inline script with its configuration for its optional tooltips, and comments with the date;
both are removed, so the charts are plain SVG that scales with the page (`viewBox`, width 100%).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import pygal
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from lvchuang.lib.progress import Milestone
from lvchuang.targets.coverage import Row, TrendPoint
from lvchuang.targets.exports import row_label

STYLE = Style(
    font_family='"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    "sans-serif",
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#66717b",
    colors=("#1d5e3b", "#c77c02", "#b3261e", "#5b8def"),
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    value_font_size=11,
)
CHART_CACHE_SECONDS = 24 * 3600
_SCRIPT = re.compile(r"<script.*?</script>|<!--.*?-->", re.DOTALL)


def _config(**options: object) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 800,
        "height": 320,
        "range": (0, 100),
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": False,
        "value_formatter": lambda value: f"{value:.1f}%",
        **options,
    }


Series = list[tuple[str, list[float | None], dict[str, object]]]


def _inline(
    kind: type[pygal.graph.graph.Graph],
    label: str,
    options: dict[str, object],
    x_labels: list[str],
    series: Series,
) -> SafeString:
    """The chart as inline SVG. pygal takes some milliseconds per chart, so a chart is kept in the cache under
    the digest of everything it shows and drawn again only when that changes."""
    key = (
        "targets:chart:"
        + hashlib.sha256(
            repr((kind.__name__, label, options, x_labels, series, translation.get_language())).encode()
        ).hexdigest()
    )
    svg: str | None = cache.get(key)
    if svg is None:
        chart = kind(**_config(**options))
        chart.x_labels = x_labels
        for title, values, extra in series:
            chart.add(title, values, **extra)
        svg = _SCRIPT.sub("", chart.render(is_unicode=True)).replace(
            "<svg ",
            f'<svg role="img" aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet" '
            'style="width:100%;height:auto;max-width:100%" ',
            1,
        )
        cache.set(key, svg, CHART_CACHE_SECONDS)
    # pygal builds the SVG with an XML library, which escapes the region and sector names it is given.
    return mark_safe(svg)


def regions_chart(rows: Sequence[Row], milestone: Milestone | None) -> SafeString | None:
    """Share covered by child region, beside the judged milestone's share."""
    shown = [row for row in rows if row.figures.eligible]
    if not shown:
        return None
    series: Series = [(_("覆盖率"), [float(row.figures.share or 0) for row in shown], {})]
    if milestone is not None and milestone.share is not None:
        series.append((_("阶段目标"), [float(milestone.share)] * len(shown), {}))
    options: dict[str, object] = {"x_label_rotation": 30 if len(shown) > 6 else 0, "truncate_label": 12}
    return _inline(pygal.Bar, _("各地区覆盖率"), options, [row_label(row) for row in shown], series)


def trend_chart(points: Sequence[TrendPoint], milestones: Sequence[Milestone]) -> SafeString | None:
    """Share covered at the end of each year, and the milestones' shares by their year."""
    if not points or not any(point.figures.eligible for point in points):
        return None
    x_labels = [
        str(point.on.year) if (point.on.month, point.on.day) == (12, 31) else point.on.isoformat()
        for point in points
    ]
    series: Series = [(_("覆盖率"), [float(point.figures.share or 0) for point in points], {})]
    by_year = {m.due_on.year: float(m.share) for m in milestones if m.share is not None}
    if by_year:
        series.append(
            (
                _("阶段目标"),
                [by_year.get(point.on.year) for point in points],
                {"stroke": False, "dots_size": 6},
            )
        )
    return _inline(pygal.Line, _("逐年覆盖率"), {"dots_size": 4}, x_labels, series)
