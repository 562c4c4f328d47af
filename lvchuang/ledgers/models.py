"""Resource consumption ledgers of public institutions (公共机构能源资源消费台账).

The records follow 《公共机构能源资源消费统计调查制度》 (facts §3): each unit's basic information for a year
(type code, office floor area, 用能人数, heated area), its meters (分户 / 分区 / 分项, each with a purpose), the
monthly consumption of every energy type and of water, the data-room and heating tables, and the garbage removal
ledger (清运台账) of seed 003.

Nothing converted is stored. Standard coal and CO₂ are computed when read, from the versioned coefficient tables
below (`ConversionFactor`, `Density`, `EmissionFactor`), so an edited coefficient applies to every year it covers
(`ledgers/conversion.py`). Annual targets are set by an office for its region (`AnnualTarget`) and checked per
unit (`ledgers/indicators.py`); that check answers the 节约型机关 veto item (`standards.Item.computed_by`).
Data-quality rules are editable records (`QualityRule`, `IntensityRange`); what they find is flagged
(`QualityFlag`) and never dropped or changed (`ledgers/quality.py`). Bulk files come in through `ImportBatch`
(`ledgers/importing.py`): all or nothing per file, idempotent, streamed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.organisations.models import Office, Unit
from lvchuang.regions.models import Region

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Carrier(models.TextChoices):
    """Energy types and water of the statistics form's consumption table."""

    ELECTRICITY = "electricity", _("电力")
    NATURAL_GAS = "natural_gas", _("天然气")
    RAW_COAL = "raw_coal", _("原煤")
    GASOLINE = "gasoline", _("汽油")
    DIESEL = "diesel", _("柴油")
    KEROSENE = "kerosene", _("煤油")
    LPG = "lpg", _("液化石油气")
    HEAT = "heat", _("热力")
    WATER = "water", _("水")


class Measure(models.TextChoices):
    KWH = "kWh", _("千瓦时")
    M3 = "m3", _("立方米")
    KG = "kg", _("千克")
    LITRE = "L", _("升")
    GJ = "GJ", _("吉焦")


# The physical unit each carrier is recorded in (a fact of the form, not a rule). Liquid fuels may also be
# reported in litres, converted to kg through `Density`.
CANONICAL_MEASURE: dict[str, str] = {
    Carrier.ELECTRICITY: Measure.KWH,
    Carrier.NATURAL_GAS: Measure.M3,
    Carrier.RAW_COAL: Measure.KG,
    Carrier.GASOLINE: Measure.KG,
    Carrier.DIESEL: Measure.KG,
    Carrier.KEROSENE: Measure.KG,
    Carrier.LPG: Measure.KG,
    Carrier.HEAT: Measure.GJ,
    Carrier.WATER: Measure.M3,
}
LIQUID_CARRIERS = frozenset({Carrier.GASOLINE, Carrier.DIESEL, Carrier.KEROSENE})
# Water is recorded with the energy types but is not part of 综合能耗 (facts §3).
ENERGY_CARRIERS = tuple(carrier for carrier in Carrier if carrier != Carrier.WATER)


class Basis(models.TextChoices):
    """GB/T 2589-2020: electricity (and heat) converted at their calorific value or at the coal used to make it."""

    EQUIVALENT = "equivalent", _("当量值")
    EQUAL_VALUE = "equal_value", _("等价值")


class Grid(models.TextChoices):
    """The regional grids of the published CO₂ emission factors of electricity (MEE + NBS)."""

    NATIONAL = "national", _("全国")
    NORTH = "north", _("华北")
    NORTHEAST = "northeast", _("东北")
    EAST = "east", _("华东")
    CENTRAL = "central", _("华中")
    NORTHWEST = "northwest", _("西北")
    SOUTH = "south", _("南方")
    SOUTHWEST = "southwest", _("西南")


