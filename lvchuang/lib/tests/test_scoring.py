from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lvchuang.lib.scoring import (
    Answer,
    Evaluation,
    GradeBand,
    ItemKind,
    ItemResult,
    ItemRule,
    StandardRules,
    Verdict,
    completeness,
    evaluate,
    grade_for,
)

D = Decimal
AREA, SCORED, VETO, GATE, BONUS = ItemKind.AREA, ItemKind.SCORED, ItemKind.VETO, ItemKind.GATE, ItemKind.BONUS

# Deterministic and quick: the whole file runs in a few seconds.
properties = settings(max_examples=50, derandomize=True, deadline=None)


def rule(
    code: str, title: str, kind: ItemKind, max_points: Decimal | str | int = 0, parent: str | None = None
) -> ItemRule:
    """An item keyed by its code, which keeps the examples readable."""
    return ItemRule(key=code, code=code, title=title, kind=kind, max_points=D(max_points), parent_key=parent)


def points(value: str | int) -> Answer:
    return Answer(points=D(value))


MET, NOT_MET = Answer(met=True), Answer(met=False)


def leaves_of(rules: StandardRules) -> list[ItemRule]:
    parents = {item.parent_key for item in rules.items}
    return [item for item in rules.items if item.key not in parents and item.kind is not AREA]


def full_marks(rules: StandardRules) -> dict[str, Answer]:
    return {
        leaf.key: MET if leaf.kind is GATE else Answer(points=leaf.max_points) for leaf in leaves_of(rules)
    }


# --- 节约型公共机构示范单位 (十二五): 100 points + 10 bonus, pass ≥ 85, no ★ item may score 0 (facts §1) ---------
# The five areas and their points are from the standard; the items inside them are illustrative.

DEMONSTRATION_UNIT = StandardRules(
    items=(
        rule("1", "能源资源消耗指标", AREA, 35),
        rule("1.1", "单位建筑面积能耗达到目标", VETO, 15, "1"),
        rule("1.2", "人均综合能耗达到目标", SCORED, 10, "1"),
        rule("1.3", "人均水耗达到目标", SCORED, 10, "1"),
        rule("2", "管理制度与实施", AREA, 29),
        rule("2.1", "建立节能管理机构并明确职责", VETO, 5, "2"),
        rule("2.2", "节能管理制度健全并落实", SCORED, 24, "2"),
        rule("3", "建筑及设备系统节能", AREA, 20),
        rule("3.1", "围护结构和用能设备节能改造", SCORED, 20, "3"),
        rule("4", "节约用水", AREA, 9),
        rule("4.1", "使用节水器具", SCORED, 9, "4"),
        rule("5", "绿色消费", AREA, 7),
        rule("5.1", "优先采购节能环保产品", SCORED, 7, "5"),
        rule("6", "加分项", AREA),
        rule("6.1", "可再生能源应用", BONUS, 5, "6"),
        rule("6.2", "节能创新做法被推广", BONUS, 5, "6"),
        rule("6.3", "获得上级表彰", BONUS, 5, "6"),
    ),
    total_points=D(100),
    pass_line=D(85),
    bonus_cap=D(10),
    grade_bands=(
        GradeBand("未达到示范标准", D(0)),
        GradeBand("示范单位", D(85)),
        GradeBand("示范单位（95 分以上）", D(95)),
    ),
)


def test_the_demonstration_unit_standard_is_sound() -> None:
    assert DEMONSTRATION_UNIT.check() == []
    assert DEMONSTRATION_UNIT.max_total == D(110)


def test_it_fails_a_demonstration_unit_with_a_star_item_at_zero_even_with_100_points() -> None:
    answers = full_marks(DEMONSTRATION_UNIT) | {"2.1": points(0), "6.2": points(0), "6.3": points(0)}

    result = evaluate(DEMONSTRATION_UNIT, answers)

    assert result.total == D(100)
    assert result.passed is False
    assert result.verdict is Verdict.FAILED
    assert result.failed_vetoes == ("2.1",)
    assert result.grade == "未达到示范标准"
    assert result.shortfall == 0
    assert result.explanation == (
        "未通过：必须完成项「2.1 建立节能管理机构并明确职责」得分为零。",
        "总分 100 分（含加分 5 分），已达到合格线 85 分，但因上述原因不能通过。",
        "等次：未达到示范标准（必须完成项或基本条件未达到要求，只能评为最低等次）。",
    )


