"""A unit's charts on its ledger page, drawn on the server by pygal as inline SVG (no script, no CDN), in the
style of the targets dashboard (`targets.charts.STYLE`)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal

import pygal
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lvchuang.ledgers.selectors import MONTHS
from lvchuang.targets.charts import STYLE

CHART_CACHE_SECONDS = 24 * 3600
_SCRIPT = re.compile(r"<script.*?</script>|<!--.*?-->", re.DOTALL)

Series = list[tuple[str, list[float | None], dict[str, object]]]


def _inline(
    kind: type[pygal.graph.graph.Graph], label: str, x_labels: list[str], series: Series
) -> SafeString:
    """The chart as inline SVG, kept in the cache under the digest of everything it shows."""
    key = (
        "ledgers:unit-chart:"
        + hashlib.sha256(
            repr((kind.__name__, label, x_labels, series, translation.get_language())).encode()
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
            height=300,
            show_legend=True,
            legend_at_bottom=True,
            print_values=False,
            dots_size=3,
            value_formatter=lambda value: f"{value:,.1f}",
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
    # pygal builds the SVG with an XML library, which escapes the labels it is given.
    return mark_safe(svg)


def _figure(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def monthly_chart(
    year: int,
    current: Mapping[int, Mapping[str, Decimal]],
    previous: Mapping[int, Mapping[str, Decimal]],
) -> SafeString | None:
    """综合能耗 (kgce) month by month in `year`, beside the same month of the year before; water on its own
    axis. `current` and `previous` are `indicators.monthly_energy` of the two years."""
    if not current and not previous:
        return None
    labels = [_("%(month)s月") % {"month": month} for month in MONTHS]

    def column(months: Mapping[int, Mapping[str, Decimal]], name: str) -> list[float | None]:
        return [_figure(months[month].get(name)) if month in months else None for month in MONTHS]

    series: Series = [
        (_("%(year)s 年综合能耗（kgce）") % {"year": year}, column(current, "energy_kgce"), {}),
        (_("%(year)s 年综合能耗（kgce）") % {"year": year - 1}, column(previous, "energy_kgce"), {}),
        (
            _("%(year)s 年用水量（m³，右轴）") % {"year": year},
            column(current, "water_m3"),
            {"secondary": True},
        ),
    ]
    return _inline(pygal.Bar, _("%(year)s 年逐月能耗") % {"year": year}, labels, series)


def trend_chart(
    area_energy: Mapping[int, Decimal | None], per_capita_water: Mapping[int, Decimal | None]
) -> SafeString | None:
    """单位建筑面积能耗 and 人均用水量 year by year (the water on its own axis)."""
    years = sorted(set(area_energy) | set(per_capita_water))
    if len(years) < 2:
        return None
    series: Series = [
        (_("单位建筑面积能耗（kgce/m²）"), [_figure(area_energy.get(year)) for year in years], {}),
        (
            _("人均用水量（m³/人，右轴）"),
            [_figure(per_capita_water.get(year)) for year in years],
            {"secondary": True},
        ),
    ]
    return _inline(pygal.Line, _("逐年强度"), [str(year) for year in years], series)
