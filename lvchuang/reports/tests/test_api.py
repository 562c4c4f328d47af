"""The submissions API: requirements, completeness, handing in, accept / return, my submissions."""

from __future__ import annotations

import datetime

import time_machine
from rest_framework.test import APIClient

from lvchuang.assessments.tests.helpers import pdf_upload
from lvchuang.reports.models import Requirement, Submission

from .conftest import department_submitter, office_submitter, unit_submitter

JUNE_5 = datetime.datetime(2026, 6, 5, 2, tzinfo=datetime.UTC)


def api_for(rw, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(rw.user(name))
    return client


def test_it_lists_and_creates_requirements_for_the_campaign_s_runners(rw):
    listed = api_for(rw, "city").get("/api/report-requirements/", {"campaign": rw.campaign.pk})
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert (row["title"], row["due_on"], row["periods"]) == (
        "区年度创建工作计划",
        "2026-05-31",
        [{"key": "", "due_on": "2026-05-31"}],
    )
    assert api_for(rw, "outsider").get(f"/api/report-requirements/{rw.work_plan.pk}/").status_code == 404
    data = {
        "campaign": rw.campaign.pk,
        "kind": "yearly_summary",
        "title": "区年度创建工作总结",
        "submitters": "offices",
        "submitter_level": 3,
        "due_on": "2026-12-20",
    }
    assert api_for(rw, "furong").post("/api/report-requirements/", data, format="json").status_code == 403
    bad = api_for(rw, "city").post("/api/report-requirements/", {**data, "kind": "poem"}, format="json")
    assert bad.status_code == 400
    created = api_for(rw, "city").post("/api/report-requirements/", data, format="json")
    assert created.status_code == 201
    assert Requirement.objects.filter(title="区年度创建工作总结", campaign=rw.campaign).exists()


def test_it_edits_and_deletes_a_requirement(rw):
    url = f"/api/report-requirements/{rw.work_plan.pk}/"
    assert api_for(rw, "furong").patch(url, {"due_on": "2026-06-10"}, format="json").status_code == 403
    changed = api_for(rw, "city").patch(url, {"due_on": "2026-06-10"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["due_on"] == "2026-06-10"
    assert api_for(rw, "tianxin").delete(url).status_code == 403  # sees the campaign, does not run it
    assert api_for(rw, "city").delete(url).status_code == 204
    assert not Requirement.objects.filter(pk=rw.work_plan.pk).exists()


def test_it_adds_the_defaults(rw):
    response = api_for(rw, "city").post(
        "/api/report-requirements/add-defaults/", {"campaign": rw.campaign.pk}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert [r["title"] for r in body["created"]] == ["区年度创建工作总结"]
    assert body["skipped"][0]["title"] == "区年度创建工作计划"


@time_machine.travel(JUNE_5, tick=False)
def test_it_runs_the_seed_000_work_plan_round_through_the_api(rw):
    world = rw.world
    url = f"/api/report-requirements/{rw.work_plan.pk}/submit/"
    furong = api_for(rw, "furong").post(
        url, {"submitter": office_submitter(world.furong_office).key, "content": "芙蓉区计划"}, format="json"
    )
    assert furong.status_code == 201
    assert furong.json()["is_late"] is True
    sibling = api_for(rw, "furong").post(
        url, {"submitter": office_submitter(world.tianxin_office).key, "content": "冒名"}, format="json"
    )
    assert sibling.status_code == 403
    upload = api_for(rw, "tianxin").post(
        url,
        {"submitter": office_submitter(world.tianxin_office).key, "file": pdf_upload("计划.pdf")},
        format="multipart",
    )
    assert upload.status_code == 201
    assert upload.json()["has_file"] is True

    table = api_for(rw, "city").get(f"/api/report-requirements/{rw.work_plan.pk}/completeness/")
    assert table.status_code == 200
    assert [(row["submitter"]["name"], row["status"]) for row in table.json()["rows"]] == [
        ("芙蓉区创建办", "late"),
        ("天心区创建办", "late"),
        ("岳麓区创建办", "overdue"),
    ]
    assert (
        api_for(rw, "furong").get(f"/api/report-requirements/{rw.work_plan.pk}/completeness/").status_code
        == 403
    )

    submission_id = furong.json()["id"]
    assert api_for(rw, "tianxin").get(f"/api/report-submissions/{submission_id}/").status_code == 404
    assert api_for(rw, "furong").post(f"/api/report-submissions/{submission_id}/accept/").status_code == 403
    no_reason = api_for(rw, "city").post(
        f"/api/report-submissions/{submission_id}/return/", {}, format="json"
    )
    assert no_reason.status_code == 400
    returned = api_for(rw, "city").post(
        f"/api/report-submissions/{submission_id}/return/", {"comment": "请补充"}, format="json"
    )
    assert returned.json()["status"] == "returned"
    again = api_for(rw, "furong").post(
        url, {"submitter": office_submitter(world.furong_office).key, "content": "已补充"}, format="json"
    )
    assert again.status_code == 201
    accepted = api_for(rw, "city").post(f"/api/report-submissions/{submission_id}/accept/", {}, format="json")
    assert accepted.json()["status"] == "accepted"
    assert Submission.objects.get(pk=submission_id).status == Submission.Status.ACCEPTED

    mine = api_for(rw, "furong").get("/api/report-submissions/mine/")
    assert [(d["requirement_title"], d["status"], d["owed"]) for d in mine.json()] == [
        ("区年度创建工作计划", "accepted", False)
    ]
    assert api_for(rw, "city").get("/api/report-submissions/").json()["count"] == 2
    rows = api_for(rw, "furong").get("/api/report-submissions/").json()["results"]
    assert [row["submitter"]["name"] for row in rows] == ["芙蓉区创建办"]


def test_it_takes_a_creation_plan_and_a_quarterly_report(rw, organs, joint_meeting):
    plan_url = f"/api/report-requirements/{organs.plan.pk}/submit/"
    without_file = api_for(rw, "unit").post(
        plan_url, {"submitter": unit_submitter(organs.organ).key, "content": "计划"}, format="json"
    )
    assert without_file.status_code == 400
    assert "upload" in without_file.json()
    other_unit = api_for(rw, "unit").post(
        plan_url,
        {"submitter": unit_submitter(organs.other_organ).key, "file": pdf_upload()},
        format="multipart",
    )
    assert other_unit.status_code == 403
    quarterly = api_for(rw, "housing").post(
        f"/api/report-requirements/{joint_meeting.quarterly.pk}/submit/",
        {
            "submitter": department_submitter(joint_meeting.housing).key,
            "period": "2026Q2",
            "content": "二季度",
        },
        format="json",
    )
    assert quarterly.status_code == 201
    assert quarterly.json()["due_on"] == "2026-07-10"
