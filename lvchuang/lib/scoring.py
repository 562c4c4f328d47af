"""The scoring engine: a standard's rules and an applicant's answers in, an explained result out (no Django).

A standard is a tree (facts §1): areas (领域) group items; an item may have sub-items. Leaves carry the answers:
scored items (计分项) and must-complete items (必须完成项, ★) take points, bonus items (加分项) take points that
count apart under the bonus cap, gate conditions (基本条件) are met or not and carry no points. A parent's points
are the sum of its children's, capped at its own maximum when that is above zero ("1 分一项，最高 3 分"). An area
may hold bonus items beside scored ones: its cap then limits the scored points, and the bonus points go on to the
standard's bonus cap.

Two rules decide the result whatever the score: a ★ item at zero fails (节约型公共机构示范单位, 节约型机关's target
check), and so does an unmet gate (older 绿色社区 standards: resident satisfaction, households, occupancy).
`assessments` feeds `evaluate` plain `StandardRules` built from `standards.models`; this module knows no models.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

ZERO = Decimal("0")

# How many ordinary unanswered items an explanation lists by name; vetoes and gates are always named.
_UNANSWERED_NAMED = 10


class ItemKind(enum.StrEnum):
    """How an item counts; the values are those of `standards.models.Item.Kind`."""

    AREA = "area"
    SCORED = "scored"
    VETO = "veto"
    GATE = "gate"
    BONUS = "bonus"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ItemKind.AREA: "领域",
    ItemKind.SCORED: "计分项",
    ItemKind.VETO: "必须完成项",
    ItemKind.GATE: "基本条件",
    ItemKind.BONUS: "加分项",
}

# Leaves whose points count towards the regular total (满分), as opposed to bonus points.
_REGULAR_KINDS = frozenset({ItemKind.SCORED, ItemKind.VETO})
# Leaves that take points as their answer (a gate takes met / not met).
_POINTED_KINDS = frozenset({ItemKind.SCORED, ItemKind.VETO, ItemKind.BONUS})


def _require_finite(value: Decimal, what: str) -> None:
    if not Decimal(value).is_finite():
        raise ValueError(f"{what}必须是有限的数，而不是 {value}")


@dataclass(frozen=True)
class ItemRule:
    """One area, item or sub-item. `kind` may be given as the plain string stored by Django; it is converted."""

    key: str
    code: str
    title: str
    kind: ItemKind
    max_points: Decimal
    parent_key: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ItemKind(self.kind))
        _require_finite(self.max_points, f"条目「{self.label}」的分值")

    @property
    def label(self) -> str:
        """Code and title, as a clerk sees the item on the printed standard: "2.1 完成年度能耗指标"."""
        return f"{self.code} {self.title}".strip()


@dataclass(frozen=True)
class GradeBand:
    """A named band of totals, e.g. 优秀 from 90 points up."""

    name: str
    min_score: Decimal

    def __post_init__(self) -> None:
        _require_finite(self.min_score, f"等次「{self.name}」的最低分")


@dataclass(frozen=True)
class Answer:
    """An applicant's answer to one leaf: `points` for scored, veto and bonus items, `met` for gates."""

    points: Decimal | None = None
    met: bool | None = None

    def __post_init__(self) -> None:
        if self.points is not None:
            _require_finite(self.points, "得分")


@dataclass(frozen=True)
class StandardRules:
    """Everything `evaluate` needs of one standard version. Run `check()` before publishing it."""

    items: tuple[ItemRule, ...]
    total_points: Decimal
    pass_line: Decimal
    bonus_cap: Decimal = ZERO
    grade_bands: tuple[GradeBand, ...] = ()

    def __post_init__(self) -> None:
        _require_finite(self.total_points, "满分")
        _require_finite(self.pass_line, "合格线")
        _require_finite(self.bonus_cap, "加分上限")

    @property
    def max_total(self) -> Decimal:
        return self.total_points + self.bonus_cap

    def check(self) -> list[str]:
        """Every problem that should stop this version from being published, in Chinese; empty when sound."""
        structure = _structure_problems(self.items)
        problems = [*structure, *_item_problems(self.items), *_number_problems(self)]
        if not structure:  # the sums need a tree
            problems.extend(_total_problems(self, _tree(self.items)))
        return problems


