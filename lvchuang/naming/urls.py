from django.urls import URLPattern, path

from lvchuang.naming import views

app_name = "naming"
urlpatterns: list[URLPattern] = [
    path("", views.decision_list, name="decision_list"),
    path("notices/<int:notice_id>/decide/", views.decide, name="decide"),
    path("<int:decision_id>/", views.decision_detail, name="decision_detail"),
    path("<int:decision_id>/named-list.csv", views.named_list_csv, name="named_list_csv"),
    path("<int:decision_id>/named-list.xlsx", views.named_list_xlsx, name="named_list_xlsx"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/<int:payment_id>/pay/", views.award_pay, name="award_pay"),
    path("awards/<int:payment_id>/cancel/", views.award_cancel, name="award_cancel"),
    path("filings/", views.filing_list, name="filing_list"),
    path("filings/<int:filing_id>/file/", views.filing_file, name="filing_file"),
    path("filings/<int:filing_id>/acknowledge/", views.filing_acknowledge, name="filing_acknowledge"),
    path("filings/<int:filing_id>/materials/", views.filing_materials, name="filing_materials"),
]
