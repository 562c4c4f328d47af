"""Naming a closed notice: titles, certificate numbers, applications, awards and the filing, in one go."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.applications.models import ApplicationEvent, Status
from lvchuang.lib.months import add_months
from lvchuang.naming.models import AwardPayment, Filing, NamingDecision
from lvchuang.naming.services import is_overdue, name_units, overdue_filings
from lvchuang.naming.tests.helpers import DOCUMENT, ISSUER, NAMED_ON, named, notice_of
from lvchuang.notices.models import Notice, NoticeEntry
from lvchuang.organisations.models import Office
from lvchuang.titles.models import Title, TitleEvent


def test_it_gives_every_listed_unit_a_valid_title_from_the_decision(campaign_world, notice):
    decision = named(campaign_world, notice)

    titles = list(Title.objects.filter(campaign=campaign_world.campaign).order_by("notice_entry__rank"))
    assert [t.unit for t in titles] == [campaign_world.world.furong_unit, campaign_world.world.tianxin_unit]
    for title in titles:
        assert title.status == Title.Status.VALID
        assert title.program == campaign_world.program
        assert (title.year, title.named_on, title.document_number) == (2026, NAMED_ON, DOCUMENT)
        assert title.recorded_by == campaign_world.user("city")
        assert title.notice_entry.notice == notice
        event = TitleEvent.objects.get(title=title)
        assert (event.from_status, event.to_status, event.reason, event.document_number) == (
            "",
            "valid",
            "命名",
            DOCUMENT,
        )
    assert [t.is_demonstration for t in titles] == [True, False]
    assert (decision.issuer, decision.created_by) == (ISSUER, campaign_world.user("city"))


def test_a_title_without_a_term_has_no_end_of_validity(campaign_world, notice):
    assert campaign_world.program.validity_years is None
    named(campaign_world, notice)
    assert set(
        Title.objects.filter(campaign=campaign_world.campaign).values_list("valid_until", flat=True)
    ) == {None}


def test_a_five_year_title_is_valid_until_the_day_before_the_fifth_anniversary(campaign_world, notice):
    campaign_world.program.validity_years = 5
    campaign_world.program.save()
    named(campaign_world, notice)
    assert set(
        Title.objects.filter(campaign=campaign_world.campaign).values_list("valid_until", flat=True)
    ) == {datetime.date(2031, 12, 19)}


def test_certificate_numbers_are_readable_and_unique_across_decisions(campaign_world):
    world = campaign_world.world
    named(campaign_world, notice_of(campaign_world, [(world.furong_unit, False)], title="第一批"))
    named(campaign_world, notice_of(campaign_world, [(world.tianxin_unit, False)], title="第二批"))
    numbers = list(
        Title.objects.filter(campaign=campaign_world.campaign)
        .order_by("pk")
        .values_list("certificate_number", flat=True)
    )
    # <year>-<the naming office's region path>-<sequence>
    assert numbers == ["2026-4301-00001", "2026-4301-00002"]


def test_the_sequence_continues_after_the_highest_number_of_the_year_and_place(campaign_world, notice):
    Title.objects.create(
        unit=campaign_world.world.school,
        program=campaign_world.program,
        year=2026,
        named_on=NAMED_ON,
        certificate_number="2026-4301-00041",
    )
    named(campaign_world, notice)
    numbers = set(
        Title.objects.filter(campaign=campaign_world.campaign).values_list("certificate_number", flat=True)
    )
    assert numbers == {"2026-4301-00042", "2026-4301-00043"}


def test_it_moves_each_application_to_named_with_a_history_row(campaign_world, notice):
    named(campaign_world, notice)
    for entry in notice.entries.select_related("application"):
        entry.application.refresh_from_db()
        assert entry.application.status == Status.NAMED
        event = ApplicationEvent.objects.filter(application=entry.application).latest("at")
        assert (event.action, event.from_status, event.to_status) == ("name", "shortlisted", "named")
        assert DOCUMENT in event.comment


def test_each_demonstration_title_gets_one_award_per_paying_bureau(campaign_world, notice):
    decision = named(campaign_world, notice)
    awards = list(AwardPayment.objects.filter(decision=decision).order_by("payer"))
    demonstration = Title.objects.get(unit=campaign_world.world.furong_unit, campaign=campaign_world.campaign)
    # seed 000: 市环保局 10,000 and 市能源局 10,000 from the 节能专项资金, for demonstration communities only
    assert [(a.title, a.payer, a.amount, a.fund, a.status) for a in awards] == [
        (demonstration, "市环保局", 10000, "节能专项资金", "pending"),
        (demonstration, "市能源局", 10000, "节能专项资金", "pending"),
    ]


def test_the_filing_goes_to_the_office_of_the_region_above_one_month_later(campaign_world, notice):
    decision = named(campaign_world, notice)
    filing = Filing.objects.get(decision=decision)
    assert filing.from_office == campaign_world.world.city_office
    assert filing.to_office == Office.objects.get(region=campaign_world.world.province)
    assert filing.due_on == datetime.date(2027, 1, 20)
    assert filing.status == Filing.Status.PENDING


def test_an_unfiled_filing_is_overdue_only_after_its_due_date(campaign_world, notice):
    filing = named(campaign_world, notice).filing
    assert not is_overdue(filing, datetime.date(2027, 1, 20))
    assert is_overdue(filing, datetime.date(2027, 1, 21))
    assert list(overdue_filings(Filing.objects.all(), today=datetime.date(2027, 1, 20))) == []
    assert list(overdue_filings(Filing.objects.all(), today=datetime.date(2027, 1, 21))) == [filing]


def test_a_campaign_of_the_top_region_files_with_nobody(campaign_world, notice):
    office = campaign_world.campaign.office
    office.region = campaign_world.world.province
    office.save()
    decision = name_units(
        by=campaign_world.user("admin"),
        notice=notice,
        document_number=DOCUMENT,
        decided_on=NAMED_ON,
        issuer=ISSUER,
    )
    assert decision.filing.to_office is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 12, 20), 1, datetime.date(2027, 1, 20)),
        (datetime.date(2027, 1, 31), 1, datetime.date(2027, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 31), 6, datetime.date(2026, 9, 30)),
        (datetime.date(2026, 11, 15), 14, datetime.date(2028, 1, 15)),
    ],
)
def test_months_are_added_to_the_same_day_or_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


# --- refusals ------------------------------------------------------------------------------------------------


def test_it_refuses_a_notice_still_open_and_says_why(campaign_world):
    notice = notice_of(campaign_world, [(campaign_world.world.furong_unit, False)], status=Notice.Status.OPEN)
    with pytest.raises(ValidationError, match="公示尚未结束"):
        named(campaign_world, notice)
    assert not NamingDecision.objects.exists()
    assert not Title.objects.filter(campaign=campaign_world.campaign).exists()


def test_it_refuses_a_second_decision_on_the_same_notice(campaign_world, notice):
    named(campaign_world, notice)
    with pytest.raises(ValidationError, match="已作出命名决定"):
        named(campaign_world, notice)
    assert NamingDecision.objects.count() == 1


def test_only_those_who_run_the_campaign_may_name(campaign_world, notice):
    for name in ("furong", "tianxin", "unit"):
        with pytest.raises(PermissionDenied):
            name_units(
                by=campaign_world.user(name),
                notice=notice,
                document_number=DOCUMENT,
                decided_on=NAMED_ON,
                issuer=ISSUER,
            )
    assert not NamingDecision.objects.exists()


def test_it_requires_a_document_number_and_an_issuer(campaign_world, notice):
    with pytest.raises(ValidationError) as refused:
        name_units(
            by=campaign_world.user("city"), notice=notice, document_number=" ", decided_on=NAMED_ON, issuer=""
        )
    assert set(refused.value.error_dict) == {"document_number", "issuer"}
    assert not NamingDecision.objects.exists()


def test_a_unit_removed_on_objection_is_not_named(campaign_world, notice):
    entry = notice.entries.get(unit=campaign_world.world.tianxin_unit)
    entry.status = NoticeEntry.Status.REMOVED
    entry.removed_reason = "异议成立"
    entry.save()
    named(campaign_world, notice)
    assert list(Title.objects.filter(campaign=campaign_world.campaign).values_list("unit", flat=True)) == [
        campaign_world.world.furong_unit.pk
    ]
    entry.refresh_from_db()
    assert entry.title_record is None


def test_nothing_is_kept_when_an_application_cannot_be_named(campaign_world, notice):
    entry = notice.entries.get(unit=campaign_world.world.tianxin_unit)
    type(entry.application).objects.filter(pk=entry.application_id).update(status=Status.WITHDRAWN)
    with pytest.raises(ValidationError):
        named(campaign_world, notice)
    assert not NamingDecision.objects.exists()
    assert not Title.objects.filter(campaign=campaign_world.campaign).exists()
    assert not AwardPayment.objects.exists()
