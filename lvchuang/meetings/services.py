"""Every write of the joint meeting (docs/workflow.md, "Joint meeting"): one function, one transaction,
keyword-only with `by` first (STYLE habit 1).

Who acts (`meetings.access`):
- the offices that manage the body's region keep its record: liaisons, meetings with attendees and minutes, agreed
  items; they also cancel and reopen items;
- a liaison of the owner department (seed 004: 各成员单位要认真落实联席会议议定的事项) reports progress on the
  department's open items and closes them with the result; so may the office.

The agreed item's transitions are the table `TRANSITIONS`; each one leaves an `ItemProgress` row with the status
it led to, the note and who wrote it, so the item's page shows its whole history.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.assessments import files
from lvchuang.assessments.services import human_size, max_file_bytes
from lvchuang.meetings.access import can_act_as_owner, can_keep_body
from lvchuang.meetings.models import AgreedItem, Attendance, ItemProgress, Liaison, Meeting
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody

Status = AgreedItem.Status

# The agreed item's state machine: (from, to) → who may take it. "owner" means the owner's liaison or the office.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.OPEN, Status.DONE): "owner",
    (Status.OPEN, Status.CANCELLED): "office",
    (Status.DONE, Status.OPEN): "office",
}


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _require_keeps(by: User, body: GoverningBody) -> None:
    if not can_keep_body(by, body):
        raise PermissionDenied(_("只有%(body)s所在地的创建办及其上级可以进行该操作。") % {"body": body.name})


def _require_works_on(by: User, item: AgreedItem) -> None:
    if not (can_keep_body(by, item.meeting.body) or can_act_as_owner(by, item)):
        raise PermissionDenied(
            _("只有责任单位“%(owner)s”的联络员或联席会议办公室可以办理该事项。") % {"owner": item.owner.name}
        )


def _locked_item(item: AgreedItem) -> AgreedItem:
    return (
        AgreedItem.objects.select_for_update(of=("self",))
        .select_related("meeting__body__region", "owner")
        .get(pk=item.pk)
    )


def _check_transition(item: AgreedItem, to: str) -> None:
    if (item.status, to) not in TRANSITIONS:
        raise ValidationError(
            _("议定事项当前为“%(status)s”，不能%(action)s。")
            % {"status": item.get_status_display(), "action": _ACTION_NAMES[to]}
        )


_ACTION_NAMES: dict[str, Any] = {
    Status.DONE: gettext_lazy("办结"),
    Status.CANCELLED: gettext_lazy("撤销"),
    Status.OPEN: gettext_lazy("重新打开"),
}


def _record(item: AgreedItem, *, by: User, note: str, status_to: str = "") -> ItemProgress:
    progress = ItemProgress(item=item, note=note, status_to=status_to, by=by)
    progress.full_clean()
    progress.save()
    return progress


def _membership(body: GoverningBody, department: Department) -> BodyMembership | None:
    return BodyMembership.objects.filter(body=body, department=department).first()


# --- liaisons -----------------------------------------------------------------------------------------------------


@transaction.atomic
def add_liaison(*, by: User, membership: BodyMembership, user: User) -> Liaison:
    """Register `user` as the liaison (联络员) who acts for a member department in the body. The user must hold
    the leadership-member role on this body, which is what lets them see its record."""
    body = membership.body
    _require_keeps(by, body)
    holds_role = RoleAssignment.objects.filter(user=user, role=Role.LEADERSHIP_MEMBER, body=body).exists()
    if not holds_role:
        raise ValidationError(
            {
                "user": _(
                    "%(user)s 没有“%(body)s”的领导小组成员角色，不能登记为联络员；请先在用户管理中为其授予该角色。"
                )
                % {"user": user, "body": body.name}
            }
        )
    elsewhere = (
        Liaison.objects.filter(user=user, membership__body=body)
        .select_related("membership__department")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            {
                "user": _("%(user)s 已是本机构成员单位“%(department)s”的联络员。")
                % {"user": user, "department": elsewhere.membership.department.name}
            }
        )
    liaison = Liaison(membership=membership, user=user)
    liaison.full_clean()
    with set_actor(by):
        liaison.save()
    return liaison


@transaction.atomic
def remove_liaison(*, by: User, liaison: Liaison) -> None:
    _require_keeps(by, liaison.membership.body)
    with set_actor(by):
        liaison.delete()


# --- meetings -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeInput:
    """One attendee: for a member department, or in their own capacity (列席, `department=None`)."""

    name: str
    department: Department | None = None
    position: str = ""
    is_absent: bool = False


def _clean_attendees(body: GoverningBody, attendees: Sequence[AttendeeInput]) -> list[AttendeeInput]:
    member_ids = set(BodyMembership.objects.filter(body=body).values_list("department_id", flat=True))
    cleaned: list[AttendeeInput] = []
    seen: set[tuple[int | None, str]] = set()
    for attendee in attendees:
        name = attendee.name.strip()
        if not name:
            raise ValidationError({"attendees": _("每位参会人员都要填写姓名。")})
        department = attendee.department
        if department is not None and department.pk not in member_ids:
            raise ValidationError(
                {
                    "attendees": _(
                        "%(department)s 不是%(body)s的成员单位；非成员单位人员请按列席登记，不选部门。"
                    )
                    % {"department": department.name, "body": body.name}
                }
            )
        key = (department.pk if department else None, name)
        if key in seen:
            raise ValidationError({"attendees": _("参会人员“%(name)s”重复填写。") % {"name": name}})
        seen.add(key)
        cleaned.append(
            AttendeeInput(
                name=name,
                department=department,
                position=attendee.position.strip(),
                is_absent=attendee.is_absent,
            )
        )
    return cleaned


def _store_minutes_file(meeting: Meeting, upload: UploadedFile) -> str:
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"minutes_file": _("文件是空的，未上传。")})
    if size > max_file_bytes():
        raise ValidationError(
            {"minutes_file": _("文件大小 %(size)s，超过上限。") % {"size": human_size(size)}}
        )
    try:
        kind = files.identify(upload)
    except files.RefusedFile as error:
        raise ValidationError({"minutes_file": str(error)}) from error
    meeting.minutes_file.save(f"minutes{kind.extensions[0]}", upload, save=False)
    stored: str = meeting.minutes_file.name
    return stored


def _save_meeting(
    meeting: Meeting, *, by: User, attendees: list[AttendeeInput] | None, upload: UploadedFile | None
) -> Meeting:
    stored = _store_minutes_file(meeting, upload) if upload is not None else ""
    try:
        meeting.full_clean()
        with set_actor(by):
            meeting.save()
            if attendees is not None:
                meeting.attendances.all().delete()
                for attendee in attendees:
                    row = Attendance(
                        meeting=meeting,
                        department=attendee.department,
                        name=attendee.name,
                        position=attendee.position,
                        is_absent=attendee.is_absent,
                    )
                    row.full_clean()
                    row.save()
    except BaseException:
        if stored:
            meeting.minutes_file.storage.delete(stored)
        raise
    return meeting


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("请填写会议名称，如“2026年第二次联席会议”。")})
    return title


@transaction.atomic
def create_meeting(
    *,
    by: User,
    body: GoverningBody,
    title: str,
    held_on: datetime.date,
    place: str = "",
    chair: str = "",
    minutes: str = "",
    minutes_number: str = "",
    minutes_upload: UploadedFile | None = None,
    attendees: Sequence[AttendeeInput] = (),
) -> Meeting:
    """Record a meeting of the body with its attendees and minutes (纪要: text, number, optional scan)."""
    _require_keeps(by, body)
    meeting = Meeting(
        body=body,
        title=_clean_title(title),
        held_on=held_on,
        place=place.strip(),
        chair=chair.strip(),
        minutes=minutes.strip(),
        minutes_number=minutes_number.strip(),
        created_by=by,
    )
    return _save_meeting(meeting, by=by, attendees=_clean_attendees(body, attendees), upload=minutes_upload)


@transaction.atomic
def update_meeting(
    *,
    by: User,
    meeting: Meeting,
    title: str,
    held_on: datetime.date,
    place: str = "",
    chair: str = "",
    minutes: str = "",
    minutes_number: str = "",
    attendees: Sequence[AttendeeInput] | None = None,
    minutes_upload: UploadedFile | None = None,
    clear_minutes_file: bool = False,
) -> Meeting:
    """Change a meeting. `attendees` replaces the whole list (None keeps it); a new upload replaces the scan."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body__region").get(pk=meeting.pk)
    )
    _require_keeps(by, meeting.body)
    earliest_due = meeting.agreed_items.order_by("due_on").values_list("due_on", flat=True).first()
    if earliest_due is not None and held_on > earliest_due:
        raise ValidationError(
            {
                "held_on": _("本次会议的议定事项最早在 %(due)s 办结，召开日期不能晚于它。")
                % {"due": earliest_due.isoformat()}
            }
        )
    cleaned = _clean_attendees(meeting.body, attendees) if attendees is not None else None
    old_file = meeting.minutes_file.name if meeting.minutes_file else ""
    meeting.title = _clean_title(title)
    meeting.held_on = held_on
    meeting.place = place.strip()
    meeting.chair = chair.strip()
    meeting.minutes = minutes.strip()
    meeting.minutes_number = minutes_number.strip()
    if clear_minutes_file and minutes_upload is None:
        meeting.minutes_file = None
    meeting = _save_meeting(meeting, by=by, attendees=cleaned, upload=minutes_upload)
    if old_file and (minutes_upload is not None or clear_minutes_file):
        storage = meeting.minutes_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return meeting


