from django.urls import URLPattern, path

from lvchuang.web import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
]
