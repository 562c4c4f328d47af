"""Scoring through the services: answers are checked item by item and the engine's verdict comes back explained."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.assessments import selectors, services
from lvchuang.assessments.models import ItemResponse, SelfAssessment
from lvchuang.assessments.tests.helpers import PASSING, leaf, make_version
from lvchuang.audit.models import AuditEntry
from lvchuang.lib.scoring import Verdict
from lvchuang.standards.models import Item, StandardVersion

D = Decimal


def answer_all(answer, **overrides):
    for code, values in {**PASSING, **overrides}.items():
        answer(code, **values)


def test_it_scores_a_full_answer_and_names_the_grade(world, assessment, answer):
    answer_all(answer)

    sheet = selectors.load_sheet(assessment)

    assert (sheet.answered, sheet.leaf_count) == (7, 7)
    assert sheet.evaluation.verdict is Verdict.PASSED
    assert sheet.evaluation.total == D("95")  # 10 + 18 + 36 + 28 (20 + 8 under the 30-point 2.2) + 3 bonus
    assert sheet.evaluation.grade == "优秀"
    assert sheet.row(leaf(assessment.version, "2.2").pk).result.points == D("28")
    assert "通过：总分 95 分（含加分 3 分），达到合格线 80 分" in sheet.evaluation.explanation[0]


def test_it_fails_on_a_veto_item_at_zero_whatever_the_total(world, assessment, answer):
    answer_all(answer, **{"1.2": {"points": D("0")}})

    evaluation = selectors.load_sheet(assessment).evaluation

    assert evaluation.verdict is Verdict.FAILED
    assert evaluation.total == D("77")
    assert evaluation.failed_vetoes == ("1.2",)
    assert evaluation.grade == "不合格"
    assert evaluation.explanation[0] == "未通过：必须完成项「1.2 完成年度节能目标」得分为零。"
    assert "距合格线 80 分还差 3 分" in evaluation.explanation[1]


def test_it_fails_on_an_unmet_basic_condition(world, assessment, answer):
    answer_all(answer, **{"3.1": {"met": False}})

    evaluation = selectors.load_sheet(assessment).evaluation

    assert evaluation.verdict is Verdict.FAILED
    assert evaluation.failed_gates == ("3.1",)
    assert "基本条件「3.1 居民满意度达到 80% 以上」未满足" in evaluation.explanation[0]


def test_it_explains_what_is_still_missing_while_the_assessment_is_in_progress(world, assessment, answer):
    answer("1.1", points=D("8"))

    sheet = selectors.load_sheet(assessment)

    assert sheet.evaluation.verdict is Verdict.INCOMPLETE
    assert (sheet.answered, sheet.leaf_count) == (1, 7)
    assert [row.item.code for row in sheet.missing] == ["1.2", "2.1", "2.2.1", "2.2.2", "3.1", "4.1"]
    assert sheet.evaluation.explanation[0].startswith("尚未完成：还有 6 个条目未填写")


def test_it_saves_an_answer_and_records_who_and_where_in_the_audit_trail(world, assessment, answer):
    response = answer("1.1", points=D("7.5"), narrative="  已发文成立领导小组。 ")

    response.refresh_from_db()
    assert (response.points, response.met, response.narrative) == (D("7.5"), None, "已发文成立领导小组。")
    assert response.updated_by == world.user("unit")
    entry = AuditEntry.objects.filter(content_type__model="itemresponse", object_pk=str(response.pk)).get()
    assert entry.actor == world.user("unit")
    assert entry.region_path == world.furong_community.path
    assert entry.additional_data["unit_id"] == world.furong_unit.pk


def test_it_writes_nothing_when_the_same_answer_comes_again(world, assessment, answer):
    answer("1.1", points=D("8"), narrative="有文件")
    entries = AuditEntry.objects.count()

    answer("1.1", points=D("8"), narrative="有文件")

    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("code", "values", "field", "message"),
    [
        ("1.1", {"points": D("10.5")}, "points", "分值应在 0 到 10 分之间。"),
        ("1.1", {"points": D("-1")}, "points", "分值应在 0 到 10 分之间。"),
        ("1.1", {"points": D("7.125")}, "points", "分值最多保留两位小数。"),
        ("3.1", {"points": D("1")}, "points", "基本条件只判断是否满足，不打分。"),
        ("1.1", {"met": True}, "met", "该条目按分值填写，不选择是否满足。"),
        ("1.1", {"narrative": "字" * 2001}, "narrative", "情况说明最多 2000 字，现在是 2001 字。"),
    ],
)
def test_it_refuses_an_answer_that_does_not_fit_the_item(
    world, assessment, answer, code, values, field, message
):
    with pytest.raises(ValidationError) as refused:
        answer(code, **values)

    assert refused.value.message_dict == {field: [message]}
    assert not ItemResponse.objects.exists()


@pytest.mark.parametrize("code", ["1", "2.2"])
def test_it_takes_answers_only_for_leaf_items(world, assessment, answer, code):
    with pytest.raises(ValidationError, match="只有最末一级的条目需要填写"):
        answer(code, points=D("1"))


def test_it_refuses_an_item_of_another_version(world, assessment):
    other = make_version(code="other", name="另一个标准")

    with pytest.raises(ValidationError, match="不属于本自评所用的标准版本"):
        services.save_answer(
            by=world.user("unit"),
            assessment=assessment,
            item=leaf(other, "1.1"),
            points=D("1"),
            met=None,
            narrative="",
        )


@pytest.mark.parametrize("who", ["unit", "furong", "city", "street"])
def test_it_lets_the_unit_and_the_offices_above_it_answer(world, assessment, answer, who):
    response = answer("1.1", points=D("6"), by=who)

    assert response.updated_by == world.user(who)


@pytest.mark.parametrize("who", ["leader", "tianxin", "tianxin_unit", "outsider", "reviewer"])
def test_it_refuses_answers_from_anyone_who_may_not_change_the_unit(world, assessment, answer, who):
    with pytest.raises(PermissionDenied):
        answer("1.1", points=D("6"), by=who)

    assert not ItemResponse.objects.exists()


# --- starting ------------------------------------------------------------------------------------------------


def test_it_starts_a_self_assessment_against_a_published_version_for_the_units_kind(world, version):
    assessment = services.start_assessment(by=world.user("unit"), unit=world.furong_unit, version=version)

    assert assessment.status == SelfAssessment.Status.DRAFT
    assert assessment.created_by == world.user("unit")
    entry = AuditEntry.objects.get(content_type__model="selfassessment", object_pk=str(assessment.pk))
    assert entry.region_path == world.furong_community.path


def test_it_refuses_a_version_for_another_kind_of_unit(world):
    organs_only = make_version(code="organ", name="节约型机关评价标准", applies_to=("organ",))

    with pytest.raises(ValidationError) as refused:
        services.start_assessment(by=world.user("unit"), unit=world.furong_unit, version=organs_only)

    assert refused.value.message_dict["version"] == [
        "“节约型机关评价标准 · 2024 年版”不适用于社区（居委会），请选择适用于本单位类别的标准。"
    ]


def test_it_refuses_a_draft_version(world):
    draft = make_version(status=StandardVersion.Status.DRAFT)

    with pytest.raises(ValidationError, match="只能对照已发布的标准版本自评"):
        services.start_assessment(by=world.user("unit"), unit=world.furong_unit, version=draft)


def test_it_refuses_a_second_self_assessment_against_the_same_version(world, assessment, version):
    with pytest.raises(ValidationError, match="已经开始对照该标准版本自评"):
        services.start_assessment(by=world.user("furong"), unit=world.furong_unit, version=version)


def test_it_refuses_to_start_for_a_unit_the_user_may_not_change(world, version):
    with pytest.raises(PermissionDenied):
        services.start_assessment(by=world.user("tianxin"), unit=world.furong_unit, version=version)
    assert not SelfAssessment.objects.exists()


def test_it_keeps_a_version_with_self_assessments_from_being_deleted(world, assessment, answer, version):
    answer("1.1", points=D("5"))

    with pytest.raises(Exception, match="protected"):
        Item.objects.filter(version=version).delete()
