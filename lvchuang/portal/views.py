"""The public portal (no login): what the public can do, the registry and its open data, the named lists by
year, and certificate verification — the page a plaque's QR code opens.

Pages are cached for anonymous visitors (`caching.cached_public_page`); verification is not, so a revocation
shows at once.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from lvchuang.portal import opendata, selectors
from lvchuang.portal.caching import cached_public_page, render_public, revalidated_public_page
from lvchuang.portal.forms import RegistryFilterForm, VerifyForm
from lvchuang.web.http import paginate

BYTE_ORDER_MARK = "\ufeff"


@cached_public_page
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "today": today,
        "notices": list(selectors.open_notices(today=today)),
        "years": selectors.named_years()[:6],
        "counts": selectors.registry_counts(today=today),
        "verify_form": VerifyForm(),
    }
    return render_public(request, "portal/home.html", context)


def _filter_form(request: HttpRequest) -> RegistryFilterForm:
    form = RegistryFilterForm(request.GET or None)
    form.is_valid()
    return form


@cached_public_page
def registry(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = _filter_form(request)
    form.offer(
        regions=selectors.region_options(),
        programs=list(selectors.program_options()),
        years=selectors.title_years(),
    )
    page = paginate(request, selectors.search_titles(form.filters(), today=today))
    titles = list(page.object_list)
    places = selectors.place_names(titles)
    rows = [(title, selectors.public_status(title), places[title.unit.region.path]) for title in titles]
    context = {"form": form, "page_obj": page, "rows": rows, "open_data_query": _without_page(request)}
    return render_public(request, "portal/registry.html", context)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _invalid_filters(form: RegistryFilterForm) -> JsonResponse:
    return JsonResponse(
        {"errors": form.errors.get_json_data()}, status=400, json_dumps_params={"ensure_ascii": False}
    )


@cached_public_page
def registry_csv(request: HttpRequest) -> HttpResponseBase:
    form = RegistryFilterForm(request.GET)
    if not form.is_valid():
        return _invalid_filters(form)
    titles = selectors.search_titles(form.filters(), today=timezone.localdate())
    body = BYTE_ORDER_MARK + opendata.to_csv(opendata.rows_of(titles))
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    filename = f"lvchuang-registry-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cached_public_page
def registry_json(request: HttpRequest) -> HttpResponseBase:
    form = RegistryFilterForm(request.GET)
    if not form.is_valid():
        return _invalid_filters(form)
    titles = selectors.search_titles(form.filters(), today=timezone.localdate())
    body = opendata.to_json(opendata.rows_of(titles), generated_at=timezone.now())
    return HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")


@cached_public_page
def named_years(request: HttpRequest) -> HttpResponse:
    return render_public(request, "portal/named_years.html", {"years": selectors.named_years()})


@cached_public_page
def named(request: HttpRequest, year: int) -> HttpResponse:
    today = timezone.localdate()
    lists = selectors.named_lists(year, today=today)
    if not lists:
        context = {"year": year, "years": selectors.named_years()}
        return render_public(request, "portal/named_missing.html", context, status=404)
    titles = [title for named_list in lists for title in named_list.titles]
    places = selectors.place_names(titles)
    context = {
        "year": year,
        "lists": [
            (
                named_list,
                [
                    (title, selectors.public_status(title), places[title.unit.region.path])
                    for title in named_list.titles
                ],
            )
            for named_list in lists
        ],
        "count": len(titles),
    }
    return render_public(request, "portal/named.html", context)


@revalidated_public_page
def verify_form(request: HttpRequest) -> HttpResponseBase:
    form = VerifyForm(request.GET if "number" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("portal:verify", number=form.cleaned_data["number"])
    status = 400 if form.is_bound else 200
    return render_public(request, "portal/verify_form.html", {"form": form}, status=status)


@revalidated_public_page
def verify(request: HttpRequest, number: str) -> HttpResponse:
    today = timezone.localdate()
    title = selectors.title_for_verification(number, today=today)
    if title is None:
        context = {"number": number, "form": VerifyForm(initial={"number": number})}
        return render_public(request, "portal/verify_unknown.html", context, status=404)
    context = {
        "title": title,
        "status": selectors.public_status(title),
        "place": selectors.place_names([title])[title.unit.region.path],
        "today": today,
        "form": VerifyForm(),
    }
    return render_public(request, "portal/verify.html", context)
