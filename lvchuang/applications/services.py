"""Every write to an application: one function, one transaction, a history row (STYLE habit 1).

`apply_transition` is the only code that changes an application's state. It looks the transition up in
`workflow.TRANSITIONS`, checks the actor, the window (through `campaigns.windows.require_open`, which cites an
override when one opened it) and the transition's own requirements, changes the state, writes the
`ApplicationEvent`, and after commit has the task runner tell the unit.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.access import can_change_unit
from lvchuang.accounts.models import User
from lvchuang.applications import access
from lvchuang.applications.models import (
    FINAL_STATUSES,
    Application,
    ApplicationEvent,
    Batch,
    GoalComment,
    Route,
    Status,
)
from lvchuang.applications.selectors import published_applications
from lvchuang.applications.workflow import TRANSITIONS, Transition
from lvchuang.assessments.models import SelfAssessment
from lvchuang.campaigns import eligibility, windows
from lvchuang.campaigns.access import can_run_campaign
from lvchuang.campaigns.models import Action, Campaign
from lvchuang.lib import eligibility as engine
from lvchuang.organisations.models import Unit

ITEM_COMMENTS_MAX = 100


def _consent_of(application: Application) -> engine.Consent | None:
    if not application.has_consent:
        return None
    assert application.consent_given_on is not None
    return engine.Consent(application.consent_document, application.consent_given_on)


def explain_eligibility(
    application: Application, *, today: datetime.date | None = None
) -> eligibility.Explained:
    return eligibility.explain(
        application.campaign.program,
        application.unit,
        today=today or timezone.localdate(),
        consent=_consent_of(application),
    )


def route_of(unit: Unit) -> Route:
    """Units under a sector authority climb through it (seed 002); the rest by territory."""
    return Route.SECTOR if unit.sector_id is not None else Route.TERRITORIAL


@transaction.atomic
def create_application(*, by: User, campaign: Campaign, unit: Unit) -> Application:
    """A draft application. Refused when the unit can never be eligible (wrong kind, cooldown, missing
    prerequisite without a skip); a skip-level applicant may start a draft and ask for consent."""
    if not can_change_unit(by, unit):
        raise PermissionDenied
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("该创建活动已结束。"))
    if Application.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError(_("本单位已有该活动的申报，请打开原申报继续。"))
    explained = eligibility.explain(campaign.program, unit, today=timezone.localdate())
    hard = [line.text for line in explained.lines if line.refuses and line.outcome != "consent_needed"]
    if hard:
        raise ValidationError(hard)
    application = Application(
        campaign=campaign,
        unit=unit,
        route=route_of(unit),
        created_by=by,
        eligibility=explained.as_json(),
        exempt=explained.exempt,
    )
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(
        application=application, action="create", from_status="", to_status=Status.DRAFT, by=by
    )
    return application


@transaction.atomic
def save_goals(*, by: User, application: Application, goals: str, measures: str) -> Application:
    """The unit's creation goals and main measures (seed 000), editable until the application is final."""
    if not access.is_unit_side(by, application):
        raise PermissionDenied
    if application.status in FINAL_STATUSES:
        raise ValidationError(_("申报已结束，不能再修改创建目标。"))
    application.goals = goals.strip()
    application.measures = measures.strip()
    application.full_clean()
    application.save(update_fields=["goals", "measures", "updated_at"])
    return application


@transaction.atomic
def publish_goals(*, by: User, application: Application, today: datetime.date | None = None) -> Application:
    """Post the goals and measures on the public page for residents' comments (seed 000, implementation)."""
    application.refresh_from_db(
        fields=["status", "goals", "measures"]
    )  # the caller's copy may predate a transition
    if not access.is_unit_side(by, application):
        raise PermissionDenied
    if not application.goals or not application.measures:
        raise ValidationError(_("请先填写创建目标和主要措施。"))
    if application.status in (Status.DRAFT, Status.REJECTED, Status.WITHDRAWN):
        raise ValidationError(_("提交申报后方可公布创建目标。"))
    _open_window(application, Action.PUBLISH_GOALS, today)
    application.goals_published_at = timezone.now()
    application.save(update_fields=["goals_published_at", "updated_at"])
    return application


@transaction.atomic
def unpublish_goals(*, by: User, application: Application) -> Application:
    if not access.is_unit_side(by, application):
        raise PermissionDenied
    application.goals_published_at = None
    application.save(update_fields=["goals_published_at", "updated_at"])
    return application


