"""/organisations/bodies/: leadership groups, committees and joint meetings with their member departments."""

from __future__ import annotations

import pytest

from lvchuang.organisations.models import Department, GoverningBody
from lvchuang.web.tests.helpers import queries_for

URL = "/organisations/bodies/"


def test_it_lists_bodies_with_kind_office_and_member_count(client, world):
    client.force_login(world.user("leader"))
    response = client.get(URL)
    [body] = response.context["page_obj"].object_list
    assert body.member_count == 1
    text = response.content.decode()
    assert "领导小组" in text
    assert "长沙市创建办" in text


def test_it_shows_members_with_the_lead_marked(client, world):
    world.leading_group.bodymembership_set.create(department=world.education_bureau, duties="学校创建")
    client.force_login(world.user("city"))
    response = client.get(f"{URL}{world.leading_group.pk}/")
    assert response.status_code == 200
    members = [(m.department.name, m.is_lead) for m in response.context["memberships"]]
    assert members == [("长沙市生态环境局", True), ("长沙市教育局", False)]
    text = response.content.decode()
    assert "牵头单位" in text
    assert "学校创建" in text


@pytest.mark.parametrize("who", ["outsider", "furong", "tianxin", "unit", "sector"])
def test_it_answers_404_outside_the_jurisdiction(client, world, who):
    client.force_login(world.user(who))
    assert client.get(f"{URL}{world.leading_group.pk}/").status_code == 404


def test_it_hides_a_sibling_districts_joint_meeting(client, world):
    meeting = GoverningBody.objects.create(
        name="天心区绿色社区创建联席会议",
        kind=GoverningBody.Kind.JOINT_MEETING,
        region=world.tianxin,
        office=world.tianxin_office,
    )
    client.force_login(world.user("furong"))
    assert client.get(f"{URL}{meeting.pk}/").status_code == 404
    client.force_login(world.user("city"))
    assert client.get(f"{URL}{meeting.pk}/").status_code == 200


def test_it_costs_the_same_queries_for_any_number_of_bodies(client, world):
    client.force_login(world.user("city"))
    assert queries_for(client, URL) == 5
    for number in range(10):
        body = GoverningBody.objects.create(name=f"组委会{number}", kind="committee", region=world.city)
        department = Department.objects.create(name=f"成员{number}", region=world.city)
        body.bodymembership_set.create(department=department, is_lead=True)
    assert queries_for(client, URL) == 5
