"""The API of units, offices, departments and governing bodies, scoped like the pages (`accounts.access`).

Units can be created and changed through `organisations.services`, which decides who may change which field:
unit staff keep their unit's facts up to date, the offices keep its name, kind and classification.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts import access
from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.lib.divisions import path_of
from lvchuang.organisations import selectors, services
from lvchuang.organisations.models import BodyMembership, Department, GoverningBody, Office, Unit
from lvchuang.regions.api import RegionCodeField, VisibleRegionField
from lvchuang.regions.models import Region

TAG = "组织机构"

REFUSED = OpenApiResponse(
    description="无权执行该修改（例如单位工作人员修改名称或类别、领导小组成员修改任何字段）。"
)
NOT_FOUND = OpenApiResponse(description="对象不存在或不在您的辖区内。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误，整体错误在 non_field_errors。")


# --- units ----------------------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer[Unit]):
    """A unit as read, and the fields a client may send (which of them a user may change is the service's rule)."""

    region = VisibleRegionField(label="所在行政区代码")
    region_name = serializers.CharField(source="region.name", read_only=True, label="所在行政区")
    sector = serializers.PrimaryKeyRelatedField(
        # Sector authorities form a public directory: a district office files a school under the city's
        # education bureau, which lies outside the district (seed 002), so the choice is not scoped.
        queryset=Department.objects.filter(is_sector_authority=True),
        required=False,
        allow_null=True,
        label="主管部门",
    )
    sector_name = serializers.CharField(
        source="sector.name", read_only=True, allow_null=True, label="主管部门名称"
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="单位类别名称")
    organ_type_display = serializers.CharField(
        source="get_organ_type_display", read_only=True, label="机关类型名称"
    )
    organ_level_display = serializers.CharField(
        source="get_organ_level_display", read_only=True, label="机关层级名称"
    )
    institution_type_display = serializers.CharField(
        source="get_institution_type_display", read_only=True, label="公共机构类型名称"
    )
    missing_facts = serializers.SerializerMethodField(
        label="缺少的基本情况", help_text="尚未填写的基本情况字段名（建筑面积、用能人数、联系人、联系电话）。"
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "region",
            "region_name",
            "sector",
            "sector_name",
            "organ_type",
            "organ_type_display",
            "organ_level",
            "organ_level_display",
            "institution_type",
            "institution_type_display",
            "credit_code",
            "floor_area",
            "energy_headcount",
            "household_count",
            "green_family_count",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "is_active",
            "missing_facts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list[Any] = []  # the service's full_clean() checks uniqueness and the check constraints

    def get_missing_facts(self, unit: Unit) -> list[str]:
        return [name for name in selectors.BASIC_FACTS if getattr(unit, name) in (None, "")]

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        # DRF drops unknown keys silently; a misspelt field would then "succeed" without changing anything.
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, Mapping) else []
        errors: dict[str, Any] = {name: ["没有这个字段。"] for name in unknown}
        try:
            value: dict[str, Any] = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            raise serializers.ValidationError({**error.detail, **errors}) from error
        if errors:
            raise serializers.ValidationError(errors)
        return value


class UnitFilters(serializers.Serializer[dict[str, Any]]):
    region = RegionCodeField(required=False, help_text="行政区划代码（2–12 位）：该区划及其下级的单位。")
    kind = serializers.ChoiceField(choices=Unit.Kind.choices, required=False, help_text="单位类别。")
    sector = serializers.IntegerField(required=False, help_text="主管部门 id。")
    q = serializers.CharField(required=False, max_length=120, help_text="名称包含的文字。")
    missing_facts = serializers.BooleanField(
        required=False, help_text="为 1 时只列出缺少基本情况（建筑面积、用能人数、联系人、联系电话）的单位。"
    )


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="单位列表",
        description="您辖区内的创建单位：创建办和领导机构看到本行政区及下级，主管部门看到本系统单位，单位工作人员看到本单位，"
        "评审专家看到指派给自己的单位。",
        parameters=[UnitFilters],
    ),
    retrieve=extend_schema(summary="单位详情", responses={200: UnitSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="新建单位",
        description="创建办在本辖区内新建单位。",
        responses={201: UnitSerializer, 400: INVALID, 403: REFUSED},
    ),
    partial_update=extend_schema(
        summary="修改单位",
        description="单位工作人员只能修改基本情况（面积、人数、地址、联系人等）；名称、类别和所属关系由创建办修改。"
        "领导小组成员只读。修改写入审计记录。",
        responses={200: UnitSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Unit]):
    serializer_class = UnitSerializer
    queryset = Unit.objects.none()  # the model, for the schema; requests use get_queryset()

    def get_queryset(self) -> QuerySet[Unit]:
        units = access.visible_units(current_user(self.request)).select_related("region", "sector")
        if self.action != "list":
            return units
        filters = parse_filters(UnitFilters, self.request)
        if "region" in filters:
            units = units.filter(region__path__startswith=path_of(filters["region"]))
        if "kind" in filters:
            units = units.filter(kind=filters["kind"])
        if "sector" in filters:
            units = units.filter(sector_id=filters["sector"])
        if filters.get("q"):
            units = units.filter(name__icontains=filters["q"])
        if filters.get("missing_facts"):
            units = units.filter(selectors.missing_facts_q())
        return units

    def get_object(self) -> Unit:
        for_change = self.action == "partial_update"
        return access.access_unit_by_id(current_user(self.request), self.kwargs["pk"], for_change=for_change)

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        facts = dict(serializer.validated_data)
        with service_errors():
            unit = services.create_unit(
                by=current_user(request),
                region=facts.pop("region"),
                name=facts.pop("name"),
                kind=facts.pop("kind"),
                **facts,
            )
        return Response(self.get_serializer(unit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        serializer = self.get_serializer(unit, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            unit = services.update_unit(
                by=current_user(request), unit=unit, changes=dict(serializer.validated_data)
            )
        return Response(self.get_serializer(unit).data)


# --- offices, departments, bodies --------------------------------------------------------------------------


class OfficeSerializer(serializers.ModelSerializer[Office]):
    region = serializers.SlugRelatedField[Region](slug_field="code", read_only=True, label="所在行政区代码")
    region_name = serializers.CharField(source="region.name", read_only=True, label="所在行政区")
    host_department_name = serializers.CharField(
        source="host_department.name", read_only=True, allow_null=True, label="设在部门名称"
    )

    class Meta:
        model = Office
        fields = [
            "id",
            "name",
            "region",
            "region_name",
            "host_department",
            "host_department_name",
            "phone",
            "address",
        ]
        read_only_fields = fields


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    region = serializers.SlugRelatedField[Region](slug_field="code", read_only=True, label="所在行政区代码")
    region_name = serializers.CharField(source="region.name", read_only=True, label="所在行政区")

    class Meta:
        model = Department
        fields = ["id", "name", "region", "region_name", "is_sector_authority"]
        read_only_fields = fields


class BodyMemberSerializer(serializers.ModelSerializer[BodyMembership]):
    department_name = serializers.CharField(source="department.name", read_only=True, label="成员单位名称")

    class Meta:
        model = BodyMembership
        fields = ["department", "department_name", "is_lead", "duties"]
        read_only_fields = fields


class BodySerializer(serializers.ModelSerializer[GoverningBody]):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="类型名称")
    region = serializers.SlugRelatedField[Region](slug_field="code", read_only=True, label="所在行政区代码")
    region_name = serializers.CharField(source="region.name", read_only=True, label="所在行政区")
    office_name = serializers.CharField(
        source="office.name", read_only=True, allow_null=True, label="办事机构名称"
    )
    members = BodyMemberSerializer(source="bodymembership_set", many=True, read_only=True, label="成员单位")
    lead = serializers.SerializerMethodField(label="牵头单位")

    class Meta:
        model = GoverningBody
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "region",
            "region_name",
            "office",
            "office_name",
            "members",
            "lead",
        ]
        read_only_fields = fields

    @extend_schema_field(BodyMemberSerializer(allow_null=True))
    def get_lead(self, body: GoverningBody) -> dict[str, Any] | None:
        # Reads the prefetched memberships: no query per body.
        lead = next((m for m in body.bodymembership_set.all() if m.is_lead), None)
        return dict(BodyMemberSerializer(lead).data) if lead is not None else None


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="创建办列表", description="您辖区内的创建办。"),
    retrieve=extend_schema(summary="创建办详情"),
)
class OfficeViewSet(viewsets.ReadOnlyModelViewSet[Office]):
    serializer_class = OfficeSerializer
    queryset = Office.objects.none()

    def get_queryset(self) -> QuerySet[Office]:
        return access.visible_offices(current_user(self.request)).select_related("region", "host_department")

    def get_object(self) -> Office:
        return access.access_office_by_id(current_user(self.request), self.kwargs["pk"])


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="部门列表", description="您辖区内的部门，以及您所在的主管部门。"),
    retrieve=extend_schema(summary="部门详情"),
)
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet[Department]):
    serializer_class = DepartmentSerializer
    queryset = Department.objects.none()

    def get_queryset(self) -> QuerySet[Department]:
        return access.visible_departments(current_user(self.request)).select_related("region")

    def get_object(self) -> Department:
        return access.access_department_by_id(current_user(self.request), self.kwargs["pk"])


def _members() -> Prefetch[str, QuerySet[BodyMembership], str]:
    return Prefetch("bodymembership_set", queryset=BodyMembership.objects.select_related("department"))


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="领导机构列表", description="您辖区内的领导小组、组委会和联席会议，含成员单位与牵头单位。"
    ),
    retrieve=extend_schema(summary="领导机构详情"),
)
class BodyViewSet(viewsets.ReadOnlyModelViewSet[GoverningBody]):
    serializer_class = BodySerializer
    queryset = GoverningBody.objects.none()

    def get_queryset(self) -> QuerySet[GoverningBody]:
        bodies = access.visible_bodies(current_user(self.request))
        return bodies.select_related("region", "office").prefetch_related(_members())

    def get_object(self) -> GoverningBody:
        body = access.access_body_by_id(current_user(self.request), self.kwargs["pk"])
        prefetch_related_objects([body], _members())
        return body


def register(router: DefaultRouter) -> None:
    router.register("units", UnitViewSet, basename="unit")
    router.register("offices", OfficeViewSet, basename="office")
    router.register("departments", DepartmentViewSet, basename="department")
    router.register("bodies", BodyViewSet, basename="body")
