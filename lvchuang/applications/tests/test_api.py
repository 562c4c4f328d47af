"""The applications and batches API, end to end: the whole climb, a return with items, the batch, the forms."""

from __future__ import annotations

import io

import time_machine
from openpyxl import load_workbook
from rest_framework.test import APIClient

from conftest import CampaignWorld
from lvchuang.applications.models import Application, Batch, Status
from lvchuang.applications.tests.conftest import JUNE, OCTOBER, pdf_scan


def _api(cw: CampaignWorld, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(cw.user(name))
    return client


def test_it_climbs_through_the_api_and_sends_the_batch(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    cw.complete_assessment(cw.world.furong_unit)
    unit, street, district, city = (_api(cw, n) for n in ("unit", "street", "furong", "city"))
    with time_machine.travel(JUNE, tick=False):
        response = unit.post(
            "/api/applications/", {"campaign": cw.campaign.pk, "unit": cw.world.furong_unit.pk}, format="json"
        )
        assert response.status_code == 201, response.data
        pk = response.data["id"]
        assert any("前置称号" in line["text"] for line in response.data["eligibility_lines"])
        assert [t["name"] for t in response.data["transitions"]] == ["submit", "withdraw"]
        assert (
            unit.post(f"/api/applications/{pk}/transition/", {"name": "submit"}, format="json").status_code
            == 200
        )

        response = street.post(
            f"/api/applications/{pk}/transition/",
            {
                "name": "return",
                "comment": "佐证不全",
                "item_comments": [{"item": "2.1", "comment": "补照片"}],
            },
            format="json",
        )
        assert response.status_code == 200
        assert response.data["status"] == "returned"
        assert response.data["history"][-1]["item_comments"] == [{"item": "2.1", "comment": "补照片"}]

        for client, name in ((unit, "submit"), (street, "recommend"), (district, "approve")):
            response = client.post(f"/api/applications/{pk}/transition/", {"name": name}, format="json")
            assert response.status_code == 200, (name, response.data)

        response = district.post(
            "/api/batches/", {"campaign": cw.campaign.pk, "office": cw.world.furong_office.pk}, format="json"
        )
        assert response.status_code == 201, response.data
        batch_id = response.data["id"]
        assert (
            district.post(
                f"/api/batches/{batch_id}/applications/", {"applications": [pk]}, format="json"
            ).status_code
            == 200
        )
        response = district.post(
            f"/api/batches/{batch_id}/seal-scan/", {"seal_scan": pdf_scan()}, format="multipart"
        )
        assert response.status_code == 200
        assert response.data["has_seal_scan"]
        response = district.post(f"/api/batches/{batch_id}/submit/")
        assert response.status_code == 200
        assert response.data["status"] == "submitted"

        sheet = city.get(f"/api/batches/{batch_id}/form.xlsx/")
        assert sheet.status_code == 200
        workbook = load_workbook(io.BytesIO(sheet.content))
        assert workbook.active is not None
        assert workbook.active["A1"].value == "长沙市节能环保社区申报表"
        assert city.get(f"/api/batches/{batch_id}/form.pdf/")["Content-Type"] == "application/pdf"

    with time_machine.travel(OCTOBER, tick=False):
        response = city.post(f"/api/applications/{pk}/transition/", {"name": "check"}, format="json")
    assert response.status_code == 200
    application = Application.objects.get(pk=pk)
    assert application.status == Status.CHECKED
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.SUBMITTED
    assert list(application.events.values_list("action", flat=True)) == [
        "create",
        "submit",
        "return",
        "submit",
        "recommend",
        "approve",
        "check",
    ]


def test_a_refused_transition_answers_400_with_the_reason(campaign_world: CampaignWorld) -> None:
    cw = campaign_world
    from lvchuang.applications.tests.conftest import submitted

    with time_machine.travel(JUNE, tick=False):
        application = submitted(cw)
        response = _api(cw, "street").post(
            f"/api/applications/{application.pk}/transition/", {"name": "reject"}, format="json"
        )
    assert response.status_code == 400
    assert "comment" in response.data
    response = _api(cw, "tianxin").post(
        f"/api/applications/{application.pk}/transition/", {"name": "recommend"}, format="json"
    )
    assert response.status_code == 404


def test_the_api_lists_only_the_jurisdiction(
    campaign_world: CampaignWorld, django_assert_max_num_queries
) -> None:
    cw = campaign_world
    from lvchuang.applications.tests.conftest import submitted

    with time_machine.travel(JUNE, tick=False):
        submitted(cw)
        submitted(cw, cw.world.tianxin_unit)
        client = _api(cw, "furong")
        with django_assert_max_num_queries(6):
            response = client.get("/api/applications/", {"status": "submitted"})
    assert [row["unit_name"] for row in response.data["results"]] == ["识字岭社区居委会"]
