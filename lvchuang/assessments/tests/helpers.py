"""Small published standards to self-assess against, and evidence files made in code.

The community standard has every kind of item: scored items (one with sub-items capped at its own points), a
★ veto item, a basic condition (gate) and a bonus item. 100 points plus a 5-point bonus cap; pass line 80.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lvchuang.standards.models import GradeBand, Item, Standard, StandardVersion

D = Decimal


def make_version(
    *,
    code: str = "test-community",
    name: str = "节能环保社区考评标准",
    applies_to: tuple[str, ...] = ("community",),
    status: str = StandardVersion.Status.PUBLISHED,
) -> StandardVersion:
    standard = Standard.objects.create(code=code, name=name, title_name="市级节能环保社区")
    version = StandardVersion.objects.create(
        standard=standard,
        number=1,
        label="2024 年版",
        status=status,
        total_points=D("100"),
        pass_line=D("80"),
        bonus_cap=D("5"),
        applies_to=list(applies_to),
    )
    order = iter(range(1, 100))

    def item(
        code: str, title: str, kind: str, points: str = "0", parent: Item | None = None, **more: Any
    ) -> Item:
        return Item.objects.create(
            version=version,
            parent=parent,
            code=code,
            title=title,
            kind=kind,
            max_points=D(points),
            order=next(order),
            **more,
        )

    organisation = item("1", "组织管理", Item.Kind.AREA, "30")
    item("1.1", "成立创建工作领导小组", Item.Kind.SCORED, "10", organisation, guidance="有文件得 10 分。")
    item("1.2", "完成年度节能目标", Item.Kind.VETO, "20", organisation, evidence_required="能耗台账")
    saving = item("2", "节能减排", Item.Kind.AREA, "70")
    item("2.1", "公共区域使用节能灯具", Item.Kind.SCORED, "40", saving)
    sorting = item("2.2", "垃圾分类", Item.Kind.SCORED, "30", saving)
    item("2.2.1", "分类设施", Item.Kind.SCORED, "20", sorting)
    item("2.2.2", "分类宣传", Item.Kind.SCORED, "20", sorting)
    basics = item("3", "基本条件", Item.Kind.AREA)
    item("3.1", "居民满意度达到 80% 以上", Item.Kind.GATE, "0", basics)
    extra = item("4", "加分项", Item.Kind.AREA)
    item("4.1", "创新做法", Item.Kind.BONUS, "5", extra)
    GradeBand.objects.create(version=version, name="优秀", min_score=D("90"))
    GradeBand.objects.create(version=version, name="合格", min_score=D("80"))
    GradeBand.objects.create(version=version, name="不合格", min_score=D("0"))
    return version


def leaf(version: StandardVersion, code: str) -> Item:
    return Item.objects.get(version=version, code=code)


# A full answer that passes: 10 + 18 + 36 + 28 = 92, plus a 3-point bonus: 95 points, 优秀.
PASSING = {
    "1.1": {"points": D("10")},
    "1.2": {"points": D("18")},
    "2.1": {"points": D("36")},
    "2.2.1": {"points": D("20")},
    "2.2.2": {"points": D("8")},
    "3.1": {"met": True},
    "4.1": {"points": D("3")},
}


def png_bytes(size: tuple[int, int] = (800, 600), color: str = "#2b8456") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "台账照片.png", **options: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**options), content_type="image/png")


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "领导小组文件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
