"""The access helpers, tested once and thoroughly: every list and object in the product is scoped by them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lvchuang.accounts import access
from lvchuang.audit.models import AuditEntry
from lvchuang.organisations.services import update_unit


def names(queryset):
    return sorted(str(obj) for obj in queryset)


def test_it_shows_an_office_exactly_its_region_subtree(world):
    assert names(access.visible_units(world.user("furong"))) == ["识字岭社区居委会"]
    assert names(access.visible_units(world.user("tianxin"))) == ["西牌楼社区居委会", "长沙市第一中学"]
    assert names(access.visible_units(world.user("city"))) == [
        "西牌楼社区居委会",
        "识字岭社区居委会",
        "长沙市第一中学",
    ]
    assert access.visible_units(world.user("province")).count() == 3


def test_it_shows_a_sibling_district_nothing_of_its_neighbour(world):
    furong = world.user("furong")
    with pytest.raises(Http404):
        access.access_unit_by_id(furong, world.tianxin_unit.pk)
    with pytest.raises(Http404):
        access.access_region_by_code(furong, world.tianxin.code)
    with pytest.raises(Http404):
        access.access_office_by_id(furong, world.tianxin_office.pk)
    assert world.tianxin.code not in set(access.visible_regions(furong).values_list("code", flat=True))
    assert world.user("tianxin_unit") not in access.visible_users(furong)


def test_it_shows_unit_staff_only_their_own_unit(world):
    assert names(access.visible_units(world.user("unit"))) == ["识字岭社区居委会"]
    assert access.visible_offices(world.user("unit")).count() == 0


def test_it_shows_sector_staff_their_sector_units_wherever_they_are(world):
    assert names(access.visible_units(world.user("sector"))) == ["长沙市第一中学"]


def test_it_shows_a_reviewer_only_assigned_units(world):
    from lvchuang.organisations.models import ReviewerAssignment

    reviewer = world.user("reviewer")
    assert access.visible_units(reviewer).count() == 0
    ReviewerAssignment.objects.create(reviewer=reviewer, unit=world.tianxin_unit)
    access.forget_jurisdiction(reviewer)
    assert names(access.visible_units(reviewer)) == ["西牌楼社区居委会"]
    with pytest.raises(PermissionDenied):
        access.access_unit_by_id(reviewer, world.tianxin_unit.pk, for_change=True)


def test_it_lets_a_leadership_member_read_but_not_change(world):
    leader = world.user("leader")
    assert access.visible_units(leader).count() == 3
    with pytest.raises(PermissionDenied):
        access.access_unit_by_id(leader, world.furong_unit.pk, for_change=True)


def test_it_shows_an_outsider_nothing(world):
    outsider = world.user("outsider")
    assert access.visible_units(outsider).count() == 0
    assert access.visible_regions(outsider).count() == 0
    assert list(access.visible_users(outsider)) == [outsider]
    assert access.visible_audit_entries(outsider).count() == 0


def test_it_answers_404_for_garbage_ids(world):
    with pytest.raises(Http404):
        access.access_unit_by_id(world.user("admin"), "not-a-number")


def test_it_scopes_the_audit_trail_by_subtree(world):
    update_unit(by=world.user("unit"), unit=world.furong_unit, changes={"energy_headcount": 12})
    entry = AuditEntry.objects.filter(object_pk=str(world.furong_unit.pk)).latest("timestamp")
    assert entry.actor == world.user("unit")
    assert entry.changes["energy_headcount"] == ["None", "12"]
    assert entry in access.visible_audit_entries(world.user("furong"))
    assert entry in access.visible_audit_entries(world.user("city"))
    assert entry not in access.visible_audit_entries(world.user("tianxin"))


def test_it_shows_an_office_the_audit_of_accounts_that_hold_a_role_in_its_subtree(world):
    from lvchuang.accounts.services import create_user_with_role

    person = create_user_with_role(
        by=world.user("furong"),
        username="clerk",
        full_name="新同事",
        role="unit_staff",
        unit=world.furong_unit,
    )
    created = AuditEntry.objects.get(content_type__model="user", object_pk=str(person.pk), action=0)

    assert created in access.visible_audit_entries(world.user("furong"))
    assert created in access.visible_audit_entries(world.user("city"))
    assert created not in access.visible_audit_entries(world.user("tianxin"))
    assert created not in access.visible_audit_entries(world.user("unit"))
