"""Who owes a requirement, by rule, and who may hand it in for each submitter."""

from __future__ import annotations

from lvchuang.accounts.models import Role
from lvchuang.accounts.services import grant_role
from lvchuang.applications.models import Application, Status
from lvchuang.organisations.models import Office
from lvchuang.reports.submitters import acting_for, expected_submitters, submitter_users

from .conftest import department_submitter, office_submitter, person, unit_submitter


def test_it_expects_the_district_offices_under_the_issuing_office_but_not_the_office_itself(rw):
    world = rw.world
    assert expected_submitters(rw.work_plan) == [
        office_submitter(world.furong_office),
        office_submitter(world.tianxin_office),
        office_submitter(rw.yuelu_office),
    ]


def test_it_picks_up_a_new_district_office_at_once(rw):
    Office.objects.create(name="芙蓉区第二创建办", region=rw.world.furong)
    assert len(expected_submitters(rw.work_plan)) == 4


def test_it_expects_the_units_whose_application_was_handed_in_and_not_withdrawn(organs):
    assert expected_submitters(organs.plan) == [
        unit_submitter(organs.organ),
        unit_submitter(organs.other_organ),
    ]
    Application.objects.filter(unit=organs.other_organ).update(status=Status.WITHDRAWN)
    assert expected_submitters(organs.plan) == [unit_submitter(organs.organ)]


def test_it_expects_every_member_department_of_the_body(joint_meeting):
    jm = joint_meeting
    assert set(expected_submitters(jm.quarterly)) == {
        department_submitter(jm.housing),
        department_submitter(jm.civil_affairs),
    }


def test_it_lets_only_the_office_s_own_users_hand_in_for_it(rw):
    world = rw.world
    furong = office_submitter(world.furong_office)
    assert acting_for(world.user("furong")).may_submit_for(rw.work_plan, furong)
    assert not acting_for(world.user("tianxin")).may_submit_for(rw.work_plan, furong)
    assert not acting_for(world.user("city")).may_submit_for(rw.work_plan, furong)  # the office above reads
    users = submitter_users(rw.work_plan, expected_submitters(rw.work_plan))
    assert [u.username for u in users[furong.key]] == ["furong"]
    assert [u.username for u in users[office_submitter(rw.yuelu_office).key]] == ["yuelu"]


def test_it_lets_a_member_s_liaisons_and_its_sector_staff_hand_in(joint_meeting, rw):
    jm = joint_meeting
    jm.housing.is_sector_authority = True  # sector staff belong to a sector department
    jm.housing.save()
    sector_user = person("housing_sector")
    grant_role(by=None, user=sector_user, role=Role.SECTOR_STAFF, department=jm.housing)
    housing = department_submitter(jm.housing)
    users = submitter_users(jm.quarterly, [housing])
    assert sorted(u.username for u in users[housing.key]) == ["housing", "housing_sector"]
    assert acting_for(rw.user("housing")).may_submit_for(jm.quarterly, housing)
    assert not acting_for(rw.user("civil")).may_submit_for(jm.quarterly, housing)
