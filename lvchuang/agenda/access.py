"""Who reaches which calendar (STYLE habit 3).

The calendar shows every user their own scope: `events.events_for` builds it from the other apps' access helpers
(`visible_campaigns`, `visible_notices`, `visible_orders`, `visible_agreed_items`, the reports selectors), so it
holds nothing of its own to protect but the feed. The feed is fetched without a session: its secret key stands for
the user. An unknown or replaced key, and an inactive user's key, answer 404 like anything else out of reach.
"""

from __future__ import annotations

from django.http import Http404

from lvchuang.agenda.models import FeedToken


def access_feed_by_key(key: str) -> FeedToken:
    token = FeedToken.objects.select_related("user").filter(key=key, user__is_active=True).first()
    if token is None:
        raise Http404
    return token
