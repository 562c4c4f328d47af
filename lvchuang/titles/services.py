"""Writes to the title registry that are not a naming decision: certificate numbers and reinstatement.

Status changes go through `titles.lifecycle`; these services add the actor check (`access.can_manage_title`).
Revoking a title also cancels its unpaid awards, so it lives with the awards in `naming.services.revoke_title`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.titles import lifecycle
from lvchuang.titles.access import can_manage_title, issuer_path
from lvchuang.titles.models import Title

SEQUENCE_DIGITS = 5
# A title named by no office of the system (a national title recorded from paper) numbers under this place.
NATIONAL_PLACE = "00"


def certificate_prefix(year: int, region_path: str) -> str:
    return f"{year}-{region_path or NATIONAL_PLACE}-"


def next_certificate_number(*, year: int, region_path: str) -> str:
    """The next free number of the year at the issuing office's place, e.g. "2026-4301-00017".

    Read inside the caller's transaction; the unique constraint on `certificate_number` turns a concurrent
    duplicate into an error rather than two certificates with one number.
    """
    prefix = certificate_prefix(year, region_path)
    taken = Title.objects.filter(certificate_number__startswith=prefix).values_list(
        "certificate_number", flat=True
    )
    last = max((int(number[len(prefix) :]) for number in taken if number[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:0{SEQUENCE_DIGITS}d}"


def require_not_before_naming(title: Title, on: datetime.date) -> None:
    """A decision about a title cannot predate the title."""
    if on < title.named_on:
        raise ValidationError(
            {"on": _("日期不能早于命名日期 %(date)s。") % {"date": title.named_on.isoformat()}}
        )


@transaction.atomic
def issue_certificate_number(*, by: User, title: Title) -> Title:
    """Give a title recorded from a paper decision its certificate number, so a certificate can be printed."""
    if not can_manage_title(by, title):
        raise PermissionDenied
    title = Title.objects.select_for_update().get(pk=title.pk)
    if title.certificate_number:
        raise ValidationError(_("该称号已有证书编号 %(number)s。") % {"number": title.certificate_number})
    title.certificate_number = next_certificate_number(year=title.year, region_path=issuer_path(title))
    title.save(update_fields=["certificate_number"])
    return title


@transaction.atomic
def reinstate_title(
    *,
    by: User,
    title: Title,
    reason: str,
    document_number: str,
    on: datetime.date | None = None,
) -> Title:
    """Undo a revocation made in error, naming the correcting document (its awards stay as they are)."""
    if not can_manage_title(by, title):
        raise PermissionDenied
    on = on or timezone.localdate()
    require_not_before_naming(title, on)
    return lifecycle.reinstate_revoked(
        title=title,
        by=by,
        on=on,
        reason=reason,
        document_number=document_number,
    )
