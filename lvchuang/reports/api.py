"""The submissions API, scoped like the pages (`reports.access`):

- `GET/POST /api/report-requirements/` (`?campaign=`), `GET/PATCH/DELETE /api/report-requirements/{id}/`,
  `POST /api/report-requirements/add-defaults/` (the program's defaults for a campaign);
- `GET /api/report-requirements/{id}/completeness/?period=` (who has handed in, per submitter);
- `POST /api/report-requirements/{id}/submit/` (multipart: period, submitter, content, file);
- `GET /api/report-submissions/`, `GET /api/report-submissions/{id}/`, `POST …/{id}/accept/`, `…/{id}/return/`;
- `GET /api/report-submissions/mine/` (every period the user hands in, with its status).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.api import current_user, service_errors
from lvchuang.reports import access, selectors, services
from lvchuang.reports.models import Requirement, Submission
from lvchuang.reports.serializers import (
    CompletenessSerializer,
    DefaultsAddedSerializer,
    DefaultsRequestSerializer,
    DutySerializer,
    RequirementCreateSerializer,
    RequirementSerializer,
    RequirementWriteSerializer,
    ReviewCommentSerializer,
    SubmissionSerializer,
    SubmissionSubmitSerializer,
)
from lvchuang.reports.submitters import expected_submitters

TAG = "材料报送"
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的职责范围内。")
REFUSED = OpenApiResponse(description="您无权进行该操作。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误。")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="报送要求列表",
        description="您能看到的创建活动的报送要求。",
        parameters=[OpenApiParameter("campaign", int, description="只列出该创建活动的报送要求。")],
    ),
    retrieve=extend_schema(summary="报送要求详情", responses={200: RequirementSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="添加报送要求",
        description="组织该创建活动的创建办及其上级添加：一次性报送须填截止日期；每季度报送按季度结束后天数计算。",
        request=RequirementCreateSerializer,
        responses={201: RequirementSerializer, 400: INVALID, 403: REFUSED},
    ),
    partial_update=extend_schema(
        summary="修改报送要求",
        description="已有报送材料后不能再修改报送主体和报送频次。",
        request=RequirementWriteSerializer,
        responses={200: RequirementSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    destroy=extend_schema(
        summary="删除报送要求",
        description="已有报送材料的要求不能删除。",
        responses={204: None, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class RequirementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Requirement],
):
    serializer_class = RequirementSerializer
    queryset = Requirement.objects.none()

    def get_queryset(self) -> Any:
        requirements = access.visible_requirements(current_user(self.request)).order_by("campaign_id", "pk")
        campaign = self.request.query_params.get("campaign", "")
        if campaign.isdigit():
            requirements = requirements.filter(campaign_id=int(campaign))
        return requirements

    def get_object(self) -> Requirement:
        return access.access_requirement_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RequirementCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            requirement = services.create_requirement(by=current_user(request), **data.validated_data)
        return Response(RequirementSerializer(requirement).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        requirement = access.access_requirement_by_id(user, kwargs["pk"], for_change=True)
        data = RequirementWriteSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            requirement = services.update_requirement(
                by=user, requirement=requirement, changes=dict(data.validated_data)
            )
        return Response(RequirementSerializer(requirement).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        requirement = access.access_requirement_by_id(user, kwargs["pk"], for_change=True)
        with service_errors():
            services.delete_requirement(by=user, requirement=requirement)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="按项目默认要求添加",
        description="按 reports/defaults/requirements.yaml 为该创建活动添加项目的默认报送要求；已有的和"
        "缺少联席会议的成员单位报送跳过并说明原因。",
        request=DefaultsRequestSerializer,
        responses={200: DefaultsAddedSerializer, 400: INVALID, 403: REFUSED},
    )
    @action(detail=False, methods=["post"], url_path="add-defaults", url_name="add-defaults")
    def add_defaults(self, request: Request) -> Response:
        data = DefaultsRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            added = services.add_default_requirements(
                by=current_user(request), campaign=data.validated_data["campaign"]
            )
        return Response(DefaultsAddedSerializer(added).data)

    @extend_schema(
        summary="报送情况",
        description="某一报送期每个应报单位的状态：owed 待报送、overdue 逾期未报、submitted 已报送、late 逾期报送、"
        "returned 已退回、accepted 已确认。组织单位及其上级可看。",
        parameters=[OpenApiParameter("period", str, description="如 2026Q1；默认下一个到期的期。")],
        responses={200: CompletenessSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def completeness(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        requirement = access.access_requirement_by_id(user, pk)
        if not access.can_view_completeness(user, requirement.campaign):
            raise PermissionDenied
        today = timezone.localdate()
        periods = selectors.periods_of(requirement)
        key = request.query_params.get("period")
        if key is None:
            period = next((p for p in periods if p.due_on >= today), periods[-1])
        else:
            found = selectors.period_of(requirement, key)
            if found is None:
                raise Http404
            period = found
        table = selectors.completeness(requirement, period, today=today)
        return Response(CompletenessSerializer(table).data)

    @extend_schema(
        summary="报送材料",
        description="报送单位的用户按期报送文字、文件或两者（须上传文件的要求必须附文件）；已退回的可重新报送；"
        "截止后报送标为逾期报送。",
        request={
            "multipart/form-data": SubmissionSubmitSerializer,
            "application/json": SubmissionSubmitSerializer,
        },
        responses={201: SubmissionSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def submit(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        requirement = access.access_requirement_by_id(user, pk)
        data = SubmissionSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        submitter = next((s for s in expected_submitters(requirement) if s.key == values["submitter"]), None)
        if submitter is None:
            return Response({"submitter": ["不在这项要求的报送范围内。"]}, status=status.HTTP_400_BAD_REQUEST)
        with service_errors():
            submission = services.submit(
                by=user,
                requirement=requirement,
                period=values["period"],
                submitter=submitter,
                content=values["content"],
                upload=values.get("file"),
            )
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="报送材料列表", description="您所在单位报送的，和您组织的创建活动收到的。"),
    retrieve=extend_schema(summary="报送材料详情", responses={200: SubmissionSerializer, 404: NOT_FOUND}),
)
class SubmissionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Submission],
):
    serializer_class = SubmissionSerializer
    queryset = Submission.objects.none()

    def get_queryset(self) -> Any:
        return access.visible_submissions(current_user(self.request)).order_by(
            "requirement_id", "period", "pk"
        )

    def get_object(self) -> Submission:
        return access.access_submission_by_id(current_user(self.request), self.kwargs["pk"])

    @extend_schema(
        summary="确认材料",
        description="组织该创建活动的创建办及其上级确认已报送的材料。",
        request=ReviewCommentSerializer,
        responses={200: SubmissionSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        submission = access.access_submission_by_id(user, pk, for_change=True)
        data = ReviewCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            submission = services.accept(
                by=user, submission=submission, comment=data.validated_data["comment"]
            )
        return Response(SubmissionSerializer(submission).data)

    @extend_schema(
        summary="退回材料",
        description="写明理由退回；报送单位修改后重新报送。",
        request=ReviewCommentSerializer,
        responses={200: SubmissionSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        submission = access.access_submission_by_id(user, pk, for_change=True)
        data = ReviewCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            submission = services.return_submission(
                by=user, submission=submission, comment=data.validated_data["comment"]
            )
        return Response(SubmissionSerializer(submission).data)

    @extend_schema(
        summary="我的报送",
        description="您须报送的每一期材料（按截止日期），含状态：待报送、逾期未报、已报送、逾期报送、已退回、已确认。",
        responses={200: DutySerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def mine(self, request: Request) -> Response:
        duties = selectors.duties_for(current_user(request))
        return Response(DutySerializer(duties, many=True).data)


def register(router: BaseRouter) -> None:
    """Adds this app's viewsets to the API router (config/api_urls.py)."""
    router.register("report-requirements", RequirementViewSet, basename="report-requirement")
    router.register("report-submissions", SubmissionViewSet, basename="report-submission")
