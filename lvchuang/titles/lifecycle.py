"""The title lifecycle: the only code that changes `Title.status` (docs/workflow.md, "Title lifecycle").

valid → under_rectification (a rectification order) → valid (accepted) or revoked (failed, overdue, decided);
valid or under_rectification → revoked (an event such as a major pollution accident, with a public reason and
the deciding document) or expired (the end of validity, seed 002: 5 years). A revocation made in error is undone
by `reinstate_revoked`, which names the correcting document. Each change writes a `TitleEvent`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.campaigns.models import Program
from lvchuang.titles.models import Title, TitleEvent

Status = Title.Status

IN_FORCE = (Status.VALID, Status.UNDER_RECTIFICATION)

# from → the states it may reach
ALLOWED: dict[str, tuple[str, ...]] = {
    Status.VALID: (Status.UNDER_RECTIFICATION, Status.REVOKED, Status.EXPIRED),
    Status.UNDER_RECTIFICATION: (Status.VALID, Status.REVOKED, Status.EXPIRED),
    Status.REVOKED: (Status.VALID,),
    Status.EXPIRED: (),
}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def valid_until_for(program: Program, named_on: datetime.date) -> datetime.date | None:
    """The last day of validity: `validity_years` after naming, less a day; None for a title without a term."""
    if program.validity_years is None:
        return None
    return add_years(named_on, program.validity_years) - datetime.timedelta(days=1)


@transaction.atomic
def change_status(
    *,
    title: Title,
    to: str,
    on: datetime.date,
    reason: str,
    by: User | None,
    document_number: str = "",
) -> Title:
    """Move a title to `to` if the lifecycle allows it, record the public reason and write the event."""
    title = Title.objects.select_for_update().get(pk=title.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请写明原因，它会在公开的核验页面上显示。")})
    if to not in ALLOWED[title.status]:
        raise ValidationError(
            _("称号当前为“%(status)s”，不能改为“%(to)s”。")
            % {"status": title.get_status_display(), "to": Status(to).label}
        )
    event = TitleEvent(
        title=title,
        from_status=title.status,
        to_status=to,
        on=on,
        reason=reason,
        document_number=document_number.strip(),
        by=by,
    )
    event.full_clean()
    event.save()
    title.status = to
    title.status_reason = reason
    title.status_changed_on = on
    title.save(update_fields=["status", "status_reason", "status_changed_on"])
    return title


def start_rectification(*, title: Title, by: User | None, on: datetime.date, reason: str) -> Title:
    return change_status(title=title, to=Status.UNDER_RECTIFICATION, on=on, reason=reason, by=by)


def end_rectification(*, title: Title, by: User | None, on: datetime.date, reason: str) -> Title:
    return change_status(title=title, to=Status.VALID, on=on, reason=reason, by=by)


def revoke(*, title: Title, by: User | None, on: datetime.date, reason: str, document_number: str) -> Title:
    """Revoke a title. The reason is public; the deciding document is required."""
    if not document_number.strip():
        raise ValidationError({"document_number": _("撤销称号须填写撤销决定的文号。")})
    return change_status(
        title=title, to=Status.REVOKED, on=on, reason=reason, by=by, document_number=document_number
    )


@transaction.atomic
def reinstate_revoked(
    *, title: Title, by: User | None, on: datetime.date, reason: str, document_number: str
) -> Title:
    """Undo a revocation made in error; the correcting document is required."""
    # The stored status, not the caller's copy, which may predate the revocation.
    title = Title.objects.select_for_update().get(pk=title.pk)
    if title.status != Status.REVOKED:
        raise ValidationError(_("只有已撤销的称号可以恢复。"))
    if not document_number.strip():
        raise ValidationError({"document_number": _("恢复称号须填写纠正决定的文号。")})
    return change_status(
        title=title, to=Status.VALID, on=on, reason=reason, by=by, document_number=document_number
    )


def expire_due(*, today: datetime.date) -> int:
    """Expire every title in force whose validity ended before `today`; returns how many."""
    count = 0
    due = Title.objects.filter(status__in=IN_FORCE, valid_until__lt=today).order_by("pk")
    for title in due:
        assert title.valid_until is not None
        change_status(
            title=title,
            to=Status.EXPIRED,
            on=title.valid_until + datetime.timedelta(days=1),
            reason=_("有效期至 %(date)s 届满") % {"date": title.valid_until.isoformat()},
            by=None,
        )
        count += 1
    return count
