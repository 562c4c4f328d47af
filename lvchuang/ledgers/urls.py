"""Routes of the resource ledgers. The views are split by area, each in its own module:

- `views`: the user's entry, the units in scope and each unit's records (basic information, monthly form,
  meters and readings, data rooms, heating, garbage removal);
- `summary_views`: indicators by region, department and type, charts, the official summary tables in Excel;
- `target_views`: annual targets and the coefficient tables;
- `import_views`: bulk import with progress and error reports;
- `quality_views`: data-quality flags and the editable rules.
"""

from django.urls import URLPattern, path

from lvchuang.ledgers import import_views, quality_views, summary_views, target_views, views

app_name = "ledgers"

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/<int:year>/info/", views.basic_info_edit, name="basic_info_edit"),
    path("units/<int:unit_id>/<int:year>/monthly/", views.monthly_edit, name="monthly_edit"),
    path("units/<int:unit_id>/<int:year>/data-rooms/", views.data_rooms, name="data_rooms"),
    path(
        "units/<int:unit_id>/<int:year>/data-rooms/<int:room_id>/delete/",
        views.data_room_delete,
        name="data_room_delete",
    ),
    path("units/<int:unit_id>/<int:year>/heating/", views.heating_edit, name="heating_edit"),
    path("units/<int:unit_id>/meters/", views.meter_list, name="meter_list"),
    path("units/<int:unit_id>/meters/<int:meter_id>/", views.meter_edit, name="meter_edit"),
    path(
        "units/<int:unit_id>/meters/<int:meter_id>/<int:year>/",
        views.meter_readings,
        name="meter_readings",
    ),
    path("units/<int:unit_id>/garbage/", views.garbage_list, name="garbage_list"),
    path("units/<int:unit_id>/garbage/<int:removal_id>/delete/", views.garbage_delete, name="garbage_delete"),
    path("summary/", summary_views.summary, name="summary"),
    path("summary/export.xlsx", summary_views.summary_export, name="summary_export"),
    path("targets/", target_views.target_list, name="target_list"),
    path("targets/new/", target_views.target_create, name="target_create"),
    path("targets/<int:target_id>/edit/", target_views.target_edit, name="target_edit"),
    path("targets/<int:target_id>/delete/", target_views.target_delete, name="target_delete"),
    path("factors/", target_views.factor_tables, name="factor_tables"),
    path("factors/<str:table>/new/", target_views.factor_create, name="factor_create"),
    path("factors/<str:table>/<int:row_id>/", target_views.factor_edit, name="factor_edit"),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/<int:batch_id>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:batch_id>/errors.csv", import_views.import_errors, name="import_errors"),
    path("imports/template.<str:layout>.<str:fmt>", import_views.import_template, name="import_template"),
    path("flags/", quality_views.flag_list, name="flag_list"),
    path("flags/<int:flag_id>/", quality_views.flag_action, name="flag_action"),
    path("rules/", quality_views.rule_list, name="rule_list"),
    path("rules/<int:rule_id>/", quality_views.rule_edit, name="rule_edit"),
    path("rules/ranges/<int:range_id>/", quality_views.range_edit, name="range_edit"),
]
