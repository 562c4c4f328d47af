"""The ledgers API: every page action of the resource ledgers has an endpoint here."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    pass
