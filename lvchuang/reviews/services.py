"""Every write of the review stage: one function, one transaction, keyword-only with `by` (STYLE habit 1).

Who acts: spot checks, panels, combination and ranking are the issuing office's (`can_run_campaign`: the office
that issued the campaign and the offices above it); a reviewer writes only to their own reviews, profile and
conflict declarations. Application states change only through `applications.services.apply_transition`, which
checks the actor and the campaign's window again ("start_review", "shortlist", "cut").
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.access import forget_jurisdiction
from lvchuang.accounts.models import User
from lvchuang.applications.models import FINAL_STATUSES, Application, Status
from lvchuang.applications.services import apply_transition
from lvchuang.assessments import files
from lvchuang.assessments.services import human_size, max_file_bytes
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Campaign, QuotaAllocation
from lvchuang.lib import sampling
from lvchuang.lib.scoring import Verdict
from lvchuang.organisations.models import Department, ReviewerAssignment, Unit
from lvchuang.regions.models import Region
from lvchuang.reviews import conflicts, ranking, selectors
from lvchuang.reviews.models import (
    COMMENT_MAX_LENGTH,
    ConflictDeclaration,
    Exclusion,
    RankingRun,
    Review,
    ReviewerProfile,
    ReviewPhoto,
    ReviewScore,
    SpotCheck,
)
from lvchuang.standards.document import format_points
from lvchuang.standards.models import Item
from lvchuang.titles.models import Title

# Spot checks draw from the applications the issuing office has checked and not yet decided: checked ones (the
# draw moves them into review) and those already under review.
SPOT_CHECK_STATUSES = (Status.CHECKED, Status.UNDER_REVIEW)
FINAL = FINAL_STATUSES
PHOTO_TYPES = (files.JPEG, files.PNG)


def _require_runs(by: User, campaign: Campaign) -> None:
    if not can_run_campaign(by, campaign):
        raise PermissionDenied(_("只有组织单位可以进行评审工作。"))


# --- spot checks -----------------------------------------------------------------------------------------------


def had_rectification(unit: Unit) -> bool:
    """A rectification in the unit's history: any title of it that was ever put under rectification (its
    events), or, for titles recorded from paper, whose status note mentions 整改."""
    return Title.objects.filter(
        Q(status=Title.Status.UNDER_RECTIFICATION)
        | Q(events__to_status=Title.Status.UNDER_RECTIFICATION)
        | Q(status_reason__contains="整改"),
        unit_id=unit.pk,
    ).exists()


def score_jump(application: Application) -> Decimal | None:
    """This self score minus the unit's self score in its latest application to an earlier campaign of the same
    program; None without both."""
    if application.self_score is None:
        return None
    previous = (
        Application.objects.filter(
            unit_id=application.unit_id,
            campaign__program_id=application.campaign.program_id,
            campaign__year__lt=application.campaign.year,
            self_score__isnull=False,
        )
        .order_by("-campaign__year", "-pk")
        .values_list("self_score", flat=True)
        .first()
    )
    return None if previous is None else application.self_score - previous


def risk_weight_of(application: Application, campaign: Campaign) -> float:
    jump = score_jump(application)
    return sampling.risk_weight(
        score_jump=float(jump) if jump is not None else None,
        jump_threshold=float(campaign.risk_jump_points),
        had_rectification=had_rectification(application.unit),
        factor=float(campaign.risk_factor),
    )


def population_of(campaign: Campaign, *, weighted: bool) -> list[sampling.Candidate]:
    """The campaign's checked and under-review applications, keyed by id as text, with their risk weight."""
    applications = (
        Application.objects.filter(campaign=campaign, status__in=SPOT_CHECK_STATUSES)
        .select_related("unit", "campaign")
        .order_by("pk")
    )
    return [
        sampling.Candidate(str(a.pk), risk_weight_of(a, campaign) if weighted else 1.0) for a in applications
    ]


