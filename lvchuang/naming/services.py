"""Every write of naming (命名): the decision, award payments, the filing with the level above (docs/workflow.md).

`name_units` is the one transaction that turns a closed notice into titles: a title per listed unit with its
validity and certificate number, the applications moved `shortlisted → named`, the awards of each demonstration
title (from `Program.awards`) and the filing due `Program.filing_months` later. Revoking a title cancels its
awards not yet paid (`revoke_title`, or `cancel_pending_awards` for a caller that revokes by itself).
"""

from __future__ import annotations

import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.applications.services import apply_transition
from lvchuang.assessments import files
from lvchuang.assessments.services import human_size, max_file_bytes
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Campaign
from lvchuang.lib.months import add_months
from lvchuang.naming import access
from lvchuang.naming.models import AwardPayment, Filing, NamingDecision
from lvchuang.notices.models import Notice, NoticeEntry
from lvchuang.organisations.models import Office
from lvchuang.titles import lifecycle
from lvchuang.titles.access import can_manage_title
from lvchuang.titles.models import Title, TitleEvent
from lvchuang.titles.services import next_certificate_number, require_not_before_naming


def receiving_office(campaign: Campaign) -> Office | None:
    """The office of the region above the naming office's (seed 002: counties file with the city office)."""
    parent_id = campaign.office.region.parent_id
    if parent_id is None:
        return None
    return Office.objects.filter(region_id=parent_id).order_by("pk").first()


def naming_refusal(notice: Notice) -> str:
    """Why `notice` cannot be named now, in words for the page; '' when it can."""
    if hasattr(notice, "naming"):
        return _("该公示已作出命名决定（%(number)s），每次公示只能命名一次。") % {
            "number": notice.naming.document_number
        }
    if notice.status != Notice.Status.CLOSED:
        return _("公示尚未结束（当前状态：%(status)s），须待公示期满、异议办结并结束公示后才能命名。") % {
            "status": notice.get_status_display()
        }
    if not notice.entries.filter(status=NoticeEntry.Status.LISTED).exists():
        return _("公示名单中已没有单位，无可命名。")
    return ""


@transaction.atomic
def name_units(
    *,
    by: User,
    notice: Notice,
    document_number: str,
    decided_on: datetime.date,
    issuer: str,
) -> NamingDecision:
    """Name every unit left on a closed notice: titles, certificate numbers, awards and the filing."""
    notice = (
        Notice.objects.select_for_update(of=("self",))
        .select_related("campaign__program", "campaign__office__region")
        .get(pk=notice.pk)
    )
    campaign = notice.campaign
    if not can_run_campaign(by, campaign):
        raise PermissionDenied
    refusal = naming_refusal(notice)
    if refusal:
        raise ValidationError(refusal)
    errors = {}
    if not document_number.strip():
        errors["document_number"] = _("请填写命名文件的文号，如：长创绿办〔2026〕12号。")
    if not issuer.strip():
        errors["issuer"] = _("请填写命名机关，它会印在证书上。")
    if errors:
        raise ValidationError(errors)
    decision = NamingDecision(
        notice=notice,
        document_number=document_number.strip(),
        decided_on=decided_on,
        issuer=issuer.strip(),
        created_by=by,
    )
    decision.full_clean()
    decision.save()

    program = campaign.program
    entries = notice.entries.filter(status=NoticeEntry.Status.LISTED).select_related("application", "unit")
    for entry in entries.order_by("rank", "pk"):
        title = Title(
            unit=entry.unit,
            program=program,
            campaign=campaign,
            year=campaign.year,
            named_on=decided_on,
            document_number=decision.document_number,
            valid_until=lifecycle.valid_until_for(program, decided_on),
            is_demonstration=entry.is_demonstration,
            recorded_by=by,
            certificate_number=next_certificate_number(
                year=campaign.year, region_path=campaign.office.region.path
            ),
        )
        title.full_clean()
        title.save()
        # The first event of the lifecycle: no status before it, so it is written here, not by a transition.
        TitleEvent.objects.create(
            title=title,
            from_status="",
            to_status=Title.Status.VALID,
            on=decided_on,
            reason=_("命名"),
            document_number=decision.document_number,
            by=by,
        )
        entry.title_record = title
        entry.save(update_fields=["title_record"])
        apply_transition(
            by=by,
            application=entry.application,
            name="name",
            comment=_("命名文号：%(number)s") % {"number": decision.document_number},
            today=decided_on,
        )
        if title.is_demonstration:
            for award in program.awards:
                AwardPayment.objects.create(
                    title=title,
                    decision=decision,
                    payer=str(award["payer"]),
                    fund=str(award.get("fund", "")),
                    amount=int(award["amount"]),
                )

    Filing.objects.create(
        decision=decision,
        from_office=campaign.office,
        to_office=receiving_office(campaign),
        due_on=add_months(decided_on, program.filing_months),
    )
    return decision


# --- award payments ----------------------------------------------------------------------------------------


def _locked_payment(payment: AwardPayment) -> AwardPayment:
    return (
        AwardPayment.objects.select_for_update(of=("self",))
        .select_related("title", "decision__notice__campaign__office__region")
        .get(pk=payment.pk)
    )


def _require_pending(payment: AwardPayment) -> None:
    if payment.status != AwardPayment.Status.PENDING:
        raise ValidationError(
            _("该笔奖励当前为“%(status)s”，不能再办理。") % {"status": payment.get_status_display()}
        )


