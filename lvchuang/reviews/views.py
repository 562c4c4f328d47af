"""Review pages: the reviewer's own reviews scored on a phone, and the issuing office's review dashboard.

Every object is reached through `selectors.access_*` (404 outside; 403 where the user may only read). Views parse
input, call one service and render. The review sheet autosaves each item as the self-assessment sheet does
(htmx, 600 ms after the last keystroke), returning the item's status line and the live total out of band.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.assessments.views import _file_response
from lvchuang.campaigns.access import access_campaign_by_id
from lvchuang.campaigns.models import Campaign
from lvchuang.reviews import selectors, services
from lvchuang.reviews.forms import (
    ConflictForm,
    PanelForm,
    PhotoForm,
    ProfileForm,
    ScoreForm,
    SpotCheckForm,
    SubmitForm,
)
from lvchuang.reviews.models import Review
from lvchuang.reviews.selectors import ReviewSheet, Row
from lvchuang.standards.models import Item
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, wants_partial


def _flash_errors(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(request: AuthenticatedHttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


# --- the reviewer's own ------------------------------------------------------------------------------------------


@login_required
def my_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的评审: the reviewer's own reviews, open ones first."""
    reviews = list(selectors.own_reviews(request.user))
    context = {"reviews": reviews, "is_reviewer": selectors.is_reviewer(request.user)}
    return render(request, "reviews/my_reviews.html", context)


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The reviewer's home region, unit and department, and the conflicts they declared."""
    if not selectors.is_reviewer(request.user):
        raise PermissionDenied
    current = selectors.profile_of(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_profile(
                    by=request.user,
                    region=data["region"],
                    unit=data["unit"],
                    department=data["department"],
                    expertise=data["expertise"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("评审专家信息已保存。"))
                return redirect("reviews:profile")
    else:
        initial = {}
        if current is not None:
            initial = {
                "region_code": current.region.code if current.region else "",
                "unit_name": current.unit.name if current.unit else "",
                "department": current.department,
                "expertise": current.expertise,
            }
        form = ProfileForm(initial=initial)
    context = {
        "form": form,
        "profile": current,
        "conflicts": list(selectors.own_conflicts(request.user)),
        "conflict_form": ConflictForm(),
    }
    return render(request, "reviews/profile.html", context)


@login_required
@require_POST
def conflict_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConflictForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.declare_conflict(
                by=request.user,
                relation=data["relation"],
                unit=data["unit"],
                region=data["region"],
                department=data["department"],
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("已登记利益冲突，今后不会安排您评审相关单位。"))
    else:
        _form_errors(request, form)
    return redirect("reviews:profile")


@login_required
@require_POST
def conflict_delete(request: AuthenticatedHttpRequest, conflict_id: int) -> HttpResponse:
    declaration = selectors.access_own_conflict(request.user, conflict_id)
    services.withdraw_conflict(by=request.user, declaration=declaration)
    messages.success(request, _("已撤回该利益冲突申报。"))
    return redirect("reviews:profile")


# --- the review sheet --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    row: Row
    form: ScoreForm | None


def _sections(sheet: ReviewSheet, editable: bool, bound: ScoreForm | None = None) -> list[dict[str, Any]]:
    def entry(row: Row) -> Entry:
        if not (editable and row.is_leaf):
            return Entry(row, None)
        if bound is not None and bound.item.pk == row.item.pk:
            return Entry(row, bound)
        return Entry(row, ScoreForm(item=row.item, score=row.score))

    return [
        {"head": entry(section.head), "entries": [entry(row) for row in section.rows]}
        for section in sheet.sections
    ]


def _editable(request: AuthenticatedHttpRequest, review: Review) -> bool:
    return review.reviewer_id == request.user.pk and review.status == Review.Status.ASSIGNED


def _sheet_context(request: AuthenticatedHttpRequest, sheet: ReviewSheet, **extra: Any) -> dict[str, Any]:
    review = sheet.review
    editable = _editable(request, review)
    return {
        "review": review,
        "application": review.application,
        "unit": review.application.unit,
        "sheet": sheet,
        "editable": editable,
        "sections": _sections(sheet, editable, extra.pop("bound", None)),
        "submit_form": SubmitForm(initial={"comment": review.comment}),
        **extra,
    }


@login_required
def review_detail(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    review = selectors.access_review_by_id(request.user, review_id)
    sheet = selectors.load_review_sheet(review)
    return render(request, "reviews/review_detail.html", _sheet_context(request, sheet))


def _leaf_of(review: Review, item_id: int) -> Item:
    item = Item.objects.filter(version_id=review.application.campaign.version_id, pk=item_id).first()
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def save_score(request: AuthenticatedHttpRequest, review_id: int, item_id: int) -> HttpResponse:
    """Autosave of one item's score (htmx), or the plain POST without scripts."""
    review = selectors.access_review_by_id(request.user, review_id, for_change=True)
    item = _leaf_of(review, item_id)
    form = ScoreForm(request.POST, item=item)
    saved = None
    if form.is_valid():
        try:
            saved = services.save_score(by=request.user, review=review, item=item, **form.score())
        except ValidationError as error:
            add_service_errors(form, error)
    if wants_partial(request):
        sheet = selectors.load_review_sheet(review, with_photos=False)
        row = sheet.row(item.pk)
        context = {
            "sheet": sheet,
            "review": review,
            "form": form,
            "row": row,
            "saved": saved,
            "ancestors": [sheet.row(pk) for pk in row.ancestors],
        }
        return render(request, "reviews/_autosave.html", context)
    if saved is not None:
        messages.success(request, _("已保存“%(code)s”。") % {"code": item.code})
        return redirect(reverse("reviews:review_detail", args=[review.pk]) + f"#item-{item.pk}")
    sheet = selectors.load_review_sheet(review)
    return render(request, "reviews/review_detail.html", _sheet_context(request, sheet, bound=form))


@login_required
@require_POST
def upload_photo(request: AuthenticatedHttpRequest, review_id: int, item_id: int) -> HttpResponse:
    review = selectors.access_review_by_id(request.user, review_id, for_change=True)
    item = _leaf_of(review, item_id)
    form = PhotoForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            services.attach_photo(by=request.user, review=review, item=item, upload=form.cleaned_data["file"])
        except ValidationError as refused:
            error = " ".join(refused.messages)
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    if wants_partial(request):
        photos = list(review.photos.filter(item=item).order_by("uploaded_at", "pk"))
        context = {"review": review, "item": item, "photos": photos, "editable": True, "upload_error": error}
        return render(request, "reviews/_photos.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("照片已上传。"))
    return redirect(reverse("reviews:review_detail", args=[review.pk]) + f"#item-{item.pk}")


@login_required
def photo_file(request: AuthenticatedHttpRequest, review_id: int, photo_id: int) -> FileResponse:
    """The photo itself, to the reviewer and the offices running the campaign (404 for everybody else)."""
    review = selectors.access_review_by_id(request.user, review_id)
    photo = selectors.access_photo(review, photo_id)
    return _file_response(
        photo.file.name, filename=photo.original_name, content_type=photo.content_type, attachment=False
    )


@login_required
@require_POST
def submit(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    review = selectors.access_review_by_id(request.user, review_id, for_change=True)
    form = SubmitForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.submit_review(by=request.user, review=review, comment=comment)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("评审已提交，得分已记录。"))
    return redirect("reviews:review_detail", review_id=review.pk)


# --- the issuing office's pages ------------------------------------------------------------------------------------


def _run_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return access_campaign_by_id(request.user, campaign_id, for_change=True)


def _panel_fields(form: PanelForm) -> str:
    return str(form["kind"]) + str(form["reviewers"])


@login_required
def dashboard(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's review: counts by status, spot checks, panels with exclusions, progress and the ranking."""
    campaign = _run_campaign(request, campaign_id)
    board = selectors.dashboard_of(campaign)
    ranking = board.latest_ranking
    context = {
        "campaign": campaign,
        "board": board,
        "ranking": ranking,
        "ranking_rows": selectors.ranking_rows(ranking) if ranking is not None else [],
        # Rendered once: the same two fields sit in every application's row.
        "panel_fields": _panel_fields(PanelForm(reviewers=selectors.reviewers(), auto_id=False)),
        "spot_check_form": SpotCheckForm(),
    }
    return render(request, "reviews/dashboard.html", context)


@login_required
def spot_checks(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's spot checks and the draw form (POST draws)."""
    campaign = _run_campaign(request, campaign_id)
    form = SpotCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            spot_check = services.draw_spot_check(
                by=request.user,
                campaign=campaign,
                size=data["size"],
                weighted=data["weighted"],
                seed=data["seed"],
                purpose=data["purpose"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已抽取 %(n)d 份申报。") % {"n": len(spot_check.sample)})
            return redirect("reviews:spot_check_detail", spot_check_id=spot_check.pk)
    context = {
        "campaign": campaign,
        "spot_checks": list(campaign.spot_checks.select_related("created_by")),
        "form": form,
    }
    return render(request, "reviews/spot_checks.html", context)


@login_required
def spot_check_detail(request: AuthenticatedHttpRequest, spot_check_id: int) -> HttpResponse:
    spot_check = selectors.access_spot_check_by_id(request.user, spot_check_id)
    verification = services.verify_spot_check(spot_check)
    names = dict(
        spot_check.campaign.applications.filter(
            pk__in=[int(k) for k, _w in spot_check.population]
        ).values_list("pk", "unit__name")
    )
    drawn = set(spot_check.sample)
    population = [
        {"key": key, "weight": weight, "unit": names.get(int(key), ""), "drawn": key in drawn}
        for key, weight in spot_check.population
    ]
    sample = [{"key": key, "unit": names.get(int(key), "")} for key in spot_check.sample]
    context = {
        "spot_check": spot_check,
        "campaign": spot_check.campaign,
        "verification": verification,
        "population": population,
        "sample": sample,
    }
    return render(request, "reviews/spot_check_detail.html", context)


@login_required
@require_POST
def assign_panel(request: AuthenticatedHttpRequest, application_id: int) -> HttpResponse:
    application = selectors.access_run_application_by_id(request.user, application_id)
    form = PanelForm(request.POST, reviewers=selectors.reviewers())
    if form.is_valid():
        chosen = list(form.cleaned_data["reviewers"])
        try:
            panel = services.assign_panel(
                by=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                reviewers=chosen or None,
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            text = _("已指派 %(n)d 名评审专家。") % {"n": len(panel.reviews)}
            if panel.missing:
                text += _("还差 %(n)d 名：没有更多无需回避的评审专家。") % {"n": panel.missing}
            messages.success(request, text)
    else:
        _form_errors(request, form)
    return redirect(
        reverse("reviews:dashboard", args=[application.campaign_id]) + f"#application-{application.pk}"
    )


@login_required
@require_POST
def combine(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _run_campaign(request, campaign_id)
    combined = services.combine_scores(by=request.user, campaign=campaign)
    messages.success(request, _("已合成 %(n)d 份申报的最终得分。") % {"n": len(combined)})
    return redirect("reviews:dashboard", campaign_id=campaign.pk)


@login_required
@require_POST
def rank(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _run_campaign(request, campaign_id)
    try:
        run = services.rank_and_shortlist(by=request.user, campaign=campaign)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("reviews:dashboard", campaign_id=campaign.pk)
    messages.success(request, _("排名完成：%(n)d 份入围。") % {"n": run.shortlisted_count})
    return redirect("reviews:ranking_detail", ranking_id=run.pk)


@login_required
def ranking_detail(request: AuthenticatedHttpRequest, ranking_id: int) -> HttpResponse:
    run = selectors.access_ranking_by_id(request.user, ranking_id)
    context = {"run": run, "campaign": run.campaign, "rows": selectors.ranking_rows(run)}
    return render(request, "reviews/ranking_detail.html", context)
