"""The supervision API, scoped like the pages (`supervision.access`):

- `GET/POST /api/reinspections/`, `GET /api/reinspections/{id}/`, `POST /api/reinspections/{id}/draw/`,
  `GET /api/reinspections/{id}/verify/`;
- `GET /api/inspections/{id}/`, `POST /api/inspections/{id}/record/`;
- `GET/POST /api/rectification-orders/`, `GET /api/rectification-orders/{id}/`,
  `POST /api/rectification-orders/{id}/report/` (the unit, multipart), `…/accept/`, `…/reject/` (the office);
- `GET/POST /api/revocation-proposals/`, `GET /api/revocation-proposals/{id}/`,
  `POST /api/revocation-proposals/{id}/decide/`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.api import current_user, service_errors
from lvchuang.supervision import access, services
from lvchuang.supervision.models import Inspection, RectificationOrder, Reinspection, RevocationProposal
from lvchuang.supervision.serializers import (
    InspectionResultSerializer,
    InspectionSerializer,
    RectificationNoteSerializer,
    RectificationOrderCreateSerializer,
    RectificationOrderSerializer,
    RectificationReportSerializer,
    ReinspectionCreateSerializer,
    ReinspectionDetailSerializer,
    ReinspectionDrawSerializer,
    ReinspectionSerializer,
    ReinspectionVerificationSerializer,
    RevocationDecisionSerializer,
    RevocationProposalCreateSerializer,
    RevocationProposalSerializer,
)

TAG = "复核与整改"
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的职责范围内。")
REFUSED = OpenApiResponse(description="您无权进行该操作。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误。")


# --- re-inspections ---------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="复核列表", description="您所在创建办及其下级组织的复核。"),
    retrieve=extend_schema(summary="复核详情", responses={200: ReinspectionDetailSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="新建复核",
        description="抽样复核（sample，须填抽取数量）或新标准复查（standard_recheck，须填已发布的标准版本）。",
        request=ReinspectionCreateSerializer,
        responses={201: ReinspectionSerializer, 400: INVALID, 403: REFUSED},
    ),
)
class ReinspectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Reinspection],
):
    serializer_class = ReinspectionSerializer
    queryset = Reinspection.objects.none()

    def get_queryset(self) -> Any:
        return access.visible_reinspections(current_user(self.request))

    def get_object(self) -> Reinspection:
        return access.access_reinspection_by_id(current_user(self.request), self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        reinspection = self.get_object()
        data = ReinspectionDetailSerializer(reinspection).data
        inspections = reinspection.inspections.select_related("title__unit").prefetch_related("orders")
        data["inspections"] = InspectionSerializer(inspections, many=True).data
        return Response(data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        data = ReinspectionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            reinspection = services.create_reinspection(by=user, **data.validated_data)
        return Response(ReinspectionSerializer(reinspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="抽取样本",
        description="按种子从本辖区该称号的有效和整改中的持有单位抽取（记录种子、总体和权重）；新标准复查取全部"
        "按其他版本命名的持有单位。每个抽中的称号建立一项检查。",
        request=ReinspectionDrawSerializer,
        responses={200: ReinspectionDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        reinspection = access.access_reinspection_by_id(user, pk, for_change=True)
        data = ReinspectionDrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.draw_sample(by=user, reinspection=reinspection, seed=data.validated_data.get("seed"))
        return self.retrieve(request, pk=pk)

    @extend_schema(
        summary="重新抽取核验",
        description="按记录的种子和总体重新抽取（lvchuang/lib/sampling.py），说明是否与记录的样本一致。",
        responses={200: ReinspectionVerificationSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def verify(self, request: Request, pk: str) -> Response:
        reinspection = self.get_object()
        drawn = reinspection.status != Reinspection.Status.PLANNED
        payload = {
            "matches": services.verify_sample(reinspection),
            "redrawn": services.redraw(reinspection) if drawn else [],
        }
        return Response(ReinspectionVerificationSerializer(payload).data)


@extend_schema(tags=[TAG])
@extend_schema_view(
    retrieve=extend_schema(summary="检查详情", responses={200: InspectionSerializer, 404: NOT_FOUND}),
)
class InspectionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Inspection]):
    serializer_class = InspectionSerializer
    queryset = Inspection.objects.none()

    def get_object(self) -> Inspection:
        return access.access_inspection_by_id(current_user(self.request), self.kwargs["pk"])

    @extend_schema(
        summary="记录检查结论",
        description="合格或不合格；不合格时下达整改通知（期限为称号的整改月数），称号转为整改中。"
        "全部检查有结论后复核结束。",
        request=InspectionResultSerializer,
        responses={200: InspectionSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        inspection = access.access_inspection_by_id(user, pk, for_change=True)
        data = InspectionResultSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            inspection = services.record_inspection(by=user, inspection=inspection, **data.validated_data)
        return Response(InspectionSerializer(inspection).data)


# --- rectification orders ---------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="整改通知列表", description="创建办：辖区内单位的整改通知；单位：本单位的整改通知。"
    ),
    retrieve=extend_schema(
        summary="整改通知详情", responses={200: RectificationOrderSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="下达整改通知",
        description="复核以外发现问题时，由管理该称号的创建办下达；称号转为整改中。",
        request=RectificationOrderCreateSerializer,
        responses={201: RectificationOrderSerializer, 400: INVALID, 403: REFUSED},
    ),
)
class OrderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[RectificationOrder],
):
    serializer_class = RectificationOrderSerializer
    queryset = RectificationOrder.objects.none()

    def get_queryset(self) -> Any:
        return access.visible_orders(current_user(self.request))

    def get_object(self) -> RectificationOrder:
        return access.access_order_by_id(current_user(self.request), self.kwargs["pk"])

    def _order(self, pk: str) -> RectificationOrder:
        return access.access_order_by_id(current_user(self.request), pk, for_change=True)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RectificationOrderCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            order = services.issue_order(by=current_user(request), **data.validated_data)
        return Response(RectificationOrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="报送整改报告",
        description="持有称号的单位在整改期限内报送整改情况，可附一个文件；逾期后不能报送。",
        request={"multipart/form-data": RectificationReportSerializer},
        responses={200: RectificationOrderSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def report(self, request: Request, pk: str) -> Response:
        order = self._order(pk)
        data = RectificationReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            order = services.report_rectification(
                by=current_user(request),
                order=order,
                report=data.validated_data["report"],
                upload=data.validated_data.get("file"),
            )
        return Response(RectificationOrderSerializer(order).data)

    @extend_schema(
        summary="验收合格",
        description="管理该称号的创建办验收单位的整改报告；称号恢复有效。",
        request=RectificationNoteSerializer,
        responses={200: RectificationOrderSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        order = self._order(pk)
        data = RectificationNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            order = services.accept_rectification(
                by=current_user(request), order=order, note=data.validated_data["note"]
            )
        return Response(RectificationOrderSerializer(order).data)

    @extend_schema(
        summary="整改不合格",
        description="写明理由；同时提出撤销称号的建议。",
        request=RectificationNoteSerializer,
        responses={200: RectificationOrderSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        order = self._order(pk)
        data = RectificationNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            order = services.reject_rectification(
                by=current_user(request), order=order, note=data.validated_data["note"]
            )
        return Response(RectificationOrderSerializer(order).data)


# --- revocation proposals ---------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="撤销建议列表", description="辖区内单位称号的撤销建议。"),
    retrieve=extend_schema(
        summary="撤销建议详情", responses={200: RevocationProposalSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="提出撤销建议",
        description="如发生重大环境污染事故；由管理该称号的创建办提出。",
        request=RevocationProposalCreateSerializer,
        responses={201: RevocationProposalSerializer, 400: INVALID, 403: REFUSED},
    ),
)
class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[RevocationProposal],
):
    serializer_class = RevocationProposalSerializer
    queryset = RevocationProposal.objects.none()

    def get_queryset(self) -> Any:
        return access.visible_proposals(current_user(self.request))

    def get_object(self) -> RevocationProposal:
        return access.access_proposal_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RevocationProposalCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            proposal = services.propose_revocation(by=current_user(request), **data.validated_data)
        return Response(RevocationProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="决定",
        description="撤销：须填决定文号，称号撤销、理由公开、未发放的奖励取消；不予撤销：须写明理由，称号不变。",
        request=RevocationDecisionSerializer,
        responses={200: RevocationProposalSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        proposal = access.access_proposal_by_id(user, pk, for_change=True)
        data = RevocationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with service_errors():
            proposal = services.decide_revocation(
                by=user,
                proposal=proposal,
                revoke=values["revoke"],
                document_number=values["document_number"],
                note=values["note"],
                reason=values["reason"] or None,
            )
        return Response(RevocationProposalSerializer(proposal).data)


def register(router: DefaultRouter) -> None:
    router.register("reinspections", ReinspectionViewSet, basename="reinspection")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("rectification-orders", OrderViewSet, basename="rectification-order")
    router.register("revocation-proposals", ProposalViewSet, basename="revocation-proposal")
