"""/organisations/units/<id>/edit/: unit staff keep their facts up to date; offices also classify the unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvchuang.audit.models import AuditEntry
from lvchuang.organisations.models import Unit


def url(unit):
    return f"/organisations/units/{unit.pk}/edit/"


def facts(**overrides):
    data = {
        "floor_area": "860.5",
        "energy_headcount": "14",
        "address": "长沙市芙蓉区识字岭",
        "contact_name": "李明",
        "contact_phone": "0731-84561234",
        "contact_email": "",
        "credit_code": "",
        "household_count": "",
        "green_family_count": "",
    }
    data.update(overrides)
    return data


def classification(unit, **overrides):
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "region": unit.region.code,
        "sector": unit.sector_id or "",
        "organ_type": unit.organ_type,
        "organ_level": unit.organ_level,
        "institution_type": unit.institution_type,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def latest_entry(unit):
    return AuditEntry.objects.filter(object_pk=str(unit.pk), content_type__model="unit").latest(
        "timestamp", "pk"
    )


def test_it_shows_unit_staff_only_the_facts(client, world):
    client.force_login(world.user("unit"))
    response = client.get(url(world.furong_unit))
    assert response.status_code == 200
    fields = set(response.context["form"].fields)
    assert fields == {
        "floor_area",
        "energy_headcount",
        "household_count",
        "green_family_count",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
        "credit_code",
    }
    assert "由创建办维护" in response.content.decode()


def test_it_shows_an_office_the_classification_too(client, world):
    client.force_login(world.user("furong"))
    fields = set(client.get(url(world.furong_unit)).context["form"].fields)
    assert {"name", "kind", "region", "sector", "is_active", "floor_area"} <= fields


def test_it_leaves_out_family_counts_for_a_unit_that_is_not_a_community(client, world):
    client.force_login(world.user("tianxin"))
    fields = set(client.get(url(world.school)).context["form"].fields)
    assert "household_count" not in fields
    assert "floor_area" in fields


def test_it_saves_unit_staffs_facts_and_records_who_changed_what(client, world):
    client.force_login(world.user("unit"))
    response = client.post(url(world.furong_unit), facts())
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/units/{world.furong_unit.pk}/"
    world.furong_unit.refresh_from_db()
    assert world.furong_unit.floor_area == Decimal("860.50")
    assert world.furong_unit.energy_headcount == 14
    assert world.furong_unit.contact_phone == "0731-84561234"
    entry = latest_entry(world.furong_unit)
    assert entry.actor == world.user("unit")
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes["energy_headcount"] == ["None", "14"]
    assert entry.region_path == world.furong_community.path
    assert "已保存" in client.get(response["Location"]).content.decode()


def test_it_refuses_classification_fields_from_unit_staff(client, world):
    client.force_login(world.user("unit"))
    client.post(url(world.furong_unit), {**facts(), "name": "改名社区", "kind": "school"})
    world.furong_unit.refresh_from_db()
    assert world.furong_unit.name == "识字岭社区居委会"  # not a field of their form: ignored
    assert world.furong_unit.kind == Unit.Kind.COMMUNITY


def test_it_lets_an_office_reclassify_and_move_a_unit_within_its_subtree(client, world):
    client.force_login(world.user("tianxin"))
    data = {**classification(world.school, name="长沙市一中", region=world.tianxin_community.code), **facts()}
    response = client.post(url(world.school), data)
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.name == "长沙市一中"
    assert world.school.region == world.tianxin_community
    entry = latest_entry(world.school)
    assert entry.actor == world.user("tianxin")
    assert entry.changes["name"] == ["长沙市第一中学", "长沙市一中"]


def test_it_refuses_to_move_a_unit_into_a_sibling_district(client, world):
    client.force_login(world.user("tianxin"))
    data = {**classification(world.school, region=world.furong_community.code), **facts()}
    response = client.post(url(world.school), data)
    assert response.status_code == 200
    assert "不在您的管辖范围内" in response.content.decode()
    world.school.refresh_from_db()
    assert world.school.region == world.tianxin_street


def test_it_keeps_every_entered_value_and_explains_errors_in_chinese(client, world):
    client.force_login(world.user("unit"))
    data = facts(
        energy_headcount="-3",
        household_count="100",
        green_family_count="120",
        contact_email="not-an-email",
        contact_name="王小明",
    )
    response = client.post(url(world.furong_unit), data)
    assert response.status_code == 200
    body = response.content.decode()
    form = response.context["form"]
    assert set(form.errors) == {"energy_headcount", "green_family_count", "contact_email"}
    assert "绿色家庭数不能超过户数" in body
    assert "请更正下面标出的问题" in body
    assert "请输入合法的邮件地址" in body  # Django's own message, in Chinese
    for value in ("-3", "100", "120", "not-an-email", "王小明", "0731-84561234", "860.5"):
        assert f'value="{value}"' in body, value
    world.furong_unit.refresh_from_db()
    assert world.furong_unit.contact_name == ""


def test_it_requires_organ_type_and_level_for_an_organ(client, world):
    client.force_login(world.user("furong"))
    data = {**classification(world.furong_unit, kind="organ"), **facts()}
    response = client.post(url(world.furong_unit), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["organ_type"] == ["党政机关必须选择机关类型。"]
    assert errors["organ_level"] == ["党政机关必须选择机关层级。"]


def test_it_refuses_family_counts_for_a_unit_that_stops_being_a_community(client, world):
    Unit.objects.filter(pk=world.furong_unit.pk).update(household_count=300)
    client.force_login(world.user("furong"))
    data = {**classification(world.furong_unit, kind="school"), **facts(household_count="300")}
    response = client.post(url(world.furong_unit), data)
    assert response.status_code == 200
    assert "只适用于社区" in response.context["form"].errors["household_count"][0]


def test_it_checks_the_credit_code_format(client, world):
    client.force_login(world.user("unit"))
    response = client.post(url(world.furong_unit), facts(credit_code="12345"))
    assert "18 位" in response.context["form"].errors["credit_code"][0]
    response = client.post(url(world.furong_unit), facts(credit_code="91430102ma4l0xyr1w"))
    assert response.status_code == 302
    world.furong_unit.refresh_from_db()
    assert world.furong_unit.credit_code == "91430102MA4L0XYR1W"


def test_it_writes_nothing_when_nothing_changed(client, world):
    client.force_login(world.user("unit"))
    client.post(url(world.furong_unit), facts())
    entries = AuditEntry.objects.count()
    response = client.post(url(world.furong_unit), facts(), follow=True)
    assert "没有修改任何内容" in response.content.decode()
    assert AuditEntry.objects.count() == entries


def test_it_forbids_a_leadership_member_to_edit(client, world):
    client.force_login(world.user("leader"))
    assert client.get(url(world.furong_unit)).status_code == 403
    response = client.post(url(world.furong_unit), facts())
    assert response.status_code == 403
    assert "您无权进行此操作" in response.content.decode()
    world.furong_unit.refresh_from_db()
    assert world.furong_unit.energy_headcount is None


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("outsider", "furong_unit"),
        ("furong", "tianxin_unit"),
        ("tianxin", "furong_unit"),
        ("unit", "tianxin_unit"),
    ],
)
def test_it_answers_404_outside_the_jurisdiction(client, world, who, unit):
    client.force_login(world.user(who))
    target = getattr(world, unit)
    assert client.get(url(target)).status_code == 404
    assert client.post(url(target), facts()).status_code == 404
    target.refresh_from_db()
    assert target.energy_headcount is None


def test_it_lets_the_city_edit_units_of_both_districts(client, world):
    client.force_login(world.user("city"))
    for unit in (world.furong_unit, world.tianxin_unit):
        assert client.post(url(unit), {**classification(unit), **facts()}).status_code == 302
        unit.refresh_from_db()
        assert unit.energy_headcount == 14


def test_it_offers_the_sector_departments_of_the_regions_above(client, world):
    client.force_login(world.user("tianxin"))
    sectors = list(client.get(url(world.school)).context["form"].fields["sector"].queryset)
    assert sectors == [world.education_bureau]  # a city bureau, outside the district's own subtree
