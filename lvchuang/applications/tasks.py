"""Mail sent by the task runner, never in the request: the unit hears of every step its application takes."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from lvchuang.accounts.models import Role, RoleAssignment
from lvchuang.applications.models import ApplicationEvent


@task()
def notify_unit_of_event(event_id: int) -> int:
    """Mail the unit's staff (and the unit's contact address) what happened; returns the number of recipients."""
    event = (
        ApplicationEvent.objects.select_related("application__unit", "application__campaign", "by")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    application = event.application
    recipients = set(
        RoleAssignment.objects.filter(role=Role.UNIT_STAFF, unit=application.unit)
        .exclude(user__email="")
        .exclude(user=event.by)
        .values_list("user__email", flat=True)
    )
    if application.unit.contact_email:
        recipients.add(application.unit.contact_email)
    if not recipients:
        return 0
    with override(settings.LANGUAGE_CODE):
        subject = _("【绿创】%(campaign)s：申报%(status)s") % {
            "campaign": application.campaign.name,
            "status": event.get_to_status_display(),
        }
        lines = [
            _("%(unit)s 的申报状态已变为“%(status)s”。")
            % {"unit": application.unit.name, "status": event.get_to_status_display()},
        ]
        if event.comment:
            lines.append(_("意见：%(comment)s") % {"comment": event.comment})
        for entry in event.item_comments:
            lines.append(f"· {entry['item']}：{entry['comment']}")
        lines.append(_("请登录绿创查看详情：/applications/%(id)s/") % {"id": application.pk})
    send_mail(subject, "\n".join(lines), None, sorted(recipients))
    return len(recipients)
