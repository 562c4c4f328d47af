"""Authentication routes of the API: a token for scripts and other systems (`Authorization: Token <key>`)."""

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken


@extend_schema(
    tags=["用户与角色"],
    summary="获取令牌",
    auth=[],
    description="用用户名和密码换取 API 令牌；之后在请求头中发送 `Authorization: Token <令牌>`。",
)
class ObtainTokenView(ObtainAuthToken):
    pass


urlpatterns: list[URLPattern] = [
    path("token/", ObtainTokenView.as_view(), name="api-token"),
]
