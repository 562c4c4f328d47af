"""The titles API, scoped like the pages (`titles.access`); every write is one service call.

- `GET /api/titles/` (filters q, program, level, year, status, region), `GET /api/titles/{id}/` (with events);
- `POST /api/titles/{id}/revoke/` and `…/reinstate/` ({reason, document_number, on}),
  `POST …/certificate-number/`, `GET …/certificate.pdf` and `…/plaque.pdf`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.naming import services as naming
from lvchuang.titles import certificates, services
from lvchuang.titles.access import access_title_by_id, visible_titles
from lvchuang.titles.forms import filter_titles
from lvchuang.titles.models import Title
from lvchuang.titles.serializers import (
    TitleDetailSerializer,
    TitleFilters,
    TitleSerializer,
    TitleStatusChangeSerializer,
)

TAG = "称号"
NOT_FOUND = OpenApiResponse(description="称号不存在，或不在您的辖区内。")
REFUSED = OpenApiResponse(description="您可以查看，但无权办理此操作。")
INVALID = OpenApiResponse(description="输入有误或当前不能办理：按字段列出原因。")
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="PDF 文件。")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="称号列表", description="您辖区内各单位的称号。", parameters=[TitleFilters]),
    retrieve=extend_schema(
        summary="称号详情",
        description="含状态变更记录和公开核验地址。",
        responses={200: TitleDetailSerializer, 404: NOT_FOUND},
    ),
)
class TitleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Title]):
    serializer_class = TitleSerializer
    queryset = Title.objects.none()

    def get_queryset(self) -> QuerySet[Title]:
        titles = visible_titles(current_user(self.request))
        if self.action != "list":
            return titles
        filters = parse_filters(TitleFilters, self.request)
        return filter_titles(
            titles,
            q=filters.get("q", ""),
            program_id=filters.get("program"),
            level=filters.get("level", ""),
            year=filters.get("year"),
            status=filters.get("status", ""),
            region=filters.get("region", ""),
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Title]]:
        return TitleDetailSerializer if self.action != "list" else TitleSerializer

    def get_object(self) -> Title:
        return access_title_by_id(current_user(self.request), self.kwargs["pk"])

    def _detail(self, title: Title) -> Response:
        title = access_title_by_id(current_user(self.request), title.pk)
        return Response(TitleDetailSerializer(title, context={"request": self.request}).data)

    def _change(self, request: Request, pk: str) -> tuple[Title, dict[str, Any]]:
        title = access_title_by_id(current_user(request), pk, for_change=True)
        data = TitleStatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return title, dict(data.validated_data)

    @extend_schema(
        summary="撤销称号",
        description="有效期内发生重大污染事故等事件时撤销称号；原因公开显示，须填写撤销决定文号。未拨付的奖励同时取消。",
        request=TitleStatusChangeSerializer,
        responses={200: TitleDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        title, data = self._change(request, pk)
        with service_errors():
            naming.revoke_title(
                by=current_user(request),
                title=title,
                reason=data["reason"],
                document_number=data["document_number"],
                on=data.get("on"),
            )
        return self._detail(title)

    @extend_schema(
        summary="恢复被错误撤销的称号",
        description="凭纠正决定文号恢复为有效；撤销记录保留。",
        request=TitleStatusChangeSerializer,
        responses={200: TitleDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reinstate(self, request: Request, pk: str) -> Response:
        title, data = self._change(request, pk)
        with service_errors():
            services.reinstate_title(
                by=current_user(request),
                title=title,
                reason=data["reason"],
                document_number=data["document_number"],
                on=data.get("on"),
            )
        return self._detail(title)

    @extend_schema(
        summary="生成证书编号",
        description="为按纸质命名文件登记、还没有证书编号的称号生成编号。",
        request=None,
        responses={200: TitleDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="certificate-number", url_name="certificate-number")
    def certificate_number(self, request: Request, pk: str) -> Response:
        title = access_title_by_id(current_user(request), pk, for_change=True)
        with service_errors():
            services.issue_certificate_number(by=current_user(request), title=title)
        return self._detail(title)

    def _pdf(self, request: Request, pk: str, kind: str) -> HttpResponse:
        title = self.get_object()
        if not title.certificate_number:
            raise exceptions.ValidationError({"certificate_number": "该称号还没有证书编号，请先生成。"})
        url = certificates.verification_url(request, title.certificate_number)
        if kind == "plaque":
            body, label = certificates.plaque_pdf(title, url=url), "牌匾"
        else:
            body, label = certificates.certificate_pdf(title, url=url), "证书"
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = certificates.disposition(title, label)
        return response

    @extend_schema(summary="证书（PDF）", responses={200: PDF, 400: INVALID, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path=r"certificate\.pdf", url_name="certificate-pdf")
    def certificate_pdf(self, request: Request, pk: str) -> HttpResponse:
        return self._pdf(request, pk, "certificate")

    @extend_schema(summary="牌匾标签（PDF）", responses={200: PDF, 400: INVALID, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path=r"plaque\.pdf", url_name="plaque-pdf")
    def plaque_pdf(self, request: Request, pk: str) -> HttpResponse:
        return self._pdf(request, pk, "plaque")


def register(router: DefaultRouter) -> None:
    router.register("titles", TitleViewSet, basename="title")
