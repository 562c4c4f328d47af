"""The joint meeting (联席会议, seed 004) and the other governing bodies at work: who speaks for each member
department (联络员), meetings with attendees and minutes (纪要), and the agreed items (议定事项) each meeting hands
to an owner with a due date, tracked to done (docs/workflow.md).

The body's office (`GoverningBody.office`) and the offices above it keep the record; a member department acts
through its liaisons, users who hold the leadership-member role on the body: they report progress on their
department's items and mark them done, and they file the member's quarterly reports (`reports`).
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.assessments import files
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody


def minutes_path(instance: Meeting, filename: str) -> str:
    return files.private_name("minutes", filename)


class Liaison(models.Model):
    """A user who acts for a member department in a body (成员单位联络员)."""

    membership = models.ForeignKey(
        BodyMembership, verbose_name=_("成员单位"), on_delete=models.CASCADE, related_name="liaisons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("联络员"), on_delete=models.CASCADE, related_name="liaisons"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("成员单位联络员")
        verbose_name_plural = _("成员单位联络员")
        ordering = ["membership_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "user"], name="liaison_once_per_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.department} · {self.user}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.membership.body.region.path}


class Meeting(models.Model):
    body = models.ForeignKey(
        GoverningBody, verbose_name=_("领导机构"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=150, help_text=_("如：2026年第二次联席会议"))
    held_on = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=150, blank=True)
    chair = models.CharField(_("主持人"), max_length=60, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    minutes_number = models.CharField(
        _("纪要编号"), max_length=80, blank=True, help_text=_("如：县绿创联席〔2026〕2号")
    )
    minutes_file = models.FileField(_("纪要扫描件"), upload_to=minutes_path, blank=True, max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.body.region.path}


class Attendance(models.Model):
    """One attendee of a meeting, for a member department or in their own capacity (列席)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendances"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=40)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    is_absent = models.BooleanField(_("请假"), default=False)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting_id", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.meeting.body.region.path}


class AgreedItem(models.Model):
    """An item agreed at a meeting (议定事项), owned by a member department until it is done."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")
        CANCELLED = "cancelled", _("已撤销")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agreed_items"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("议定事项"), max_length=1000)
    owner = models.ForeignKey(
        Department, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="agreed_items"
    )
    due_on = models.DateField(_("办结时限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agreed_item_number_once_per_meeting"),
            models.CheckConstraint(
                name="agreed_item_closed_when_done",
                condition=models.Q(status="open", closed_on__isnull=True)
                | (~models.Q(status="open") & models.Q(closed_on__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="agreed_item_owner_due")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.meeting.body.region.path}


class ItemProgress(models.Model):
    """A progress note on an agreed item (办理进展), by the owner's liaison or the body's office."""

    item = models.ForeignKey(
        AgreedItem, verbose_name=_("议定事项"), on_delete=models.CASCADE, related_name="progress"
    )
    note = models.TextField(_("进展情况"), max_length=2000)
    status_to = models.CharField(_("状态变为"), max_length=10, choices=AgreedItem.Status.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理进展")
        verbose_name_plural = _("办理进展")
        ordering = ["item_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item} · {self.at:%Y-%m-%d}"


auditlog.register(Liaison)
auditlog.register(Meeting)
auditlog.register(Attendance)
auditlog.register(AgreedItem)
