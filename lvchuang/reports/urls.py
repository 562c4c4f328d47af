from django.urls import URLPattern, path

from lvchuang.reports import views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("mine/", views.my_submissions, name="my_submissions"),
    path("campaigns/<int:campaign_id>/", views.campaign_requirements, name="campaign_requirements"),
    path("campaigns/<int:campaign_id>/new/", views.requirement_create, name="requirement_create"),
    path("campaigns/<int:campaign_id>/defaults/", views.add_defaults, name="add_defaults"),
    path("requirements/<int:requirement_id>/", views.requirement_detail, name="requirement_detail"),
    path("requirements/<int:requirement_id>/edit/", views.requirement_edit, name="requirement_edit"),
    path("requirements/<int:requirement_id>/delete/", views.requirement_delete, name="requirement_delete"),
    path("requirements/<int:requirement_id>/export.csv", views.requirement_csv, name="requirement_csv"),
    path("requirements/<int:requirement_id>/submit/", views.submit, name="submit"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:submission_id>/accept/", views.submission_accept, name="submission_accept"),
    path("submissions/<int:submission_id>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:submission_id>/file/", views.submission_file, name="submission_file"),
]
