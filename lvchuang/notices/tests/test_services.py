"""Notices and objections through their services: the shortlist listed, the window fixed on publishing, cases
handled, and the rules that keep a notice open while a case is."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lvchuang.applications.models import Status
from lvchuang.campaigns.models import DayKind
from lvchuang.notices import services
from lvchuang.notices.models import Notice, NoticeEntry, Objection
from lvchuang.notices.tests.conftest import AFTER_LAST_DAY, LAST_DAY, PUBLISH_DAY, objection, png

D = datetime.date


# --- making and publishing a notice -------------------------------------------------------------------------


def test_it_lists_the_shortlist_in_rank_order_with_scores_and_the_demonstration_mark(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.notice()
    assert notice.status == Notice.Status.DRAFT
    rows = [(e.unit.name, e.rank, e.is_demonstration, e.status) for e in notice.entries.all()]
    assert rows == [
        ("识字岭社区居委会", 1, True, NoticeEntry.Status.LISTED),
        ("西牌楼社区居委会", 2, False, NoticeEntry.Status.LISTED),
    ]
    first = notice.entries.first()
    assert first is not None
    assert first.score == sc.application("识字岭").final_score
    assert first.score is not None
    assert first.score > Decimal(0)


def test_it_refuses_a_notice_when_nothing_is_shortlisted(campaign_world):
    with pytest.raises(ValidationError, match="没有待公示的入围申报"):
        services.create_notice(by=campaign_world.user("city"), campaign=campaign_world.campaign, title="公示")


def test_it_refuses_a_second_notice_while_one_is_unfinished(shortlisted_campaign):
    shortlisted_campaign.notice(title="第一份")
    with pytest.raises(ValidationError, match="第一份"):
        shortlisted_campaign.notice(title="第二份")


def test_only_the_offices_running_the_campaign_make_its_notice(shortlisted_campaign):
    sc = shortlisted_campaign
    for name in ("tianxin", "furong", "unit"):
        with pytest.raises(PermissionDenied):
            services.create_notice(by=sc.user(name), campaign=sc.campaign, title="公示")
    assert not Notice.objects.exists()


def test_a_draft_can_be_edited_and_deleted_but_not_once_published(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.notice()
    services.update_notice(by=sc.issuer, notice=notice, title="  新标题 ", contact_phone="0731-1234567")
    notice.refresh_from_db()
    assert (notice.title, notice.contact_phone) == ("新标题", "0731-1234567")
    services.publish_notice(by=sc.issuer, notice=notice, today=PUBLISH_DAY)
    with pytest.raises(ValidationError, match="已发布"):
        services.update_notice(by=sc.issuer, notice=notice, title="再改")
    with pytest.raises(ValidationError, match="已发布"):
        services.delete_notice(by=sc.issuer, notice=notice)
    other = Notice.objects.create(campaign=sc.campaign, title="草稿", length=7, day_kind=DayKind.WORKING)
    services.delete_notice(by=sc.issuer, notice=other)
    assert not Notice.objects.filter(pk=other.pk).exists()


def test_publishing_copies_the_program_rule_and_fixes_the_window(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    assert notice.status == Notice.Status.OPEN
    assert (notice.length, notice.day_kind) == (7, DayKind.WORKING)
    assert (notice.starts_on, notice.ends_on, notice.calendar_provisional) == (PUBLISH_DAY, LAST_DAY, False)
    assert notice.published_at is not None


def test_a_notice_published_before_the_spring_festival_runs_past_it(shortlisted_campaign):
    # Thu 12 Feb 2026: 12, 13, Sat 14 (make-up), then the holiday 15–23, then 24, 25, 26, 27 February.
    notice = shortlisted_campaign.open_notice(today=D(2026, 2, 12))
    assert (notice.starts_on, notice.ends_on) == (D(2026, 2, 12), D(2026, 2, 27))


def test_a_calendar_day_rule_counts_every_day(shortlisted_campaign):
    program = shortlisted_campaign.campaign.program
    program.notice_length, program.notice_day_kind = 10, DayKind.CALENDAR
    program.save()
    notice = shortlisted_campaign.open_notice(today=D(2026, 9, 28))
    assert (notice.day_kind, notice.starts_on, notice.ends_on) == (
        DayKind.CALENDAR,
        D(2026, 9, 28),
        D(2026, 10, 7),
    )


def test_a_window_into_an_unknown_year_is_provisional_until_the_arrangement_is_entered(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice(today=D(2026, 12, 24))
    assert (notice.ends_on, notice.calendar_provisional) == (D(2027, 1, 1), True)
    # The State Council's 2027 arrangement arrives: New Year's Day is a holiday.
    services.save_day_override(by=sc.user("admin"), date=D(2027, 1, 1), is_workday=False, name="元旦")
    notice.refresh_from_db()
    assert (notice.ends_on, notice.calendar_provisional) == (D(2027, 1, 4), False)


def test_only_the_administrator_edits_the_holiday_calendar(shortlisted_campaign):
    sc = shortlisted_campaign
    with pytest.raises(PermissionDenied):
        services.save_day_override(by=sc.user("city"), date=D(2027, 1, 1), is_workday=False, name="元旦")
    override = services.save_day_override(
        by=sc.user("admin"), date=D(2027, 1, 1), is_workday=False, name="元旦"
    )
    corrected = services.save_day_override(
        by=sc.user("admin"), date=D(2027, 1, 1), is_workday=True, name="更正"
    )
    assert corrected.pk == override.pk
    assert corrected.is_workday
    with pytest.raises(PermissionDenied):
        services.delete_day_override(by=sc.user("city"), override=corrected)
    services.delete_day_override(by=sc.user("admin"), override=corrected)


# --- objections ---------------------------------------------------------------------------------------------


def test_it_accepts_objections_from_the_first_to_the_end_of_the_last_day(shortlisted_campaign):
    notice = shortlisted_campaign.open_notice()
    assert not services.accepts_objections(notice, PUBLISH_DAY - datetime.timedelta(days=1))
    assert services.accepts_objections(notice, PUBLISH_DAY)
    assert services.accepts_objections(notice, LAST_DAY)
    assert not services.accepts_objections(notice, AFTER_LAST_DAY)


def test_an_objection_becomes_a_case_with_a_readable_number_and_a_private_token(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    first = objection(notice, sc.entry(notice, "识字岭"), phone="138 0731 0000")
    second = objection(notice, sc.entry(notice, "西牌楼"), name="Li Ming", phone="0731-88886666")
    assert first.case_number == f"YY2026-{notice.pk}-0001"
    assert second.case_number == f"YY2026-{notice.pk}-0002"
    assert first.status == Objection.Status.RECEIVED
    assert first.phone == "13807310000"
    assert len(first.token) >= 40
    assert first.token != second.token
    assert first.client_hash
    assert "10.0.0.8" not in first.client_hash


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "匿名"}, "name"),
        ({"name": "x"}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"content": "不行"}, "content"),
    ],
)
def test_it_refuses_an_objection_without_a_real_name_a_phone_or_facts(shortlisted_campaign, changes, field):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    with pytest.raises(ValidationError) as refused:
        objection(notice, sc.entry(notice, "识字岭"), **changes)
    assert field in refused.value.message_dict
    assert not Objection.objects.exists()


def test_it_refuses_an_objection_outside_the_window_or_to_a_unit_not_listed(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    entry = sc.entry(notice, "识字岭")
    with pytest.raises(ValidationError, match="2026-12-09"):
        objection(notice, entry, today=AFTER_LAST_DAY)
    with pytest.raises(ValidationError, match="2026-12-01"):
        objection(notice, entry, today=D(2026, 11, 30))
    NoticeEntry.objects.filter(pk=entry.pk).update(status=NoticeEntry.Status.REMOVED)
    entry.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        objection(notice, entry)
    assert "entry" in refused.value.message_dict


def test_evidence_is_checked_by_its_bytes_and_size(shortlisted_campaign, settings):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    entry = sc.entry(notice, "识字岭")
    disguised = SimpleUploadedFile("照片.png", b"MZ\x90\x00" + b"\x00" * 60, content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        objection(notice, entry, evidence=disguised)
    assert "evidence" in refused.value.message_dict
    settings.EVIDENCE_MAX_FILE_MB = 0
    with pytest.raises(ValidationError, match="上限"):
        objection(notice, entry, evidence=png())
    settings.EVIDENCE_MAX_FILE_MB = 20
    case = objection(notice, entry, evidence=png("C:\\照片\\现场照片.png"))
    assert case.evidence.name.endswith(".png")
    assert "现场照片" not in case.evidence.name
    assert case.evidence_name == "现场照片.png"


def test_an_objector_who_gave_an_email_gets_the_case_link(
    shortlisted_campaign, django_capture_on_commit_callbacks
):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.submit_objection(
            notice=notice,
            entry=sc.entry(notice, "识字岭"),
            name="王建国",
            phone="13807310000",
            email="wang@example.cn",
            content="该社区垃圾分类设施长期闲置，与申报材料不符。",
            client_address="10.0.0.8",
            today=PUBLISH_DAY,
            site_root="https://lvchuang.example.cn",
        )
    [message] = mail.outbox
    assert message.to == ["wang@example.cn"]
    assert case.case_number in message.subject
    assert f"https://lvchuang.example.cn/public/notices/case/{case.token}/" in message.body


def test_an_upheld_objection_removes_the_unit(shortlisted_campaign, django_capture_on_commit_callbacks):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    entry = sc.entry(notice, "识字岭")
    case = objection(notice, entry, email="wang@example.cn")
    services.start_investigation(by=sc.issuer, objection=case, findings="现场核实：设施闲置属实。")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_objection(
            by=sc.issuer, objection=case, upheld=True, reply="经现场核实，异议成立，该社区移出名单。"
        )
    case.refresh_from_db()
    entry.refresh_from_db()
    application = sc.application("识字岭")
    assert case.status == Objection.Status.UPHELD
    assert case.decided_at is not None
    assert case.handled_by == sc.issuer
    assert entry.status == NoticeEntry.Status.REMOVED
    assert entry.removed_reason.startswith(f"异议成立（{case.case_number}）")
    assert application.status == Status.REJECTED
    event = application.events.get(action="remove_on_objection")
    assert (event.from_status, event.to_status, event.by) == (Status.SHORTLISTED, Status.REJECTED, sc.issuer)
    assert "经现场核实，异议成立" in event.comment
    reply = [message for message in mail.outbox if message.to == ["wang@example.cn"]]
    assert any("经现场核实，异议成立" in message.body for message in reply)
    # The other unit stays.
    assert sc.application("西牌楼").status == Status.SHORTLISTED


def test_a_dismissed_objection_keeps_the_unit(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    entry = sc.entry(notice, "西牌楼")
    case = objection(notice, entry)
    services.start_investigation(by=sc.issuer, objection=case)
    services.decide_objection(by=sc.issuer, objection=case, upheld=False, reply="经核实，设施正常使用。")
    entry.refresh_from_db()
    assert entry.status == NoticeEntry.Status.LISTED
    assert sc.application("西牌楼").status == Status.SHORTLISTED


def test_a_decision_needs_an_investigation_and_a_reply(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    case = objection(notice, sc.entry(notice, "识字岭"))
    with pytest.raises(ValidationError, match="先开始调查"):
        services.decide_objection(by=sc.issuer, objection=case, upheld=False, reply="不成立")
    services.start_investigation(by=sc.issuer, objection=case)
    with pytest.raises(ValidationError) as refused:
        services.decide_objection(by=sc.issuer, objection=case, upheld=True, reply="   ")
    assert "reply" in refused.value.message_dict
    with pytest.raises(ValidationError, match="不能开始调查"):
        services.start_investigation(by=sc.issuer, objection=case)


def test_a_second_upheld_objection_to_a_removed_unit_does_not_move_it_again(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    entry = sc.entry(notice, "识字岭")
    cases = [objection(notice, entry), objection(notice, entry, name="李四")]
    for case in cases:
        services.start_investigation(by=sc.issuer, objection=case)
    for case in cases:
        services.decide_objection(by=sc.issuer, objection=case, upheld=True, reply="异议成立。")
    assert sc.application("识字岭").events.filter(action="remove_on_objection").count() == 1


def test_offices_not_running_the_campaign_cannot_handle_its_cases(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    case = objection(notice, sc.entry(notice, "识字岭"))
    for name in ("tianxin", "furong"):
        with pytest.raises(PermissionDenied):
            services.start_investigation(by=sc.user(name), objection=case)


# --- closing ------------------------------------------------------------------------------------------------


def test_a_notice_cannot_close_before_its_last_day_has_passed(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    with pytest.raises(ValidationError, match="2026-12-09 之后方可结束"):
        services.close_notice(by=sc.issuer, notice=notice, today=LAST_DAY)
    services.close_notice(by=sc.issuer, notice=notice, today=AFTER_LAST_DAY)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.CLOSED
    assert notice.closed_at is not None


def test_a_notice_with_an_open_case_cannot_close(shortlisted_campaign):
    sc = shortlisted_campaign
    notice = sc.open_notice()
    received = objection(notice, sc.entry(notice, "识字岭"))
    investigating = objection(notice, sc.entry(notice, "西牌楼"))
    services.start_investigation(by=sc.issuer, objection=investigating)
    with pytest.raises(ValidationError) as refused:
        services.close_notice(by=sc.issuer, notice=notice, today=AFTER_LAST_DAY)
    assert received.case_number in str(refused.value)
    assert investigating.case_number in str(refused.value)
    services.decide_objection(by=sc.issuer, objection=investigating, upheld=False, reply="不成立。")
    with pytest.raises(ValidationError, match=received.case_number):
        services.close_notice(by=sc.issuer, notice=notice, today=AFTER_LAST_DAY)
    services.start_investigation(by=sc.issuer, objection=received)
    services.decide_objection(by=sc.issuer, objection=received, upheld=False, reply="不成立。")
    services.close_notice(by=sc.issuer, notice=notice, today=AFTER_LAST_DAY)
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.CLOSED
