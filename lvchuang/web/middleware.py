from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SimplifiedChineseByDefaultMiddleware:
    """Speak Simplified Chinese until the user picks another language with the switcher.

    Office computers often run browsers set to English; letting their Accept-Language header choose would show
    staff an English product they never asked for. Only the language cookie set by the switcher counts.
    Runs before django.middleware.locale.LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META["HTTP_ACCEPT_LANGUAGE"] = settings.LANGUAGE_CODE
        return self.get_response(request)
