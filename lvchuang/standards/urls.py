from django.urls import URLPattern, path

from lvchuang.standards import views

app_name = "standards"
urlpatterns: list[URLPattern] = [
    path("", views.library, name="library"),
    path("new/", views.standard_create, name="standard_create"),
    path("import/", views.standard_import, name="standard_import"),
    path("versions/<int:version_id>/", views.version_detail, name="version_detail"),
    path("versions/<int:version_id>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:version_id>/copy/", views.version_copy, name="version_copy"),
    path("versions/<int:version_id>/adopt/", views.version_adopt, name="version_adopt"),
    path("versions/<int:version_id>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:version_id>/confirm/", views.version_confirm, name="version_confirm"),
    path("versions/<int:version_id>/export/<str:fmt>/", views.version_export, name="version_export"),
    path("versions/<int:version_id>/import/", views.version_import, name="version_import"),
    path("versions/<int:version_id>/diff/", views.version_diff, name="version_diff"),
    path("versions/<int:version_id>/items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:item_id>/move/", views.item_move, name="item_move"),
    path("versions/<int:version_id>/bands/new/", views.band_create, name="band_create"),
    path("bands/<int:band_id>/edit/", views.band_edit, name="band_edit"),
    path("bands/<int:band_id>/delete/", views.band_delete, name="band_delete"),
]
