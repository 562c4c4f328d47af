"""Every write to notices, objections and the holiday calendar: one function, one transaction (STYLE habit 1).

A notice lists a campaign's shortlist; publishing fixes its window from the program's rule (`calendar.window_for`).
Objections come from the public form; the issuing office investigates and decides each one. Upholding removes the
unit from the list and moves its application `shortlisted → rejected` through the workflow's automatic
`remove_on_objection` transition. Mail to the objector goes through the task runner after commit.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.applications.models import Application, Status
from lvchuang.applications.services import apply_transition
from lvchuang.assessments import files
from lvchuang.assessments.services import human_size
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Campaign, DayKind
from lvchuang.notices import access, calendar
from lvchuang.notices.models import DayOverride, Notice, NoticeEntry, Objection

MEGABYTE = 1024 * 1024
NAME_MAX = 30
CONTENT_MIN = 10
CONTENT_MAX = 5000
REMOVED_REASON_MAX = 300
# A mainland mobile number, or a landline with its area code (an extension may follow).
PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")
# A name written in Chinese characters (with the middle dot of minority and foreign names) or in Latin letters.
REAL_NAME = re.compile(r"^(?:[\u3400-\u9fff·•]{2,}|[A-Za-z][A-Za-z .'-]*[A-Za-z])$")
NOT_A_NAME = {"匿名", "无名", "无名氏", "佚名", "群众", "市民", "居民", "某某", "不详", "保密", "知情人"}


def _require_manager(by: User, notice: Notice) -> None:
    if not access.can_manage_notice(by, notice):
        raise PermissionDenied


def _locked(notice: Notice) -> Notice:
    return (
        Notice.objects.select_for_update(of=("self",))
        .select_related("campaign__program", "campaign__office__region")
        .get(pk=notice.pk)
    )


def _clean_text(**values: str) -> dict[str, str]:
    return {name: value.strip() for name, value in values.items()}


# --- notices ------------------------------------------------------------------------------------------------


def shortlist_of(campaign: Campaign) -> list[Application]:
    """The campaign's shortlisted applications not on another of its notices yet, in rank order."""
    listed = NoticeEntry.objects.filter(notice__campaign=campaign).values("application_id")
    return list(
        Application.objects.filter(campaign=campaign, status=Status.SHORTLISTED)
        .exclude(pk__in=listed)
        .select_related("unit")
        .order_by(F("rank").asc(nulls_last=True), F("final_score").desc(nulls_last=True), "unit__name", "pk")
    )


@transaction.atomic
def create_notice(
    *,
    by: User,
    campaign: Campaign,
    title: str,
    body: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
) -> Notice:
    """A draft notice of the campaign's shortlist, one entry per shortlisted application in rank order."""
    if not can_run_campaign(by, campaign):
        raise PermissionDenied
    unfinished = campaign.notices.exclude(status=Notice.Status.CLOSED).first()
    if unfinished is not None:
        raise ValidationError(
            _("该活动已有未结束的公示“%(title)s”，请先发布并结束它，或删除草稿。")
            % {"title": unfinished.title}
        )
    applications = shortlist_of(campaign)
    if not applications:
        raise ValidationError(_("该活动没有待公示的入围申报：请先完成评审排名并确定入围名单。"))
    program = campaign.program
    notice = Notice(
        campaign=campaign,
        length=program.notice_length,
        day_kind=program.notice_day_kind,
        created_by=by,
        **_clean_text(
            title=title,
            body=body,
            contact_phone=contact_phone,
            contact_email=contact_email,
            contact_address=contact_address,
        ),
    )
    notice.full_clean()
    notice.save()
    NoticeEntry.objects.bulk_create(
        NoticeEntry(
            notice=notice,
            application=application,
            unit=application.unit,
            rank=application.rank,
            score=application.final_score,
            is_demonstration=application.is_demonstration_candidate,
        )
        for application in applications
    )
    return notice


def _require_draft(notice: Notice) -> None:
    if notice.status != Notice.Status.DRAFT:
        raise ValidationError(_("公示已发布，不能再修改或删除。"))


@transaction.atomic
def update_notice(
    *,
    by: User,
    notice: Notice,
    title: str,
    body: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
) -> Notice:
    notice = _locked(notice)
    _require_manager(by, notice)
    _require_draft(notice)
    for name, value in _clean_text(
        title=title,
        body=body,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_address=contact_address,
    ).items():
        setattr(notice, name, value)
    notice.full_clean()
    notice.save()
    return notice


