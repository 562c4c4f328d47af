"""The supervision pages: who sees what, the re-inspection flow with htmx rows, the unit's report and the office's
decisions."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lvchuang.supervision import access, selectors, services
from lvchuang.supervision.models import Inspection, RectificationOrder, Reinspection, RevocationProposal
from lvchuang.supervision.tests.conftest import TODAY
from lvchuang.titles.models import Title


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_office_creates_draws_and_records_a_reinspection_through_the_pages(sw) -> None:
    sw.holder("第一")
    furong = client_for(sw.user("furong"))
    assert furong.get(reverse("supervision:reinspection_create")).status_code == 200
    response = furong.post(
        reverse("supervision:reinspection_create"),
        {
            "office": sw.world.furong_office.pk,
            "program": sw.program.pk,
            "year": 2026,
            "name": "芙蓉区回头看",
            "kind": "sample",
            "sample_size": 5,
            "risk_factor": "3",
        },
    )
    reinspection = Reinspection.objects.get(name="芙蓉区回头看")
    assert response.status_code == 302
    page = furong.get(reverse("supervision:reinspection_detail", args=[reinspection.pk]))
    assert "2 家持有单位" in page.content.decode()
    furong.post(reverse("supervision:reinspection_draw", args=[reinspection.pk]), {"seed": "公开种子"})
    reinspection.refresh_from_db()
    assert (reinspection.status, reinspection.seed) == ("drawn", "公开种子")
    drawn = furong.get(reverse("supervision:reinspection_detail", args=[reinspection.pk])).content.decode()
    assert "一致" in drawn
    assert "公开种子" in drawn
    first, second = reinspection.inspections.order_by("pk")
    url = reverse("supervision:inspection_record", args=[first.pk])
    prefix = f"inspection-{first.pk}-"
    refused = furong.post(
        url,
        {prefix + "result": "failed", prefix + "inspected_on": "2026-03-16", prefix + "findings": "台账缺失"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200
    assert "请写明整改要求" in refused.content.decode()
    assert "台账缺失" in refused.content.decode()  # what was typed stays
    recorded = furong.post(
        url,
        {
            prefix + "result": "failed",
            prefix + "inspected_on": "2026-03-16",
            prefix + "findings": "台账缺失",
            prefix + "requirements": "补建台账",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "ZG2026-0001" in recorded.content.decode()
    assert "HX-Refresh" not in recorded
    prefix = f"inspection-{second.pk}-"
    last = furong.post(
        reverse("supervision:inspection_record", args=[second.pk]),
        {prefix + "result": "passed", prefix + "inspected_on": "2026-03-16"},
        HTTP_HX_REQUEST="true",
    )
    assert last["HX-Refresh"] == "true"
    reinspection.refresh_from_db()
    assert reinspection.status == Reinspection.Status.CLOSED
    first.refresh_from_db()
    assert first.result == Inspection.Result.FAILED


def test_the_unit_sees_its_order_with_the_deadline_and_reports_with_a_file(sw) -> None:
    order = sw.failed_order()
    unit = client_for(sw.user("unit"))
    listing = unit.get(reverse("supervision:order_list")).content.decode()
    assert "请在 2026-04-16 前报送整改报告" in listing
    assert [o.pk for o in selectors.my_open_orders(sw.user("unit"))] == [order.pk]
    assert selectors.my_open_orders(sw.user("furong")) == []
    detail = unit.get(reverse("supervision:order_detail", args=[order.pk])).content.decode()
    assert "报送整改报告" in detail
    refused = unit.post(reverse("supervision:order_report", args=[order.pk]), {"report": " "})
    assert refused.status_code == 400
    upload = SimpleUploadedFile("整改照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    done = unit.post(
        reverse("supervision:order_report", args=[order.pk]), {"report": "已整改完毕", "upload": upload}
    )
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.REPORTED
    file = unit.get(reverse("supervision:order_file", args=[order.pk]))
    assert file.status_code == 200
    assert file["Content-Type"] == "image/png"
    assert (
        client_for(sw.user("tianxin")).get(reverse("supervision:order_file", args=[order.pk])).status_code
        == 404
    )


def test_a_unit_cannot_accept_its_own_order_and_the_office_can(sw) -> None:
    order = sw.failed_order()
    services.report_rectification(by=sw.user("unit"), order=order, report="已整改", today=TODAY)
    url = reverse("supervision:order_decide", args=[order.pk])
    assert client_for(sw.user("unit")).post(url, {"decision": "accept"}).status_code == 403
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.REPORTED
    response = client_for(sw.user("furong")).post(url, {"decision": "accept", "note": "合格"})
    assert response.status_code == 302
    assert sw.title_of(sw.world.furong_unit).status == Title.Status.VALID


def test_another_district_and_another_unit_see_nothing_of_the_order(sw) -> None:
    order = sw.failed_order()
    for name in ("tianxin", "tianxin_unit", "outsider", "reviewer"):
        user = sw.user(name)
        assert not access.visible_orders(user).exists()
        response = client_for(user).get(reverse("supervision:order_detail", args=[order.pk]))
        assert response.status_code == 404, name
        assert order.number not in client_for(user).get(reverse("supervision:order_list")).content.decode()
    for name in ("furong", "city", "street", "unit", "leader"):
        assert access.visible_orders(sw.user(name)).filter(pk=order.pk).exists(), name


def test_offices_see_counts_and_the_overdue_highlighted(sw) -> None:
    order = sw.failed_order()
    RectificationOrder.objects.filter(pk=order.pk).update(due_on=datetime.date(2026, 3, 1))
    page = client_for(sw.user("city")).get(reverse("supervision:order_list")).content.decode()
    assert "deadline-missed" in page
    assert "已逾期" in page
    counts = selectors.order_counts(access.visible_orders(sw.user("city")), today=TODAY)
    assert (counts.open, counts.late, counts.overdue) == (1, 1, 0)


def test_proposals_are_the_offices_and_are_decided_on_their_page(sw) -> None:
    order = sw.failed_order()
    services.mark_overdue(today=order.due_on + datetime.timedelta(days=1))
    proposal = RevocationProposal.objects.get()
    url = reverse("supervision:proposal_detail", args=[proposal.pk])
    for name in ("unit", "tianxin"):
        assert client_for(sw.user(name)).get(url).status_code == 404
    page = client_for(sw.user("furong")).get(url).content.decode()
    assert "系统（逾期未整改）" in page
    decide = reverse("supervision:proposal_decide", args=[proposal.pk])
    refused = client_for(sw.user("furong")).post(decide, {"decision": "revoke", "reason": "逾期"})
    assert refused.status_code == 400
    assert "撤销称号须填写撤销决定的文号" in refused.content.decode()
    assert client_for(sw.user("street")).post(decide, {"decision": "decline"}).status_code == 403
    done = client_for(sw.user("furong")).post(
        decide, {"decision": "revoke", "document_number": "芙创办〔2026〕5号", "reason": "逾期未整改"}
    )
    assert done.status_code == 302
    title = sw.title_of(sw.world.furong_unit)
    assert (title.status, title.status_reason) == ("revoked", "逾期未整改")


def test_the_title_page_issues_an_order_and_proposes_revocation(sw) -> None:
    title = sw.title_of(sw.world.furong_unit)
    furong = client_for(sw.user("furong"))
    page = furong.get(reverse("supervision:title_supervision", args=[title.pk])).content.decode()
    assert "下达整改通知" in page
    response = furong.post(
        reverse("supervision:title_issue_order", args=[title.pk]), {"requirements": "清理楼道堆物"}
    )
    order = RectificationOrder.objects.get(title=title)
    assert response["Location"] == reverse("supervision:order_detail", args=[order.pk])
    response = furong.post(
        reverse("supervision:title_propose", args=[title.pk]), {"reason": "发生重大环境污染事故"}
    )
    assert RevocationProposal.objects.get(title=title).reason == "发生重大环境污染事故"
    assert (
        client_for(sw.user("street"))
        .post(reverse("supervision:title_propose", args=[title.pk]), {"reason": "x"})
        .status_code
        == 403
    )
    assert (
        client_for(sw.user("tianxin"))
        .get(reverse("supervision:title_supervision", args=[title.pk]))
        .status_code
        == 404
    )


def test_the_order_list_has_a_fixed_number_of_queries(sw, django_assert_max_num_queries) -> None:
    for n in range(4):
        services.issue_order(
            by=sw.user("furong"), title=sw.holder(f"列表{n}"), requirements="整改", today=TODAY
        )
    client = client_for(sw.user("city"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("supervision:order_list"))
    assert response.content.decode().count("ZG2026-") == 4


def test_without_scripts_a_refused_result_shows_the_page_again_with_what_was_typed(sw) -> None:
    reinspection = services.draw_sample(by=sw.user("furong"), reinspection=sw.reinspection(size=1), seed="n")
    inspection = reinspection.inspections.get()
    prefix = f"inspection-{inspection.pk}-"
    response = client_for(sw.user("furong")).post(
        reverse("supervision:inspection_record", args=[inspection.pk]),
        {
            prefix + "result": "failed",
            prefix + "inspected_on": "2026-03-16",
            prefix + "findings": "公示栏缺失",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请写明整改要求" in page
    assert "公示栏缺失" in page
    inspection.refresh_from_db()
    assert inspection.result == Inspection.Result.PENDING