def test_it_passes_a_demonstration_unit_at_86_point_5_and_says_why() -> None:
    answers = full_marks(DEMONSTRATION_UNIT) | {
        "2.2": points("7.5"),  # 16.5 points short of full marks …
        "6.1": points(3),  # … and 3 bonus points back
        "6.2": points(0),
        "6.3": points(0),
    }

    result = evaluate(DEMONSTRATION_UNIT, answers)

    assert (result.regular_points, result.bonus_points, result.total) == (D("83.5"), D(3), D("86.5"))
    assert result.passed is True
    assert result.explanation == (
        "通过：总分 86.5 分（含加分 3 分），达到合格线 85 分，无必须完成项为零分，等次：示范单位。",
    )


def test_it_caps_the_bonus_and_says_so() -> None:
    result = evaluate(DEMONSTRATION_UNIT, full_marks(DEMONSTRATION_UNIT))

    assert result.bonus_points == D(10)
    assert result.total == result.max_total == D(110)
    assert result.grade == "示范单位（95 分以上）"
    assert "加分项合计 15 分，超过加分上限 10 分，按 10 分计。" in result.explanation


def test_it_reports_each_area_with_its_points_and_maximum() -> None:
    answers = full_marks(DEMONSTRATION_UNIT) | {"1.2": points(4), "6.1": points(2)}

    result = evaluate(DEMONSTRATION_UNIT, answers)

    assert [row.key for row in result.per_item] == [item.key for item in DEMONSTRATION_UNIT.items]
    energy = result.item("1")
    assert (energy.points, energy.max_points, energy.depth, energy.is_leaf) == (D(29), D(35), 0, False)
    bonus = result.item("6")
    assert (bonus.points, bonus.bonus_points, bonus.max_points) == (D(12), D(12), D(15))
    assert result.item("1.2").depth == 1
    with pytest.raises(KeyError):
        result.item("9")


# --- 节约型机关 (central organs, 2024, on GB/T 29118-2023): target check is a veto, pass = targets met and ≥ 80 --
# 强化目标管理 and 完善制度体系 follow the published table; the other 70 points stand in for areas not retrieved.
# The grade bands are the energy-saving assessment's (超额完成 ≥ 95 … 未完成 < 65, a missed hard target = 未完成).

SAVING_ORGAN = StandardRules(
    items=(
        rule("1", "强化目标管理", AREA, 5),
        rule("1.1", "完成年度单位建筑面积能耗、人均综合能耗、人均水耗目标", VETO, 5, "1"),
        rule("2", "完善制度体系", AREA, 25),
        rule("2.1", "管理机构", SCORED, 5, "2"),
        rule("2.1.1", "明确负责人", SCORED, 1, "2.1"),
        rule("2.1.2", "设立机构并明确职责", SCORED, 1, "2.1"),
        rule("2.1.3", "推动本单位制度运行", SCORED, 2, "2.1"),
        rule("2.1.4", "设立能源管理和统计岗位", SCORED, 1, "2.1"),
        rule("2.2", "管理制度", SCORED, 10, "2"),
        rule("2.2.1", "制定创建工作方案", SCORED, 2, "2.2"),
        rule("2.2.2", "确定年度目标", SCORED, 1, "2.2"),
        rule("2.2.3", "制度文件（每项 1 分，最高 3 分）", SCORED, 3, "2.2"),
        rule("2.2.3.1", "节约能源制度", SCORED, 1, "2.2.3"),
        rule("2.2.3.2", "节约用水制度", SCORED, 1, "2.2.3"),
        rule("2.2.3.3", "公务用车管理制度", SCORED, 1, "2.2.3"),
        rule("2.2.3.4", "反食品浪费制度", SCORED, 1, "2.2.3"),
        rule("2.2.4", "统计台账", SCORED, 4, "2.2"),
        rule("2.2.4.1", "按月记录能源水资源账单", SCORED, 1, "2.2.4"),
        rule("2.2.4.2", "按时报送季度和年度统计", SCORED, 1, "2.2.4"),
        rule("2.2.4.3", "开展年度能耗分析", SCORED, 1, "2.2.4"),
        rule("2.2.4.4", "每季度内部公示", SCORED, 1, "2.2.4"),
        rule("2.3", "管理措施", SCORED, 10, "2"),
        rule("2.3.1", "物业合同中约定节能目标", SCORED, 1, "2.3"),
        rule("2.3.2", "分户、分区、分项计量", SCORED, 9, "2.3"),
        rule("3", "运行管理其余领域（示例）", AREA, 70),
        rule("3.1", "绿色办公、垃圾分类、反食品浪费、设施设备、宣传教育", SCORED, 70, "3"),
    ),
    total_points=D(100),
    pass_line=D(80),
    grade_bands=(
        GradeBand("超额完成", D(95)),
        GradeBand("完成", D(80)),
        GradeBand("基本完成", D(65)),
        GradeBand("未完成", D(0)),
    ),
)


