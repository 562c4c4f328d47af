"""District batches (申报表): every write is one function, one transaction (docs/workflow.md, "District batches").

A district office (or a sector department, seed 002) gathers its approved applications into a batch, prints the
申报表 (`documents.py`), has it stamped, uploads the scan and submits it before the batch deadline (seed 000:
"于每年9月底前将《申报表》审批盖章后，报送到市创建办"). A late batch is refused unless the issuing office recorded
an override for it. The issuing office may send a submitted batch back with a comment; it is a draft again.
The audit trail records every change of a batch and of the applications it holds (django-auditlog).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.applications import access
from lvchuang.applications.models import Application, Batch, Route, Status
from lvchuang.assessments import files
from lvchuang.assessments.services import MEGABYTE, human_size
from lvchuang.campaigns import windows
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Action, Campaign
from lvchuang.organisations.models import Department, Office

SEAL_SCAN_TYPES = (files.PDF, files.JPEG, files.PNG)


def seal_scan_max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_FILE_MB) * MEGABYTE


def sender_label(*, office: Office | None = None, department: Department | None = None) -> str:
    """The short name a batch number starts with: the office's region (芙蓉区) or the department."""
    if office is not None:
        return office.region.name
    assert department is not None
    return department.name


def _next_number(campaign: Campaign, label: str) -> str:
    prefix = f"{label}-{campaign.year}-"
    taken = set(
        Batch.objects.filter(campaign=campaign, number__startswith=prefix).values_list("number", flat=True)
    )
    sequence = 1
    while f"{prefix}{sequence}" in taken:
        sequence += 1
    return f"{prefix}{sequence}"


def _locked(batch: Batch) -> Batch:
    return (
        Batch.objects.select_for_update(of=("self",))
        .select_related(
            "campaign__office__region", "campaign__program", "office__region", "department__region"
        )
        .get(pk=batch.pk)
    )


def _require_prepare(by: User, batch: Batch) -> None:
    if not access.can_prepare_batch(by, batch):
        raise PermissionDenied


def _require_draft(batch: Batch) -> None:
    if batch.status != Batch.Status.DRAFT:
        raise ValidationError(_("申报表已报送，不能再修改；如需修改，请组织单位退回。"))


@transaction.atomic
def create_batch(
    *,
    by: User,
    campaign: Campaign,
    office: Office | None = None,
    department: Department | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> Batch:
    """Open a draft batch for a district office below the issuing office, or for a sector department."""
    if (office is None) == (department is None):
        raise ValidationError(_("申报表须由一个创建办或一个主管部门报送。"))
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("该创建活动已结束。"))
    issuer = campaign.office.region.path
    if office is not None:
        path = office.region.path
        if not path.startswith(issuer) or path == issuer:
            raise ValidationError(_("只有本活动组织单位下级的创建办报送申报表。"))
    elif department is not None and not department.is_sector_authority:
        raise ValidationError(_("只有主管部门报送本系统的申报表。"))
    label = sender_label(office=office, department=department)
    batch = Batch(
        campaign=campaign,
        office=office,
        department=department,
        number=_next_number(campaign, label),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        created_by=by,
    )
    _require_prepare(by, batch)
    batch.full_clean()
    batch.save()
    return batch


def candidates_q(batch: Batch) -> Q:
    """Applications this batch may hold: approved, of the district's subtree (territorial route) or of the
    department's units (sector route)."""
    q = Q(campaign_id=batch.campaign_id, status=Status.APPROVED)
    if batch.department_id is not None:
        return q & Q(route=Route.SECTOR, unit__sector_id=batch.department_id)
    assert batch.office is not None
    return q & Q(route=Route.TERRITORIAL, unit__region__path__startswith=batch.office.region.path)


def addable_applications(batch: Batch) -> QuerySet[Application]:
    """Approved applications of the batch's place that are in no batch yet."""
    return (
        Application.objects.filter(candidates_q(batch), batch__isnull=True)
        .select_related("unit__region", "campaign__office__region")
        .order_by("unit__name", "pk")
    )


@transaction.atomic
def add_applications(*, by: User, batch: Batch, applications: Iterable[Application]) -> int:
    """Put approved applications into a draft batch; returns how many were added."""
    batch = _locked(batch)
    _require_prepare(by, batch)
    _require_draft(batch)
    ids = [application.pk for application in applications]
    if not ids:
        raise ValidationError(_("请选择要列入申报表的申报。"))
    found = {
        application.pk: application
        for application in Application.objects.select_for_update(of=("self",))
        .select_related("unit__region", "campaign__office__region", "batch")
        .filter(pk__in=ids)
    }
    allowed = set(Application.objects.filter(candidates_q(batch), pk__in=ids).values_list("pk", flat=True))
    added = 0
    for pk in ids:
        application = found.get(pk)
        if application is None or pk not in allowed or not access.needs_batch(application):
            name = application.unit.name if application else str(pk)
            raise ValidationError(
                _("“%(unit)s”不能列入本申报表：只能列入本辖区已审核通过的申报。") % {"unit": name}
            )
        if application.batch_id == batch.pk:
            continue
        if application.batch_id is not None:
            assert application.batch is not None
            raise ValidationError(
                _("“%(unit)s”已列入申报表“%(number)s”。")
                % {"unit": application.unit.name, "number": application.batch.number}
            )
        application.batch = batch
        application.save(update_fields=["batch", "updated_at"])
        added += 1
    return added


