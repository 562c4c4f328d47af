from django.urls import URLPattern, path

from lvchuang.regions import views

app_name = "regions"
urlpatterns: list[URLPattern] = [
    path("", views.region_list, name="list"),
    path("<str:code>/", views.region_detail, name="detail"),
]