def test_a_capped_sub_item_lets_the_leaves_add_up_to_more_than_the_full_marks() -> None:
    # Four documents at 1 point under a cap of 3: the leaves sum to 101, the reachable maximum is 100.
    assert sum(leaf.max_points for leaf in leaves_of(SAVING_ORGAN)) == D(101)
    assert SAVING_ORGAN.check() == []
    result = evaluate(SAVING_ORGAN, full_marks(SAVING_ORGAN))
    assert result.item("2.2.3").points == D(3)
    assert result.total == D(100)


def test_it_fails_an_organ_that_missed_its_targets_whatever_its_score() -> None:
    answers = full_marks(SAVING_ORGAN) | {"1.1": points(0)}

    result = evaluate(SAVING_ORGAN, answers)

    assert result.total == D(95)
    assert result.passed is False
    assert result.grade == "未完成"
    assert (
        result.explanation[0]
        == "未通过：必须完成项「1.1 完成年度单位建筑面积能耗、人均综合能耗、人均水耗目标」得分为零。"
    )


def test_it_passes_an_organ_that_met_its_targets_and_reached_80() -> None:
    answers = full_marks(SAVING_ORGAN) | {"3.1": points(55)}

    result = evaluate(SAVING_ORGAN, answers)

    assert (result.total, result.passed, result.grade) == (D(85), True, "完成")


def test_it_fails_an_organ_half_a_point_short_and_names_the_shortfall() -> None:
    answers = full_marks(SAVING_ORGAN) | {"3.1": points("49.5")}

    result = evaluate(SAVING_ORGAN, answers)

    assert (result.total, result.passed, result.shortfall) == (D("79.5"), False, D("0.5"))
    assert result.grade == "基本完成"
    assert result.explanation == ("未通过：总分 79.5 分，距合格线 80 分还差 0.5 分。", "等次：基本完成。")


# --- 绿色社区 with the gate conditions of the older environment-bureau standards (facts §1) ------------------
# Gates from the Hubei standard; the scored part is one item per area of 建城〔2020〕68号; pass line of 清远.

COMMUNITY = StandardRules(
    items=(
        rule("0", "基本条件", AREA),
        rule("0.1", "居民满意度高于 80%", GATE, 0, "0"),
        rule("0.2", "常住户数不少于 2000 户", GATE, 0, "0"),
        rule("0.3", "入住率不低于 80%", GATE, 0, "0"),
        rule("1", "人居环境建设和整治机制", SCORED, 20),
        rule("2", "基础设施绿色化", SCORED, 20),
        rule("3", "宜居环境", SCORED, 20),
        rule("4", "信息化智能化", SCORED, 20),
        rule("5", "绿色文化", SCORED, 20),
    ),
    total_points=D(100),
    pass_line=D(70),
)


def test_it_fails_a_community_at_95_points_when_residents_are_not_satisfied() -> None:
    answers = full_marks(COMMUNITY) | {"0.1": NOT_MET, "5": points(15)}

    result = evaluate(COMMUNITY, answers)

    assert result.total == D(95)
    assert (result.passed, result.failed_gates, result.grade) == (False, ("0.1",), None)
    assert result.explanation == (
        "未通过：基本条件「0.1 居民满意度高于 80%」未满足。",
        "总分 95 分，已达到合格线 70 分，但因上述原因不能通过。",
    )


def test_it_passes_a_community_that_meets_every_gate() -> None:
    result = evaluate(COMMUNITY, full_marks(COMMUNITY) | {"5": points(15)})

    assert result.passed is True
    assert result.explanation == ("通过：总分 95 分，达到合格线 70 分，基本条件均已满足。",)


