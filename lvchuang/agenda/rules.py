"""The calendar's rules as data: `defaults/agenda.yaml`, read once."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULTS = Path(__file__).parent / "defaults" / "agenda.yaml"


@dataclass(frozen=True)
class AgendaRules:
    feed_days_before: int
    feed_days_after: int
    feed_refresh_hours: int
    api_max_range_days: int
    order_approaching_days: int
    item_approaching_days: int

    def feed_range(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The first and last day the ICS feed covers."""
        return (
            today - datetime.timedelta(days=self.feed_days_before),
            today + datetime.timedelta(days=self.feed_days_after),
        )


@functools.cache
def rules() -> AgendaRules:
    data = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))
    return AgendaRules(
        feed_days_before=int(data["feed"]["days_before"]),
        feed_days_after=int(data["feed"]["days_after"]),
        feed_refresh_hours=int(data["feed"]["refresh_hours"]),
        api_max_range_days=int(data["api"]["max_range_days"]),
        order_approaching_days=int(data["approaching_days"]["rectification_order"]),
        item_approaching_days=int(data["approaching_days"]["agreed_item"]),
    )
