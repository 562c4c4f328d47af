"""Reads of the review stage: who sees which spot check, review and ranking; the review sheet; the dashboard.

Access (STYLE habit 3), on top of `campaigns.access`:
- spot checks, panels, ranking runs and the dashboard belong to whoever runs the campaign (`can_run_campaign`:
  the issuing office and the offices above it) — everybody else gets 404;
- a review is seen by its reviewer and by whoever runs its campaign; only its reviewer may write to it (403 for
  the offices, 404 for everybody else, other reviewers included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet

from lvchuang.accounts.access import _get_or_404, _paths_q, jurisdiction_of
from lvchuang.accounts.models import Role, User
from lvchuang.applications.models import Application, Status
from lvchuang.assessments.models import ItemResponse
from lvchuang.campaigns.models import Campaign
from lvchuang.lib import scoring
from lvchuang.reviews.models import (
    ConflictDeclaration,
    Exclusion,
    RankingRun,
    Review,
    ReviewerProfile,
    ReviewPhoto,
    ReviewScore,
    SpotCheck,
)
from lvchuang.standards.document import rules_of
from lvchuang.standards.models import GradeBand, Item, StandardVersion
from lvchuang.standards.selectors import document_of

# --- access ---------------------------------------------------------------------------------------------------


def _runs_q(user: User | AnonymousUser, lookup: str) -> Q | None:
    """A filter on what the user runs (None: everything, for an administrator)."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.is_admin:
        return None
    return _paths_q(jurisdiction.managed_paths, lookup)


def visible_spot_checks(user: User | AnonymousUser) -> QuerySet[SpotCheck]:
    spot_checks = SpotCheck.objects.select_related("campaign__office__region", "created_by")
    q = _runs_q(user, "campaign__office__region__path")
    return spot_checks if q is None else spot_checks.filter(q)


def access_spot_check_by_id(user: User | AnonymousUser, spot_check_id: Any) -> SpotCheck:
    return _get_or_404(visible_spot_checks(user), pk=spot_check_id)


def visible_rankings(user: User | AnonymousUser) -> QuerySet[RankingRun]:
    runs = RankingRun.objects.select_related("campaign__office__region", "by")
    q = _runs_q(user, "campaign__office__region__path")
    return runs if q is None else runs.filter(q)


def access_ranking_by_id(user: User | AnonymousUser, ranking_id: Any) -> RankingRun:
    return _get_or_404(visible_rankings(user), pk=ranking_id)


def run_campaign_applications(user: User | AnonymousUser) -> QuerySet[Application]:
    """Applications of the campaigns the user runs (where panels are assigned)."""
    applications = Application.objects.select_related(
        "unit__region", "unit__sector", "campaign__office__region", "campaign__version"
    )
    q = _runs_q(user, "campaign__office__region__path")
    return applications if q is None else applications.filter(q)


def access_run_application_by_id(user: User | AnonymousUser, application_id: Any) -> Application:
    return _get_or_404(run_campaign_applications(user), pk=application_id)


def visible_reviews(user: User | AnonymousUser) -> QuerySet[Review]:
    reviews = Review.objects.select_related(
        "application__unit__region",
        "application__campaign__office__region",
        "application__campaign__version__standard",
        "reviewer",
    )
    if not user.is_authenticated:
        return reviews.none()
    q = _runs_q(user, "application__campaign__office__region__path")
    if q is None:
        return reviews
    return reviews.filter(q | Q(reviewer_id=user.pk))


def access_review_by_id(user: User | AnonymousUser, review_id: Any, *, for_change: bool = False) -> Review:
    """The review if the user is its reviewer or runs its campaign (404 otherwise); `for_change`: its reviewer
    only (403 for the offices that may read it)."""
    review = _get_or_404(visible_reviews(user), pk=review_id)
    if for_change and review.reviewer_id != user.pk:
        raise PermissionDenied
    return review