def test_an_unanswered_gate_keeps_the_assessment_open_and_is_named() -> None:
    answers = full_marks(COMMUNITY)
    del answers["0.2"]
    answers["3"] = Answer()  # an empty answer is no answer

    result = evaluate(COMMUNITY, answers)

    assert result.verdict is Verdict.INCOMPLETE
    assert result.passed is False
    assert result.failed_gates == ("0.2",)
    assert result.unanswered == ("0.2", "3")
    assert completeness(COMMUNITY, answers) == (6, 8)
    assert result.explanation == (
        "尚未完成：还有 2 个条目未填写：「0.2 常住户数不少于 2000 户」（基本条件）、「3 宜居环境」。",
        "目前总分 80 分，合格线 70 分，满分 100 分。",
    )


def test_a_gate_answered_with_points_is_still_unanswered() -> None:
    answers = full_marks(COMMUNITY) | {"0.3": Answer(points=D(5))}

    assert completeness(COMMUNITY, answers) == (7, 8)
    assert evaluate(COMMUNITY, answers).failed_gates == ("0.3",)


def test_a_definite_failure_is_reported_before_the_form_is_finished() -> None:
    result = evaluate(COMMUNITY, {"0.1": NOT_MET})

    assert result.verdict is Verdict.FAILED
    assert result.explanation[0] == "未通过：基本条件「0.1 居民满意度高于 80%」未满足。"
    assert result.explanation[-1].startswith(
        "另外还有 7 个条目未填写：「0.2 常住户数不少于 2000 户」（基本条件）"
    )


def test_a_gate_only_checklist_passes_without_mentioning_points() -> None:
    checklist = StandardRules(items=COMMUNITY.items[:4], total_points=D(0), pass_line=D(0))

    assert checklist.check() == []
    assert evaluate(checklist, full_marks(checklist)).explanation == ("通过：基本条件均已满足。",)


# --- answers out of range, long lists -------------------------------------------------------------------------


def test_it_clamps_points_outside_the_range_and_warns() -> None:
    answers = full_marks(COMMUNITY) | {"1": points(25), "2": points("-3")}

    result = evaluate(COMMUNITY, answers)

    assert result.clamped == ("1", "2")
    assert (result.item("1").points, result.item("2").points) == (D(20), D(0))
    assert "「1 人居环境建设和整治机制」填写的 25 分超出 0–20 分的范围，按 20 分计。" in result.explanation
    assert "「2 基础设施绿色化」填写的 -3 分超出 0–20 分的范围，按 0 分计。" in result.explanation


def test_a_negative_veto_answer_counts_as_zero_and_fails() -> None:
    result = evaluate(SAVING_ORGAN, full_marks(SAVING_ORGAN) | {"1.1": points(-1)})

    assert result.failed_vetoes == ("1.1",)
    assert result.clamped == ("1.1",)


def test_a_long_list_of_open_items_names_ten_and_every_veto() -> None:
    result = evaluate(SAVING_ORGAN, {})

    headline = result.explanation[0]
    assert headline.startswith("尚未完成：还有 18 个条目未填写：「1.1 完成年度单位建筑面积能耗")
    assert "（必须完成项）" in headline
    assert headline.endswith("等，其余 8 个不再列出。")


def test_it_refuses_answers_that_are_not_finite_numbers() -> None:
    with pytest.raises(ValueError, match="有限"):
        Answer(points=D("NaN"))
    with pytest.raises(ValueError, match="有限"):
        Answer(points=D("Infinity"))


def test_it_accepts_the_plain_kind_string_stored_by_django() -> None:
    assert ItemRule("k", "1", "条目", "veto", D(5)).kind is VETO  # type: ignore[arg-type]


def test_grades_need_bands() -> None:
    assert grade_for((), D(100)) is None
    assert grade_for((GradeBand("合格", D(60)),), D(59)) is None
    assert evaluate(COMMUNITY, {"0.1": NOT_MET}).grade is None


# --- check() ---------------------------------------------------------------------------------------------------