@transaction.atomic
def draw_spot_check(
    *,
    by: User,
    campaign: Campaign,
    size: int,
    weighted: bool,
    seed: str | None = None,
    purpose: str = "",
    today: datetime.date | None = None,
) -> SpotCheck:
    """Draw a reproducible sample (lib/sampling.py) and record seed, population with weights and sample; drawn
    applications that are only checked go under review."""
    _require_runs(by, campaign)
    if size < 1:
        raise ValidationError({"size": _("样本量至少为 1。")})
    population = population_of(campaign, weighted=weighted)
    if not population:
        raise ValidationError(_("没有可抽查的申报：抽查范围是初审通过和评审中的申报。"))
    seed = (seed or "").strip() or sampling.new_seed()
    sample = sampling.draw(population, size, seed)
    spot_check = SpotCheck(
        campaign=campaign,
        purpose=purpose.strip() or _("抽查核实"),
        seed=seed,
        size=size,
        weighted=weighted,
        population=[[c.key, c.weight] for c in population],
        sample=sample,
        created_by=by,
    )
    spot_check.full_clean()
    with set_actor(by):
        spot_check.save()
    for application in Application.objects.filter(pk__in=[int(key) for key in sample], status=Status.CHECKED):
        apply_transition(
            by=by,
            application=application,
            name="start_review",
            comment=_("抽查抽中（种子 %(seed)s）") % {"seed": seed},
            today=today,
        )
    return spot_check


@dataclass(frozen=True)
class Verification:
    matches: bool
    redrawn: list[str]


def verify_spot_check(spot_check: SpotCheck) -> Verification:
    """Re-run the draw from the recorded seed, population and size; it must give the recorded sample."""
    population = [sampling.Candidate(str(key), float(weight)) for key, weight in spot_check.population]
    redrawn = sampling.draw(population, spot_check.size, spot_check.seed)
    return Verification(matches=redrawn == list(spot_check.sample), redrawn=redrawn)


# --- reviewer profile and declared conflicts ---------------------------------------------------------------------


def _require_reviewer(by: User) -> None:
    if not selectors.is_reviewer(by):
        raise PermissionDenied(_("只有评审专家可以填写评审专家信息。"))


@transaction.atomic
def save_profile(
    *,
    by: User,
    region: Region | None,
    unit: Unit | None,
    department: Department | None,
    expertise: str = "",
) -> ReviewerProfile:
    """The reviewer's own home region, unit and department: the automatic conflict rules read them."""
    _require_reviewer(by)
    profile = ReviewerProfile.objects.filter(user=by).first() or ReviewerProfile(user=by)
    profile.region, profile.unit, profile.department = region, unit, department
    profile.expertise = expertise.strip()
    profile.full_clean()
    with set_actor(by):
        profile.save()
    return profile


@transaction.atomic
def declare_conflict(
    *,
    by: User,
    relation: str,
    unit: Unit | None = None,
    region: Region | None = None,
    department: Department | None = None,
) -> ConflictDeclaration:
    _require_reviewer(by)
    if unit is None and region is None and department is None:
        raise ValidationError(_("请指明有利益冲突的单位、地区或主管部门。"))
    if not relation.strip():
        raise ValidationError({"relation": _("请简要说明关系，如“配偶在该单位工作”。")})
    declaration = ConflictDeclaration(
        reviewer=by, unit=unit, region=region, department=department, relation=relation.strip()
    )
    declaration.full_clean()
    with set_actor(by):
        declaration.save()
    return declaration


@transaction.atomic
def withdraw_conflict(*, by: User, declaration: ConflictDeclaration) -> None:
    if declaration.reviewer_id != by.pk:
        raise PermissionDenied
    with set_actor(by):
        declaration.delete()


# --- panels ----------------------------------------------------------------------------------------------------


def _place(region: Region | None) -> conflicts.Place | None:
    return conflicts.Place(region.path, region.name) if region is not None else None


def _named(obj: Unit | Department | None) -> conflicts.Named | None:
    return conflicts.Named(obj.pk, obj.name) if obj is not None else None


