"""Rectification orders: issued on a failed inspection (due `rectification_months` later), reported by the unit,
accepted (title valid again) or rejected (revocation proposed), or overdue (revocation proposed by the system)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from lvchuang.supervision import services
from lvchuang.supervision.models import RectificationOrder, RevocationProposal
from lvchuang.supervision.tests.conftest import TODAY
from lvchuang.titles.models import Title, TitleEvent

Status = RectificationOrder.Status
DUE = datetime.date(2026, 4, 16)  # one month after TODAY (2026-03-16)


def test_a_failed_inspection_issues_an_order_due_one_month_later_and_puts_the_title_under_rectification(
    sw,
) -> None:
    assert sw.program.rectification_months == 1
    order = sw.failed_order()
    assert order.number == "ZG2026-0001"
    assert (order.issued_on, order.due_on, order.status) == (TODAY, DUE, Status.OPEN)
    assert order.requirements == "建立垃圾分类清运台账，每日记录"
    assert order.issued_by == sw.user("furong")
    title = sw.title_of(sw.world.furong_unit)
    assert title.status == Title.Status.UNDER_RECTIFICATION
    event = TitleEvent.objects.get(title=title)
    assert (event.from_status, event.to_status, event.on) == ("valid", "under_rectification", TODAY)
    assert "ZG2026-0001" in event.reason
    assert "2026-04-16" in event.reason
    assert order.inspection.findings == "垃圾分类台账缺失"


def test_the_deadline_follows_the_programs_months_and_ends_at_a_short_months_end(sw) -> None:
    type(sw.program).objects.filter(pk=sw.program.pk).update(rectification_months=3)
    order = sw.failed_order(on=datetime.date(2026, 11, 30))
    assert order.due_on == datetime.date(2027, 2, 28)


def test_orders_are_numbered_by_year(sw) -> None:
    first = sw.failed_order()
    second = services.issue_order(
        by=sw.user("city"),
        title=sw.title_of(sw.world.tianxin_unit),
        requirements="整改公示栏",
        today=TODAY,
    )
    assert (first.number, second.number) == ("ZG2026-0001", "ZG2026-0002")


def test_a_failed_inspection_needs_findings_and_requirements(sw) -> None:
    reinspection = services.draw_sample(by=sw.user("furong"), reinspection=sw.reinspection(size=1), seed="r")
    inspection = reinspection.inspections.get()
    for findings, requirements, field in (("", "整改", "findings"), ("问题", "", "requirements")):
        with pytest.raises(ValidationError) as refused:
            services.record_inspection(
                by=sw.user("furong"),
                inspection=inspection,
                result="failed",
                inspected_on=TODAY,
                findings=findings,
                requirements=requirements,
                today=TODAY,
            )
        assert field in refused.value.error_dict
    inspection.refresh_from_db()
    assert inspection.result == "pending"
    assert sw.title_of(inspection.title.unit).status == Title.Status.VALID


def test_the_unit_reports_and_the_office_accepts_so_the_title_is_valid_again(sw) -> None:
    order = sw.failed_order()
    upload = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    reported = services.report_rectification(
        by=sw.user("unit"), order=order, report="已建立台账并培训保洁员", upload=upload, today=DUE
    )
    assert (reported.status, reported.reported_on) == (Status.REPORTED, DUE)
    assert reported.report_file_name == "整改报告.pdf"
    assert reported.report_file.name.endswith(".pdf")
    accepted = services.accept_rectification(
        by=sw.user("furong"), order=order, note="现场核实，台账完整", today=DUE
    )
    assert (accepted.status, accepted.decided_on, accepted.decision_note) == (
        Status.ACCEPTED,
        DUE,
        "现场核实，台账完整",
    )
    title = sw.title_of(sw.world.furong_unit)
    assert title.status == Title.Status.VALID
    last = TitleEvent.objects.filter(title=title).latest("pk")
    assert (last.to_status, last.reason) == ("valid", "整改通知 ZG2026-0001 整改合格")


def test_a_report_file_is_checked_by_its_bytes(sw) -> None:
    order = sw.failed_order()
    fake = SimpleUploadedFile("整改报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.report_rectification(
            by=sw.user("unit"), order=order, report="已整改", upload=fake, today=TODAY
        )
    assert "upload" in refused.value.error_dict
    order.refresh_from_db()
    assert order.status == Status.OPEN


def test_only_the_unit_reports_and_only_the_managing_office_decides(sw) -> None:
    order = sw.failed_order()
    for name in ("furong", "tianxin_unit", "city"):
        with pytest.raises(PermissionDenied):
            services.report_rectification(by=sw.user(name), order=order, report="已整改", today=TODAY)
    services.report_rectification(by=sw.user("unit"), order=order, report="已整改", today=TODAY)
    for name in ("unit", "tianxin", "street"):
        with pytest.raises(PermissionDenied):
            services.accept_rectification(by=sw.user(name), order=order, today=TODAY)
    order.refresh_from_db()
    assert order.status == Status.REPORTED
    services.accept_rectification(by=sw.user("city"), order=order, today=TODAY)


def test_the_office_rejects_the_rectification_and_revocation_is_proposed(sw) -> None:
    order = sw.failed_order()
    services.report_rectification(by=sw.user("unit"), order=order, report="已整改", today=TODAY)
    with pytest.raises(ValidationError):
        services.reject_rectification(by=sw.user("furong"), order=order, note=" ", today=DUE)
    rejected = services.reject_rectification(
        by=sw.user("furong"), order=order, note="台账仍不完整", today=DUE
    )
    assert rejected.status == Status.FAILED
    proposal = RevocationProposal.objects.get(order=order)
    assert (proposal.status, proposal.proposed_by, proposal.proposed_on) == (
        "proposed",
        sw.user("furong"),
        DUE,
    )
    assert "ZG2026-0001" in proposal.reason
    assert "台账仍不完整" in proposal.reason
    assert sw.title_of(sw.world.furong_unit).status == Title.Status.UNDER_RECTIFICATION


def test_a_report_after_the_due_date_is_refused(sw) -> None:
    order = sw.failed_order()
    with pytest.raises(ValidationError, match="整改期限 2026-04-16 已过"):
        services.report_rectification(
            by=sw.user("unit"), order=order, report="迟到的报告", today=DUE + datetime.timedelta(days=1)
        )


def test_an_order_past_its_due_date_becomes_overdue_and_the_system_proposes_revocation(sw) -> None:
    order = sw.failed_order()
    assert services.mark_overdue(today=DUE) == 0
    later = DUE + datetime.timedelta(days=1)
    assert services.mark_overdue(today=later) == 1
    order.refresh_from_db()
    assert order.status == Status.OVERDUE
    proposal = RevocationProposal.objects.get(title=order.title)
    assert (proposal.proposed_by, proposal.order, proposal.proposed_on) == (None, order, later)
    assert proposal.reason.startswith("逾期未完成整改")
    assert services.mark_overdue(today=later + datetime.timedelta(days=5)) == 0
    assert RevocationProposal.objects.count() == 1
    with pytest.raises(ValidationError):
        services.report_rectification(by=sw.user("unit"), order=order, report="补报", today=DUE)


def test_a_reported_order_is_not_overdue_while_the_office_decides(sw) -> None:
    order = sw.failed_order()
    services.report_rectification(by=sw.user("unit"), order=order, report="已整改", today=TODAY)
    assert services.mark_overdue(today=DUE + datetime.timedelta(days=30)) == 0
    order.refresh_from_db()
    assert order.status == Status.REPORTED


def test_the_daily_command_marks_overdue_orders(sw) -> None:
    order = sw.failed_order()
    out = io.StringIO()
    call_command("check_rectifications", "--date", "2026-04-17", stdout=out)
    assert "2026-04-17" in out.getvalue()
    order.refresh_from_db()
    assert order.status == Status.OVERDUE
    assert RevocationProposal.objects.filter(title=order.title, proposed_by=None).exists()


def test_an_order_outside_a_reinspection_is_issued_by_the_managing_office(sw) -> None:
    title = sw.title_of(sw.world.furong_unit)
    for name in ("tianxin", "unit", "street"):
        with pytest.raises(PermissionDenied):
            services.issue_order(by=sw.user(name), title=title, requirements="整改", today=TODAY)
    order = services.issue_order(by=sw.user("furong"), title=title, requirements="清理楼道堆物", today=TODAY)
    assert (order.inspection, order.due_on) == (None, DUE)
    assert sw.title_of(sw.world.furong_unit).status == Title.Status.UNDER_RECTIFICATION
    with pytest.raises(ValidationError, match="未完成的整改通知 ZG2026-0001"):
        services.issue_order(by=sw.user("furong"), title=title, requirements="再次整改", today=TODAY)


def test_rejecting_keeps_a_proposal_already_waiting_for_a_decision(sw) -> None:
    order = sw.failed_order()
    services.report_rectification(by=sw.user("unit"), order=order, report="已整改", today=TODAY)
    earlier = services.propose_revocation(
        by=sw.user("furong"), title=order.title, reason="发生重大环境污染事故", today=TODAY
    )
    rejected = services.reject_rectification(by=sw.user("furong"), order=order, note="仍未整改", today=DUE)
    assert rejected.status == Status.FAILED
    assert list(RevocationProposal.objects.all()) == [earlier]