@transaction.atomic
def delete_notice(*, by: User, notice: Notice) -> None:
    notice = _locked(notice)
    _require_manager(by, notice)
    _require_draft(notice)
    notice.delete()


@transaction.atomic
def publish_notice(*, by: User, notice: Notice, today: datetime.date | None = None) -> Notice:
    """Open the notice: copy the program's rule onto it and fix its window from today."""
    notice = _locked(notice)
    _require_manager(by, notice)
    if notice.status != Notice.Status.DRAFT:
        raise ValidationError(_("公示已经发布。"))
    today = today or timezone.localdate()
    entries = list(notice.entries.select_related("application", "unit"))
    if not entries:
        raise ValidationError(_("公示名单是空的，不能发布。"))
    gone = [entry.unit.name for entry in entries if entry.application.status != Status.SHORTLISTED]
    if gone:
        raise ValidationError(
            _("以下单位已不在入围名单中，请删除本草稿后重新制作公示：%(units)s") % {"units": "、".join(gone)}
        )
    if not notice.title:
        raise ValidationError({"title": _("请填写公示标题。")})
    program = notice.campaign.program
    notice.length = program.notice_length
    notice.day_kind = program.notice_day_kind
    window = calendar.window_for(program=program, publish_day=today)
    notice.starts_on, notice.ends_on, notice.calendar_provisional = window
    notice.status = Notice.Status.OPEN
    notice.published_at = timezone.now()
    notice.full_clean()
    notice.save()
    return notice


def accepts_objections(notice: Notice, today: datetime.date | None = None) -> bool:
    """Open, and today lies inside the window (up to the end of its last day)."""
    today = today or timezone.localdate()
    return (
        notice.status == Notice.Status.OPEN
        and notice.starts_on is not None
        and notice.ends_on is not None
        and notice.starts_on <= today <= notice.ends_on
    )


def open_cases(notice: Notice) -> list[str]:
    """Case numbers still received or being investigated."""
    return list(
        notice.objections.filter(status__in=(Objection.Status.RECEIVED, Objection.Status.INVESTIGATING))
        .values_list("case_number", flat=True)
        .order_by("case_number")
    )


def close_refusal(notice: Notice, today: datetime.date | None = None) -> str:
    """Why the notice cannot close today, in words; empty when it can."""
    today = today or timezone.localdate()
    if notice.status != Notice.Status.OPEN:
        return _("只有公示中的公示可以结束。")
    assert notice.ends_on is not None
    if today <= notice.ends_on:
        return _("公示期至 %(end)s 结束（含当日），%(end)s 之后方可结束公示。") % {
            "end": notice.ends_on.isoformat()
        }
    pending = open_cases(notice)
    if pending:
        return _("以下异议尚未办结，办结后方可结束公示：%(cases)s") % {"cases": "、".join(pending)}
    return ""


@transaction.atomic
def close_notice(*, by: User, notice: Notice, today: datetime.date | None = None) -> Notice:
    notice = _locked(notice)
    _require_manager(by, notice)
    refusal = close_refusal(notice, today)
    if refusal:
        raise ValidationError(refusal)
    notice.status = Notice.Status.CLOSED
    notice.closed_at = timezone.now()
    notice.save(update_fields=["status", "closed_at"])
    return notice


# --- objections ---------------------------------------------------------------------------------------------


def evidence_max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_FILE_MB) * MEGABYTE


