"""Caching of the public pages: one shared copy for every anonymous visitor, nothing of anyone in it.

A page for the public is the same for every anonymous visitor, so the lists, the registry, the named lists and
the open data are cached server-side for `PORTAL_CACHE_SECONDS` (Django's `cache_page`) and sent with
`Cache-Control: public, max-age`. Two things would make such a page personal, and both are kept out of it:
- a signed-in user's page shows their name in the top bar: it is rendered afresh, never cached, and marked
  private; every response varies on Cookie so a proxy keeps the two apart;
- the CSRF token and the flash messages of the layout: `render_public` renders an anonymous page without them
  (no form on these pages posts; the search and the lookup are GET forms).

The verification page must show a revocation at once: it is never cached server-side, only revalidated with an
ETag (`revalidated_public_page`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.cache import cache_page

View = Callable[..., HttpResponseBase]

# What the layout would otherwise take from the visitor's session and CSRF cookie: with an empty token
# `{% csrf_token %}` renders nothing and no CSRF cookie is set.
SHARED_PAGE_CONTEXT: dict[str, Any] = {"csrf_token": "", "messages": ()}

CACHE_KEY_PREFIX = "portal"


def cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", 60))


def render_public(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render a public page; for an anonymous visitor, without anything of the visitor's session."""
    if not request.user.is_authenticated:
        context = {**context, **SHARED_PAGE_CONTEXT}
    return render(request, template, context, status=status)


def _mark_private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def cached_public_page(view: View) -> View:
    """Serve anonymous visitors one shared cached copy; render signed-in users' pages afresh and privately."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return _mark_private(view(request, *args, **kwargs))
        seconds = cache_seconds()

        def shared(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                patch_cache_control(response, public=True, max_age=seconds)
            return response

        response: HttpResponseBase = cache_page(seconds, key_prefix=CACHE_KEY_PREFIX)(shared)(
            request, *args, **kwargs
        )
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper


_conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def revalidated_public_page(view: View) -> View:
    """Never cached server-side; a browser or proxy may keep a copy but must ask again (ETag, 304) each time."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            return _mark_private(response)
        patch_cache_control(response, public=True, no_cache=True, max_age=0)
        patch_vary_headers(response, ("Cookie",))
        return response

    return cast(View, _conditional_get(wrapper))
