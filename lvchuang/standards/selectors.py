"""Reads of the standards library: a version as a document, the editor's tree with its running sums, the diff."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvchuang.lib.scoring import evaluate
from lvchuang.organisations.models import Unit
from lvchuang.standards.document import (
    ZERO,
    BandSpec,
    ItemChange,
    ItemSpec,
    Problem,
    StandardDocument,
    check,
    diff_versions,
    format_points,
    rules_of,
)
from lvchuang.standards.models import GradeBand, Item, Standard, StandardVersion

# Short names of the kinds, as offices write them in their sheets (the model's labels explain more).
KIND_SHORT_LABELS: dict[str, str] = {
    Item.Kind.AREA: "领域",
    Item.Kind.SCORED: "计分项",
    Item.Kind.VETO: "必须完成项",
    Item.Kind.GATE: "基本条件",
    Item.Kind.BONUS: "加分项",
}


def tree_order(items: Iterable[Item]) -> list[Item]:
    """Items depth first: each parent before its children, siblings by `order`."""
    children: dict[int | None, list[Item]] = {}
    for item in sorted(items, key=lambda i: (i.order, i.pk)):
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[Item] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(children.get(item.pk, [])))
    return ordered


def document_of(
    version: StandardVersion,
    *,
    items: Iterable[Item] | None = None,
    bands: Iterable[GradeBand] | None = None,
) -> StandardDocument:
    """The version as plain data (two queries unless `items` and `bands` are given)."""
    ordered = tree_order(items if items is not None else version.items.all())
    code_of = {item.pk: item.code for item in ordered}
    band_list = bands if bands is not None else version.grade_bands.all()
    standard = version.standard
    return StandardDocument(
        code=standard.code,
        name=standard.name,
        title_name=standard.title_name,
        description=standard.description,
        source=standard.source,
        label=version.label,
        total_points=version.total_points,
        pass_line=version.pass_line,
        bonus_cap=version.bonus_cap,
        applies_to=tuple(version.applies_to),
        needs_confirmation=version.needs_confirmation,
        notes=version.notes,
        items=tuple(
            ItemSpec(
                code=item.code,
                title=item.title,
                kind=item.kind,
                max_points=item.max_points,
                parent_code=code_of.get(item.parent_id, "") if item.parent_id else "",
                guidance=item.guidance,
                evidence_required=item.evidence_required,
                needs_confirmation=item.needs_confirmation,
                computed_by=item.computed_by,
            )
            for item in ordered
        ),
        bands=tuple(
            BandSpec(band.name, band.min_score)
            for band in sorted(band_list, key=lambda b: b.min_score, reverse=True)
        ),
    )


# --- the library --------------------------------------------------------------------------------------------


def library(standards: QuerySet[Standard]) -> QuerySet[Standard]:
    """Standards with their owner and versions (newest first), built-ins first: three queries a page."""
    versions = StandardVersion.objects.order_by("-number")
    return (
        standards.select_related("owner__region")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by(F("owner").asc(nulls_first=True), "name", "pk")
    )


def applies_to_labels(kinds: Iterable[str]) -> list[str]:
    labels = dict(Unit.Kind.choices)
    return [str(labels.get(kind, kind)) for kind in kinds]


# --- the editor ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeRow:
    item: Item
    depth: int
    is_first: bool  # among its siblings: no "move up"
    is_last: bool  # no "move down"
    has_children: bool
    reachable: Decimal  # the most this item can score, after its own cap
    children_sum: Decimal | None  # what its children can score together; None for a leaf
    problems: tuple[str, ...]

    @property
    def falls_short(self) -> bool:
        """Its children cannot reach its points."""
        return self.children_sum is not None and self.children_sum < self.item.max_points

    @property
    def is_capped(self) -> bool:
        """Its children can score more than its points, which cap them ("最高 3 分")."""
        return self.children_sum is not None and 0 < self.item.max_points < self.children_sum


@dataclass(frozen=True)
class EditorTree:
    rows: list[TreeRow]
    regular_sum: Decimal  # what all top-level items can score towards the full marks
    bonus_sum: Decimal
    problems: list[Problem]
    general_problems: list[str]  # those that name no item

    @property
    def adds_up(self) -> bool:
        return not self.problems


def editor_tree(version: StandardVersion, items: list[Item], bands: list[GradeBand]) -> EditorTree:
    """The rows of the editor with their running sums and the problems the scoring engine finds."""
    ordered = tree_order(items)
    document = document_of(version, items=ordered, bands=bands)
    problems = check(document)
    by_code: dict[str, list[str]] = {}
    for problem in problems:
        if problem.code:
            by_code.setdefault(problem.code, []).append(problem.message)
    reachable: dict[str, Decimal] = {}
    bonus_of: dict[str, Decimal] = {}
    regular_sum = bonus_sum = ZERO
    if ordered:
        evaluation = evaluate(rules_of(document), {})
        for result in evaluation.per_item:
            reachable[result.key] = result.max_points
            bonus_of[result.key] = result.max_bonus_points
        for item in ordered:
            if item.parent_id is None:
                regular_sum += reachable[item.code] - bonus_of[item.code]
                bonus_sum += bonus_of[item.code]
    siblings: dict[int | None, list[Item]] = {}
    for item in ordered:
        siblings.setdefault(item.parent_id, []).append(item)
    depth: dict[int, int] = {}
    rows = []
    for item in ordered:
        depth[item.pk] = depth[item.parent_id] + 1 if item.parent_id is not None else 0
        children = siblings.get(item.pk, [])
        group = siblings[item.parent_id]
        rows.append(
            TreeRow(
                item=item,
                depth=depth[item.pk],
                is_first=group[0] is item,
                is_last=group[-1] is item,
                has_children=bool(children),
                reachable=reachable.get(item.code, ZERO),
                children_sum=sum((reachable[c.code] for c in children), ZERO) if children else None,
                problems=tuple(by_code.get(item.code, ())),
            )
        )
    return EditorTree(
        rows=rows,
        regular_sum=regular_sum,
        bonus_sum=bonus_sum,
        problems=problems,
        general_problems=[problem.message for problem in problems if not problem.code],
    )


def other_versions(version: StandardVersion) -> QuerySet[StandardVersion]:
    """The versions a version can be compared with: its standard's others, and the one it was copied from."""
    q = Q(standard_id=version.standard_id)
    if version.based_on_id is not None:
        q |= Q(pk=version.based_on_id)
    return (
        StandardVersion.objects.filter(q)
        .exclude(pk=version.pk)
        .select_related("standard")
        .order_by("standard_id", "-number")
    )


