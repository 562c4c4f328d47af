from django.urls import URLPattern, path

app_name = "agenda"

urlpatterns: list[URLPattern] = []
