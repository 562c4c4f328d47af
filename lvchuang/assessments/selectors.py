"""Reads of self-assessments: who may see which, the item sheet with its live evaluation, and list progress.

Every self-assessment is reached through its unit, so the unit's jurisdiction rules (`accounts.access`) decide:
lists are scoped with `access.unit_q(prefix="unit__")`, single ones are fetched with `access.access_unit_by_id`,
which answers 404 outside the jurisdiction and 403 when the user may only read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from lvchuang.accounts import access
from lvchuang.accounts.models import User
from lvchuang.assessments.models import Evidence, ItemResponse, SelfAssessment
from lvchuang.lib import scoring
from lvchuang.organisations.models import Unit
from lvchuang.organisations.selectors import count_subquery
from lvchuang.standards.document import rules_of
from lvchuang.standards.models import GradeBand, Item, StandardVersion
from lvchuang.standards.selectors import document_of

MISSING_SHOWN = 12  # unanswered items the completeness meter names; the rest are counted


# --- access -------------------------------------------------------------------------------------------------


def visible_assessments(user: User) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(access.unit_q(access.jurisdiction_of(user), prefix="unit__"))


def access_assessment_by_id(user: User, assessment_id: Any, *, for_change: bool = False) -> SelfAssessment:
    """The self-assessment, if the user may see its unit (404 otherwise; 403 if `for_change` and read only)."""
    try:
        assessment = SelfAssessment.objects.select_related("version__standard").get(pk=assessment_id)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    assessment.unit = access.access_unit_by_id(user, assessment.unit_id, for_change=for_change)
    return assessment


def access_evidence(assessment: SelfAssessment, evidence_id: Any) -> Evidence:
    """One evidence file of an assessment the caller has already reached through `access_assessment_by_id`."""
    try:
        evidence = Evidence.objects.select_related("response").get(
            pk=evidence_id, response__assessment_id=assessment.pk
        )
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    evidence.response.assessment = assessment
    return evidence


# --- versions a unit may assess itself against ---------------------------------------------------------------


def applies_to(version: StandardVersion, unit: Unit) -> bool:
    """A version lists the unit kinds it is for; an empty list puts no restriction."""
    return not version.applies_to or unit.kind in version.applies_to


def startable_versions(unit: Unit) -> list[StandardVersion]:
    """Published versions for the unit's kind that the unit has not started a self-assessment against yet."""
    started = SelfAssessment.objects.filter(unit=unit).values("version_id")
    versions = (
        StandardVersion.objects.filter(status=StandardVersion.Status.PUBLISHED)
        .exclude(pk__in=started)
        .select_related("standard")
        .order_by("standard__name", "-number")
    )
    # applies_to is a JSON list; SQLite has no JSON containment lookup, and published versions are few.
    return [version for version in versions if applies_to(version, unit)]


# --- the sheet: items, answers and the live evaluation -------------------------------------------------------


def answers_of(responses: Iterable[ItemResponse], code_of: Mapping[int, str]) -> dict[str, scoring.Answer]:
    """The unit's answers as the scoring engine takes them: keyed by item code, like `document.rules_of`."""
    return {code_of[r.item_id]: scoring.Answer(points=r.points, met=r.met) for r in responses}


@dataclass(frozen=True)
class Row:
    """One item of the sheet, in the standard's order, with its result and (for a leaf) its answer."""

    item: Item
    result: scoring.ItemResult
    response: ItemResponse | None
    evidence: Sequence[Evidence]
    ancestors: tuple[int, ...]  # ids of the items above, nearest last

    @property
    def depth(self) -> int:
        return self.result.depth

    @property
    def is_leaf(self) -> bool:
        return self.result.is_leaf and self.item.kind != Item.Kind.AREA

    @property
    def is_gate(self) -> bool:
        return self.item.kind == Item.Kind.GATE


@dataclass(frozen=True)
class Section:
    """A top-level item (usually an area) and everything below it: one card on the page."""

    head: Row
    rows: list[Row]


