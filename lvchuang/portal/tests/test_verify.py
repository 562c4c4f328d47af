"""Certificate verification: the page a plaque's QR code opens. A clear verdict, never served stale."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from lvchuang.portal.tests.conftest import Registry
from lvchuang.titles import lifecycle


def _verify(number: str, client: Client | None = None):
    return (client or Client()).get(reverse("portal:verify", args=[number]))


def _verdict(page: str) -> str:
    start = page.index('class="verdict-word"')
    return page[page.index(">", start) + 1 : page.index("</p>", start)]


def test_a_valid_certificate_says_valid_with_the_title(registry: Registry) -> None:
    response = _verify("CS-2025-0001")
    assert response.status_code == 200
    page = response.content.decode()
    assert _verdict(page) == "有效"
    for fact in (
        "识字岭社区居委会",
        "芙蓉区 文艺路街道 识字岭社区",
        "市级",
        "2025",
        "2025-12-20",
        "2030-12-19",
    ):
        assert fact in page
    assert "长创建办〔2025〕9号" in page
    assert "示范" in page


def test_a_certificate_past_its_validity_says_expired(registry: Registry) -> None:
    page = _verify("TX-2024-0007").content.decode()
    assert _verdict(page) == "已过期"
    assert "有效期至 2025-12-19 届满" in page


def test_a_revoked_certificate_says_revoked_with_reason_date_and_document(registry: Registry) -> None:
    page = _verify("CS-2025-0002").content.decode()
    assert _verdict(page) == "已撤销"
    assert "发生重大环境污染事故" in page
    assert "2026-03-01" in page
    assert "长创建办〔2026〕2号" in page


def test_a_certificate_under_rectification_is_still_valid(registry: Registry) -> None:
    page = _verify("FR-2024-0003").content.decode()
    assert _verdict(page) == "整改中"
    assert "整改期间称号仍然有效" in page
    assert "复查发现垃圾分类台账缺失" in page


def test_an_unknown_number_is_not_found_and_warns_of_forgery(registry: Registry) -> None:
    response = _verify("CS-2099-0001")
    assert response.status_code == 404
    page = response.content.decode()
    assert "查无此证书" in page
    assert "伪造" in page
    assert 'name="number"' in page


def test_a_revocation_shows_at_once(registry: Registry) -> None:
    client = Client()
    assert _verdict(_verify("CS-2025-0001", client).content.decode()) == "有效"
    lifecycle.revoke(
        title=registry.valid,
        by=None,
        on=datetime.date(2026, 6, 15),
        reason="台账造假",
        document_number="长创建办〔2026〕7号",
    )
    response = _verify("CS-2025-0001", client)
    page = response.content.decode()
    assert _verdict(page) == "已撤销"
    assert "台账造假" in page
    assert "长创建办〔2026〕7号" in page


def test_the_page_is_revalidated_rather_than_cached(registry: Registry) -> None:
    client = Client()
    response = _verify("CS-2025-0001", client)
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get(reverse("portal:verify", args=["CS-2025-0001"]), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    lifecycle.start_rectification(
        title=registry.valid, by=None, on=datetime.date(2026, 6, 15), reason="复查不合格"
    )
    changed = client.get(reverse("portal:verify", args=["CS-2025-0001"]), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


def test_the_form_sends_the_number_to_its_verdict(registry: Registry) -> None:
    client = Client()
    assert client.get(reverse("portal:verify_form")).status_code == 200
    response = client.get(reverse("portal:verify_form"), {"number": " CS-2025-0001 "})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:verify", args=["CS-2025-0001"])
    empty = client.get(reverse("portal:verify_form"), {"number": ""})
    assert empty.status_code == 400
    assert "这个字段是必填项" in empty.content.decode() or "必填" in empty.content.decode()


def test_the_page_fits_a_phone(registry: Registry) -> None:
    page = _verify("CS-2025-0001").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "portal/portal.css" in page
