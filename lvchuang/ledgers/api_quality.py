"""The data-quality API, scoped like the pages (`ledgers.quality`):

- `GET /api/ledgers/quality-flags/?status=&rule=&year=&unit=&region=` (open flags unless `status` says otherwise;
  `status=all` for every one), `GET /api/ledgers/quality-flags/{id}/`;
- `POST /api/ledgers/quality-flags/{id}/accept/` (`note` required), `POST …/{id}/reopen/` — by whoever may change
  the unit;
- `POST /api/ledgers/quality-flags/recheck/` (`year`): rerun the rules over the user's units (offices and the
  administrator); 200 with the counts when run at once, 202 when left to the task runner;
- `GET /api/ledgers/quality-rules/`, `GET/PUT/PATCH /api/ledgers/quality-rules/{id}/` and
  `GET/POST /api/ledgers/intensity-ranges/`, `GET/PUT/PATCH /api/ledgers/intensity-ranges/{id}/`: read by every
  role holder, changed by the system administrator.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.access import _get_or_404, access_region_by_code
from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.ledgers import quality
from lvchuang.ledgers.models import Carrier, IntensityRange, QualityFlag, QualityRule
from lvchuang.organisations.models import Unit

TAG = "能源资源台账·数据质量"
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的职责范围内。")
REFUSED = OpenApiResponse(description="您无权进行该操作。")
INVALID = OpenApiResponse(description="输入有误或当前不能办理：按字段列出原因。")


def _values(choices: Any) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


# --- serializers ----------------------------------------------------------------------------------------------------


class QualityFlagSerializer(serializers.ModelSerializer[QualityFlag]):
    unit_name = serializers.CharField(source="unit.name", read_only=True, label="单位名称")
    region = serializers.CharField(source="unit.region.code", read_only=True, label="单位所在行政区代码")
    rule = serializers.CharField(read_only=True, help_text=_values(QualityRule.Code.choices))
    rule_display = serializers.CharField(source="get_rule_display", read_only=True, label="规则名称")
    carrier = serializers.CharField(
        read_only=True, help_text="空表示按年判断的问题；" + _values(Carrier.choices)
    )
    status = serializers.CharField(read_only=True, help_text=_values(QualityFlag.Status.choices))
    closed_by_name = serializers.SerializerMethodField(label="处理人姓名")

    class Meta:
        model = QualityFlag
        fields = [
            "id",
            "unit",
            "unit_name",
            "region",
            "rule",
            "rule_display",
            "year",
            "month",
            "carrier",
            "key",
            "message",
            "status",
            "found_at",
            "closed_at",
            "closed_by",
            "closed_by_name",
            "note",
        ]
        read_only_fields = fields

    def get_closed_by_name(self, flag: QualityFlag) -> str:
        return "" if flag.closed_by is None else str(flag.closed_by)


class FlagFilters(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[*QualityFlag.Status.values, "all"],
        required=False,
        help_text="默认 open；all 表示全部。" + _values(QualityFlag.Status.choices),
    )
    rule = serializers.ChoiceField(choices=QualityRule.Code.values, required=False, help_text="规则代码")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="年份")
    unit = serializers.IntegerField(required=False, help_text="单位 id")
    region = serializers.RegexField(r"^\d{12}$", required=False, help_text="12 位行政区代码（含下级）")


class AcceptSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=300, help_text="数据为什么无误，如“该月办公楼停用装修”。")


class RecheckSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="重新检查的年份")


class RecheckAnswerSerializer(serializers.Serializer[Any]):
    units = serializers.IntegerField(label="检查的单位数")
    queued = serializers.BooleanField(label="是否转入后台进行")
    opened = serializers.IntegerField(allow_null=True, label="新发现的问题数（后台进行时为空）")
    resolved = serializers.IntegerField(allow_null=True, label="已更正而关闭的问题数")
    reopened = serializers.IntegerField(allow_null=True, label="再次出现的问题数")


class QualityRuleSerializer(serializers.ModelSerializer[QualityRule]):
    code = serializers.CharField(read_only=True, help_text=_values(QualityRule.Code.choices))
    name = serializers.CharField(source="get_code_display", read_only=True, label="规则名称")
    params = serializers.JSONField(
        help_text="规则的阈值，键见 ledgers/defaults/quality.yaml；未给出的键取默认值，未知的键被拒绝。"
    )

    class Meta:
        model = QualityRule
        fields = ["id", "code", "name", "is_active", "params", "description", "updated_at"]
        read_only_fields = ["id", "code", "name", "updated_at"]


class IntensityRangeSerializer(serializers.ModelSerializer[IntensityRange]):
    institution_type = serializers.CharField(
        max_length=3,
        help_text=_values(Unit.InstitutionType.choices) + "（新建时填写，之后不能修改）",
    )
    indicator = serializers.CharField(
        max_length=20,
        help_text=_values(IntensityRange.Indicator.choices) + "（新建时填写，之后不能修改）",
    )

    class Meta:
        model = IntensityRange
        fields = [
            "id",
            "institution_type",
            "indicator",
            "low",
            "high",
            "source",
            "needs_confirmation",
            "note",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        validators: list[Any] = []  # the service checks uniqueness, with a message in Chinese


class IntensityRangeUpdateSerializer(serializers.ModelSerializer[IntensityRange]):
    class Meta:
        model = IntensityRange
        fields = ["low", "high", "source", "needs_confirmation", "note"]


# --- flags ----------------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="数据质量问题列表",
        description="您职责范围内各单位台账的数据质量问题，默认只列待更正的。",
        parameters=[FlagFilters],
        responses={200: QualityFlagSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(summary="数据质量问题", responses={200: QualityFlagSerializer, 404: NOT_FOUND}),
)
class QualityFlagViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[QualityFlag]
):
    serializer_class = QualityFlagSerializer
    queryset = QualityFlag.objects.none()

    def get_queryset(self) -> QuerySet[QualityFlag]:
        user = current_user(self.request)
        flags = quality.visible_flags(user).select_related("unit__region", "closed_by")
        if self.action != "list":
            return flags
        filters = parse_filters(FlagFilters, self.request)
        shown = filters.get("status") or QualityFlag.Status.OPEN
        if shown != "all":
            flags = flags.filter(status=shown)
        if filters.get("rule"):
            flags = flags.filter(rule=filters["rule"])
        if filters.get("year"):
            flags = flags.filter(year=filters["year"])
        if filters.get("unit"):
            flags = flags.filter(unit_id=filters["unit"])
        if filters.get("region"):
            region = access_region_by_code(user, filters["region"])
            flags = flags.filter(unit__region__path__startswith=region.path)
        return flags.order_by("-year", "unit_id", "month", "rule", "key")

    def get_object(self) -> QualityFlag:
        return quality.access_flag_by_id(current_user(self.request), self.kwargs["pk"])

    @extend_schema(
        summary="确认无误",
        description="数据经核实无误（如某月办公楼停用）：写明理由；此后检查不再打开该问题，除非有人重新打开。",
        request=AcceptSerializer,
        responses={200: QualityFlagSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        flag = quality.access_flag_by_id(user, pk, for_change=True)
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            flag = quality.accept_flag(by=user, flag=flag, note=data.validated_data["note"])
        return Response(self._read(flag))

    @extend_schema(
        summary="重新打开",
        description="把已确认无误的问题改回待更正。",
        request=None,
        responses={200: QualityFlagSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        flag = quality.access_flag_by_id(user, pk, for_change=True)
        with service_errors():
            flag = quality.reopen_flag(by=user, flag=flag)
        return Response(self._read(flag))

    @extend_schema(
        summary="重新检查",
        description="按现行规则重新检查您可修改的各单位某一年的台账（创建办和系统管理员）。单位较多时转入后台，"
        "答复 202。",
        request=RecheckSerializer,
        responses={200: RecheckAnswerSerializer, 202: RecheckAnswerSerializer, 400: INVALID, 403: REFUSED},
    )
    @action(detail=False, methods=["post"])
    def recheck(self, request: Request) -> Response:
        user = current_user(request)
        data = RecheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            outcome = quality.recheck_scope(by=user, year=data.validated_data["year"])
        result = outcome.result
        answer = {
            "units": outcome.units,
            "queued": outcome.queued,
            "opened": None if result is None else result.opened,
            "resolved": None if result is None else result.resolved,
            "reopened": None if result is None else result.reopened,
        }
        return Response(answer, status=status.HTTP_202_ACCEPTED if outcome.queued else status.HTTP_200_OK)

    def _read(self, flag: QualityFlag) -> Any:
        fresh = QualityFlag.objects.select_related("unit__region", "closed_by").get(pk=flag.pk)
        return QualityFlagSerializer(fresh).data


# --- rules and ranges -----------------------------------------------------------------------------------------------


def _check_readers(request: Request) -> None:
    """The rule tables are read by every role holder and written by the system administrator."""
    if not quality.can_read_rules(current_user(request)):
        raise exceptions.PermissionDenied


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="数据质量规则", responses={200: QualityRuleSerializer(many=True), 403: REFUSED}
    ),
    retrieve=extend_schema(
        summary="数据质量规则详情", responses={200: QualityRuleSerializer, 403: REFUSED, 404: NOT_FOUND}
    ),
    update=extend_schema(
        summary="修改数据质量规则",
        description="系统管理员。修改后不会立即重新检查：数据再次保存或重新检查后按新规则更新问题。",
        request=QualityRuleSerializer,
        responses={200: QualityRuleSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="修改数据质量规则（部分）",
        description="只改所填字段；params 给出的键覆盖原值，其余保留。",
        request=QualityRuleSerializer,
        responses={200: QualityRuleSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class QualityRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[QualityRule],
):
    serializer_class = QualityRuleSerializer
    queryset = QualityRule.objects.none()

    def get_queryset(self) -> QuerySet[QualityRule]:
        _check_readers(self.request)
        return QualityRule.objects.order_by("code")

    def get_object(self) -> QualityRule:
        return _get_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        rule = self.get_object()
        data = QualityRuleSerializer(rule, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        values = data.validated_data
        params = values.get("params", {})
        if not isinstance(params, dict):
            raise exceptions.ValidationError({"params": ["应为对象（键为参数名）。"]})
        if kwargs.get("partial", False):
            params = {**quality.params_of(rule), **params}
        with service_errors():
            rule = quality.update_rule(
                by=user,
                rule=rule,
                is_active=values.get("is_active", rule.is_active),
                params=params,
                description=values.get("description"),
            )
        return Response(QualityRuleSerializer(rule).data)


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="强度合理范围", responses={200: IntensityRangeSerializer(many=True), 403: REFUSED}
    ),
    retrieve=extend_schema(
        summary="强度合理范围详情", responses={200: IntensityRangeSerializer, 403: REFUSED, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="新增强度合理范围",
        description="系统管理员，为尚无合理范围的类型和指标新增；有了范围，强度规则才判断该类型。",
        request=IntensityRangeSerializer,
        responses={201: IntensityRangeSerializer, 400: INVALID, 403: REFUSED},
    ),
    update=extend_schema(
        summary="修改强度合理范围",
        request=IntensityRangeUpdateSerializer,
        responses={200: IntensityRangeSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="修改强度合理范围（部分）",
        request=IntensityRangeUpdateSerializer,
        responses={200: IntensityRangeSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class IntensityRangeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[IntensityRange],
):
    serializer_class = IntensityRangeSerializer
    queryset = IntensityRange.objects.none()

    def get_queryset(self) -> QuerySet[IntensityRange]:
        _check_readers(self.request)
        return IntensityRange.objects.order_by("institution_type", "indicator")

    def get_object(self) -> IntensityRange:
        return _get_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _check_readers(self.request)
        data = IntensityRangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        with service_errors():
            bounds = quality.create_range(by=current_user(request), **values)
        return Response(IntensityRangeSerializer(bounds).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        bounds = self.get_object()
        data = IntensityRangeUpdateSerializer(bounds, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        with service_errors():
            bounds = quality.update_range(
                by=current_user(request), intensity_range=bounds, changes=dict(data.validated_data)
            )
        return Response(IntensityRangeSerializer(bounds).data)


def register(router: BaseRouter) -> None:
    router.register("ledgers/quality-flags", QualityFlagViewSet, basename="ledger-quality-flag")
    router.register("ledgers/quality-rules", QualityRuleViewSet, basename="ledger-quality-rule")
    router.register("ledgers/intensity-ranges", IntensityRangeViewSet, basename="ledger-intensity-range")
