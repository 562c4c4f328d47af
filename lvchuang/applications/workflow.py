"""The application state machine, in one table (docs/workflow.md draws it).

Each transition names the states it leaves, the state it reaches, the actor who may take it (checked through
`applications.access`), the campaign action whose window must be open (None: never closed — a level can always
return or reject, a unit can always withdraw) and whether a comment is required. `services.apply_transition`
is the only code that changes `Application.status`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvchuang.accounts.models import User
from lvchuang.applications import access
from lvchuang.applications.models import ACTIVE_STATUSES, Application, Status
from lvchuang.campaigns.models import Action

Actor = Callable[[User | AnonymousUser, Application], bool]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: tuple[Status, ...]
    target: Status
    actor: Actor
    actor_label: str | Promise
    window: Action | None = None
    needs_comment: bool = False
    # Taken by a service (ranking, an upheld objection, naming), never from a button.
    automatic: bool = False


def _street_holds(user: User | AnonymousUser, application: Application) -> bool:
    return access.has_street_level(application) and access.is_street(user, application)


def _approver_holds(user: User | AnonymousUser, application: Application) -> bool:
    # From `submitted` only when there is no street between the unit and the approver (sector units, units
    # sitting directly in a district); from `recommended` otherwise.
    if application.status == Status.SUBMITTED and access.has_street_level(application):
        return False
    return access.is_approver(user, application)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            _("提交申报"),
            (Status.DRAFT, Status.RETURNED),
            Status.SUBMITTED,
            access.is_unit_side,
            _("创建单位"),
            window=Action.SUBMIT,
        ),
        Transition(
            "recommend",
            _("街道推荐"),
            (Status.SUBMITTED,),
            Status.RECOMMENDED,
            _street_holds,
            _("街道/乡镇"),
            window=Action.RECOMMEND,
        ),
        Transition(
            "approve",
            _("审核通过"),
            (Status.SUBMITTED, Status.RECOMMENDED),
            Status.APPROVED,
            _approver_holds,
            _("区县创建办或主管部门"),
            window=Action.APPROVE,
        ),
        Transition(
            "check",
            _("初审通过"),
            (Status.APPROVED,),
            Status.CHECKED,
            access.is_issuer,
            _("组织单位（市创建办）"),
            window=Action.CHECK,
        ),
        Transition(
            "start_review",
            _("进入评审"),
            (Status.CHECKED,),
            Status.UNDER_REVIEW,
            access.is_issuer,
            _("组织单位（市创建办）"),
            window=Action.REVIEW,
        ),
        Transition(
            "shortlist",
            _("入围"),
            (Status.CHECKED, Status.UNDER_REVIEW),
            Status.SHORTLISTED,
            access.is_issuer,
            _("组织单位（市创建办）"),
            window=Action.SHORTLIST,
            automatic=True,
        ),
        Transition(
            "cut",
            _("未入围"),
            (Status.UNDER_REVIEW,),
            Status.REJECTED,
            access.is_issuer,
            _("组织单位（市创建办）"),
            window=Action.SHORTLIST,
            automatic=True,
        ),
        Transition(
            "remove_on_objection",
            _("异议成立，移出公示名单"),
            (Status.SHORTLISTED,),
            Status.REJECTED,
            access.is_issuer,
            _("组织单位（市创建办）"),
            needs_comment=True,
            automatic=True,
        ),
        Transition(
            "name",
            _("命名"),
            (Status.SHORTLISTED,),
            Status.NAMED,
            access.is_issuer,
            _("组织单位（市创建办）"),
            automatic=True,
        ),
        Transition(
            "return",
            _("退回修改"),
            ACTIVE_STATUSES,
            Status.RETURNED,
            access.is_holder,
            _("当前审核层级"),
            needs_comment=True,
        ),
        Transition(
            "reject",
            _("不予通过"),
            ACTIVE_STATUSES,
            Status.REJECTED,
            access.is_holder,
            _("当前审核层级"),
            needs_comment=True,
        ),
        Transition(
            "withdraw",
            _("撤回申报"),
            (Status.DRAFT, Status.RETURNED, *ACTIVE_STATUSES),
            Status.WITHDRAWN,
            access.is_unit_side,
            _("创建单位"),
        ),
    )
}


def available(user: User | AnonymousUser, application: Application) -> list[Transition]:
    """The transitions this user may offer on this application now (windows are checked when taken)."""
    return [
        t
        for t in TRANSITIONS.values()
        if not t.automatic and application.status in t.sources and t.actor(user, application)
    ]
