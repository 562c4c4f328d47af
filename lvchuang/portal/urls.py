"""The public portal, mounted at /public/ (the public goals and notices have their own includes before it)."""

from django.urls import URLPattern, path

from lvchuang.portal import views

app_name = "portal"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("registry/", views.registry, name="registry"),
    path("registry.csv", views.registry_csv, name="registry_csv"),
    path("registry.json", views.registry_json, name="registry_json"),
    path("named/", views.named_years, name="named_years"),
    path("named/<int:year>/", views.named, name="named"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:number>/", views.verify, name="verify"),
]
