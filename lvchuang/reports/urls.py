from django.urls import URLPattern, path

app_name = "reports"

urlpatterns: list[URLPattern] = []
