"""/api/self-assessments/: list, detail, one item's answer (PATCH) and the evaluation, scoped like the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from lvchuang.assessments import services
from lvchuang.assessments.models import ItemResponse
from lvchuang.assessments.tests.helpers import PASSING, leaf, make_version, png_upload
from lvchuang.web.tests.helpers import queries_for


@pytest.fixture
def api(world):
    def api(who):
        client = APIClient()
        client.force_authenticate(world.user(who))
        return client

    return api


def item_url(assessment, code):
    return f"/api/self-assessments/{assessment.pk}/items/{leaf(assessment.version, code).pk}/"


def test_it_lists_the_assessments_in_the_jurisdiction_with_their_progress(
    world, api, assessment, answer, version
):
    answer("1.1", points=Decimal("8"))
    services.start_assessment(by=None, unit=world.tianxin_unit, version=version)

    data = api("furong").get("/api/self-assessments/").json()

    assert data["count"] == 1
    [row] = data["results"]
    assert (row["id"], row["unit_name"], row["status"]) == (assessment.pk, "识字岭社区居委会", "draft")
    assert (row["answered"], row["leaf_count"]) == (1, 7)
    assert api("city").get("/api/self-assessments/").json()["count"] == 2
    assert api("city").get(f"/api/self-assessments/?unit={world.tianxin_unit.pk}").json()["count"] == 1
    assert api("outsider").get("/api/self-assessments/").json()["count"] == 0


def test_the_list_costs_the_same_queries_however_many_there_are(world, assessment, version, client):
    client.force_login(world.user("city"))
    one = queries_for(client, "/api/self-assessments/")
    for number in range(3):
        services.start_assessment(by=None, unit=world.tianxin_unit, version=make_version(code=f"v{number}"))

    assert queries_for(client, "/api/self-assessments/") == one == 5


def test_it_shows_every_answer_and_its_evidence_in_the_detail(world, api, assessment, answer):
    answer("1.1", points=Decimal("8"), narrative="有文件")
    services.attach_evidence(
        by=world.user("unit"),
        assessment=assessment,
        item=leaf(assessment.version, "1.1"),
        upload=png_upload(),
    )

    data = api("unit").get(f"/api/self-assessments/{assessment.pk}/").json()

    [response] = data["responses"]
    assert (response["code"], response["points"], response["narrative"]) == ("1.1", "8.00", "有文件")
    [evidence] = response["evidence"]
    assert evidence["download"] == f"/assessments/{assessment.pk}/evidence/{evidence['id']}/"
    assert evidence["content_type"] == "image/png"


def test_it_saves_one_items_answer_keeping_what_is_not_sent(world, api, assessment, answer):
    answer("1.1", points=Decimal("6"), narrative="原有说明")

    response = api("unit").patch(item_url(assessment, "1.1"), {"points": "9.5"}, format="json")

    assert response.status_code == 200
    assert response.json()["points"] == "9.50"
    saved = ItemResponse.objects.get(item=leaf(assessment.version, "1.1"))
    assert (saved.points, saved.narrative) == (Decimal("9.5"), "原有说明")


def test_it_answers_400_with_the_reason_for_points_out_of_range(world, api, assessment):
    response = api("unit").patch(item_url(assessment, "1.1"), {"points": "11"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"points": ["分值应在 0 到 10 分之间。"]}
    assert not ItemResponse.objects.exists()


def test_it_refuses_a_read_only_user_and_hides_the_assessment_from_others(world, api, assessment):
    assert api("leader").patch(item_url(assessment, "1.1"), {"points": "5"}, format="json").status_code == 403
    for who in ("tianxin", "outsider"):
        assert api(who).patch(item_url(assessment, "1.1"), {"points": "5"}, format="json").status_code == 404
        assert api(who).get(f"/api/self-assessments/{assessment.pk}/evaluation/").status_code == 404
    assert not ItemResponse.objects.exists()


def test_it_explains_the_evaluation(world, api, assessment, answer):
    for code, values in {**PASSING, "1.2": {"points": Decimal("0")}}.items():
        answer(code, **values)

    data = api("leader").get(f"/api/self-assessments/{assessment.pk}/evaluation/").json()

    assert data["verdict"] == "failed"
    assert data["passed"] is False
    assert data["total"] == "77.00"
    assert data["shortfall"] == "3.00"
    assert data["failed_vetoes"] == ["1.2"]
    assert (data["answered"], data["leaf_count"]) == (7, 7)
    assert data["explanation"][0] == "未通过：必须完成项「1.2 完成年度节能目标」得分为零。"
    item = next(row for row in data["items"] if row["code"] == "1.2")
    assert item == {
        "id": leaf(assessment.version, "1.2").pk,
        "code": "1.2",
        "title": "完成年度节能目标",
        "kind": "veto",
        "depth": 1,
        "is_leaf": True,
        "points": "0.00",
        "max_points": "20.00",
        "answered": True,
        "failed": True,
    }
