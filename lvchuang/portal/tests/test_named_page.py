"""The named lists by year: grouped by program and naming document, demonstration units and revocations marked."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from lvchuang.portal.tests.conftest import Registry


def test_it_lists_the_years_with_their_counts(registry: Registry) -> None:
    response = Client().get(reverse("portal:named_years"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/public/named/2025/"' in page
    assert 'href="/public/named/2024/"' in page


def test_a_year_is_grouped_by_program_and_document_with_marks(registry: Registry) -> None:
    response = Client().get(reverse("portal:named", args=[2025]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("命名文号：长创建办〔2025〕9号") == 1
    assert "市级节能环保社区" in page or registry.valid.program.name in page
    assert "示范 1 个" in page
    revoked_row = page[page.index("西牌楼社区居委会") :]
    assert "已撤销" in revoked_row[:400]
    assert "发生重大环境污染事故" in revoked_row[:600]
    assert 'class="is-revoked"' in page


def test_two_documents_of_one_program_make_two_lists(registry: Registry) -> None:
    page = Client().get(reverse("portal:named", args=[2024])).content.decode()
    assert "命名文号：天心区创建办〔2024〕5号" in page
    assert "命名文号：芙蓉区创建办〔2024〕3号" in page
    assert "已过期" in page  # the school's lapsed title


def test_a_year_without_titles_is_not_found(registry: Registry) -> None:
    response = Client().get(reverse("portal:named", args=[2019]))
    assert response.status_code == 404
    assert 'href="/public/named/2025/"' in response.content.decode()
