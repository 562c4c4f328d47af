"""Writes to self-assessments. Each is one transaction; auditlog records every row it changes.

Who may write: the unit's own staff, and offices and sector departments that may change the unit
(`access.can_change_unit`). `by=None` is the system itself (the demo loader), as in `organisations.services`.

Items with `computed_by` are answered by the system, never typed (`refresh_computed_answers`): the 节约型机关
veto item "1" by the resource ledger's target check for the year before the self-assessment began (a
self-assessment started in 2026 is judged on 2025). The check is run again whenever a draft's sheet is shown and
when it is completed, so a corrected ledger or a new target shows at once.

Evidence limits are settings read from the environment (config/settings.py):
`LVCHUANG_EVIDENCE_MAX_FILE_MB` (default 20) per file and `LVCHUANG_EVIDENCE_MAX_ASSESSMENT_MB` (default 500) for
all files of one self-assessment together. The allowed types are in `assessments.files`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts import access
from lvchuang.accounts.models import User
from lvchuang.assessments import files
from lvchuang.assessments.models import NARRATIVE_MAX_LENGTH, Evidence, ItemResponse, SelfAssessment
from lvchuang.assessments.selectors import applies_to, load_sheet
from lvchuang.ledgers.indicators import target_check
from lvchuang.lib.scoring import Verdict
from lvchuang.organisations.models import Unit
from lvchuang.standards.document import format_points
from lvchuang.standards.models import Item, StandardVersion

MEGABYTE = 1024 * 1024


def max_file_bytes() -> int:
    return settings.EVIDENCE_MAX_FILE_MB * MEGABYTE


def max_assessment_bytes() -> int:
    return settings.EVIDENCE_MAX_ASSESSMENT_MB * MEGABYTE


def _require_change(by: User | None, unit: Unit) -> None:
    if by is not None and not access.can_change_unit(by, unit):
        raise PermissionDenied(_("您无权填写该单位的自评。"))


def _require_draft(assessment: SelfAssessment) -> None:
    if assessment.is_completed:
        raise ValidationError(_("自评已完成，不能再修改。如需修改，请先重新打开。"))


def _locked(assessment: SelfAssessment) -> SelfAssessment:
    """The assessment row again, locked for this transaction, with what audit and checks read of it."""
    locked = (
        SelfAssessment.objects.select_for_update()
        .select_related("unit__region", "version__standard")
        .get(pk=assessment.pk)
    )
    return locked


@transaction.atomic
def start_assessment(*, by: User | None, unit: Unit, version: StandardVersion) -> SelfAssessment:
    """Begin a self-assessment of `unit` against a published version meant for units of its kind."""
    _require_change(by, unit)
    if version.status != StandardVersion.Status.PUBLISHED:
        raise ValidationError({"version": _("只能对照已发布的标准版本自评。")})
    if not applies_to(version, unit):
        raise ValidationError(
            {
                "version": _("“%(standard)s”不适用于%(kind)s，请选择适用于本单位类别的标准。")
                % {"standard": version, "kind": unit.get_kind_display()}
            }
        )
    if SelfAssessment.objects.filter(unit=unit, version=version).exists():
        raise ValidationError({"version": _("本单位已经开始对照该标准版本自评，请继续填写原来的自评。")})
    assessment = SelfAssessment(unit=unit, version=version, created_by=by)
    assessment.full_clean()
    with set_actor(by):
        assessment.save()
    return assessment


def _answerable_item(assessment: SelfAssessment, item: Item) -> Item:
    if item.version_id != assessment.version_id:
        raise ValidationError(_("该条目不属于本自评所用的标准版本。"))
    if item.kind == Item.Kind.AREA or Item.objects.filter(parent_id=item.pk).exists():
        raise ValidationError(_("只有最末一级的条目需要填写。"))
    return item


def _refuse_computed(item: Item) -> None:
    if item.computed_by:
        raise ValidationError(
            _("条目 %(code)s 由系统自动判断（%(how)s），不能手工填写。")
            % {"code": item.code, "how": item.get_computed_by_display()}
        )


def _check_answer(item: Item, points: Decimal | None, met: bool | None, narrative: str) -> None:
    errors: dict[str, str] = {}
    if item.kind == Item.Kind.GATE:
        if points is not None:
            errors["points"] = _("基本条件只判断是否满足，不打分。")
    else:
        if met is not None:
            errors["met"] = _("该条目按分值填写，不选择是否满足。")
        if points is not None and not (0 <= points <= item.max_points):
            errors["points"] = _("分值应在 0 到 %(max)s 分之间。") % {"max": format_points(item.max_points)}
        elif points is not None and points != points.quantize(Decimal("0.01")):
            errors["points"] = _("分值最多保留两位小数。")
    if len(narrative) > NARRATIVE_MAX_LENGTH:
        errors["narrative"] = _("情况说明最多 %(limit)d 字，现在是 %(length)d 字。") % {
            "limit": NARRATIVE_MAX_LENGTH,
            "length": len(narrative),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_answer(
    *,
    by: User | None,
    assessment: SelfAssessment,
    item: Item,
    points: Decimal | None,
    met: bool | None,
    narrative: str,
) -> ItemResponse:
    """Save one item's answer: points within [0, max] (a basic condition: met or not) and a narrative.

    Saving the same answer again writes nothing, so autosave does not fill the audit trail with copies.
    """
    assessment = _locked(assessment)
    _require_change(by, assessment.unit)
    _require_draft(assessment)
    item = _answerable_item(assessment, item)
    _refuse_computed(item)
    narrative = narrative.strip()
    _check_answer(item, points, met, narrative)
    response = ItemResponse.objects.filter(assessment=assessment, item=item).first()
    if response is None:
        response = ItemResponse(assessment=assessment, item=item)
    elif (response.points, response.met, response.narrative) == (points, met, narrative):
        response.assessment = assessment
        return response
    response.assessment = assessment  # the locked copy: the audit entry reads its unit's region
    response.points, response.met, response.narrative = points, met, narrative
    response.updated_by = by
    response.full_clean()
    with set_actor(by):
        response.save()
        assessment.save(update_fields=["updated_at"])
    return response


# --- items the system answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComputedAnswer:
    points: Decimal | None  # None: cannot be judged yet, the item stays unanswered
    narrative: str  # the figures, or why it cannot be judged


def checked_year(assessment: SelfAssessment) -> int:
    """The year a computed item looks at: the one before the self-assessment began."""
    return timezone.localtime(assessment.created_at).year - 1


def _ledger_targets(assessment: SelfAssessment, item: Item) -> ComputedAnswer:
    """Full points when the unit met the annual targets of the office above it, none when it missed one."""
    check = target_check(assessment.unit, checked_year(assessment))
    if check.status == "met":
        return ComputedAnswer(item.max_points, check.narrative())
    if check.status == "missed":
        return ComputedAnswer(Decimal("0.00"), check.narrative())
    return ComputedAnswer(None, _("暂无法自动判断。") + check.narrative())


COMPUTED_ANSWERS: dict[str, Callable[[SelfAssessment, Item], ComputedAnswer]] = {
    Item.ComputedBy.LEDGER_TARGETS: _ledger_targets,
}


def refresh_computed_answers(*, assessment: SelfAssessment, items: Iterable[Item] | None = None) -> int:
    """Answer the draft's computed items from the records they are computed from (as the system, `by=None`);
    the number of answers that changed.

    `items` are the version's items when the caller has them (no query then for a version without computed
    items). An answer that has not changed is not written again; a completed self-assessment is left as it was
    recorded.
    """
    candidates = Item.objects.filter(version_id=assessment.version_id) if items is None else items
    computed = [item for item in candidates if item.computed_by in COMPUTED_ANSWERS]
    if not computed:
        return 0  # no transaction either: most versions have nothing to compute
    return _write_computed_answers(assessment, computed)


@transaction.atomic
def _write_computed_answers(assessment: SelfAssessment, computed: list[Item]) -> int:
    assessment = _locked(assessment)
    if assessment.is_completed:
        return 0
    changed = 0
    existing = {
        response.item_id: response
        for response in ItemResponse.objects.filter(assessment=assessment, item__in=computed)
    }
    for item in computed:
        answer = COMPUTED_ANSWERS[item.computed_by](assessment, item)
        narrative = answer.narrative[:NARRATIVE_MAX_LENGTH]
        response = existing.get(item.pk) or ItemResponse(assessment=assessment, item=item)
        if response.pk is not None and (response.points, response.met, response.narrative) == (
            answer.points,
            None,
            narrative,
        ):
            continue
        response.assessment = assessment
        response.points, response.met, response.narrative = answer.points, None, narrative
        response.updated_by = None
        response.full_clean()
        with set_actor(None):
            response.save()
        changed += 1
    return changed


@transaction.atomic
def attach_evidence(
    *, by: User | None, assessment: SelfAssessment, item: Item, upload: UploadedFile
) -> Evidence:
    """Store an evidence file for one item, after checking its type by its bytes and the size limits."""
    assessment = _locked(assessment)
    _require_change(by, assessment.unit)
    _require_draft(assessment)
    item = _answerable_item(assessment, item)
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("文件是空的，未上传。")})
    if size > max_file_bytes():
        raise ValidationError(
            {
                "file": _("文件大小 %(size)s，超过了每个文件 %(limit)d MB 的上限。")
                % {"size": human_size(size), "limit": settings.EVIDENCE_MAX_FILE_MB}
            }
        )
    used = Evidence.objects.filter(response__assessment=assessment).aggregate(total=Sum("size"))["total"] or 0
    if used + size > max_assessment_bytes():
        raise ValidationError(
            {
                "file": _("本次自评的佐证材料已有 %(used)s，加上这个文件将超过 %(limit)d MB 的总上限。")
                % {"used": human_size(used), "limit": settings.EVIDENCE_MAX_ASSESSMENT_MB}
            }
        )
    try:
        kind = files.identify(upload)
        thumbnail = files.thumbnail_of(upload) if kind in (files.JPEG, files.PNG) else None
    except files.RefusedFile as error:
        raise ValidationError({"file": str(error)}) from error
    with set_actor(by):
        response, _created = ItemResponse.objects.get_or_create(assessment=assessment, item=item)
    response.assessment = assessment
    evidence = Evidence(
        response=response,
        original_name=_display_name(upload.name or "file"),
        content_type=kind.content_type,
        size=size,
        sha256=files.sha256_of(upload),
        uploaded_by=by,
    )
    evidence.file.save(f"upload{kind.extensions[0]}", upload, save=False)
    stored = [evidence.file.name]
    try:
        if thumbnail is not None:
            evidence.thumbnail.save("thumbnail.jpg", thumbnail, save=False)
            stored.append(evidence.thumbnail.name)
        evidence.full_clean()
        with set_actor(by):
            evidence.save()
            assessment.save(update_fields=["updated_at"])
    except BaseException:
        _delete_files(stored)
        raise
    return evidence


def _display_name(name: str) -> str:
    # Browsers send only the base name; some old ones sent a Windows path.
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return base[-255:]


def human_size(size: int) -> str:
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _delete_files(names: list[str | None]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


@transaction.atomic
def remove_evidence(*, by: User | None, evidence: Evidence) -> None:
    """Delete one evidence file; the stored files go once the deletion is committed."""
    assessment = _locked(evidence.response.assessment)
    _require_change(by, assessment.unit)
    _require_draft(assessment)
    evidence = Evidence.objects.select_related("response").get(pk=evidence.pk)
    evidence.response.assessment = assessment
    names = [evidence.file.name, evidence.thumbnail.name]
    with set_actor(by):
        evidence.delete()
        assessment.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: _delete_files(names))


@transaction.atomic
def complete_assessment(*, by: User | None, assessment: SelfAssessment) -> SelfAssessment:
    """Complete a self-assessment whose every leaf item is answered, recording the evaluation as it stands."""
    assessment = _locked(assessment)
    _require_change(by, assessment.unit)
    _require_draft(assessment)
    refresh_computed_answers(assessment=assessment)
    sheet = load_sheet(assessment, with_evidence=False)
    unjudged = [row for row in sheet.missing if row.item.computed_by]
    if unjudged:
        raise ValidationError(
            [
                _("条目 %(code)s 由系统自动判断，目前无法判断：%(why)s")
                % {"code": row.item.code, "why": row.response.narrative if row.response else ""}
                for row in unjudged
            ]
        )
    if not sheet.is_complete:
        codes = "、".join(row.item.code for row in sheet.missing[:10])
        more = _("等") if len(sheet.missing) > 10 else ""
        raise ValidationError(
            _("还有 %(count)d 个条目未填写（%(codes)s%(more)s），全部填写后才能完成自评。")
            % {"count": len(sheet.missing), "codes": codes, "more": more}
        )
    evaluation = sheet.evaluation
    assessment.status = SelfAssessment.Status.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.completed_by = by
    assessment.total = evaluation.total
    assessment.passed = evaluation.verdict is Verdict.PASSED
    assessment.grade = evaluation.grade or ""
    assessment.explanation = list(evaluation.explanation)
    assessment.full_clean()
    with set_actor(by):
        assessment.save()
    return assessment


@transaction.atomic
def reopen_assessment(*, by: User | None, assessment: SelfAssessment) -> SelfAssessment:
    """Open a completed self-assessment for changes again; the recorded result is cleared (the audit keeps it)."""
    assessment = _locked(assessment)
    _require_change(by, assessment.unit)
    if not assessment.is_completed:
        raise ValidationError(_("自评尚未完成，无需重新打开。"))
    assessment.status = SelfAssessment.Status.DRAFT
    assessment.completed_at = None
    assessment.completed_by = None
    assessment.total = None
    assessment.passed = None
    assessment.grade = ""
    assessment.explanation = []
    assessment.full_clean()
    with set_actor(by):
        assessment.save()
    return assessment
