"""Fixtures of the application tests: private media, fixed dates, and applications part-way up the ladder."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import CampaignWorld
from lvchuang.applications import services
from lvchuang.applications.models import Application

JUNE = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)
AUGUST = datetime.datetime(2026, 8, 10, 10, tzinfo=datetime.UTC)
OCTOBER = datetime.datetime(2026, 10, 15, 10, tzinfo=datetime.UTC)
IN_APPLICATION = JUNE.date()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def in_june() -> Iterator[None]:
    with time_machine.travel(JUNE, tick=False):
        yield


def pdf_scan(name: str = "盖章申报表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")


def submitted(cw: CampaignWorld, unit=None) -> Application:
    unit = unit or cw.world.furong_unit
    cw.complete_assessment(unit)
    application = services.create_application(by=cw.user("admin"), campaign=cw.campaign, unit=unit)
    return services.submit_application(by=cw.user("admin"), application=application, today=IN_APPLICATION)


def approved(cw: CampaignWorld, unit=None) -> Application:
    application = submitted(cw, unit)
    services.recommend_application(by=cw.user("admin"), application=application, today=IN_APPLICATION)
    return services.approve_application(by=cw.user("admin"), application=application, today=IN_APPLICATION)
