"""Mail to an objector, sent by the task runner after the case is saved, never in the request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from lvchuang.notices.models import Objection


@task()
def mail_objector(objection_id: int, kind: str, site_root: str = "") -> int:
    """`kind` "acknowledge": the case number and private link; "reply": the office's written reply.
    Returns the number of messages sent (0 when the objector gave no e-mail)."""
    objection = Objection.objects.select_related("notice", "entry__unit").filter(pk=objection_id).first()
    if objection is None or not objection.email:
        return 0
    link = site_root.rstrip("/") + reverse("public_notices:case", args=[objection.token])
    with override(settings.LANGUAGE_CODE):
        values = {
            "case": objection.case_number,
            "notice": objection.notice.title,
            "unit": objection.entry.unit.name,
            "status": objection.get_status_display(),
        }
        if kind == "reply":
            subject = _("【绿创】异议 %(case)s 已办结：%(status)s") % values
            lines = [
                _("您对“%(notice)s”中 %(unit)s 提出的异议（案件编号 %(case)s）已办结，结论：%(status)s。")
                % values,
                _("书面答复："),
                objection.reply,
            ]
        else:
            subject = _("【绿创】已受理您的异议 %(case)s") % values
            lines = [
                _("您对“%(notice)s”中 %(unit)s 提出的异议已受理，案件编号 %(case)s。") % values,
                _("受理单位将调查核实并作出书面答复。"),
            ]
        lines += [_("查看办理进度（请勿转发此链接）：%(link)s") % {"link": link}]
    send_mail(subject, "\n".join(lines), None, [objection.email])
    return 1
