"""Quota usage (seed 002): each allocation of a campaign against its shortlisted and named units."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvchuang.applications.models import Application, Status
from lvchuang.campaigns.services import set_allocation
from lvchuang.organisations.models import Unit
from lvchuang.targets.selectors import quota_usage
from lvchuang.targets.tests.conftest import units


@pytest.fixture
def usage_world(campaign_world):
    """The city's 2026 campaign, quota 6: 芙蓉区 3, 天心区 2, the education bureau 1. 芙蓉区 took 4 (over by one),
    two of them named; 天心区 one; the bureau's school one; and a draft that takes nothing."""
    world = campaign_world.world
    campaign = campaign_world.campaign
    campaign.quota = 6
    campaign.save()
    city = world.user("city")
    set_allocation(by=city, campaign=campaign, amount=3, region=world.furong)
    set_allocation(by=city, campaign=campaign, amount=2, region=world.tianxin)
    set_allocation(by=city, campaign=campaign, amount=1, department=world.education_bureau)
    furong = units(world.furong_street, 5)
    tianxin = units(world.tianxin_street, 2)
    statuses = [Status.NAMED, Status.NAMED, Status.SHORTLISTED, Status.SHORTLISTED, Status.DRAFT]
    for unit, status in zip(furong, statuses, strict=True):
        Application.objects.create(campaign=campaign, unit=unit, status=status)
    Application.objects.create(campaign=campaign, unit=tianxin[0], status=Status.SHORTLISTED)
    Application.objects.create(campaign=campaign, unit=tianxin[1], status=Status.REJECTED)
    Application.objects.create(campaign=campaign, unit=world.school, status=Status.NAMED)
    return campaign_world


def test_it_counts_each_allocation_against_its_selected_and_named_units(usage_world):
    world = usage_world.world
    usage = quota_usage(world.user("city"), usage_world.campaign)
    lines = {line.label: line for line in usage.lines}
    assert (lines["芙蓉区"].selected, lines["芙蓉区"].named, lines["芙蓉区"].over) == (4, 2, 1)
    assert (lines["天心区"].selected, lines["天心区"].named, lines["天心区"].left) == (1, 0, 1)
    assert (lines["长沙市教育局"].selected, lines["长沙市教育局"].named) == (1, 1)
    assert (usage.quota, usage.allocated, usage.selected, usage.named, usage.outside) == (6, 6, 6, 3, 0)
    assert usage.over == 0
    assert [line.label for line in usage.lines_over] == ["芙蓉区"]


def test_a_district_sees_only_its_own_allocation(usage_world):
    world = usage_world.world
    usage = quota_usage(world.user("furong"), usage_world.campaign)
    assert [line.label for line in usage.lines] == ["芙蓉区"]
    assert (usage.whole, usage.selected, usage.outside) == (False, 4, None)


def test_a_unit_outside_every_allocation_is_counted_apart(usage_world):
    world = usage_world.world
    stray = Unit.objects.create(name="长沙市直属社区", kind=Unit.Kind.COMMUNITY, region=world.city)
    Application.objects.create(campaign=usage_world.campaign, unit=stray, status=Status.SHORTLISTED)
    usage = quota_usage(world.user("city"), usage_world.campaign)
    assert (usage.selected, usage.outside, usage.over) == (7, 1, 1)


def test_the_quota_page_flags_the_allocation_over_quota(usage_world, django_assert_num_queries):
    world = usage_world.world
    client = Client()
    client.force_login(world.user("city"))
    url = reverse("targets:quota_usage", args=[usage_world.campaign.pk])
    client.get(url)
    with django_assert_num_queries(6):  # session, user, roles, campaign, allocations, applications
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "超出 1 个" in text
    assert "长沙市教育局" in text


def test_the_quota_page_answers_404_outside_the_campaign(usage_world):
    client = Client()
    client.force_login(usage_world.world.user("outsider"))
    assert client.get(reverse("targets:quota_usage", args=[usage_world.campaign.pk])).status_code == 404
