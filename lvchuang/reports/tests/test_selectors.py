"""Who has handed in what, what a user owes, and the dated entries of the home page and the calendar."""

from __future__ import annotations

import datetime

from lvchuang.reports import selectors, services
from lvchuang.reports.selectors import completeness, dated_requirements_for, owed_submissions_for, periods_of

from .conftest import department_submitter, office_submitter

MAY_31 = datetime.date(2026, 5, 31)


def _seed_000(rw):
    """芙蓉区 hands in on time, 天心区 three days late, 岳麓区 not at all."""
    world = rw.world
    rw.hand_in(rw.work_plan, office_submitter(world.furong_office), "furong", datetime.date(2026, 5, 28))
    rw.hand_in(rw.work_plan, office_submitter(world.tianxin_office), "tianxin", datetime.date(2026, 6, 3))


def test_it_shows_each_district_s_work_plan_status(rw):
    _seed_000(rw)
    [period] = periods_of(rw.work_plan)
    assert (period.key, period.due_on) == ("", MAY_31)
    table = completeness(rw.work_plan, period, today=datetime.date(2026, 6, 5))
    assert [(row.submitter.name, row.status, row.is_overdue) for row in table.rows] == [
        ("芙蓉区创建办", "submitted", False),
        ("天心区创建办", "late", False),
        ("岳麓区创建办", "overdue", True),
    ]
    assert (table.expected, table.handed_in, table.totals["overdue"], table.totals["late"]) == (3, 2, 1, 1)


def test_it_calls_a_missing_plan_owed_until_the_due_date_passes(rw):
    [period] = periods_of(rw.work_plan)
    assert completeness(rw.work_plan, period, today=MAY_31).totals["owed"] == 3
    assert (
        completeness(rw.work_plan, period, today=MAY_31 + datetime.timedelta(days=1)).totals["overdue"] == 3
    )


def test_it_counts_a_returned_and_an_accepted_submission(rw):
    _seed_000(rw)
    furong, tianxin = rw.work_plan.submissions.order_by("pk")
    services.accept(by=rw.user("city"), submission=furong)
    services.return_submission(by=rw.user("city"), submission=tianxin, comment="缺少附件")
    [period] = periods_of(rw.work_plan)
    table = completeness(rw.work_plan, period, today=datetime.date(2026, 6, 5))
    assert [row.status for row in table.rows] == ["accepted", "returned", "overdue"]
    assert [row.is_overdue for row in table.rows] == [False, True, True]
    assert table.handed_in == 1


def test_it_gives_a_quarterly_requirement_four_periods(joint_meeting):
    periods = periods_of(joint_meeting.quarterly)
    assert [(p.key, p.due_on) for p in periods] == [
        ("2026Q1", datetime.date(2026, 4, 10)),
        ("2026Q2", datetime.date(2026, 7, 10)),
        ("2026Q3", datetime.date(2026, 10, 10)),
        ("2026Q4", datetime.date(2027, 1, 10)),
    ]


def test_it_summarises_a_campaign_s_requirements_per_period(rw, joint_meeting):
    _seed_000(rw)
    [summary] = selectors.campaign_overview(rw.campaign, today=datetime.date(2026, 6, 5))
    [row] = summary.periods
    assert (row.expected, row.handed_in, row.totals["overdue"], row.missing) == (3, 2, 1, 1)
    [quarterly] = selectors.campaign_overview(joint_meeting.campaign, today=datetime.date(2026, 4, 11))
    assert [(p.period.key, p.expected, p.totals["overdue"]) for p in quarterly.periods] == [
        ("2026Q1", 2, 2),
        ("2026Q2", 2, 0),
        ("2026Q3", 2, 0),
        ("2026Q4", 2, 0),
    ]


def test_it_dates_what_a_district_owes_and_what_the_city_receives(rw):
    world = rw.world
    june = (datetime.date(2026, 5, 1), datetime.date(2026, 6, 30))
    [owed] = dated_requirements_for(
        world.user("furong"), start=june[0], end=june[1], today=datetime.date(2026, 5, 2)
    )
    assert (owed.requirement, owed.period, owed.due_on, owed.owed, owed.submitter_label) == (
        rw.work_plan,
        "",
        MAY_31,
        True,
        "芙蓉区创建办",
    )
    assert owed.url.startswith(f"/reports/requirements/{rw.work_plan.pk}/submit/")
    [received] = dated_requirements_for(world.user("city"), start=june[0], end=june[1])
    assert (received.owed, received.due_on) == (False, MAY_31)
    assert received.url == f"/reports/requirements/{rw.work_plan.pk}/"
    assert dated_requirements_for(world.user("furong"), start=datetime.date(2026, 6, 1), end=june[1]) == []
    assert dated_requirements_for(world.user("outsider"), start=june[0], end=june[1]) == []
    assert dated_requirements_for(world.user("street"), start=june[0], end=june[1]) == []

    rw.hand_in(rw.work_plan, office_submitter(world.furong_office), "furong", datetime.date(2026, 5, 28))
    [handed] = dated_requirements_for(world.user("furong"), start=june[0], end=june[1])
    assert not handed.owed


def test_it_lists_what_is_owed_within_the_reminder_days_or_overdue(rw, joint_meeting):
    world = rw.world
    assert owed_submissions_for(world.user("furong"), today=datetime.date(2026, 5, 23)) == []
    [soon] = owed_submissions_for(world.user("furong"), today=datetime.date(2026, 5, 24))
    assert soon.due_on == MAY_31
    [late] = owed_submissions_for(world.user("furong"), today=datetime.date(2026, 7, 1))
    assert late.due_on == MAY_31
    housing = owed_submissions_for(rw.user("housing"), today=datetime.date(2026, 7, 5))
    assert [(e.period, e.submitter_label) for e in housing] == [
        ("2026Q1", "芙蓉区住房和城乡建设局"),
        ("2026Q2", "芙蓉区住房和城乡建设局"),
    ]
    services.submit(
        by=rw.user("housing"),
        requirement=joint_meeting.quarterly,
        period="2026Q1",
        submitter=department_submitter(joint_meeting.housing),
        content="一季度",
    )
    assert [e.period for e in owed_submissions_for(rw.user("housing"), today=datetime.date(2026, 7, 5))] == [
        "2026Q2"
    ]
