from django.urls import URLPattern, path

from lvchuang.agenda import views

app_name = "agenda"

urlpatterns: list[URLPattern] = [
    path("", views.calendar, name="calendar"),
    path("feed-key/reset/", views.feed_key_reset, name="feed_key_reset"),
    path("feed/<str:key>.ics", views.feed, name="feed"),
]
