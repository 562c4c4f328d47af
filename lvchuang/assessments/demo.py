"""Self-assessments for the demo: one community that passes, one organ that fails on its ★ target check.

识字里社区居委会 has completed its self-assessment against the built-in 节能环保社区 standard, with evidence (photos
of its notice board and lighting, a scanned founding document). 长沙市发展和改革委员会 has answered every item of
节约型机关 but missed its energy targets: its ★ item is answered by the system from the resource ledger (a city
target for the year before, against the year before that, and the organ's ledger of both years, written here when
the demo has none), so it stands at zero and the page explains why it fails whatever its score. Everything else
goes through the services as the unit's own clerk; an assessment that is already there is left alone, so loading
the demo twice changes nothing.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from decimal import Decimal

import noto_cjk_sans_otc
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.assessments import services
from lvchuang.assessments.models import SelfAssessment
from lvchuang.assessments.reports import FONT_COLLECTION_INDEX
from lvchuang.ledgers.indicators import applicable_target
from lvchuang.ledgers.models import CANONICAL_MEASURE, AnnualTarget, BasicInfo, Consumption
from lvchuang.organisations.models import Office, Unit
from lvchuang.standards.models import Item, StandardVersion


@dataclass(frozen=True)
class DemoFile:
    item_code: str
    name: str
    title: str  # printed on the picture
    lines: tuple[str, ...] = ()
    scan: bool = False  # a scanned document (PDF) rather than a photo (PNG)


@dataclass(frozen=True)
class DemoAssessment:
    login: str  # the unit is the one this demo login works for
    standard_code: str
    narratives: dict[str, str]
    files: tuple[DemoFile, ...]
    points: dict[str, Decimal]  # fixed points; other scored items draw 75–100 % of their maximum
    complete: bool


COMMUNITY = DemoAssessment(
    login="unit-shizili",
    standard_code="energy-saving-community",
    narratives={
        "0.1": "2024 年 9 月入户问卷 312 份，满意 281 份，满意度 90.1%。",
        "0.2": "近三年辖区内未发生环境污染事故和环境纠纷，芙蓉分局已出具情况说明。",
        "0.3": "辖区 14 家餐饮店和 2 家洗车店均安装油烟、污水处理设施，季度检查均达标。",
        "1.1": "2024 年 3 月发文成立领导小组，书记任组长，主任任副组长，6 名委员分工到人。",
        "1.2": "制定三年实施方案和 2024 年度计划，每季度召开一次工作会议，会议记录已归档。",
        "1.3": "创建目标和 12 项措施在党群服务中心门口公示栏张贴，并在居民群同步发布。",
        "1.4": "与 23 家门店、4 家驻区单位签订门前三包责任书，每半年召开一次联席会议。",
        "2.1": "更新宣传栏 6 期，电子屏每日滚动播放节能提示，居民群每周推送一次。",
        "2.2": "植树节、地球日、环境日和节能宣传周各开展一次主题活动，共 5 次。",
        "2.3": "市民学校举办节能讲座 3 场、垃圾分类培训 2 场，参加居民 260 人次。",
        "2.4": "与识字岭小学开展“小手拉大手”活动，抽样调查知晓率 86%。",
        "3.1": "办公区张贴节电节水提示，空调夏季不低于 26 ℃，会议材料以电子版为主。",
        "3.2": "公共区域 146 盏路灯、楼道灯全部更换为 LED，加装声控开关。",
        "3.4": "建立公共设施用能台账，按月登记电表、水表读数，督促物业整改 3 次。",
        "4.1": "8 个小区配置四分类垃圾桶，设立 2 个可回收物回收点，每月回收约 1.2 吨。",
        "4.3": "建立 16 家商户污染源档案，每月定期检查一次，不定期抽查 2 次。",
        "5.2": "按《绿色家庭参考标准》评定绿色家庭 620 户，名单在公示栏公布。",
        "6.1": "创建档案按 6 类整理，指定社区副主任为档案管理员。",
    },
    files=(
        DemoFile(
            "0.1",
            "满意度调查统计表.pdf",
            "居民满意度调查统计表",
            ("发放 312 份　回收 312 份", "满意 281 份　满意度 90.1%"),
            scan=True,
        ),
        DemoFile(
            "1.1",
            "领导小组成立文件.pdf",
            "关于成立识字里社区节能环保创建工作领导小组的通知",
            ("组　长：社区党委书记", "副组长：社区居委会主任", "成　员：委员六名，分工见附件"),
            scan=True,
        ),
        DemoFile(
            "1.3",
            "公示栏照片.png",
            "节能环保社区创建目标公示",
            ("目标：三年内创建市级节能环保社区", "措施：节能照明、垃圾分类、绿色家庭……"),
        ),
        DemoFile("3.2", "楼道LED灯改造.png", "公共区域节能照明改造", ("更换 LED 灯 146 盏", "加装声控开关")),
        DemoFile("4.1", "分类收集点.png", "生活垃圾分类收集点", ("厨余垃圾　可回收物", "有害垃圾　其他垃圾")),
    ),
    points={"2.2": Decimal("5"), "3.2": Decimal("5"), "3.3": Decimal("3.5")},
    complete=True,
)

ORGAN = DemoAssessment(
    login="unit-fagaiwei",
    standard_code="conservation-oriented-organ",
    narratives={
        "2.1.1": "分管副主任为节约能源资源工作负责人。",
        "2.2.1": "2023 年 6 月印发节约型机关创建方案。",
        "2.3.2": "办公楼已按楼层分户计量用电，食堂和机房分项计量尚未完成。",
        "3.4": "2024 年更新公务用车 4 辆，其中新能源汽车 3 辆。",
        "4.2": "与再生资源公司签订回收协议，清运台账按周登记。",
    },
    files=(
        DemoFile(
            "1",
            "年度能源资源消费统计报表.pdf",
            "年度能源资源消费统计报表",
            ("用电量、用水量较上年上升", "单位建筑面积能耗、人均用水量指标未完成"),
            scan=True,
        ),
    ),
    points={"2.3.2": Decimal("6")},
    complete=False,
)
# The organ's ledger (kWh and m³ a month) in the target's base year and in the year checked: both up by a tenth.
ORGAN_LEDGER = {
    "base": {"electricity": "60000", "water": "400"},
    "checked": {"electricity": "66000", "water": "440"},
}

DEMO_ASSESSMENTS = (COMMUNITY, ORGAN)


def load_demo_assessments() -> tuple[int, int]:
    """Create the demo's self-assessments that are not there yet: (created, already there)."""
    created = existing = 0
    for demo in DEMO_ASSESSMENTS:
        assignment = (
            RoleAssignment.objects.filter(user__username=demo.login, role=Role.UNIT_STAFF)
            .select_related("user", "unit__region")
            .first()
        )
        version = (
            StandardVersion.objects.filter(
                standard__code=demo.standard_code, status=StandardVersion.Status.PUBLISHED
            )
            .select_related("standard")
            .order_by("-number")
            .first()
        )
        if assignment is None or assignment.unit is None or version is None:
            continue  # a trimmed package without the unit, or the standard was retired
        if SelfAssessment.objects.filter(unit=assignment.unit, version=version).exists():
            existing += 1
            continue
        _create(demo, clerk=assignment.user, unit=assignment.unit, version=version)
        created += 1
    return created, existing


