from django.urls import URLPattern, path

from lvchuang.titles import views

app_name = "titles"
urlpatterns: list[URLPattern] = [
    path("", views.title_list, name="list"),
    path("<int:title_id>/", views.title_detail, name="detail"),
    path("<int:title_id>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("<int:title_id>/plaque.pdf", views.plaque_pdf, name="plaque_pdf"),
    path("<int:title_id>/revoke/", views.revoke, name="revoke"),
    path("<int:title_id>/reinstate/", views.reinstate, name="reinstate"),
    path("<int:title_id>/certificate-number/", views.issue_number, name="issue_number"),
]
