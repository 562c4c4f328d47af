"""/organisations/units/new/: offices add units inside their own subtree."""

from __future__ import annotations

from lvchuang.audit.models import AuditEntry
from lvchuang.organisations.models import Unit

URL = "/organisations/units/new/"


def new_unit(region, **overrides):
    data = {
        "name": "东湖社区居委会",
        "kind": "community",
        "region": region.code,
        "sector": "",
        "organ_type": "",
        "organ_level": "",
        "institution_type": "",
        "floor_area": "",
        "energy_headcount": "",
        "household_count": "1200",
        "green_family_count": "300",
        "address": "",
        "contact_name": "王丽",
        "contact_phone": "",
        "contact_email": "",
        "credit_code": "",
    }
    data.update(overrides)
    return data


def test_it_offers_a_district_only_regions_of_its_subtree(client, world):
    client.force_login(world.user("furong"))
    response = client.get(URL)
    assert response.status_code == 200
    codes = set(response.context["form"].fields["region"].queryset.values_list("code", flat=True))
    assert codes == {world.furong.code, world.furong_street.code, world.furong_community.code}
    body = response.content.decode()
    assert world.tianxin.code not in body
    assert "is_active" not in response.context["form"].fields


def test_it_creates_a_unit_and_records_who_did(client, world):
    client.force_login(world.user("furong"))
    response = client.post(URL, new_unit(world.furong_community))
    unit = Unit.objects.get(name="东湖社区居委会")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/units/{unit.pk}/"
    assert unit.region == world.furong_community
    assert unit.household_count == 1200
    assert unit.contact_name == "王丽"
    entry = AuditEntry.objects.get(object_pk=str(unit.pk), content_type__model="unit")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == world.user("furong")


def test_it_refuses_a_region_of_the_sibling_district_and_keeps_the_input(client, world):
    client.force_login(world.user("furong"))
    response = client.post(URL, new_unit(world.tianxin_community, name="越界社区"))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    body = response.content.decode()
    assert 'value="越界社区"' in body
    assert 'value="1200"' in body
    assert not Unit.objects.filter(name="越界社区").exists()


def test_it_refuses_a_duplicate_name_in_the_same_region(client, world):
    client.force_login(world.user("furong"))
    response = client.post(URL, new_unit(world.furong_community, name="识字岭社区居委会"))
    assert response.status_code == 200
    assert "这个行政区里已经有同名的单位" in response.content.decode()
    assert Unit.objects.filter(name="识字岭社区居委会").count() == 1


def test_it_asks_for_the_name_kind_and_region(client, world):
    client.force_login(world.user("furong"))
    response = client.post(URL, {**new_unit(world.furong_community), "name": "", "kind": "", "region": ""})
    assert set(response.context["form"].errors) == {"name", "kind", "region"}
    assert "该字段是必填项" in response.content.decode()  # Django's own message, in Chinese


def test_it_refuses_units_from_anyone_but_an_office(client, world):
    for who in ("unit", "sector", "leader", "reviewer", "outsider"):
        client.force_login(world.user(who))
        assert client.get(URL).status_code == 403, who
        assert client.post(URL, new_unit(world.furong_community, name=f"{who}的单位")).status_code == 403, who
    assert not Unit.objects.filter(name__endswith="的单位").exists()