def with_items(
    *items: ItemRule,
    total: str | int = 10,
    pass_line: str | int = 0,
    bonus_cap: str | int = 0,
    grade_bands: tuple[GradeBand, ...] = (),
) -> StandardRules:
    return StandardRules(items, D(total), D(pass_line), D(bonus_cap), grade_bands)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (with_items(rule("1", "甲", SCORED, 5), rule("1", "乙", SCORED, 5)), "条目标识 1 重复"),
        (with_items(rule("1", "甲", SCORED, 10, parent="9")), "上级 9 不存在"),
        (
            with_items(rule("1", "甲", SCORED, 10, parent="2"), rule("2", "乙", SCORED, 0, parent="1")),
            "上下级关系形成循环：「1 甲」 → 「2 乙」 → 「1 甲」",
        ),
        (with_items(rule("1", "甲", SCORED, 10, parent="1")), "形成循环"),
        (
            with_items(rule("1", "甲", SCORED, 10), rule("2", "满意度", GATE, 2)),
            "基本条件「2 满意度」只判断是否满足，不能设分值",
        ),
        (
            with_items(rule("1", "甲", SCORED, 10), rule("2", "乙", VETO, 0)),
            "必须完成项「2 乙」没有下级条目，分值必须大于 0",
        ),
        (with_items(rule("1", "甲", SCORED, 10), rule("2", "领域", AREA)), "领域「2 领域」下还没有任何条目"),
        (with_items(rule("1", "甲", SCORED, 8)), "计分项（不含加分项）最多可得 8 分，与标准满分 10 分不一致"),
        (with_items(rule("1", "甲", SCORED, 10), pass_line=11), "合格线 11 分高于可达到的最高分 10 分"),
        (with_items(rule("1", "甲", SCORED, 10), rule("2", "乙", BONUS, 3)), "加分上限为 0 分"),
        (
            with_items(rule("1", "甲", SCORED, 12), rule("1.1", "乙", SCORED, 10, parent="1")),
            "计分项「1 甲」的分值 12 分高于其下级条目最多可得的 10 分",
        ),
        (
            with_items(rule("1", "甲", VETO, 10), rule("1.1", "乙", SCORED, 10, parent="1")),
            "必须完成项「1 甲」有其他类型的下级条目",
        ),
        (
            with_items(rule("1", "甲", SCORED, 10), rule("1.1", "乙", BONUS, 1, parent="1"), bonus_cap=1),
            "计分项「1 甲」下不能有加分项",
        ),
        (
            with_items(
                rule("1", "甲", SCORED, 10),
                rule("2", "乙", BONUS, 2),
                rule("2.1", "丙", SCORED, 2, parent="2"),
            ),
            "加分项「2 乙」下不能有计分项或必须完成项",
        ),
        (
            with_items(rule("1", "甲", SCORED, 10), rule("1.1", "乙", AREA, parent="1")),
            "只能位于顶层或其他领域之下",
        ),
        (with_items(rule("1", "甲", SCORED, 5), ItemRule("2", "1", "乙", SCORED, D(5))), "编号 1 重复"),
        (with_items(rule("1", "甲", SCORED, 10), total=10, pass_line=-1), "合格线不能为负数"),
        (with_items(), "标准还没有任何可填写的条目"),
        (
            with_items(
                rule("1", "甲", SCORED, 10), grade_bands=(GradeBand("合格", D(60)), GradeBand("合格", D(80)))
            ),
            "等次名称「合格」重复",
        ),
        (
            with_items(rule("1", "甲", SCORED, 10), grade_bands=(GradeBand("优秀", D(11)),)),
            "等次「优秀」的最低分 11 分高于最高分 10 分",
        ),
    ],
)
def test_it_reports_what_is_wrong_with_a_standard(rules: StandardRules, message: str) -> None:
    problems = rules.check()
    assert any(message in problem for problem in problems), problems


def test_it_refuses_to_evaluate_items_that_do_not_form_a_tree() -> None:
    rules = with_items(rule("1", "甲", SCORED, 10, parent="2"), rule("2", "乙", SCORED, 0, parent="1"))
    with pytest.raises(ValueError, match="形成循环"):
        evaluate(rules, {})
    with pytest.raises(ValueError, match="形成循环"):
        completeness(rules, {})


def test_it_still_keeps_the_total_within_the_maximum_when_the_points_do_not_add_up() -> None:
    rules = with_items(
        rule("1", "甲", SCORED, 8), rule("2", "乙", SCORED, 8)
    )  # 16 points in a standard of 10
    assert evaluate(rules, {"1": points(8), "2": points(8)}).total == D(10)