class Verdict(enum.StrEnum):
    """What the first sentence of an explanation says."""

    PASSED = "passed"
    FAILED = "failed"
    INCOMPLETE = "incomplete"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {Verdict.PASSED: "通过", Verdict.FAILED: "未通过", Verdict.INCOMPLETE: "尚未完成"}


@dataclass(frozen=True)
class ItemResult:
    """One row of the report, for areas too. `points` and `max_points` include bonus points, `bonus_points`
    and `max_bonus_points` are that part. `max_points` is what the item can reach (after the caps below it),
    which is its own maximum in a standard that passes `check()`."""

    key: str
    code: str
    title: str
    kind: ItemKind
    depth: int
    is_leaf: bool
    points: Decimal
    max_points: Decimal
    bonus_points: Decimal
    max_bonus_points: Decimal
    # For a parent: every leaf below is answered / some leaf below is a failed veto or gate.
    answered: bool
    failed: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass(frozen=True)
class Evaluation:
    """The result of `evaluate`; the tuples of keys are in tree order."""

    regular_points: Decimal
    bonus_points: Decimal
    total: Decimal
    max_total: Decimal
    pass_line: Decimal
    passed: bool
    # FAILED as soon as a veto or gate is answered and failed, even with items still unanswered.
    verdict: Verdict
    grade: str | None
    shortfall: Decimal
    failed_vetoes: tuple[str, ...]
    failed_gates: tuple[str, ...]
    unanswered: tuple[str, ...]
    clamped: tuple[str, ...]
    per_item: tuple[ItemResult, ...]
    explanation: tuple[str, ...]

    def item(self, key: str) -> ItemResult:
        """The report row of one item; KeyError for an unknown key."""
        for result in self.per_item:
            if result.key == key:
                return result
        raise KeyError(key)


# --- the tree ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tree:
    order: tuple[ItemRule, ...]  # depth first, each parent before its children, siblings in the given order
    depth: Mapping[str, int]
    children: Mapping[str, tuple[ItemRule, ...]]

    def is_leaf(self, item: ItemRule) -> bool:
        return not self.children.get(item.key)

    def leaves(self) -> list[ItemRule]:
        """The items that take an answer: childless items other than (empty) areas."""
        return [item for item in self.order if self.is_leaf(item) and item.kind is not ItemKind.AREA]


def _children(items: Iterable[ItemRule]) -> dict[str, tuple[ItemRule, ...]]:
    children: dict[str, list[ItemRule]] = {}
    for item in items:
        if item.parent_key is not None:
            children.setdefault(item.parent_key, []).append(item)
    return {key: tuple(found) for key, found in children.items()}


def _tree(items: tuple[ItemRule, ...]) -> _Tree:
    children = _children(items)
    order: list[ItemRule] = []
    depth: dict[str, int] = {}
    stack = [(item, 0) for item in reversed(items) if item.parent_key is None]
    while stack:
        item, level = stack.pop()
        order.append(item)
        depth[item.key] = level
        stack.extend((child, level + 1) for child in reversed(children.get(item.key, ())))
    return _Tree(tuple(order), depth, children)


