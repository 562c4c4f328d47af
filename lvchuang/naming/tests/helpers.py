"""A closed notice of the 2026 city campaign, made directly in the database.

How applications reach `shortlisted` (review, ranking) and how a notice opens and closes are the reviews' and the
notices' own tests; naming starts from a closed notice, so the fixtures write one.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine

from conftest import CampaignWorld
from lvchuang.applications import services as applications
from lvchuang.applications.models import Application, Status
from lvchuang.naming.models import NamingDecision
from lvchuang.naming.services import name_units
from lvchuang.notices.models import Notice, NoticeEntry
from lvchuang.organisations.models import Unit

IN_APPLICATION = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)
NAMED_ON = datetime.date(2026, 12, 20)
DOCUMENT = "长创绿办〔2026〕12号"
ISSUER = "长沙市创建节能环保社区工作领导小组"


def shortlisted(cw: CampaignWorld, unit: Unit) -> Application:
    with time_machine.travel(IN_APPLICATION, tick=False):
        application = applications.create_application(by=cw.user("admin"), campaign=cw.campaign, unit=unit)
    Application.objects.filter(pk=application.pk).update(
        status=Status.SHORTLISTED, final_score=Decimal("92.5")
    )
    application.refresh_from_db()
    return application


def notice_of(
    cw: CampaignWorld,
    units: list[tuple[Unit, bool]],
    *,
    status: str = Notice.Status.CLOSED,
    title: str = "长沙市2026年度市级节能环保社区拟命名名单公示",
) -> Notice:
    """A notice listing `units` (each with its demonstration mark) in rank order."""
    notice = Notice.objects.create(
        campaign=cw.campaign,
        title=title,
        length=7,
        day_kind="working",
        starts_on=datetime.date(2026, 12, 1),
        ends_on=datetime.date(2026, 12, 9),
        status=status,
    )
    for rank, (unit, demonstration) in enumerate(units, start=1):
        NoticeEntry.objects.create(
            notice=notice,
            application=shortlisted(cw, unit),
            unit=unit,
            rank=rank,
            score=Decimal("92.5"),
            is_demonstration=demonstration,
        )
    return notice


def named(cw: CampaignWorld, notice: Notice, *, on: datetime.date = NAMED_ON) -> NamingDecision:
    return name_units(
        by=cw.user("city"), notice=notice, document_number=DOCUMENT, decided_on=on, issuer=ISSUER
    )
