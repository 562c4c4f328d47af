"""Requirements and submissions: the writes, on the seeds' dates."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.assessments.tests.helpers import pdf_upload
from lvchuang.audit.models import AuditEntry
from lvchuang.campaigns.models import Program
from lvchuang.campaigns.services import create_campaign
from lvchuang.organisations.models import GoverningBody
from lvchuang.regions.models import Region
from lvchuang.reports import services
from lvchuang.reports.models import Requirement, Submission

from .conftest import at, department_submitter, office_submitter, unit_submitter

MAY_31 = datetime.date(2026, 5, 31)


# --- requirements -------------------------------------------------------------------------------------------------


def test_it_lets_only_the_campaign_s_runners_add_a_requirement(rw):
    arguments = {
        "campaign": rw.campaign,
        "kind": Requirement.Kind.YEARLY_SUMMARY,
        "title": "区年度创建工作总结",
        "submitters": Requirement.Submitters.OFFICES,
        "submitter_level": Region.Level.COUNTY,
        "due_on": datetime.date(2026, 12, 20),
    }
    for name in ("furong", "unit", "leader"):
        with pytest.raises(PermissionDenied):
            services.create_requirement(by=rw.user(name), **arguments)
    requirement = services.create_requirement(by=rw.user("province"), **arguments)
    assert requirement.campaign == rw.campaign
    assert AuditEntry.objects.filter(
        object_pk=str(requirement.pk), content_type__model="requirement"
    ).exists()


def test_it_refuses_offices_at_or_above_the_issuing_office_s_level(rw):
    with pytest.raises(ValidationError) as error:
        services.create_requirement(
            by=rw.user("city"),
            campaign=rw.campaign,
            kind=Requirement.Kind.OTHER,
            title="市级材料",
            submitters=Requirement.Submitters.OFFICES,
            submitter_level=Region.Level.CITY,
            due_on=MAY_31,
        )
    assert "下级" in error.value.message_dict["submitter_level"][0]


def test_it_asks_a_one_off_requirement_for_its_due_date(rw):
    with pytest.raises(ValidationError) as error:
        services.create_requirement(
            by=rw.user("city"),
            campaign=rw.campaign,
            kind=Requirement.Kind.OTHER,
            title="补充材料",
            submitters=Requirement.Submitters.APPLICANTS,
        )
    assert "截止日期" in error.value.message_dict["due_on"][0]


def test_it_fixes_who_submits_once_something_is_handed_in_but_lets_the_due_date_move(rw):
    world = rw.world
    rw.hand_in(rw.work_plan, office_submitter(world.furong_office), "furong", datetime.date(2026, 5, 20))
    with pytest.raises(ValidationError):
        services.update_requirement(
            by=rw.user("city"), requirement=rw.work_plan, changes={"submitter_level": Region.Level.TOWNSHIP}
        )
    services.update_requirement(
        by=rw.user("city"), requirement=rw.work_plan, changes={"due_on": datetime.date(2026, 6, 10)}
    )
    rw.work_plan.refresh_from_db()
    assert rw.work_plan.due_on == datetime.date(2026, 6, 10)
    assert rw.work_plan.submitter_level == Region.Level.COUNTY


def test_it_deletes_a_requirement_only_while_nothing_is_handed_in(rw):
    world = rw.world
    with pytest.raises(PermissionDenied):
        services.delete_requirement(by=rw.user("furong"), requirement=rw.work_plan)
    rw.hand_in(rw.work_plan, office_submitter(world.furong_office), "furong", datetime.date(2026, 5, 20))
    with pytest.raises(ValidationError):
        services.delete_requirement(by=rw.user("city"), requirement=rw.work_plan)
    Submission.objects.all().delete()
    services.delete_requirement(by=rw.user("city"), requirement=rw.work_plan)
    assert not Requirement.objects.filter(pk=rw.work_plan.pk).exists()


def test_it_adds_the_program_s_defaults_once(rw):
    added = services.add_default_requirements(by=rw.user("city"), campaign=rw.campaign)
    # The work plan exists already (same kind and title); the yearly summary is new.
    assert [r.title for r in added.created] == ["区年度创建工作总结"]
    assert [s.title for s in added.skipped] == ["区年度创建工作计划"]
    summary = added.created[0]
    assert (summary.due_on, summary.submitter_level) == (datetime.date(2026, 12, 20), Region.Level.COUNTY)
    again = services.add_default_requirements(by=rw.user("city"), campaign=rw.campaign)
    assert again.created == []
    assert rw.campaign.requirements.count() == 2


def test_it_skips_the_members_reports_when_the_region_has_no_joint_meeting(rw):
    campaign = create_campaign(
        by=rw.user("tianxin"),
        program=Program.objects.get(code="green-community"),
        year=2026,
        office=rw.world.tianxin_office,
    )
    added = services.add_default_requirements(by=rw.user("tianxin"), campaign=campaign)
    assert {r.title: r.due_on for r in added.created} == {
        "绿色社区创建实施方案": datetime.date(2026, 3, 31),
        "绿色社区创建阶段总结": datetime.date(2026, 10, 31),
    }
    [skipped] = added.skipped
    assert skipped.title == "成员单位季度工作情况"
    assert "联席会议" in skipped.reason
    GoverningBody.objects.create(
        name="天心区绿色社区创建联席会议", kind=GoverningBody.Kind.JOINT_MEETING, region=rw.world.tianxin
    )
    [quarterly] = services.add_default_requirements(by=rw.user("tianxin"), campaign=campaign).created
    assert quarterly.period == Requirement.Period.QUARTERLY
    assert quarterly.days_after_quarter == 10
    assert quarterly.body is not None
    assert quarterly.body.name == "天心区绿色社区创建联席会议"


# --- submitting ---------------------------------------------------------------------------------------------------


def test_it_marks_a_submission_after_the_due_date_late(rw):
    world = rw.world
    on_time = rw.hand_in(rw.work_plan, office_submitter(world.furong_office), "furong", MAY_31)
    late = rw.hand_in(
        rw.work_plan, office_submitter(world.tianxin_office), "tianxin", datetime.date(2026, 6, 3)
    )
    assert (on_time.is_late, late.is_late) == (False, True)
    assert on_time.due_on == late.due_on == MAY_31
    assert on_time.office == world.furong_office
    assert on_time.submitted_by == rw.user("furong")
    assert on_time.status == Submission.Status.SUBMITTED


def test_it_refuses_a_submission_for_someone_else(rw, organs):
    world = rw.world
    with pytest.raises(PermissionDenied):  # a district office for its sibling
        rw.hand_in(rw.work_plan, office_submitter(world.tianxin_office), "furong", MAY_31)
    with pytest.raises(PermissionDenied):  # a unit for another unit
        services.submit(
            by=rw.user("unit"),
            requirement=organs.plan,
            period="",
            submitter=unit_submitter(organs.other_organ),
            upload=pdf_upload(),
            now=at(datetime.date(2026, 7, 1)),
        )
    with pytest.raises(ValidationError):  # a draft applicant owes nothing
        services.submit(
            by=rw.user("admin"),
            requirement=organs.plan,
            period="",
            submitter=unit_submitter(organs.draft_organ),
            upload=pdf_upload(),
        )
    assert not Submission.objects.exists()


def test_it_requires_the_file_a_creation_plan_asks_for(rw, organs):
    """Seed 003: organs file their creation plan by the end of July; the plan is a document."""
    submitter = unit_submitter(organs.organ)
    with pytest.raises(ValidationError) as error:
        services.submit(
            by=rw.user("unit"),
            requirement=organs.plan,
            period="",
            submitter=submitter,
            content="计划正文",
            now=at(datetime.date(2026, 7, 20)),
        )
    assert "upload" in error.value.message_dict
    submission = services.submit(
        by=rw.user("unit"),
        requirement=organs.plan,
        period="",
        submitter=submitter,
        upload=pdf_upload("创建计划.pdf"),
        now=at(datetime.date(2026, 7, 20)),
    )
    assert submission.file.name.startswith("submissions/")
    assert submission.file.name.endswith(".pdf")
    assert submission.due_on == datetime.date(2026, 7, 31)
    assert not submission.is_late


def test_it_asks_for_text_or_a_file(rw):
    with pytest.raises(ValidationError) as error:
        services.submit(
            by=rw.user("furong"),
            requirement=rw.work_plan,
            period="",
            submitter=office_submitter(rw.world.furong_office),
            content="   ",
        )
    assert "content" in error.value.message_dict


def test_it_refuses_a_second_submission_until_returned_then_accepts_the_resubmission(rw):
    furong = office_submitter(rw.world.furong_office)
    first = rw.hand_in(rw.work_plan, furong, "furong", datetime.date(2026, 5, 25))
    with pytest.raises(ValidationError):
        rw.hand_in(rw.work_plan, furong, "furong", datetime.date(2026, 5, 26))
    with pytest.raises(PermissionDenied):
        services.return_submission(by=rw.user("furong"), submission=first, comment="自己退回")
    with pytest.raises(ValidationError):
        services.return_submission(by=rw.user("city"), submission=first, comment="  ")
    services.return_submission(by=rw.user("city"), submission=first, comment="请补充分街道的任务分解")
    first.refresh_from_db()
    assert (first.status, first.review_comment, first.reviewed_by) == (
        Submission.Status.RETURNED,
        "请补充分街道的任务分解",
        rw.user("city"),
    )
    with pytest.raises(ValidationError):
        services.accept(by=rw.user("city"), submission=first)

    again = rw.hand_in(rw.work_plan, furong, "furong", datetime.date(2026, 6, 2))
    assert again.pk == first.pk
    assert (again.status, again.is_late) == (Submission.Status.SUBMITTED, True)
    services.accept(by=rw.user("city"), submission=again, comment="同意")
    again.refresh_from_db()
    assert again.status == Submission.Status.ACCEPTED
    with pytest.raises(ValidationError):
        rw.hand_in(rw.work_plan, furong, "furong", datetime.date(2026, 6, 3))
    assert Submission.objects.count() == 1


def test_it_keeps_the_file_of_a_returned_submission_when_none_is_sent_again(rw, organs):
    submitter = unit_submitter(organs.organ)
    first = services.submit(
        by=rw.user("unit"), requirement=organs.plan, period="", submitter=submitter, upload=pdf_upload()
    )
    services.return_submission(by=rw.user("province"), submission=first, comment="请补充分年度任务")
    again = services.submit(
        by=rw.user("unit"), requirement=organs.plan, period="", submitter=submitter, content="已补充"
    )
    assert again.file.name == first.file.name


def test_it_takes_quarterly_reports_from_the_joint_meeting_s_liaisons(rw, joint_meeting):
    """Seed 004: each member reports within 10 days after the quarter; Q1 is due 10 April."""
    jm = joint_meeting
    housing = department_submitter(jm.housing)
    q1 = services.submit(
        by=rw.user("housing"),
        requirement=jm.quarterly,
        period="2026Q1",
        submitter=housing,
        content="一季度完成老旧小区改造 3 个",
        now=at(datetime.date(2026, 4, 10)),
    )
    assert (q1.period, q1.due_on, q1.is_late, q1.department) == (
        "2026Q1",
        datetime.date(2026, 4, 10),
        False,
        jm.housing,
    )
    q4 = services.submit(
        by=rw.user("housing"),
        requirement=jm.quarterly,
        period="2026Q4",
        submitter=housing,
        content="四季度",
        now=at(datetime.date(2027, 1, 11)),
    )
    assert (q4.due_on, q4.is_late) == (datetime.date(2027, 1, 10), True)
    with pytest.raises(ValidationError):
        services.submit(
            by=rw.user("housing"), requirement=jm.quarterly, period="2026Q5", submitter=housing, content="x"
        )
    with pytest.raises(PermissionDenied):
        services.submit(
            by=rw.user("civil"), requirement=jm.quarterly, period="2026Q2", submitter=housing, content="x"
        )
