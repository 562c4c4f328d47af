from django.urls import URLPattern, path

from lvchuang.reviews import views

app_name = "reviews"
urlpatterns: list[URLPattern] = [
    path("", views.my_reviews, name="my_reviews"),
    path("profile/", views.profile, name="profile"),
    path("profile/conflicts/", views.conflict_add, name="conflict_add"),
    path("profile/conflicts/<int:conflict_id>/delete/", views.conflict_delete, name="conflict_delete"),
    path("<int:review_id>/", views.review_detail, name="review_detail"),
    path("<int:review_id>/items/<int:item_id>/", views.save_score, name="save_score"),
    path("<int:review_id>/items/<int:item_id>/photos/", views.upload_photo, name="upload_photo"),
    path("<int:review_id>/photos/<int:photo_id>/", views.photo_file, name="photo_file"),
    path("<int:review_id>/submit/", views.submit, name="submit"),
    path("campaigns/<int:campaign_id>/", views.dashboard, name="dashboard"),
    path("campaigns/<int:campaign_id>/spot-checks/", views.spot_checks, name="spot_checks"),
    path("campaigns/<int:campaign_id>/combine/", views.combine, name="combine"),
    path("campaigns/<int:campaign_id>/rank/", views.rank, name="rank"),
    path("spot-checks/<int:spot_check_id>/", views.spot_check_detail, name="spot_check_detail"),
    path("applications/<int:application_id>/panel/", views.assign_panel, name="assign_panel"),
    path("rankings/<int:ranking_id>/", views.ranking_detail, name="ranking_detail"),
]
