"""The API of regions and division imports: read only, scoped like the pages (`accounts.access`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from lvchuang.accounts import access
from lvchuang.accounts.api import current_user, parse_filters
from lvchuang.lib.divisions import normalise_code
from lvchuang.regions.models import DivisionImport, Region

TAG = "行政区划"


class RegionCodeField(serializers.CharField):
    """A division code of 2, 4, 6, 9 or 12 digits (e.g. `4301` or `430100000000`), read as its 12-digit form."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=12, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        try:
            return normalise_code(super().to_internal_value(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error


class VisibleRegionField(serializers.SlugRelatedField[Region]):
    """A region given by its 12-digit code, found only among the regions the current user can see."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Region.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[Region]:
        return access.visible_regions(current_user(self.context["request"]))


class RegionSerializer(serializers.ModelSerializer[Region]):
    # The API calls it `parent`, which mypy reads as DRF's Field.parent (the enclosing serializer, set at bind).
    parent = serializers.SlugRelatedField[Region](  # type: ignore[assignment]
        slug_field="code", read_only=True, label="上级代码"
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True, label="层级名称")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="类别名称")
    gb_code = serializers.CharField(read_only=True, label="行政区划代码（GB/T 2260）")

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "level",
            "level_display",
            "kind",
            "kind_display",
            "parent",
            "path",
            "gb_code",
            "code_year",
            "is_active",
        ]
        read_only_fields = fields


class RegionFilters(serializers.Serializer[dict[str, Any]]):
    # `?parent=` is the query parameter; mypy reads the name as DRF's Field.parent (see RegionSerializer).
    parent = RegionCodeField(  # type: ignore[assignment]
        required=False, help_text="上级区划代码（2–12 位）：只列出它的直接下级。"
    )
    level = serializers.ChoiceField(choices=Region.Level.choices, required=False, help_text="层级。")
    q = serializers.CharField(required=False, max_length=100, help_text="名称包含的文字。")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="行政区划列表",
        description="您辖区内的行政区划（创建办和领导机构所在行政区及其下级，以及所在单位的行政区）。",
        parameters=[RegionFilters],
    ),
    retrieve=extend_schema(summary="行政区划详情", description="按 12 位统计用区划代码查询；辖区外答 404。"),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet[Region]):
    serializer_class = RegionSerializer
    queryset = Region.objects.none()  # the model, for the schema; requests use get_queryset()
    lookup_field = "code"
    lookup_value_regex = r"\d{12}"

    def get_queryset(self) -> QuerySet[Region]:
        regions = access.visible_regions(current_user(self.request)).select_related("parent").order_by("code")
        if self.action != "list":
            return regions
        filters = parse_filters(RegionFilters, self.request)
        if "parent" in filters:
            regions = regions.filter(parent__code=filters["parent"])
        if "level" in filters:
            regions = regions.filter(level=filters["level"])
        if filters.get("q"):
            regions = regions.filter(name__icontains=filters["q"])
        return regions

    def get_object(self) -> Region:
        return access.access_region_by_code(current_user(self.request), self.kwargs["code"])


class DivisionImportSerializer(serializers.ModelSerializer[DivisionImport]):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True, label="结果名称")
    error_count = serializers.SerializerMethodField(label="错误行数")
    by_name = serializers.SerializerMethodField(label="操作人姓名")

    class Meta:
        model = DivisionImport
        fields = [
            "id",
            "source",
            "scope",
            "code_year",
            "outcome",
            "outcome_display",
            "rows_read",
            "created",
            "updated",
            "unchanged",
            "error_count",
            "started_at",
            "by",
            "by_name",
        ]
        read_only_fields = fields

    def get_error_count(self, record: DivisionImport) -> int:
        return len(record.errors or [])

    def get_by_name(self, record: DivisionImport) -> str | None:
        return str(record.by) if record.by is not None else None


class RowErrorSerializer(serializers.Serializer[dict[str, Any]]):
    line = serializers.IntegerField(allow_null=True, label="行号")
    code = serializers.CharField(label="区划代码")
    message = serializers.CharField(label="错误")


class DivisionImportDetailSerializer(DivisionImportSerializer):
    rejected_rows = RowErrorSerializer(source="errors", many=True, read_only=True, label="被拒绝的行")

    class Meta(DivisionImportSerializer.Meta):
        fields = [*DivisionImportSerializer.Meta.fields, "rejected_rows"]
        read_only_fields = fields


class CanViewDivisionImports(permissions.BasePermission):
    message = "只有系统管理员和创建办可以查看区划导入记录。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        # Only the list is refused; a single record outside the jurisdiction answers 404 like any object.
        return getattr(view, "action", None) != "list" or access.can_view_division_imports(
            current_user(request)
        )


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="区划导入记录",
        description="系统管理员看到全部导入；创建办看到范围在本辖区内的导入。其他用户答 403。",
    ),
    retrieve=extend_schema(summary="区划导入详情", description="含每一条被拒绝的行。"),
)
class DivisionImportViewSet(viewsets.ReadOnlyModelViewSet[DivisionImport]):
    queryset = DivisionImport.objects.none()
    permission_classes = [permissions.IsAuthenticated, CanViewDivisionImports]

    def get_serializer_class(self) -> type[DivisionImportSerializer]:
        return DivisionImportDetailSerializer if self.action == "retrieve" else DivisionImportSerializer

    def get_queryset(self) -> QuerySet[DivisionImport]:
        return access.visible_division_imports(current_user(self.request)).select_related("by")


def register(router: DefaultRouter) -> None:
    router.register("regions", RegionViewSet, basename="region")
    router.register("division-imports", DivisionImportViewSet, basename="division-import")
