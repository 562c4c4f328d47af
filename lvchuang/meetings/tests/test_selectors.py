"""Overdue items for the home page, the liaison's list and the body list's counts (meetings.selectors)."""

from __future__ import annotations

import datetime

from lvchuang.accounts.models import Role
from lvchuang.accounts.services import grant_role
from lvchuang.meetings import selectors, services
from lvchuang.meetings.tests.conftest import TODAY


def test_overdue_items_for_the_liaison_depend_on_today(mw) -> None:
    civil = mw.user("civil")
    assert selectors.overdue_items_for(civil, today=datetime.date(2026, 3, 31)) == []
    assert selectors.overdue_items_for(civil, today=datetime.date(2026, 4, 1)) == [mw.civil_item]
    housing = mw.user("housing")
    assert selectors.overdue_items_for(housing, today=datetime.date(2026, 4, 30)) == []
    assert selectors.overdue_items_for(housing, today=datetime.date(2026, 5, 1)) == [mw.housing_item]


def test_overdue_items_for_the_body_office_include_every_department(mw) -> None:
    furong = mw.user("furong")
    assert selectors.overdue_items_for(furong, today=TODAY) == [mw.civil_item]
    assert selectors.overdue_items_for(furong, today=datetime.date(2026, 5, 1)) == [
        mw.civil_item,
        mw.housing_item,
    ]


def test_overdue_items_leave_out_closed_items_and_other_people(mw) -> None:
    services.close_item(by=mw.user("civil"), item=mw.civil_item, result="名单已报", today=TODAY)
    assert selectors.overdue_items_for(mw.user("civil"), today=TODAY) == []
    assert selectors.overdue_items_for(mw.user("furong"), today=TODAY) == []
    later = datetime.date(2026, 6, 1)
    for name in ("tianxin", "outsider", "unit", "leader", "street"):
        assert selectors.overdue_items_for(mw.user(name), today=later) == []


def test_a_liaison_of_the_same_department_in_another_body_does_not_see_this_bodys_items(mw) -> None:
    from lvchuang.organisations.models import GoverningBody

    other = GoverningBody.objects.create(
        name="芙蓉区创建节约型机关领导小组", kind=GoverningBody.Kind.LEADING_GROUP, region=mw.world.furong
    )
    membership = other.bodymembership_set.create(department=mw.civil)
    user = mw.leadership_member("minzheng2")
    grant_role(by=None, user=user, role=Role.LEADERSHIP_MEMBER, body=other)
    services.add_liaison(by=mw.user("furong"), membership=membership, user=user)
    assert selectors.liaison_department_ids(user) == {mw.civil.pk}
    assert selectors.overdue_items_for(user, today=TODAY) == []
    assert selectors.items_for_liaison(user, today=TODAY) == []


def test_the_liaisons_list_puts_overdue_first_with_the_days_overdue(mw) -> None:
    late = services.add_agreed_item(
        by=mw.user("furong"),
        meeting=mw.meeting,
        text="更早的事项",
        owner=mw.civil,
        due_on=datetime.date(2026, 3, 20),
    )
    soon = services.add_agreed_item(
        by=mw.user("furong"),
        meeting=mw.meeting,
        text="下月的事项",
        owner=mw.civil,
        due_on=datetime.date(2026, 5, 20),
    )
    done = services.add_agreed_item(
        by=mw.user("furong"),
        meeting=mw.meeting,
        text="已办结的事项",
        owner=mw.civil,
        due_on=datetime.date(2026, 3, 15),
    )
    services.close_item(by=mw.user("civil"), item=done, result="完成", today=TODAY)
    rows = selectors.items_for_liaison(mw.user("civil"), today=TODAY)
    assert [(row.item, row.days_overdue) for row in rows] == [
        (late, 26),
        (mw.civil_item, 15),
        (soon, 0),
        (done, 0),
    ]
    assert selectors.liaison_department_ids(mw.user("civil")) == {mw.civil.pk}


def test_the_body_list_counts_members_meetings_open_and_overdue_items(mw) -> None:
    counts = ("member_count", "meeting_count", "open_count", "overdue_count")
    body = selectors.bodies_with_counts(mw.user("furong"), today=TODAY).get(pk=mw.body.pk)
    assert tuple(getattr(body, name) for name in counts) == (3, 1, 2, 1)
    later = selectors.bodies_with_counts(mw.user("furong"), today=datetime.date(2026, 5, 1))
    assert getattr(later.get(pk=mw.body.pk), "overdue_count") == 2  # noqa: B009  # an annotation mypy cannot see


def test_the_item_filters(mw) -> None:
    items = selectors.visible_agreed_items(mw.user("city"))
    assert list(selectors.filter_items(items, status="overdue", today=TODAY)) == [mw.civil_item]
    assert list(selectors.filter_items(items, owner_id=mw.housing.pk, today=TODAY)) == [mw.housing_item]
    assert list(selectors.filter_items(items, status="done", today=TODAY)) == []
    assert list(selectors.filter_items(items, today=TODAY)) == [mw.civil_item, mw.housing_item]
