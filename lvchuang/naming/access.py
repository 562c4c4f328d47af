"""Who sees and handles naming decisions, award payments and filings (STYLE habit 3).

- A naming decision is seen by everyone who sees its campaign, and taken by those who run it (the issuing office
  and the offices above it). The notice it is taken on is reached the same way.
- An award payment is seen wherever its title is (the unit, the offices over it); it is paid or cancelled by
  those who run the campaign that named the title.
- A filing is seen by the sending office and every office above it (the receiving office among them); it is
  filed by those who run the campaign, and acknowledged by the receiving office.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from lvchuang.accounts.access import _get_or_404, _paths_q, jurisdiction_of, unit_q
from lvchuang.accounts.models import User
from lvchuang.campaigns.access import can_run_campaign, visible_campaigns
from lvchuang.naming.models import AwardPayment, Filing, NamingDecision
from lvchuang.notices.access import visible_notices
from lvchuang.notices.models import Notice
from lvchuang.standards.access import own_office_ids
from lvchuang.titles.models import Title

# --- notices to name -----------------------------------------------------------------------------------------


def notices_awaiting_naming(user: User | AnonymousUser) -> QuerySet[Notice]:
    """Closed notices without a decision, of the campaigns the user runs."""
    notices = visible_notices(user).filter(status=Notice.Status.CLOSED, naming__isnull=True)
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return notices
    return notices.filter(_paths_q(jurisdiction.managed_paths, "campaign__office__region__path"))


# --- decisions ---------------------------------------------------------------------------------------------


def visible_decisions(user: User | AnonymousUser) -> QuerySet[NamingDecision]:
    return NamingDecision.objects.select_related(
        "notice__campaign__program", "notice__campaign__office__region", "filing"
    ).filter(notice__campaign__in=visible_campaigns(user))


def can_run_decision(user: User | AnonymousUser, decision: NamingDecision) -> bool:
    return can_run_campaign(user, decision.notice.campaign)


def access_decision_by_id(
    user: User | AnonymousUser, decision_id: Any, *, for_change: bool = False
) -> NamingDecision:
    decision = _get_or_404(visible_decisions(user), pk=decision_id)
    if for_change and not can_run_decision(user, decision):
        raise PermissionDenied
    return decision


# --- award payments ----------------------------------------------------------------------------------------


def visible_award_payments(user: User | AnonymousUser) -> QuerySet[AwardPayment]:
    payments = AwardPayment.objects.select_related(
        "title__unit__region", "title__program", "decision__notice__campaign__office__region"
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return payments
    if jurisdiction.is_empty:
        return payments.none()
    return payments.filter(unit_q(jurisdiction, prefix="title__unit__"))


def access_award_payment_by_id(
    user: User | AnonymousUser, payment_id: Any, *, for_change: bool = False
) -> AwardPayment:
    payment = _get_or_404(visible_award_payments(user), pk=payment_id)
    if for_change and not can_run_decision(user, payment.decision):
        raise PermissionDenied
    return payment


# --- filings -----------------------------------------------------------------------------------------------


def visible_filings(user: User | AnonymousUser) -> QuerySet[Filing]:
    filings = Filing.objects.select_related(
        "decision__notice__campaign__program",
        "decision__notice__campaign__office__region",
        "from_office__region",
        "to_office__region",
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return filings
    q = _paths_q(jurisdiction.managed_paths, "from_office__region__path")
    offices = own_office_ids(user)
    if offices:
        q |= Q(to_office_id__in=offices)
    return filings.filter(q)


def can_file(user: User | AnonymousUser, filing: Filing) -> bool:
    return can_run_decision(user, filing.decision)


def can_acknowledge(user: User | AnonymousUser, filing: Filing) -> bool:
    """The receiving office (or the administrator) confirms it received the filing."""
    if jurisdiction_of(user).is_admin:
        return True
    return filing.to_office_id is not None and filing.to_office_id in own_office_ids(user)


def access_filing_by_id(user: User | AnonymousUser, filing_id: Any) -> Filing:
    return _get_or_404(visible_filings(user), pk=filing_id)


def titles_of(decision: NamingDecision) -> QuerySet[Title]:
    """The titles a decision named, in the notice's rank order (seen by whoever sees the decision)."""
    return (
        Title.objects.filter(notice_entry__notice=decision.notice)
        .select_related("unit__region", "program")
        .order_by("notice_entry__rank", "pk")
    )