@transaction.atomic
def record_payment(
    *, by: User, payment: AwardPayment, paid_on: datetime.date, reference: str, note: str = ""
) -> AwardPayment:
    """The bureau paid the award: the date and the voucher number (拨付凭证号)."""
    payment = _locked_payment(payment)
    if not access.can_run_decision(by, payment.decision):
        raise PermissionDenied
    _require_pending(payment)
    if not reference.strip():
        raise ValidationError({"reference": _("请填写拨付凭证号，便于对账。")})
    if payment.title.status == Title.Status.REVOKED:
        raise ValidationError(_("该称号已被撤销，奖励不再拨付，请取消这笔奖励。"))
    payment.status = AwardPayment.Status.PAID
    payment.paid_on = paid_on
    payment.reference = reference.strip()
    payment.note = note.strip()
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def cancel_payment(*, by: User, payment: AwardPayment, reason: str) -> AwardPayment:
    payment = _locked_payment(payment)
    if not access.can_run_decision(by, payment.decision):
        raise PermissionDenied
    _require_pending(payment)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明取消原因。")})
    payment.status = AwardPayment.Status.CANCELLED
    payment.note = reason.strip()[:200]
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def cancel_pending_awards(*, by: User | None, title: Title, reason: str) -> int:
    """Cancel every unpaid award of a title (called when the title is revoked); returns how many.

    `by` may be None for a revocation the system decides; the caller has checked the actor.
    """
    note = (reason.strip() or _("称号已撤销"))[:200]
    pending = AwardPayment.objects.select_for_update().filter(title=title, status=AwardPayment.Status.PENDING)
    count = 0
    for payment in pending:
        payment.status = AwardPayment.Status.CANCELLED
        payment.note = note
        payment.save(update_fields=["status", "note", "updated_at"])
        count += 1
    return count


@transaction.atomic
def revoke_title(
    *,
    by: User,
    title: Title,
    reason: str,
    document_number: str,
    on: datetime.date | None = None,
) -> Title:
    """Revoke a title for an event (e.g. a major pollution accident) and cancel its unpaid awards."""
    if not can_manage_title(by, title):
        raise PermissionDenied
    on = on or timezone.localdate()
    require_not_before_naming(title, on)
    title = lifecycle.revoke(title=title, by=by, on=on, reason=reason, document_number=document_number)
    cancel_pending_awards(
        by=by,
        title=title,
        reason=_("称号已撤销（%(number)s）") % {"number": document_number.strip()},
    )
    return title


# --- filing ------------------------------------------------------------------------------------------------


def is_overdue(filing: Filing, today: datetime.date) -> bool:
    return filing.status == Filing.Status.PENDING and today > filing.due_on


def overdue_filings(filings: QuerySet[Filing], *, today: datetime.date) -> QuerySet[Filing]:
    """The unfiled filings past their due date, from a list already scoped to the user."""
    return filings.filter(status=Filing.Status.PENDING, due_on__lt=today)


def _store_materials(filing: Filing, upload: UploadedFile) -> str:
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"materials": _("文件是空的，未上传。")})
    if size > max_file_bytes():
        raise ValidationError(
            {
                "materials": _("文件大小 %(size)s，超过了 %(limit)d MB 的上限。")
                % {"size": human_size(size), "limit": settings.EVIDENCE_MAX_FILE_MB}
            }
        )
    try:
        kind = files.identify(upload)
    except files.RefusedFile as refused:
        raise ValidationError({"materials": str(refused)}) from None
    previous = filing.materials.name if filing.materials else ""
    filing.materials.save(f"filing{kind.extensions[0]}", upload, save=False)
    filing.materials_name = PurePath((upload.name or "materials").replace("\\", "/")).name[:255]
    return previous


@transaction.atomic
def file_filing(
    *,
    by: User,
    filing: Filing,
    filed_on: datetime.date,
    materials: UploadedFile | None = None,
    note: str = "",
) -> Filing:
    """The naming office files the named list and materials (paper and electronic) with the level above."""
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if not access.can_file(by, filing):
        raise PermissionDenied
    if filing.status != Filing.Status.PENDING:
        raise ValidationError(_("该备案已于 %(date)s 报送。") % {"date": filing.filed_on})
    if filed_on < filing.decision.decided_on:
        raise ValidationError({"filed_on": _("报送日期不能早于命名日期。")})
    previous = ""
    if materials is not None:
        previous = _store_materials(filing, materials)
    stored = filing.materials.name if filing.materials else ""
    try:
        filing.status = Filing.Status.FILED
        filing.filed_on = filed_on
        filing.filed_by = by
        filing.note = note.strip()[:300]
        filing.full_clean()
        filing.save()
    except BaseException:
        if materials is not None and stored:
            filing.materials.storage.delete(stored)
        raise
    if previous:
        storage = filing.materials.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return filing


@transaction.atomic
def acknowledge_filing(*, by: User, filing: Filing, today: datetime.date | None = None) -> Filing:
    """The receiving office confirms it has the filing."""
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if not access.can_acknowledge(by, filing):
        raise PermissionDenied
    if filing.status != Filing.Status.FILED:
        raise ValidationError(_("尚未报送的备案不能确认。"))
    if filing.acknowledged_on is not None:
        raise ValidationError(_("该备案已于 %(date)s 确认。") % {"date": filing.acknowledged_on})
    filing.acknowledged_on = today or timezone.localdate()
    filing.save(update_fields=["acknowledged_on"])
    return filing
