"""Sign-in and sign-out keep Django's plain names (`login`, `logout`: settings.LOGIN_URL and the auth views use
them); the account pages live under the `accounts` namespace."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from lvchuang.accounts import views

account_patterns: list[URLPattern] = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    path("users/<int:user_id>/roles/grant/", views.grant_role, name="grant_role"),
    path("users/<int:user_id>/roles/<int:assignment_id>/revoke/", views.revoke_role, name="revoke_role"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include((account_patterns, "accounts"))),
]
