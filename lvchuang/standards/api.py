"""The API of the standards library: read only, open to every user who holds a role (`standards.access`).

A version's detail carries its items (in tree order, each with its parent's code and its depth) and grade bands;
`export/{fmt}` returns the same Excel, YAML or JSON file as the pages. Changes are made in the standard editor.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.api import current_user, parse_filters
from lvchuang.standards import access, interchange, selectors
from lvchuang.standards.models import GradeBand, Item, Standard, StandardVersion

TAG = "评价标准"
NOT_FOUND = OpenApiResponse(description="对象不存在，或您没有任何角色、无权查看评价标准库。")


class VersionSummarySerializer(serializers.ModelSerializer[StandardVersion]):
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    is_locked = serializers.BooleanField(read_only=True, label="已锁定（已被创建活动使用）")

    class Meta:
        model = StandardVersion
        fields = [
            "id",
            "standard",
            "number",
            "label",
            "status",
            "status_display",
            "total_points",
            "pass_line",
            "bonus_cap",
            "applies_to",
            "needs_confirmation",
            "confirmed_at",
            "is_locked",
            "locked_at",
            "locked_reason",
            "based_on",
            "notes",
            "created_at",
        ]
        read_only_fields = fields


class StandardSerializer(serializers.ModelSerializer[Standard]):
    owner_name = serializers.CharField(
        source="owner.name", read_only=True, allow_null=True, label="维护单位名称"
    )
    is_builtin = serializers.SerializerMethodField(label="系统内置")
    versions = VersionSummarySerializer(many=True, read_only=True, label="版本（新的在前）")

    class Meta:
        model = Standard
        fields = [
            "id",
            "code",
            "name",
            "title_name",
            "description",
            "source",
            "owner",
            "owner_name",
            "is_builtin",
            "versions",
        ]
        read_only_fields = fields

    def get_is_builtin(self, standard: Standard) -> bool:
        return standard.owner_id is None


class ItemSerializer(serializers.ModelSerializer[Item]):
    parent_code = serializers.SerializerMethodField(label="上级编号", help_text="顶层条目为空字符串。")
    depth = serializers.SerializerMethodField(label="层级", help_text="顶层为 0。")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="类型名称")

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "parent_code",
            "depth",
            "title",
            "kind",
            "kind_display",
            "max_points",
            "guidance",
            "evidence_required",
            "needs_confirmation",
            "computed_by",
        ]
        read_only_fields = fields

    def get_parent_code(self, item: Item) -> str:
        return str(self.context["codes"].get(item.parent_id, ""))

    def get_depth(self, item: Item) -> int:
        return int(self.context["depths"].get(item.pk, 0))


class GradeBandSerializer(serializers.ModelSerializer[GradeBand]):
    class Meta:
        model = GradeBand
        fields = ["name", "min_score"]
        read_only_fields = fields


class VersionDetailSerializer(VersionSummarySerializer):
    standard_name = serializers.CharField(source="standard.name", read_only=True, label="标准名称")
    items = serializers.SerializerMethodField(label="条目（按树的顺序）")
    grade_bands = serializers.SerializerMethodField(label="等次（高的在前）")

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "standard_name", "items", "grade_bands"]
        read_only_fields = fields

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, version: StandardVersion) -> list[dict[str, Any]]:
        ordered = selectors.tree_order(version.items.all())
        codes = {item.pk: item.code for item in ordered}
        depths: dict[int, int] = {}
        for item in ordered:
            depths[item.pk] = depths[item.parent_id] + 1 if item.parent_id is not None else 0
        context = {**self.context, "codes": codes, "depths": depths}
        return list(ItemSerializer(ordered, many=True, context=context).data)

    @extend_schema_field(GradeBandSerializer(many=True))
    def get_grade_bands(self, version: StandardVersion) -> list[dict[str, Any]]:
        bands = sorted(version.grade_bands.all(), key=lambda band: band.min_score, reverse=True)
        return list(GradeBandSerializer(bands, many=True).data)


class VersionFilters(serializers.Serializer[dict[str, Any]]):
    standard = serializers.IntegerField(required=False, help_text="标准 id。")
    status = serializers.ChoiceField(
        choices=StandardVersion.Status.choices, required=False, help_text="状态。"
    )


class FileRenderer(BaseRenderer):
    """Lets a client ask for the export with any Accept header; the view writes the file itself."""

    media_type = "*/*"
    format = "file"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="评价标准列表", description="标准库中的全部标准及其版本；任何有角色的用户都可查看。"
    ),
    retrieve=extend_schema(summary="评价标准详情", responses={200: StandardSerializer, 404: NOT_FOUND}),
)
class StandardViewSet(viewsets.ReadOnlyModelViewSet[Standard]):
    serializer_class = StandardSerializer
    queryset = Standard.objects.none()

    def get_queryset(self) -> QuerySet[Standard]:
        return selectors.library(access.visible_standards(current_user(self.request)))

    def get_object(self) -> Standard:
        user = current_user(self.request)
        standard = access.access_standard_by_id(user, self.kwargs["pk"])
        versions = StandardVersion.objects.order_by("-number")
        return (
            Standard.objects.select_related("owner")
            .prefetch_related(Prefetch("versions", queryset=versions))
            .get(pk=standard.pk)
        )


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="标准版本列表", parameters=[VersionFilters]),
    retrieve=extend_schema(
        summary="标准版本详情",
        description="版本的满分、合格线、加分上限，全部条目（按树的顺序，带上级编号和层级）和等次。",
        responses={200: VersionDetailSerializer, 404: NOT_FOUND},
    ),
)
class StandardVersionViewSet(viewsets.ReadOnlyModelViewSet[StandardVersion]):
    queryset = StandardVersion.objects.none()

    def get_serializer_class(self) -> type[serializers.BaseSerializer[StandardVersion]]:
        return VersionSummarySerializer if self.action == "list" else VersionDetailSerializer

    def get_queryset(self) -> QuerySet[StandardVersion]:
        versions = access.visible_versions(current_user(self.request)).order_by("standard_id", "-number")
        if self.action != "list":
            return versions
        filters = parse_filters(VersionFilters, self.request)
        if "standard" in filters:
            versions = versions.filter(standard_id=filters["standard"])
        if "status" in filters:
            versions = versions.filter(status=filters["status"])
        return versions

    def get_object(self) -> StandardVersion:
        return access.access_version_by_id(current_user(self.request), self.kwargs["pk"])

    @extend_schema(
        summary="导出标准版本",
        description="与页面相同的 Excel（xlsx）、YAML 或 JSON 文件，可在编辑器中导入。",
        parameters=[
            OpenApiParameter(
                "fmt",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(interchange.CONTENT_TYPES),
                description="文件格式",
            )
        ],
        responses={
            (200, interchange.CONTENT_TYPES["xlsx"].split(";")[0]): OpenApiTypes.BINARY,
            (200, "application/yaml"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.OBJECT,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, url_path=r"export/(?P<fmt>xlsx|yaml|json)", renderer_classes=[FileRenderer])
    def export(self, request: Request, pk: str, fmt: str) -> HttpResponse:
        version = self.get_object()
        content = interchange.export(selectors.document_of(version), fmt)
        response = HttpResponse(content, content_type=interchange.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = (
            f'attachment; filename="{version.standard.code}-v{version.number}.{fmt}"'
        )
        return response


def register(router: DefaultRouter) -> None:
    router.register("standards", StandardViewSet, basename="standard")
    router.register("standard-versions", StandardVersionViewSet, basename="standard-version")
