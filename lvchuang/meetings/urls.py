from django.urls import URLPattern, path

app_name = "meetings"

urlpatterns: list[URLPattern] = []
