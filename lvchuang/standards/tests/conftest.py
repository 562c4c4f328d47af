from __future__ import annotations

import pytest

from lvchuang.standards.models import Standard, StandardVersion
from lvchuang.standards.tests.factories import draft_for


@pytest.fixture
def draft(world) -> StandardVersion:
    """芙蓉区创建办's own standard, version 1, a draft."""
    return draft_for(world.furong_office)


@pytest.fixture
def builtin(db) -> StandardVersion:
    """The built-in 节约型公共机构示范单位 standard as the data migration loaded it (veto, bonus, five areas)."""
    return Standard.objects.get(code="conservation-public-institution").versions.get(number=1)