# --- properties --------------------------------------------------------------------------------------------

LEAF_KINDS = (SCORED, VETO, GATE, BONUS)
# Kinds a sub-item may have under a parent of each kind (what check() accepts).
CHILD_KINDS = {
    AREA: LEAF_KINDS,
    SCORED: (SCORED, VETO, GATE),
    VETO: (VETO,),
    GATE: (GATE,),
    BONUS: (BONUS,),
}
TITLES = (
    "居民满意度高于 80%",
    "完成年度能耗指标",
    "节水器具",
    "垃圾分类",
    "宣传教育",
    "分项计量",
    "绿色出行",
)

# Strategies are built once: building them inside the draws costs more than the engine under test.
one_to_three = st.integers(1, 3)
one_in = {sides: st.integers(1, sides) for sides in (2, 3, 4, 6)}
leaf_kinds = st.sampled_from(LEAF_KINDS)
child_kinds = {kind: st.sampled_from(kinds) for kind, kinds in CHILD_KINDS.items()}
titles = st.sampled_from(TITLES)
tenths = st.integers(1, 200).map(lambda n: D(n) / 10)
# An answer as a percentage of the item's maximum, from far below zero to far above the maximum.
percentages = st.integers(-60, 160)
hundredths = st.integers(0, 100)
any_answer = st.one_of(
    st.builds(Answer, met=st.booleans()), st.builds(Answer, points=st.decimals(-10, 300, places=1))
)
answer_shapes = st.sampled_from(("missing", "empty", "given", "given"))


@dataclass
class _Subtree:
    max_regular: Decimal
    max_bonus: Decimal
    has_regular: bool


