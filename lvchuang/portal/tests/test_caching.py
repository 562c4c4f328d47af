"""The public pages are cached for anonymous visitors, and nothing of a signed-in user reaches that copy."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvchuang.portal.tests.conftest import Registry

CACHED = [
    ("portal:home", []),
    ("portal:registry", []),
    ("portal:registry_csv", []),
    ("portal:registry_json", []),
    ("portal:named_years", []),
    ("portal:named", [2025]),
]


@pytest.mark.parametrize(("name", "args"), CACHED)
def test_a_second_anonymous_visitor_is_served_from_the_cache_without_a_query(
    registry: Registry, django_assert_num_queries, name, args
) -> None:
    url = reverse(name, args=args)
    first = Client().get(url)
    assert first.status_code == 200
    assert not first.cookies, "a shared page must not set a cookie"
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert second.content == first.content


@pytest.mark.parametrize(("name", "args"), CACHED)
def test_an_anonymous_page_is_public_for_a_short_while(registry: Registry, settings, name, args) -> None:
    settings.PORTAL_CACHE_SECONDS = 45
    response = Client().get(reverse(name, args=args))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=45"} <= cache_control
    assert "Cookie" in response["Vary"]


def test_a_signed_in_users_name_never_reaches_the_anonymous_copy(registry: Registry) -> None:
    user = registry.world.user("city")
    user.full_name = "程市办"
    user.save()
    signed_in = Client()
    signed_in.force_login(user)
    url = reverse("portal:registry")
    private = signed_in.get(url)
    assert "程市办" in private.content.decode()
    assert "private" in private["Cache-Control"]
    assert "public" not in private["Cache-Control"]
    anonymous = Client().get(url)
    assert "程市办" not in anonymous.content.decode()
    # … and the other way round: the signed-in user gets their own page, not the shared one.
    assert "程市办" in signed_in.get(url).content.decode()


def test_an_anonymous_page_carries_no_csrf_token(registry: Registry) -> None:
    response = Client().get(reverse("portal:registry"))
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_a_cached_page_is_refreshed_after_the_timeout(registry: Registry, settings) -> None:
    from django.core.cache import cache

    url = reverse("portal:named", args=[2025])
    assert "识字岭社区居委会" in Client().get(url).content.decode()
    registry.valid.unit.name = "识字岭社区（新）"
    registry.valid.unit.save()
    assert "识字岭社区（新）" not in Client().get(url).content.decode()  # still the cached copy
    cache.clear()  # what the timeout does
    assert "识字岭社区（新）" in Client().get(url).content.decode()