@transaction.atomic
def remove_application(*, by: User, batch: Batch, application: Application) -> None:
    batch = _locked(batch)
    _require_prepare(by, batch)
    _require_draft(batch)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.batch_id != batch.pk:
        raise ValidationError(_("该申报不在本申报表中。"))
    application.batch = None
    application.save(update_fields=["batch", "updated_at"])


@transaction.atomic
def upload_seal_scan(*, by: User, batch: Batch, upload: UploadedFile) -> Batch:
    """Store the stamped scan (PDF, JPEG or PNG, told by its bytes) under a random name, with its SHA-256."""
    batch = _locked(batch)
    _require_prepare(by, batch)
    _require_draft(batch)
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"seal_scan": _("文件是空的，未上传。")})
    if size > seal_scan_max_bytes():
        raise ValidationError(
            {
                "seal_scan": _("文件大小 %(size)s，超过了 %(limit)d MB 的上限。")
                % {"size": human_size(size), "limit": settings.EVIDENCE_MAX_FILE_MB}
            }
        )
    extension = PurePath(upload.name or "").suffix.lower()
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = files.sniff(head, upload)
    upload.seek(0)
    if kind not in SEAL_SCAN_TYPES or extension not in kind.extensions:
        raise ValidationError({"seal_scan": _("盖章扫描件须为 PDF、JPEG 或 PNG 文件，且内容与扩展名一致。")})
    previous = batch.seal_scan.name if batch.seal_scan else ""
    batch.seal_scan.save(f"scan{kind.extensions[0]}", upload, save=False)
    stored = batch.seal_scan.name
    try:
        batch.seal_scan_name = (upload.name or "scan").replace("\\", "/").rsplit("/", 1)[-1][:255]
        batch.seal_scan_sha256 = files.sha256_of(upload)
        batch.full_clean()
        batch.save()
    except BaseException:
        batch.seal_scan.storage.delete(stored)
        raise
    if previous:
        storage = batch.seal_scan.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return batch


def batch_window(batch: Batch, today: datetime.date | None = None) -> windows.Window:
    """The batch window at the sender's place: the office's region, or the department."""
    return windows.window_for(
        batch.campaign,
        Action.BATCH,
        region_path=batch.region_path,
        department_id=batch.department_id,
        today=today,
    )


@transaction.atomic
def submit_batch(*, by: User, batch: Batch, today: datetime.date | None = None) -> Batch:
    """Send the stamped batch up: at least one application, a seal scan, and the batch window open (or an
    override recorded for the sender's place)."""
    batch = _locked(batch)
    _require_prepare(by, batch)
    _require_draft(batch)
    if not batch.applications.exists():
        raise ValidationError(_("申报表中还没有申报，请先列入已审核通过的申报。"))
    if not batch.seal_scan:
        raise ValidationError(_("请先上传盖章后的申报表扫描件。"))
    windows.require_open(
        batch.campaign,
        Action.BATCH,
        region_path=batch.region_path,
        department_id=batch.department_id,
        today=today,
    )
    batch.status = Batch.Status.SUBMITTED
    batch.submitted_at = timezone.now()
    batch.submitted_by = by
    batch.return_comment = ""
    batch.full_clean()
    batch.save()
    return batch


def is_returnable(batch: Batch) -> bool:
    """A submitted batch goes back only while none of its applications has passed the check."""
    return (
        batch.status == Batch.Status.SUBMITTED
        and not batch.applications.exclude(status=Status.APPROVED).exists()
    )


@transaction.atomic
def return_batch(*, by: User, batch: Batch, comment: str) -> Batch:
    """The issuing office sends a submitted batch back with a comment; it becomes a draft again."""
    batch = _locked(batch)
    if not can_run_campaign(by, batch.campaign):
        raise PermissionDenied
    if batch.status != Batch.Status.SUBMITTED:
        raise ValidationError(_("只能退回已报送的申报表。"))
    if not comment.strip():
        raise ValidationError({"comment": _("请写明退回意见。")})
    if not is_returnable(batch):
        raise ValidationError(_("申报表中已有申报通过初审，不能再退回。"))
    batch.status = Batch.Status.DRAFT
    batch.submitted_at = None
    batch.submitted_by = None
    batch.return_comment = comment.strip()
    batch.full_clean()
    batch.save()
    return batch
