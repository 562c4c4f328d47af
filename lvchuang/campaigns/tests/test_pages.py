"""The pages: the program library, copying and editing a program, campaigns with their calendar, today's
windows, overrides, quotas, stages and the eligibility check."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from lvchuang.campaigns import services
from lvchuang.campaigns.models import Campaign, Program, QuotaAllocation, Stage, WindowOverride
from lvchuang.web.tests.helpers import queries_for

HTMX = {"HX-Request": "true"}
JUNE_15 = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)
OCTOBER_8 = datetime.datetime(2026, 10, 8, 10, tzinfo=datetime.UTC)


def detail(campaign: Campaign) -> str:
    return f"/campaigns/{campaign.pk}/"


@pytest.fixture
def furong_program(world) -> Program:
    return services.copy_program(
        by=world.user("furong"),
        program=Program.objects.get(code="green-community"),
        office=world.furong_office,
        code="furong-green-community",
        name="芙蓉区绿色社区",
    )


# --- programs -------------------------------------------------------------------------------------------------


def test_the_program_list_shows_every_program_with_its_rules_to_any_role(client, world, furong_program):
    client.force_login(world.user("unit"))
    response = client.get("/campaigns/programs/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "市级节能环保社区" in body
    assert "须先获得“区级节能环保（两型）社区”称号" in body
    assert "获得称号后 3 年内不得重复申报同一称号" in body
    assert "芙蓉区绿色社区" in body
    assert "系统内置" in body


def test_the_program_list_is_closed_to_a_user_without_a_role(client, world):
    client.force_login(world.user("outsider"))
    assert client.get("/campaigns/programs/").status_code == 403


def test_the_program_list_costs_the_same_queries_with_more_programs(client, world, furong_program):
    client.force_login(world.user("tianxin"))
    before = queries_for(client, "/campaigns/programs/")
    for n in range(5):
        services.copy_program(
            by=world.user("tianxin"), program=furong_program, office=world.tianxin_office, code=f"tianxin-{n}"
        )
    assert queries_for(client, "/campaigns/programs/") == before


def test_the_program_page_explains_every_rule_in_plain_chinese(client, world):
    program = Program.objects.get(code="city-energy-saving-community")
    client.force_login(world.user("street"))
    body = client.get(f"/campaigns/programs/{program.pk}/").content.decode()
    for sentence in (
        "社区",
        "市级",
        "节能环保社区",
        "须先获得“区级节能环保（两型）社区”称号",
        "不允许",
        "长期有效",
        "每年 20 个",
        "每个示范单位：市环保局 10,000 元（节能专项资金）；市能源局 10,000 元（节能专项资金）",
        "7 个工作日",
        "申报推选阶段",
        "05-01",
        "单位提交申报、街道推荐、区县（主管部门）审核、报送申报表",
    ):
        assert sentence in body, sentence
    assert "修改规则" not in body  # a built-in is read only


def test_the_program_page_shows_skip_level_exemptions_and_validity(client, world):
    client.force_login(world.user("city"))
    organ = client.get(
        f"/campaigns/programs/{Program.objects.get(code='conservation-oriented-organ').pk}/"
    ).content.decode()
    green = client.get(
        f"/campaigns/programs/{Program.objects.get(code='city-green-unit').pk}/"
    ).content.decode()
    assert "已获得“公共机构节约型示范单位”称号的单位原则上不再评价验收" in organ
    assert "审判机关" in organ
    assert "经组委会同意后可以越级申报" in green
    assert "5 年，期满须复查" in green
    assert "22 个" in green


def test_an_office_copies_a_builtin_into_a_program_it_owns(client, world):
    builtin = Program.objects.get(code="city-green-unit")
    client.force_login(world.user("tianxin"))
    response = client.post(
        f"/campaigns/programs/{builtin.pk}/copy/",
        {"office": world.tianxin_office.pk, "code": "tianxin-green-unit", "name": "天心区绿色单位"},
    )
    copy = Program.objects.get(code="tianxin-green-unit")
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/programs/{copy.pk}/"
    assert copy.owner == world.tianxin_office
    assert copy.name == "天心区绿色单位"
    assert copy.yearly_quota == 22


def test_a_copy_into_another_office_is_refused(client, world):
    builtin = Program.objects.get(code="city-green-unit")
    client.force_login(world.user("tianxin"))
    response = client.post(
        f"/campaigns/programs/{builtin.pk}/copy/", {"office": world.furong_office.pk, "code": "sneaky"}
    )
    assert response.status_code == 400
    assert not Program.objects.filter(code="sneaky").exists()


def test_the_owner_edits_its_program_and_the_changes_show(client, world, furong_program):
    client.force_login(world.user("furong"))
    form = client.get(f"/campaigns/programs/{furong_program.pk}/edit/")
    assert form.status_code == 200
    data = {
        name: value
        for name, value in form.context["form"].initial.items()
        if value is not None and name not in ("unit_kinds", "organ_types", "exempt_programs")
    }
    data.update(
        {
            "standard": furong_program.standard_id,
            "unit_kinds": ["community"],
            "awards": '[{"payer": "区财政局", "amount": 5000}]',
            "calendar": '[{"name": "申报", "start": "04-01", "end": "09-30", "actions": ["submit"]}]',
            "cooldown_years": "2",
            "yearly_quota": "15",
            "demonstration_quota": "3",
        }
    )
    data.pop("prerequisite", None)
    response = client.post(f"/campaigns/programs/{furong_program.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    furong_program.refresh_from_db()
    assert (furong_program.yearly_quota, furong_program.cooldown_years) == (15, 2)
    assert furong_program.awards == [{"payer": "区财政局", "amount": 5000}]
    body = client.get(f"/campaigns/programs/{furong_program.pk}/").content.decode()
    assert "获得称号后 2 年内不得重复申报同一称号" in body
    assert "区财政局 5,000 元" in body


def test_a_bad_calendar_is_refused_beside_its_field(client, world, furong_program):
    client.force_login(world.user("furong"))
    form = client.get(f"/campaigns/programs/{furong_program.pk}/edit/").context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("exempt_programs", "prerequisite")
    }
    data.update({"awards": "[]", "calendar": '[{"name": "x", "start": "09-01", "end": "03-01"}]'})
    response = client.post(f"/campaigns/programs/{furong_program.pk}/edit/", data)
    assert response.status_code == 400
    assert "结束早于开始" in response.content.decode()
    furong_program.refresh_from_db()
    assert furong_program.calendar[0]["start"] != "09-01"


# --- campaigns ------------------------------------------------------------------------------------------------


def test_the_campaign_list_shows_visible_campaigns_and_filters_by_year_and_program(
    client, world, campaign_world
):
    services.create_campaign(
        by=world.user("furong"),
        program=campaign_world.district_program,
        year=2025,
        office=world.furong_office,
        name="芙蓉区2025年节能环保社区创建",
    )
    client.force_login(world.user("city"))
    body = client.get("/campaigns/").content.decode()
    assert "2026 年市级节能环保社区创建" in body
    assert "芙蓉区2025年节能环保社区创建" in body
    filtered = client.get("/campaigns/", {"year": 2025}, headers=HTMX).content.decode()
    assert filtered.lstrip().startswith('<div id="campaign-results">')
    assert "芙蓉区2025年节能环保社区创建" in filtered
    assert "2026 年市级节能环保社区创建" not in filtered
    by_program = client.get("/campaigns/", {"program": campaign_world.program.pk}).content.decode()
    assert "芙蓉区2025年节能环保社区创建" not in by_program
    client.force_login(world.user("tianxin"))
    seen = client.get("/campaigns/").content.decode()
    assert "2026 年市级节能环保社区创建" in seen  # the city's campaign reaches its districts
    assert "芙蓉区2025年节能环保社区创建" not in seen


def test_the_campaign_list_costs_the_same_queries_with_more_campaigns(client, world, campaign_world):
    client.force_login(world.user("city"))
    before = queries_for(client, "/campaigns/")
    for year in (2023, 2024, 2025):
        services.create_campaign(
            by=world.user("city"), program=campaign_world.program, year=year, office=world.city_office
        )
    assert queries_for(client, "/campaigns/") == before


def test_an_office_opens_a_campaign_from_the_form(client, world):
    program = Program.objects.get(code="city-green-unit")
    client.force_login(world.user("city"))
    assert client.get(f"/campaigns/new/?program={program.pk}").status_code == 200
    response = client.post(
        "/campaigns/new/", {"program": program.pk, "year": 2026, "office": world.city_office.pk, "quota": 20}
    )
    campaign = Campaign.objects.get(program=program, year=2026)
    assert response.status_code == 302
    assert response["Location"] == detail(campaign)
    assert (campaign.office, campaign.quota, campaign.created_by) == (
        world.city_office,
        20,
        world.user("city"),
    )
    assert campaign.stages.count() == 4
    assert campaign.version.is_locked


def test_a_campaign_cannot_be_opened_for_someone_elses_office(client, world):
    program = Program.objects.get(code="city-green-unit")
    client.force_login(world.user("furong"))
    response = client.post(
        "/campaigns/new/", {"program": program.pk, "year": 2026, "office": world.city_office.pk}
    )
    assert response.status_code == 400
    assert not Campaign.objects.exists()
    client.force_login(world.user("unit"))
    assert client.get("/campaigns/new/").status_code == 403


@time_machine.travel(OCTOBER_8, tick=False)
def test_the_campaign_page_shows_rules_calendar_and_what_is_open_today(client, world, campaign_world):
    client.force_login(world.user("furong"))
    response = client.get(detail(campaign_world.campaign))
    body = response.content.decode()
    assert response.status_code == 200
    assert "今天（2026-10-08）的办理窗口" in body
    windows = {w.action: w.is_open for w in response.context["windows"]}
    assert windows["batch"] is False
    assert windows["check"] is True
    assert "2026-09-30" in body  # the batch deadline
    assert "验收评审阶段" in body
    assert "须先获得“区级节能环保（两型）社区”称号" in body
    assert "登记窗口延期" not in body  # the district does not run the city's campaign


@time_machine.travel(OCTOBER_8, tick=False)
def test_the_city_records_an_override_and_the_district_sees_its_window_open(client, world, campaign_world):
    campaign = campaign_world.campaign
    client.force_login(world.user("city"))
    response = client.post(
        f"/campaigns/{campaign.pk}/overrides/",
        {
            "override-action": "batch",
            "override-until": "2026-10-15",
            "override-region": world.furong.code,
            "override-reason": "芙蓉区申报表盖章延误",
        },
    )
    assert response.status_code == 302
    override = WindowOverride.objects.get(campaign=campaign)
    assert (override.region, override.until, override.created_by) == (
        world.furong,
        datetime.date(2026, 10, 15),
        world.user("city"),
    )
    log = client.get(detail(campaign)).content.decode()
    assert "芙蓉区申报表盖章延误" in log
    assert "city" in log
    client.force_login(world.user("furong"))
    windows = {w.action: w.is_open for w in client.get(detail(campaign)).context["windows"]}
    assert windows["batch"] is True
    client.force_login(world.user("tianxin"))
    windows = {w.action: w.is_open for w in client.get(detail(campaign)).context["windows"]}
    assert windows["batch"] is False


def test_an_override_without_a_reason_is_refused_and_a_district_may_not_record_one(
    client, world, campaign_world
):
    campaign = campaign_world.campaign
    client.force_login(world.user("city"))
    response = client.post(
        f"/campaigns/{campaign.pk}/overrides/",
        {"override-action": "batch", "override-until": "2026-10-15", "override-reason": ""},
    )
    assert response.status_code == 400
    client.force_login(world.user("furong"))
    response = client.post(
        f"/campaigns/{campaign.pk}/overrides/",
        {"override-action": "batch", "override-until": "2026-10-15", "override-reason": "想延期"},
    )
    assert response.status_code == 403
    assert not WindowOverride.objects.exists()


def test_quota_allocation_and_drill_down_from_city_to_district_to_street(client, world):
    campaign = services.create_campaign(
        by=world.user("city"),
        program=Program.objects.get(code="city-green-unit"),
        year=2026,
        office=world.city_office,
    )
    client.force_login(world.user("city"))
    response = client.post(
        f"/campaigns/{campaign.pk}/allocations/",
        {"allocation-region": world.furong.code, "allocation-amount": 12},
    )
    assert response.status_code == 302
    refused = client.post(
        f"/campaigns/{campaign.pk}/allocations/",
        {"allocation-region": world.tianxin.code, "allocation-amount": 11},
    )
    assert refused.status_code == 400
    assert "超过可分配的 22 个" in refused.content.decode()
    client.force_login(world.user("furong"))
    response = client.post(
        f"/campaigns/{campaign.pk}/allocations/",
        {"allocation-region": world.furong_street.code, "allocation-amount": 5, "allocation-note": "首批"},
    )
    assert response.status_code == 302
    assert QuotaAllocation.objects.get(campaign=campaign, region=world.furong_street).amount == 5
    client.force_login(world.user("city"))
    top = client.get(f"/campaigns/{campaign.pk}/quota/", headers=HTMX)
    assert top.content.decode().lstrip().startswith('<div id="quota-table">')
    assert [(r.label, r.allocated) for r in top.context["usage"].rows] == [("芙蓉区", 12), ("天心区", None)]
    district = client.get(f"/campaigns/{campaign.pk}/quota/", {"region": world.furong.code})
    assert [(r.label, r.allocated) for r in district.context["usage"].rows] == [("文艺路街道", 5)]
    assert district.context["usage"].unallocated == 7
    client.force_login(world.user("tianxin"))
    assert client.get(f"/campaigns/{campaign.pk}/quota/", {"region": world.furong.code}).status_code == 404


def test_a_stage_is_added_changed_and_deleted_by_the_runner(client, world, campaign_world):
    campaign = campaign_world.campaign
    client.force_login(world.user("city"))
    response = client.post(
        f"/campaigns/{campaign.pk}/stages/new/",
        {
            "name": "补报阶段",
            "starts_on": "2026-10-08",
            "ends_on": "2026-10-15",
            "actions": ["submit", "batch"],
        },
    )
    assert response.status_code == 302
    stage = Stage.objects.get(campaign=campaign, name="补报阶段")
    assert stage.actions == ["submit", "batch"]
    response = client.post(
        f"/campaigns/{campaign.pk}/stages/{stage.pk}/edit/",
        {"name": "补报阶段", "starts_on": "2026-10-08", "ends_on": "2026-10-05", "actions": ["submit"]},
    )
    assert response.status_code == 400
    stage.refresh_from_db()
    assert stage.ends_on == datetime.date(2026, 10, 15)
    client.force_login(world.user("furong"))
    assert client.post(f"/campaigns/{campaign.pk}/stages/{stage.pk}/delete/").status_code == 403
    client.force_login(world.user("city"))
    assert client.post(f"/campaigns/{campaign.pk}/stages/{stage.pk}/delete/").status_code == 302
    assert not Stage.objects.filter(pk=stage.pk).exists()


@time_machine.travel(JUNE_15, tick=False)
def test_the_eligibility_check_explains_each_rule_for_a_visible_unit(client, world, campaign_world):
    campaign = campaign_world.campaign
    client.force_login(world.user("unit"))
    page = client.get(f"/campaigns/{campaign.pk}/eligibility/")
    assert page.status_code == 200
    assert "请选择要检查的单位" in page.content.decode()
    response = client.get(
        f"/campaigns/{campaign.pk}/eligibility/", {"unit": world.furong_unit.pk}, headers=HTMX
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="eligibility-result">')
    assert "可以申报" in body
    assert "已于 2024年12月20日 获得前置称号“区级节能环保（两型）社区”" in body or "获得前置称号" in body
    assert response.context["explained"].eligible
    other = client.get(f"/campaigns/{campaign.pk}/eligibility/", {"unit": world.tianxin_unit.pk})
    assert other.context["explained"] is None  # a unit outside the user's sight cannot be chosen


@time_machine.travel(JUNE_15, tick=False)
def test_the_eligibility_check_says_why_a_unit_may_not_apply(client, world, campaign_world):
    from lvchuang.titles.models import Title

    Title.objects.filter(unit=world.furong_unit).update(status=Title.Status.REVOKED)
    client.force_login(world.user("furong"))
    response = client.get(
        f"/campaigns/{campaign_world.campaign.pk}/eligibility/", {"unit": world.furong_unit.pk}
    )
    body = response.content.decode()
    assert "暂不能申报" in body
    assert "须先获得“区级节能环保（两型）社区”称号方可申报“市级节能环保社区”" in body