def _structure_problems(items: tuple[ItemRule, ...]) -> list[str]:
    """Problems that leave no well-defined tree: evaluate refuses rules with any of these."""
    problems: list[str] = []
    by_key: dict[str, ItemRule] = {}
    for item in items:
        if not item.key:
            problems.append(f"条目「{item.label}」缺少标识")
        elif item.key in by_key:
            problems.append(f"条目标识 {item.key} 重复：「{by_key[item.key].label}」与「{item.label}」")
        else:
            by_key[item.key] = item
    for item in items:
        if item.parent_key is not None and item.parent_key not in by_key:
            problems.append(f"条目「{item.label}」的上级 {item.parent_key} 不存在")
    # Walk up from every item; a walk that comes back to a key it has seen has found a cycle.
    settled: set[str] = set()
    for start in by_key.values():
        path: list[str] = []
        key: str | None = start.key
        while key is not None and key in by_key and key not in settled and key not in path:
            path.append(key)
            key = by_key[key].parent_key
        if key is not None and key in path:
            loop = [*path[path.index(key) :], key]
            problems.append("上下级关系形成循环：" + " → ".join(f"「{by_key[k].label}」" for k in loop))
        settled.update(path)
    return problems


def _item_problems(items: tuple[ItemRule, ...]) -> list[str]:
    problems: list[str] = []
    by_key = {item.key: item for item in items}
    children = _children(items)
    seen_codes: set[str] = set()
    for item in items:
        name = f"{item.kind.label}「{item.label}」"
        if item.code:
            if item.code in seen_codes:
                problems.append(f"编号 {item.code} 重复")
            seen_codes.add(item.code)
        if item.max_points < 0:
            problems.append(f"{name}的分值不能为负数")
        if item.kind is ItemKind.GATE and item.max_points != 0:
            problems.append(f"{name}只判断是否满足，不能设分值（现为 {_number(item.max_points)} 分）")
        parent = by_key.get(item.parent_key) if item.parent_key is not None else None
        if item.kind is ItemKind.AREA and parent is not None and parent.kind is not ItemKind.AREA:
            problems.append(f"{name}只能位于顶层或其他领域之下，不能放在「{parent.label}」下")
        if item.key not in children:
            if item.kind is ItemKind.AREA:
                problems.append(f"{name}下还没有任何条目")
            elif item.kind in _POINTED_KINDS and item.max_points <= 0:
                problems.append(f"{name}没有下级条目，分值必须大于 0")
            continue
        leaf_kinds = _leaf_kinds(item, children)
        if item.kind in (ItemKind.VETO, ItemKind.GATE) and leaf_kinds - {item.kind}:
            # Only leaves are answered; a ★ on a parent of ordinary items would silently count for nothing.
            problems.append(
                f"{name}有其他类型的下级条目，是否通过只看下级条目本身：请把类型标在具体的下级条目上"
            )
        if item.kind is ItemKind.BONUS and leaf_kinds & _REGULAR_KINDS:
            problems.append(f"{name}下不能有计分项或必须完成项")
        if item.kind in _REGULAR_KINDS and ItemKind.BONUS in leaf_kinds:
            problems.append(f"{name}下不能有加分项：加分项应单独列出或直接放在领域之下")
    return problems


def _leaf_kinds(item: ItemRule, children: Mapping[str, tuple[ItemRule, ...]]) -> set[ItemKind]:
    kinds: set[ItemKind] = set()
    stack = list(children.get(item.key, ()))
    seen: set[str] = set()
    while stack:
        child = stack.pop()
        if child.key in seen:  # a cycle, reported elsewhere
            continue
        seen.add(child.key)
        below = children.get(child.key, ())
        if below:
            stack.extend(below)
        elif child.kind is not ItemKind.AREA:
            kinds.add(child.kind)
    return kinds


def _number_problems(rules: StandardRules) -> list[str]:
    problems: list[str] = []
    for value, what in (
        (rules.total_points, "满分"),
        (rules.pass_line, "合格线"),
        (rules.bonus_cap, "加分上限"),
    ):
        if value < 0:
            problems.append(f"{what}不能为负数（现为 {_number(value)} 分）")
    names: set[str] = set()
    scores: set[Decimal] = set()
    for band in rules.grade_bands:
        if not band.name.strip():
            problems.append(f"最低分为 {_number(band.min_score)} 分的等次缺少名称")
        elif band.name in names:
            problems.append(f"等次名称「{band.name}」重复")
        if band.min_score in scores:
            problems.append(f"等次最低分 {_number(band.min_score)} 分重复")
        if band.min_score < 0:
            problems.append(f"等次「{band.name}」的最低分不能为负数")
        elif band.min_score > rules.max_total:
            problems.append(
                f"等次「{band.name}」的最低分 {_number(band.min_score)} 分高于最高分 {_number(rules.max_total)} 分"
            )
        names.add(band.name)
        scores.add(band.min_score)
    return problems