def unit_facts(unit: Unit) -> conflicts.UnitFacts:
    return conflicts.UnitFacts(
        unit.pk, unit.name, conflicts.Place(unit.region.path, unit.region.name), _named(unit.sector)
    )


def reviewer_facts(users: Sequence[User]) -> dict[int, conflicts.ReviewerFacts]:
    """What the conflict rules need of each reviewer: two queries for any number of reviewers."""
    ids = [user.pk for user in users]
    profiles = {
        p.user_id: p
        for p in ReviewerProfile.objects.filter(user_id__in=ids).select_related(
            "region", "unit", "department"
        )
    }
    declared: dict[int, list[conflicts.Declared]] = {}
    for d in ConflictDeclaration.objects.filter(reviewer_id__in=ids).select_related(
        "unit", "region", "department"
    ):
        declared.setdefault(d.reviewer_id, []).append(
            conflicts.Declared(d.relation, _named(d.unit), _place(d.region), _named(d.department))
        )
    facts = {}
    for user in users:
        profile = profiles.get(user.pk)
        facts[user.pk] = conflicts.ReviewerFacts(
            id=user.pk,
            name=str(user),
            region=_place(profile.region) if profile else None,
            unit=_named(profile.unit) if profile else None,
            department=_named(profile.department) if profile else None,
            declared=tuple(declared.get(user.pk, [])),
        )
    return facts


@dataclass(frozen=True)
class Panel:
    reviews: list[Review]
    exclusions: list[Exclusion]
    missing: int


def _record_exclusion(application: Application, reviewer_id: int, reasons: Sequence[str]) -> Exclusion:
    reason = "；".join(reasons)[:200]
    existing = Exclusion.objects.filter(
        application=application, reviewer_id=reviewer_id, reason=reason
    ).first()
    return existing or Exclusion.objects.create(
        application=application, reviewer_id=reviewer_id, reason=reason
    )


@transaction.atomic
def assign_panel(
    *,
    by: User,
    application: Application,
    kind: str,
    reviewers: Sequence[User] | None = None,
    today: datetime.date | None = None,
) -> Panel:
    """Assign desk or on-site reviewers to a checked or under-review application.

    Without `reviewers`, picks the campaign's `reviewers_per_application` (less those already on this kind of
    review) among the reviewers without a conflict, fewest open reviews first, ties by id; every reviewer left out
    is recorded as an `Exclusion` with the reason. A manual list is checked against the same rules and refused
    with the reason. Each assigned reviewer gets a `ReviewerAssignment` to the unit: their access to it.
    A checked application goes under review.
    """
    application = (
        Application.objects.select_related("unit__region", "unit__sector", "campaign__office__region")
        .select_for_update(of=("self",))
        .get(pk=application.pk)
    )
    _require_runs(by, application.campaign)
    if kind not in Review.Kind.values:
        raise ValidationError({"kind": _("评审方式须为书面评审或现场评审。")})
    if application.status not in SPOT_CHECK_STATUSES:
        raise ValidationError(
            _("申报当前为“%(status)s”，只有初审通过或评审中的申报可以指派评审专家。")
            % {"status": application.get_status_display()}
        )
    on_panel = set(
        Review.objects.filter(application=application, kind=kind).values_list("reviewer_id", flat=True)
    )
    unit = unit_facts(application.unit)
    exclusions: list[Exclusion] = []
    if reviewers is None:
        pool = [user for user in selectors.reviewers() if user.pk not in on_panel]
        load = selectors.open_review_counts(user.pk for user in pool)
        facts = reviewer_facts(pool)
        wanted = max(0, application.campaign.reviewers_per_application - len(on_panel))
        pick = conflicts.pick_panel(
            [conflicts.Candidate(facts[user.pk], load.get(user.pk, 0)) for user in pool], unit, wanted
        )
        for reviewer_id, reasons in pick.excluded.items():
            exclusions.append(_record_exclusion(application, reviewer_id, reasons))
        chosen_ids, missing = list(pick.chosen), pick.missing
    else:
        holders = set(
            selectors.reviewers().filter(pk__in=[u.pk for u in reviewers]).values_list("pk", flat=True)
        )
        facts = reviewer_facts(list(reviewers))
        refusals = []
        for user in reviewers:
            if user.pk not in holders:
                refusals.append(_("%(name)s 不是评审专家。") % {"name": user})
            elif user.pk in on_panel:
                refusals.append(_("%(name)s 已在该申报的评审组中。") % {"name": user})
            else:
                reasons = conflicts.conflicts_of(facts[user.pk], unit)
                if reasons:
                    refusals.append(
                        _("%(name)s 须回避：%(reasons)s。") % {"name": user, "reasons": "；".join(reasons)}
                    )
        if refusals:
            raise ValidationError({"reviewers": refusals})
        chosen_ids, missing = [u.pk for u in reviewers], 0
    if application.status == Status.CHECKED and chosen_ids:
        application = apply_transition(
            by=by, application=application, name="start_review", comment=_("指派评审专家"), today=today
        )
    created = []
    with set_actor(by):
        for reviewer_id in chosen_ids:
            review = Review(application=application, reviewer_id=reviewer_id, kind=kind, assigned_by=by)
            review.full_clean()
            review.save()
            created.append(review)
            ReviewerAssignment.objects.get_or_create(
                reviewer_id=reviewer_id, unit_id=application.unit_id, defaults={"assigned_by": by}
            )
    for user in reviewers or ():
        forget_jurisdiction(user)
    return Panel(reviews=created, exclusions=exclusions, missing=missing)


