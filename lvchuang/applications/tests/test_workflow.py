"""The application state machine through its services: who may move it, when, and what it leaves behind."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import CampaignWorld
from lvchuang.applications import services
from lvchuang.applications.models import Application, Batch, Status
from lvchuang.campaigns.models import Action, WindowOverride
from lvchuang.campaigns.services import record_override

IN_APPLICATION = datetime.date(2026, 6, 15)
IN_ACCEPTANCE = datetime.date(2026, 10, 15)


def _submitted(cw: CampaignWorld) -> Application:
    unit = cw.world.furong_unit
    cw.complete_assessment(unit)
    application = services.create_application(by=cw.user("unit"), campaign=cw.campaign, unit=unit)
    return services.submit_application(by=cw.user("unit"), application=application, today=IN_APPLICATION)


def test_it_climbs_street_district_and_records_every_step(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    application = _submitted(cw)
    assert application.status == Status.SUBMITTED
    assert application.self_score is not None

    with pytest.raises(PermissionDenied):  # the district waits for the street
        services.approve_application(by=cw.user("furong"), application=application, today=IN_APPLICATION)
    services.recommend_application(by=cw.user("street"), application=application, today=IN_APPLICATION)
    services.approve_application(by=cw.user("furong"), application=application, today=IN_APPLICATION)

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    events = list(application.events.values_list("action", "from_status", "to_status", "by__username"))
    assert events == [
        ("create", "", "draft", "unit"),
        ("submit", "draft", "submitted", "unit"),
        ("recommend", "submitted", "recommended", "street"),
        ("approve", "recommended", "approved", "furong"),
    ]


def test_a_sibling_district_cannot_touch_the_application(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    application = _submitted(cw)
    services.recommend_application(by=cw.user("street"), application=application, today=IN_APPLICATION)
    with pytest.raises(PermissionDenied):
        services.approve_application(by=cw.user("tianxin"), application=application, today=IN_APPLICATION)


def test_a_late_action_is_refused_and_an_override_opens_it_with_its_reason(
    campaign_world: CampaignWorld,
) -> None:
    cw = campaign_world
    unit = cw.world.furong_unit
    cw.complete_assessment(unit)
    application = services.create_application(by=cw.user("unit"), campaign=cw.campaign, unit=unit)
    late = datetime.date(2026, 10, 8)

    with pytest.raises(ValidationError, match="已于"):
        services.submit_application(by=cw.user("unit"), application=application, today=late)

    override = record_override(
        by=cw.user("city"),
        campaign=cw.campaign,
        action=Action.SUBMIT,
        until=datetime.date(2026, 10, 10),
        reason="国庆假期顺延",
        region=cw.world.furong,
    )
    services.submit_application(by=cw.user("unit"), application=application, today=late)
    event = application.events.get(action="submit")
    assert event.override == override
    assert WindowOverride.objects.get().reason == "国庆假期顺延"


def test_a_return_tells_the_unit_what_to_fix_and_it_can_resubmit(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    application = _submitted(cw)
    services.return_application(
        by=cw.user("street"),
        application=application,
        comment="佐证材料不全",
        item_comments=[{"item": "2.1", "comment": "补充宣传活动照片"}],
    )
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    last = services.latest_return(application)
    assert last is not None
    assert last.item_comments == [{"item": "2.1", "comment": "补充宣传活动照片"}]
    services.submit_application(by=cw.user("unit"), application=application, today=IN_APPLICATION)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_city_checks_only_what_came_in_a_submitted_batch(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    application = _submitted(cw)
    services.recommend_application(by=cw.user("street"), application=application, today=IN_APPLICATION)
    services.approve_application(by=cw.user("furong"), application=application, today=IN_APPLICATION)
    with pytest.raises(ValidationError, match="申报表"):
        services.check_application(by=cw.user("city"), application=application, today=IN_ACCEPTANCE)
    batch = Batch.objects.create(
        campaign=cw.campaign,
        office=cw.world.furong_office,
        number="B1",
        status=Batch.Status.SUBMITTED,
        submitted_at=datetime.datetime(2026, 9, 29, tzinfo=datetime.UTC),
    )
    Application.objects.filter(pk=application.pk).update(batch=batch)
    services.check_application(by=cw.user("city"), application=application, today=IN_ACCEPTANCE)
    application.refresh_from_db()
    assert application.status == Status.CHECKED
