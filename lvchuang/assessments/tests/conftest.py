"""Fixtures of the self-assessment tests: a published community standard, an assessment of 识字岭, private media."""

from __future__ import annotations

import pytest

from lvchuang.assessments import services
from lvchuang.assessments.tests.helpers import leaf, make_version


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Evidence goes to a fresh folder per test, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def version(world):
    return make_version()


@pytest.fixture
def assessment(world, version):
    return services.start_assessment(by=world.user("unit"), unit=world.furong_unit, version=version)


@pytest.fixture
def answer(world, assessment, version):
    """Answer one item as 识字岭's staff: answer("1.1", points=Decimal("8"))."""

    def answer(code, *, points=None, met=None, narrative="", by="unit"):
        return services.save_answer(
            by=world.user(by),
            assessment=assessment,
            item=leaf(version, code),
            points=points,
            met=met,
            narrative=narrative,
        )

    return answer
