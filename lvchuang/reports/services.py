"""Every write of scheduled submissions (docs/workflow.md, "Scheduled submissions"): one function, one
transaction, keyword-only with `by` (STYLE habit 1).

- Requirements are created, changed and deleted by those who run the campaign (`access.can_manage_requirement`);
  the defaults of each built-in program come from `defaults/requirements.yaml`.
- A submitter's users hand in a period (`submit`): text, a file or both; again only after a return. Handing in
  after the due date is allowed and marked late.
- The campaign's runners accept a submission or return it with a comment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.assessments import files
from lvchuang.assessments.services import human_size, max_file_bytes
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Campaign
from lvchuang.lib.periods import month_day
from lvchuang.organisations.models import GoverningBody
from lvchuang.reports.access import can_manage_requirement
from lvchuang.reports.models import Requirement, Submission
from lvchuang.reports.selectors import period_of
from lvchuang.reports.submitters import Submitter, acting_for, expected_submitters, submitter_fields

DEFAULTS = Path(__file__).resolve().parent / "defaults" / "requirements.yaml"
Submitters = Requirement.Submitters

# What an office may change on a requirement; the rule of who submits and how often is fixed once anything is
# handed in, so that no submission ends up belonging to nobody.
EDITABLE = (
    "kind",
    "title",
    "instructions",
    "period",
    "due_on",
    "days_after_quarter",
    "submitters",
    "submitter_level",
    "body",
    "requires_file",
    "remind_days_before",
    "remind_days_after",
)
FIXED_ONCE_SUBMITTED = ("period", "days_after_quarter", "submitters", "submitter_level", "body")


def _require_manages(by: User, campaign: Campaign) -> None:
    if not can_run_campaign(by, campaign):
        raise PermissionDenied(_("只有组织该创建活动的创建办及其上级可以管理报送要求。"))


def _check_scope(requirement: Requirement) -> None:
    """The submitters' rule must fit the campaign: offices below the issuing office, a body of its region."""
    office_region = requirement.campaign.office.region
    if requirement.submitters != Submitters.OFFICES:
        requirement.submitter_level = None
    if requirement.submitters != Submitters.MEMBERS:
        requirement.body = None
    if requirement.period == Requirement.Period.QUARTERLY:
        requirement.due_on = None
    if requirement.submitters == Submitters.OFFICES:
        if requirement.submitter_level is None:
            raise ValidationError({"submitter_level": _("请选择报送的创建办层级。")})
        if requirement.submitter_level <= office_region.level:
            raise ValidationError(
                {
                    "submitter_level": _("报送的创建办须在%(office)s的下级。")
                    % {"office": requirement.campaign.office}
                }
            )
    if requirement.submitters == Submitters.MEMBERS:
        body = requirement.body
        if body is None:
            raise ValidationError({"body": _("请选择报送的联席会议或领导小组。")})
        if not body.region.path.startswith(office_region.path):
            raise ValidationError({"body": _("只能选择本活动所在行政区的联席会议或领导小组。")})
    if requirement.period == Requirement.Period.ONCE and requirement.due_on is None:
        raise ValidationError({"due_on": _("一次性报送须填写截止日期。")})
    if not requirement.title.strip():
        raise ValidationError({"title": _("请填写材料名称，如“区年度创建工作计划”。")})


@transaction.atomic
def create_requirement(
    *,
    by: User,
    campaign: Campaign,
    kind: str,
    title: str,
    submitters: str,
    period: str = Requirement.Period.ONCE,
    due_on: datetime.date | None = None,
    days_after_quarter: int = 10,
    submitter_level: int | None = None,
    body: GoverningBody | None = None,
    instructions: str = "",
    requires_file: bool = False,
    remind_days_before: int = 7,
    remind_days_after: int = 3,
) -> Requirement:
    _require_manages(by, campaign)
    requirement = Requirement(
        campaign=campaign,
        kind=kind,
        title=title.strip(),
        instructions=instructions.strip(),
        period=period,
        due_on=due_on,
        days_after_quarter=days_after_quarter,
        submitters=submitters,
        submitter_level=submitter_level,
        body=body,
        requires_file=requires_file,
        remind_days_before=remind_days_before,
        remind_days_after=remind_days_after,
        created_by=by,
    )
    _check_scope(requirement)
    requirement.full_clean()
    with set_actor(by):
        requirement.save()
    return requirement