# --- scoring ---------------------------------------------------------------------------------------------------


def _locked_review(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("application__unit__region", "application__campaign__version__standard")
        .get(pk=review.pk)
    )


def _require_open_review(by: User, review: Review) -> None:
    if review.reviewer_id != by.pk:
        raise PermissionDenied(_("只能填写本人的评审。"))
    if review.status == Review.Status.SUBMITTED:
        raise ValidationError(_("评审已提交，不能再修改。"))
    if review.application.status in FINAL:
        raise ValidationError(_("该申报的评审已结束。"))


def _scorable_item(review: Review, item: Item) -> Item:
    if item.version_id != review.application.campaign.version_id:
        raise ValidationError(_("该条目不属于本次评审所用的标准版本。"))
    if item.kind == Item.Kind.AREA or Item.objects.filter(parent_id=item.pk).exists():
        raise ValidationError(_("只有最末一级的条目需要评分。"))
    return item


def _check_score(item: Item, points: Decimal | None, met: bool | None, comment: str) -> None:
    errors: dict[str, str] = {}
    if item.kind == Item.Kind.GATE:
        if points is not None:
            errors["points"] = _("基本条件只判断是否满足，不打分。")
    else:
        if met is not None:
            errors["met"] = _("该条目按分值评分，不选择是否满足。")
        if points is not None and not (0 <= points <= item.max_points):
            errors["points"] = _("分值应在 0 到 %(max)s 分之间。") % {"max": format_points(item.max_points)}
        elif points is not None and points != points.quantize(Decimal("0.01")):
            errors["points"] = _("分值最多保留两位小数。")
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("意见最多 %(limit)d 字。") % {"limit": COMMENT_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_score(
    *, by: User, review: Review, item: Item, points: Decimal | None, met: bool | None, comment: str
) -> ReviewScore:
    """One item's score (points within [0, max], or met / not met for a basic condition) and comment.
    Saving the same again writes nothing, so autosave leaves no copies in the audit trail."""
    review = _locked_review(review)
    _require_open_review(by, review)
    item = _scorable_item(review, item)
    comment = comment.strip()
    _check_score(item, points, met, comment)
    score = ReviewScore.objects.filter(review=review, item=item).first()
    if score is not None and (score.points, score.met, score.comment) == (points, met, comment):
        score.review = review
        return score
    score = score or ReviewScore(review=review, item=item)
    score.review = review
    score.points, score.met, score.comment = points, met, comment
    score.full_clean()
    with set_actor(by):
        score.save()
    return score


@transaction.atomic
def attach_photo(*, by: User, review: Review, item: Item | None, upload: UploadedFile) -> ReviewPhoto:
    """A photo (JPEG or PNG, checked by its bytes) for one item of the reviewer's own review."""
    review = _locked_review(review)
    _require_open_review(by, review)
    if item is not None:
        item = _scorable_item(review, item)
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("文件是空的，未上传。")})
    if size > max_file_bytes():
        raise ValidationError({"file": _("照片大小 %(size)s，超过上限。") % {"size": human_size(size)}})
    try:
        kind = files.identify(upload)
        if kind not in PHOTO_TYPES:
            raise files.RefusedFile(_("评审照片只能是 JPEG 或 PNG 图片。"))
        files.thumbnail_of(upload)  # decodes the image: a broken or oversized picture is refused
    except files.RefusedFile as error:
        raise ValidationError({"file": str(error)}) from error
    photo = ReviewPhoto(
        review=review,
        item=item,
        original_name=(upload.name or "photo").replace("\\", "/").rsplit("/", 1)[-1][-255:],
        content_type=kind.content_type,
        size=size,
        sha256=files.sha256_of(upload),
    )
    photo.file.save(f"photo{kind.extensions[0]}", upload, save=False)
    try:
        photo.full_clean()
        with set_actor(by):
            photo.save()
    except BaseException:
        photo.file.storage.delete(photo.file.name)
        raise
    return photo


