"""The calendar of every deadline in a user's scope (`agenda/events.py` collects them) and the private address
of its ICS feed, which a calendar program fetches without a session."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret in a user's calendar feed address; replacing it turns the old address off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="feed_token"
    )
    key = models.CharField(_("订阅密钥"), max_length=64, unique=True, default=new_feed_key)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("日程订阅地址")
        verbose_name_plural = _("日程订阅地址")

    def __str__(self) -> str:
        return str(self.user)
