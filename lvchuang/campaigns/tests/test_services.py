"""Campaign services: opening a campaign from a program, stage windows and overrides, quota splits, programs."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.applications.models import Application, Status
from lvchuang.audit.models import AuditEntry
from lvchuang.campaigns import selectors, services, windows
from lvchuang.campaigns.models import Campaign, Program, QuotaAllocation, Stage, WindowOverride
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region


def day(month: int, dom: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, dom)


@pytest.fixture
def green_campaign(world) -> Campaign:
    """The city's 2026 市级绿色单位 campaign (seed 002: 22 city titles a year, divided among counties)."""
    return services.create_campaign(
        by=world.user("city"),
        program=Program.objects.get(code="city-green-unit"),
        year=2026,
        office=world.city_office,
    )


# --- opening a campaign ---------------------------------------------------------------------------------------


def test_it_copies_the_calendar_into_dated_stages_and_locks_the_version(campaign_world):
    campaign = campaign_world.campaign
    campaign.refresh_from_db()
    stages = list(campaign.stages.order_by("starts_on", "order"))
    assert [(s.name, s.starts_on, s.ends_on) for s in stages] == [
        ("动员准备阶段", day(3, 1), day(4, 30)),
        ("申报推选阶段", day(5, 1), day(9, 30)),
        ("创建实施阶段", day(7, 1), day(9, 30)),
        ("验收评审阶段", day(10, 1), day(11, 30)),
        ("认定巩固阶段", day(12, 1), day(12, 31)),
    ]
    assert stages[1].actions == ["submit", "recommend", "approve", "batch"]
    assert campaign.name == "2026 年市级节能环保社区创建"
    assert campaign.demonstration_quota == 20
    campaign.version.refresh_from_db()
    assert campaign.version.is_locked
    assert "2026 年市级节能环保社区创建" in campaign.version.locked_reason


def test_it_takes_the_programs_quota_unless_one_is_given(world, green_campaign):
    assert green_campaign.quota == 22
    other = services.create_campaign(
        by=world.user("city"),
        program=Program.objects.get(code="city-green-unit"),
        year=2027,
        office=world.city_office,
        quota=18,
    )
    assert other.quota == 18


def test_it_refuses_the_same_program_twice_in_a_year_for_one_office(world, campaign_world):
    with pytest.raises(ValidationError, match="已存在"):
        services.create_campaign(
            by=world.user("city"), program=campaign_world.program, year=2026, office=world.city_office
        )
    assert Campaign.objects.filter(program=campaign_world.program, year=2026).count() == 1


def test_it_refuses_a_campaign_for_an_office_the_user_does_not_manage(world):
    with pytest.raises(PermissionDenied):
        services.create_campaign(
            by=world.user("furong"),
            program=Program.objects.get(code="city-green-unit"),
            year=2026,
            office=world.tianxin_office,
        )
    assert not Campaign.objects.exists()


def test_it_adds_changes_and_deletes_a_stage(world, campaign_world):
    campaign = campaign_world.campaign
    stage = services.save_stage(
        by=world.user("city"),
        campaign=campaign,
        name="补报阶段",
        starts_on=day(10, 8),
        ends_on=day(10, 15),
        actions=["submit"],
    )
    services.save_stage(
        by=world.user("city"),
        campaign=campaign,
        stage=stage,
        name="补报阶段",
        starts_on=day(10, 8),
        ends_on=day(10, 20),
        actions=["submit", "batch"],
    )
    stage.refresh_from_db()
    assert (stage.ends_on, stage.actions) == (day(10, 20), ["submit", "batch"])
    with pytest.raises(PermissionDenied):
        services.delete_stage(by=world.user("furong"), stage=stage)
    services.delete_stage(by=world.user("city"), stage=stage)
    assert not Stage.objects.filter(pk=stage.pk).exists()


# --- windows and overrides ------------------------------------------------------------------------------------


def test_it_opens_an_action_inside_its_stage_and_names_the_deadline(campaign_world):
    window = windows.window_for(campaign_world.campaign, "batch", today=day(9, 30))
    assert window.is_open
    assert window.stage is not None
    assert window.stage.name == "申报推选阶段"
    assert window.closes_on == day(9, 30)


def test_it_refuses_a_late_batch_with_the_date_it_closed(campaign_world):
    with pytest.raises(ValidationError) as refused:
        windows.require_open(
            campaign_world.campaign, "batch", region_path=campaign_world.world.furong.path, today=day(10, 8)
        )
    assert "2026年9月30日" in refused.value.messages[0] or "2026-09-30" in refused.value.messages[0]
    assert "已于" in refused.value.messages[0]


