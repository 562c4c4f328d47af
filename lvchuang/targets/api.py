"""The targets API, scoped like the pages (`targets.access`):

- `GET/POST /api/coverage-targets/`, `GET/PATCH/PUT /api/coverage-targets/{id}/` (PATCH `is_active` to stop or
  resume following a target);
- `GET/PUT /api/coverage-targets/{id}/milestones/` (the milestones, replaced as a set);
- `GET /api/coverage-targets/{id}/progress/?region=&as_of=` (the dashboard rows: by region, by sector, trend);
- `GET /api/quota-usage/{campaign id}/` (each quota allocation against its shortlisted and named units).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.api import current_user, service_errors
from lvchuang.campaigns.access import access_campaign_by_id
from lvchuang.campaigns.models import Campaign
from lvchuang.targets import access, coverage, selectors, services
from lvchuang.targets.models import CoverageTarget
from lvchuang.targets.serializers import (
    AllocationUsageSerializer,
    CoverageTargetCreateSerializer,
    CoverageTargetSerializer,
    CoverageTargetUpdateSerializer,
    MilestoneSetSerializer,
    TargetMilestoneSerializer,
    TargetProgressQuerySerializer,
    TargetProgressSerializer,
    milestone_inputs,
)

TAG = "覆盖目标"
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的职责范围内。")
REFUSED = OpenApiResponse(description="您无权进行该操作。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误。")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="覆盖目标列表",
        description="您所在创建办及其上级、下级制定的覆盖目标。`all=1` 含已停用的。",
        parameters=[OpenApiParameter("all", str, required=False, description="1 表示含已停用的目标")],
    ),
    retrieve=extend_schema(summary="覆盖目标详情", responses={200: CoverageTargetSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="新建覆盖目标",
        description="填写 preset（预设代码）则按预设新建；否则须填 name、programs、unit_kind，阶段目标可随后设置。",
        request=CoverageTargetCreateSerializer,
        responses={201: CoverageTargetSerializer, 400: INVALID, 403: REFUSED},
    ),
    update=extend_schema(
        summary="修改覆盖目标",
        request=CoverageTargetUpdateSerializer,
        responses={200: CoverageTargetSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="修改覆盖目标（部分）",
        description="只改所填字段；is_active 停用或启用目标。",
        request=CoverageTargetUpdateSerializer,
        responses={200: CoverageTargetSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class CoverageTargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[CoverageTarget],
):
    serializer_class = CoverageTargetSerializer
    queryset = CoverageTarget.objects.none()

    def get_queryset(self) -> Any:
        targets = coverage.with_rule(access.visible_targets(current_user(self.request)))
        if self.request.query_params.get("all") != "1":
            targets = targets.filter(is_active=True)
        return targets.order_by("office__region__path", "name", "pk")

    def get_object(self) -> CoverageTarget:
        return access.access_target_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        data = CoverageTargetCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with service_errors():
            if values["preset"]:
                target = services.create_target_from_preset(
                    by=user,
                    office=values["office"],
                    preset=values["preset"],
                    starts_on=values["starts_on"],
                    name=values["name"],
                )
            else:
                target = services.create_target(
                    by=user,
                    office=values["office"],
                    name=values["name"],
                    programs=values.get("programs", []),
                    unit_kind=values["unit_kind"],
                    organ_levels=values["organ_levels"],
                    starts_on=values["starts_on"],
                    milestones=milestone_inputs(values["milestones"]),
                    source=values["source"],
                    needs_confirmation=values["needs_confirmation"],
                )
        return Response(self._read(target), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        target = access.access_target_by_id(user, self.kwargs["pk"], for_change=True)
        data = CoverageTargetUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        active = changes.pop("is_active", None)
        with service_errors():
            if changes:
                target = services.update_target(by=user, target=target, changes=changes)
            if active is not None:
                target = services.set_active(by=user, target=target, active=active)
        return Response(self._read(target))

    def _read(self, target: CoverageTarget) -> Any:
        fresh = coverage.with_rule(CoverageTarget.objects.select_related("office__region")).get(pk=target.pk)
        return CoverageTargetSerializer(fresh).data

    @extend_schema(
        methods=["GET"],
        summary="阶段目标",
        responses={200: TargetMilestoneSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT"],
        summary="设置阶段目标",
        description="整组替换：每项为截止日期和目标覆盖率（%）、目标数量，或两者。后一阶段不能要求更少。",
        request=MilestoneSetSerializer,
        responses={200: TargetMilestoneSerializer(many=True), 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "put"])
    def milestones(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        if request.method == "GET":
            target = self.get_object()
            return Response(TargetMilestoneSerializer(target.milestones.all(), many=True).data)
        target = access.access_target_by_id(user, pk, for_change=True)
        data = MilestoneSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            saved = services.set_milestones(
                by=user, target=target, milestones=milestone_inputs(data.validated_data["milestones"])
            )
        return Response(TargetMilestoneSerializer(saved, many=True).data)

    @extend_schema(
        summary="进度",
        description="所示地区（region，默认为您可见的最上级地区）在统计日期（as_of，默认今天）的覆盖情况："
        "合计及状态、按下级地区、按主管部门、逐年趋势。覆盖率由称号登记簿实时计算。",
        parameters=[TargetProgressQuerySerializer],
        responses={200: TargetProgressSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        target = self.get_object()
        query = TargetProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        region = access.region_for(user, target, query.validated_data.get("region"))
        board = coverage.dashboard(user, target, region, as_of=query.validated_data.get("as_of"))
        return Response(TargetProgressSerializer(board).data)


@extend_schema(tags=[TAG])
@extend_schema_view(
    retrieve=extend_schema(
        summary="名额使用",
        description="创建活动（id 为活动 id）的每项名额分配对照已入围和已命名的单位；超出的标出。",
        responses={200: AllocationUsageSerializer, 404: NOT_FOUND},
    )
)
class QuotaUsageViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Campaign]):
    serializer_class = AllocationUsageSerializer  # type: ignore[assignment]  # reads a campaign, answers its usage
    queryset = Campaign.objects.none()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        campaign = access_campaign_by_id(user, self.kwargs["pk"])
        return Response(AllocationUsageSerializer(selectors.quota_usage(user, campaign)).data)


def register(router: BaseRouter) -> None:
    """Adds this app's viewsets to the API router (config/api_urls.py)."""
    router.register("coverage-targets", CoverageTargetViewSet, basename="coverage-target")
    router.register("quota-usage", QuotaUsageViewSet, basename="quota-usage")
