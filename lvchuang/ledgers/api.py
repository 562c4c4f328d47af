"""The ledgers API: every page action of the resource ledgers has an endpoint. Like the pages, the viewsets are
split by area (`api_records`, `api_summary`, `api_targets`, `api_imports`, `api_quality`)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from lvchuang.ledgers import api_imports, api_quality, api_records, api_summary, api_targets


def register(router: BaseRouter) -> None:
    for module in (api_records, api_summary, api_targets, api_imports, api_quality):
        module.register(router)
