"""Authentication routes of the API: a token for scripts and other systems (`Authorization: Token <key>`)."""

from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response


@extend_schema(
    tags=["用户与角色"],
    summary="获取令牌",
    auth=[],
    description="用用户名和密码换取 API 令牌；之后在请求头中发送 `Authorization: Token <令牌>`。",
)
class ObtainTokenView(ObtainAuthToken):
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["user"].must_change_password:
            # A password someone else set opens nothing, not even a token, until its owner changes it.
            raise PermissionDenied(_("请先登录网页修改初始密码，再获取令牌。"))
        return super().post(request, *args, **kwargs)


urlpatterns: list[URLPattern] = [
    path("token/", ObtainTokenView.as_view(), name="api-token"),
]
