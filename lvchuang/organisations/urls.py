from django.urls import URLPattern, path

from lvchuang.organisations import views

app_name = "organisations"
urlpatterns: list[URLPattern] = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/history/", views.unit_history, name="unit_history"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/<int:office_id>/", views.office_detail, name="office_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<int:department_id>/", views.department_detail, name="department_detail"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<int:body_id>/", views.body_detail, name="body_detail"),
]
