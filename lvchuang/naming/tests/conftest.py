"""Fixtures of the naming tests: private media and a closed notice of the 2026 city campaign."""

from __future__ import annotations

import pytest

from conftest import CampaignWorld
from lvchuang.naming.tests.helpers import notice_of
from lvchuang.notices.models import Notice


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def notice(campaign_world: CampaignWorld) -> Notice:
    """识字岭 (demonstration) and 西牌楼 on a closed notice."""
    world = campaign_world.world
    return notice_of(campaign_world, [(world.furong_unit, True), (world.tianxin_unit, False)])
