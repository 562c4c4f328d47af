"""The supervision API: the same rules and scopes as the pages."""

from __future__ import annotations

import datetime

import time_machine
from rest_framework.test import APIClient

from lvchuang.supervision.models import RectificationOrder, RevocationProposal
from lvchuang.supervision.tests.conftest import TODAY
from lvchuang.titles.models import Title


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_office_creates_draws_verifies_and_records_a_reinspection(sw) -> None:
    sw.holder("接口")
    furong = api_for(sw.user("furong"))
    created = furong.post(
        "/api/reinspections/",
        {
            "office": sw.world.furong_office.pk,
            "program": sw.program.pk,
            "year": 2026,
            "name": "接口回头看",
            "kind": "sample",
            "sample_size": 1,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert (
        api_for(sw.user("tianxin")).post(f"/api/reinspections/{pk}/draw/", {}, format="json").status_code
        == 404
    )
    drawn = furong.post(f"/api/reinspections/{pk}/draw/", {"seed": "api"}, format="json")
    assert drawn.status_code == 200
    body = drawn.json()
    assert (body["status"], body["seed"], len(body["sample"]), len(body["inspections"])) == (
        "drawn",
        "api",
        1,
        1,
    )
    assert furong.get(f"/api/reinspections/{pk}/verify/").json()["matches"] is True
    inspection = body["inspections"][0]["id"]
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, tzinfo=datetime.UTC), tick=False):
        recorded = furong.post(
            f"/api/inspections/{inspection}/record/",
            {"result": "failed", "inspected_on": "2026-03-16", "findings": "问题", "requirements": "整改"},
            format="json",
        )
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["result"] == "failed"
    assert len(recorded.json()["orders"]) == 1
    order = RectificationOrder.objects.get(pk=recorded.json()["orders"][0])
    assert order.due_on == datetime.date(2026, 4, 16)


def test_a_reinspection_for_another_districts_office_is_refused(sw) -> None:
    response = api_for(sw.user("tianxin")).post(
        "/api/reinspections/",
        {
            "office": sw.world.furong_office.pk,
            "program": sw.program.pk,
            "year": 2026,
            "name": "越权",
            "kind": "sample",
            "sample_size": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "office" in response.json()


def test_the_unit_reports_and_the_office_rejects_through_the_api(sw) -> None:
    order = sw.failed_order()
    unit = api_for(sw.user("unit"))
    assert [row["id"] for row in unit.get("/api/rectification-orders/").json()["results"]] == [order.pk]
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC), tick=False):
        reported = unit.post(
            f"/api/rectification-orders/{order.pk}/report/", {"report": "已整改"}, format="multipart"
        )
        assert reported.status_code == 200, reported.json()
        assert (
            unit.post(f"/api/rectification-orders/{order.pk}/accept/", {}, format="json").status_code == 403
        )
        furong = api_for(sw.user("furong"))
        refused = furong.post(f"/api/rectification-orders/{order.pk}/reject/", {"note": ""}, format="json")
        assert refused.status_code == 400
        rejected = furong.post(
            f"/api/rectification-orders/{order.pk}/reject/", {"note": "不合格"}, format="json"
        )
    assert rejected.json()["status"] == "failed"
    proposal = RevocationProposal.objects.get(order=order)
    assert unit.get(f"/api/revocation-proposals/{proposal.pk}/").status_code == 404
    assert api_for(sw.user("tianxin")).get(f"/api/rectification-orders/{order.pk}/").status_code == 404


def test_an_office_proposes_and_decides_a_revocation_through_the_api(sw) -> None:
    title = sw.title_of(sw.world.furong_unit)
    city = api_for(sw.user("city"))
    assert (
        api_for(sw.user("tianxin"))
        .post("/api/revocation-proposals/", {"title": title.pk, "reason": "x"}, format="json")
        .status_code
        == 400
    )
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, tzinfo=datetime.UTC), tick=False):
        created = city.post(
            "/api/revocation-proposals/", {"title": title.pk, "reason": "发生重大环境污染事故"}, format="json"
        )
        assert created.status_code == 201
        pk = created.json()["id"]
        decided = city.post(
            f"/api/revocation-proposals/{pk}/decide/",
            {"revoke": True, "document_number": "长创办〔2026〕3号"},
            format="json",
        )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "revoked"
    title.refresh_from_db()
    assert (title.status, title.status_reason, title.status_changed_on) == (
        "revoked",
        "发生重大环境污染事故",
        TODAY,
    )
    assert Title.objects.get(pk=title.pk).events.latest("pk").document_number == "长创办〔2026〕3号"
