from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from lvchuang.accounts import access
from lvchuang.regions import selectors
from lvchuang.regions.forms import RegionSearchForm
from lvchuang.web.http import AuthenticatedHttpRequest, paginate


@login_required
def region_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The top of the user's jurisdiction to browse down from, or the regions matching a search."""
    form = RegionSearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    regions = selectors.search(request.user, text) if text else selectors.top_regions(request.user)
    context = {"form": form, "searching": bool(text), "page_obj": paginate(request, regions)}
    return render(request, "regions/region_list.html", context)


@login_required
def region_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    region = access.access_region_by_code(request.user, code)
    context = {
        "region": region,
        "ancestors": selectors.ancestors(request.user, region),
        "page_obj": paginate(request, selectors.children(request.user, region)),
        "unit_count": selectors.units_in_subtree(request.user, region),
    }
    return render(request, "regions/region_detail.html", context)