def test_an_override_reopens_the_action_for_its_region_only_and_is_logged(campaign_world):
    world = campaign_world.world
    campaign = campaign_world.campaign
    override = services.record_override(
        by=world.user("city"),
        campaign=campaign,
        action="batch",
        until=day(10, 15),
        reason="芙蓉区申报表盖章延误，经领导小组同意延期。",
        region=world.furong,
    )
    override.refresh_from_db()
    assert override.created_by == world.user("city")
    assert override.reason == "芙蓉区申报表盖章延误，经领导小组同意延期。"
    opened = windows.require_open(campaign, "batch", region_path=world.furong_street.path, today=day(10, 8))
    assert opened.override == override
    with pytest.raises(ValidationError, match="已于"):
        windows.require_open(campaign, "batch", region_path=world.tianxin.path, today=day(10, 8))
    with pytest.raises(ValidationError, match="已于"):
        windows.require_open(campaign, "batch", region_path=world.furong.path, today=day(10, 16))
    assert AuditEntry.objects.filter(
        content_type__model="windowoverride", object_pk=str(override.pk)
    ).exists()


def test_an_override_needs_a_reason_and_the_campaigns_runner(campaign_world):
    world = campaign_world.world
    with pytest.raises(ValidationError, match="理由"):
        services.record_override(
            by=world.user("city"),
            campaign=campaign_world.campaign,
            action="batch",
            until=day(10, 15),
            reason=" ",
        )
    with pytest.raises(PermissionDenied):
        services.record_override(
            by=world.user("furong"),
            campaign=campaign_world.campaign,
            action="batch",
            until=day(10, 15),
            reason="想延期",
            region=world.furong,
        )
    assert not WindowOverride.objects.exists()


def test_windows_today_lists_every_action_with_its_state(campaign_world):
    shown = selectors.windows_today(campaign_world.campaign, today=day(10, 8))
    state = {w.action: w.is_open for w in shown}
    assert state == {
        "submit": False,
        "recommend": False,
        "approve": False,
        "batch": False,
        "publish_goals": False,
        "check": True,
        "review": True,
        "shortlist": True,
    }


# --- quotas (seed 002: 35 = 3 national + 10 provincial + 22 city, the 22 divided among counties) ----------------


def test_it_splits_the_city_quota_among_districts_and_refuses_more_than_there_is(world, green_campaign):
    city = world.user("city")
    services.set_allocation(by=city, campaign=green_campaign, amount=12, region=world.furong)
    services.set_allocation(by=city, campaign=green_campaign, amount=8, region=world.tianxin)
    services.set_allocation(by=city, campaign=green_campaign, amount=2, department=world.education_bureau)
    with pytest.raises(ValidationError, match="超过可分配的 22 个"):
        services.set_allocation(by=city, campaign=green_campaign, amount=9, region=world.tianxin)
    assert QuotaAllocation.objects.get(campaign=green_campaign, region=world.tianxin).amount == 8
    services.set_allocation(by=city, campaign=green_campaign, amount=6, region=world.tianxin)
    assert sorted(green_campaign.allocations.values_list("amount", flat=True)) == [2, 6, 12]


def test_a_district_splits_its_own_share_among_its_streets(world, green_campaign):
    services.set_allocation(by=world.user("city"), campaign=green_campaign, amount=12, region=world.furong)
    street = Region.objects.create(
        code="430102002000", name="定王台街道", level=4, parent=world.furong, path="430102002", code_year=2023
    )
    furong = world.user("furong")
    services.set_allocation(by=furong, campaign=green_campaign, amount=7, region=world.furong_street)
    services.set_allocation(by=furong, campaign=green_campaign, amount=5, region=street)
    with pytest.raises(ValidationError, match="超过可分配的 12 个"):
        services.set_allocation(by=furong, campaign=green_campaign, amount=8, region=street)
    with pytest.raises(PermissionDenied):
        services.set_allocation(by=world.user("tianxin"), campaign=green_campaign, amount=1, region=street)
    assert QuotaAllocation.objects.get(campaign=green_campaign, region=street).amount == 5


def test_quota_usage_counts_applications_in_progress_and_shortlisted_at_every_level(world, green_campaign):
    city = world.user("city")
    services.set_allocation(by=city, campaign=green_campaign, amount=12, region=world.furong)
    services.set_allocation(by=city, campaign=green_campaign, amount=10, region=world.tianxin)
    services.set_allocation(
        by=world.user("furong"), campaign=green_campaign, amount=4, region=world.furong_street
    )
    second = Unit.objects.create(name="识字岭小学", kind=Unit.Kind.SCHOOL, region=world.furong_community)
    Application.objects.create(campaign=green_campaign, unit=world.furong_unit, status=Status.SHORTLISTED)
    Application.objects.create(campaign=green_campaign, unit=second, status=Status.APPROVED)
    Application.objects.create(campaign=green_campaign, unit=world.tianxin_unit, status=Status.DRAFT)
    Application.objects.create(campaign=green_campaign, unit=world.school, status=Status.SUBMITTED)

    top = selectors.quota_usage(green_campaign)
    rows = {row.label: (row.allocated, row.in_progress, row.shortlisted) for row in top.rows}
    assert rows == {"芙蓉区": (12, 1, 1), "天心区": (10, 0, 0), "长沙市教育局": (None, 1, 0)}
    assert (top.limit, top.allocated, top.unallocated) == (22, 22, 0)
    assert (top.in_progress, top.shortlisted) == (2, 1)

    district = selectors.quota_usage(green_campaign, region=world.furong)
    assert [(r.label, r.allocated, r.in_progress, r.shortlisted) for r in district.rows] == [
        ("文艺路街道", 4, 1, 1)
    ]
    assert (district.limit, district.unallocated) == (12, 8)
    assert [region.name for region in district.trail] == ["长沙市", "芙蓉区"]


