from django.urls import URLPattern, path

app_name = "targets"

urlpatterns: list[URLPattern] = []