class _TreeBuilder:
    """Grows a random tree that check() accepts: areas, nested sub-items, capped parents, every kind."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.items: list[ItemRule] = []

    def chance(self, sides: int) -> bool:
        return self.draw(one_in[sides]) == 1

    def area(self, code: str, parent: str | None, depth: int) -> _Subtree:
        index = len(self.items)
        self.items.append(rule(code, "领域", AREA))
        subtrees = []
        for number in range(1, self.draw(one_to_three) + 1):
            child = f"{code}.{number}"
            if depth < 1 and self.chance(6):  # now and then a sub-area
                subtrees.append(self.area(child, code, depth + 1))
            else:
                subtrees.append(self.item(child, code, self.draw(leaf_kinds), depth + 1))
        return self.cap(index, parent, AREA, subtrees)

    def item(self, code: str, parent: str | None, kind: ItemKind, depth: int) -> _Subtree:
        title = self.draw(titles)
        if depth >= 3 or not self.chance(4):  # mostly leaves
            maximum = D(0) if kind is GATE else self.draw(tenths)
            self.items.append(rule(code, title, kind, maximum, parent))
            return _Subtree(
                max_regular=maximum if kind in (SCORED, VETO) else D(0),
                max_bonus=maximum if kind is BONUS else D(0),
                has_regular=kind in (SCORED, VETO),
            )
        index = len(self.items)
        self.items.append(rule(code, title, kind, 0, parent))
        subtrees = [
            self.item(f"{code}.{number}", code, self.draw(child_kinds[kind]), depth + 1)
            for number in range(1, self.draw(one_to_three) + 1)
        ]
        return self.cap(index, parent, kind, subtrees)

    def cap(self, index: int, parent: str | None, kind: ItemKind, below: list[_Subtree]) -> _Subtree:
        """Give the parent at `index` no cap, an exact cap or a binding one; return its reachable maxima."""
        regular = sum((subtree.max_regular for subtree in below), start=D(0))
        bonus = sum((subtree.max_bonus for subtree in below), start=D(0))
        has_regular = any(subtree.has_regular for subtree in below)
        capped = regular if has_regular else bonus
        cap = D(0)
        if kind is not GATE and capped > 0 and not self.chance(3):
            binding = (capped / 2).quantize(D("0.1"))
            cap = binding if binding > 0 and self.chance(2) else capped
        old = self.items[index]
        self.items[index] = ItemRule(old.key, old.code, old.title, old.kind, cap, parent)
        if cap > 0 and has_regular:
            regular = min(regular, cap)
        elif cap > 0:
            bonus = min(bonus, cap)
        return _Subtree(regular, bonus, has_regular)


def _fraction(draw: st.DrawFn, upper: Decimal) -> Decimal:
    """A point in [0, upper], in tenths."""
    return (upper * draw(hundredths) / 100).quantize(D("0.1"), rounding="ROUND_FLOOR")


@st.composite
def standards(draw: st.DrawFn) -> StandardRules:
    builder = _TreeBuilder(draw)
    roots = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        if builder.chance(2):
            roots.append(builder.area(str(number), None, 0))
        else:
            roots.append(builder.item(str(number), None, draw(leaf_kinds), 0))
    total = sum((root.max_regular for root in roots), start=D(0))
    bonus_reachable = sum((root.max_bonus for root in roots), start=D(0))
    bonus_cap = draw(tenths) if bonus_reachable > 0 else D(0)
    pass_line = _fraction(draw, total + min(bonus_reachable, bonus_cap))
    band_scores = {_fraction(draw, total + bonus_cap) for _ in range(draw(st.integers(0, 4)))}
    bands = tuple(GradeBand(f"第{index}等", score) for index, score in enumerate(sorted(band_scores)))
    return StandardRules(tuple(builder.items), total, pass_line, bonus_cap, bands)


def draw_answers(
    draw: st.DrawFn, rules: StandardRules, *, complete: bool = False, sound: bool = False
) -> dict[str, Answer]:
    """Random answers: missing ones, empty ones and points outside the range, unless asked to be complete;
    with `sound`, every veto scores and every gate is met."""
    answers: dict[str, Answer] = {}
    for leaf in leaves_of(rules):
        shape = "given" if complete else draw(answer_shapes)
        if shape == "empty":
            answers[leaf.key] = Answer()
        elif shape == "given" and leaf.kind is GATE:
            answers[leaf.key] = MET if sound else Answer(met=draw(st.booleans()))
        elif shape == "given":
            share = draw(percentages)
            if sound and leaf.kind is VETO:
                share = max(share, 1)
            answers[leaf.key] = Answer(points=leaf.max_points * share / 100)
    return answers


Scenario = tuple[StandardRules, dict[str, Answer]]


@st.composite
def scenarios(draw: st.DrawFn, *, complete: bool = False, sound: bool = False) -> Scenario:
    rules = draw(standards())
    return rules, draw_answers(draw, rules, complete=complete, sound=sound)


@properties
@given(standards())
def test_every_generated_standard_passes_the_check(rules: StandardRules) -> None:
    assert rules.check() == []


@properties
@given(scenarios())
def test_it_keeps_the_total_between_zero_and_the_maximum(
    scenario: Scenario,
) -> None:
    rules, answers = scenario
    result = evaluate(rules, answers)
    assert 0 <= result.regular_points <= rules.total_points
    assert 0 <= result.bonus_points <= rules.bonus_cap
    assert result.total == result.regular_points + result.bonus_points
    assert 0 <= result.total <= result.max_total == rules.total_points + rules.bonus_cap
    assert result.shortfall == max(D(0), rules.pass_line - result.total)


@properties
@given(scenarios())
def test_bonus_points_never_exceed_the_cap_nor_what_the_bonus_items_gave(
    scenario: Scenario,
) -> None:
    rules, answers = scenario
    result = evaluate(rules, answers)
    given_bonus = sum(
        (result.item(leaf.key).points for leaf in leaves_of(rules) if leaf.kind is BONUS),
        start=D(0),
    )
    assert result.bonus_points <= min(rules.bonus_cap, given_bonus)
    assert result.bonus_points == min(
        rules.bonus_cap, sum((row.bonus_points for row in _roots(result)), start=D(0))
    )


def _roots(result: Evaluation) -> list[ItemResult]:
    return [row for row in result.per_item if row.depth == 0]


@properties
@given(scenarios(), st.data())
def test_a_failed_veto_or_gate_always_fails(scenario: Scenario, data: st.DataObject) -> None:
    rules, answers = scenario
    critical = [leaf for leaf in leaves_of(rules) if leaf.kind in (VETO, GATE)]
    assume(critical)
    leaf = data.draw(st.sampled_from(critical))
    failing = data.draw(st.sampled_from([None, Answer(), NOT_MET if leaf.kind is GATE else points(0)]))
    answers = {key: answer for key, answer in answers.items() if key != leaf.key}
    if failing is not None:
        answers[leaf.key] = failing

    result = evaluate(rules, answers)

    assert leaf.key in (result.failed_vetoes if leaf.kind is VETO else result.failed_gates)
    assert result.passed is False
    assert result.verdict is not Verdict.PASSED
    bands = sorted(rules.grade_bands, key=lambda band: band.min_score)
    assert result.grade == (bands[0].name if bands else None)


@properties
@given(scenarios(), st.data())
def test_changing_another_answer_never_flips_a_veto_or_a_gate(
    scenario: Scenario, data: st.DataObject
) -> None:
    rules, answers = scenario
    leaf = data.draw(st.sampled_from(leaves_of(rules)))
    changed = dict(answers)
    changed[leaf.key] = data.draw(any_answer)

    before, after = evaluate(rules, answers), evaluate(rules, changed)

    if leaf.kind is not VETO:
        assert after.failed_vetoes == before.failed_vetoes
    if leaf.kind is not GATE:
        assert after.failed_gates == before.failed_gates


@properties
@given(scenarios(complete=True))
def test_with_everything_answered_and_nothing_failed_the_pass_line_decides(
    scenario: Scenario,
) -> None:
    rules, answers = scenario
    result = evaluate(rules, answers)
    assert result.unanswered == ()
    assert completeness(rules, answers) == (len(leaves_of(rules)),) * 2
    if not result.failed_vetoes and not result.failed_gates:
        assert result.passed == (result.total >= rules.pass_line)
        assert result.verdict is (Verdict.PASSED if result.passed else Verdict.FAILED)


@st.composite
def two_sound_answer_sets(draw: st.DrawFn) -> tuple[StandardRules, dict[str, Answer], dict[str, Answer]]:
    rules = draw(standards())
    first = draw_answers(draw, rules, complete=True, sound=True)
    return rules, first, draw_answers(draw, rules, complete=True, sound=True)


@properties
@given(two_sound_answer_sets())
def test_the_grade_never_falls_as_the_total_rises(
    scenario: tuple[StandardRules, dict[str, Answer], dict[str, Answer]],
) -> None:
    rules, first_answers, second_answers = scenario
    first, second = evaluate(rules, first_answers), evaluate(rules, second_answers)
    for result in (first, second):
        assert result.failed_vetoes == result.failed_gates == ()
    rank = {band.name: band.min_score for band in rules.grade_bands}
    low, high = sorted((first, second), key=lambda result: result.total)
    assert rank.get(low.grade or "", D(-1)) <= rank.get(high.grade or "", D(-1))


@properties
@given(scenarios())
def test_the_explanation_names_every_failed_veto_and_gate_and_starts_with_the_verdict(
    scenario: Scenario,
) -> None:
    rules, answers = scenario
    result = evaluate(rules, answers)
    text = "".join(result.explanation)
    by_key = {item.key: item for item in rules.items}
    for key in (*result.failed_vetoes, *result.failed_gates):
        assert f"「{by_key[key].code} {by_key[key].title}」" in text
    assert result.explanation[0].startswith(result.verdict.label)


@properties
@given(scenarios())
def test_the_report_covers_every_item_once_and_the_unanswered_leaves_in_tree_order(
    scenario: Scenario,
) -> None:
    rules, answers = scenario
    result = evaluate(rules, answers)
    assert sorted(row.key for row in result.per_item) == sorted(item.key for item in rules.items)
    order = [row.key for row in result.per_item]
    assert list(result.unanswered) == sorted(result.unanswered, key=order.index)
    answered, leaves = completeness(rules, answers)
    assert (answered, leaves) == (leaves - len(result.unanswered), len(leaves_of(rules)))
    for row in result.per_item:
        assert 0 <= row.points <= row.max_points
        assert 0 <= row.bonus_points <= row.max_bonus_points


@properties
@given(scenarios(), st.data())
def test_more_points_on_one_item_never_lower_the_total(scenario: Scenario, data: st.DataObject) -> None:
    rules, answers = scenario
    scored = [leaf for leaf in leaves_of(rules) if leaf.kind is not GATE]
    assume(scored)
    leaf = data.draw(st.sampled_from(scored))
    current = answers.get(leaf.key, Answer()).points or D(0)
    raised = answers | {leaf.key: Answer(points=current + data.draw(tenths))}
    assert evaluate(rules, raised).total >= evaluate(rules, answers).total
