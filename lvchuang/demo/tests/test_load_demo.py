"""load_demo: real divisions, the campaign's bodies, units of every kind and a login for every role; idempotent."""

from __future__ import annotations

import datetime
import os
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.applications.models import Application, Batch, Status
from lvchuang.audit.models import AuditEntry
from lvchuang.campaigns.models import Campaign
from lvchuang.demo.catalogue import DEMO_PASSWORD
from lvchuang.demo.loader import PACKAGE_NAME
from lvchuang.ledgers.models import AnnualTarget
from lvchuang.meetings.models import Meeting
from lvchuang.naming.models import AwardPayment, NamingDecision
from lvchuang.notices.models import Notice, Objection
from lvchuang.organisations.models import (
    BodyMembership,
    Department,
    GoverningBody,
    Office,
    ReviewerAssignment,
    Unit,
)
from lvchuang.regions.models import DivisionImport, Region
from lvchuang.reviews.models import Review
from lvchuang.supervision.models import RectificationOrder, Reinspection, RevocationProposal
from lvchuang.targets.models import CoverageTarget
from lvchuang.titles.models import Title

from .conftest import REGION_COUNT

MODELS = (
    Region,
    DivisionImport,
    Department,
    Office,
    GoverningBody,
    BodyMembership,
    Unit,
    User,
    RoleAssignment,
    ReviewerAssignment,
    AuditEntry,
)


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", "--i-know-this-is-not-production", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def units_snapshot() -> list[tuple[object, ...]]:
    return list(
        Unit.objects.order_by("region__code", "name").values_list(
            "region__code",
            "name",
            "kind",
            "sector__name",
            "organ_type",
            "organ_level",
            "institution_type",
            "floor_area",
            "energy_headcount",
            "household_count",
            "green_family_count",
            "address",
            "contact_name",
            "contact_phone",
        )
    )


def test_it_imports_changsha_and_nothing_else(db, fake_package):
    load()

    assert Region.objects.count() == REGION_COUNT
    assert not Region.objects.filter(name__in=["株洲市", "广东省", "荷塘区"]).exists()
    assert Region.objects.filter(level=Region.Level.COUNTY).count() == 3
    assert DivisionImport.objects.get().outcome == DivisionImport.Outcome.APPLIED


def test_it_creates_units_of_every_kind(db, fake_package):
    load()

    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert kinds == set(Unit.Kind.values) - {Unit.Kind.OTHER}
    shizili = Unit.objects.get(name="识字里社区居委会")
    assert shizili.kind == Unit.Kind.COMMUNITY
    assert shizili.region.code == "430102001001"  # the community region itself
    # Communities only, never villages (村委会) or anything outside the scope.
    assert not Unit.objects.filter(name__contains="村委会").exists()
    assert set(Unit.objects.filter(kind=Unit.Kind.COMMUNITY).values_list("region__kind", flat=True)) == {
        Region.Kind.COMMUNITY
    }
    # Every community reads as a residents' committee, even where the data names only the 社区.
    names = Unit.objects.filter(kind=Unit.Kind.COMMUNITY).values_list("name", flat=True)
    assert all(name.endswith(("居委会", "委员会")) for name in names)


def test_it_gives_units_realistic_facts_with_a_few_gaps(db, fake_package):
    load()

    organ = Unit.objects.get(name="长沙市中级人民法院")
    assert (organ.organ_type, organ.organ_level, organ.institution_type) == ("court", "municipal", "01")
    assert organ.region.code == "430100000000"
    district_court = Unit.objects.get(name="芙蓉区人民法院")
    assert (district_court.organ_level, district_court.region.name) == ("county", "芙蓉区")
    school = Unit.objects.get(name="长沙市雅礼中学")
    assert (str(school.sector), school.institution_type) == ("长沙市教育局", "021")
    hospital = Unit.objects.get(name="长沙市中心医院")
    assert (str(hospital.sector), hospital.institution_type) == ("长沙市卫生健康委员会", "024")
    assert str(Unit.objects.get(kind=Unit.Kind.MILITARY, name="芙蓉区人民武装部").sector) == "长沙警备区"
    for unit in Unit.objects.select_related("region"):
        assert unit.address.startswith("湖南省长沙市")
        if unit.contact_phone:
            assert unit.contact_phone.startswith("0731-8555")
        if unit.floor_area is not None and unit.energy_headcount is not None:
            assert 2 <= unit.floor_area / unit.energy_headcount <= 200
        if unit.household_count is not None:
            assert 0 < (unit.green_family_count or 0) <= unit.household_count
    gaps = Unit.objects.filter(
        Q(floor_area=None) | Q(energy_headcount=None) | Q(contact_name="") | Q(contact_phone="")
    ).count()
    assert 0.05 <= gaps / Unit.objects.count() <= 0.15