@transaction.atomic
def record_consent(
    *, by: User, application: Application, document: str, given_on: datetime.date, note: str = ""
) -> Application:
    """The committee's consent to a skip-level application (越级申报, seed 002), recorded by the issuing office."""
    if not can_run_campaign(by, application.campaign):
        raise PermissionDenied
    if not application.campaign.program.skip_level_allowed:
        raise ValidationError(_("该称号不允许越级申报。"))
    if application.status not in (Status.DRAFT, Status.RETURNED, Status.SUBMITTED):
        raise ValidationError(_("申报已进入审核，不能再登记越级申报同意。"))
    if not document.strip():
        raise ValidationError({"consent_document": _("请填写同意文件的文号。")})
    application.consent_document = document.strip()
    application.consent_given_on = given_on
    application.consent_note = note.strip()
    application.consent_recorded_by = by
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        action="consent",
        from_status=application.status,
        to_status=application.status,
        by=by,
        comment=_("登记越级申报同意：%(document)s") % {"document": application.consent_document},
    )
    return application


def _open_window(application: Application, action: str, today: datetime.date | None) -> windows.Window:
    """The window of `action` at the application's place: its unit's region, or its sector department."""
    return windows.require_open(
        application.campaign,
        action,
        region_path=application.unit.region.path,
        department_id=application.unit.sector_id if application.route == Route.SECTOR else None,
        today=today,
    )


def _completed_assessment(application: Application) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(
            unit=application.unit,
            version=application.campaign.version,
            status=SelfAssessment.Status.COMPLETED,
        )
        .order_by("-completed_at")
        .first()
    )


def _require_submittable(application: Application, today: datetime.date) -> SelfAssessment | None:
    explained = explain_eligibility(application, today=today)
    application.eligibility = explained.as_json()
    application.exempt = explained.exempt
    if not explained.eligible:
        raise ValidationError(explained.refusals)
    assessment = _completed_assessment(application)
    if assessment is None and not application.exempt:
        raise ValidationError(
            _("请先按“%(version)s”完成自评，再提交申报。") % {"version": application.campaign.version}
        )
    return assessment


def _require_batch(application: Application) -> None:
    if not access.needs_batch(application):
        return
    batch = application.batch
    if batch is None or batch.status != Batch.Status.SUBMITTED:
        raise ValidationError(_("该申报尚未随盖章的申报表报送，不能初审。"))


def _clean_item_comments(items: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
    cleaned = [
        {
            "item": str(entry.get("item", "")).strip()[:20],
            "comment": str(entry.get("comment", "")).strip()[:500],
        }
        for entry in items
    ]
    cleaned = [entry for entry in cleaned if entry["comment"]]
    if len(cleaned) > ITEM_COMMENTS_MAX:
        raise ValidationError(_("逐项意见过多。"))
    return cleaned


@transaction.atomic
def apply_transition(
    *,
    by: User,
    application: Application,
    name: str,
    comment: str = "",
    item_comments: Iterable[Mapping[str, str]] = (),
    today: datetime.date | None = None,
) -> Application:
    transition: Transition | None = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("未知的操作。"))
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "unit__region", "campaign__program", "campaign__office__region", "campaign__version", "batch"
        )
        .get(pk=application.pk)
    )
    if not transition.actor(by, application):
        raise PermissionDenied
    if application.status not in transition.sources:
        raise ValidationError(
            _("申报当前为“%(status)s”，不能“%(action)s”。")
            % {"status": application.get_status_display(), "action": transition.label}
        )
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise ValidationError({"comment": _("请写明意见，告诉申报单位原因和需要修改的内容。")})
    today = today or timezone.localdate()
    window = None
    if transition.window is not None:
        window = _open_window(application, transition.window, today)

    update = ["status", "updated_at"]
    if name == "submit":
        assessment = _require_submittable(application, today)
        application.assessment = assessment
        application.self_score = assessment.total if assessment else None
        application.submitted_at = timezone.now()
        update += ["assessment", "self_score", "submitted_at", "eligibility", "exempt"]
    elif name == "check":
        _require_batch(application)
    elif name in ("return", "reject", "withdraw") and application.batch_id is not None:
        application.batch = None
        update.append("batch")

    source = application.status
    application.status = transition.target
    application.save(update_fields=update)
    event = ApplicationEvent.objects.create(
        application=application,
        action=name,
        from_status=source,
        to_status=transition.target,
        by=by,
        comment=comment,
        item_comments=_clean_item_comments(item_comments) if name == "return" else [],
        override=window.override if window else None,
    )
    _notify_on_commit(event)
    return application


