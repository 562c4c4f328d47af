"""Every route of the product, opened by every kind of user.

The objects under test all sit in 芙蓉区. For each object route:
- its own district office (`furong`) and the parent city office (`city`) can open it;
- the sibling district office (`tianxin`) and a signed-in user with no role (`outsider`) get 404;
- an anonymous visitor is sent to the login page (pages) or refused with 401/403 (API).
For each list route the parent sees the 芙蓉区 object's name, and the sibling and the outsider do not.

A route without an entry below fails `test_every_route_has_an_entry_in_the_matrix`: nothing ships unscoped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lvchuang.accounts.models import RoleAssignment
from lvchuang.organisations.models import Department, GoverningBody
from lvchuang.organisations.services import update_unit


@dataclass
class Targets:
    """The 芙蓉区 objects every route is tried on, and the text that gives each away in a response."""

    objects: dict[str, Any]
    markers: dict[str, str]


@pytest.fixture
def targets(world) -> Targets:
    unit_user = world.user("unit")
    unit_user.full_name = "沈识字岭"
    unit_user.save()
    department = Department.objects.create(name="芙蓉区教育局", region=world.furong, is_sector_authority=True)
    body = GoverningBody.objects.create(
        name="芙蓉区绿色社区创建联席会议", kind=GoverningBody.Kind.JOINT_MEETING, region=world.furong
    )
    update_unit(by=world.user("furong"), unit=world.furong_unit, changes={"energy_headcount": 18})
    from lvchuang.regions.models import DivisionImport

    division_import = DivisionImport.objects.create(
        source="芙蓉区补充区划.csv", scope=world.furong.path, code_year=2024, outcome="applied"
    )
    return Targets(
        objects={
            "unit": world.furong_unit,
            "region": world.furong_community,
            "office": world.furong_office,
            "department": department,
            "body": body,
            "user": unit_user,
            "assignment": RoleAssignment.objects.get(user=unit_user),
            "division_import": division_import,
        },
        markers={
            "unit": "识字岭社区居委会",
            "region": "识字岭社区",
            "office": "芙蓉区创建办",
            "department": "芙蓉区教育局",
            "body": "芙蓉区绿色社区创建联席会议",
            "user": "沈识字岭",
            "assignment": "沈识字岭",
            "audit": "识字岭社区居委会",
            "division_import": "芙蓉区补充区划.csv",
        },
    )


@dataclass(frozen=True)
class Route:
    """How one named route is opened and what it must (not) show."""

    kind: str  # "object", "list", "signed-in" (shows only the user's own things), "public"
    target: str = ""  # for object and list routes: which of Targets.objects / markers
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})
    method: str = "get"
    api: bool = False
    query: str = ""


def pk(name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda obj: {name: obj.pk}


def page(kind: str, target: str = "", **options: Any) -> Route:
    return Route(kind=kind, target=target, **options)


def api(kind: str, target: str = "", **options: Any) -> Route:
    return Route(kind=kind, target=target, api=True, **options)


MATRIX: dict[str, Route] = {
    # pages
    "home": page("signed-in"),
    "login": page("public"),
    "logout": page("public", method="post"),
    "set_language": page("public", method="post"),
    "accounts:profile": page("signed-in"),
    "accounts:password_change": page("signed-in"),
    "accounts:user_list": page("list", "user"),
    "accounts:user_create": page("signed-in"),
    "accounts:user_detail": page("object", "user", kwargs=pk("user_id")),
    "accounts:grant_role": page("object", "user", kwargs=pk("user_id")),
    "accounts:revoke_role": page(
        "object",
        "assignment",
        method="post",
        kwargs=lambda a: {"user_id": a.user_id, "assignment_id": a.pk},
    ),
    "regions:list": page("list", "region", query="?q=识字岭"),
    "regions:detail": page("object", "region", kwargs=lambda r: {"code": r.code}),
    "organisations:unit_list": page("list", "unit"),
    "organisations:unit_create": page("signed-in"),
    "organisations:unit_detail": page("object", "unit", kwargs=pk("unit_id")),
    "organisations:unit_edit": page("object", "unit", kwargs=pk("unit_id")),
    "organisations:unit_history": page("object", "unit", kwargs=pk("unit_id")),
    "organisations:office_list": page("list", "office"),
    "organisations:office_detail": page("object", "office", kwargs=pk("office_id")),
    "organisations:department_list": page("list", "department"),
    "organisations:department_detail": page("object", "department", kwargs=pk("department_id")),
    "organisations:body_list": page("list", "body"),
    "organisations:body_detail": page("object", "body", kwargs=pk("body_id")),
    "audit:list": page("list", "audit"),
    "audit:export": page("list", "audit"),
    # API
    "api-root": api("public"),
    "api-schema": api("public"),
    "api-docs": api("public"),
    "api-redoc": api("public"),
    "api-token": api("public", method="post"),
    "region-list": api("list", "region"),
    "region-detail": api("object", "region", kwargs=lambda r: {"code": r.code}),
    "division-import-list": api("list", "division_import"),
    "division-import-detail": api("object", "division_import", kwargs=pk("pk")),
    "unit-list": api("list", "unit"),
    "unit-detail": api("object", "unit", kwargs=pk("pk")),
    "office-list": api("list", "office"),
    "office-detail": api("object", "office", kwargs=pk("pk")),
    "department-list": api("list", "department"),
    "department-detail": api("object", "department", kwargs=pk("pk")),
    "body-list": api("list", "body"),
    "body-detail": api("object", "body", kwargs=pk("pk")),
    "user-list": api("list", "user"),
    "user-detail": api("object", "user", kwargs=pk("pk")),
    "user-me": api("signed-in"),
    "role-assignment-list": api("list", "assignment"),
    "role-assignment-detail": api("object", "assignment", kwargs=pk("pk")),
    "audit-entry-list": api("list", "audit"),
}

# Django's own admin is open to staff accounts only; `test_the_admin_turns_away_non_staff` covers it.
EXEMPT_NAMESPACES = {"admin"}


def _named_routes(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            yield from _named_routes(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}"


def test_every_route_has_an_entry_in_the_matrix():
    routes = set(_named_routes(get_resolver().url_patterns))
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes without an entry in the permission matrix: {missing}"
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def _open(client: Client, route: Route, url: str) -> Any:
    method = getattr(client, route.method)
    return method(url + route.query, HTTP_ACCEPT="application/json" if route.api else "text/html")


def _client_for(world, name: str | None) -> Client:
    client = Client()
    if name is not None:
        client.force_login(world.user(name))
    return client


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return str(b"".join(response.streaming_content).decode("utf-8-sig"))
    return str(response.content.decode("utf-8-sig"))


OBJECT_ROUTES = sorted(name for name, route in MATRIX.items() if route.kind == "object")
LIST_ROUTES = sorted(name for name, route in MATRIX.items() if route.kind == "list")
PRIVATE_ROUTES = sorted(name for name, route in MATRIX.items() if route.kind != "public")


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_an_object_route_answers_404_to_the_sibling_district_and_to_an_outsider(world, targets, name):
    route = MATRIX[name]
    url = reverse(name, kwargs=route.kwargs(targets.objects[route.target]))
    for user in ("tianxin", "outsider"):
        response = _open(_client_for(world, user), route, url)
        assert response.status_code == 404, f"{user} opened {name}: {response.status_code}"


API_OBJECT_ROUTES = sorted(name for name in OBJECT_ROUTES if MATRIX[name].api)


@pytest.mark.parametrize("name", API_OBJECT_ROUTES)
def test_no_api_write_reaches_an_object_of_the_sibling_district_or_of_an_outsider(world, targets, name):
    route = MATRIX[name]
    obj = targets.objects[route.target]
    url = reverse(name, kwargs=route.kwargs(obj))
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    for user in ("tianxin", "outsider"):
        client = _client_for(world, user)
        for method in ("put", "patch", "delete"):
            response = getattr(client, method)(url, data={"name": "改名"}, content_type="application/json")
            # 405 where the route takes no such write at all; otherwise the object must stay invisible.
            assert response.status_code in (404, 405), (
                f"{user} {method.upper()} {name}: {response.status_code}"
            )
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_an_object_route_opens_for_its_own_office_and_the_parent_office(world, targets, name):
    route = MATRIX[name]
    if route.method != "get":
        pytest.skip("a write route: its successful use is tested with its view")
    url = reverse(name, kwargs=route.kwargs(targets.objects[route.target]))
    for user in ("furong", "city"):
        response = _open(_client_for(world, user), route, url)
        assert response.status_code == 200, f"{user} could not open {name}: {response.status_code}"


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_a_list_route_shows_the_object_to_the_parent_and_hides_it_from_sibling_and_outsider(
    world, targets, name
):
    route = MATRIX[name]
    url = reverse(name)
    marker = targets.markers[route.target]
    parent = _open(_client_for(world, "city"), route, url)
    assert parent.status_code == 200
    assert marker in _text(parent), f"the city office does not see {marker} in {name}"
    for user in ("tianxin", "outsider"):
        response = _open(_client_for(world, user), route, url)
        assert response.status_code in (200, 403), f"{user} on {name}: {response.status_code}"
        assert marker not in _text(response), f"{user} sees {marker} in {name}"


@pytest.mark.parametrize("name", PRIVATE_ROUTES)
def test_an_anonymous_visitor_is_refused_every_private_route(world, targets, name):
    route = MATRIX[name]
    kwargs = route.kwargs(targets.objects[route.target]) if route.kind == "object" else {}
    response = _open(Client(), route, reverse(name, kwargs=kwargs))
    if route.api:
        assert response.status_code in (401, 403), f"{name}: {response.status_code}"
    else:
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert response["Location"].startswith(reverse("login"))


def test_the_admin_turns_away_non_staff(world):
    response = _client_for(world, "city").get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