def test_it_sets_up_the_offices_and_bodies_of_the_campaign(db, fake_package):
    load()

    city_office = Office.objects.get(name="长沙市创建办")
    assert str(city_office.host_department) == "长沙市环境保护宣教站"
    assert str(Office.objects.get(name="芙蓉区创建办").host_department) == "长沙市生态环境局芙蓉分局"
    assert Office.objects.get(name="浏阳市创建办").region.name == "浏阳市"
    assert Office.objects.get(name="湖南省创建办").region.level == Region.Level.PROVINCE
    assert Office.objects.filter(name="文艺路街道创建办").exists()

    group = GoverningBody.objects.get(name="长沙市创建节能环保社区工作领导小组")
    assert group.office == city_office
    assert sorted(group.members.values_list("name", flat=True)) == sorted(
        ["长沙市生态环境局", "长沙市能源局", "长沙市文明办", "长沙市财政局"]
    )
    assert group.bodymembership_set.get(is_lead=True).department.name == "长沙市生态环境局"
    meeting = GoverningBody.objects.get(name="长沙市绿色社区创建行动联席会议")
    assert meeting.kind == GoverningBody.Kind.JOINT_MEETING
    assert meeting.bodymembership_set.get(is_lead=True).department.name == "长沙市住房和城乡建设局"
    assert meeting.members.count() == 6
    assert set(Department.objects.filter(is_sector_authority=True).values_list("name", flat=True)) == {
        "长沙市教育局",
        "长沙市卫生健康委员会",
        "长沙警备区",
    }


def test_it_creates_a_login_for_every_role_with_the_demo_password(db, fake_package):
    load()

    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    expectations = {
        "admin": (Role.SYSTEM_ADMIN, None),
        "hunan": (Role.PROVINCE_OFFICE, "湖南省创建办"),
        "changsha": (Role.CITY_OFFICE, "长沙市创建办"),
        "furong": (Role.DISTRICT_OFFICE, "芙蓉区创建办"),
        "liuyang": (Role.DISTRICT_OFFICE, "浏阳市创建办"),
        "wenyilu": (Role.STREET_OFFICE, "文艺路街道创建办"),
        "unit-shizili": (Role.UNIT_STAFF, "识字里社区居委会"),
        "unit-yali": (Role.UNIT_STAFF, "长沙市雅礼中学"),
        "jiaoyu": (Role.SECTOR_STAFF, "长沙市教育局"),
        "leader": (Role.LEADERSHIP_MEMBER, "长沙市创建节能环保社区工作领导小组"),
        "expert": (Role.REVIEWER, None),
    }
    for username, (role, scope) in expectations.items():
        assignment = RoleAssignment.objects.get(user__username=username)
        assert assignment.role == role, username
        assert (str(assignment.scope) if scope else None) == scope, username
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="visitor").roles.exists()
    assert ReviewerAssignment.objects.filter(reviewer__username="expert").count() >= 3
    # Districts missing from the package get no login.
    assert not User.objects.filter(username="yuelu").exists()
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD), user.username


def test_it_changes_nothing_when_run_a_second_time(db, fake_package):
    first_output = load()
    before, units_before = counts(), units_snapshot()

    output = load()

    assert counts() == before
    assert units_snapshot() == units_before
    assert "演示数据已载入" in first_output
    assert "未做任何修改" in output


