"""The annual-target and coefficient-table API, scoped like the pages (`target_access`):

- `GET/POST /api/ledgers/targets/`, `GET/PUT/PATCH/DELETE /api/ledgers/targets/{id}/` (POST with `preset` adds a
  preset of `defaults/targets.yaml`);
- `GET /api/ledgers/target-checks/{unit id}/?year=` (a unit's check against the target that applies to it);
- `GET /api/ledgers/conversion-factors/`, `/densities/`, `/grid-assignments/`, `/emission-factors/` (read by
  everybody with a role), `POST` and `PUT/PATCH .../{id}/` by the system administrator.

Choice fields are plain text with their values in the help text (carriers and grids appear in several tables).
"""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.access import access_unit_by_id
from lvchuang.accounts.api import VisiblePrimaryKeyField, current_user, service_errors
from lvchuang.ledgers import target_access, target_services
from lvchuang.ledgers.indicators import TargetCheck, target_check
from lvchuang.ledgers.models import (
    AnnualTarget,
    Basis,
    Carrier,
    ConversionFactor,
    Density,
    EmissionFactor,
    Grid,
    GridAssignment,
    ReferenceRecord,
)
from lvchuang.organisations.models import Office, Unit

TAG = "能源资源台账：年度指标与折算系数"
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的职责范围内。")
REFUSED = OpenApiResponse(description="您无权进行该操作。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误。")


def _values(choices: Any) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


def _change(label: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        label=label,
        help_text="百分比，下降为负数；空表示不考核该指标。",
    )


# --- serializers ----------------------------------------------------------------------------------------------


class AnnualTargetSerializer(serializers.ModelSerializer[AnnualTarget]):
    office_name = serializers.CharField(source="office.name", read_only=True, label="下达机构名称")
    region = serializers.CharField(source="region.code", read_only=True, label="适用区域代码")
    region_name = serializers.CharField(source="region.name", read_only=True, label="适用区域")
    institution_types = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_values(Unit.InstitutionType.choices)
    )

    class Meta:
        model = AnnualTarget
        fields = [
            "id",
            "office",
            "office_name",
            "region",
            "region_name",
            "year",
            "baseline_year",
            "institution_types",
            "area_energy_change",
            "per_capita_energy_change",
            "per_capita_water_change",
            "co2_per_area_change",
            "source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AnnualTargetUpdateSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="考核年度")
    baseline_year = serializers.IntegerField(min_value=2000, max_value=2100, label="基准年度")
    institution_types = serializers.ListField(
        child=serializers.CharField(max_length=3),
        required=False,
        label="单位类型代码",
        help_text="为空表示全部类型。" + _values(Unit.InstitutionType.choices),
    )
    area_energy_change = _change("单位建筑面积能耗变化（%）")
    per_capita_energy_change = _change("人均综合能耗变化（%）")
    per_capita_water_change = _change("人均用水量变化（%）")
    co2_per_area_change = _change("单位建筑面积碳排放变化（%）")
    source = serializers.CharField(  # type: ignore[assignment]  # a declared field, not Field.source
        max_length=300, required=False, allow_blank=True, label="依据文件"
    )


class AnnualTargetCreateSerializer(AnnualTargetUpdateSerializer):
    office = VisiblePrimaryKeyField(
        visible=target_access.target_offices, queryset=Office.objects.all(), label="下达机构"
    )
    preset = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        label="预设代码",
        help_text="填写则按预设添加，其他字段不用填。可选："
        + "；".join(f"{p.code} {p.name}" for p in target_services.presets().values()),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, label="考核年度")
    baseline_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, label="基准年度")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("preset"):
            missing = {name: "请填写。" for name in ("year", "baseline_year") if attrs.get(name) is None}
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class TargetCheckLineSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(
        help_text="area_energy；per_capita_energy；per_capita_water；co2_per_area"
    )
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    baseline = serializers.DecimalField(
        max_digits=20, decimal_places=4, allow_null=True, label="基准年度数值"
    )
    current = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True, label="考核年度数值")
    change = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True, label="变化（%）")
    target = serializers.DecimalField(max_digits=6, decimal_places=2, label="目标变化（%）")
    met = serializers.BooleanField(allow_null=True, label="是否完成（空为无法判断）")


class TargetCheckSerializer(serializers.Serializer[TargetCheck]):
    year = serializers.IntegerField(label="考核年度")
    status = serializers.CharField(help_text="met 完成；missed 未完成；unknown 无法判断；none 无适用指标")
    target = AnnualTargetSerializer(allow_null=True, label="适用的指标")
    lines = TargetCheckLineSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField(), label="缺少的数据")
    narrative = serializers.SerializerMethodField(label="说明")

    def get_narrative(self, check: TargetCheck) -> str:
        return check.narrative()


class TargetCheckQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="考核年度")


_COMMON_FIELDS = ["source", "needs_confirmation", "note", "updated_at"]
CARRIER_HELP = _values(Carrier.choices)


class ConversionFactorSerializer(serializers.ModelSerializer[ConversionFactor]):
    carrier = serializers.CharField(help_text=_values(c for c in Carrier.choices if c[0] != "water"))
    basis = serializers.CharField(help_text=_values(Basis.choices))

    class Meta:
        model = ConversionFactor
        fields = ["id", "carrier", "basis", "kgce_per_unit", "valid_from", *_COMMON_FIELDS]
        read_only_fields = ["id", "updated_at"]
        validators: ClassVar[list[Any]] = []  # the natural key is checked by the service, in Chinese


class DensitySerializer(serializers.ModelSerializer[Density]):
    carrier = serializers.CharField(help_text="gasoline 汽油；diesel 柴油；kerosene 煤油")

    class Meta:
        model = Density
        fields = ["id", "carrier", "kg_per_litre", "valid_from", *_COMMON_FIELDS]
        read_only_fields = ["id", "updated_at"]
        validators: ClassVar[list[Any]] = []  # the natural key is checked by the service, in Chinese


class GridAssignmentSerializer(serializers.ModelSerializer[GridAssignment]):
    grid = serializers.CharField(help_text=_values(Grid.choices))

    class Meta:
        model = GridAssignment
        fields = ["id", "province_code", "grid", *_COMMON_FIELDS]
        read_only_fields = ["id", "updated_at"]
        extra_kwargs: ClassVar[dict[str, Any]] = {"province_code": {"validators": []}}  # the service checks


class EmissionFactorSerializer(serializers.ModelSerializer[EmissionFactor]):
    carrier = serializers.CharField(help_text=_values(c for c in Carrier.choices if c[0] != "water"))
    grid = serializers.CharField(help_text=_values(Grid.choices), required=False, default=Grid.NATIONAL)

    class Meta:
        model = EmissionFactor
        fields = ["id", "carrier", "year", "grid", "kgco2_per_unit", *_COMMON_FIELDS]
        read_only_fields = ["id", "updated_at"]
        validators: ClassVar[list[Any]] = []  # the natural key is checked by the service, in Chinese


