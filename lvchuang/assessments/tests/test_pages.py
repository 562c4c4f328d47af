"""The self-assessment pages: who sees what, who may edit, starting, completing and reopening."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvchuang.assessments import services
from lvchuang.assessments.models import SelfAssessment
from lvchuang.assessments.tests.helpers import PASSING, leaf, make_version, png_upload
from lvchuang.organisations.models import ReviewerAssignment
from lvchuang.web.tests.helpers import queries_for


def detail(assessment):
    return f"/assessments/{assessment.pk}/"


def answer_all(answer, **overrides):
    for code, values in {**PASSING, **overrides}.items():
        answer(code, **values)


# --- the sheet -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["unit", "furong", "city", "province", "street", "admin"])
def test_it_opens_the_sheet_for_editing_to_the_unit_and_the_offices_above_it(client, world, assessment, who):
    client.force_login(world.user(who))

    response = client.get(detail(assessment))

    assert response.status_code == 200
    assert response.context["editable"] is True
    body = response.content.decode()
    item = leaf(assessment.version, "1.1")
    assert f'hx-post="/assessments/{assessment.pk}/items/{item.pk}/"' in body
    assert "hx-trigger=\"input[target.type!=='radio'] changed delay:600ms" in body
    assert "完成自评" in body


@pytest.mark.parametrize("who", ["leader"])
def test_it_shows_a_leadership_member_the_sheet_read_only(client, world, assessment, answer, who):
    answer("1.1", points=Decimal("7"), narrative="已发文成立领导小组")
    client.force_login(world.user(who))

    response = client.get(detail(assessment))

    assert response.status_code == 200
    assert response.context["editable"] is False
    body = response.content.decode()
    assert "您可以查看本单位的自评，但不能修改。" in body
    assert "已发文成立领导小组" in body
    assert "hx-post" not in body
    assert "完成自评" not in body


def test_it_shows_an_assigned_reviewer_the_sheet_read_only(client, world, assessment):
    ReviewerAssignment.objects.create(reviewer=world.user("reviewer"), unit=world.furong_unit)
    client.force_login(world.user("reviewer"))

    response = client.get(detail(assessment))

    assert response.status_code == 200
    assert response.context["editable"] is False


@pytest.mark.parametrize("who", ["tianxin", "tianxin_unit", "sector", "reviewer", "outsider"])
def test_it_answers_404_to_a_sibling_district_and_everybody_else(client, world, assessment, who):
    client.force_login(world.user(who))

    for suffix in ("", "report.pdf", "export.xlsx"):
        assert client.get(detail(assessment) + suffix).status_code == 404, suffix


def test_it_answers_404_for_an_assessment_that_does_not_exist(client, world):
    client.force_login(world.user("admin"))

    assert client.get("/assessments/99999/").status_code == 404


def test_it_shows_the_tree_the_meter_and_the_explained_result(client, world, assessment, answer):
    answer_all(answer, **{"1.2": {"points": Decimal("0")}})
    client.force_login(world.user("unit"))

    body = client.get(detail(assessment)).content.decode()

    for text in (
        "组织管理",
        "1.2",
        "完成年度节能目标",
        "★ 必须完成项",
        "基本条件",
        "加分项",
        "满足",
        "不满足",
    ):
        assert text in body
    assert "<strong>7</strong> / 7" in body
    assert "未通过：必须完成项「1.2 完成年度节能目标」得分为零。" in body
    assert "1 项为零分或未填" in body
    assert 'class="badge result-badge">未通过' in body


def test_it_names_the_items_still_missing_with_links_to_them(client, world, assessment, answer):
    answer("1.1", points=Decimal("5"))
    client.force_login(world.user("unit"))

    body = client.get(detail(assessment)).content.decode()

    assert "还有 6 项未填写" in body
    assert f'href="#item-{leaf(assessment.version, "3.1").pk}"' in body
    assert "全部条目填写后才能完成自评。" in body


def test_its_query_count_does_not_grow_with_answers_and_evidence(client, world, assessment, answer):
    def attach(code):
        services.attach_evidence(
            by=world.user("unit"),
            assessment=assessment,
            item=leaf(assessment.version, code),
            upload=png_upload(),
        )

    client.force_login(world.user("unit"))
    answer("1.1", points=Decimal("5"))
    attach("1.1")
    few = queries_for(client, detail(assessment))
    answer_all(answer)
    for code in ("1.1", "2.1", "3.1", "4.1"):
        attach(code)

    # session, user, the assessment, jurisdiction, its unit; items, grade bands, answers, their evidence;
    # whether the user may change the unit
    assert few == 10
    assert queries_for(client, detail(assessment)) == 10


def test_the_list_costs_the_same_queries_however_many_assessments_there_are(client, world, assessment):
    client.force_login(world.user("city"))
    one = queries_for(client, "/assessments/")
    for number in range(3):
        version = make_version(code=f"more-{number}", name=f"标准{number}")
        services.start_assessment(by=None, unit=world.tianxin_unit, version=version)

    # session, user, jurisdiction, the page's count and its rows (with progress as subqueries)
    assert one == 5
    assert queries_for(client, "/assessments/") == 5


def test_the_list_shows_only_the_jurisdictions_assessments(client, world, assessment, version):
    services.start_assessment(by=None, unit=world.tianxin_unit, version=version)
    client.force_login(world.user("furong"))

    body = client.get("/assessments/").content.decode()

    assert "识字岭社区居委会" in body
    assert "西牌楼社区居委会" not in body


# --- starting ------------------------------------------------------------------------------------------------


def test_it_lists_a_units_assessments_and_the_standards_it_may_start(client, world, assessment):
    organs_only = make_version(code="organs", name="节约型机关评价标准", applies_to=("organ",))
    other = make_version(code="green", name="绿色社区创建标准")
    client.force_login(world.user("unit"))

    response = client.get(f"/assessments/units/{world.furong_unit.pk}/")

    assert response.status_code == 200
    assert [a.pk for a in response.context["assessments"]] == [assessment.pk]
    choices = list(response.context["form"].fields["version"].queryset)
    assert other in choices
    assert assessment.version not in choices  # already started
    assert organs_only not in choices  # for another kind of unit


def test_it_starts_a_self_assessment_and_opens_it(client, world, version):
    client.force_login(world.user("unit"))

    response = client.post(f"/assessments/units/{world.furong_unit.pk}/start/", {"version": version.pk})

    assessment = SelfAssessment.objects.get(unit=world.furong_unit, version=version)
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/"


def test_it_refuses_to_start_against_a_version_for_another_kind(client, world):
    organs_only = make_version(code="organs", name="节约型机关评价标准", applies_to=("organ",))
    client.force_login(world.user("unit"))

    response = client.post(f"/assessments/units/{world.furong_unit.pk}/start/", {"version": organs_only.pk})

    assert response.status_code == 302
    assert not SelfAssessment.objects.exists()
    follow = client.get(response["Location"]).content.decode()
    assert "该标准版本不能用于本单位的自评。" in follow


def test_it_refuses_to_start_for_a_leader_and_hides_the_unit_from_a_sibling(client, world, version):
    for who, status in (("leader", 403), ("tianxin", 404), ("outsider", 404)):
        client.force_login(world.user(who))
        response = client.post(f"/assessments/units/{world.furong_unit.pk}/start/", {"version": version.pk})
        assert response.status_code == status, who
    assert not SelfAssessment.objects.exists()


# --- completing and reopening --------------------------------------------------------------------------------


def test_it_completes_only_when_every_item_is_answered(client, world, assessment, answer):
    answer("1.1", points=Decimal("8"))
    client.force_login(world.user("unit"))

    response = client.post(f"/assessments/{assessment.pk}/complete/", follow=True)

    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.DRAFT
    assert "还有 6 个条目未填写（1.2、2.1、2.2.1、2.2.2、3.1、4.1），全部填写后才能完成自评。" in (
        response.content.decode()
    )


def test_it_completes_and_records_the_evaluation(client, world, assessment, answer):
    answer_all(answer, **{"3.1": {"met": False}})
    client.force_login(world.user("unit"))

    response = client.post(f"/assessments/{assessment.pk}/complete/", follow=True)

    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.COMPLETED
    assert assessment.completed_by == world.user("unit")
    assert assessment.completed_at is not None
    assert (assessment.total, assessment.passed, assessment.grade) == (Decimal("95"), False, "不合格")
    assert assessment.explanation[0] == "未通过：基本条件「3.1 居民满意度达到 80% 以上」未满足。"
    body = response.content.decode()
    assert "完成自评，结果已记录" in body
    assert "hx-post" not in body  # nothing to type into any more
    assert "重新打开" in body


def test_it_reopens_a_completed_self_assessment_and_clears_its_result(client, world, assessment, answer):
    answer_all(answer)
    services.complete_assessment(by=world.user("unit"), assessment=assessment)
    client.force_login(world.user("furong"))

    client.post(f"/assessments/{assessment.pk}/reopen/")

    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.DRAFT
    assert (assessment.total, assessment.passed, assessment.grade, assessment.explanation) == (
        None,
        None,
        "",
        [],
    )
    assert assessment.completed_at is None


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("tianxin", 404), ("outsider", 404)])
def test_it_refuses_to_complete_or_reopen_for_anyone_who_may_not_change_the_unit(
    client, world, assessment, answer, who, status
):
    answer_all(answer)
    client.force_login(world.user(who))

    assert client.post(f"/assessments/{assessment.pk}/complete/").status_code == status
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.DRAFT


# --- the home page -------------------------------------------------------------------------------------------


def test_it_puts_the_units_self_assessments_on_the_staffs_home_page(client, world, assessment, answer):
    answer("1.1", points=Decimal("8"))
    client.force_login(world.user("unit"))

    body = client.get("/").content.decode()

    assert f'href="/assessments/{assessment.pk}/"' in body
    assert "已填 1/7" in body
    assert f'href="/assessments/units/{world.furong_unit.pk}/"' in body


def test_it_invites_unit_staff_to_start_when_there_is_none(client, world, version):
    client.force_login(world.user("unit"))

    body = client.get("/").content.decode()

    assert "开始自评" in body
    assert f'href="/assessments/units/{world.furong_unit.pk}/"' in body


def test_it_speaks_english_when_the_user_switches(client, world, assessment, answer):
    answer("1.2", points=Decimal("0"))
    client.force_login(world.user("unit"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    body = client.get(detail(assessment)).content.decode()

    for text in ("Completeness", "Current result", "★ Must-complete item", "Upload evidence", "Pass line"):
        assert text in body
    assert "完成情况" not in body
