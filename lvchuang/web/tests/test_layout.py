"""The frame around every page: navigation by role, who is signed in, language, sign-out, notices, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from lvchuang.organisations.models import ReviewerAssignment

NAV = re.compile(r'<nav class="nav-links".*?</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')

EVERYTHING = [
    "/",
    "/regions/",
    "/organisations/units/",
    "/assessments/",
    "/campaigns/",
    "/applications/queue/",
    "/applications/batches/",
    "/notices/",
    "/titles/",
    "/supervision/",
    "/targets/",
    "/ledgers/",
    "/reports/mine/",
    "/meetings/",
    "/agenda/",
    "/standards/",
    "/organisations/offices/",
    "/organisations/departments/",
    "/organisations/bodies/",
    "/accounts/users/",
    "/audit/",
    "/public/",
]


def nav_links(client):
    nav = NAV.search(client.get("/").content.decode())
    assert nav is not None
    return LINK.findall(nav.group(0))


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("admin", EVERYTHING),
        ("city", EVERYTHING),
        ("furong", EVERYTHING),
        ("street", EVERYTHING),
        ("leader", [link for link in EVERYTHING if link != "/audit/"]),
        (
            "sector",
            [
                "/",
                "/organisations/units/",
                "/assessments/",
                "/campaigns/",
                "/applications/queue/",
                "/applications/batches/",
                "/titles/",
                "/ledgers/",
                "/reports/mine/",
                "/agenda/",
                "/standards/",
                "/organisations/departments/",
                "/accounts/users/",
                "/public/",
            ],
        ),
        (
            "unit",
            [
                "/",
                "/organisations/units/",
                "/assessments/",
                "/campaigns/",
                "/applications/",
                "/titles/",
                "/supervision/orders/",
                "/ledgers/",
                "/reports/mine/",
                "/agenda/",
                "/standards/",
                "/public/",
            ],
        ),
        ("reviewer", ["/", "/reviews/", "/agenda/", "/standards/", "/public/"]),
        ("outsider", ["/", "/agenda/", "/public/"]),
    ],
)
def test_it_links_only_the_pages_a_role_can_open(client, world, who, links):
    client.force_login(world.user(who))
    assert nav_links(client) == links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_it_links_a_reviewer_to_assigned_units_once_there_are_some(client, world):
    ReviewerAssignment.objects.create(reviewer=world.user("reviewer"), unit=world.school)
    client.force_login(world.user("reviewer"))
    assert nav_links(client) == [
        "/",
        "/organisations/units/",
        "/assessments/",
        "/campaigns/",
        "/reviews/",
        "/titles/",
        "/reports/mine/",
        "/agenda/",
        "/standards/",
        "/public/",
    ]


def test_it_marks_the_current_section(client, world):
    client.force_login(world.user("city"))
    body = client.get(f"/organisations/units/{world.school.pk}/").content.decode()
    assert '<a href="/organisations/units/" aria-current="page">' in body


def test_it_shows_who_is_signed_in_and_their_roles(client, world):
    client.force_login(world.user("furong"))
    body = client.get("/").content.decode()
    assert 'class="user-name" href="/accounts/profile/"' in body
    assert "区县创建办工作人员" in body


def test_it_signs_out_with_a_post_form(client, world):
    client.force_login(world.user("city"))
    body = client.get("/").content.decode()
    assert re.search(
        r'<form method="post" action="/accounts/logout/" class="inline-form">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"',
        body,
    )


def test_it_offers_the_three_languages(client, world):
    client.force_login(world.user("city"))
    body = client.get("/organisations/units/?kind=school").content.decode()
    assert 'action="/i18n/setlang/"' in body
    assert 'name="next" value="/organisations/units/?kind=school"' in body
    for code in ("zh-hans", "zh-hant", "en"):
        assert f'name="language" value="{code}"' in body
    assert 'value="zh-hans" lang="zh-hans" aria-pressed="true"' in body


def test_it_offers_the_languages_before_signing_in_too(client, db):
    assert 'action="/i18n/setlang/"' in client.get("/accounts/login/").content.decode()


def test_it_serves_every_asset_locally(client, world):
    client.force_login(world.user("city"))
    body = client.get("/").content.decode()
    assert "/static/lvchuang/lvchuang.css" in body
    assert "/static/lvchuang/lvchuang.js" in body
    assert "/static/django_htmx/htmx-2.min.js" in body
    assert not re.search(r'(src|href)="(https?:)?//', body)  # no CDN, no external fonts
    for asset in (
        "lvchuang/lvchuang.css",
        "lvchuang/lvchuang.js",
        "lvchuang/favicon.svg",
        "django_htmx/htmx-2.min.js",
    ):
        assert finders.find(asset), asset


def test_it_folds_the_navigation_into_a_menu_on_a_phone(client, world):
    client.force_login(world.user("city"))
    body = client.get("/").content.decode()
    assert 'aria-controls="site-nav"' in body
    stylesheet = finders.find("lvchuang/lvchuang.css")
    assert isinstance(stylesheet, str)
    css = Path(stylesheet).read_text(encoding="utf-8")
    assert "@media (max-width: 720px)" in css
    assert "Microsoft YaHei" in css


def test_it_shows_success_notices_after_a_change(client, world):
    client.force_login(world.user("unit"))
    response = client.post(
        f"/organisations/units/{world.furong_unit.pk}/edit/", {"energy_headcount": "3"}, follow=True
    )
    assert 'class="message message-success"' in response.content.decode()


def test_it_explains_a_missing_page_in_chinese(client, world):
    client.force_login(world.user("city"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "找不到这个页面" in body
    assert "不在您的管辖范围内" in body
    assert 'href="/organisations/units/"' in body  # the navigation is still there


def test_it_explains_a_forbidden_action_in_chinese(client, world):
    client.force_login(world.user("unit"))
    response = client.get("/audit/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "您无权进行此操作" in body
    assert "只有创建办和系统管理员可以查看审计记录" in body


def test_it_has_a_server_error_page_that_needs_no_context():
    html = render_to_string("500.html")
    assert "系统出错了" in html
    assert "/static/lvchuang/lvchuang.css" in html
