from django.urls import URLPattern, path

from lvchuang.applications import views

app_name = "applications"
urlpatterns: list[URLPattern] = [
    path("", views.mine, name="mine"),
    path("start/", views.start, name="start"),
    path("queue/", views.queue, name="queue"),
    path("all/", views.application_list, name="list"),
    path("<int:application_id>/", views.application_detail, name="detail"),
    path("<int:application_id>/transition/", views.transition, name="transition"),
    path("<int:application_id>/goals/", views.save_goals, name="save_goals"),
    path("<int:application_id>/publish/", views.publish, name="publish"),
    path("<int:application_id>/consent/", views.consent, name="consent"),
    path(
        "<int:application_id>/comments/<int:comment_id>/hide/",
        views.hide_comment,
        name="hide_comment",
    ),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/add/", views.batch_add, name="batch_add"),
    path("batches/<int:batch_id>/remove/", views.batch_remove, name="batch_remove"),
    path("batches/<int:batch_id>/scan/", views.batch_upload_scan, name="batch_upload_scan"),
    path("batches/<int:batch_id>/scan/file/", views.batch_scan, name="batch_scan"),
    path("batches/<int:batch_id>/submit/", views.batch_submit, name="batch_submit"),
    path("batches/<int:batch_id>/return/", views.batch_return, name="batch_return"),
    path("batches/<int:batch_id>/form.xlsx", views.batch_form_xlsx, name="batch_form_xlsx"),
    path("batches/<int:batch_id>/form.pdf", views.batch_form_pdf, name="batch_form_pdf"),
]
