"""The portal's home: what the public can do here, and the notices open for objection now."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import NoReverseMatch, reverse

from conftest import CampaignWorld
from lvchuang.notices.models import Notice
from lvchuang.portal.tests.conftest import Registry


def _notice(cw: CampaignWorld, title: str, status: str, ends_on: datetime.date) -> Notice:
    return Notice.objects.create(
        campaign=cw.campaign,
        title=title,
        length=5,
        day_kind="working",
        starts_on=datetime.date(2026, 6, 10),
        ends_on=ends_on,
        status=status,
        contact_phone="0731-12345678",
    )


def test_it_lists_the_notices_open_for_objection_with_their_end(campaign_world: CampaignWorld) -> None:
    notice = _notice(
        campaign_world, "长沙市2026年节能环保社区拟命名名单公示", "open", datetime.date(2026, 6, 16)
    )
    _notice(campaign_world, "已结束的公示", "closed", datetime.date(2026, 6, 12))
    _notice(campaign_world, "草稿公示", "draft", datetime.date(2026, 6, 20))
    _notice(campaign_world, "过了截止日仍待关闭的公示", "open", datetime.date(2026, 6, 12))
    response = Client().get(reverse("portal:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "长沙市2026年节能环保社区拟命名名单公示" in page
    assert "公示截止 2026-06-16" in page
    try:
        notice_url = reverse("public_notices:detail", args=[notice.pk])
    except NoReverseMatch:  # the public notice pages are not mounted: the notice is listed without a link
        pass
    else:
        assert f'href="{notice_url}"' in page
    for hidden in ("已结束的公示", "草稿公示", "过了截止日仍待关闭的公示"):
        assert hidden not in page


def test_it_points_to_every_public_service(registry: Registry) -> None:
    page = Client().get(reverse("portal:home")).content.decode()
    for url in (
        reverse("portal:registry"),
        reverse("portal:named", args=[2025]),
        reverse("portal:verify_form"),
        reverse("portal:registry_csv"),
        reverse("portal:registry_json"),
        reverse("public_goals:list"),
    ):
        assert f'href="{url}' in page or f'action="{url}"' in page, url
    assert "公开数据，可自由使用并注明来源" in page


def test_every_portal_page_has_the_public_navigation(registry: Registry) -> None:
    for url in (
        reverse("portal:home"),
        reverse("portal:registry"),
        reverse("portal:named_years"),
        reverse("portal:named", args=[2025]),
        reverse("portal:verify_form"),
        reverse("portal:verify", args=["CS-2025-0001"]),
        reverse("portal:verify", args=["NOPE"]),
    ):
        page = Client().get(url).content.decode()
        assert 'class="public-nav"' in page, url
        for label in ("证书核验", "命名名单", "称号查询"):
            assert label in page
