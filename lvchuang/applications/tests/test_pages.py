"""The application and batch pages, walked as their users walk them: the unit starts and submits, the street
recommends, the district approves and sends the stamped batch, the city checks it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import CampaignWorld
from lvchuang.applications import batches, services
from lvchuang.applications.models import Application, Batch, Status
from lvchuang.applications.tests.conftest import AUGUST, JUNE, OCTOBER, approved, pdf_scan, submitted


def _client(cw: CampaignWorld, name: str) -> Client:
    client = Client()
    client.force_login(cw.user(name))
    return client


def _move(client: Client, application: Application, name: str, **data: object):
    url = reverse("applications:transition", args=[application.pk])
    return client.post(url, {"name": name, **data})


def test_it_shows_the_unit_its_campaign_with_the_eligibility_sentences(campaign_world: CampaignWorld) -> None:
    response = _client(campaign_world, "unit").get(reverse("applications:mine"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "2026 年市级节能环保社区创建" in text or campaign_world.campaign.name in text
    assert "已于" in text
    assert "前置称号“区级节能环保（两型）社区”" in text
    assert "开始申报" in text


def test_it_climbs_from_the_unit_to_the_city_through_the_pages(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    cw.complete_assessment(cw.world.furong_unit)
    unit, street, district, city = (_client(cw, name) for name in ("unit", "street", "furong", "city"))
    with time_machine.travel(JUNE, tick=False):
        response = unit.post(
            reverse("applications:start"), {"campaign": cw.campaign.pk, "unit": cw.world.furong_unit.pk}
        )
        application = Application.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("applications:detail", args=[application.pk])

        assert _move(unit, application, "submit").status_code == 302
        assert "街道推荐" in street.get(reverse("applications:queue")).content.decode()
        assert _move(street, application, "recommend", comment="同意推荐").status_code == 302
        assert _move(district, application, "approve").status_code == 302
        application.refresh_from_db()
        assert application.status == Status.APPROVED

        district.post(reverse("applications:batch_create"), {"campaign": cw.campaign.pk})
        batch = Batch.objects.get()
        assert batch.number == "芙蓉区-2026-1"
        page = district.get(reverse("applications:batch_detail", args=[batch.pk])).content.decode()
        assert "识字岭社区居委会" in page
        assert "截止日期：2026-09-30" in page
        assert "报送窗口开放中" in page
        district.post(reverse("applications:batch_add", args=[batch.pk]), {"application": [application.pk]})
        district.post(reverse("applications:batch_upload_scan", args=[batch.pk]), {"seal_scan": pdf_scan()})
        response = district.post(reverse("applications:batch_submit", args=[batch.pk]))
        assert response.status_code == 302
        batch.refresh_from_db()
        assert batch.status == Batch.Status.SUBMITTED
        scan = city.get(reverse("applications:batch_scan", args=[batch.pk]))
        assert scan.status_code == 200
        assert scan["Content-Type"] == "application/pdf"
        assert scan.getvalue().startswith(b"%PDF")

    with time_machine.travel(OCTOBER, tick=False):
        assert _move(_client(cw, "city"), application, "check", comment="材料齐全").status_code == 302
        page = _client(cw, "unit").get(reverse("applications:detail", args=[application.pk])).content.decode()
    application.refresh_from_db()
    assert application.status == Status.CHECKED
    assert list(application.events.values_list("action", "from_status", "to_status", "by__username")) == [
        ("create", "", "draft", "unit"),
        ("submit", "draft", "submitted", "unit"),
        ("recommend", "submitted", "recommended", "street"),
        ("approve", "recommended", "approved", "furong"),
        ("check", "approved", "checked", "city"),
    ]
    assert "同意推荐" in page
    assert "材料齐全" in page
    assert "✓ 报送申报表" in page
    assert "✓ 初审" in page


def test_a_return_shows_the_unit_exactly_what_to_fix(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    with time_machine.travel(JUNE, tick=False):
        application = submitted(cw)
        response = _move(
            _client(cw, "street"),
            application,
            "return",
            comment="佐证材料不全",
            item=["2.1", "", "3.4"],
            item_comment=["补充宣传活动照片", "", "补充垃圾分类台账"],
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    event = application.events.get(action="return")
    assert event.item_comments == [
        {"item": "2.1", "comment": "补充宣传活动照片"},
        {"item": "3.4", "comment": "补充垃圾分类台账"},
    ]
    page = _client(cw, "unit").get(reverse("applications:detail", args=[application.pk])).content.decode()
    box = page[page.index("需要修改的内容") : page.index("审核进度")]
    assert "佐证材料不全" in box
    assert "补充宣传活动照片" in box
    assert "3.4" in box
    assert "补充垃圾分类台账" in box


def test_a_return_without_a_comment_keeps_what_was_typed(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    with time_machine.travel(JUNE, tick=False):
        application = submitted(cw)
        response = _move(
            _client(cw, "street"), application, "return", comment="", item=["2.1"], item_comment=["补充照片"]
        )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请写明意见" in text
    assert 'value="补充照片"' in text
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_closed_window_says_so_and_loses_nothing(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    with time_machine.travel(JUNE, tick=False):
        application = submitted(cw)
    with time_machine.travel(OCTOBER, tick=False):
        response = _move(_client(cw, "street"), application, "recommend", comment="同意，请区里审核")
    assert response.status_code == 400
    text = response.content.decode()
    assert "已于" in text
    assert "截止" in text
    assert "同意，请区里审核" in text
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_unit_saves_and_publishes_its_goals(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    unit = _client(cw, "unit")
    with time_machine.travel(AUGUST, tick=False):
        application = submitted(cw)
        unit.post(
            reverse("applications:save_goals", args=[application.pk]),
            {"goals": "垃圾分类参与率达到 70%", "measures": "每月一次宣传活动"},
        )
        unit.post(reverse("applications:publish", args=[application.pk]))
        application.refresh_from_db()
        assert application.goals == "垃圾分类参与率达到 70%"
        assert application.goals_published_at is not None
        unit.post(reverse("applications:publish", args=[application.pk]), {"action": "unpublish"})
    application.refresh_from_db()
    assert application.goals_published_at is None


def test_a_sibling_district_office_gets_404_on_the_application_and_its_batch(
    campaign_world: CampaignWorld,
) -> None:
    cw = campaign_world
    with time_machine.travel(JUNE, tick=False):
        application = approved(cw)
    batch = batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
    for name in ("tianxin", "outsider", "tianxin_unit"):
        client = _client(cw, name)
        assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
        assert client.get(reverse("applications:batch_detail", args=[batch.pk])).status_code == 404
        assert client.get(reverse("applications:batch_form_pdf", args=[batch.pk])).status_code == 404


def test_the_consent_form_records_a_skip_level_consent(world) -> None:
    from lvchuang.campaigns.models import Program
    from lvchuang.campaigns.services import create_campaign

    campaign = create_campaign(
        by=world.user("city"),
        program=Program.objects.get(code="city-green-unit"),
        year=2026,
        office=world.city_office,
    )
    application = services.create_application(by=world.user("sector"), campaign=campaign, unit=world.school)
    client = Client()
    client.force_login(world.user("city"))
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "登记越级申报同意" in page
    response = client.post(
        reverse("applications:consent", args=[application.pk]),
        {"document": "咸创组〔2026〕5号", "given_on": "2026-06-01", "note": "组委会第二次会议同意"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.consent_document == "咸创组〔2026〕5号"
    assert application.events.filter(action="consent").exists()


# --- lists and their query counts ---------------------------------------------------------------------------


def _queries(django_assert_max_num_queries, client: Client, url: str, limit: int) -> str:
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("route", ["applications:queue", "applications:list", "applications:batch_list"])
def test_the_lists_take_a_fixed_number_of_queries(
    campaign_world: CampaignWorld, django_assert_num_queries, route
) -> None:
    cw = campaign_world
    with time_machine.travel(JUNE, tick=False):
        first = submitted(cw)
        services.recommend_application(by=cw.user("admin"), application=first, today=JUNE.date())
        batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
        client = _client(cw, "furong")
        client.get(reverse(route))  # warm the session and the jurisdiction
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            assert client.get(reverse(route)).status_code == 200
        from lvchuang.organisations.models import Unit

        for number in range(3):
            unit = Unit.objects.create(
                name=f"新社区{number}", kind=Unit.Kind.COMMUNITY, region=cw.world.furong_community
            )
            from lvchuang.titles.models import Title

            Title.objects.create(
                unit=unit,
                program=cw.district_program,
                year=2024,
                named_on=datetime.date(2024, 12, 20),
                document_number="区创建办〔2024〕3号",
            )
            application = submitted(cw, unit)
            services.recommend_application(by=cw.user("admin"), application=application, today=JUNE.date())
            batches.create_batch(by=cw.user("furong"), campaign=cw.campaign, office=cw.world.furong_office)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(reverse(route))
    assert response.status_code == 200
    assert "新社区2" in response.content.decode() or route == "applications:batch_list"


def test_the_queue_counts_by_status_and_filters(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    with time_machine.travel(JUNE, tick=False):
        submitted(cw)
        submitted(cw, cw.world.tianxin_unit)
        # An office may act for the levels below it, so the city finds both in its queue, counted by status.
        text = _client(cw, "city").get(reverse("applications:queue")).content.decode()
        assert "识字岭社区居委会" in text
        assert "西牌楼社区居委会" in text
        assert '<span class="stat-value">2</span><span class="stat-label">已提交</span>' in text
        tianxin = _client(cw, "tianxin").get(reverse("applications:queue")).content.decode()
        assert "西牌楼社区居委会" in tianxin
        assert "识字岭社区居委会" not in tianxin
        filtered = (
            _client(cw, "tianxin").get(reverse("applications:queue") + "?status=recommended").content.decode()
        )
        assert "西牌楼社区居委会" not in filtered
