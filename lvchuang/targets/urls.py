from django.urls import URLPattern, path

from lvchuang.targets import views

app_name = "targets"

urlpatterns: list[URLPattern] = [
    path("", views.target_list, name="target_list"),
    path("new/", views.target_create, name="target_create"),
    path("<int:target_id>/", views.target_detail, name="target_detail"),
    path("<int:target_id>/edit/", views.target_edit, name="target_edit"),
    path("<int:target_id>/milestones/", views.target_milestones, name="target_milestones"),
    path("<int:target_id>/active/", views.target_active, name="target_active"),
    path("<int:target_id>/export.xlsx", views.target_export_xlsx, name="target_export_xlsx"),
    path("<int:target_id>/export.pdf", views.target_export_pdf, name="target_export_pdf"),
    path("quota/<int:campaign_id>/", views.quota_usage, name="quota_usage"),
]