def own_reviews(user: User) -> QuerySet[Review]:
    """The reviewer's own reviews (我的评审), open ones first: one query."""
    return (
        Review.objects.filter(reviewer_id=user.pk)
        .select_related("application__unit__region", "application__campaign")
        .order_by("status", "-assigned_at", "-pk")
    )


def access_photo(review: Review, photo_id: Any) -> ReviewPhoto:
    """One photo of a review the caller has already reached through `access_review_by_id`."""
    photo = _get_or_404(ReviewPhoto.objects.all(), pk=photo_id, review_id=review.pk)
    photo.review = review
    return photo


def own_conflicts(user: User) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(reviewer_id=user.pk).select_related(
        "unit", "region", "department"
    )


def access_own_conflict(user: User, conflict_id: Any) -> ConflictDeclaration:
    return _get_or_404(own_conflicts(user), pk=conflict_id)


def profile_of(user: User) -> ReviewerProfile | None:
    return (
        ReviewerProfile.objects.filter(user_id=user.pk).select_related("region", "unit", "department").first()
    )


def is_reviewer(user: User | AnonymousUser) -> bool:
    return Role.REVIEWER in jurisdiction_of(user).roles


# --- the review sheet -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One item of the standard with the reviewer's result and the unit's own answer beside it."""

    item: Item
    result: scoring.ItemResult
    score: ReviewScore | None
    self_response: ItemResponse | None
    photos: Sequence[ReviewPhoto]
    ancestors: tuple[int, ...]

    @property
    def depth(self) -> int:
        return self.result.depth

    @property
    def is_leaf(self) -> bool:
        return self.result.is_leaf and self.item.kind != Item.Kind.AREA

    @property
    def is_gate(self) -> bool:
        return self.item.kind == Item.Kind.GATE

    # The assessments templates read `row.response` for the saved time; a review's answer is its score.
    @property
    def response(self) -> ReviewScore | None:
        return self.score


@dataclass(frozen=True)
class Section:
    head: Row
    rows: list[Row]


@dataclass(frozen=True)
class ReviewSheet:
    review: Review
    rows: list[Row]
    evaluation: scoring.Evaluation
    answered: int
    leaf_count: int

    @property
    def sections(self) -> list[Section]:
        sections: list[Section] = []
        for row in self.rows:
            if row.depth == 0:
                sections.append(Section(head=row, rows=[]))
            else:
                sections[-1].rows.append(row)
        return sections

    @property
    def missing(self) -> list[Row]:
        return [row for row in self.rows if row.is_leaf and not row.result.answered]

    @property
    def is_complete(self) -> bool:
        return self.answered == self.leaf_count

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.leaf_count) if self.leaf_count else 100

    def row(self, item_id: int) -> Row:
        for row in self.rows:
            if row.item.pk == item_id:
                return row
        raise KeyError(item_id)


def answers_of(scores: Iterable[ReviewScore], code_of: Mapping[int, str]) -> dict[str, scoring.Answer]:
    return {code_of[s.item_id]: scoring.Answer(points=s.points, met=s.met) for s in scores}


def _ancestors(item: Item, by_id: Mapping[int, Item]) -> tuple[int, ...]:
    chain: list[int] = []
    parent_id = item.parent_id
    while parent_id is not None and parent_id not in chain:
        chain.append(parent_id)
        parent_id = by_id[parent_id].parent_id
    return tuple(reversed(chain))


def evaluate_scores(version: StandardVersion, scores: Iterable[ReviewScore]) -> scoring.Evaluation:
    """A review's result through the scoring engine, as `assessments.selectors.load_sheet` does it."""
    items = list(Item.objects.filter(version_id=version.pk).order_by("order", "pk"))
    bands = list(GradeBand.objects.filter(version_id=version.pk))
    rules = rules_of(document_of(version, items=items, bands=bands))
    return scoring.evaluate(rules, answers_of(scores, {item.pk: item.code for item in items}))


