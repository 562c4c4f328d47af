from django.urls import URLPattern, path

from lvchuang.supervision import views

app_name = "supervision"
urlpatterns: list[URLPattern] = [
    path("", views.reinspection_list, name="reinspection_list"),
    path("reinspections/new/", views.reinspection_create, name="reinspection_create"),
    path("reinspections/<int:reinspection_id>/", views.reinspection_detail, name="reinspection_detail"),
    path("reinspections/<int:reinspection_id>/draw/", views.reinspection_draw, name="reinspection_draw"),
    path("reinspections/<int:reinspection_id>/close/", views.reinspection_close, name="reinspection_close"),
    path("inspections/<int:inspection_id>/", views.inspection_record, name="inspection_record"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:order_id>/", views.order_detail, name="order_detail"),
    path("orders/<int:order_id>/report/", views.order_report, name="order_report"),
    path("orders/<int:order_id>/file/", views.order_file, name="order_file"),
    path("orders/<int:order_id>/decide/", views.order_decide, name="order_decide"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/decide/", views.proposal_decide, name="proposal_decide"),
    path("titles/<int:title_id>/", views.title_supervision, name="title_supervision"),
    path("titles/<int:title_id>/order/", views.title_issue_order, name="title_issue_order"),
    path("titles/<int:title_id>/propose/", views.title_propose, name="title_propose"),
]