def _total_problems(rules: StandardRules, tree: _Tree) -> list[str]:
    problems: list[str] = []
    if not tree.leaves():
        problems.append("标准还没有任何可填写的条目")
    tallies = _tally(tree, answers=None)
    for item in tree.order:
        if tree.is_leaf(item) or item.max_points <= 0:
            continue
        below = [tallies[child.key] for child in tree.children[item.key]]
        regular = any(tally.has_regular for tally in below)
        reachable = sum(
            (tally.max_regular if regular else tally.max_bonus for tally in below),
            start=ZERO,
        )
        if item.max_points > reachable:
            problems.append(
                f"{item.kind.label}「{item.label}」的分值 {_number(item.max_points)} 分"
                f"高于其下级条目最多可得的 {_number(reachable)} 分，满分无法达到"
            )
    roots = [tallies[item.key] for item in tree.order if item.parent_key is None]
    regular_max = sum((tally.max_regular for tally in roots), start=ZERO)
    bonus_max = sum((tally.max_bonus for tally in roots), start=ZERO)
    if regular_max != rules.total_points:
        # Reachable, not the plain sum of the leaves: a capped parent ("最高 3 分") may hold more than its cap.
        problems.append(
            f"计分项（不含加分项）最多可得 {_number(regular_max)} 分，与标准满分 {_number(rules.total_points)} 分不一致"
        )
    if bonus_max > 0 and rules.bonus_cap <= 0:
        problems.append("标准有加分项，但加分上限为 0 分，加分不会计入总分")
    reachable_total = min(regular_max, rules.total_points) + min(bonus_max, max(rules.bonus_cap, ZERO))
    if rules.pass_line > reachable_total:
        problems.append(
            f"合格线 {_number(rules.pass_line)} 分高于可达到的最高分 {_number(reachable_total)} 分，无人能够通过"
        )
    return problems


# --- evaluation --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tally:
    """Points of a subtree, after clamping and the caps of the subtree's own items."""

    regular: Decimal
    bonus: Decimal
    max_regular: Decimal
    max_bonus: Decimal
    has_regular: bool  # a scored or veto leaf lies below: a cap here limits regular points, else bonus
    leaves: int
    answered: int
    failed: bool


def _clamp(points: Decimal, maximum: Decimal) -> Decimal:
    return min(max(points, ZERO), max(maximum, ZERO))


def _is_answered(item: ItemRule, answer: Answer | None) -> bool:
    if answer is None:
        return False
    return answer.met is not None if item.kind is ItemKind.GATE else answer.points is not None


def _leaf_failed(item: ItemRule, answer: Answer | None) -> bool:
    if item.kind is ItemKind.VETO:
        return answer is None or answer.points is None or _clamp(answer.points, item.max_points) == 0
    if item.kind is ItemKind.GATE:
        return answer is None or answer.met is not True
    return False


