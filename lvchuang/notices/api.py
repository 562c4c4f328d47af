"""The notices API, scoped like the pages (`access.py`); every write is one service call.

- `GET/POST /api/notices/` (POST: a draft from a campaign's shortlist), `GET /api/notices/{id}/` (with its
  entries), `POST /api/notices/{id}/publish/`, `POST /api/notices/{id}/close/`;
- `GET /api/objections/`, `GET /api/objections/{id}/` (identity null unless you work in the issuing office),
  `POST /api/objections/{id}/investigate/`, `POST /api/objections/{id}/decide/`;
- `GET/POST /api/day-overrides/`, `GET/DELETE /api/day-overrides/{id}/` (writes: the administrator);
- `GET /api/workdays/?publish_day=&length=&day_kind=`: the window a notice published that day would have;
- `POST /api/public-objections/` (no login): what the public objection form does, with the same checks and
  per-address limit; answers the case number and the objector's private case link.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.campaigns.access import access_campaign_by_id
from lvchuang.notices import access, calendar, public_views, services
from lvchuang.notices.models import DayOverride, Notice, Objection
from lvchuang.notices.serializers import (
    DayOverrideSerializer,
    DecideSerializer,
    InvestigateSerializer,
    NewNoticeSerializer,
    NoticeDetailSerializer,
    NoticeFilters,
    NoticeSerializer,
    ObjectionFilters,
    ObjectionSerializer,
    WorkdaysPreviewSerializer,
    WorkdaysQuery,
)

TAG = "公示与异议"
CALENDAR_TAG = "节假日安排"
NOT_FOUND = OpenApiResponse(description="对象不存在，或不在您的辖区内。")
REFUSED = OpenApiResponse(description="您可以查看，但无权办理此操作。")
INVALID = OpenApiResponse(description="输入有误或当前不能办理（公示期未满、异议未办结等）：按字段列出原因。")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="公示列表", description="您辖区内创建活动的公示。", parameters=[NoticeFilters]
    ),
    retrieve=extend_schema(
        summary="公示详情",
        description="含公示名单。",
        responses={200: NoticeDetailSerializer, 404: NOT_FOUND},
    ),
)
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Notice]):
    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()

    def get_queryset(self) -> QuerySet[Notice]:
        notices = access.visible_notices(current_user(self.request)).order_by("-created_at", "-pk")
        if self.action == "list":
            filters = parse_filters(NoticeFilters, self.request)
            if "campaign" in filters:
                notices = notices.filter(campaign_id=filters["campaign"])
            if filters.get("status"):
                notices = notices.filter(status=filters["status"])
        return notices

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Notice]]:
        return NoticeDetailSerializer if self.action != "list" else NoticeSerializer

    def get_object(self) -> Notice:
        return access.access_notice_by_id(current_user(self.request), self.kwargs["pk"])

    def _detail(self, notice: Notice, code: int = status.HTTP_200_OK) -> Response:
        notice = access.access_notice_by_id(current_user(self.request), notice.pk)
        return Response(NoticeDetailSerializer(notice, context={"request": self.request}).data, code)

    @extend_schema(
        summary="制作公示",
        description="把创建活动的入围申报按排名列入一份公示草稿。没有入围申报或已有未结束的公示时拒绝。",
        request=NewNoticeSerializer,
        responses={201: NoticeDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = NewNoticeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        campaign = access_campaign_by_id(user, values.pop("campaign"), for_change=True)
        with service_errors():
            notice = services.create_notice(by=user, campaign=campaign, **values)
        return self._detail(notice, status.HTTP_201_CREATED)

    @extend_schema(
        summary="发布公示",
        description="按创建项目的公示期规定（工作日或自然日）从今天起计算公示期并向社会公开。",
        request=None,
        responses={200: NoticeDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        notice = access.access_notice_by_id(user, pk, for_change=True)
        with service_errors():
            services.publish_notice(by=user, notice=notice)
        return self._detail(notice)

    @extend_schema(
        summary="结束公示",
        description="公示期最后一天过后，且没有未办结的异议时，方可结束。",
        request=None,
        responses={200: NoticeDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        notice = access.access_notice_by_id(user, pk, for_change=True)
        with service_errors():
            services.close_notice(by=user, notice=notice)
        return self._detail(notice)


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="异议列表",
        description="您所办理公示收到的异议。异议人身份仅对发布公示的单位可见，其他人看到 null。",
        parameters=[ObjectionFilters],
    ),
    retrieve=extend_schema(summary="异议详情", responses={200: ObjectionSerializer, 404: NOT_FOUND}),
)
class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Objection]):
    serializer_class = ObjectionSerializer
    queryset = Objection.objects.none()

    def get_queryset(self) -> QuerySet[Objection]:
        objections = access.visible_objections(current_user(self.request)).order_by("-received_at", "-pk")
        if self.action == "list":
            filters = parse_filters(ObjectionFilters, self.request)
            if "notice" in filters:
                objections = objections.filter(notice_id=filters["notice"])
            if filters.get("status"):
                objections = objections.filter(status=filters["status"])
        return objections

    def get_object(self) -> Objection:
        return access.access_objection_by_id(current_user(self.request), self.kwargs["pk"])

    def _detail(self, objection: Objection) -> Response:
        objection = access.access_objection_by_id(current_user(self.request), objection.pk)
        return Response(ObjectionSerializer(objection, context={"request": self.request}).data)

    @extend_schema(
        summary="开始调查核实",
        request=InvestigateSerializer,
        responses={200: ObjectionSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def investigate(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        objection = self.get_object()
        data = InvestigateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.start_investigation(
                by=user, objection=objection, findings=data.validated_data.get("findings", "")
            )
        return self._detail(objection)

    @extend_schema(
        summary="作出结论",
        description="写明书面答复后作出结论。异议成立的，该单位移出公示名单，申报不予通过。",
        request=DecideSerializer,
        responses={200: ObjectionSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        objection = self.get_object()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.decide_objection(
                by=user,
                objection=objection,
                upheld=data.validated_data["upheld"],
                reply=data.validated_data["reply"],
                findings=data.validated_data.get("findings", ""),
                site_root=request.build_absolute_uri("/").rstrip("/"),
            )
        return self._detail(objection)


@extend_schema(tags=[CALENDAR_TAG])
@extend_schema_view(
    list=extend_schema(
        summary="节假日调整列表", description="管理员录入或更正的日子（覆盖内置的节假日安排）。"
    ),
    retrieve=extend_schema(summary="节假日调整", responses={200: DayOverrideSerializer, 404: NOT_FOUND}),
    destroy=extend_schema(summary="删除节假日调整", responses={204: None, 403: REFUSED, 404: NOT_FOUND}),
)
class DayOverrideViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[DayOverride],
):
    serializer_class = DayOverrideSerializer
    queryset = DayOverride.objects.none()

    def get_queryset(self) -> QuerySet[DayOverride]:
        return access.visible_day_overrides(current_user(self.request))

    def get_object(self) -> DayOverride:
        return access.access_day_override_by_id(
            current_user(self.request), self.kwargs["pk"], for_change=self.action == "destroy"
        )

    @extend_schema(
        summary="录入或更正一天",
        description="仅系统管理员。公示中的公示期会按新的安排重新计算。",
        request=DayOverrideSerializer,
        responses={201: DayOverrideSerializer, 400: INVALID, 403: REFUSED},
    )
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = DayOverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            override = services.save_day_override(by=user, **data.validated_data)
        return Response(DayOverrideSerializer(override).data, status.HTTP_201_CREATED)

    def perform_destroy(self, instance: DayOverride) -> None:
        with service_errors():
            services.delete_day_override(by=current_user(self.request), override=instance)


@extend_schema(tags=[CALENDAR_TAG])
class WorkdaysViewSet(viewsets.ViewSet):
    @extend_schema(
        summary="测算公示期",
        description="给定发布日期、长度和计算方式，按节假日安排（含调休上班日和管理员的调整）算出公示期。",
        parameters=[WorkdaysQuery],
        responses={200: WorkdaysPreviewSerializer, 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        current_user(request)
        query = parse_filters(WorkdaysQuery, request)
        window = calendar.window_for(
            publish_day=query["publish_day"], length=query["length"], day_kind=query["day_kind"]
        )
        days = calendar.days_of(query["publish_day"], window.ends_on)
        preview = {
            "starts_on": window.starts_on,
            "ends_on": window.ends_on,
            "provisional": window.provisional,
            "days": [{"date": day.date, "is_workday": day.is_workday} for day in days],
        }
        return Response(WorkdaysPreviewSerializer(preview).data)


class PublicObjectionSerializer(serializers.Serializer[dict[str, Any]]):
    notice = serializers.IntegerField(help_text="公示 id（已发布、公示期内）。")
    entry = serializers.IntegerField(help_text="异议对象：公示名单条目 id。")
    name = serializers.CharField(max_length=60, help_text="真实姓名（仅受理单位可见）。")
    phone = serializers.CharField(max_length=40, help_text="联系电话（仅受理单位可见）。")
    email = serializers.EmailField(
        required=False, allow_blank=True, default="", help_text="电子邮箱（选填）。"
    )
    content = serializers.CharField(max_length=5000, help_text="异议内容：具体事实、理由和线索。")
    evidence = serializers.FileField(required=False, help_text="证据材料（选填）：图片、PDF、Word 或 Excel。")


class ObjectionReceiptSerializer(serializers.Serializer[Any]):
    case_number = serializers.CharField(label="案件编号")
    case_url = serializers.CharField(label="查询案件进展的私人链接")


@extend_schema(tags=[TAG])
class PublicObjectionViewSet(viewsets.ViewSet):
    """The public objection form as an API: no login, the same validation and per-address limit."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="提出异议（无需登录）",
        description="公示期内实名对名单中的一个单位提出异议。姓名和联系方式只有受理单位可见。"
        "同一网络地址受频率限制（默认每小时 5 件）。",
        request=PublicObjectionSerializer,
        responses={
            201: ObjectionReceiptSerializer,
            400: INVALID,
            404: OpenApiResponse(description="公示不存在或尚未发布。"),
            429: OpenApiResponse(description="提交过于频繁，请稍后再试。"),
        },
    )
    def create(self, request: Request) -> Response:
        data = PublicObjectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        notice = public_views.published_notices().filter(pk=values["notice"]).first()
        if notice is None:
            raise NotFound
        if public_views.rate_limited(request):
            return Response({"detail": public_views.rate_refusal()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        entry = notice.entries.filter(pk=values["entry"]).first()
        if entry is None:
            raise serializers.ValidationError({"entry": [_("所选单位不在本公示的名单中。")]})
        site_root = request.build_absolute_uri("/").rstrip("/")
        with service_errors():
            objection = services.submit_objection(
                notice=notice,
                entry=entry,
                name=values["name"],
                phone=values["phone"],
                email=values["email"],
                content=values["content"],
                evidence=values.get("evidence"),
                client_address=request.META.get("REMOTE_ADDR", ""),
                site_root=site_root,
            )
        receipt = {
            "case_number": objection.case_number,
            "case_url": site_root + reverse("public_notices:case", args=[objection.token]),
        }
        return Response(ObjectionReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)


def register(router: DefaultRouter) -> None:
    router.register("notices", NoticeViewSet, basename="notice")
    router.register("objections", ObjectionViewSet, basename="objection")
    router.register("day-overrides", DayOverrideViewSet, basename="day-override")
    router.register("workdays", WorkdaysViewSet, basename="workdays")
    router.register("public-objections", PublicObjectionViewSet, basename="public-objection")
