"""Revocation: proposed after a failed or overdue rectification, or on an event such as a major pollution accident
(seed 002); decided by the office that manages the title, with the deciding document and a public reason."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lvchuang.naming.models import AwardPayment, NamingDecision
from lvchuang.notices.models import Notice
from lvchuang.supervision import services
from lvchuang.supervision.models import RectificationOrder, RevocationProposal
from lvchuang.supervision.tests.conftest import TODAY
from lvchuang.titles.models import Title, TitleEvent

LATER = datetime.date(2026, 5, 6)


@pytest.fixture
def overdue(sw) -> RevocationProposal:
    order = sw.failed_order()
    services.mark_overdue(today=order.due_on + datetime.timedelta(days=1))
    return RevocationProposal.objects.get(order=order)


def _award(sw, title: Title) -> AwardPayment:
    notice = Notice.objects.create(
        campaign=sw.cw.campaign, title="公示", body="", length=7, day_kind="working"
    )
    decision = NamingDecision.objects.create(
        notice=notice,
        document_number="长创办〔2024〕9号",
        decided_on=datetime.date(2024, 12, 20),
        issuer="长沙市",
    )
    return AwardPayment.objects.create(title=title, decision=decision, payer="长沙市生态环境局", amount=10000)


def test_deciding_to_revoke_revokes_the_title_with_the_public_reason_and_the_document(sw, overdue) -> None:
    title = overdue.title
    award = _award(sw, title)
    decided = services.decide_revocation(
        by=sw.user("furong"),
        proposal=overdue,
        revoke=True,
        document_number="芙创办〔2026〕5号",
        note="经区创建办会议研究",
        today=LATER,
    )
    assert (decided.status, decided.decided_on, decided.decided_by) == ("revoked", LATER, sw.user("furong"))
    assert decided.document_number == "芙创办〔2026〕5号"
    title.refresh_from_db()
    assert title.status == Title.Status.REVOKED
    assert title.status_reason == overdue.reason
    event = TitleEvent.objects.filter(title=title).latest("pk")
    assert (event.from_status, event.to_status, event.on) == ("under_rectification", "revoked", LATER)
    assert (event.reason, event.document_number) == (overdue.reason, "芙创办〔2026〕5号")
    award.refresh_from_db()
    assert award.status == AwardPayment.Status.CANCELLED
    assert "芙创办〔2026〕5号" in award.note


def test_a_revocation_may_word_the_public_reason_anew_and_needs_a_document_number(sw, overdue) -> None:
    with pytest.raises(ValidationError) as refused:
        services.decide_revocation(
            by=sw.user("furong"), proposal=overdue, revoke=True, document_number=" ", note="", today=LATER
        )
    assert "document_number" in refused.value.error_dict
    services.decide_revocation(
        by=sw.user("city"),
        proposal=overdue,
        revoke=True,
        document_number="长创办〔2026〕7号",
        note="",
        reason="逾期未完成垃圾分类台账整改",
        today=LATER,
    )
    title = Title.objects.get(pk=overdue.title_id)
    assert title.status_reason == "逾期未完成垃圾分类台账整改"


def test_declining_leaves_the_title_as_it_is(sw, overdue) -> None:
    with pytest.raises(ValidationError) as refused:
        services.decide_revocation(
            by=sw.user("furong"), proposal=overdue, revoke=False, document_number="", note="", today=LATER
        )
    assert "note" in refused.value.error_dict
    declined = services.decide_revocation(
        by=sw.user("furong"),
        proposal=overdue,
        revoke=False,
        document_number="",
        note="因疫情延误，另行下达整改通知",
        today=LATER,
    )
    assert (declined.status, declined.decision_note) == ("declined", "因疫情延误，另行下达整改通知")
    title = Title.objects.get(pk=overdue.title_id)
    assert title.status == Title.Status.UNDER_RECTIFICATION
    order = services.issue_order(by=sw.user("furong"), title=title, requirements="补建台账", today=LATER)
    assert order.due_on == datetime.date(2026, 6, 6)
    with pytest.raises(ValidationError, match="已经决定"):
        services.decide_revocation(
            by=sw.user("furong"), proposal=declined, revoke=True, document_number="x", note="", today=LATER
        )


def test_an_office_proposes_revocation_on_an_event_and_revoking_ends_open_orders(sw) -> None:
    title = sw.title_of(sw.world.tianxin_unit)
    order = services.issue_order(by=sw.user("tianxin"), title=title, requirements="整改", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.propose_revocation(by=sw.user("furong"), title=title, reason="x", today=TODAY)
    proposal = services.propose_revocation(
        by=sw.user("tianxin"), title=title, reason="发生重大环境污染事故", today=TODAY
    )
    assert (proposal.proposed_by, proposal.order) == (sw.user("tianxin"), None)
    with pytest.raises(ValidationError, match="待决定的撤销建议"):
        services.propose_revocation(by=sw.user("city"), title=title, reason="重复", today=TODAY)
    services.decide_revocation(
        by=sw.user("tianxin"),
        proposal=proposal,
        revoke=True,
        document_number="天创办〔2026〕1号",
        note="",
        today=TODAY,
    )
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.FAILED
    assert "天创办〔2026〕1号" in order.decision_note
    with pytest.raises(ValidationError):
        services.propose_revocation(by=sw.user("tianxin"), title=title, reason="再次", today=TODAY)


def test_only_the_managing_office_decides(sw, overdue) -> None:
    for name in ("unit", "tianxin", "street", "outsider"):
        with pytest.raises(PermissionDenied):
            services.decide_revocation(
                by=sw.user(name), proposal=overdue, revoke=True, document_number="x", note="", today=LATER
            )
    overdue.refresh_from_db()
    assert overdue.status == "proposed"
    assert Title.objects.get(pk=overdue.title_id).status == Title.Status.UNDER_RECTIFICATION
