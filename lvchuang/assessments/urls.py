from django.urls import URLPattern, path

from lvchuang.assessments import views

app_name = "assessments"
urlpatterns: list[URLPattern] = [
    path("", views.assessment_list, name="list"),
    path("units/<int:unit_id>/", views.unit_assessments, name="unit_assessments"),
    path("units/<int:unit_id>/start/", views.start, name="start"),
    path("<int:assessment_id>/", views.assessment_detail, name="detail"),
    path("<int:assessment_id>/items/<int:item_id>/", views.save_item, name="save_item"),
    path("<int:assessment_id>/items/<int:item_id>/evidence/", views.upload_evidence, name="upload_evidence"),
    path("<int:assessment_id>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path(
        "<int:assessment_id>/evidence/<int:evidence_id>/thumbnail/",
        views.evidence_thumbnail,
        name="evidence_thumbnail",
    ),
    path(
        "<int:assessment_id>/evidence/<int:evidence_id>/delete/",
        views.delete_evidence,
        name="delete_evidence",
    ),
    path("<int:assessment_id>/complete/", views.complete, name="complete"),
    path("<int:assessment_id>/reopen/", views.reopen, name="reopen"),
    path("<int:assessment_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:assessment_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
