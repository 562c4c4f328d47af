"""The ledger import API, scoped like the pages (`importing.access_batch_by_id`: a batch is its uploader's):

- `GET /api/ledgers/imports/` (the user's files, newest first), `GET /api/ledgers/imports/{id}/` (status,
  progress, counts — poll it while `status` is queued or running);
- `POST /api/ledgers/imports/` (multipart: `file`, optional `layout`) — 201 with the queued batch;
- `GET /api/ledgers/imports/{id}/errors/` — the error report (CSV, UTF-8 with BOM);
- `GET /api/ledgers/imports/template/?layout=official|long&fmt=csv|xlsx` — an empty file of a layout.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.api import current_user, service_errors
from lvchuang.ledgers import importing
from lvchuang.ledgers.import_views import error_report_response, template_response
from lvchuang.ledgers.models import ImportBatch

TAG = "能源资源台账·批量导入"
NOT_FOUND = OpenApiResponse(description="不存在，或不是您上传的文件。")
REFUSED = OpenApiResponse(description="您没有可以填报台账的单位。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误。")
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="文件。")


def _values(choices: Any) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


class ImportBatchSerializer(serializers.ModelSerializer[ImportBatch]):
    layout = serializers.CharField(
        read_only=True, help_text="空表示尚未识别；" + _values(ImportBatch.Layout.choices)
    )
    status = serializers.CharField(read_only=True, help_text=_values(ImportBatch.Status.choices))
    percent = serializers.IntegerField(
        read_only=True, label="进度（%）", help_text="已读取字节占文件大小的百分比。"
    )
    has_error_report = serializers.SerializerMethodField(label="有错误报告")

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "original_name",
            "sha256",
            "size",
            "layout",
            "status",
            "percent",
            "bytes_done",
            "rows_read",
            "created",
            "updated",
            "unchanged",
            "error_count",
            "has_error_report",
            "message",
            "uploaded_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_has_error_report(self, batch: ImportBatch) -> bool:
        return bool(batch.error_report)


class ImportUploadSerializer(serializers.Serializer[dict[str, Any]]):
    file = serializers.FileField(
        label="文件", help_text="CSV（UTF-8 或 GB18030）或 XLSX（只读第一个工作表）。"
    )
    layout = serializers.ChoiceField(
        choices=[("", "按表头自动识别"), *ImportBatch.Layout.choices],
        required=False,
        default="",
        allow_blank=True,
        label="格式",
    )


class TemplateQuerySerializer(serializers.Serializer[dict[str, Any]]):
    layout = serializers.ChoiceField(choices=ImportBatch.Layout.choices, label="格式")
    fmt = serializers.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")], label="文件类型")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="我的导入", description="您上传的台账文件，最新的在前（系统管理员可见全部）。"
    ),
    retrieve=extend_schema(
        summary="导入详情",
        description="状态、进度和结果。status 为 queued 或 running 时可轮询；rejected 表示有错误、未写入任何数据。",
        responses={200: ImportBatchSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="上传并导入",
        description="上传 CSV 或 XLSX 文件（统计报表格式或长表格式），排队导入。整份文件逐行校验，"
        "任何一行出错则全部不导入；同一文件重复导入不产生变化。",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportBatchSerializer, 400: INVALID, 403: REFUSED},
    ),
)
class ImportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ImportBatch],
):
    serializer_class = ImportBatchSerializer
    queryset = ImportBatch.objects.none()
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return importing.visible_batches(current_user(self.request))

    def get_object(self) -> ImportBatch:
        return importing.access_batch_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        if not importing.can_import(user):
            raise exceptions.PermissionDenied("您没有可以填报台账的单位。")
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            batch = importing.start_import(
                by=user, upload=data.validated_data["file"], layout=data.validated_data["layout"]
            )
        batch.refresh_from_db()  # the task may already have run it
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="下载错误报告",
        description="行号、列、值、问题：列出每个错误行（UTF-8 带 BOM 的 CSV，Excel 可直接打开）。",
        responses={200: FILE, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def errors(self, request: Request, pk: str) -> FileResponse:
        return error_report_response(self.get_object())

    @extend_schema(
        summary="下载空白模板",
        parameters=[
            OpenApiParameter(
                "layout", str, required=True, enum=ImportBatch.Layout.values, description="格式"
            ),
            OpenApiParameter("fmt", str, required=True, enum=["csv", "xlsx"], description="文件类型"),
        ],
        responses={200: FILE, 400: INVALID},
    )
    @action(detail=False, methods=["get"])
    def template(self, request: Request) -> HttpResponse:
        query = TemplateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return template_response(query.validated_data["layout"], query.validated_data["fmt"])


def register(router: BaseRouter) -> None:
    router.register("ledgers/imports", ImportViewSet, basename="ledger-import")
