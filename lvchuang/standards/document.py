"""One version of a standard as plain data, its consistency check, and the difference between two versions.

No ORM and no I/O here. The interchange formats (Excel, YAML, JSON), the built-in defaults, the editor's running
sums and the diff page all work on these dataclasses; `selectors.document_of(version)` builds one from the
database and `services` writes one back.

The counting rules are the scoring engine's (`lvchuang.lib.scoring`, `StandardRules.check`): the top-level
regular points reach the full marks (满分); a parent's points are its children's, capped at its own when that is
above zero ("1 分一项，最高 3 分"); a gate (基本条件) carries no points; a veto item (必须完成项, ★) scored zero fails
the whole assessment; bonus items (加分项) count on top, up to the bonus cap (加分上限).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from lvchuang.lib.scoring import GradeBand, ItemKind, ItemRule, StandardRules

AREA, SCORED, VETO, GATE, BONUS = "area", "scored", "veto", "gate", "bonus"
KINDS = (AREA, SCORED, VETO, GATE, BONUS)
ZERO = Decimal("0")


@dataclass(frozen=True)
class ItemSpec:
    code: str
    title: str
    kind: str
    max_points: Decimal = ZERO
    parent_code: str = ""
    guidance: str = ""
    evidence_required: str = ""
    needs_confirmation: bool = False
    computed_by: str = ""  # answered by the system from other records (`Item.ComputedBy`), not by the unit


@dataclass(frozen=True)
class BandSpec:
    name: str
    min_score: Decimal


@dataclass(frozen=True)
class StandardDocument:
    """A standard and one of its versions. `items` lists parents before their children, siblings in order."""

    code: str
    name: str
    label: str
    total_points: Decimal
    pass_line: Decimal
    bonus_cap: Decimal = ZERO
    title_name: str = ""
    description: str = ""
    source: str = ""
    applies_to: tuple[str, ...] = ()
    needs_confirmation: bool = False
    notes: str = ""
    items: tuple[ItemSpec, ...] = ()
    bands: tuple[BandSpec, ...] = ()


def format_points(value: Decimal) -> str:
    """15.00 → "15", 2.50 → "2.5": how points read in messages and files."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- the consistency check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    message: str
    code: str = ""  # the item it concerns, when the message names one


def rules_of(document: StandardDocument) -> StandardRules:
    """The scoring engine's view of the version: items keyed by their code."""
    return StandardRules(
        items=tuple(
            ItemRule(
                key=item.code,
                code=item.code,
                title=item.title,
                kind=ItemKind(item.kind),
                max_points=item.max_points,
                parent_key=item.parent_code or None,
            )
            for item in document.items
        ),
        total_points=document.total_points,
        pass_line=document.pass_line,
        bonus_cap=document.bonus_cap,
        grade_bands=tuple(GradeBand(band.name, band.min_score) for band in document.bands),
    )


def check(document: StandardDocument) -> list[Problem]:
    """Every reason the version cannot be used as it stands, in Chinese; empty when it is sound.

    The rules are the scoring engine's (`StandardRules.check`), so what the editor and the importers accept is
    exactly what `evaluate` can score. Kinds must be known (the engine cannot even be given an unknown one).
    """
    unknown = [item for item in document.items if item.kind not in KINDS]
    if unknown:
        return [
            Problem(f"条目「{item.code} {item.title}」的类型“{item.kind}”无效", item.code) for item in unknown
        ]
    labels = sorted(
        ((f"「{item.code} {item.title}」", item.code) for item in document.items), key=lambda p: -len(p[0])
    )
    problems = []
    for message in rules_of(document).check():
        code = next((code for label, code in labels if label in message), "")
        problems.append(Problem(message, code))
    parents = {item.parent_code for item in document.items}
    for item in document.items:
        # The system answers a computed item with full points or none: a leaf that carries points.
        if item.computed_by and (item.kind not in (SCORED, VETO) or item.code in parents):
            problems.append(
                Problem(
                    f"条目「{item.code} {item.title}」由系统自动判断，只能是没有子项的计分项或必须完成项",
                    item.code,
                )
            )
    return problems


# --- the difference between two versions ---------------------------------------------------------------------

Target = Literal["version", "band", "item"]
Status = Literal["added", "removed", "changed"]

VERSION_FIELDS = ("label", "total_points", "pass_line", "bonus_cap", "applies_to", "needs_confirmation")
ITEM_FIELDS = (
    "title",
    "kind",
    "max_points",
    "parent_code",
    "guidance",
    "evidence_required",
    "needs_confirmation",
    "computed_by",
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class ItemChange:
    """One difference from version `a` to version `b`. Items are matched by code, bands by name."""

    target: Target
    status: Status
    key: str = ""  # the item's code or the band's name; "" for the version itself
    title: str = ""  # the item's title (in `b`, or in `a` when removed)
    fields: tuple[FieldChange, ...] = field(default=())


def _field_changes(before: object, after: object, names: tuple[str, ...]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, getattr(before, name), getattr(after, name))
        for name in names
        if getattr(before, name) != getattr(after, name)
    )


def diff_versions(a: StandardDocument, b: StandardDocument) -> list[ItemChange]:
    """What changed from `a` to `b`: the version's numbers first, then the grade bands, then the items in the
    order of `b` (an item removed from `a` is listed where it stood in `a`, after the items of `b`)."""
    changes: list[ItemChange] = []
    version_fields = _field_changes(a, b, VERSION_FIELDS)
    if version_fields:
        changes.append(ItemChange("version", "changed", fields=version_fields))

    bands_a = {band.name: band for band in a.bands}
    bands_b = {band.name: band for band in b.bands}
    for band in b.bands:
        old = bands_a.get(band.name)
        if old is None:
            changes.append(
                ItemChange(
                    "band", "added", band.name, fields=(FieldChange("min_score", None, band.min_score),)
                )
            )
        elif old.min_score != band.min_score:
            changes.append(
                ItemChange(
                    "band",
                    "changed",
                    band.name,
                    fields=(FieldChange("min_score", old.min_score, band.min_score),),
                )
            )
    for band in a.bands:
        if band.name not in bands_b:
            changes.append(
                ItemChange(
                    "band", "removed", band.name, fields=(FieldChange("min_score", band.min_score, None),)
                )
            )

    items_a = {item.code: item for item in a.items}
    codes_b = {item.code for item in b.items}
    for item in b.items:
        old_item = items_a.get(item.code)
        if old_item is None:
            changes.append(ItemChange("item", "added", item.code, item.title, _filled(item, before=False)))
            continue
        item_fields = _field_changes(old_item, item, ITEM_FIELDS)
        if item_fields:
            changes.append(ItemChange("item", "changed", item.code, item.title, item_fields))
    for item in a.items:
        if item.code not in codes_b:
            changes.append(ItemChange("item", "removed", item.code, item.title, _filled(item, before=True)))
    return changes


def _filled(item: ItemSpec, *, before: bool) -> tuple[FieldChange, ...]:
    """The fields of an added (or removed) item that say something, as changes from (or to) nothing."""
    values = ((name, getattr(item, name)) for name in ITEM_FIELDS)
    return tuple(
        FieldChange(name, value, None) if before else FieldChange(name, None, value)
        for name, value in values
        if value not in ("", False)
    )