def _create(demo: DemoAssessment, *, clerk: User, unit: Unit, version: StandardVersion) -> None:
    assessment = services.start_assessment(by=clerk, unit=unit, version=version)
    items = {item.code: item for item in Item.objects.filter(version=version)}
    parents = {item.parent_id for item in items.values()}
    rng = random.Random(f"demo-assessment:{demo.standard_code}")
    for code, item in items.items():
        if item.pk in parents or item.kind == Item.Kind.AREA or item.computed_by:
            continue  # a computed item is answered by the system below
        narrative = demo.narratives.get(code, "")
        if not narrative and item.evidence_required:
            narrative = f"已整理{item.evidence_required}，详见佐证材料。"
        points, met = demo.points.get(code), None
        if item.kind == Item.Kind.GATE:
            points, met = None, True
        elif points is None:
            share = Decimal(rng.choice((75, 80, 85, 90, 95, 100, 100))) / 100
            points = (item.max_points * share * 2).quantize(Decimal("1")) / 2  # to the half point
        services.save_answer(
            by=clerk, assessment=assessment, item=item, points=points, met=met, narrative=narrative
        )
    if any(item.computed_by == Item.ComputedBy.LEDGER_TARGETS for item in items.values()):
        _ledger_for_the_target_check(unit, services.checked_year(assessment))
    services.refresh_computed_answers(assessment=assessment)
    for demo_file in demo.files:
        upload = SimpleUploadedFile(demo_file.name, _picture(unit, demo_file))
        services.attach_evidence(
            by=clerk, assessment=assessment, item=items[demo_file.item_code], upload=upload
        )
    if demo.complete:
        services.complete_assessment(by=clerk, assessment=assessment)


