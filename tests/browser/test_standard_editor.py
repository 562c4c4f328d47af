"""The standard editor in a real browser: an item edited in its row (htmx), and a locked version.

芙蓉区创建办 (`furong`) owns the small standard of the standards' tests (lvchuang/standards/tests/factories.py):
area 1 (60 points) holds 1.1 (20) and 1.2 (40); with 2 (40, a ★ item) the areas add up to the full 100.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from lvchuang.standards import services
from lvchuang.standards.models import Item, StandardVersion
from lvchuang.standards.tests.factories import draft_for
from tests.browser.helpers import BROWSER_TEST, log_in, mark_page, page_was_kept

pytestmark = BROWSER_TEST


def open_editor(page: Any, live_server: Any, version: StandardVersion) -> str:
    log_in(page, live_server, "furong")
    url: str = live_server.url + reverse("standards:version_detail", args=[version.pk])
    page.goto(url)
    return url


def row_of(page: Any, item: Item) -> Any:
    return page.locator(f"#item-{item.pk}")


def test_it_edits_an_item_in_its_row_and_updates_the_area_subtotal(page, live_server, world):
    draft = draft_for(world.furong_office)
    item = draft.items.get(code="1.1")
    area = draft.items.get(code="1")
    url = open_editor(page, live_server, draft)
    area_sum = row_of(page, area).locator("td.number").nth(1)
    expect(area_sum).to_have_text("60")
    expect(page.locator(".tree-sum")).to_contain_text("各领域合计 100 分 / 满分 100 分")
    mark_page(page)

    row_of(page, item).get_by_role("link", name="编辑", exact=True).click()

    form = page.locator(f"tr#item-{item.pk}.item-editing form")
    expect(form.locator("input[name=title]")).to_have_value("成立创建工作领导小组")
    form.locator("input[name=title]").fill("成立节能工作领导小组")
    form.locator("input[name=max_points]").fill("15")
    form.get_by_role("button", name="保存", exact=True).click()

    expect(page.locator("tr.item-editing")).to_have_count(0)
    expect(row_of(page, item).locator(".item-name")).to_have_text("成立节能工作领导小组")
    expect(row_of(page, item).locator("td.number").first).to_have_text("15")
    # Area 1's children now reach 55 of its 60 points, and the page says so at once.
    expect(area_sum).to_contain_text("55")
    expect(area_sum).to_contain_text("不足")
    expect(page.locator(".tree-sum")).to_contain_text("各领域合计 95 分 / 满分 100 分")
    assert page_was_kept(page), "the row must be saved in place, without loading the page again"
    assert page.url == url
    item.refresh_from_db()
    assert (item.title, item.max_points) == ("成立节能工作领导小组", Decimal("15"))


def test_a_locked_version_shows_the_banner_and_no_edit_controls(page, live_server, world):
    draft = draft_for(world.furong_office)
    services.lock_version(by=None, version=draft, reason="2024 年芙蓉区绿色社区创建活动")
    open_editor(page, live_server, draft)

    banner = page.locator(".banner-locked")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("不可修改")
    expect(banner).to_contain_text("2024 年芙蓉区绿色社区创建活动")
    tree = page.locator("#standard-tree")
    expect(tree.locator("tr.tree-row")).to_have_count(draft.items.count())  # the items are all shown…
    # … but nothing offers to change them, nor the version, its bands or its defaults.
    expect(tree.locator(".col-actions")).to_have_count(0)
    expect(tree.locator("[hx-get], [hx-post]")).to_have_count(0)
    expect(page.get_by_role("link", name="编辑", exact=True)).to_have_count(0)
    expect(page.get_by_text("添加领域或顶层条目")).to_have_count(0)
    expect(page.get_by_role("button", name="发布", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="已核对，确认默认值")).to_have_count(0)
    expect(page.get_by_text("修改版本信息")).to_have_count(0)
    expect(page.locator("#bands form")).to_have_count(0)
    expect(page.locator("main input:not([type=hidden]), main textarea, main select")).to_have_count(0)
