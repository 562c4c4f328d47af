"""The benchmark's URLconf: the whole site plus a hello-world page, so the baseline passes the same middleware
as the page it is compared with (tools/bench.py, "Progress dashboard")."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/hello/", hello, name="bench-hello"),
    path("", include("config.urls")),
]
