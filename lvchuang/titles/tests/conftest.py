"""Fixtures of the title tests: a title named by the city's 2026 decision, and one recorded from paper."""

from __future__ import annotations

import datetime

import pytest

from conftest import CampaignWorld
from lvchuang.naming.tests.helpers import named, notice_of
from lvchuang.titles.models import Title


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def title(campaign_world: CampaignWorld) -> Title:
    """识字岭's 2026 市级节能环保示范社区 title, named on 20 December 2026, valid five years."""
    campaign_world.program.validity_years = 5
    campaign_world.program.save()
    notice = notice_of(campaign_world, [(campaign_world.world.furong_unit, True)])
    named(campaign_world, notice)
    return Title.objects.get(campaign=campaign_world.campaign)


@pytest.fixture
def paper_title(campaign_world: CampaignWorld) -> Title:
    """西牌楼's district title recorded from the 2024 paper decision (no campaign, no certificate number)."""
    paper = Title.objects.get(unit=campaign_world.world.tianxin_unit, program=campaign_world.district_program)
    assert paper.certificate_number == ""
    assert paper.named_on == datetime.date(2024, 12, 20)
    return paper
