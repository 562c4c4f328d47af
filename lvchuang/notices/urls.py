"""Office pages of notices and objections, and the holiday calendar (mounted at /notices/)."""

from django.urls import URLPattern, path

from lvchuang.notices import views

app_name = "notices"
urlpatterns: list[URLPattern] = [
    path("", views.notice_list, name="list"),
    path("new/<int:campaign_id>/", views.notice_create, name="create"),
    path("<int:notice_id>/", views.notice_detail, name="detail"),
    path("<int:notice_id>/edit/", views.notice_edit, name="edit"),
    path("<int:notice_id>/delete/", views.notice_delete, name="delete"),
    path("<int:notice_id>/publish/", views.notice_publish, name="publish"),
    path("<int:notice_id>/close/", views.notice_close, name="close"),
    path("objections/<int:objection_id>/", views.objection_detail, name="objection"),
    path("objections/<int:objection_id>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("objections/<int:objection_id>/investigate/", views.objection_investigate, name="investigate"),
    path("objections/<int:objection_id>/decide/", views.objection_decide, name="decide"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/add/", views.override_add, name="override_add"),
    path("calendar/<int:override_id>/delete/", views.override_delete, name="override_delete"),
]
