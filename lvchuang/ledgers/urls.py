from django.urls import URLPattern, path

from lvchuang.ledgers import views

app_name = "ledgers"

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
]
