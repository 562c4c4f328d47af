"""The public notice pages and feeds, no login (mounted at /public/notices/)."""

from django.urls import URLPattern, path

from lvchuang.notices import feeds, public_views

app_name = "public_notices"
urlpatterns: list[URLPattern] = [
    path("", public_views.notice_list, name="list"),
    path("<int:notice_id>/", public_views.notice_detail, name="detail"),
    path("<int:notice_id>/object/", public_views.object_to, name="object"),
    path("case/<str:token>/", public_views.case, name="case"),
    path("rss/", feeds.NoticeRssFeed(), name="rss"),
    path("atom/", feeds.NoticeAtomFeed(), name="atom"),
]
