"""The summary's charts, drawn on the server by pygal as inline SVG like the targets dashboard's (no script, no
CDN): 单位建筑面积能耗 by group this year and last, and the region's yearly totals over five years."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from decimal import Decimal

import pygal
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lvchuang.ledgers.summaries import Line, TrendPoint
from lvchuang.targets.charts import CHART_CACHE_SECONDS, STYLE

_SCRIPT = re.compile(r"<script.*?</script>|<!--.*?-->", re.DOTALL)
MAX_BARS = 40  # a district's units drawn one bar each would be unreadable beyond this

Series = list[tuple[str, list[float | None], dict[str, object]]]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _inline(
    kind: type[pygal.graph.graph.Graph],
    label: str,
    options: dict[str, object],
    x_labels: list[str],
    series: Series,
) -> SafeString:
    """The chart as inline SVG, cached under the digest of everything it shows."""
    key = (
        "ledgers:chart:"
        + hashlib.sha256(
            repr((kind.__name__, label, options, x_labels, series, translation.get_language())).encode()
        ).hexdigest()
    )
    svg: str | None = cache.get(key)
    if svg is None:
        chart = kind(
            style=STYLE,
            js=[],
            disable_xml_declaration=True,
            explicit_size=False,
            width=800,
            height=320,
            show_legend=True,
            legend_at_bottom=True,
            print_values=False,
            value_formatter=lambda value: f"{value:,.2f}",
            **options,
        )
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
    # pygal builds the SVG with an XML library, which escapes the group names it is given.
    return mark_safe(svg)


def area_energy_chart(lines: Sequence[Line], year: int) -> SafeString | None:
    """单位建筑面积能耗 (kgce/m²) of each group in `year` beside the year before."""
    shown = [line for line in lines if line.current.area_energy is not None][:MAX_BARS]
    if not shown:
        return None
    series: Series = [
        (
            _("%(year)s 年") % {"year": year - 1},
            [_number(line.row.previous.area_energy if line.row.previous else None) for line in shown],
            {},
        ),
        (_("%(year)s 年") % {"year": year}, [_number(line.current.area_energy) for line in shown], {}),
    ]
    options: dict[str, object] = {"x_label_rotation": 30 if len(shown) > 6 else 0, "truncate_label": 12}
    title = _("单位建筑面积能耗（kgce/m²）")
    return _inline(pygal.Bar, title, options, [line.label for line in shown], series)


def trend_chart(points: Sequence[TrendPoint]) -> SafeString | None:
    """The region's 综合能耗 (tce) and CO₂ (t) by year, water (万m³) on the right-hand axis."""
    if not any(point.figures.units for point in points):
        return None
    series: Series = [
        (_("综合能耗（tce）"), [float(point.figures.energy_kgce / 1000) for point in points], {}),
        (_("碳排放（tCO₂）"), [float(point.figures.co2_kg / 1000) for point in points], {}),
        (
            _("用水量（万m³，右轴）"),
            [float(point.figures.water_m3 / 10000) for point in points],
            {"secondary": True},
        ),
    ]
    x_labels = [str(point.year) for point in points]
    return _inline(pygal.Line, _("逐年合计"), {"dots_size": 4}, x_labels, series)
