"""What every page view shares: the typed request behind `login_required`, pagination and htmx partials."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

from lvchuang.accounts.models import User

PAGE_SIZE = 50
M = TypeVar("M", bound=Model)


class AuthenticatedHttpRequest(HttpRequest):
    """The request a `login_required` view receives: the user is a real `User`, htmx details are attached."""

    user: User
    htmx: HtmxDetails


def paginate(request: HttpRequest, queryset: QuerySet[M]) -> Page[M]:
    """One page of 50 rows; a page number out of range shows the last page rather than an error."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def wants_partial(request: AuthenticatedHttpRequest) -> bool:
    """An htmx request for a fragment (but not htmx restoring a page from history, which needs it whole)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_with_partial(
    request: AuthenticatedHttpRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """Render the whole page, or only `partial` when htmx asks for it; the two differ, so caches must vary."""
    response = render(request, partial if wants_partial(request) else template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """A rule a service checks after the form: put each message beside its field, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in ValidationError(errors).messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
