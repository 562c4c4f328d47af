from django.urls import URLPattern, path

from lvchuang.meetings import views

app_name = "meetings"

urlpatterns: list[URLPattern] = [
    path("", views.body_list, name="body_list"),
    path("bodies/<int:body_id>/", views.body_detail, name="body_detail"),
    path("bodies/<int:body_id>/liaisons/", views.liaison_add, name="liaison_add"),
    path("bodies/<int:body_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("liaisons/<int:liaison_id>/remove/", views.liaison_remove, name="liaison_remove"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes_file, name="meeting_minutes_file"),
    path("meetings/<int:meeting_id>/items/new/", views.item_create, name="item_create"),
    path("items/", views.item_list, name="item_list"),
    path("items/mine/", views.my_items, name="my_items"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:item_id>/close/", views.item_close, name="item_close"),
    path("items/<int:item_id>/cancel/", views.item_cancel, name="item_cancel"),
    path("items/<int:item_id>/reopen/", views.item_reopen, name="item_reopen"),
]