@transaction.atomic
def submit_review(*, by: User, review: Review, comment: str = "") -> Review:
    """Record the total and verdict of a review whose every item is scored."""
    review = _locked_review(review)
    _require_open_review(by, review)
    sheet = selectors.load_review_sheet(review, with_photos=False)
    if not sheet.is_complete:
        codes = "、".join(row.item.code for row in sheet.missing[:10])
        raise ValidationError(
            _("还有 %(count)d 个条目未评分（%(codes)s），全部评分后才能提交。")
            % {"count": len(sheet.missing), "codes": codes}
        )
    review.total = sheet.evaluation.total
    review.passed = sheet.evaluation.verdict is Verdict.PASSED
    review.status = Review.Status.SUBMITTED
    review.submitted_at = timezone.now()
    if comment.strip():
        review.comment = comment.strip()
    review.full_clean()
    with set_actor(by):
        review.save()
    return review


# --- combination and ranking -------------------------------------------------------------------------------------


def _submitted(application: Application) -> list[ranking.Scored]:
    return [
        ranking.Scored(r.kind, r.total, bool(r.passed))
        for r in application.reviews.all()
        if r.status == Review.Status.SUBMITTED and r.total is not None
    ]


def combination_of(application: Application) -> ranking.Combined:
    assessment = application.assessment
    return ranking.combine(
        application.campaign.combination_rule,
        _submitted(application),
        self_score=application.self_score,
        self_passed=assessment.passed if assessment is not None else None,
    )


def _rankable(campaign: Campaign) -> list[Application]:
    return list(
        Application.objects.filter(
            Q(status=Status.UNDER_REVIEW) | Q(status=Status.CHECKED, exempt=True), campaign=campaign
        )
        .select_related("unit__region", "assessment", "campaign")
        .prefetch_related("reviews")
        .order_by("pk")
    )


@transaction.atomic
def combine_scores(*, by: User, campaign: Campaign) -> list[Application]:
    """Set each application's final score and verdict by the campaign's combination rule (ranking.combine).
    Exempt applications are not evaluated (免于评价)."""
    _require_runs(by, campaign)
    combined = []
    with set_actor(by):
        for application in _rankable(campaign):
            if application.exempt:
                continue
            result = combination_of(application)
            application.final_score = result.score
            application.passed = result.passed
            application.save(update_fields=["final_score", "passed", "updated_at"])
            combined.append(application)
    return combined