def test_quota_usage_hides_a_sibling_districts_numbers(world, green_campaign):
    services.set_allocation(by=world.user("city"), campaign=green_campaign, amount=12, region=world.furong)
    services.set_allocation(by=world.user("city"), campaign=green_campaign, amount=10, region=world.tianxin)
    seen = selectors.quota_usage(green_campaign, user=world.user("furong"))
    assert [row.label for row in seen.rows] == ["芙蓉区"]


def test_allocation_usage_counts_each_allocation_in_one_query(
    world, green_campaign, django_assert_num_queries
):
    share = services.set_allocation(
        by=world.user("city"), campaign=green_campaign, amount=12, region=world.furong
    )
    sector = services.set_allocation(
        by=world.user("city"), campaign=green_campaign, amount=2, department=world.education_bureau
    )
    Application.objects.create(campaign=green_campaign, unit=world.furong_unit, status=Status.CHECKED)
    Application.objects.create(campaign=green_campaign, unit=world.school, status=Status.SHORTLISTED)
    with django_assert_num_queries(1):
        usage = selectors.allocation_usage([share, sector])
    assert usage == {share.pk: (1, 0), sector.pk: (0, 1)}


# --- programs -------------------------------------------------------------------------------------------------


def test_an_office_copies_a_builtin_program_and_owns_the_copy(world):
    builtin = Program.objects.get(code="conservation-oriented-organ")
    copy = services.copy_program(
        by=world.user("furong"), program=builtin, office=world.furong_office, code="furong-organ"
    )
    copy.refresh_from_db()
    assert copy.owner == world.furong_office
    assert copy.name == "节约型机关（芙蓉区创建办）"
    assert copy.calendar == builtin.calendar
    assert copy.organ_types == builtin.organ_types
    assert list(copy.exempt_programs.values_list("code", flat=True)) == ["public-institution-demonstration"]
    builtin.refresh_from_db()
    assert builtin.owner is None


def test_it_refuses_a_copy_into_another_office_or_with_a_taken_code(world):
    builtin = Program.objects.get(code="green-community")
    with pytest.raises(PermissionDenied):
        services.copy_program(by=world.user("furong"), program=builtin, office=world.tianxin_office, code="x")
    with pytest.raises(ValidationError):
        services.copy_program(
            by=world.user("furong"), program=builtin, office=world.furong_office, code="green-community"
        )
    assert Program.objects.filter(owner__isnull=False).count() == 0


def test_only_the_owning_office_changes_a_program(world):
    copy = services.copy_program(
        by=world.user("furong"),
        program=Program.objects.get(code="green-community"),
        office=world.furong_office,
        code="furong-green-community",
    )
    for name in ("tianxin", "city", "unit"):
        with pytest.raises(PermissionDenied):
            services.update_program(by=world.user(name), program=copy, changes={"yearly_quota": 99})
    with pytest.raises(PermissionDenied):
        services.update_program(
            by=world.user("furong"),
            program=Program.objects.get(code="green-community"),
            changes={"yearly_quota": 1},
        )
    services.update_program(
        by=world.user("furong"), program=copy, changes={"yearly_quota": 15, "cooldown_years": 2}
    )
    copy.refresh_from_db()
    assert (copy.yearly_quota, copy.cooldown_years) == (15, 2)
    assert AuditEntry.objects.filter(content_type__model="program", object_pk=str(copy.pk)).exists()


def test_it_refuses_a_calendar_with_an_unknown_action(world):
    copy = services.copy_program(
        by=world.user("furong"),
        program=Program.objects.get(code="green-community"),
        office=world.furong_office,
        code="furong-green-community",
    )
    bad = [{"name": "阶段", "start": "03-01", "end": "03-31", "actions": ["fly"]}]
    with pytest.raises(ValidationError, match="未知的操作"):
        services.update_program(by=world.user("furong"), program=copy, changes={"calendar": bad})
    copy.refresh_from_db()
    assert copy.calendar != bad
