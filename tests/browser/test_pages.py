"""End to end in a real browser: each role logs in through the login form and lands on its own home page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.helpers import BROWSER_TEST, PHONE, log_in

pytestmark = BROWSER_TEST

# What only that role's home page shows: the headings of its sections (lvchuang/web/templates/web/home.html).
HOME_HEADINGS = {
    "admin": "系统概况",
    "province": "湖南省辖区概况",
    "city": "长沙市辖区概况",
    "furong": "芙蓉区辖区概况",
    "street": "文艺路街道辖区概况",
    "unit": "识字岭社区居委会",
    "sector": "长沙市教育局",
    "leader": "长沙市辖区概况",
    "reviewer": "指派给我的评审单位",
}


@pytest.mark.parametrize("username", HOME_HEADINGS)
def test_it_shows_each_role_its_own_home_page(page, live_server, world, username):
    log_in(page, live_server, username)

    headings = page.locator("main h2")
    expect(headings.filter(has_text=HOME_HEADINGS[username]).first).to_be_visible()
    expect(page.locator("h1")).to_contain_text(username)  # the world's users are named after their login
    all_headings = headings.all_inner_texts()
    assert ("系统概况" in all_headings) == (username == "admin")
    assert ("指派给我的评审单位" in all_headings) == (username == "reviewer")
    # Only the leadership member's overview is read-only.
    assert (page.get_by_text("只读概况").count() > 0) == (username == "leader")


def test_it_tells_a_user_without_a_role_how_to_get_one(page, live_server, world):
    log_in(page, live_server, "outsider")

    expect(page.get_by_text("您的账号还没有分配任何角色。")).to_be_visible()
    assert page.locator("main h2").count() == 0


def test_it_sends_an_anonymous_visitor_to_the_login_page(page, live_server, world):
    page.goto(f"{live_server.url}/")

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    expect(page.locator("input[name=password]")).to_be_visible()


@pytest.mark.parametrize("username", ["furong", "outsider"])
def test_it_shows_the_404_page_for_a_unit_of_another_district(page, live_server, world, username):
    log_in(page, live_server, username)

    url = live_server.url + reverse("organisations:unit_detail", args=[world.tianxin_unit.pk])
    response = page.goto(url)

    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("找不到这个页面")
    expect(page.get_by_text(world.tianxin_unit.name)).to_have_count(0)


def test_it_shows_a_unit_to_its_own_district(page, live_server, world):
    log_in(page, live_server, "tianxin")

    response = page.goto(live_server.url + reverse("organisations:unit_detail", args=[world.tianxin_unit.pk]))

    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text(world.tianxin_unit.name)


def test_it_switches_the_interface_to_english(page, live_server, world):
    with translation.override("en"):
        home, log_out = translation.gettext("首页"), translation.gettext("退出登录")
    assert (home, log_out) != ("首页", "退出登录"), "the English catalogue is missing: run `make messages`"
    log_in(page, live_server, "furong")

    with page.expect_navigation():
        page.locator("form.language-switcher button[value=en]").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav").get_by_role("link", name=home, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=log_out)).to_be_visible()
    expect(page.get_by_text("退出登录")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE], indirect=True)
def test_it_folds_the_menu_behind_a_button_on_a_phone(page, live_server, world):
    log_in(page, live_server, "furong")

    menu_button = page.locator("[data-menu-toggle]")
    expect(menu_button).to_be_visible()
    expect(page.locator("#site-nav")).to_be_hidden()

    menu_button.click()

    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-nav").get_by_role("link", name="首页", exact=True)).to_be_visible()


def test_it_keeps_the_menu_open_on_a_desktop(page, live_server, world):
    log_in(page, live_server, "furong")

    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    expect(page.locator("#site-nav").get_by_role("link", name="首页", exact=True)).to_be_visible()
