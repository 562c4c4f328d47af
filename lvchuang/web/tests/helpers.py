"""Helpers shared by the page tests of every app."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region


def queries_for(client: Client, url: str) -> int:
    """How many queries one GET of `url` costs (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def add_units(region: Region, count: int, *, prefix: str = "新增单位", **fields: object) -> list[Unit]:
    """More data of the same shape, to show a page's query count does not grow with it."""
    return [
        Unit.objects.create(name=f"{prefix}{number}", kind=Unit.Kind.COMMUNITY, region=region, **fields)
        for number in range(count)
    ]