@transaction.atomic
def update_requirement(*, by: User, requirement: Requirement, changes: dict[str, Any]) -> Requirement:
    """Change the listed fields; who submits and how often is fixed once anything has been handed in."""
    requirement = (
        Requirement.objects.select_for_update(of=("self",))
        .select_related("campaign__office__region", "body__region")
        .get(pk=requirement.pk)
    )
    if not can_manage_requirement(by, requirement):
        raise PermissionDenied(_("只有组织该创建活动的创建办及其上级可以管理报送要求。"))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    if requirement.submissions.exists():
        for name in FIXED_ONCE_SUBMITTED:
            if name in changes and changes[name] != getattr(requirement, name):
                raise ValidationError(
                    {name: _("已有报送材料，不能再修改报送主体和报送频次；如需调整请新建一项要求。")}
                )
    for name, value in changes.items():
        setattr(requirement, name, value.strip() if name in ("title", "instructions") else value)
    _check_scope(requirement)
    requirement.full_clean()
    with set_actor(by):
        requirement.save()
    return requirement


@transaction.atomic
def delete_requirement(*, by: User, requirement: Requirement) -> None:
    if not can_manage_requirement(by, requirement):
        raise PermissionDenied(_("只有组织该创建活动的创建办及其上级可以管理报送要求。"))
    if requirement.submissions.exists():
        raise ValidationError(_("“%(title)s”已有报送材料，不能删除。") % {"title": requirement.title})
    with set_actor(by):
        requirement.delete()


# --- defaults ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    title: str
    reason: str


@dataclass(frozen=True)
class DefaultsAdded:
    created: list[Requirement]
    skipped: list[Skipped]


def default_entries(program_code: str, path: Path = DEFAULTS) -> list[dict[str, Any]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries: list[dict[str, Any]] = (document.get("programs") or {}).get(program_code) or []
    return entries


@transaction.atomic
def add_default_requirements(*, by: User, campaign: Campaign, path: Path = DEFAULTS) -> DefaultsAdded:
    """The requirements `defaults/requirements.yaml` lists for the campaign's program. Members report to the
    joint meeting (联席会议) of the issuing office's region; without one that entry is skipped, with the reason.
    An entry the campaign already has (same kind and title) is skipped too, so adding twice adds nothing."""
    _require_manages(by, campaign)
    entries = default_entries(campaign.program.code, path)
    if not entries:
        raise ValidationError(
            _("“%(program)s”没有默认的报送要求，请逐项添加。") % {"program": campaign.program.name}
        )
    created: list[Requirement] = []
    skipped: list[Skipped] = []
    for entry in entries:
        title = str(entry["title"])
        if campaign.requirements.filter(kind=entry["kind"], title=title).exists():
            skipped.append(Skipped(title, _("本活动已有这项要求。")))
            continue
        body = None
        if entry["submitters"] == Submitters.MEMBERS:
            body = (
                GoverningBody.objects.filter(
                    region_id=campaign.office.region_id, kind=GoverningBody.Kind.JOINT_MEETING
                )
                .select_related("region")
                .order_by("pk")
                .first()
            )
            if body is None:
                skipped.append(
                    Skipped(
                        title,
                        _("%(region)s还没有登记联席会议，成员单位无从报送；登记联席会议后再添加。")
                        % {"region": campaign.office.region.name},
                    )
                )
                continue
        period = entry.get("period", Requirement.Period.ONCE)
        created.append(
            create_requirement(
                by=by,
                campaign=campaign,
                kind=entry["kind"],
                title=title,
                submitters=entry["submitters"],
                period=period,
                due_on=month_day(campaign.year, entry["due"]) if period == Requirement.Period.ONCE else None,
                days_after_quarter=int(entry.get("days_after_quarter", 10)),
                submitter_level=entry.get("submitter_level"),
                body=body,
                instructions=str(entry.get("source", "")),
                requires_file=bool(entry.get("requires_file", False)),
            )
        )
    return DefaultsAdded(created=created, skipped=skipped)


# --- submissions --------------------------------------------------------------------------------------------------


def _store_upload(submission: Submission, upload: UploadedFile) -> str:
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"upload": _("文件是空的，未上传。")})
    if size > max_file_bytes():
        raise ValidationError({"upload": _("文件大小 %(size)s，超过上限。") % {"size": human_size(size)}})
    try:
        kind = files.identify(upload)
    except files.RefusedFile as error:
        raise ValidationError({"upload": str(error)}) from error
    submission.file.save(f"submission{kind.extensions[0]}", upload, save=False)
    return str(submission.file.name)