class ReferenceRecord(models.Model):
    """A row of an editable reference table: where its value comes from, and whether it is still to be checked."""

    source = models.CharField(_("依据"), max_length=300)
    needs_confirmation = models.BooleanField(_("待确认"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ConversionFactor(ReferenceRecord):
    """kgce per physical unit of a carrier, valid from a date (GB/T 2589-2020 and the statistics tables)."""

    carrier = models.CharField(
        _("品种"), max_length=20, choices=[c for c in Carrier.choices if c[0] != "water"]
    )
    basis = models.CharField(_("折算口径"), max_length=12, choices=Basis.choices, default=Basis.EQUIVALENT)
    kgce_per_unit = models.DecimalField(
        _("折标系数（kgce/计量单位）"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )
    valid_from = models.DateField(_("起用日期"))

    class Meta:
        verbose_name = _("折标准煤系数")
        verbose_name_plural = _("折标准煤系数")
        ordering = ["carrier", "basis", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "basis", "valid_from"], name="factor_once_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_carrier_display()} {self.get_basis_display()} {self.kgce_per_unit}"


class Density(ReferenceRecord):
    """kg per litre of a liquid fuel, for quantities reported in litres."""

    carrier = models.CharField(
        _("品种"), max_length=20, choices=[c for c in Carrier.choices if c[0] in LIQUID_CARRIERS]
    )
    kg_per_litre = models.DecimalField(
        _("密度（kg/L）"), max_digits=6, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    valid_from = models.DateField(_("起用日期"))

    class Meta:
        verbose_name = _("油品密度")
        verbose_name_plural = _("油品密度")
        ordering = ["carrier", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "valid_from"], name="density_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.get_carrier_display()} {self.kg_per_litre} kg/L"


class GridAssignment(ReferenceRecord):
    """Which regional grid's electricity factor applies to a province (by the first two digits of its code)."""

    province_code = models.CharField(_("省级区划代码"), max_length=2, unique=True)
    grid = models.CharField(_("区域电网"), max_length=12, choices=Grid.choices)

    class Meta:
        verbose_name = _("区域电网划分")
        verbose_name_plural = _("区域电网划分")
        ordering = ["province_code"]

    def __str__(self) -> str:
        return f"{self.province_code} → {self.get_grid_display()}"


class EmissionFactor(ReferenceRecord):
    """kgCO₂ per physical unit of a carrier in a year: electricity by grid, other carriers for the whole country."""

    carrier = models.CharField(
        _("品种"), max_length=20, choices=[c for c in Carrier.choices if c[0] != "water"]
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR_VALIDATORS)
    grid = models.CharField(_("区域电网"), max_length=12, choices=Grid.choices, default=Grid.NATIONAL)
    kgco2_per_unit = models.DecimalField(
        _("排放因子（kgCO₂/计量单位）"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("二氧化碳排放因子")
        verbose_name_plural = _("二氧化碳排放因子")
        ordering = ["carrier", "-year", "grid"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "year", "grid"], name="emission_factor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_carrier_display()} {self.year} {self.get_grid_display()} {self.kgco2_per_unit}"


# --- the unit's records --------------------------------------------------------------------------------------


class UnitRecord(models.Model):
    unit: models.ForeignKey[Unit, Unit]

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict[str, Any]:
        return self.unit.get_additional_data()


class BasicInfo(UnitRecord):
    """基本信息表 of one year: the denominators of the indicators."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="ledger_years"
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR_VALIDATORS)
    institution_type = models.CharField(_("单位类型代码"), max_length=3, choices=Unit.InstitutionType.choices)
    floor_area = models.DecimalField(
        _("建筑面积（m²）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("办公建筑面积，不含住宅和宿舍。"),
    )
    heated_area = models.DecimalField(
        _("采暖面积（m²）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    headcount = models.PositiveIntegerField(
        _("用能人数"), help_text=_("实际在此工作的全部人员，含编外人员。")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("基本信息")
        verbose_name_plural = _("基本信息")
        ordering = ["unit_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="basic_info_once_per_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class Meter(UnitRecord):
    """A meter of the unit: 分户 (per tenant), 分区 (per zone) or 分项 (per end use), with its purpose."""

    class Scope(models.TextChoices):
        HOUSEHOLD = "household", _("分户")
        ZONE = "zone", _("分区")
        ITEM = "item", _("分项")

    class Purpose(models.TextChoices):
        LIGHTING = "lighting", _("照明插座")
        AIR_CONDITIONING = "air_conditioning", _("空调")
        POWER = "power", _("动力")
        DATA_ROOM = "data_room", _("数据机房")
        HEATING = "heating", _("供暖")
        KITCHEN = "kitchen", _("食堂")
        WATER_SUPPLY = "water_supply", _("供水")
        OTHER = "other", _("其他")

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="meters")
    number = models.CharField(_("表号"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    scope = models.CharField(_("计量方式"), max_length=10, choices=Scope.choices)
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices)
    carrier = models.CharField(_("品种"), max_length=20, choices=Carrier.choices)
    location = models.CharField(_("安装位置"), max_length=100, blank=True)
    installed_on = models.DateField(_("安装日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("计量器具")
        verbose_name_plural = _("计量器具")
        ordering = ["unit_id", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="meter_number_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class MeterReading(models.Model):
    """A meter's consumption in a month (the 分项 breakdown; the unit's totals are `Consumption`)."""

    meter = models.ForeignKey(
        Meter, verbose_name=_("计量器具"), on_delete=models.CASCADE, related_name="readings"
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.DecimalField(_("用量"), max_digits=16, decimal_places=3)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("分项计量读数")
        verbose_name_plural = _("分项计量读数")
        ordering = ["meter_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "year", "month"], name="meter_reading_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.year}-{self.month:02d}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.meter.get_additional_data()


class Consumption(models.Model):
    """The unit's consumption of one carrier in one month, in the physical unit it was reported in.

    Written one row at a time by the monthly form (audited) and in bulk by imports (`batch` names the file that
    last wrote the row). Negative or zero amounts are kept as reported and flagged by the quality rules.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    carrier = models.CharField(_("品种"), max_length=20, choices=Carrier.choices)
    amount = models.DecimalField(_("用量"), max_digits=16, decimal_places=3)
    measure = models.CharField(_("计量单位"), max_length=4, choices=Measure.choices)
    batch = models.ForeignKey(
        "ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("月度消费量")
        verbose_name_plural = _("月度消费量")
        ordering = ["unit_id", "year", "month", "carrier"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month", "carrier"], name="consumption_once_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="consumption_month_in_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.get_carrier_display()} {self.amount} {self.measure}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.unit.region.path, "unit_id": self.unit_id}


class DataRoom(UnitRecord):
    """数据中心机房表 of one year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="data_rooms"
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR_VALIDATORS)
    name = models.CharField(_("机房名称"), max_length=100)
    area = models.DecimalField(_("机房面积（m²）"), max_digits=10, decimal_places=2)
    racks = models.PositiveIntegerField(_("机柜数"), default=0)
    it_load_kw = models.DecimalField(
        _("IT 设备功率（kW）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    electricity_kwh = models.DecimalField(_("年耗电量（kWh）"), max_digits=14, decimal_places=2)
    pue = models.DecimalField(_("PUE"), max_digits=4, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("数据中心机房")
        verbose_name_plural = _("数据中心机房")
        ordering = ["unit_id", "-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "name"], name="data_room_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.name}"


class Heating(UnitRecord):
    """采暖表 of one year; since the 2025 revision heat is reported as 热力消费量 (按热量收费)."""

    class Mode(models.TextChoices):
        CENTRAL = "central", _("集中供暖")
        OWN_BOILER = "own_boiler", _("自有锅炉")
        ELECTRIC = "electric", _("电采暖")
        NONE = "none", _("无采暖")

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="heating_years"
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR_VALIDATORS)
    mode = models.CharField(_("采暖方式"), max_length=12, choices=Mode.choices)
    heated_area = models.DecimalField(
        _("采暖面积（m²）"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    heat_gj = models.DecimalField(
        _("热力消费量（GJ）"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    billed_by_heat = models.BooleanField(_("按热量收费"), default=True)

    class Meta:
        verbose_name = _("采暖")
        verbose_name_plural = _("采暖")
        ordering = ["unit_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="heating_once_per_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.get_mode_display()}"


class GarbageRemoval(UnitRecord):
    """清运台账: one removal of sorted garbage (seed 003)."""

    class Category(models.TextChoices):
        RECYCLABLE = "recyclable", _("可回收物")
        HAZARDOUS = "hazardous", _("有害垃圾")
        KITCHEN = "kitchen", _("厨余垃圾")
        OTHER = "other", _("其他垃圾")

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="garbage_removals"
    )
    removed_on = models.DateField(_("清运日期"))
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    weight_kg = models.DecimalField(
        _("重量（kg）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    hauler = models.CharField(_("清运单位"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("垃圾清运记录")
        verbose_name_plural = _("垃圾清运台账")
        ordering = ["unit_id", "-removed_on", "id"]

    def __str__(self) -> str:
        return f"{self.removed_on} {self.get_category_display()} {self.weight_kg} kg"


# --- targets ---------------------------------------------------------------------------------------------------


class AnnualTarget(models.Model):
    """Indicator changes an office sets for the public institutions of its region in a year, versus a base year.

    E.g. 十四五: in 2025 versus 2020, 单位建筑面积能耗 −5 %, 人均综合能耗 −6 %, 人均用水量 −6 %, CO₂ per m² −7 %.
    An empty change means the indicator is not targeted. For a unit the target of the nearest office above it
    applies (the longest region path containing the unit's).
    """

    office = models.ForeignKey(Office, verbose_name=_("下达机构"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("考核年度"), validators=YEAR_VALIDATORS)
    baseline_year = models.PositiveSmallIntegerField(_("基准年度"), validators=YEAR_VALIDATORS)
    institution_types = models.JSONField(
        _("单位类型"), default=list, blank=True, help_text=_("仅适用于这些类型代码；为空表示全部。")
    )
    area_energy_change = models.DecimalField(
        _("单位建筑面积能耗变化（%）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    per_capita_energy_change = models.DecimalField(
        _("人均综合能耗变化（%）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    per_capita_water_change = models.DecimalField(
        _("人均用水量变化（%）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    co2_per_area_change = models.DecimalField(
        _("单位建筑面积碳排放变化（%）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("依据文件"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度能耗指标")
        verbose_name_plural = _("年度能耗指标")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "baseline_year"], name="annual_target_once"),
            models.CheckConstraint(
                condition=models.Q(baseline_year__lt=models.F("year")), name="annual_target_baseline_before"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}（较 {self.baseline_year}）"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.region.path}


# --- data quality ----------------------------------------------------------------------------------------------


class QualityRule(models.Model):
    """One editable data-quality rule; `params` holds its thresholds (see `ledgers/quality.py` for each code)."""

    class Code(models.TextChoices):
        MISSING_MONTH = "missing_month", _("缺月")
        NON_POSITIVE = "non_positive", _("负值或零值")
        JUMP = "jump", _("突变（超过中位数 N 倍）")
        INTENSITY = "intensity", _("强度超出同类合理范围")
        DUPLICATE = "duplicate", _("重复填报")

    code = models.CharField(_("规则"), max_length=20, choices=Code.choices, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    description = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("数据质量规则")
        verbose_name_plural = _("数据质量规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class IntensityRange(ReferenceRecord):
    """The plausible range of an indicator for a unit type, used by the intensity rule."""

    class Indicator(models.TextChoices):
        AREA_ENERGY = "area_energy", _("单位建筑面积能耗（kgce/m²）")
        PER_CAPITA_ENERGY = "per_capita_energy", _("人均综合能耗（kgce/人）")
        PER_CAPITA_WATER = "per_capita_water", _("人均用水量（m³/人）")

    institution_type = models.CharField(_("单位类型代码"), max_length=3, choices=Unit.InstitutionType.choices)
    indicator = models.CharField(_("指标"), max_length=20, choices=Indicator.choices)
    low = models.DecimalField(_("下限"), max_digits=10, decimal_places=2)
    high = models.DecimalField(_("上限"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("强度合理范围")
        verbose_name_plural = _("强度合理范围")
        ordering = ["institution_type", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["institution_type", "indicator"], name="intensity_range_once"),
            models.CheckConstraint(
                condition=models.Q(low__lt=models.F("high")), name="intensity_low_below_high"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_type} {self.get_indicator_display()} {self.low}–{self.high}"


class QualityFlag(UnitRecord):
    """A problem a rule found, kept until the data is corrected (resolved) or confirmed as right (accepted)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待更正")
        RESOLVED = "resolved", _("已更正")
        ACCEPTED = "accepted", _("确认无误")

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("规则"), max_length=20, choices=QualityRule.Code.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    carrier = models.CharField(_("品种"), max_length=20, choices=Carrier.choices, blank=True)
    key = models.CharField(_("标识"), max_length=60, help_text=_("同一问题再次检查时据此识别。"))
    message = models.CharField(_("问题"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("数据质量问题")
        verbose_name_plural = _("数据质量问题")
        ordering = ["unit_id", "year", "month", "rule"]
        constraints = [models.UniqueConstraint(fields=["unit", "rule", "key"], name="quality_flag_once")]
        indexes = [models.Index(fields=["status", "unit"], name="quality_flag_open")]

    def __str__(self) -> str:
        return self.message


# --- bulk import -----------------------------------------------------------------------------------------------


def import_path(batch: ImportBatch, filename: str) -> str:
    return f"ledgers/imports/{batch.sha256[:2]}/{batch.sha256}/{filename}"


class ImportBatch(models.Model):
    """One uploaded file of monthly consumption, checked row by row and written all or nothing."""

    class Layout(models.TextChoices):
        OFFICIAL = "official", _("统计报表格式（每行一个单位一个月）")
        LONG = "long", _("长表格式（每行一个品种）")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        REJECTED = "rejected", _("有错误，未导入")
        DONE = "done", _("已导入")
        FAILED = "failed", _("处理失败")

    file = models.FileField(_("文件"), upload_to=import_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    layout = models.CharField(_("格式"), max_length=10, choices=Layout.choices, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    bytes_done = models.PositiveBigIntegerField(_("已读取字节"), default=0)
    rows_read = models.PositiveIntegerField(_("读取行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    error_count = models.PositiveIntegerField(_("错误行数"), default=0)
    error_report = models.FileField(_("错误报告"), upload_to=import_path, max_length=200, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        return min(100, self.bytes_done * 100 // self.size) if self.size else 100


for _model in (
    ConversionFactor,
    Density,
    GridAssignment,
    EmissionFactor,
    BasicInfo,
    Meter,
    MeterReading,
    Consumption,
    DataRoom,
    Heating,
    GarbageRemoval,
    AnnualTarget,
    QualityRule,
    IntensityRange,
    QualityFlag,
    ImportBatch,
):
    auditlog.register(_model)