def default_comparison(version: StandardVersion) -> StandardVersion | None:
    """What a version is compared with by default: the version it was copied from, else the one before it."""
    if version.based_on_id is not None:
        return version.based_on
    return (
        StandardVersion.objects.filter(standard_id=version.standard_id, number__lt=version.number)
        .select_related("standard")
        .order_by("-number")
        .first()
    )


# --- the diff -----------------------------------------------------------------------------------------------

FIELD_LABELS: dict[str, str | Promise] = {
    "label": _("版本名称"),
    "total_points": _("满分"),
    "pass_line": _("合格线"),
    "bonus_cap": _("加分上限"),
    "applies_to": _("适用单位类别"),
    "needs_confirmation": _("待确认"),
    "title": _("名称"),
    "kind": _("类型"),
    "max_points": _("分值"),
    "parent_code": _("上级编号"),
    "guidance": _("评分细则"),
    "evidence_required": _("佐证材料"),
    "min_score": _("最低分"),
}


@dataclass(frozen=True)
class ShownField:
    name: str
    label: str | Promise
    before: str | None
    after: str | None
    long: bool  # free text: shown as blocks rather than inline


@dataclass(frozen=True)
class ShownChange:
    change: ItemChange
    fields: list[ShownField]


def _show(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if name == "kind":
        return KIND_SHORT_LABELS.get(value, str(value))
    if name == "applies_to":
        return "、".join(applies_to_labels(value)) or str(_("未限定"))
    return str(value)


def present_changes(changes: list[ItemChange]) -> list[ShownChange]:
    return [
        ShownChange(
            change=change,
            fields=[
                ShownField(
                    name=f.field,
                    label=FIELD_LABELS.get(f.field, f.field),
                    before=_show(f.field, f.before),
                    after=_show(f.field, f.after),
                    long=f.field in ("guidance", "evidence_required"),
                )
                for f in change.fields
            ],
        )
        for change in changes
    ]


def compare_versions(a: StandardVersion, b: StandardVersion) -> list[ItemChange]:
    """What changed from `a` to `b` (four queries)."""
    return diff_versions(document_of(a), document_of(b))