def _ledger_for_the_target_check(unit: Unit, year: int) -> None:
    """A target of the nearest office above the unit for `year` (versus the year before) unless one applies
    already, and the unit's basic information and monthly ledger of both years where it has none."""
    target = applicable_target(unit, year, unit.institution_type)
    if target is None:
        prefixes = [
            unit.region.path[:length] for length in (2, 4, 6, 9, 12) if length <= len(unit.region.path)
        ]
        office = Office.objects.filter(region__path__in=prefixes).order_by("-region__path").first()
        if office is None:
            return
        target = AnnualTarget(
            office=office,
            region=office.region,
            year=year,
            baseline_year=year - 1,
            area_energy_change=Decimal("-1"),
            per_capita_energy_change=Decimal("-1"),
            per_capita_water_change=Decimal("-1"),
            source="演示数据：年度公共机构节约能源资源工作要点",
        )
        target.full_clean()
        target.save()
    now = timezone.now()
    for ledger_year, figures in (
        (target.baseline_year, ORGAN_LEDGER["base"]),
        (year, ORGAN_LEDGER["checked"]),
    ):
        BasicInfo.objects.get_or_create(
            unit=unit,
            year=ledger_year,
            defaults={
                "institution_type": unit.institution_type or Unit.InstitutionType.STATE_ORGAN,
                "floor_area": unit.floor_area or Decimal("8000"),
                "headcount": unit.energy_headcount or 200,
            },
        )
        if Consumption.objects.filter(unit=unit, year=ledger_year).exists():
            continue
        Consumption.objects.bulk_create(
            Consumption(
                unit=unit,
                year=ledger_year,
                month=month,
                carrier=carrier,
                amount=Decimal(amount),
                measure=CANONICAL_MEASURE[carrier],
                updated_at=now,
            )
            for month in range(1, 13)
            for carrier, amount in figures.items()
        )


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), size, index=FONT_COLLECTION_INDEX)


def _picture(unit: Unit, demo_file: DemoFile) -> bytes:
    """A photo of a notice board (PNG) or a scanned page (PDF), drawn with the report's Chinese font."""
    if demo_file.scan:
        image = Image.new("RGB", (1240, 1754), "#fbfbf8")  # A4 at 150 dpi
        draw = ImageDraw.Draw(image)
        draw.text((620, 210), unit.name, font=_font(40), fill="#b3261e", anchor="mm")
        draw.line((120, 260, 1120, 260), fill="#b3261e", width=4)
        draw.multiline_text(
            (620, 360),
            _wrap(demo_file.title, 20),
            font=_font(44),
            fill="#1d2328",
            anchor="ma",
            align="center",
        )
        for index, line in enumerate(demo_file.lines):
            draw.text((160, 620 + index * 80), line, font=_font(34), fill="#1d2328")
        draw.ellipse((820, 1300, 1080, 1560), outline="#d03a2f", width=8)
        draw.text((950, 1430), "印", font=_font(60), fill="#d03a2f", anchor="mm")
        buffer = io.BytesIO()
        image.save(buffer, format="PDF", resolution=150)
        return buffer.getvalue()
    image = Image.new("RGB", (960, 640), "#d9e7dc")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 50, 900, 560), fill="#1d5e3b", outline="#12402a", width=10)
    draw.rectangle((90, 80, 870, 170), fill="#f0f7f2")
    draw.text((480, 125), demo_file.title, font=_font(44), fill="#12402a", anchor="mm")
    for index, line in enumerate(demo_file.lines):
        draw.text((120, 220 + index * 70), line, font=_font(34), fill="#ffffff")
    draw.text((870, 530), unit.name, font=_font(24), fill="#b9dcc6", anchor="rs")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[start : start + width] for start in range(0, len(text), width))