def remove_campaigns() -> None:
    """The campaign demo's records, which hold on to units and people (demo/campaigns.py, after_review.py)."""
    RevocationProposal.objects.all().delete()
    RectificationOrder.objects.all().delete()
    Reinspection.objects.all().delete()
    AwardPayment.objects.all().delete()
    NamingDecision.objects.all().delete()
    Objection.objects.all().delete()
    Notice.objects.all().delete()
    Review.objects.all().delete()
    Application.objects.all().delete()
    Batch.objects.all().delete()
    Title.objects.all().delete()
    Campaign.objects.all().delete()  # with its requirements and submissions
    Meeting.objects.all().delete()  # with attendees and agreed items
    CoverageTarget.objects.all().delete()
    AnnualTarget.objects.all().delete()  # the ledgers themselves go with their units


def test_it_plans_and_follows_up_the_campaign(db, fake_package):
    load()
    from lvchuang.meetings.selectors import overdue_items_for
    from lvchuang.reports.models import Requirement, Submission
    from lvchuang.targets.coverage import targets_summary_for

    city = User.objects.get(username="changsha")
    summaries = targets_summary_for(city)
    assert {summary.target.name for summary in summaries} >= {"各区县节能环保社区覆盖率"}
    assert any(summary.figures.covered > 0 for summary in summaries)
    assert Requirement.objects.filter(kind=Requirement.Kind.WORK_PLAN).exists()
    assert Requirement.objects.filter(kind=Requirement.Kind.QUARTERLY_REPORT).exists()
    assert Submission.objects.exists()
    liaison = User.objects.get(username="lianxi-fagai")
    assert overdue_items_for(liaison), "the 发改委 liaison has an overdue agreed item on the home page"
    assert Meeting.objects.count() == 2


@time_machine.travel(datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC))
def test_it_keeps_ledgers_for_the_organs(db, fake_package):
    from lvchuang.ledgers.indicators import target_check
    from lvchuang.ledgers.models import BasicInfo, Consumption, GarbageRemoval, Meter, QualityFlag

    load()

    organs = Unit.objects.filter(kind=Unit.Kind.ORGAN)
    # 2020 (the 十四五 base year) to 2025, the last complete year on the demo's day.
    assert set(BasicInfo.objects.values_list("year", flat=True)) == set(range(2020, 2026))
    assert BasicInfo.objects.count() == organs.count() * 6
    assert set(Consumption.objects.values_list("year", flat=True)) == set(range(2020, 2026))
    assert not organs.filter(credit_code="").exists()
    carriers = set(Consumption.objects.values_list("carrier", "measure"))
    assert {("electricity", "kWh"), ("natural_gas", "m3"), ("gasoline", "L"), ("water", "m3")} <= carriers
    assert not Consumption.objects.filter(carrier="heat").exists()  # Changsha is not heated
    organ = Unit.objects.get(name="长沙市人民政府办公厅")
    month = {
        row.month: row.amount
        for row in Consumption.objects.filter(unit=organ, year=2024, carrier="electricity")
    }
    assert month[8] > month[4]  # the summer peak
    assert month[1] > month[4]  # and the winter one
    assert Meter.objects.filter(unit=organ, purpose="data_room").exists()
    assert GarbageRemoval.objects.filter(unit=organ).count() >= 12
    open_rules = set(QualityFlag.objects.filter(status="open").values_list("rule", flat=True))
    assert {"missing_month", "non_positive", "jump", "duplicate"} <= open_rules
    target = AnnualTarget.objects.get()
    assert (target.office.name, target.year, target.baseline_year) == ("长沙市创建办", 2025, 2020)
    assert target_check(Unit.objects.get(name="长沙市机关事务管理局"), 2025).status == "met"
    assert target_check(Unit.objects.get(name="长沙市发展和改革委员会"), 2025).status == "missed"
    client = Client()
    client.force_login(User.objects.get(username="changsha"))
    response = client.get(reverse("ledgers:summary"))
    assert response.status_code == 200
    assert response.context["summary"].year == 2025
    assert response.context["summary"].target == target
    assert client.get(reverse("ledgers:summary_export")).status_code == 200


