"""Serializers of the records API (`api_records`). Carriers, measures, categories and other choices are plain
text with their values in the help text (several ledger models share field names with different choice sets;
enums would collide by name in the schema); the services check the values."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lvchuang.accounts.api import VisiblePrimaryKeyField
from lvchuang.ledgers.models import (
    BasicInfo,
    Carrier,
    DataRoom,
    GarbageRemoval,
    Heating,
    Measure,
    Meter,
)
from lvchuang.ledgers.selectors import ledger_units
from lvchuang.organisations.models import Unit


def _values(choices: Any) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


CARRIER_HELP = _values(Carrier.choices)
MEASURE_HELP = (
    _values(Measure.choices) + "。每个品种有其计量单位（电力 kWh，天然气和水 m3，热力 GJ，其余 kg）；"
    "汽油、柴油和煤油也可为 L。省略则用该品种的计量单位。"
)


def _unit_input() -> VisiblePrimaryKeyField[Unit]:
    return VisiblePrimaryKeyField(visible=ledger_units, queryset=Unit.objects.all(), label="单位 id")


class LedgerUnitSerializer(serializers.ModelSerializer[Unit]):
    region = serializers.CharField(source="region.code", read_only=True, label="所在行政区代码")
    region_name = serializers.CharField(source="region.name", read_only=True, label="所在行政区")
    sector_name = serializers.CharField(source="sector.name", read_only=True, default=None, label="主管部门")
    kind = serializers.CharField(read_only=True, help_text=_values(Unit.Kind.choices))
    institution_type = serializers.CharField(read_only=True, help_text=_values(Unit.InstitutionType.choices))
    latest_year = serializers.IntegerField(read_only=True, allow_null=True, label="最近有消费数据的年份")
    months_reported = serializers.IntegerField(read_only=True, label="所查年份已填报的月数")
    open_flags = serializers.IntegerField(read_only=True, label="待更正的数据质量问题数")

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "region_name",
            "sector",
            "sector_name",
            "institution_type",
            "credit_code",
            "latest_year",
            "months_reported",
            "open_flags",
        ]
        read_only_fields = fields


class UnitFilters(serializers.Serializer[dict[str, Any]]):
    region = serializers.CharField(required=False, help_text="行政区代码（12 位）：只列该地区及下级的单位。")
    institution_type = serializers.CharField(required=False, help_text=_values(Unit.InstitutionType.choices))
    name = serializers.CharField(required=False, help_text="名称包含。")
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="统计已填报月数的年份，默认今年。"
    )


class BasicInfoSerializer(serializers.ModelSerializer[BasicInfo]):
    institution_type = serializers.CharField(max_length=3, help_text=_values(Unit.InstitutionType.choices))

    class Meta:
        model = BasicInfo
        fields = ["year", "institution_type", "floor_area", "headcount", "heated_area", "updated_at"]
        read_only_fields = ["year", "updated_at"]


class MonthCellSerializer(serializers.Serializer[dict[str, Any]]):
    month = serializers.IntegerField(min_value=1, max_value=12, label="月份")
    carrier = serializers.CharField(max_length=20, help_text=CARRIER_HELP)
    amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=3,
        allow_null=True,
        help_text="实物量；可为负或零（数据质量规则会标出）。null 删除该月该品种。",
    )
    measure = serializers.CharField(max_length=4, required=False, allow_blank=True, help_text=MEASURE_HELP)


class MonthSheetSerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(read_only=True, label="年份")
    cells = MonthCellSerializer(many=True, label="逐月逐品种的消费量")


class MeterSerializer(serializers.ModelSerializer[Meter]):
    unit = _unit_input()
    scope = serializers.CharField(max_length=10, help_text=_values(Meter.Scope.choices))
    purpose = serializers.CharField(max_length=20, help_text=_values(Meter.Purpose.choices))
    carrier = serializers.CharField(max_length=20, help_text=CARRIER_HELP)

    class Meta:
        model = Meter
        fields = [
            "id",
            "unit",
            "number",
            "name",
            "scope",
            "purpose",
            "carrier",
            "location",
            "installed_on",
            "is_active",
        ]
        read_only_fields = ["id", "is_active"]
        validators: list[Any] = []  # the service checks the number within the unit, with a Chinese message


class MeterUpdateSerializer(serializers.ModelSerializer[Meter]):
    scope = serializers.CharField(max_length=10, help_text=_values(Meter.Scope.choices))
    purpose = serializers.CharField(max_length=20, help_text=_values(Meter.Purpose.choices))
    carrier = serializers.CharField(max_length=20, help_text=CARRIER_HELP)
    is_active = serializers.BooleanField(help_text="false 停用（保留读数），true 重新启用。")

    class Meta:
        model = Meter
        fields = ["number", "name", "scope", "purpose", "carrier", "location", "installed_on", "is_active"]


class ReadingSerializer(serializers.Serializer[dict[str, Any]]):
    month = serializers.IntegerField(min_value=1, max_value=12, label="月份")
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=3, allow_null=True, help_text="用量；null 删除该月读数。"
    )


class MeterReadingsSerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(read_only=True, label="年份")
    readings = ReadingSerializer(many=True, label="逐月读数（未列出的月份不变）")


class DataRoomSerializer(serializers.ModelSerializer[DataRoom]):
    unit = _unit_input()

    class Meta:
        model = DataRoom
        fields = ["id", "unit", "year", "name", "area", "racks", "it_load_kw", "electricity_kwh", "pue"]
        read_only_fields = ["id"]
        validators: list[Any] = []  # the service checks the name once per year, with a Chinese message


class HeatingSerializer(serializers.ModelSerializer[Heating]):
    mode = serializers.CharField(max_length=12, help_text=_values(Heating.Mode.choices))

    class Meta:
        model = Heating
        fields = ["year", "mode", "heated_area", "heat_gj", "billed_by_heat"]
        read_only_fields = ["year"]


class GarbageRemovalSerializer(serializers.ModelSerializer[GarbageRemoval]):
    unit = _unit_input()
    category = serializers.CharField(max_length=12, help_text=_values(GarbageRemoval.Category.choices))
    created_by_name = serializers.CharField(
        source="created_by.full_name", read_only=True, default=None, label="登记人"
    )

    class Meta:
        model = GarbageRemoval
        fields = ["id", "unit", "removed_on", "category", "weight_kg", "hauler", "note", "created_by_name"]
        read_only_fields = ["id"]


class GarbageFilters(serializers.Serializer[dict[str, Any]]):
    unit = serializers.IntegerField(required=False, help_text="单位 id。")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="清运年份。")
    category = serializers.CharField(required=False, help_text=_values(GarbageRemoval.Category.choices))


class UnitYearFilters(serializers.Serializer[dict[str, Any]]):
    unit = serializers.IntegerField(required=False, help_text="单位 id。")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="年份。")
