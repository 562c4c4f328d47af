"""The pure part: a version's consistency check (the scoring engine's rules) and the diff of two versions."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from lvchuang.standards.document import BandSpec, FieldChange, ItemChange, ItemSpec, check, diff_versions
from lvchuang.standards.tests.factories import small_document


def test_a_sound_document_has_no_problems():
    assert check(small_document()) == []


def test_it_names_the_item_whose_children_cannot_reach_its_points():
    document = small_document()
    items = tuple(replace(i, max_points=Decimal("70")) if i.code == "1" else i for i in document.items)
    problems = check(replace(document, items=items))
    assert [p.code for p in problems if p.code] == ["1"]
    assert any("高于其下级条目最多可得的 60 分" in p.message for p in problems)


def test_it_refuses_an_unknown_kind_before_asking_the_engine():
    document = small_document()
    items = (*document.items, ItemSpec("9", "奇怪的条目", "strange", Decimal("1")))
    [problem] = check(replace(document, items=items))
    assert problem.code == "9"
    assert "类型“strange”无效" in problem.message


def test_the_diff_lists_version_band_and_item_changes_matched_by_code():
    old = small_document()
    items = [item for item in old.items if item.code != "3"]  # 创新做法 removed
    items = [
        replace(
            item, title="成立领导小组并明确分工", max_points=Decimal("25"), evidence_required="文件、名单"
        )
        if item.code == "1.1"
        else replace(item, max_points=Decimal("35"))
        if item.code == "1.2"
        else item
        for item in items
    ]
    items.append(ItemSpec("1.3", "档案台账", "scored", Decimal("0"), parent_code="1"))
    new = replace(
        old,
        label="第 2 版",
        pass_line=Decimal("85"),
        bonus_cap=Decimal("0"),
        applies_to=("community", "school"),
        items=tuple(items),
        bands=(
            BandSpec("优秀", Decimal("95")),
            BandSpec("合格", Decimal("85")),
            BandSpec("良好", Decimal("90")),
        ),
    )

    changes = diff_versions(old, new)

    [version] = [c for c in changes if c.target == "version"]
    assert {f.field: (f.before, f.after) for f in version.fields} == {
        "label": ("第 1 版", "第 2 版"),
        "pass_line": (Decimal("80"), Decimal("85")),
        "bonus_cap": (Decimal("5"), Decimal("0")),
        "applies_to": (("community",), ("community", "school")),
    }
    bands = {(c.status, c.key): c.fields for c in changes if c.target == "band"}
    assert bands == {
        ("changed", "优秀"): (FieldChange("min_score", Decimal("90"), Decimal("95")),),
        ("changed", "合格"): (FieldChange("min_score", Decimal("80"), Decimal("85")),),
        ("added", "良好"): (FieldChange("min_score", None, Decimal("90")),),
        ("removed", "不合格"): (FieldChange("min_score", Decimal("0"), None),),
    }
    items_changed = [c for c in changes if c.target == "item"]
    assert [(c.status, c.key) for c in items_changed] == [
        ("changed", "1.1"),
        ("changed", "1.2"),
        ("added", "1.3"),
        ("removed", "3"),
    ]
    assert items_changed[0] == ItemChange(
        "item",
        "changed",
        "1.1",
        "成立领导小组并明确分工",
        (
            FieldChange("title", "成立创建工作领导小组", "成立领导小组并明确分工"),
            FieldChange("max_points", Decimal("20"), Decimal("25")),
            FieldChange("evidence_required", "成立文件", "文件、名单"),
        ),
    )
    assert items_changed[3].title == "创新做法"


def test_the_diff_of_a_version_with_itself_is_empty():
    assert diff_versions(small_document(), small_document()) == []
