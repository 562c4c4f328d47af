"""The summary API, scoped like the page (`summaries.build_summary`):

- `GET /api/ledgers/summary/?region=&year=&by=&basis=`: a region's totals and indicators with their change versus
  the year before, grouped by child region, department, type or unit, against the annual target, with the
  five-year trend and the coefficients used. A region outside the user's scope answers 404.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.ledgers import summaries
from lvchuang.ledgers.indicators import INDICATORS, Indicators
from lvchuang.ledgers.models import AnnualTarget, Basis

TAG = "能源资源台账"
NOT_FOUND = OpenApiResponse(description="地区不存在，或不在您的职责范围内。")
INVALID = OpenApiResponse(description="查询参数有误：按字段列出错误。")


def _amount(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=24, decimal_places=3, **kwargs)


def _ratio(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True, **kwargs)


class SummaryQuerySerializer(serializers.Serializer[Any]):
    region = serializers.RegexField(
        r"^\d{12}$", required=False, help_text="12 位统计用区划代码；默认为您可见的最上级地区。"
    )
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text="年度，默认为有数据的最近一年。"
    )
    by = serializers.ChoiceField(
        choices=summaries.Grouping.choices,
        default=summaries.Grouping.REGION,
        help_text="分组：region 下级地区（含本级），sector 主管部门，type 单位类型代码，unit 单位。",
    )
    basis = serializers.ChoiceField(
        choices=Basis.choices,
        default=Basis.EQUIVALENT,
        help_text="折算口径：equivalent 当量值，equal_value 等价值。",
    )


class IndicatorsSerializer(serializers.Serializer[Indicators]):
    units = serializers.IntegerField(label="计入单位数（当年有基本信息和消费数据）")
    energy_kgce = _amount(label="综合能耗（kgce，不含水）")
    water_m3 = _amount(label="用水量（m³）")
    co2_kg = _amount(label="碳排放（kgCO₂）")
    floor_area = _amount(label="建筑面积（m²）")
    headcount = serializers.IntegerField(label="用能人数")
    by_carrier = serializers.DictField(child=_amount(), label="各能源品种折标准煤（kgce）")
    area_energy = _ratio(label="单位建筑面积能耗（kgce/m²）")
    per_capita_energy = _ratio(label="人均综合能耗（kgce/人）")
    per_capita_water = _ratio(label="人均用水量（m³/人）")
    co2_per_area = _ratio(label="单位建筑面积碳排放（kgCO₂/m²）")


class TargetLineSerializer(serializers.Serializer[Any]):
    indicator = serializers.ChoiceField(choices=[info.key for info in INDICATORS])
    label = serializers.CharField()  # type: ignore[assignment]  # the field, not Field.label
    baseline = _ratio(label="基准年度数值")
    current = _ratio(label="考核年度数值")
    change = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True, label="变化（%）")
    target = serializers.DecimalField(max_digits=6, decimal_places=2, label="目标变化（%）")
    met = serializers.BooleanField(allow_null=True, label="达标（空为无法判断）")


class TargetMarkSerializer(serializers.Serializer[summaries.TargetMark]):
    status = serializers.ChoiceField(choices=["met", "missed", "unknown"], label="达标 / 未达标 / 无法判断")
    lines = TargetLineSerializer(many=True)


class LineSerializer(serializers.Serializer[summaries.Line]):
    key = serializers.CharField(label="分组键：地区路径 / 主管部门 id / 类型代码 / 单位 id")
    label = serializers.CharField()  # type: ignore[assignment]  # the field, not Field.label
    region = serializers.CharField(source="region_code", label="下级地区代码（可下钻），否则为空")
    unit = serializers.IntegerField(source="unit_id", allow_null=True, label="单位 id（按单位分组时）")
    current = IndicatorsSerializer(source="row.current", label="本年")
    previous = IndicatorsSerializer(source="row.previous", allow_null=True, label="上年（无数据为空）")
    changes = serializers.DictField(
        child=serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True),
        label="较上年的变化（%），按指标：area_energy、per_capita_energy、per_capita_water、co2_per_area、energy",
    )
    target = TargetMarkSerializer(allow_null=True, label="对照年度指标（无适用指标为空）")


class TrendPointSerializer(serializers.Serializer[summaries.TrendPoint]):
    year = serializers.IntegerField()
    figures = IndicatorsSerializer()


class AnnualTargetSummarySerializer(serializers.Serializer[AnnualTarget]):
    id = serializers.IntegerField()
    office = serializers.CharField(source="office.name", label="下达机构")
    region = serializers.CharField(source="region.code", label="适用区域代码")
    year = serializers.IntegerField(label="考核年度")
    baseline_year = serializers.IntegerField(label="基准年度")
    institution_types = serializers.ListField(child=serializers.CharField(), label="适用类型代码（空为全部）")
    area_energy_change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    per_capita_energy_change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    per_capita_water_change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    co2_per_area_change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    document = serializers.CharField(source="source", label="依据文件")


class RegionRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class SummarySerializer(serializers.Serializer[summaries.Summary]):
    region = RegionRefSerializer()
    breadcrumbs = RegionRefSerializer(many=True, label="从您可见的最上级地区到本地区")
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField(), label="有数据的年度（新到旧）")
    by = serializers.ChoiceField(choices=summaries.Grouping.choices)
    basis = serializers.ChoiceField(choices=Basis.choices)
    total = LineSerializer(label="本地区合计")
    rows = LineSerializer(many=True, label="分组")
    trend = TrendPointSerializer(many=True, label="近五年合计")
    target = AnnualTargetSummarySerializer(allow_null=True, label="适用的年度能耗指标")
    sources = serializers.ListField(child=serializers.CharField(), label="所用折算系数")


class OneObjectSchema(AutoSchema):
    """The summary is one object, although the router names its GET `list`."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


@extend_schema(tags=[TAG])
class SummaryViewSet(viewsets.ViewSet):
    schema = OneObjectSchema()

    @extend_schema(
        summary="能源资源消费汇总",
        description="所示地区（region，默认为您可见的最上级地区）在所示年度（year，默认为有数据的最近一年）的"
        "合计与四项指标及同比，按下级地区、主管部门、类型或单位（by）分组，对照适用的年度能耗指标，"
        "并给出近五年合计和所用折算系数（basis：当量值或等价值）。只计入您职责范围内的公共机构。",
        parameters=[SummaryQuerySerializer],
        responses={200: SummarySerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def list(self, request: Request) -> Response:
        user = current_user(request)
        query = parse_filters(SummaryQuerySerializer, request)
        with service_errors():
            summary = summaries.build_summary(
                user,
                region_code=query.get("region"),
                year=query.get("year"),
                by=query["by"],
                basis=query["basis"],
            )
        return Response(SummarySerializer(summary).data)


def register(router: BaseRouter) -> None:
    router.register("ledgers/summary", SummaryViewSet, basename="ledger-summary")
