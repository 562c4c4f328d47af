"""Small standards for tests: one of every kind of item, a bonus cap and three grade bands."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from lvchuang.organisations.models import Office
from lvchuang.standards import services
from lvchuang.standards.document import BandSpec, ItemSpec, StandardDocument
from lvchuang.standards.models import StandardVersion

NAME = "芙蓉区绿色社区考评标准"


def small_document(**changes: Any) -> StandardDocument:
    items = (
        ItemSpec("0", "基本条件", "area", Decimal("0")),
        ItemSpec(
            "0.1", "居民满意度高于 80%", "gate", Decimal("0"), parent_code="0", evidence_required="调查表"
        ),
        ItemSpec("1", "组织管理", "area", Decimal("60")),
        ItemSpec(
            "1.1",
            "成立创建工作领导小组",
            "scored",
            Decimal("20"),
            parent_code="1",
            guidance="有成立文件得 20 分",
            evidence_required="成立文件",
        ),
        ItemSpec(
            "1.2", "制定年度工作计划", "scored", Decimal("40"), parent_code="1", needs_confirmation=True
        ),
        ItemSpec("2", "完成年度节能目标", "veto", Decimal("40"), guidance="★ 不得为零分"),
        ItemSpec("3", "创新做法", "bonus", Decimal("5")),
    )
    document = StandardDocument(
        code="furong-community",
        name=NAME,
        title_name="区级绿色社区",
        description="测试用标准",
        source="芙蓉区创建办",
        label="第 1 版",
        total_points=Decimal("100"),
        pass_line=Decimal("80"),
        bonus_cap=Decimal("5"),
        applies_to=("community",),
        needs_confirmation=True,
        notes="分值待确认",
        items=items,
        bands=(
            BandSpec("优秀", Decimal("90")),
            BandSpec("合格", Decimal("80")),
            BandSpec("不合格", Decimal("0")),
        ),
    )
    return replace(document, **changes)


def draft_for(office: Office, **changes: Any) -> StandardVersion:
    """A draft version 1 of a standard the office owns, written by the system."""
    return services.import_standard(by=None, owner=office, document=small_document(**changes))