@dataclass(frozen=True)
class Sheet:
    assessment: SelfAssessment
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
    def leaves(self) -> list[Row]:
        return [row for row in self.rows if row.is_leaf]

    @property
    def missing(self) -> list[Row]:
        return [row for row in self.leaves if not row.result.answered]

    @property
    def missing_shown(self) -> list[Row]:
        return self.missing[:MISSING_SHOWN]

    @property
    def missing_more(self) -> int:
        return max(0, len(self.missing) - MISSING_SHOWN)

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

    @property
    def has_vetoes(self) -> bool:
        return any(row.item.kind == Item.Kind.VETO for row in self.rows)

    @property
    def has_gates(self) -> bool:
        return any(row.item.kind == Item.Kind.GATE for row in self.rows)


def load_sheet(assessment: SelfAssessment, *, with_evidence: bool = True) -> Sheet:
    """The version's items with the unit's answers and the evaluation: three queries, four with evidence."""
    version = assessment.version
    items = list(Item.objects.filter(version_id=version.pk).order_by("order", "pk"))
    bands = list(GradeBand.objects.filter(version_id=version.pk))
    responses_qs = ItemResponse.objects.filter(assessment_id=assessment.pk)
    if with_evidence:
        evidence = Evidence.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")
        responses_qs = responses_qs.prefetch_related(Prefetch("evidence", queryset=evidence))
    responses = {response.item_id: response for response in responses_qs}
    for loaded in responses.values():
        loaded.assessment = assessment
    rules = rules_of(document_of(version, items=items, bands=bands))
    answers = answers_of(responses.values(), {item.pk: item.code for item in items})
    evaluation = scoring.evaluate(rules, answers)
    answered, leaf_count = scoring.completeness(rules, answers)
    by_id = {item.pk: item for item in items}
    by_code = {item.code: item for item in items}
    rows = []
    for result in evaluation.per_item:
        item = by_code[result.key]
        response = responses.get(item.pk)
        rows.append(
            Row(
                item=item,
                result=result,
                response=response,
                evidence=list(response.evidence.all()) if response is not None and with_evidence else [],
                ancestors=_ancestors(item, by_id),
            )
        )
    return Sheet(
        assessment=assessment, rows=rows, evaluation=evaluation, answered=answered, leaf_count=leaf_count
    )


def _ancestors(item: Item, by_id: Mapping[int, Item]) -> tuple[int, ...]:
    chain: list[int] = []
    parent_id = item.parent_id
    while parent_id is not None and parent_id not in chain:
        chain.append(parent_id)
        parent_id = by_id[parent_id].parent_id
    return tuple(reversed(chain))


# --- lists ---------------------------------------------------------------------------------------------------


def with_progress(assessments: QuerySet[SelfAssessment]) -> QuerySet[SelfAssessment]:
    """Annotate `answered` and `leaf_count` (the completeness of each), one correlated subquery each."""
    leaves = Item.objects.filter(version_id=OuterRef("version_id")).exclude(kind=Item.Kind.AREA)
    leaves = leaves.exclude(children__isnull=False)
    answered = ItemResponse.objects.filter(assessment_id=OuterRef("pk")).filter(
        Q(points__isnull=False) | Q(met__isnull=False)
    )
    return assessments.annotate(leaf_count=count_subquery(leaves), answered=count_subquery(answered))


def assessments_of_units(unit_ids: Iterable[int]) -> dict[int, list[SelfAssessment]]:
    """The self-assessments of the given units with their progress, newest first: one query."""
    found: dict[int, list[SelfAssessment]] = {}
    ids = list(unit_ids)
    if not ids:
        return found
    assessments = with_progress(
        SelfAssessment.objects.filter(unit_id__in=ids).select_related("version__standard")
    ).order_by("-updated_at", "-pk")
    for assessment in assessments:
        found.setdefault(assessment.unit_id, []).append(assessment)
    return found