def _leaf_tally(item: ItemRule, answers: Mapping[str, Answer] | None) -> _Tally:
    if item.kind is ItemKind.AREA:  # an empty area, reported by check()
        return _Tally(ZERO, ZERO, ZERO, ZERO, False, 0, 0, False)
    maximum = max(item.max_points, ZERO) if item.kind in _POINTED_KINDS else ZERO
    if answers is None:  # the reachable maximum: every leaf at its maximum, every gate met
        points, answered, failed = maximum, True, False
    else:
        answer = answers.get(item.key)
        given = answer.points if answer is not None else None
        points = _clamp(given, maximum) if given is not None and item.kind in _POINTED_KINDS else ZERO
        answered, failed = _is_answered(item, answer), _leaf_failed(item, answer)
    regular = item.kind in _REGULAR_KINDS
    bonus = item.kind is ItemKind.BONUS
    return _Tally(
        regular=points if regular else ZERO,
        bonus=points if bonus else ZERO,
        max_regular=maximum if regular else ZERO,
        max_bonus=maximum if bonus else ZERO,
        has_regular=regular,
        leaves=1,
        answered=int(answered),
        failed=failed,
    )


def _tally(tree: _Tree, answers: Mapping[str, Answer] | None) -> dict[str, _Tally]:
    """Tally of every item; with `answers=None`, the reachable maximum."""
    tallies: dict[str, _Tally] = {}
    for item in reversed(tree.order):  # children before their parents
        below = [tallies[child.key] for child in tree.children.get(item.key, ())]
        if not below:
            tallies[item.key] = _leaf_tally(item, answers)
            continue
        regular = sum((tally.regular for tally in below), start=ZERO)
        bonus = sum((tally.bonus for tally in below), start=ZERO)
        max_regular = sum((tally.max_regular for tally in below), start=ZERO)
        max_bonus = sum((tally.max_bonus for tally in below), start=ZERO)
        has_regular = any(tally.has_regular for tally in below)
        cap = item.max_points
        if cap > 0 and has_regular:
            regular, max_regular = min(regular, cap), min(max_regular, cap)
        elif cap > 0:
            bonus, max_bonus = min(bonus, cap), min(max_bonus, cap)
        tallies[item.key] = _Tally(
            regular=regular,
            bonus=bonus,
            max_regular=max_regular,
            max_bonus=max_bonus,
            has_regular=has_regular,
            leaves=sum(tally.leaves for tally in below),
            answered=sum(tally.answered for tally in below),
            failed=any(tally.failed for tally in below),
        )
    return tallies


def _checked_tree(rules: StandardRules) -> _Tree:
    problems = _structure_problems(rules.items)
    if problems:
        raise ValueError("评价标准的条目结构有误：" + "；".join(problems))
    return _tree(rules.items)


def completeness(rules: StandardRules, answers: Mapping[str, Answer]) -> tuple[int, int]:
    """(answered leaves, all leaves) — a gate counts as answered once `met` is given, others once `points` is."""
    leaves = _checked_tree(rules).leaves()
    return sum(_is_answered(leaf, answers.get(leaf.key)) for leaf in leaves), len(leaves)


def grade_for(bands: Iterable[GradeBand], total: Decimal) -> str | None:
    """Name of the highest band whose minimum the total reaches; None below every band or without bands."""
    reached = [band for band in bands if band.min_score <= total]
    return max(reached, key=lambda band: band.min_score).name if reached else None


def _lowest_band(bands: tuple[GradeBand, ...]) -> str | None:
    return min(bands, key=lambda band: band.min_score).name if bands else None


