from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from lvchuang.web.http import AuthenticatedHttpRequest
from lvchuang.web.selectors import home_for


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"home": home_for(request.user)})