# --- agreed items -------------------------------------------------------------------------------------------------


def _check_owner(body: GoverningBody, owner: Department) -> None:
    if _membership(body, owner) is None:
        raise ValidationError(
            {"owner": _("%(owner)s 不是%(body)s的成员单位。") % {"owner": owner.name, "body": body.name}}
        )


def _check_due(meeting: Meeting, due_on: datetime.date) -> None:
    if due_on < meeting.held_on:
        raise ValidationError(
            {"due_on": _("办结时限不能早于会议召开日期 %(held)s。") % {"held": meeting.held_on.isoformat()}}
        )


def _clean_text(text: str, field: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: message})
    return text


@transaction.atomic
def add_agreed_item(
    *, by: User, meeting: Meeting, text: str, owner: Department, due_on: datetime.date
) -> AgreedItem:
    """An item agreed at the meeting (议定事项), owned by a member department, due by a date. Numbered 1, 2, …
    within the meeting in the order they are recorded."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body__region").get(pk=meeting.pk)
    )
    _require_keeps(by, meeting.body)
    text = _clean_text(text, "text", _("请写明议定事项的内容。"))
    _check_owner(meeting.body, owner)
    _check_due(meeting, due_on)
    last = meeting.agreed_items.aggregate(last=Max("number"))["last"] or 0
    item = AgreedItem(meeting=meeting, number=last + 1, text=text, owner=owner, due_on=due_on)
    item.full_clean()
    with set_actor(by):
        item.save()
    _record(
        item,
        by=by,
        note=_("会议议定，责任单位 %(owner)s，办结时限 %(due)s。")
        % {"owner": owner.name, "due": due_on.isoformat()},
        status_to=Status.OPEN,
    )
    return item


@transaction.atomic
def update_agreed_item(
    *, by: User, item: AgreedItem, text: str, owner: Department, due_on: datetime.date
) -> AgreedItem:
    """Correct an open item's text, owner or due date; a new owner or due date is noted in its history."""
    item = _locked_item(item)
    meeting = item.meeting
    _require_keeps(by, meeting.body)
    if item.status != Status.OPEN:
        raise ValidationError(
            _("议定事项当前为“%(status)s”，不能修改；如需继续办理，请先重新打开。")
            % {"status": item.get_status_display()}
        )
    text = _clean_text(text, "text", _("请写明议定事项的内容。"))
    _check_owner(meeting.body, owner)
    _check_due(meeting, due_on)
    changes: list[str] = []
    if owner.pk != item.owner_id:
        changes.append(_("责任单位由 %(old)s 调整为 %(new)s。") % {"old": item.owner.name, "new": owner.name})
    if due_on != item.due_on:
        changes.append(
            _("办结时限由 %(old)s 调整为 %(new)s。")
            % {"old": item.due_on.isoformat(), "new": due_on.isoformat()}
        )
    item.text, item.owner, item.due_on = text, owner, due_on
    item.full_clean()
    with set_actor(by):
        item.save()
    if changes:
        _record(item, by=by, note="".join(changes))
    return item