def _failing_reason(application: Application, result: ranking.Combined) -> str:
    if result.counted:
        return _("%(failed)d 份评审未达标（%(basis)s %(score)s 分）") % {
            "failed": result.failed_count,
            "basis": result.basis,
            "score": format_points(result.score) if result.score is not None else "—",
        }
    return _("自评未达标（自评分 %(score)s 分）") % {
        "score": format_points(application.self_score) if application.self_score is not None else "—"
    }


def _pool_of(unit: Unit, allocations: Sequence[QuotaAllocation]) -> QuotaAllocation | None:
    return next((allocation for allocation in allocations if allocation.covers(unit)), None)


@transaction.atomic
def rank_and_shortlist(*, by: User, campaign: Campaign, today: datetime.date | None = None) -> RankingRun:
    """Rank the campaign's applications under review and cut by quota (ranking.cut), shortlist or cut each
    through the workflow, mark the top `demonstration_quota` as demonstration candidates, and record the run.

    Quota pools: with quota allocations, each application counts against the allocation that covers its unit;
    the uncovered compete for what the allocations leave of `campaign.quota` (quota minus the allocated
    amounts; no limit when the campaign has none). Without allocations, one pool of `campaign.quota`.
    """
    _require_runs(by, campaign)
    applications = _rankable(campaign)
    unscored = [a.unit.name for a in applications if not a.exempt and a.final_score is None]
    if unscored:
        raise ValidationError(
            _("以下申报还没有最终得分，请先合成评分：%(units)s") % {"units": "、".join(unscored)}
        )
    allocations = list(campaign.allocations.select_related("region", "department"))
    pools: dict[str, int | None] = {}
    for share in allocations:
        pools[str(share.region or share.department)] = share.amount
    if allocations:
        allocated = sum(share.amount for share in allocations)
        pools[ranking.UNCOVERED] = None if campaign.quota is None else max(0, campaign.quota - allocated)
    else:
        pools[ranking.UNCOVERED] = campaign.quota
    entries: list[ranking.Entry] = []
    by_key: dict[int, Application] = {}
    labels: dict[int, str] = {}
    for application in applications:
        allocation = _pool_of(application.unit, allocations)
        label = (
            str(allocation.region or allocation.department) if allocation is not None else ranking.UNCOVERED
        )
        result = combination_of(application)
        entries.append(
            ranking.Entry(
                key=application.pk,
                unit_name=application.unit.name,
                score=application.final_score,
                self_score=application.self_score,
                passed=bool(application.passed),
                exempt=application.exempt,
                pool=label,
                failing_reason="" if application.passed else _failing_reason(application, result),
            )
        )
        by_key[application.pk] = application
        labels[application.pk] = label
    outcomes = ranking.cut(entries, pools=pools, demonstration_quota=campaign.demonstration_quota)
    rows = []
    for outcome in outcomes:
        application = by_key[outcome.key]
        apply_transition(
            by=by,
            application=application,
            name="shortlist" if outcome.outcome == ranking.SHORTLISTED else "cut",
            comment=outcome.reason,
            today=today,
        )
        Application.objects.filter(pk=application.pk).update(
            rank=outcome.rank, is_demonstration_candidate=outcome.demonstration
        )
        rows.append(
            {
                "application": application.pk,
                "unit": application.unit.name,
                "score": str(application.final_score) if application.final_score is not None else None,
                "self_score": str(application.self_score) if application.self_score is not None else None,
                "rank": outcome.rank,
                "allocation": labels[outcome.key] or _("未分配名额"),
                "outcome": outcome.outcome,
                "reason": outcome.reason,
                "demonstration": outcome.demonstration,
            }
        )
    run = RankingRun(
        campaign=campaign,
        rows=rows,
        shortlisted_count=sum(1 for o in outcomes if o.outcome == ranking.SHORTLISTED),
        by=by,
    )
    run.full_clean()
    with set_actor(by):
        run.save()
    return run
