from django.urls import URLPattern, path

from lvchuang.campaigns import views

app_name = "campaigns"
urlpatterns: list[URLPattern] = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/overrides/", views.override_create, name="override_create"),
    path("<int:campaign_id>/allocations/", views.allocation_set, name="allocation_set"),
    path("<int:campaign_id>/quota/", views.quota, name="quota"),
    path("<int:campaign_id>/eligibility/", views.eligibility, name="eligibility"),
    path("<int:campaign_id>/stages/new/", views.stage_create, name="stage_create"),
    path("<int:campaign_id>/stages/<int:stage_id>/edit/", views.stage_edit, name="stage_edit"),
    path("<int:campaign_id>/stages/<int:stage_id>/delete/", views.stage_delete, name="stage_delete"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/<int:program_id>/", views.program_detail, name="program_detail"),
    path("programs/<int:program_id>/copy/", views.program_copy, name="program_copy"),
    path("programs/<int:program_id>/edit/", views.program_edit, name="program_edit"),
]
