"""Who sees and keeps a body's record (meetings.access): 404 outside, 403 for what the user may only read."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lvchuang.accounts.models import RoleAssignment
from lvchuang.meetings import access


def test_the_district_office_and_the_offices_above_see_and_keep_the_record(mw) -> None:
    for name in ("furong", "city", "province", "admin"):
        user = mw.user(name)
        assert access.access_meeting_body_by_id(user, mw.body.pk, for_change=True) == mw.body
        assert access.access_meeting_by_id(user, mw.meeting.pk, for_change=True) == mw.meeting
        assert access.access_item_by_id(user, mw.civil_item.pk, for_change=True) == mw.civil_item
        assert access.access_liaison_by_id(user, mw.housing_liaison.pk, for_change=True) == mw.housing_liaison


@pytest.mark.parametrize(
    "name", ["tianxin", "outsider", "unit", "sector", "street", "reviewer", "tianxin_unit"]
)
def test_everybody_outside_gets_404_on_every_object(mw, name) -> None:
    user = mw.user(name)
    with pytest.raises(Http404):
        access.access_meeting_body_by_id(user, mw.body.pk)
    with pytest.raises(Http404):
        access.access_meeting_by_id(user, mw.meeting.pk)
    with pytest.raises(Http404):
        access.access_item_by_id(user, mw.housing_item.pk)
    with pytest.raises(Http404):
        access.access_liaison_by_id(user, mw.housing_liaison.pk)
    assert not access.visible_meeting_bodies(user).exists()
    assert not access.visible_meetings(user).exists()
    assert not access.visible_items(user).exists()
    assert not access.visible_liaisons(user).exists()


def test_a_leadership_member_over_the_region_reads_but_does_not_keep(mw) -> None:
    leader = mw.user("leader")  # member of the city's leading group
    assert access.access_meeting_by_id(leader, mw.meeting.pk) == mw.meeting
    with pytest.raises(PermissionDenied):
        access.access_meeting_by_id(leader, mw.meeting.pk, for_change=True)
    with pytest.raises(PermissionDenied):
        access.access_item_by_id(leader, mw.housing_item.pk, for_change=True)


def test_a_liaison_works_on_their_departments_items_only(mw) -> None:
    housing = mw.user("housing")
    assert access.access_item_by_id(housing, mw.housing_item.pk, for_change=True) == mw.housing_item
    assert access.access_item_by_id(housing, mw.civil_item.pk) == mw.civil_item
    with pytest.raises(PermissionDenied):
        access.access_item_by_id(housing, mw.civil_item.pk, for_change=True)
    with pytest.raises(PermissionDenied):
        access.access_meeting_by_id(housing, mw.meeting.pk, for_change=True)
    assert not access.can_keep_body(housing, mw.body)


def test_a_liaison_keeps_seeing_the_body_through_the_liaison_row(mw) -> None:
    housing = mw.user("housing")
    RoleAssignment.objects.filter(user=housing).delete()
    assert list(access.visible_meeting_bodies(housing)) == [mw.body]
    assert access.access_item_by_id(housing, mw.housing_item.pk, for_change=True) == mw.housing_item


def test_ids_that_are_not_numbers_are_404(mw) -> None:
    with pytest.raises(Http404):
        access.access_item_by_id(mw.user("furong"), "abc")
