"""Writes to the standards library. Each is one transaction; auditlog records every row it touches.

A version is edited only while it is a draft that no campaign uses. Publishing freezes its content (a published
version changes only by copying it into a new draft); a campaign that adopts a version locks it (`lock_version`),
and from then on nothing about it changes but its status. The models refuse writes to a locked version again
(`models.VersionLocked`), so no other code path can get round the services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lvchuang.accounts.models import User
from lvchuang.organisations.models import Office
from lvchuang.standards import access
from lvchuang.standards.document import StandardDocument, check, format_points
from lvchuang.standards.models import GradeBand, Item, Standard, StandardVersion, VersionLocked
from lvchuang.standards.selectors import document_of

VERSION_FIELDS = ("label", "total_points", "pass_line", "bonus_cap", "applies_to", "notes")
ITEM_FIELDS = (
    "code",
    "title",
    "kind",
    "max_points",
    "guidance",
    "evidence_required",
    "needs_confirmation",
    "computed_by",
)
BAND_FIELDS = ("name", "min_score")


# --- permission and state checks ------------------------------------------------------------------------------


def _require_change(by: User | None, standard: Standard) -> None:
    # `by=None` is the system itself (defaults, management commands), as in the other apps' services.
    if by is not None and not access.can_change_standard(by, standard):
        raise PermissionDenied(_("您无权修改该标准。"))


def _require_owner(by: User | None, owner: Office | None) -> None:
    if by is None:
        return
    if owner is None:
        if not access.is_admin(by):
            raise PermissionDenied(_("只有系统管理员可以维护系统内置的标准。"))
    elif not access.is_admin(by) and owner.pk not in access.own_office_ids(by):
        raise PermissionDenied(_("您只能为本单位（创建办）建立标准。"))


def _require_reader(by: User | None) -> None:
    if by is not None and not access.can_read_library(by):
        raise PermissionDenied(_("您无权使用评价标准库。"))


def _fresh(version: StandardVersion) -> StandardVersion:
    """The version as it is now, its row locked until the transaction ends (a campaign may be locking it)."""
    return StandardVersion.objects.select_for_update().select_related("standard").get(pk=version.pk)


def _draft(version: StandardVersion) -> StandardVersion:
    """The version, if its content may still change; ValidationError saying why not otherwise."""
    version = _fresh(version)
    if version.is_locked:
        raise VersionLocked
    if version.status != StandardVersion.Status.DRAFT:
        raise ValidationError(_("该版本已发布，不可修改；请复制为新版本。"), code="published")
    return version


def _check_numbers(version: StandardVersion) -> None:
    """The pass line must be reachable (also a check constraint; this says it in words)."""
    numbers = (version.pass_line, version.total_points, version.bonus_cap)
    if any(number is None for number in numbers):
        return  # full_clean() names the missing one
    if version.pass_line > version.total_points + version.bonus_cap:
        raise ValidationError(
            {
                "pass_line": _("合格线不能高于满分与加分上限之和（%(points)s 分）。")
                % {"points": format_points(version.total_points + version.bonus_cap)}
            }
        )


def _unique_code(base: str) -> str:
    base = (slugify(base) or "standard")[:52]
    code, number = base, 1
    while Standard.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


# --- standards and versions -------------------------------------------------------------------------------------


@transaction.atomic
def create_standard(
    *,
    by: User | None,
    owner: Office | None,
    code: str,
    name: str,
    title_name: str = "",
    description: str = "",
    source: str = "",
    label: str = "",
    total_points: Decimal = Decimal("100"),
    pass_line: Decimal = Decimal("80"),
    bonus_cap: Decimal = Decimal("0"),
    applies_to: Iterable[str] = (),
) -> StandardVersion:
    """A new standard with an empty first draft, which the editor then fills."""
    _require_owner(by, owner)
    standard = Standard(
        owner=owner, code=code, name=name, title_name=title_name, description=description, source=source
    )
    standard.full_clean()
    version = StandardVersion(
        standard=standard,
        number=1,
        label=label or _("第 1 版"),
        total_points=total_points,
        pass_line=pass_line,
        bonus_cap=bonus_cap,
        applies_to=list(applies_to),
        created_by=by,
    )
    _check_numbers(version)
    version.full_clean(exclude=["standard"])
    with set_actor(by):
        standard.save()
        version.standard = standard
        version.save()
    return version


def _write_version(
    *,
    by: User | None,
    standard: Standard,
    document: StandardDocument,
    based_on: StandardVersion | None = None,
    status: str = StandardVersion.Status.DRAFT,
    label: str = "",
) -> StandardVersion:
    """A new version of `standard` holding `document`'s numbers, items and grade bands (inside a transaction)."""
    number = (standard.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = StandardVersion(
        standard=standard,
        number=number,
        label=label or document.label or _("第 %(number)s 版") % {"number": number},
        status=status,
        total_points=document.total_points,
        pass_line=document.pass_line,
        bonus_cap=document.bonus_cap,
        applies_to=list(document.applies_to),
        needs_confirmation=document.needs_confirmation,
        notes=document.notes,
        based_on=based_on,
        created_by=by,
    )
    version.full_clean(exclude=["standard", "based_on"])
    with set_actor(by):
        version.save()
        ids: dict[str, int] = {}
        order: dict[str, int] = {}
        for spec in document.items:  # parents come before their children
            position = order.get(spec.parent_code, 0)
            order[spec.parent_code] = position + 1
            item = Item(
                version=version,
                parent_id=ids[spec.parent_code] if spec.parent_code else None,
                code=spec.code,
                title=spec.title,
                kind=spec.kind,
                max_points=spec.max_points,
                guidance=spec.guidance,
                evidence_required=spec.evidence_required,
                needs_confirmation=spec.needs_confirmation,
                computed_by=spec.computed_by,
                order=position,
            )
            item.save()
            ids[spec.code] = item.pk
        for band in document.bands:
            GradeBand(version=version, name=band.name, min_score=band.min_score).save()
    return version


@transaction.atomic
def copy_version(*, by: User | None, version: StandardVersion) -> StandardVersion:
    """A new draft of the same standard, numbered next, with a deep copy of the items and grade bands."""
    standard = Standard.objects.select_for_update().get(pk=version.standard_id)
    _require_change(by, standard)
    # The copy is named by its number ("第 2 版"); the office renames it when it knows what the revision is.
    document = replace(document_of(version), label="")
    return _write_version(by=by, standard=standard, document=document, based_on=version)


@transaction.atomic
def copy_standard(
    *, by: User | None, version: StandardVersion, owner: Office, name: str = ""
) -> StandardVersion:
    """A new standard owned by `owner`, whose first draft is a copy of `version` (any office may copy any)."""
    _require_reader(by)
    _require_owner(by, owner)
    source = version.standard
    standard = Standard(
        owner=owner,
        code=_unique_code(f"{source.code}-{owner.pk}"),
        name=name or _("%(name)s（%(office)s）") % {"name": source.name, "office": owner.name},
        title_name=source.title_name,
        description=source.description,
        source=source.source,
    )
    standard.full_clean()
    with set_actor(by):
        standard.save()
    return _write_version(
        by=by, standard=standard, document=document_of(version), based_on=version, label=_("第 1 版")
    )


@transaction.atomic
def import_version(*, by: User | None, standard: Standard, document: StandardDocument) -> StandardVersion:
    """A new draft of `standard` from an imported file (already parsed and checked by `interchange`)."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _require_change(by, standard)
    return _write_version(by=by, standard=standard, document=document)


@transaction.atomic
def import_standard(
    *,
    by: User | None,
    owner: Office | None,
    document: StandardDocument,
    status: str = StandardVersion.Status.DRAFT,
) -> StandardVersion:
    """A new standard from an imported file; its code is the file's, or a free variant of it."""
    _require_owner(by, owner)
    standard = Standard(
        owner=owner,
        code=_unique_code(document.code or document.name),
        name=document.name,
        title_name=document.title_name,
        description=document.description,
        source=document.source,
    )
    standard.full_clean()
    with set_actor(by):
        standard.save()
    return _write_version(by=by, standard=standard, document=document, status=status)


@transaction.atomic
def update_version(*, by: User | None, version: StandardVersion, changes: dict[str, Any]) -> StandardVersion:
    """Change a draft's label, full marks, pass line, bonus cap, the unit kinds it applies to or its notes."""
    _require_change(by, version.standard)
    unknown = set(changes) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    version = _draft(version)
    for name, value in changes.items():
        setattr(version, name, list(value) if name == "applies_to" else value)
    _check_numbers(version)
    version.full_clean()
    with set_actor(by):
        version.save()
    return version


@transaction.atomic
def publish_version(*, by: User | None, version: StandardVersion) -> StandardVersion:
    """Release a draft for use. It must pass the scoring engine's check; the standard's earlier published
    versions are retired (a new version replaces the old one, seed 000), but campaigns keep the ones they use."""
    _require_change(by, version.standard)
    version = _fresh(version)
    if version.status != StandardVersion.Status.DRAFT:
        raise ValidationError(_("只有草稿可以发布。"), code="not_draft")
    problems = check(document_of(version))
    if problems:
        raise ValidationError(
            [_("该版本还不能发布：")] + [problem.message for problem in problems], code="inconsistent"
        )
    with set_actor(by):
        for older in StandardVersion.objects.filter(
            standard_id=version.standard_id, status=StandardVersion.Status.PUBLISHED
        ).exclude(pk=version.pk):
            older.status = StandardVersion.Status.RETIRED
            older.save()
        version.status = StandardVersion.Status.PUBLISHED
        version.save()
    return version


@transaction.atomic
def lock_version(*, by: User | None, version: StandardVersion, reason: str) -> StandardVersion:
    """Freeze a version because a campaign uses it. Locking a locked version changes nothing (the first reason
    stays). Any reader of the library may lock: an office adopts a built-in standard it may not edit."""
    _require_reader(by)
    version = _fresh(version)
    if version.is_locked:
        return version
    version.locked_at = timezone.now()
    version.locked_reason = reason[: StandardVersion._meta.get_field("locked_reason").max_length or 200]
    with set_actor(by):
        version.save()
    return version


@transaction.atomic
def confirm_defaults(*, by: User, version: StandardVersion) -> StandardVersion:
    """Record that an office has checked the unverified defaults of a version (and of each item) and accepts
    them: the 待确认 marks go, who and when are kept."""
    _require_change(by, version.standard)
    version = _fresh(version)
    if version.is_locked:
        raise VersionLocked
    flagged = list(version.items.filter(needs_confirmation=True))
    if not version.needs_confirmation and not flagged:
        raise ValidationError(_("该版本没有待确认的内容。"), code="nothing_to_confirm")
    with set_actor(by):
        for item in flagged:
            item.needs_confirmation = False
            item.save()
        version.needs_confirmation = False
        version.confirmed_by = by
        version.confirmed_at = timezone.now()
        version.save()
    return version


@transaction.atomic
def retire_version(*, by: User | None, version: StandardVersion) -> StandardVersion:
    _require_change(by, version.standard)
    version = _fresh(version)
    if version.status != StandardVersion.Status.PUBLISHED:
        raise ValidationError(_("只有已发布的版本可以停用。"), code="not_published")
    version.status = StandardVersion.Status.RETIRED
    with set_actor(by):
        version.save()
    return version


# --- items ----------------------------------------------------------------------------------------------------


def _check_item(item: Item) -> None:
    """The rules of the item's own row, in words (the constraints say the same in the database)."""
    if item.parent is not None and item.parent.kind == Item.Kind.GATE:
        raise ValidationError({"parent": _("基本条件下不能再有子项。")})
    if item.kind == Item.Kind.GATE and item.max_points:
        raise ValidationError({"max_points": _("基本条件只判断是否满足，分值必须为 0。")})
    if item.parent is not None and item.parent.computed_by:
        raise ValidationError({"parent": _("由系统自动判断的条目下不能再有子项。")})
    if item.computed_by and item.kind not in (Item.Kind.SCORED, Item.Kind.VETO):
        raise ValidationError({"computed_by": _("只有计分项或必须完成项可以由系统自动判断。")})
    if item.computed_by and item.pk and item.children.exists():
        raise ValidationError({"computed_by": _("有子项的条目不能由系统自动判断。")})
    if (
        item.code
        and Item.objects.filter(version_id=item.version_id, code=item.code).exclude(pk=item.pk).exists()
    ):
        raise ValidationError({"code": _("编号 %(code)s 在该版本中已被使用。") % {"code": item.code}})
    item.full_clean()


@transaction.atomic
def add_item(
    *,
    by: User | None,
    version: StandardVersion,
    parent: Item | None,
    code: str,
    title: str,
    kind: str,
    max_points: Decimal,
    guidance: str = "",
    evidence_required: str = "",
    needs_confirmation: bool = False,
    computed_by: str = "",
) -> Item:
    """A new item at the end of `parent`'s children (or of the top level)."""
    _require_change(by, version.standard)
    version = _draft(version)
    if parent is not None and parent.version_id != version.pk:
        raise ValidationError({"parent": _("上级条目不属于该版本。")})
    siblings = version.items.filter(parent=parent)
    position = (siblings.aggregate(last=Max("order"))["last"] or 0) + 1 if siblings.exists() else 0
    item = Item(
        version=version,
        parent=parent,
        code=code.strip(),
        title=title.strip(),
        kind=kind,
        max_points=max_points,
        guidance=guidance,
        evidence_required=evidence_required,
        needs_confirmation=needs_confirmation,
        computed_by=computed_by,
        order=position,
    )
    _check_item(item)
    with set_actor(by):
        item.save()
    return item


@transaction.atomic
def update_item(*, by: User | None, item: Item, changes: dict[str, Any]) -> Item:
    _require_change(by, item.version.standard)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    _draft(item.version)
    item = Item.objects.select_related("parent").get(pk=item.pk)
    for name, value in changes.items():
        setattr(item, name, value.strip() if name in ("code", "title") else value)
    if item.kind == Item.Kind.GATE and item.children.exists():
        raise ValidationError({"kind": _("有子项的条目不能设为基本条件。")})
    _check_item(item)
    with set_actor(by):
        item.save()
    return item


@transaction.atomic
def move_item(*, by: User | None, item: Item, direction: Literal["up", "down"]) -> Item:
    """Swap an item with its previous (or next) sibling; at either end nothing moves."""
    _require_change(by, item.version.standard)
    version = _draft(item.version)
    siblings = list(version.items.filter(parent_id=item.parent_id).order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    with set_actor(by):
        for position, sibling in enumerate(siblings):
            if sibling.order != position:
                sibling.order = position
                sibling.save(update_fields=["order"])
    return siblings[other]


@transaction.atomic
def delete_item(*, by: User | None, item: Item) -> None:
    """Delete an item and everything under it."""
    _require_change(by, item.version.standard)
    _draft(item.version)
    with set_actor(by):
        item.delete()


# --- grade bands ----------------------------------------------------------------------------------------------


def _check_band(band: GradeBand) -> None:
    others = GradeBand.objects.filter(version_id=band.version_id).exclude(pk=band.pk)
    if others.filter(name=band.name).exists():
        raise ValidationError({"name": _("已有名为“%(name)s”的等次。") % {"name": band.name}})
    if band.min_score is not None and others.filter(min_score=band.min_score).exists():
        raise ValidationError(
            {"min_score": _("已有最低分为 %(score)s 分的等次。") % {"score": format_points(band.min_score)}}
        )
    band.full_clean()


@transaction.atomic
def add_grade_band(*, by: User | None, version: StandardVersion, name: str, min_score: Decimal) -> GradeBand:
    _require_change(by, version.standard)
    version = _draft(version)
    band = GradeBand(version=version, name=name.strip(), min_score=min_score)
    _check_band(band)
    with set_actor(by):
        band.save()
    return band


@transaction.atomic
def update_grade_band(*, by: User | None, band: GradeBand, changes: dict[str, Any]) -> GradeBand:
    _require_change(by, band.version.standard)
    unknown = set(changes) - set(BAND_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    _draft(band.version)
    band = GradeBand.objects.get(pk=band.pk)
    for name, value in changes.items():
        setattr(band, name, value.strip() if name == "name" else value)
    _check_band(band)
    with set_actor(by):
        band.save()
    return band


@transaction.atomic
def delete_grade_band(*, by: User | None, band: GradeBand) -> None:
    _require_change(by, band.version.standard)
    _draft(band.version)
    with set_actor(by):
        band.delete()