def evaluate(rules: StandardRules, answers: Mapping[str, Answer]) -> Evaluation:
    """Score the answers against the rules and say why the result is what it is.

    Missing answers are allowed (a self-assessment in progress). Answers to unknown keys are ignored. Points
    outside [0, max] are counted at the nearer bound and listed in `clamped`. Raises ValueError only when the
    items do not form a tree (duplicate keys, a missing parent, a cycle); other problems of `check()` do not
    stop an evaluation, and the total stays within [0, max_total] even then.
    """
    tree = _checked_tree(rules)
    tallies = _tally(tree, answers)
    roots = [tallies[item.key] for item in tree.order if item.parent_key is None]
    regular_points = min(sum((tally.regular for tally in roots), start=ZERO), max(rules.total_points, ZERO))
    bonus_given = sum((tally.bonus for tally in roots), start=ZERO)
    bonus_points = min(bonus_given, max(rules.bonus_cap, ZERO))
    total = regular_points + bonus_points

    leaves = tree.leaves()
    failed_vetoes = tuple(
        leaf.key for leaf in leaves if leaf.kind is ItemKind.VETO and tallies[leaf.key].failed
    )
    failed_gates = tuple(
        leaf.key for leaf in leaves if leaf.kind is ItemKind.GATE and tallies[leaf.key].failed
    )
    unanswered = tuple(leaf.key for leaf in leaves if not tallies[leaf.key].answered)
    clamped = tuple(leaf.key for leaf in leaves if _was_clamped(leaf, answers.get(leaf.key)))
    # A veto answered zero or a gate answered "not met" cannot be mended by filling in the rest.
    decided_failure = any(_is_answered(leaf, answers.get(leaf.key)) for leaf in _keyed(leaves, failed_vetoes))
    decided_failure = decided_failure or any(
        _is_answered(leaf, answers.get(leaf.key)) for leaf in _keyed(leaves, failed_gates)
    )
    passed = not failed_vetoes and not failed_gates and not unanswered and total >= rules.pass_line
    if passed:
        verdict = Verdict.PASSED
    elif decided_failure or not unanswered:
        verdict = Verdict.FAILED
    else:
        verdict = Verdict.INCOMPLETE
    grade = (
        _lowest_band(rules.grade_bands)
        if failed_vetoes or failed_gates
        else grade_for(rules.grade_bands, total)
    )
    per_item = tuple(_result(item, tree, tallies[item.key]) for item in tree.order)
    evaluation = Evaluation(
        regular_points=regular_points,
        bonus_points=bonus_points,
        total=total,
        max_total=rules.max_total,
        pass_line=rules.pass_line,
        passed=passed,
        verdict=verdict,
        grade=grade,
        shortfall=max(ZERO, rules.pass_line - total),
        failed_vetoes=failed_vetoes,
        failed_gates=failed_gates,
        unanswered=unanswered,
        clamped=clamped,
        per_item=per_item,
        explanation=(),
    )
    return replace(evaluation, explanation=_explain(rules, tree, answers, evaluation, bonus_given))


def _keyed(leaves: Iterable[ItemRule], keys: tuple[str, ...]) -> list[ItemRule]:
    wanted = set(keys)
    return [leaf for leaf in leaves if leaf.key in wanted]


def _was_clamped(item: ItemRule, answer: Answer | None) -> bool:
    if item.kind not in _POINTED_KINDS or answer is None or answer.points is None:
        return False
    return answer.points < 0 or answer.points > item.max_points


def _result(item: ItemRule, tree: _Tree, tally: _Tally) -> ItemResult:
    return ItemResult(
        key=item.key,
        code=item.code,
        title=item.title,
        kind=item.kind,
        depth=tree.depth[item.key],
        is_leaf=tree.is_leaf(item),
        points=tally.regular + tally.bonus,
        max_points=tally.max_regular + tally.max_bonus,
        bonus_points=tally.bonus,
        max_bonus_points=tally.max_bonus,
        answered=tally.answered == tally.leaves,
        failed=tally.failed,
    )


# --- explanation -------------------------------------------------------------------------------------------


def _number(value: Decimal) -> str:
    """86.50 → "86.5", 1E+2 → "100": how a clerk writes points."""
    if value == 0:
        return "0"
    return f"{value.normalize():f}"