# --- viewsets -------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="年度能耗指标列表",
        description="适用于您所辖地区（及其上级下达）的指标，以及您下级地区的指标。",
    ),
    retrieve=extend_schema(
        summary="年度能耗指标详情", responses={200: AnnualTargetSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="下达年度能耗指标",
        description="创建办为本地区（或上级代下级）下达。填写 preset 则按预设添加。",
        request=AnnualTargetCreateSerializer,
        responses={201: AnnualTargetSerializer, 400: INVALID, 403: REFUSED},
    ),
    update=extend_schema(
        summary="修改年度能耗指标",
        request=AnnualTargetUpdateSerializer,
        responses={200: AnnualTargetSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="修改年度能耗指标（部分）",
        request=AnnualTargetUpdateSerializer,
        responses={200: AnnualTargetSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    destroy=extend_schema(summary="删除年度能耗指标", responses={204: None, 403: REFUSED, 404: NOT_FOUND}),
)
class AnnualTargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[AnnualTarget],
):
    serializer_class = AnnualTargetSerializer
    queryset = AnnualTarget.objects.none()

    def get_queryset(self) -> Any:
        user = current_user(self.request)
        target_access.require_reference_reader(user)
        return target_access.visible_annual_targets(user).order_by("-year", "region__path", "pk")

    def get_object(self) -> AnnualTarget:
        return target_access.access_annual_target_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        data = AnnualTargetCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        office = values.pop("office")
        preset = values.pop("preset")
        with service_errors():
            if preset:
                target = target_services.create_annual_target_from_preset(
                    by=user, office=office, preset=preset
                )
            else:
                target = target_services.create_annual_target(by=user, office=office, **values)
        return Response(AnnualTargetSerializer(target).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        target = target_access.access_annual_target_by_id(user, self.kwargs["pk"], for_change=True)
        data = AnnualTargetUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        with service_errors():
            target = target_services.update_annual_target(by=user, target=target, changes=data.validated_data)
        return Response(AnnualTargetSerializer(target).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        target = target_access.access_annual_target_by_id(user, self.kwargs["pk"], for_change=True)
        with service_errors():
            target_services.delete_annual_target(by=user, target=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=[TAG])
@extend_schema_view(
    retrieve=extend_schema(
        summary="单位年度指标完成情况",
        description="id 为单位 id。按离单位最近的上级地区下达的该年度指标，对照台账判断。",
        parameters=[
            OpenApiParameter(
                "year", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description="考核年度"
            )
        ],
        responses={200: TargetCheckSerializer, 400: INVALID, 404: NOT_FOUND},
    )
)
class TargetCheckViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Unit]):
    serializer_class = TargetCheckSerializer  # type: ignore[assignment]  # reads a unit, answers its check
    queryset = Unit.objects.none()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit = access_unit_by_id(current_user(request), self.kwargs["pk"])
        query = TargetCheckQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        check = target_check(unit, query.validated_data["year"])
        return Response(TargetCheckSerializer(check).data)


class ReferenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """One coefficient table: read by everybody with a role, written by the system administrator."""

    table: ClassVar[str]
    pagination_class = None

    def _model(self) -> type[ReferenceRecord]:
        return target_services.REFERENCE_TABLES[self.table]

    def get_queryset(self) -> Any:
        target_access.require_reference_reader(current_user(self.request))
        return self._model()._default_manager.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request, None, status.HTTP_201_CREATED, partial=False)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(
            request, self.get_object(), status.HTTP_200_OK, partial=kwargs.get("partial", False)
        )

    def _save(self, request: Request, row: Any, code: int, *, partial: bool) -> Response:
        user = current_user(request)
        target_access.require_reference_reader(user)
        if not target_access.can_change_reference_tables(user):
            return Response({"detail": "只有系统管理员可以修改折算系数。"}, status=status.HTTP_403_FORBIDDEN)
        data = self.get_serializer(row, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = {
            name: value
            for name, value in data.validated_data.items()
            if name in target_services.REFERENCE_FIELDS[self.table]
        }
        with service_errors():
            saved = target_services.save_reference_row(by=user, table=self.table, values=values, row=row)
        return Response(self.get_serializer(saved).data, status=code)


def _reference_schema(title: str, serializer: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema_view(
        list=extend_schema(summary=f"{title}列表", tags=[TAG]),
        retrieve=extend_schema(
            summary=f"{title}详情", tags=[TAG], responses={200: serializer, 404: NOT_FOUND}
        ),
        create=extend_schema(
            summary=f"新增{title}",
            description="仅系统管理员。",
            tags=[TAG],
            responses={201: serializer, 400: INVALID, 403: REFUSED},
        ),
        update=extend_schema(
            summary=f"修改{title}",
            description="仅系统管理员。",
            tags=[TAG],
            responses={200: serializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
        ),
        partial_update=extend_schema(
            summary=f"修改{title}（部分）",
            description="仅系统管理员。",
            tags=[TAG],
            responses={200: serializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
        ),
    )


@_reference_schema("折标准煤系数", ConversionFactorSerializer)
class ConversionFactorViewSet(ReferenceViewSet):
    table = "factor"
    serializer_class = ConversionFactorSerializer
    queryset = ConversionFactor.objects.none()


@_reference_schema("油品密度", DensitySerializer)
class DensityViewSet(ReferenceViewSet):
    table = "density"
    serializer_class = DensitySerializer
    queryset = Density.objects.none()


@_reference_schema("区域电网划分", GridAssignmentSerializer)
class GridAssignmentViewSet(ReferenceViewSet):
    table = "grid"
    serializer_class = GridAssignmentSerializer
    queryset = GridAssignment.objects.none()


@_reference_schema("二氧化碳排放因子", EmissionFactorSerializer)
class EmissionFactorViewSet(ReferenceViewSet):
    table = "emission"
    serializer_class = EmissionFactorSerializer
    queryset = EmissionFactor.objects.none()


def register(router: BaseRouter) -> None:
    router.register("ledgers/targets", AnnualTargetViewSet, basename="ledger-annual-target")
    router.register("ledgers/target-checks", TargetCheckViewSet, basename="ledger-target-check")
    router.register(
        "ledgers/conversion-factors", ConversionFactorViewSet, basename="ledger-conversion-factor"
    )
    router.register("ledgers/densities", DensityViewSet, basename="ledger-density")
    router.register("ledgers/grid-assignments", GridAssignmentViewSet, basename="ledger-grid-assignment")
    router.register("ledgers/emission-factors", EmissionFactorViewSet, basename="ledger-emission-factor")
