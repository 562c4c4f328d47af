"""The coverage grid kept in the shared cache until the registry changes (docs/decisions/0007).

A province dashboard spends most of its time in the one grouped query over every eligible unit and its titles
(docs/benchmarks.md). The answer changes only when a title, a unit or a sector department changes, so it is
cached under a *generation* token that every such write replaces (signals below, connected in `apps.py`):
the next request recomputes, and no page ever shows a grid older than the last change. The days asked are
part of the key, so a new day is a new entry; `COVERAGE_CACHE_SECONDS` (default 600) bounds the life of an
entry, and of anything changed behind the ORM's back (a raw SQL fix in the database).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "coverage:generation"
T = TypeVar("T")


def seconds() -> int:
    return int(getattr(settings, "COVERAGE_CACHE_SECONDS", 600))


def generation() -> str:
    return str(cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None))


def registry_changed(**_kwargs: Any) -> None:
    """Signal receiver: a title, unit or department was written or deleted; every cached grid is stale."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def cached(parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`, shared through the cache under `parts` and the current generation."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"coverage:grid:{generation()}:{digest}"
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=seconds())
    return found