def client_hash_of(address: str) -> str:
    """The objector's address, hashed with the site's secret: enough to spot a flood, nothing to identify."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:objection:{address}".encode()).hexdigest()


def _normalised_phone(phone: str) -> str:
    digits = re.sub(r"[\s()（）]", "", phone)
    return re.sub(r"^(?:\+86|0086)-?", "", digits)


def _check_objector(name: str, phone: str, content: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写真实姓名。")
    elif len(name) > NAME_MAX or not REAL_NAME.match(name) or name in NOT_A_NAME:
        errors["name"] = _("请填写您的真实姓名（实名提出的异议才予受理），不要用化名或“匿名”。")
    if not PHONE.match(phone):
        errors["phone"] = _("请填写能联系到您的手机号（11 位）或带区号的固定电话，例如 0731-88886666。")
    if len(content) < CONTENT_MIN:
        errors["content"] = _("请写明异议的具体事实和理由，至少 %(count)d 个字。") % {"count": CONTENT_MIN}
    elif len(content) > CONTENT_MAX:
        errors["content"] = _("异议内容不能超过 %(count)d 个字，详细材料可作为证据上传。") % {
            "count": CONTENT_MAX
        }
    return errors


def _check_evidence(upload: UploadedFile) -> files.FileType:
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"evidence": _("证据文件是空的。")})
    if size > evidence_max_bytes():
        raise ValidationError(
            {
                "evidence": _("文件大小 %(size)s，超过了 %(limit)d MB 的上限。")
                % {"size": human_size(size), "limit": settings.EVIDENCE_MAX_FILE_MB}
            }
        )
    try:
        return files.identify(upload)
    except files.RefusedFile as refused:
        raise ValidationError({"evidence": str(refused)}) from None


def _next_case_number(notice: Notice, today: datetime.date) -> str:
    """YY<year>-<notice>-<sequence>: 异议 (YY), the year received, the notice, a four-digit count."""
    count = Objection.objects.filter(notice=notice).count()
    while True:
        count += 1
        number = f"YY{today.year}-{notice.pk}-{count:04d}"
        if not Objection.objects.filter(case_number=number).exists():
            return number


def window_refusal(notice: Notice, today: datetime.date) -> str:
    if notice.status == Notice.Status.CLOSED:
        return _("公示已结束，不再受理异议。")
    assert notice.starts_on is not None
    assert notice.ends_on is not None
    if today < notice.starts_on:
        return _("公示期自 %(start)s 开始，届时方可提出异议。") % {"start": notice.starts_on.isoformat()}
    return _("公示期已于 %(end)s 截止，不再受理异议。") % {"end": notice.ends_on.isoformat()}


@transaction.atomic
def submit_objection(
    *,
    notice: Notice,
    entry: NoticeEntry,
    name: str,
    phone: str,
    email: str = "",
    content: str,
    evidence: UploadedFile | None = None,
    client_address: str,
    today: datetime.date | None = None,
    site_root: str = "",
) -> Objection:
    """A member of the public objects to one listed unit during the window, with real name and phone.

    `site_root` (e.g. "https://lvchuang.example.cn") makes the case link in the acknowledgement absolute."""
    notice = _locked(notice)
    today = today or timezone.localdate()
    if notice.status == Notice.Status.DRAFT:
        raise ValidationError(_("该公示尚未发布。"))
    if not accepts_objections(notice, today):
        raise ValidationError(window_refusal(notice, today))
    name, email, content = name.strip(), email.strip(), content.strip()
    phone = _normalised_phone(phone)
    errors = _check_objector(name, phone, content)
    if entry.notice_id != notice.pk or entry.status != NoticeEntry.Status.LISTED:
        errors["entry"] = _("所选单位不在本公示的名单中。")
    if errors:
        raise ValidationError(errors)
    kind = _check_evidence(evidence) if evidence is not None else None
    objection = Objection(
        notice=notice,
        entry=entry,
        case_number=_next_case_number(notice, today),
        token=secrets.token_urlsafe(32),
        name=name,
        phone=phone,
        email=email,
        content=content,
        client_hash=client_hash_of(client_address),
    )
    stored = ""
    if evidence is not None and kind is not None:
        objection.evidence.save(f"evidence{kind.extensions[0]}", evidence, save=False)
        stored = objection.evidence.name or ""
        objection.evidence_name = PurePath((evidence.name or "").replace("\\", "/")).name[:255]
    try:
        objection.full_clean()
        objection.save()
    except BaseException:
        if stored:
            objection.evidence.storage.delete(stored)
        raise
    if objection.email:
        _mail_on_commit("acknowledge", objection, site_root)
    return objection


def _mail_on_commit(kind: str, objection: Objection, site_root: str) -> None:
    from lvchuang.notices.tasks import mail_objector  # the task module imports the models only

    transaction.on_commit(lambda: mail_objector.enqueue(objection.pk, kind, site_root))


def _locked_objection(objection: Objection) -> Objection:
    return (
        Objection.objects.select_for_update(of=("self",))
        .select_related("notice__campaign__office__region", "entry__application", "entry__unit")
        .get(pk=objection.pk)
    )


@transaction.atomic
def start_investigation(*, by: User, objection: Objection, findings: str = "") -> Objection:
    """The office starts verifying the objection (已受理 → 调查核实中)."""
    objection = _locked_objection(objection)
    _require_manager(by, objection.notice)
    if objection.status != Objection.Status.RECEIVED:
        raise ValidationError(
            _("该异议当前为“%(status)s”，不能开始调查。") % {"status": objection.get_status_display()}
        )
    objection.status = Objection.Status.INVESTIGATING
    objection.investigating_at = timezone.now()
    objection.handled_by = by
    if findings.strip():
        objection.findings = findings.strip()
    objection.save(update_fields=["status", "investigating_at", "handled_by", "findings"])
    return objection


@transaction.atomic
def decide_objection(
    *,
    by: User,
    objection: Objection,
    upheld: bool,
    reply: str,
    findings: str = "",
    today: datetime.date | None = None,
    site_root: str = "",
) -> Objection:
    """Conclude the case with a written reply. Upheld: the unit leaves the list and its application is rejected
    (`remove_on_objection`); dismissed: the unit stays."""
    objection = _locked_objection(objection)
    _require_manager(by, objection.notice)
    if objection.status != Objection.Status.INVESTIGATING:
        if objection.status == Objection.Status.RECEIVED:
            raise ValidationError(_("请先开始调查核实，再作出结论。"))
        raise ValidationError(_("该异议已办结。"))
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("请写明给异议人的书面答复。")})
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.reply = reply
    if findings.strip():
        objection.findings = findings.strip()
    objection.handled_by = by
    objection.decided_at = timezone.now()
    objection.full_clean()
    objection.save()
    entry = NoticeEntry.objects.select_for_update(of=("self",)).get(pk=objection.entry_id)
    if upheld and entry.status == NoticeEntry.Status.LISTED:
        reason = _("异议成立（%(case)s）：%(reply)s") % {"case": objection.case_number, "reply": reply}
        entry.status = NoticeEntry.Status.REMOVED
        entry.removed_reason = reason[:REMOVED_REASON_MAX]
        entry.save(update_fields=["status", "removed_reason"])
        apply_transition(
            by=by,
            application=objection.entry.application,
            name="remove_on_objection",
            comment=_("异议成立（%(case)s），移出公示名单：%(reply)s")
            % {"case": objection.case_number, "reply": reply},
            today=today,
        )
    if objection.email:
        _mail_on_commit("reply", objection, site_root)
    return objection


# --- the holiday calendar -----------------------------------------------------------------------------------


def _require_calendar_editor(by: User) -> None:
    if not access.can_edit_calendar(by):
        raise PermissionDenied(_("只有系统管理员可以调整节假日安排。"))


def _refresh_open_notices(changed: datetime.date) -> list[Notice]:
    """Recompute the window of every open working-day notice the changed day can move: those with a guessed
    calendar, and those whose window covers it. An arrangement entered late thus fixes a provisional end date
    (docs/workflow.md, Public notice). The start was the first working day on or after publishing, so counting
    again from it gives the same window unless the change touches it."""
    refreshed = []
    candidates = Notice.objects.select_for_update().filter(
        status=Notice.Status.OPEN,
        day_kind=DayKind.WORKING,
        starts_on__isnull=False,
        ends_on__isnull=False,
    )
    for notice in candidates:
        assert notice.starts_on is not None
        assert notice.ends_on is not None
        if not (notice.calendar_provisional or notice.starts_on <= changed <= notice.ends_on):
            continue
        window = calendar.window_for(program=notice, publish_day=notice.starts_on)
        if window != (notice.starts_on, notice.ends_on, notice.calendar_provisional):
            notice.starts_on, notice.ends_on, notice.calendar_provisional = window
            notice.save(update_fields=["starts_on", "ends_on", "calendar_provisional"])
            refreshed.append(notice)
    return refreshed


@transaction.atomic
def save_day_override(
    *, by: User, date: datetime.date, is_workday: bool, name: str, source: str = ""
) -> DayOverride:
    """Enter or correct one day of the State Council's arrangement."""
    _require_calendar_editor(by)
    override = DayOverride.objects.filter(date=date).first() or DayOverride(date=date)
    override.is_workday = is_workday
    override.name = name.strip()
    override.source = source.strip()
    override.full_clean()
    override.save()
    _refresh_open_notices(date)
    return override


@transaction.atomic
def delete_day_override(*, by: User, override: DayOverride) -> None:
    _require_calendar_editor(by)
    changed = override.date
    override.delete()
    _refresh_open_notices(changed)