@transaction.atomic
def submit(
    *,
    by: User,
    requirement: Requirement,
    period: str,
    submitter: Submitter,
    content: str = "",
    upload: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> Submission:
    """Hand in one period for one submitter: text, a file or both (a file when the requirement asks for one).
    Handing in again is allowed only after the office returned it; after the due date it is marked late."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    found = period_of(requirement, period)
    if found is None:
        raise ValidationError({"period": _("“%(title)s”没有这个报送期。") % {"title": requirement.title}})
    if submitter not in expected_submitters(requirement):
        raise ValidationError(
            {"submitter": _("%(name)s不在这项要求的报送范围内。") % {"name": submitter.name}}
        )
    if not acting_for(by).may_submit_for(requirement, submitter):
        raise PermissionDenied(_("您不能代%(name)s报送。") % {"name": submitter.name})
    existing = (
        Submission.objects.select_for_update()
        .filter(requirement=requirement, period=found.key, **submitter_fields(submitter))
        .first()
    )
    if existing is not None and existing.status != Submission.Status.RETURNED:
        raise ValidationError(
            _("本期材料已报送（%(status)s），退回后才能重新报送。")
            % {"status": existing.get_status_display()}
        )
    content = content.strip()
    keeps_file = existing is not None and bool(existing.file) and upload is None
    if requirement.requires_file and upload is None and not keeps_file:
        raise ValidationError({"upload": _("这项材料须上传文件（如盖章的 PDF 或 Word 文档）。")})
    if not content and upload is None and not keeps_file:
        raise ValidationError({"content": _("请填写报送内容或上传文件。")})
    submission = existing or Submission(
        requirement=requirement, period=found.key, due_on=found.due_on, **submitter_fields(submitter)
    )
    previous_file = submission.file.name if existing is not None and upload is not None else ""
    stored = _store_upload(submission, upload) if upload is not None else ""
    submission.content = content
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = by
    submission.submitted_at = now
    submission.is_late = today > submission.due_on
    submission.reviewed_by = None
    submission.reviewed_at = None
    try:
        submission.full_clean()
        with set_actor(by):
            submission.save()
    except BaseException:
        if stored:
            submission.file.storage.delete(stored)
        raise
    if previous_file:
        storage = submission.file.storage
        transaction.on_commit(lambda: storage.delete(previous_file))
    return submission


def _locked(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("requirement__campaign__office__region")
        .get(pk=submission.pk)
    )


@transaction.atomic
def accept(
    *, by: User, submission: Submission, comment: str = "", now: datetime.datetime | None = None
) -> Submission:
    """The issuing office confirms a handed-in submission (已确认)."""
    submission = _locked(submission)
    if not can_manage_requirement(by, submission.requirement):
        raise PermissionDenied(_("只有组织该创建活动的创建办及其上级可以确认报送材料。"))
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(
            _("材料当前为“%(status)s”，不能确认。") % {"status": submission.get_status_display()}
        )
    submission.status = Submission.Status.ACCEPTED
    submission.review_comment = comment.strip()
    submission.reviewed_by = by
    submission.reviewed_at = now or timezone.now()
    submission.full_clean()
    with set_actor(by):
        submission.save()
    return submission


@transaction.atomic
def return_submission(
    *, by: User, submission: Submission, comment: str, now: datetime.datetime | None = None
) -> Submission:
    """The issuing office sends a submission back with what to change; the submitter owes the period again."""
    submission = _locked(submission)
    if not can_manage_requirement(by, submission.requirement):
        raise PermissionDenied(_("只有组织该创建活动的创建办及其上级可以退回报送材料。"))
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(
            _("材料当前为“%(status)s”，不能退回。") % {"status": submission.get_status_display()}
        )
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("请写明退回的理由和修改要求。")})
    submission.status = Submission.Status.RETURNED
    submission.review_comment = comment
    submission.reviewed_by = by
    submission.reviewed_at = now or timezone.now()
    submission.full_clean()
    with set_actor(by):
        submission.save()
    return submission