def load_review_sheet(review: Review, *, with_photos: bool = True) -> ReviewSheet:
    """The campaign version's items, the review's scores, the unit's self-assessment answers and the live
    evaluation: five queries, six with photos."""
    version = review.application.campaign.version
    items = list(Item.objects.filter(version_id=version.pk).order_by("order", "pk"))
    bands = list(GradeBand.objects.filter(version_id=version.pk))
    scores = {score.item_id: score for score in ReviewScore.objects.filter(review_id=review.pk)}
    assessment_id = review.application.assessment_id
    self_responses = (
        {r.item_id: r for r in ItemResponse.objects.filter(assessment_id=assessment_id)}
        if assessment_id is not None
        else {}
    )
    photos: dict[int | None, list[ReviewPhoto]] = {}
    if with_photos:
        for photo in ReviewPhoto.objects.filter(review_id=review.pk).order_by("uploaded_at", "pk"):
            photo.review = review
            photos.setdefault(photo.item_id, []).append(photo)
    rules = rules_of(document_of(version, items=items, bands=bands))
    answers = answers_of(scores.values(), {item.pk: item.code for item in items})
    evaluation = scoring.evaluate(rules, answers)
    answered, leaf_count = scoring.completeness(rules, answers)
    by_id = {item.pk: item for item in items}
    by_code = {item.code: item for item in items}
    rows = [
        Row(
            item=by_code[result.key],
            result=result,
            score=scores.get(by_code[result.key].pk),
            self_response=self_responses.get(by_code[result.key].pk),
            photos=photos.get(by_code[result.key].pk, []),
            ancestors=_ancestors(by_code[result.key], by_id),
        )
        for result in evaluation.per_item
    ]
    return ReviewSheet(
        review=review, rows=rows, evaluation=evaluation, answered=answered, leaf_count=leaf_count
    )


# --- the campaign dashboard ----------------------------------------------------------------------------------

REVIEW_STATUSES = (Status.CHECKED, Status.UNDER_REVIEW, Status.SHORTLISTED, Status.NAMED, Status.REJECTED)


@dataclass(frozen=True)
class Dashboard:
    campaign: Campaign
    counts: list[tuple[str, str, int]]  # status, label, count
    applications: list[Application]  # with prefetched reviews and exclusions
    spot_checks: list[SpotCheck]
    rankings: list[RankingRun]

    @property
    def latest_ranking(self) -> RankingRun | None:
        return self.rankings[0] if self.rankings else None


def dashboard_of(campaign: Campaign) -> Dashboard:
    """Everything the issuing office's review page shows: six queries whatever the number of applications."""
    counted = dict(
        Application.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("pk")).order_by()
    )
    counts = [(value, str(label), counted.get(value, 0)) for value, label in Status.choices]
    reviews = Review.objects.select_related("reviewer").order_by("kind", "pk")
    exclusions = Exclusion.objects.select_related("reviewer").order_by("reviewer_id", "pk")
    applications = list(
        Application.objects.filter(campaign=campaign, status__in=REVIEW_STATUSES)
        .select_related("unit__region")
        .prefetch_related(Prefetch("reviews", queryset=reviews), Prefetch("exclusions", queryset=exclusions))
        .order_by("rank", "-final_score", "unit__name", "pk")
    )
    return Dashboard(
        campaign=campaign,
        counts=counts,
        applications=applications,
        spot_checks=list(campaign.spot_checks.select_related("created_by")[:10]),
        rankings=list(campaign.rankings.select_related("by")[:5]),
    )


def reviewers() -> QuerySet[User]:
    """Everybody holding the reviewer role, by id."""
    return User.objects.filter(roles__role=Role.REVIEWER, is_active=True).distinct().order_by("pk")


def open_review_counts(user_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Review.objects.filter(reviewer_id__in=list(user_ids), status=Review.Status.ASSIGNED)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def ranking_rows(run: RankingRun) -> list[dict[str, Any]]:
    """The run's rows with `quota_line` set on the first row the quota left out, where the page draws the line."""
    rows = []
    drawn = False
    for row in run.rows:
        line = not drawn and row.get("outcome") == "cut" and str(row.get("reason", "")).startswith("名额已满")
        drawn = drawn or line
        rows.append({**row, "quota_line": line})
    return rows