def _explain(
    rules: StandardRules,
    tree: _Tree,
    answers: Mapping[str, Answer],
    evaluation: Evaluation,
    bonus_given: Decimal,
) -> tuple[str, ...]:
    by_key = {item.key: item for item in tree.order}
    has_score = rules.max_total > 0
    score = f"总分 {_number(evaluation.total)} 分"
    if evaluation.bonus_points > 0:
        score += f"（含加分 {_number(evaluation.bonus_points)} 分）"
    reasons: list[str] = []
    reasons.extend(
        f"必须完成项「{by_key[key].label}」得分为零"
        for key in evaluation.failed_vetoes
        if _is_answered(by_key[key], answers.get(key))
    )
    reasons.extend(
        f"基本条件「{by_key[key].label}」未满足"
        for key in evaluation.failed_gates
        if _is_answered(by_key[key], answers.get(key))
    )
    sentences: list[str] = []
    pending = _unanswered_sentence(evaluation.unanswered, by_key)

    if evaluation.verdict is Verdict.PASSED:
        parts = []
        if has_score:
            parts.append(f"{score}，达到合格线 {_number(rules.pass_line)} 分")
        if any(item.kind is ItemKind.VETO for item in by_key.values()):
            parts.append("无必须完成项为零分")
        if any(item.kind is ItemKind.GATE for item in by_key.values()):
            parts.append("基本条件均已满足")
        if evaluation.grade is not None:
            parts.append(f"等次：{evaluation.grade}")
        sentences.append("通过：" + "，".join(parts) + "。" if parts else "通过。")
    elif evaluation.verdict is Verdict.INCOMPLETE:
        sentences.append(f"尚未完成：{pending}")
        if has_score:
            sentences.append(
                f"目前{score}，合格线 {_number(rules.pass_line)} 分，满分 {_number(rules.max_total)} 分。"
            )
    else:
        below_line = evaluation.total < rules.pass_line
        score_sentence = (
            f"{score}，距合格线 {_number(rules.pass_line)} 分还差 {_number(evaluation.shortfall)} 分。"
            if below_line
            else f"{score}，已达到合格线 {_number(rules.pass_line)} 分，但因上述原因不能通过。"
        )
        if reasons:
            sentences.append(f"未通过：{reasons[0]}。")
            sentences.extend(f"{reason}。" for reason in reasons[1:])
            if has_score:
                sentences.append(score_sentence)
        else:
            sentences.append(f"未通过：{score_sentence}")
        if evaluation.unanswered:
            sentences.append(f"另外{pending}")
    if bonus_given > evaluation.bonus_points:
        sentences.append(
            f"加分项合计 {_number(bonus_given)} 分，超过加分上限 {_number(rules.bonus_cap)} 分，"
            f"按 {_number(evaluation.bonus_points)} 分计。"
        )
    for key in evaluation.clamped:
        item, given = by_key[key], answers[key].points
        assert given is not None  # only given points are clamped
        kept = _clamp(given, item.max_points)
        sentences.append(
            f"「{item.label}」填写的 {_number(given)} 分超出 0–{_number(item.max_points)} 分的范围，"
            f"按 {_number(kept)} 分计。"
        )
    # While items are still open the grade says nothing yet; the headline says what is missing.
    if evaluation.grade is not None and evaluation.verdict is Verdict.FAILED:
        if evaluation.failed_vetoes or evaluation.failed_gates:
            sentences.append(
                f"等次：{evaluation.grade}（必须完成项或基本条件未达到要求，只能评为最低等次）。"
            )
        else:
            sentences.append(f"等次：{evaluation.grade}。")
    return tuple(sentences)


def _unanswered_sentence(unanswered: tuple[str, ...], by_key: Mapping[str, ItemRule]) -> str:
    """ "还有 3 个条目未填写：「1.1 …」、…。" — vetoes and gates are always named, other items up to a limit."""
    if not unanswered:
        return ""
    named: list[str] = []
    left_out = 0
    for key in unanswered:
        item = by_key[key]
        if item.kind in (ItemKind.VETO, ItemKind.GATE):
            named.append(f"「{item.label}」（{item.kind.label}）")
        elif len(named) < _UNANSWERED_NAMED:
            named.append(f"「{item.label}」")
        else:
            left_out += 1
    tail = f"等，其余 {left_out} 个不再列出" if left_out else ""
    return f"还有 {len(unanswered)} 个条目未填写：{'、'.join(named)}{tail}。"