def test_it_draws_the_same_demo_every_time(db, fake_package):
    load()
    first = units_snapshot()
    remove_campaigns()
    ReviewerAssignment.objects.all().delete()
    User.objects.all().delete()
    Unit.objects.all().delete()
    GoverningBody.objects.all().delete()
    Office.objects.all().delete()
    Department.objects.all().delete()

    load()

    assert units_snapshot() == first


def test_it_refuses_to_run_when_debug_is_off(db, fake_package, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("load_demo", stdout=StringIO())
    assert not Region.objects.exists()


def test_it_runs_without_the_flag_when_debug_is_on(db, fake_package, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert Unit.objects.exists()


def test_it_asks_for_make_divisions_when_the_package_is_missing(db, tmp_path, settings):
    settings.DIVISIONS_DIR = tmp_path / "nowhere"
    with pytest.raises(CommandError, match="make divisions"):
        load()
    assert not Region.objects.exists()


@pytest.mark.slow
def test_it_loads_the_real_changsha_package(db, settings):
    if not (settings.DIVISIONS_DIR / PACKAGE_NAME).is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{settings.DIVISIONS_DIR / PACKAGE_NAME} is missing: CI must run `make divisions` first"
            )
        pytest.skip("the division package is missing: run `make divisions`")

    load()

    assert Region.objects.filter(level=Region.Level.COUNTY).count() == 9
    assert Region.objects.filter(level=Region.Level.TOWNSHIP).count() > 150
    assert Region.objects.filter(level=Region.Level.VILLAGE).count() > 1500
    assert Unit.objects.count() >= 300
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNITY).count() >= 250
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert RoleAssignment.objects.filter(role=Role.DISTRICT_OFFICE).count() == 9
    # The campaigns: applications in every state of the workflow, one district's batch let in late.
    assert set(Application.objects.values_list("status", flat=True)) == set(Status.values)
    city_campaign = Campaign.objects.get(office__region__code="430100000000")
    assert city_campaign.overrides.filter(action="batch").exists()
    assert city_campaign.spot_checks.count() == 1
    assert "未做任何修改" in load()


def test_it_runs_the_city_campaign_into_its_review_stage(db, fake_package):
    load()
    city_campaign = Campaign.objects.get(office__region__code="430100000000")
    assert city_campaign.applications.filter(status=Status.UNDER_REVIEW).exists()
    assert city_campaign.spot_checks.count() == 1
    assert Batch.objects.filter(campaign=city_campaign, status=Batch.Status.SUBMITTED).exists()


def test_it_names_last_years_communities_and_supervises_them_with_a_notice_open_today(db, fake_package):
    import datetime

    from django.utils import timezone

    from lvchuang.naming.models import Filing

    load()
    today = timezone.localdate()
    last_year = NamingDecision.objects.filter(decided_on__year=today.year - 1)
    assert last_year.exists()
    named = Title.objects.filter(notice_entry__notice__naming__in=last_year)
    assert named.filter(status=Title.Status.UNDER_RECTIFICATION).exists()
    assert named.filter(status=Title.Status.REVOKED).exclude(status_reason="").exists()
    # An upheld objection took a unit off last year's list; this year's notice is open today with cases in it.
    assert Objection.objects.filter(status=Objection.Status.UPHELD).exists()
    open_now = Notice.objects.get(status=Notice.Status.OPEN)
    assert open_now.starts_on is not None
    assert open_now.ends_on is not None
    assert open_now.starts_on <= today <= open_now.ends_on
    assert open_now.objections.filter(status__in=["received", "investigating"]).exists()
    # The re-inspection's overdue rectification ended in a revocation decided with a document number.
    assert RevocationProposal.objects.filter(status="revoked").exclude(document_number="").exists()
    assert Filing.objects.filter(status=Filing.Status.PENDING, due_on__lt=today).exists()
    assert today - datetime.timedelta(days=400) < last_year.earliest("pk").decided_on < today
