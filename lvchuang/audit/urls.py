from django.urls import URLPattern, path

from lvchuang.audit import views

app_name = "audit"
urlpatterns: list[URLPattern] = [
    path("", views.entry_list, name="list"),
    path("export.csv", views.entry_export, name="export"),
]
