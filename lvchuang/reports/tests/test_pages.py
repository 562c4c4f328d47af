"""The submission pages: a campaign's requirements, completeness, handing in, accept / return, files, access."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lvchuang.assessments.tests.helpers import pdf_upload
from lvchuang.organisations.models import Office
from lvchuang.regions.models import Region
from lvchuang.reports.models import Requirement, Submission

from .conftest import office_submitter, unit_submitter

JUNE_5 = datetime.datetime(2026, 6, 5, 2, tzinfo=datetime.UTC)  # 10:00 in Beijing


def client_for(rw, name: str) -> Client:
    client = Client()
    client.force_login(rw.user(name))
    return client


@pytest.fixture
def after_due():
    with time_machine.travel(JUNE_5, tick=False):
        yield


def _seed_000(rw):
    world = rw.world
    rw.hand_in(rw.work_plan, office_submitter(world.furong_office), "furong", datetime.date(2026, 5, 28))
    return rw.hand_in(
        rw.work_plan, office_submitter(world.tianxin_office), "tianxin", datetime.date(2026, 6, 3)
    )


def test_the_campaign_page_lists_requirements_with_their_counts(rw, after_due):
    _seed_000(rw)
    response = client_for(rw, "city").get(reverse("reports:campaign_requirements", args=[rw.campaign.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "区年度创建工作计划" in text
    assert "按项目默认要求添加" in text
    assert "deadline-missed" in text  # 岳麓区 is overdue
    # A district sees the requirement it owes but neither the counts nor the management buttons.
    district = client_for(rw, "furong").get(reverse("reports:campaign_requirements", args=[rw.campaign.pk]))
    assert district.status_code == 200
    assert "区年度创建工作计划" in district.content.decode()
    assert "按项目默认要求添加" not in district.content.decode()
    assert "逾期未报" not in district.content.decode()


def test_the_office_adds_the_defaults_from_the_campaign_page(rw):
    response = client_for(rw, "city").post(
        reverse("reports:add_defaults", args=[rw.campaign.pk]), follow=True
    )
    assert response.status_code == 200
    assert "已按项目默认要求添加 1 项" in response.content.decode()
    assert "未添加“区年度创建工作计划”" in response.content.decode()
    assert rw.campaign.requirements.count() == 2
    refused = client_for(rw, "furong").post(reverse("reports:add_defaults", args=[rw.campaign.pk]))
    assert refused.status_code == 403


def test_the_office_creates_a_requirement_and_sees_its_errors_with_its_input(rw):
    url = reverse("reports:requirement_create", args=[rw.campaign.pk])
    data = {
        "kind": "yearly_summary",
        "title": "区年度创建工作总结（草）",
        "submitters": "offices",
        "submitter_level": "",
        "period": "once",
        "due_on": "2026-12-20",
        "days_after_quarter": "10",
        "remind_days_before": "7",
        "remind_days_after": "3",
    }
    refused = client_for(rw, "city").post(url, data)
    assert refused.status_code == 400
    assert "请选择报送的创建办层级" in refused.content.decode()
    assert "区年度创建工作总结（草）" in refused.content.decode()
    data["submitter_level"] = str(Region.Level.COUNTY)
    response = client_for(rw, "city").post(url, data)
    requirement = Requirement.objects.get(title="区年度创建工作总结（草）")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:requirement_detail", args=[requirement.pk])
    assert requirement.created_by == rw.user("city")
    assert client_for(rw, "furong").get(url).status_code == 403


def test_the_office_edits_and_deletes_a_requirement(rw):
    url = reverse("reports:requirement_edit", args=[rw.work_plan.pk])
    page = client_for(rw, "city").get(url)
    assert page.status_code == 200
    assert "区年度创建工作计划" in page.content.decode()
    data = {
        "kind": "work_plan",
        "title": "区年度创建工作计划",
        "submitters": "offices",
        "submitter_level": "3",
        "period": "once",
        "due_on": "2026-06-10",
        "days_after_quarter": "10",
        "remind_days_before": "5",
        "remind_days_after": "3",
    }
    assert client_for(rw, "city").post(url, data).status_code == 302
    rw.work_plan.refresh_from_db()
    assert (rw.work_plan.due_on, rw.work_plan.remind_days_before) == (datetime.date(2026, 6, 10), 5)
    delete = reverse("reports:requirement_delete", args=[rw.work_plan.pk])
    assert client_for(rw, "furong").post(delete).status_code == 403
    assert client_for(rw, "city").post(delete).status_code == 302
    assert not Requirement.objects.filter(pk=rw.work_plan.pk).exists()


def test_the_completeness_table_shows_who_is_late_and_who_owes(rw, after_due, django_assert_num_queries):
    _seed_000(rw)
    url = reverse("reports:requirement_detail", args=[rw.work_plan.pk])
    client = client_for(rw, "city")
    client.get(url)  # warm the session and the content types
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "芙蓉区创建办" in text
    assert "逾期报送" in text
    assert text.count("deadline-missed") == 1
    # The query count does not grow with the number of submitters.
    for number in range(5):
        region = Region.objects.create(
            code=f"4301{11 + number}000000",
            name=f"新区{number}",
            level=3,
            parent=rw.world.city,
            path=f"4301{11 + number}",
            code_year=2023,
        )
        Office.objects.create(name=f"新区{number}创建办", region=region)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("deadline-missed") == 6
    only_overdue = client.get(url, {"status": "overdue"}).content.decode()
    assert "岳麓区创建办" in only_overdue
    assert "天心区创建办" not in only_overdue


def test_the_completeness_csv_lists_every_submitter(rw, after_due):
    _seed_000(rw)
    response = client_for(rw, "city").get(reverse("reports:requirement_csv", args=[rw.work_plan.pk]))
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("报送单位")
    assert [line.split(",")[3] for line in lines[1:]] == ["已报送", "逾期报送", "逾期未报"]
    assert (
        client_for(rw, "furong").get(reverse("reports:requirement_csv", args=[rw.work_plan.pk])).status_code
        == 403
    )


def test_a_district_sees_the_requirement_but_not_its_neighbours_status(rw, after_due):
    _seed_000(rw)
    response = client_for(rw, "furong").get(reverse("reports:requirement_detail", args=[rw.work_plan.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "我的报送" in text
    assert "天心区创建办" not in text
    assert (
        client_for(rw, "outsider")
        .get(reverse("reports:requirement_detail", args=[rw.work_plan.pk]))
        .status_code
        == 404
    )


def test_a_district_hands_in_its_work_plan_through_the_form(rw, after_due):
    url = reverse("reports:submit", args=[rw.work_plan.pk])
    page = client_for(rw, "furong").get(url)
    assert page.status_code == 200
    assert "报送内容" in page.content.decode()
    empty = client_for(rw, "furong").post(
        url, {"period": "", "submitter": office_submitter(rw.world.furong_office).key}
    )
    assert empty.status_code == 400
    assert "请填写报送内容或上传文件" in empty.content.decode()
    response = client_for(rw, "furong").post(
        url,
        {
            "period": "",
            "submitter": office_submitter(rw.world.furong_office).key,
            "content": "芙蓉区2026年创建工作计划",
            "upload": pdf_upload("工作计划.pdf"),
        },
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:submission_detail", args=[submission.pk])
    assert (submission.office, submission.is_late, submission.content) == (
        rw.world.furong_office,
        True,
        "芙蓉区2026年创建工作计划",
    )
    # The office downloads the file; a sibling district cannot.
    file_url = reverse("reports:submission_file", args=[submission.pk])
    download = client_for(rw, "city").get(file_url)
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF")
    assert client_for(rw, "tianxin").get(file_url).status_code == 404
    assert client_for(rw, "furong").get(file_url).status_code == 200


def test_a_submitter_cannot_post_for_another_submitter(rw, after_due):
    url = reverse("reports:submit", args=[rw.work_plan.pk])
    response = client_for(rw, "furong").post(
        url, {"period": "", "submitter": office_submitter(rw.world.tianxin_office).key, "content": "冒名"}
    )
    assert response.status_code == 400
    assert not Submission.objects.exists()
    page = client_for(rw, "city").get(url)
    assert "无需报送" in page.content.decode()


def test_a_unit_cannot_submit_for_another_unit(rw, organs):
    url = reverse("reports:submit", args=[organs.plan.pk])
    response = client_for(rw, "unit").post(
        url, {"period": "", "submitter": unit_submitter(organs.other_organ).key, "upload": pdf_upload()}
    )
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_the_office_returns_and_accepts_a_submission(rw, after_due):
    late = _seed_000(rw)
    detail = reverse("reports:submission_detail", args=[late.pk])
    page = client_for(rw, "city").get(detail)
    assert page.status_code == 200
    assert "退回修改" in page.content.decode()
    assert "退回修改" not in client_for(rw, "tianxin").get(detail).content.decode()
    assert client_for(rw, "furong").get(detail).status_code == 404
    refused = client_for(rw, "city").post(
        reverse("reports:submission_return", args=[late.pk]), {"comment": ""}
    )
    assert refused.status_code == 400
    assert (
        client_for(rw, "tianxin").post(reverse("reports:submission_accept", args=[late.pk])).status_code
        == 403
    )
    returned = client_for(rw, "city").post(
        reverse("reports:submission_return", args=[late.pk]), {"comment": "请补充分街道的任务"}
    )
    assert returned.status_code == 302
    late.refresh_from_db()
    assert late.status == Submission.Status.RETURNED
    text = client_for(rw, "tianxin").get(detail).content.decode()
    assert "请补充分街道的任务" in text
    assert "重新报送" in text

    again = client_for(rw, "tianxin").post(
        reverse("reports:submit", args=[rw.work_plan.pk]),
        {"period": "", "submitter": office_submitter(rw.world.tianxin_office).key, "content": "已补充"},
    )
    assert again.status_code == 302
    accepted = client_for(rw, "city").post(
        reverse("reports:submission_accept", args=[late.pk]), {"comment": ""}
    )
    assert accepted.status_code == 302
    late.refresh_from_db()
    assert (late.status, late.content) == (Submission.Status.ACCEPTED, "已补充")


def test_my_submissions_lists_what_is_owed_and_what_was_handed_in(rw, joint_meeting, after_due):
    response = client_for(rw, "housing").get(reverse("reports:my_submissions"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("成员单位季度工作情况") == 4  # four quarters
    assert "逾期未报" in text  # Q1 was due 10 April
    furong = client_for(rw, "furong").get(reverse("reports:my_submissions")).content.decode()
    assert "区年度创建工作计划" in furong
    assert (
        "目前没有待报送的材料"
        in client_for(rw, "outsider").get(reverse("reports:my_submissions")).content.decode()
    )
