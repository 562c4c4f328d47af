"""The registry search page: no login, filters, the status of the day and nothing private."""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lvchuang.organisations.models import Unit
from lvchuang.portal.tests.conftest import Registry
from lvchuang.titles.models import Title


def _page(**query: str) -> str:
    response = Client().get(reverse("portal:registry"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_every_title_without_login(registry: Registry) -> None:
    page = _page()
    for name in ("识字岭社区居委会", "西牌楼社区居委会", "长沙市第一中学"):
        assert name in page
    assert "芙蓉区 文艺路街道 识字岭社区" in page
    assert 'href="/public/verify/CS-2025-0001/"' in page


def test_it_filters_by_region_and_keeps_the_choice(registry: Registry) -> None:
    page = _page(region="430103")
    assert "西牌楼社区居委会" in page
    assert "识字岭社区居委会" not in page
    assert '<option value="430103" selected>天心区</option>' in page


def test_it_filters_by_program_level_year_status_and_name(registry: Registry) -> None:
    assert "长沙市第一中学" not in _page(program="city-energy-saving-community")
    assert "长沙市第一中学" not in _page(level="city")
    assert "西牌楼社区居委会" not in _page(year="2024")
    page = _page(status="expired")
    assert "长沙市第一中学" in page
    assert "识字岭社区居委会" not in page
    assert "西牌楼社区居委会" in _page(q="西牌楼")


def test_it_shows_the_public_reason_of_a_revoked_or_rectifying_title(registry: Registry) -> None:
    page = _page()
    assert "发生重大环境污染事故（2026-03-01）" in page
    assert "复查发现垃圾分类台账缺失" in page
    # Past its validity the school's title reads as expired though the nightly task has not run.
    assert "有效期至 2025-12-19 届满" in _page(q="第一中学")


def test_a_bad_filter_is_reported_and_ignored(registry: Registry) -> None:
    page = _page(region="芙蓉区", year="1800")
    assert "请选择区域，或填写 2 到 12 位区划代码。" in page
    assert "西牌楼社区居委会" in page


def test_the_download_links_carry_the_search(registry: Registry) -> None:
    page = _page(year="2025", page="1")
    assert 'href="/public/registry.csv?year=2025"' in page


def test_it_shows_no_contact_of_a_unit(registry: Registry) -> None:
    unit = registry.world.furong_unit
    unit.contact_name, unit.contact_phone, unit.address = "王主任", "13800001111", "识字岭路 1 号"
    unit.save()
    page = _page()
    for secret in ("王主任", "13800001111", "识字岭路 1 号"):
        assert secret not in page


def test_it_pages_a_long_registry(registry: Registry) -> None:
    for n in range(55):
        Title.objects.create(
            unit=registry.world.school,
            program=registry.valid.program,
            year=2020,
            named_on=registry.valid.named_on,
            certificate_number=f"OLD-{n:03}",
        )
    page = _page()
    assert "第 1 页，共 2 页" in page
    assert "共 59 条" in page


def test_the_page_costs_the_same_queries_however_many_rows(
    registry: Registry, django_assert_num_queries
) -> None:
    with django_assert_num_queries(7):
        _page()
    for n in range(20):
        unit = Unit.objects.create(
            name=f"新社区{n}", kind=Unit.Kind.COMMUNITY, region=registry.world.tianxin_community
        )
        Title.objects.create(
            unit=unit, program=registry.valid.program, year=2025, named_on=registry.valid.named_on
        )
    cache.clear()
    with django_assert_num_queries(7):
        assert "新社区19" in _page()
