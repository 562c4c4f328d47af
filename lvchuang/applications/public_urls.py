"""The public goals page (no login): applicants' goals and measures, and residents' comments (seed 000)."""

from django.urls import URLPattern, path

from lvchuang.applications import public_views

app_name = "public_goals"
urlpatterns: list[URLPattern] = [
    path("", public_views.campaign_list, name="list"),
    path("<int:campaign_id>/", public_views.campaign_goals, name="campaign"),
    path(
        "<int:campaign_id>/<int:application_id>/comment/",
        public_views.comment,
        name="comment",
    ),
]