def _notify_on_commit(event: ApplicationEvent) -> None:
    from lvchuang.applications.tasks import notify_unit_of_event  # the task module imports the services

    transaction.on_commit(lambda: notify_unit_of_event.enqueue(event.pk))


# The transitions by name, for readers and callers that prefer a verb (STYLE: submit_application(*, …)).


def submit_application(
    *, by: User, application: Application, today: datetime.date | None = None
) -> Application:
    return apply_transition(by=by, application=application, name="submit", today=today)


def recommend_application(
    *, by: User, application: Application, comment: str = "", today: datetime.date | None = None
) -> Application:
    return apply_transition(by=by, application=application, name="recommend", comment=comment, today=today)


def approve_application(
    *, by: User, application: Application, comment: str = "", today: datetime.date | None = None
) -> Application:
    return apply_transition(by=by, application=application, name="approve", comment=comment, today=today)


def check_application(
    *, by: User, application: Application, comment: str = "", today: datetime.date | None = None
) -> Application:
    return apply_transition(by=by, application=application, name="check", comment=comment, today=today)


def start_review(*, by: User, application: Application, today: datetime.date | None = None) -> Application:
    return apply_transition(by=by, application=application, name="start_review", today=today)


def return_application(
    *,
    by: User,
    application: Application,
    comment: str,
    item_comments: Iterable[Mapping[str, str]] = (),
) -> Application:
    return apply_transition(
        by=by, application=application, name="return", comment=comment, item_comments=item_comments
    )


def reject_application(*, by: User, application: Application, comment: str) -> Application:
    return apply_transition(by=by, application=application, name="reject", comment=comment)


def withdraw_application(*, by: User, application: Application, comment: str = "") -> Application:
    return apply_transition(by=by, application=application, name="withdraw", comment=comment)


def latest_return(application: Application) -> ApplicationEvent | None:
    """What the unit must fix: the last return, while the application is returned."""
    if application.status != Status.RETURNED:
        return None
    return application.events.filter(action="return").order_by("-at", "-pk").first()


# --- residents' comments on published goals (社会监督和评议, seed 000) ----------------------------------------

COMMENTS_PER_WINDOW = 5
COMMENT_WINDOW_SECONDS = 600


def client_hash_of(address: str) -> str:
    """The commenter's address, hashed with the site's secret: enough to rate-limit, nothing to identify."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:goal-comment:{address}".encode()).hexdigest()


@transaction.atomic
def post_goal_comment(
    *, application: Application, author_name: str, content: str, client_address: str
) -> GoalComment:
    """A resident's comment on published goals; at most 5 from one address in 10 minutes."""
    if not published_applications().filter(pk=application.pk).exists():
        raise ValidationError(_("该单位的创建目标未公布，不能评议。"))
    author_name, content = author_name.strip(), content.strip()
    if not author_name or not content:
        raise ValidationError(_("请填写署名和评议内容。"))
    client_hash = client_hash_of(client_address)
    key = f"goal-comment:{client_hash}"
    cache.add(key, 0, timeout=COMMENT_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=COMMENT_WINDOW_SECONDS)
        count = 1
    if count > COMMENTS_PER_WINDOW:
        raise ValidationError(
            _("提交过于频繁：每 %(minutes)s 分钟最多提交 %(count)s 条评议，请稍后再试，您填写的内容已保留。")
            % {"minutes": COMMENT_WINDOW_SECONDS // 60, "count": COMMENTS_PER_WINDOW}
        )
    comment = GoalComment(
        application=application, author_name=author_name, content=content, client_hash=client_hash
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def hide_goal_comment(*, by: User, comment: GoalComment, reason: str) -> GoalComment:
    """The unit, or an office over it, hides an abusive comment and says why (the audit trail keeps it)."""
    application = comment.application
    if not (access.is_unit_side(by, application) or access.is_holder(by, application)):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("请写明隐藏理由。")})
    comment.is_hidden = True
    comment.hidden_reason = reason.strip()
    comment.full_clean()
    comment.save(update_fields=["is_hidden", "hidden_reason"])
    return comment
