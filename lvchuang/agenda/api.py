"""The calendar API, scoped like the page (`events.events_for` of the signed-in user):

- `GET /api/agenda/events/?start=&end=`: the user's events in a range of at most 400 days;
- `GET /api/agenda/feed-key/`: the address of the user's ICS feed; `POST` replaces it (the old one stops working).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.agenda import services
from lvchuang.agenda.events import events_for
from lvchuang.agenda.models import FeedToken
from lvchuang.agenda.serializers import (
    AgendaEventQuerySerializer,
    AgendaEventSerializer,
    FeedAddressSerializer,
)
from lvchuang.agenda.views import feed_url

TAG = "日程"
INVALID = OpenApiResponse(description="日期格式有误，或范围超过 400 天。")


@extend_schema(tags=[TAG])
class EventViewSet(viewsets.ViewSet):
    @extend_schema(
        summary="日程事项",
        description="您职责范围内在给定日期范围（含首尾，最长 400 天）的事项，按日期排序：创建活动阶段的开始和截止、"
        "您的办理期限（含申报表报送）、报送截止、整改期限、议定事项办结时限、公示期截止。",
        parameters=[AgendaEventQuerySerializer],
        responses={200: AgendaEventSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        user = current_user(request)
        query = parse_filters(AgendaEventQuerySerializer, request)
        events = events_for(user, start=query["start"], end=query["end"])
        return Response(AgendaEventSerializer(events, many=True, context={"request": request}).data)


class OneObjectSchema(AutoSchema):
    """The feed address is one object, although the router names its GET `list`."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


@extend_schema(tags=[TAG])
class FeedKeyViewSet(viewsets.ViewSet):
    schema = OneObjectSchema()

    @extend_schema(
        summary="订阅地址",
        description="您的日程订阅（ICS）地址；首次查看时生成。",
        responses=FeedAddressSerializer,
    )
    def list(self, request: Request) -> Response:
        user = current_user(request)
        with service_errors():
            token = services.feed_token_for(user)
        return Response(FeedAddressSerializer(_address(request, token)).data)

    @extend_schema(
        summary="更换订阅地址",
        description="生成新的订阅地址，原地址随即失效（返回 404）。",
        request=None,
        responses={201: FeedAddressSerializer},
    )
    def create(self, request: Request) -> Response:
        user = current_user(request)
        with service_errors():
            token = services.reset_feed_key(by=user)
        return Response(FeedAddressSerializer(_address(request, token)).data, status=status.HTTP_201_CREATED)


def _address(request: Request, token: FeedToken) -> dict[str, str]:
    return {"feed_url": feed_url(request, token)}


def register(router: BaseRouter) -> None:
    """Adds this app's viewsets to the API router (config/api_urls.py)."""
    router.register("agenda/events", EventViewSet, basename="agenda-event")
    router.register("agenda/feed-key", FeedKeyViewSet, basename="agenda-feed-key")
