"""The joint meeting API, scoped like the pages (`meetings.access`):

- `GET /api/meeting-bodies/` (with counts), `GET /api/meeting-bodies/{id}/` (members and liaisons),
  `GET /api/meeting-bodies/{id}/meetings/`;
- `GET/POST /api/meetings/`, `GET/PUT/PATCH /api/meetings/{id}/`, `GET /api/meetings/{id}/minutes-file/`,
  `POST /api/meetings/{id}/minutes-upload/` (multipart);
- `GET/POST /api/agreed-items/`, `GET/PUT/PATCH /api/agreed-items/{id}/`, `GET /api/agreed-items/mine/`,
  `POST /api/agreed-items/{id}/progress/`, `…/close/` (the owner's liaison or the office), `…/cancel/`,
  `…/reopen/` (the office);
- `GET/POST /api/liaisons/`, `GET/DELETE /api/liaisons/{id}/`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.access import _get_or_404
from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.meetings import access, selectors, services
from lvchuang.meetings.models import AgreedItem, Liaison, Meeting
from lvchuang.meetings.serializers import (
    AgreedItemCreateSerializer,
    AgreedItemDetailSerializer,
    AgreedItemSerializer,
    AgreedItemUpdateSerializer,
    CancelSerializer,
    CloseSerializer,
    ItemFilters,
    LiaisonCreateSerializer,
    LiaisonSerializer,
    MeetingBodyDetailSerializer,
    MeetingBodySerializer,
    MeetingCreateSerializer,
    MeetingFilters,
    MeetingSerializer,
    MeetingWriteSerializer,
    MinutesUploadSerializer,
    ProgressNoteSerializer,
    ReopenSerializer,
)
from lvchuang.meetings.views import minutes_response
from lvchuang.organisations.models import GoverningBody

TAG = "联席会议"
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的职责范围内。")
REFUSED = OpenApiResponse(description="您可以查看，但无权进行该操作。")
INVALID = OpenApiResponse(description="输入有误或当前不能办理：按字段列出原因。")
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="文件。")


def _attendees(values: list[dict[str, Any]] | None) -> list[services.AttendeeInput] | None:
    if values is None:
        return None
    return [
        services.AttendeeInput(
            name=row["name"],
            department=row.get("department"),
            position=row.get("position", ""),
            is_absent=row.get("is_absent", False),
        )
        for row in values
    ]


# --- bodies -------------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="领导机构（会议与议定事项）",
        description="您能看到的领导小组、组委会和联席会议，附成员单位数、会议数、办理中和逾期的议定事项数。",
    ),
    retrieve=extend_schema(
        summary="领导机构详情", responses={200: MeetingBodyDetailSerializer, 404: NOT_FOUND}
    ),
)
class MeetingBodyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[GoverningBody]
):
    serializer_class = MeetingBodySerializer
    queryset = GoverningBody.objects.none()

    def get_queryset(self) -> QuerySet[GoverningBody]:
        return selectors.bodies_with_counts(current_user(self.request))

    def get_serializer_class(self) -> Any:
        return MeetingBodyDetailSerializer if self.action == "retrieve" else MeetingBodySerializer

    def get_object(self) -> GoverningBody:
        body = _get_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        prefetch_related_objects(
            [body], Prefetch("bodymembership_set", queryset=selectors.memberships_of(body))
        )
        return body

    @extend_schema(summary="本机构的会议", responses={200: MeetingSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def meetings(self, request: Request, pk: str) -> Response:
        body = access.access_meeting_body_by_id(current_user(request), pk)
        meetings = (
            Meeting.objects.filter(body=body)
            .select_related("body")
            .prefetch_related("attendances__department")
        )
        return Response(MeetingSerializer(meetings, many=True).data)


# --- meetings -----------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="会议列表", description="您能看到的领导机构的会议。", parameters=[MeetingFilters]
    ),
    retrieve=extend_schema(summary="会议详情", responses={200: MeetingSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="记录会议",
        description="由机构所在地的创建办及其上级记录；参会人员的部门须为成员单位，列席人员不填部门。",
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, 400: INVALID, 403: REFUSED},
    ),
    update=extend_schema(
        summary="修改会议",
        request=MeetingWriteSerializer,
        responses={200: MeetingSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="修改会议（部分）",
        description="只改传入的字段；attendees 传入时整体替换参会人员。",
        request=MeetingWriteSerializer,
        responses={200: MeetingSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Meeting],
):
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()

    def get_queryset(self) -> QuerySet[Meeting]:
        meetings = access.visible_meetings(current_user(self.request)).prefetch_related(
            "attendances__department"
        )
        if self.action == "list":
            body = parse_filters(MeetingFilters, self.request).get("body")
            if body is not None:
                meetings = meetings.filter(body_id=body)
        return meetings

    def get_object(self) -> Meeting:
        return access.access_meeting_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = MeetingCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["attendees"] = _attendees(values.get("attendees")) or []
        with service_errors():
            meeting = services.create_meeting(by=current_user(request), **values)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        meeting = access.access_meeting_by_id(user, self.kwargs["pk"], for_change=True)
        data = MeetingWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context={"request": request}
        )
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = {
            "title": meeting.title,
            "held_on": meeting.held_on,
            "place": meeting.place,
            "chair": meeting.chair,
            "minutes": meeting.minutes,
            "minutes_number": meeting.minutes_number,
            **data.validated_data,
        }
        values["attendees"] = _attendees(values.get("attendees"))
        with service_errors():
            meeting = services.update_meeting(by=user, meeting=meeting, **values)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(summary="下载纪要扫描件", responses={200: FILE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="minutes-file", url_name="minutes-file")
    def minutes_file(self, request: Request, pk: str) -> FileResponse:
        return minutes_response(self.get_object())

    @extend_schema(
        summary="上传纪要扫描件",
        description="替换已上传的扫描件；文件类型按内容识别（PDF、Word、图片）。",
        request={"multipart/form-data": MinutesUploadSerializer},
        responses={200: MeetingSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="minutes-upload",
        url_name="minutes-upload",
        parser_classes=[MultiPartParser, FormParser],
    )
    def minutes_upload(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        meeting = access.access_meeting_by_id(user, pk, for_change=True)
        data = MinutesUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            meeting = services.update_meeting(
                by=user,
                meeting=meeting,
                title=meeting.title,
                held_on=meeting.held_on,
                place=meeting.place,
                chair=meeting.chair,
                minutes=meeting.minutes,
                minutes_number=meeting.minutes_number,
                minutes_upload=data.validated_data["file"],
            )
        return Response(MeetingSerializer(meeting).data)


# --- agreed items -------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="议定事项列表",
        description="您能看到的领导机构的议定事项，办理中的在前；可按状态（含逾期）、责任单位、机构、会议筛选。",
        parameters=[ItemFilters],
    ),
    retrieve=extend_schema(
        summary="议定事项详情", responses={200: AgreedItemDetailSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="添加议定事项",
        description="责任单位须为成员单位，办结时限不早于会议召开日期；序号在会议内自动递增。",
        request=AgreedItemCreateSerializer,
        responses={201: AgreedItemDetailSerializer, 400: INVALID, 403: REFUSED},
    ),
    update=extend_schema(
        summary="修改议定事项",
        description="只能修改办理中的事项；责任单位或办结时限的调整记入办理经过。",
        request=AgreedItemUpdateSerializer,
        responses={200: AgreedItemDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="修改议定事项（部分）",
        request=AgreedItemUpdateSerializer,
        responses={200: AgreedItemDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class AgreedItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[AgreedItem],
):
    serializer_class = AgreedItemSerializer
    queryset = AgreedItem.objects.none()

    def get_queryset(self) -> QuerySet[AgreedItem]:
        items = selectors.visible_agreed_items(current_user(self.request))
        if self.action != "list":
            return items
        filters = parse_filters(ItemFilters, self.request)
        items = selectors.filter_items(
            items,
            status=filters.get("status", ""),
            owner_id=filters.get("owner"),
            body_id=filters.get("body"),
        )
        if filters.get("meeting") is not None:
            items = items.filter(meeting_id=filters["meeting"])
        return items

    def get_serializer_class(self) -> Any:
        return AgreedItemDetailSerializer if self.action == "retrieve" else AgreedItemSerializer

    def get_object(self) -> AgreedItem:
        return access.access_item_by_id(current_user(self.request), self.kwargs["pk"])

    def _detail(self, item: AgreedItem, *, code: int = status.HTTP_200_OK) -> Response:
        item = access.access_item_by_id(current_user(self.request), item.pk)
        return Response(AgreedItemDetailSerializer(item).data, status=code)

    def _workable(self, pk: str) -> AgreedItem:
        return access.access_item_by_id(current_user(self.request), pk, for_change=True)

    def _kept(self, pk: str) -> AgreedItem:
        user = current_user(self.request)
        item = access.access_item_by_id(user, pk)
        if not access.can_keep_body(user, item.meeting.body):
            raise exceptions.PermissionDenied
        return item

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = AgreedItemCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            item = services.add_agreed_item(by=current_user(request), **data.validated_data)
        return self._detail(item, code=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self._kept(self.kwargs["pk"])
        data = AgreedItemUpdateSerializer(
            data=request.data, partial=kwargs.get("partial", False), context={"request": request}
        )
        data.is_valid(raise_exception=True)
        values = {"text": item.text, "owner": item.owner, "due_on": item.due_on, **data.validated_data}
        with service_errors():
            item = services.update_agreed_item(by=current_user(request), item=item, **values)
        return self._detail(item)

    @extend_schema(
        summary="我的议定事项",
        description="您作为联络员所在成员单位负责的事项：办理中的在前（逾期最久的最先），然后是已办结和已撤销的。",
        responses={200: AgreedItemSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def mine(self, request: Request) -> Response:
        today = timezone.localdate()
        rows = selectors.items_for_liaison(current_user(request), today=today)
        items = [row.item for row in rows]
        return Response(AgreedItemSerializer(items, many=True, context={"today": today}).data)

    @extend_schema(
        summary="填报办理进展",
        description="责任单位的联络员或联席会议办公室，对办理中的事项填报进展。",
        request=ProgressNoteSerializer,
        responses={200: AgreedItemDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str) -> Response:
        item = self._workable(pk)
        data = ProgressNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.add_progress(by=current_user(request), item=item, note=data.validated_data["note"])
        return self._detail(item)

    @extend_schema(
        summary="办结",
        description="责任单位的联络员或联席会议办公室写明办理结果；办结日期不填为今天，不能晚于今天。",
        request=CloseSerializer,
        responses={200: AgreedItemDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        item = self._workable(pk)
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            item = services.close_item(
                by=current_user(request),
                item=item,
                result=data.validated_data["result"],
                closed_on=data.validated_data.get("closed_on"),
            )
        return self._detail(item)

    @extend_schema(
        summary="撤销",
        description="联席会议办公室撤销办理中的事项，须写明理由。",
        request=CancelSerializer,
        responses={200: AgreedItemDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        item = self._kept(pk)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            item = services.cancel_item(
                by=current_user(request), item=item, reason=data.validated_data["reason"]
            )
        return self._detail(item)

    @extend_schema(
        summary="重新打开",
        description="联席会议办公室重新打开已办结的事项，须写明原因，可调整办结时限。",
        request=ReopenSerializer,
        responses={200: AgreedItemDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        item = self._kept(pk)
        data = ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            item = services.reopen_item(
                by=current_user(request),
                item=item,
                reason=data.validated_data["reason"],
                due_on=data.validated_data.get("due_on"),
            )
        return self._detail(item)


# --- liaisons -----------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="联络员列表", description="您能看到的领导机构的成员单位联络员。"),
    retrieve=extend_schema(summary="联络员详情", responses={200: LiaisonSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="登记联络员",
        description="由机构所在地的创建办及其上级登记；该用户须已被授予本机构的领导小组成员角色，每人在一个机构只代表一个成员单位。",
        request=LiaisonCreateSerializer,
        responses={201: LiaisonSerializer, 400: INVALID, 403: REFUSED},
    ),
    destroy=extend_schema(summary="移除联络员", responses={204: None, 403: REFUSED, 404: NOT_FOUND}),
)
class LiaisonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Liaison],
):
    serializer_class = LiaisonSerializer
    queryset = Liaison.objects.none()

    def get_queryset(self) -> QuerySet[Liaison]:
        return access.visible_liaisons(current_user(self.request))

    def get_object(self) -> Liaison:
        return access.access_liaison_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = LiaisonCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with service_errors():
            liaison = services.add_liaison(by=current_user(request), **data.validated_data)
        return Response(LiaisonSerializer(liaison).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        liaison = access.access_liaison_by_id(user, self.kwargs["pk"], for_change=True)
        with service_errors():
            services.remove_liaison(by=user, liaison=liaison)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: BaseRouter) -> None:
    """Adds this app's viewsets to the API router (config/api_urls.py)."""
    router.register("meeting-bodies", MeetingBodyViewSet, basename="meeting-body")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("agreed-items", AgreedItemViewSet, basename="agreed-item")
    router.register("liaisons", LiaisonViewSet, basename="liaison")
