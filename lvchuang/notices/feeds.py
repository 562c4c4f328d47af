"""RSS and Atom feeds of published notices, for newsrooms and residents' readers (django.contrib.syndication,
which needs no entry in INSTALLED_APPS: without the sites framework it takes the host from the request)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from lvchuang.notices.models import Notice
from lvchuang.notices.public_views import published_notices

FEED_SIZE = 30

if TYPE_CHECKING:
    NoticeFeedBase = Feed[Notice, None]
else:  # Feed is generic only in the type stubs
    NoticeFeedBase = Feed


class NoticeRssFeed(NoticeFeedBase):
    def title(self) -> str:
        return _("绿创 · 公示")

    def description(self) -> str:
        return _("绿色创建拟命名名单的公示，公示期内可以实名提出异议。")

    def link(self) -> str:
        return reverse("public_notices:list")

    def items(self) -> QuerySet[Notice]:
        return published_notices().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item: Notice) -> str:
        return item.title

    def item_description(self, item: Notice) -> str:
        window = ""
        if item.starts_on and item.ends_on:
            window = _("公示期：%(start)s 至 %(end)s。") % {
                "start": item.starts_on.isoformat(),
                "end": item.ends_on.isoformat(),
            }
        return f"{item.campaign.office.name}。{window}{item.body}"

    def item_link(self, item: Notice) -> str:
        return reverse("public_notices:detail", args=[item.pk])

    def item_pubdate(self, item: Notice) -> datetime.datetime | None:
        return item.published_at

    def item_author_name(self, item: Notice) -> str:
        return item.campaign.office.name


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
