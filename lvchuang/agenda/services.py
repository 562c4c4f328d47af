"""Writes of the calendar: the private address of a user's ICS feed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from lvchuang.accounts.models import User
from lvchuang.agenda.models import FeedToken, new_feed_key


def feed_token_for(user: User) -> FeedToken:
    """The user's feed token, made on first use (the calendar page shows its address)."""
    if not user.is_active:
        raise PermissionDenied
    token, _created = FeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def reset_feed_key(*, by: User) -> FeedToken:
    """Replace the secret of `by`'s feed address: the old address answers 404 from now on. The key is not
    audited: the audit trail is read by offices above, and the key alone opens the feed."""
    if not by.is_active:
        raise PermissionDenied
    token = FeedToken.objects.select_for_update().filter(user=by).first() or FeedToken(user=by)
    token.key = new_feed_key()
    token.full_clean()
    token.save()
    return token
