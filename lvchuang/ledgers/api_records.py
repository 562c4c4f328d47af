"""The records API, scoped like the pages (`selectors.access_ledger_unit`, `selectors.ledger_units`):

- `GET /api/ledgers/units/` (units in scope keeping ledgers, with the latest year, months reported and open
  flags), `GET /api/ledgers/units/{id}/`;
- `GET/PUT /api/ledgers/units/{id}/basic-info/{year}/`, `GET/PUT .../months/{year}/` (the month sheet, with the
  monthly form's checks), `GET/PUT .../heating/{year}/`;
- `GET/POST /api/ledgers/meters/`, `GET/PUT/PATCH /api/ledgers/meters/{id}/` (PATCH `is_active` takes a meter out
  of service), `GET/PUT /api/ledgers/meters/{id}/readings/{year}/`;
- `GET/POST /api/ledgers/data-rooms/`, `DELETE /api/ledgers/data-rooms/{id}/`;
- `GET/POST /api/ledgers/garbage-removals/`, `DELETE /api/ledgers/garbage-removals/{id}/` (the undo).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.ledgers import selectors, services
from lvchuang.ledgers.models import CANONICAL_MEASURE, DataRoom, GarbageRemoval, Meter
from lvchuang.ledgers.serializers import (
    BasicInfoSerializer,
    DataRoomSerializer,
    GarbageFilters,
    GarbageRemovalSerializer,
    HeatingSerializer,
    LedgerUnitSerializer,
    MeterReadingsSerializer,
    MeterSerializer,
    MeterUpdateSerializer,
    MonthSheetSerializer,
    UnitFilters,
    UnitYearFilters,
)
from lvchuang.organisations.models import Unit
from lvchuang.regions.models import Region

TAG = "能源资源台账"
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的职责范围内，或该单位不填报台账。")
REFUSED = OpenApiResponse(description="您无权进行该操作（只读）。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误（逐月表按格子 m<月>_<品种>）。")
YEAR = OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="年份。")


def _year(value: str) -> int:
    year = int(value)
    if not selectors.FIRST_YEAR <= year <= selectors.LAST_YEAR:
        raise Http404
    return year


# --- units -----------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="填报台账的单位",
        description="您职责范围内的公共机构（党政机关、事业单位、学校及有单位类型代码的单位），含最近有消费数据的年份、"
        "所查年份（year，默认今年）已填报的月数和待更正的数据质量问题数。",
        parameters=[UnitFilters],
    ),
    retrieve=extend_schema(summary="单位台账概况", responses={200: LedgerUnitSerializer, 404: NOT_FOUND}),
)
class LedgerUnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Unit]):
    serializer_class = LedgerUnitSerializer
    queryset = Unit.objects.none()  # the model, for the schema; requests use get_queryset()

    def get_queryset(self) -> QuerySet[Unit]:
        user = current_user(self.request)
        filters = parse_filters(UnitFilters, self.request) if self.action == "list" else {}
        region_path = ""
        if filters.get("region"):
            region = Region.objects.filter(code=filters["region"]).first()
            region_path = region.path if region is not None else "-"
        units = selectors.filter_units(
            selectors.ledger_units(user),
            region_path=region_path,
            institution_type=filters.get("institution_type", ""),
            name=filters.get("name", ""),
        )
        year = filters.get("year") or timezone.localdate().year
        return selectors.unit_rows(units, year).order_by("region__path", "name", "pk")

    def get_object(self) -> Unit:
        unit = selectors.access_ledger_unit(current_user(self.request), self.kwargs["pk"])
        return self.get_queryset().get(pk=unit.pk)

    def _unit(self, pk: str, *, for_change: bool) -> Unit:
        return selectors.access_ledger_unit(current_user(self.request), pk, for_change=for_change)

    @extend_schema(
        methods=["GET"],
        summary="基本信息",
        parameters=[YEAR],
        responses={200: BasicInfoSerializer, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT"],
        summary="填写基本信息",
        description="单位类型代码、建筑面积（仅办公建筑）、用能人数（含编外人员）、采暖面积。保存后重新检查数据质量。",
        parameters=[YEAR],
        request=BasicInfoSerializer,
        responses={200: BasicInfoSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(
        detail=True, methods=["get", "put"], url_path=r"basic-info/(?P<year>[0-9]{4})", url_name="basic-info"
    )
    def basic_info(self, request: Request, pk: str, year: str) -> Response:
        chosen = _year(year)
        if request.method == "GET":
            info = selectors.basic_info(self._unit(pk, for_change=False), chosen)
            if info is None:
                raise Http404
            return Response(BasicInfoSerializer(info).data)
        unit = self._unit(pk, for_change=True)
        data = BasicInfoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with service_errors():
            info = services.save_basic_info(
                by=current_user(request),
                unit=unit,
                year=chosen,
                institution_type=values["institution_type"],
                floor_area=values["floor_area"],
                headcount=values["headcount"],
                heated_area=values.get("heated_area"),
            )
        return Response(BasicInfoSerializer(info).data)

    @extend_schema(
        methods=["GET"],
        summary="逐月消费量",
        description="该年度已填的格子：月份、品种、实物量和计量单位。",
        parameters=[YEAR],
        responses={200: MonthSheetSerializer, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT"],
        summary="填写逐月消费量",
        description="与月度填报页面相同的校验：所列格子全部合格才保存，否则一格也不写，错误按格子列出。"
        "amount 为 null 删除该格；未列出的格子不变。负值和零值照常保存，由数据质量规则标出。",
        parameters=[YEAR],
        request=MonthSheetSerializer,
        responses={200: MonthSheetSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "put"], url_path=r"months/(?P<year>[0-9]{4})", url_name="months")
    def months(self, request: Request, pk: str, year: str) -> Response:
        chosen = _year(year)
        if request.method == "PUT":
            unit = self._unit(pk, for_change=True)
            data = MonthSheetSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = {
                (cell["month"], cell["carrier"]): (
                    cell["amount"],
                    cell.get("measure") or CANONICAL_MEASURE.get(cell["carrier"], ""),
                )
                for cell in data.validated_data["cells"]
            }
            with service_errors():
                services.save_month_sheet(by=current_user(request), unit=unit, year=chosen, values=values)
        else:
            unit = self._unit(pk, for_change=False)
        sheet = selectors.month_sheet(unit, chosen)
        cells = [
            {"month": month, "carrier": carrier, "amount": amount, "measure": measure}
            for (month, carrier), (amount, measure) in sorted(sheet.values().items())
        ]
        return Response(MonthSheetSerializer({"year": chosen, "cells": cells}).data)

    @extend_schema(
        methods=["GET"],
        summary="采暖",
        parameters=[YEAR],
        responses={200: HeatingSerializer, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT"],
        summary="填写采暖",
        parameters=[YEAR],
        request=HeatingSerializer,
        responses={200: HeatingSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "put"], url_path=r"heating/(?P<year>[0-9]{4})", url_name="heating")
    def heating(self, request: Request, pk: str, year: str) -> Response:
        chosen = _year(year)
        if request.method == "GET":
            row = selectors.heating(self._unit(pk, for_change=False), chosen)
            if row is None:
                raise Http404
            return Response(HeatingSerializer(row).data)
        unit = self._unit(pk, for_change=True)
        data = HeatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with service_errors():
            row = services.save_heating(
                by=current_user(request),
                unit=unit,
                year=chosen,
                mode=values["mode"],
                heated_area=values.get("heated_area", 0),
                heat_gj=values.get("heat_gj"),
                billed_by_heat=values.get("billed_by_heat", True),
            )
        return Response(HeatingSerializer(row).data)


# --- meters ----------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="计量器具", parameters=[UnitYearFilters]),
    retrieve=extend_schema(summary="计量器具详情", responses={200: MeterSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="登记计量器具",
        description="表号在本单位内唯一。",
        request=MeterSerializer,
        responses={201: MeterSerializer, 400: INVALID, 403: REFUSED},
    ),
    update=extend_schema(
        summary="修改计量器具",
        request=MeterUpdateSerializer,
        responses={200: MeterSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="修改计量器具（部分）",
        description="只改所填字段；is_active 为 false 停用（保留读数），true 重新启用。",
        request=MeterUpdateSerializer,
        responses={200: MeterSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class MeterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Meter],
):
    serializer_class = MeterSerializer
    queryset = Meter.objects.none()

    def get_queryset(self) -> QuerySet[Meter]:
        meters = Meter.objects.filter(unit__in=selectors.ledger_units(current_user(self.request)))
        filters = parse_filters(UnitYearFilters, self.request) if self.action == "list" else {}
        if "unit" in filters:
            meters = meters.filter(unit_id=filters["unit"])
        return meters.order_by("unit_id", "number", "pk")

    def get_object(self) -> Meter:
        return self._meter(self.kwargs["pk"], for_change=False)

    def _meter(self, pk: Any, *, for_change: bool) -> Meter:
        meter = get_object_or_404(self.get_queryset().select_related("unit"), pk=pk)
        selectors.access_ledger_unit(current_user(self.request), meter.unit_id, for_change=for_change)
        return meter

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        data = MeterSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = selectors.access_ledger_unit(user, values.pop("unit").pk, for_change=True)
        with service_errors():
            meter = services.create_meter(by=user, unit=unit, **values)
        return Response(MeterSerializer(meter).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        meter = self._meter(self.kwargs["pk"], for_change=True)
        data = MeterUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        active = changes.pop("is_active", None)
        with service_errors():
            if changes:
                meter = services.update_meter(by=user, meter=meter, changes=changes)
            if active is not None:
                meter = services.set_meter_active(by=user, meter=meter, active=active)
        return Response(MeterSerializer(meter).data)

    @extend_schema(
        methods=["GET"],
        summary="计量器具读数",
        parameters=[YEAR],
        responses={200: MeterReadingsSerializer, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT"],
        summary="填写计量器具读数",
        description="逐月用量；amount 为 null 删除该月读数，未列出的月份不变。",
        parameters=[YEAR],
        request=MeterReadingsSerializer,
        responses={200: MeterReadingsSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "put"], url_path=r"readings/(?P<year>[0-9]{4})", url_name="readings")
    def readings(self, request: Request, pk: str, year: str) -> Response:
        chosen = _year(year)
        meter = self._meter(pk, for_change=request.method == "PUT")
        if request.method == "PUT":
            data = MeterReadingsSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            amounts = {row["month"]: row["amount"] for row in data.validated_data["readings"]}
            with service_errors():
                services.save_meter_readings(
                    by=current_user(request), meter=meter, year=chosen, amounts=amounts
                )
        readings = [
            {"month": month, "amount": amount}
            for month, amount in sorted(selectors.meter_readings(meter, chosen).items())
        ]
        return Response(MeterReadingsSerializer({"year": chosen, "readings": readings}).data)


# --- data rooms ------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="数据中心机房", parameters=[UnitYearFilters]),
    create=extend_schema(
        summary="添加机房",
        description="机房名称在单位的同一年度内唯一。",
        request=DataRoomSerializer,
        responses={201: DataRoomSerializer, 400: INVALID, 403: REFUSED},
    ),
    destroy=extend_schema(summary="删除机房", responses={204: None, 403: REFUSED, 404: NOT_FOUND}),
)
class DataRoomViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[DataRoom],
):
    serializer_class = DataRoomSerializer
    queryset = DataRoom.objects.none()

    def get_queryset(self) -> QuerySet[DataRoom]:
        rooms = DataRoom.objects.filter(unit__in=selectors.ledger_units(current_user(self.request)))
        filters = parse_filters(UnitYearFilters, self.request) if self.action == "list" else {}
        if "unit" in filters:
            rooms = rooms.filter(unit_id=filters["unit"])
        if "year" in filters:
            rooms = rooms.filter(year=filters["year"])
        return rooms.order_by("unit_id", "-year", "name", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        data = DataRoomSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = selectors.access_ledger_unit(user, values.pop("unit").pk, for_change=True)
        with service_errors():
            room = services.add_data_room(by=user, unit=unit, **values)
        return Response(DataRoomSerializer(room).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        room = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        selectors.access_ledger_unit(user, room.unit_id, for_change=True)
        with service_errors():
            services.delete_data_room(by=user, room=room)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- garbage removals ------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="垃圾清运台账", parameters=[GarbageFilters]),
    create=extend_schema(
        summary="登记清运",
        request=GarbageRemovalSerializer,
        responses={201: GarbageRemovalSerializer, 400: INVALID, 403: REFUSED},
    ),
    destroy=extend_schema(
        summary="撤销清运记录",
        description="删除登记错的记录；审计记录保留其内容。",
        responses={204: None, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class GarbageRemovalViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[GarbageRemoval],
):
    serializer_class = GarbageRemovalSerializer
    queryset = GarbageRemoval.objects.none()

    def get_queryset(self) -> QuerySet[GarbageRemoval]:
        removals = GarbageRemoval.objects.filter(
            unit__in=selectors.ledger_units(current_user(self.request))
        ).select_related("created_by")
        filters = parse_filters(GarbageFilters, self.request) if self.action == "list" else {}
        if "unit" in filters:
            removals = removals.filter(unit_id=filters["unit"])
        if "year" in filters:
            removals = removals.filter(removed_on__year=filters["year"])
        if filters.get("category"):
            removals = removals.filter(category=filters["category"])
        return removals.order_by("-removed_on", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        data = GarbageRemovalSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = selectors.access_ledger_unit(user, values.pop("unit").pk, for_change=True)
        with service_errors():
            removal = services.add_garbage_removal(by=user, unit=unit, **values)
        return Response(GarbageRemovalSerializer(removal).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        removal = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        selectors.access_ledger_unit(user, removal.unit_id, for_change=True)
        with service_errors():
            services.delete_garbage_removal(by=user, removal=removal)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: BaseRouter) -> None:
    router.register("ledgers/units", LedgerUnitViewSet, basename="ledger-unit")
    router.register("ledgers/meters", MeterViewSet, basename="ledger-meter")
    router.register("ledgers/data-rooms", DataRoomViewSet, basename="ledger-data-room")
    router.register("ledgers/garbage-removals", GarbageRemovalViewSet, basename="ledger-garbage-removal")