@transaction.atomic
def add_progress(*, by: User, item: AgreedItem, note: str) -> ItemProgress:
    """A progress note (办理进展) on an open item, by the owner's liaison or the office."""
    item = _locked_item(item)
    _require_works_on(by, item)
    if item.status != Status.OPEN:
        raise ValidationError(
            _("议定事项当前为“%(status)s”，不能再填报进展。") % {"status": item.get_status_display()}
        )
    note = _clean_text(note, "note", _("请写明办理进展。"))
    return _record(item, by=by, note=note)


@transaction.atomic
def close_item(
    *,
    by: User,
    item: AgreedItem,
    result: str,
    closed_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> AgreedItem:
    """The owner's liaison (or the office) closes the item with its result (办结). `closed_on` defaults to today
    and may be earlier (work finished before it was recorded), never later nor before the meeting."""
    today = _today(today)
    item = _locked_item(item)
    _require_works_on(by, item)
    _check_transition(item, Status.DONE)
    result = _clean_text(result, "result", _("请写明办理结果。"))
    closed_on = closed_on or today
    if closed_on > today:
        raise ValidationError({"closed_on": _("办结日期不能晚于今天。")})
    if closed_on < item.meeting.held_on:
        raise ValidationError(
            {
                "closed_on": _("办结日期不能早于会议召开日期 %(held)s。")
                % {"held": item.meeting.held_on.isoformat()}
            }
        )
    item.status, item.result, item.closed_on = Status.DONE, result, closed_on
    item.full_clean()
    with set_actor(by):
        item.save()
    _record(item, by=by, note=result, status_to=Status.DONE)
    return item


@transaction.atomic
def cancel_item(*, by: User, item: AgreedItem, reason: str, today: datetime.date | None = None) -> AgreedItem:
    """The office withdraws an open item (撤销), with a reason."""
    today = _today(today)
    item = _locked_item(item)
    if not can_keep_body(by, item.meeting.body):
        raise PermissionDenied(_("只有联席会议办公室（所在地创建办及其上级）可以撤销议定事项。"))
    _check_transition(item, Status.CANCELLED)
    reason = _clean_text(reason, "reason", _("请写明撤销的理由。"))
    item.status, item.result, item.closed_on = Status.CANCELLED, reason, today
    item.full_clean()
    with set_actor(by):
        item.save()
    _record(item, by=by, note=reason, status_to=Status.CANCELLED)
    return item


@transaction.atomic
def reopen_item(
    *, by: User, item: AgreedItem, reason: str, due_on: datetime.date | None = None
) -> AgreedItem:
    """The office reopens a closed item (the result was not enough), with a reason and optionally a new due date.
    The earlier result stays in the item's history."""
    item = _locked_item(item)
    if not can_keep_body(by, item.meeting.body):
        raise PermissionDenied(_("只有联席会议办公室（所在地创建办及其上级）可以重新打开议定事项。"))
    _check_transition(item, Status.OPEN)
    reason = _clean_text(reason, "reason", _("请写明重新打开的原因。"))
    note = reason
    if due_on is not None and due_on != item.due_on:
        _check_due(item.meeting, due_on)
        note += " " + _("办结时限调整为 %(due)s。") % {"due": due_on.isoformat()}
        item.due_on = due_on
    item.status, item.result, item.closed_on = Status.OPEN, "", None
    item.full_clean()
    with set_actor(by):
        item.save()
    _record(item, by=by, note=note, status_to=Status.OPEN)
    return item
