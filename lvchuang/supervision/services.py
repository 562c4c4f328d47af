"""Every write of supervision (docs/workflow.md, "Re-inspection, rectification and revocation"): one function,
one transaction, keyword-only with `by` first (STYLE habit 1).

Who acts:
- re-inspections are created, drawn, recorded and closed by the organising office and the offices above it
  (`access.can_run_reinspection`); the office must be at or above the level of the program's titles, so that the
  orders it issues are its own to decide;
- rectification orders outside a re-inspection, acceptance, rejection and revocation are the offices that manage
  the title (`titles.access.can_manage_title`);
- the unit that holds the title reports its rectification (`access.can_answer_order`).

A title's status changes only through `titles.lifecycle`. Deadlines are read from the program
(`rectification_months`, seed 003: one month) with calendar-month arithmetic (`lib/months.py`).
"""

from __future__ import annotations

import datetime
import re
from contextlib import nullcontext
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvchuang.accounts.access import can_manage_organisations_in
from lvchuang.accounts.models import User
from lvchuang.assessments import files
from lvchuang.assessments.services import human_size, max_file_bytes
from lvchuang.campaigns.models import Program, TitleLevel
from lvchuang.lib import sampling
from lvchuang.lib.months import add_months
from lvchuang.organisations.models import Office
from lvchuang.standards.models import StandardVersion
from lvchuang.supervision.access import can_answer_order, can_run_reinspection
from lvchuang.supervision.models import Inspection, RectificationOrder, Reinspection, RevocationProposal
from lvchuang.titles import lifecycle
from lvchuang.titles.access import LEVEL_DEPTH, can_manage_title
from lvchuang.titles.models import Title

Kind = Reinspection.Kind
OrderStatus = RectificationOrder.Status
ProposalStatus = RevocationProposal.Status
Result = Inspection.Result

# Orders the unit still has to act on, or the office still has to decide.
UNFINISHED_ORDER_STATUSES = (OrderStatus.OPEN, OrderStatus.REPORTED)
REASON_MAX_LENGTH = 300  # TitleEvent.reason and RevocationProposal.reason


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _clip(text: str, limit: int = REASON_MAX_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _require_runs(by: User, reinspection: Reinspection) -> None:
    if not can_run_reinspection(by, reinspection):
        raise PermissionDenied(_("只有组织复核的创建办及其上级可以进行该操作。"))


def _require_manages(by: User, title: Title) -> None:
    if not can_manage_title(by, title):
        raise PermissionDenied(_("只有管理该称号的创建办（命名机关及其上级）可以进行该操作。"))


def _locked_title(title: Title) -> Title:
    return (
        Title.objects.select_for_update(of=("self",))
        .select_related("unit__region", "program", "campaign")
        .get(pk=title.pk)
    )


# --- re-inspections ---------------------------------------------------------------------------------------------


def office_covers_program(office: Office, program: Program) -> bool:
    """An office may re-inspect a program's titles when it sits at or above their level (a district office
    re-inspects district titles; the city office district and city titles). National titles: none."""
    depth = LEVEL_DEPTH.get(TitleLevel(program.level))
    return depth is not None and len(office.region.path) <= depth.prefix_length


@transaction.atomic
def create_reinspection(
    *,
    by: User,
    office: Office,
    program: Program,
    year: int,
    name: str,
    kind: str,
    sample_size: int = 0,
    risk_weighted: bool = False,
    risk_factor: Decimal | float | None = None,
    version: StandardVersion | None = None,
    notes: str = "",
) -> Reinspection:
    """Plan a re-inspection: a sample of the program's titles in force in the office's region (回头看), or a
    re-check of every holder against a new published version of the program's standard."""
    if not can_manage_organisations_in(by, office.region):
        raise PermissionDenied(_("您不在该创建办工作，也不是它的上级，不能以它的名义组织复核。"))
    if not office_covers_program(office, program):
        raise ValidationError(
            {
                "program": _(
                    "%(office)s 不负责管理%(level)s称号“%(program)s”，复核应由命名机关或其上级组织。"
                )
                % {"office": office.name, "level": program.get_level_display(), "program": program.name}
            }
        )
    if kind not in Kind.values:
        raise ValidationError({"kind": _("复核类型只能是抽样复核或新标准复查。")})
    if kind == Kind.STANDARD_RECHECK:
        if version is None:
            raise ValidationError({"version": _("新标准复查须选择对照的标准版本。")})
        if version.standard_id != program.standard_id:
            raise ValidationError(
                {"version": _("请选择“%(program)s”所用评价标准的版本。") % {"program": program.name}}
            )
        if version.status != StandardVersion.Status.PUBLISHED:
            raise ValidationError({"version": _("只能对照已发布的标准版本复查。")})
        sample_size, risk_weighted = 0, False
    elif sample_size < 1:
        raise ValidationError({"sample_size": _("抽样复核的抽取数量至少为 1。")})
    reinspection = Reinspection(
        office=office,
        program=program,
        year=year,
        name=name.strip(),
        kind=kind,
        version=version if kind == Kind.STANDARD_RECHECK else None,
        sample_size=sample_size,
        risk_weighted=risk_weighted,
        notes=notes.strip(),
        created_by=by,
    )
    if risk_factor is not None:
        reinspection.risk_factor = Decimal(str(risk_factor))
    if not reinspection.name:
        raise ValidationError({"name": _("请填写复核名称，如“2026年节能环保社区回头看”。")})
    reinspection.full_clean()
    with set_actor(by):
        reinspection.save()
    return reinspection


def units_with_rectification_history(unit_ids: set[int]) -> set[int]:
    """The units among `unit_ids` that have had a rectification order on any of their titles."""
    return set(
        RectificationOrder.objects.filter(title__unit_id__in=unit_ids).values_list(
            "title__unit_id", flat=True
        )
    )


def population_of(reinspection: Reinspection) -> list[sampling.Candidate]:
    """The titles a re-inspection draws from, keyed by title id as text, with their weights.

    Titles in force of the program whose unit lies in the office's region; for a standard re-check only those
    named against another version of the standard (or recorded without a campaign). With risk weighting, a
    title whose unit has a rectification order in its history weighs `risk_factor`, every other 1.
    """
    titles = Title.objects.filter(
        program_id=reinspection.program_id,
        status__in=lifecycle.IN_FORCE,
        unit__region__path__startswith=reinspection.office.region.path,
    )
    if reinspection.kind == Kind.STANDARD_RECHECK:
        titles = titles.exclude(campaign__version_id=reinspection.version_id, campaign__isnull=False)
    rows = list(titles.order_by("pk").values_list("pk", "unit_id"))
    risky: set[int] = set()
    if reinspection.risk_weighted:
        risky = units_with_rectification_history({unit_id for _pk, unit_id in rows})
    factor = float(reinspection.risk_factor)
    return [
        sampling.Candidate(
            str(pk),
            sampling.risk_weight(
                score_jump=None, jump_threshold=0.0, had_rectification=unit_id in risky, factor=factor
            ),
        )
        for pk, unit_id in rows
    ]


def _stored_population(reinspection: Reinspection) -> list[sampling.Candidate]:
    return [sampling.Candidate(str(row["key"]), float(row["weight"])) for row in reinspection.population]


def _sample_from(reinspection: Reinspection, population: list[sampling.Candidate]) -> list[str]:
    if reinspection.kind == Kind.STANDARD_RECHECK:
        return sorted((c.key for c in population), key=int)
    return sampling.draw(population, reinspection.sample_size, reinspection.seed)


@transaction.atomic
def draw_sample(*, by: User, reinspection: Reinspection, seed: str | None = None) -> Reinspection:
    """Draw the sample (seed, population with weights and sample are stored) — or, for a standard re-check,
    take every holder — and create one inspection per drawn title."""
    reinspection = (
        Reinspection.objects.select_for_update(of=("self",))
        .select_related("office__region")
        .get(pk=reinspection.pk)
    )
    _require_runs(by, reinspection)
    if reinspection.status != Reinspection.Status.PLANNED:
        raise ValidationError(_("样本已经抽取，不能重新抽取；可以用“重新抽取核验”核对。"))
    population = population_of(reinspection)
    if not population:
        raise ValidationError(_("没有可复核的称号：本辖区内该称号没有有效或整改中的持有单位。"))
    if reinspection.kind == Kind.SAMPLE:
        reinspection.seed = (seed or "").strip() or sampling.new_seed()
    reinspection.population = [{"key": c.key, "weight": c.weight} for c in population]
    reinspection.sample = _sample_from(reinspection, population)
    reinspection.status = Reinspection.Status.DRAWN
    reinspection.drawn_at = timezone.now()
    reinspection.full_clean()
    with set_actor(by):
        reinspection.save()
        for key in reinspection.sample:
            Inspection.objects.create(reinspection=reinspection, title_id=int(key))
    return reinspection


def redraw(reinspection: Reinspection) -> list[str]:
    """The sample drawn again from the stored seed and population."""
    return _sample_from(reinspection, _stored_population(reinspection))


def verify_sample(reinspection: Reinspection) -> bool:
    """Re-run the draw from the stored seed and population: True when it gives the stored sample."""
    if reinspection.status == Reinspection.Status.PLANNED:
        return False
    return redraw(reinspection) == [str(key) for key in reinspection.sample]


def _close_if_complete(reinspection: Reinspection, by: User) -> None:
    if not reinspection.inspections.filter(result=Result.PENDING).exists():
        reinspection.status = Reinspection.Status.CLOSED
        with set_actor(by):
            reinspection.save(update_fields=["status"])


@transaction.atomic
def record_inspection(
    *,
    by: User,
    inspection: Inspection,
    result: str,
    inspected_on: datetime.date,
    findings: str,
    score: Decimal | None = None,
    requirements: str = "",
    today: datetime.date | None = None,
) -> Inspection:
    """Record one inspection's result. A failed inspection issues a rectification order and puts the title under
    rectification; when every inspection has a result, the re-inspection closes."""
    today = _today(today)
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    reinspection = (
        Reinspection.objects.select_for_update(of=("self",))
        .select_related("office__region", "program")
        .get(pk=inspection.reinspection_id)
    )
    _require_runs(by, reinspection)
    if reinspection.status != Reinspection.Status.DRAWN:
        raise ValidationError(_("复核不在检查中，不能记录结论。"))
    if inspection.result != Result.PENDING:
        raise ValidationError(_("该单位的检查结论已经记录，不能修改。"))
    if result not in (Result.PASSED, Result.FAILED):
        raise ValidationError({"result": _("请选择“合格”或“不合格”。")})
    if inspected_on > today:
        raise ValidationError({"inspected_on": _("检查日期不能晚于今天。")})
    findings = findings.strip()
    if result == Result.FAILED and not findings:
        raise ValidationError({"findings": _("不合格时请写明检查发现的问题。")})
    inspection.result = result
    inspection.inspected_on = inspected_on
    inspection.findings = findings
    inspection.score = score
    inspection.inspector = by
    inspection.full_clean()
    with set_actor(by):
        inspection.save()
    if result == Result.FAILED:
        _issue(
            by=by,
            title=inspection.title,
            requirements=requirements,
            today=today,
            inspection=inspection,
            cause=_("%(name)s复核不合格") % {"name": reinspection.name},
        )
    _close_if_complete(reinspection, by)
    inspection.reinspection = reinspection
    return inspection


@transaction.atomic
def close_reinspection(*, by: User, reinspection: Reinspection, note: str = "") -> Reinspection:
    """Close a re-inspection. With inspections still pending (a title expired or revoked meanwhile), say why."""
    reinspection = (
        Reinspection.objects.select_for_update(of=("self",))
        .select_related("office__region")
        .get(pk=reinspection.pk)
    )
    _require_runs(by, reinspection)
    if reinspection.status != Reinspection.Status.DRAWN:
        raise ValidationError(_("只有检查中的复核可以结束。"))
    pending = reinspection.inspections.filter(result=Result.PENDING).count()
    note = note.strip()
    if pending and not note:
        raise ValidationError(
            {
                "note": _("还有 %(n)d 家单位没有检查结论；如确需结束，请说明原因（如称号已过期）。")
                % {"n": pending}
            }
        )
    if note:
        reinspection.notes = "\n".join(
            filter(None, [reinspection.notes, _("结束说明：%(note)s") % {"note": note}])
        )
    reinspection.status = Reinspection.Status.CLOSED
    with set_actor(by):
        reinspection.save(update_fields=["status", "notes"])
    return reinspection


# --- rectification orders ---------------------------------------------------------------------------------------

NUMBER_PATTERN = re.compile(r"^ZG(\d{4})-(\d+)$")


def _next_number(year: int) -> str:
    """'ZG2026-0007': the year of issue and a running number within it."""
    prefix = f"ZG{year}-"
    numbers = RectificationOrder.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    used = [int(match.group(2)) for number in numbers if (match := NUMBER_PATTERN.match(number))]
    return f"{prefix}{max(used, default=0) + 1:04d}"


def _issue(
    *,
    by: User,
    title: Title,
    requirements: str,
    today: datetime.date,
    inspection: Inspection | None,
    cause: str,
) -> RectificationOrder:
    title = _locked_title(title)
    requirements = requirements.strip()
    if not requirements:
        raise ValidationError({"requirements": _("请写明整改要求：要整改什么，做到什么程度。")})
    if title.status not in lifecycle.IN_FORCE:
        raise ValidationError(
            _("称号当前为“%(status)s”，不能下达整改通知。") % {"status": title.get_status_display()}
        )
    unfinished = title.rectification_orders.filter(status__in=UNFINISHED_ORDER_STATUSES).first()
    if unfinished is not None:
        raise ValidationError(
            _("该称号已有未完成的整改通知 %(number)s（期限 %(due)s），请在其中提出要求。")
            % {"number": unfinished.number, "due": unfinished.due_on.isoformat()}
        )
    due_on = add_months(today, title.program.rectification_months)
    order = RectificationOrder(
        title=title,
        inspection=inspection,
        requirements=requirements,
        issued_on=today,
        due_on=due_on,
        issued_by=by,
    )
    for _attempt in range(5):
        order.number = _next_number(today.year)
        order.full_clean()
        try:
            with transaction.atomic(), set_actor(by):
                order.save()
            break
        except IntegrityError:  # another order took the number meanwhile
            order.pk = None
    else:
        raise ValidationError(_("整改通知编号冲突，请重试。"))
    if title.status == Title.Status.VALID:
        lifecycle.start_rectification(
            title=title,
            by=by,
            on=today,
            reason=_clip(
                _("%(cause)s，下达整改通知 %(number)s，限 %(due)s 前整改")
                % {"cause": cause, "number": order.number, "due": due_on.isoformat()}
            ),
        )
    order.title = Title.objects.select_related("unit__region", "program").get(pk=title.pk)
    return order


@transaction.atomic
def issue_order(
    *, by: User, title: Title, requirements: str, today: datetime.date | None = None
) -> RectificationOrder:
    """A rectification order for a problem found outside a re-inspection (a complaint, a routine visit)."""
    _require_manages(by, title)
    return _issue(
        by=by,
        title=title,
        requirements=requirements,
        today=_today(today),
        inspection=None,
        cause=_("检查发现问题"),
    )


def _locked_order(order: RectificationOrder) -> RectificationOrder:
    return (
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("title__unit__region", "title__program", "title__campaign__office__region")
        .get(pk=order.pk)
    )


@transaction.atomic
def report_rectification(
    *,
    by: User,
    order: RectificationOrder,
    report: str,
    upload: UploadedFile | None = None,
    today: datetime.date | None = None,
) -> RectificationOrder:
    """The unit reports what it fixed, with an optional file (type checked by its bytes). Allowed while the order
    is open and its due date has not passed: an order past its due date is overdue and closed to reports."""
    today = _today(today)
    order = _locked_order(order)
    if not can_answer_order(by, order):
        raise PermissionDenied(_("只有持有该称号的单位可以报送整改报告。"))
    if order.status != OrderStatus.OPEN:
        raise ValidationError(
            _("整改通知当前为“%(status)s”，不能再报送。") % {"status": order.get_status_display()}
        )
    if today > order.due_on:
        raise ValidationError(
            _("整改期限 %(due)s 已过，不能再报送整改报告；请与创建办联系。")
            % {"due": order.due_on.isoformat()}
        )
    report = report.strip()
    if not report:
        raise ValidationError({"report": _("请写明整改情况：做了哪些整改，效果如何。")})
    stored = ""
    if upload is not None:
        size = upload.size or 0
        if size == 0:
            raise ValidationError({"upload": _("文件是空的，未上传。")})
        if size > max_file_bytes():
            raise ValidationError({"upload": _("文件大小 %(size)s，超过上限。") % {"size": human_size(size)}})
        try:
            kind = files.identify(upload)
        except files.RefusedFile as error:
            raise ValidationError({"upload": str(error)}) from error
        order.report_file.save(f"report{kind.extensions[0]}", upload, save=False)
        stored = order.report_file.name
        order.report_file_name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1].strip()[-255:]
    order.report = report
    order.reported_on = today
    order.status = OrderStatus.REPORTED
    try:
        order.full_clean()
        with set_actor(by):
            order.save()
    except BaseException:
        if stored:
            order.report_file.storage.delete(stored)
        raise
    return order


def _decide_order(
    *, by: User, order: RectificationOrder, note: str, today: datetime.date, status: str
) -> RectificationOrder:
    order = _locked_order(order)
    _require_manages(by, order.title)
    if order.status != OrderStatus.REPORTED:
        raise ValidationError(_("单位报送整改报告后才能验收。"))
    order.status = status
    order.decided_on = today
    order.decision_note = note.strip()
    order.full_clean()
    with set_actor(by):
        order.save()
    return order


@transaction.atomic
def accept_rectification(
    *, by: User, order: RectificationOrder, note: str = "", today: datetime.date | None = None
) -> RectificationOrder:
    """The office accepts the rectification: the order is done and the title valid again."""
    today = _today(today)
    order = _decide_order(by=by, order=order, note=note, today=today, status=OrderStatus.ACCEPTED)
    if order.title.status == Title.Status.UNDER_RECTIFICATION:
        order.title = lifecycle.end_rectification(
            title=order.title,
            by=by,
            on=today,
            reason=_("整改通知 %(number)s 整改合格") % {"number": order.number},
        )
    return order


@transaction.atomic
def reject_rectification(
    *, by: User, order: RectificationOrder, note: str, today: datetime.date | None = None
) -> RectificationOrder:
    """The office finds the rectification insufficient: the order fails and revocation is proposed (unless a
    proposal for the title is already waiting for a decision)."""
    today = _today(today)
    if not note.strip():
        raise ValidationError({"note": _("请写明整改不合格的理由。")})
    order = _decide_order(by=by, order=order, note=note, today=today, status=OrderStatus.FAILED)
    if _open_proposal(order.title) is not None:  # already proposed (e.g. on an event): that proposal stands
        return order
    propose_revocation(
        by=by,
        title=order.title,
        reason=_clip(
            _("整改通知 %(number)s 整改不合格：%(note)s")
            % {"number": order.number, "note": order.decision_note}
        ),
        order=order,
        today=today,
    )
    return order


@transaction.atomic
def mark_overdue(*, today: datetime.date | None = None) -> int:
    """Every open order whose due date has passed becomes overdue, and revocation is proposed for its title (by
    nobody: the system). Reported orders wait for the office's decision. Running it again changes nothing."""
    today = _today(today)
    count = 0
    due = RectificationOrder.objects.filter(status=OrderStatus.OPEN, due_on__lt=today).order_by(
        "due_on", "pk"
    )
    for order in due.select_related("title"):
        order.status = OrderStatus.OVERDUE
        order.save(update_fields=["status"])
        count += 1
        title = _locked_title(order.title)
        if title.status not in lifecycle.IN_FORCE or _open_proposal(title) is not None:
            continue
        _raise_proposal(
            by=None,
            title=title,
            order=order,
            today=today,
            reason=_clip(
                _("逾期未完成整改（整改通知 %(number)s，期限 %(due)s）")
                % {"number": order.number, "due": order.due_on.isoformat()}
            ),
        )
    return count


# --- revocation ---------------------------------------------------------------------------------------------------


def _open_proposal(title: Title) -> RevocationProposal | None:
    return title.revocation_proposals.filter(status=ProposalStatus.PROPOSED).first()


def _raise_proposal(
    *, by: User | None, title: Title, reason: str, order: RectificationOrder | None, today: datetime.date
) -> RevocationProposal:
    proposal = RevocationProposal(title=title, order=order, reason=reason, proposed_on=today, proposed_by=by)
    proposal.full_clean()
    with set_actor(by) if by is not None else nullcontext():
        proposal.save()
    return proposal


@transaction.atomic
def propose_revocation(
    *,
    by: User,
    title: Title,
    reason: str,
    order: RectificationOrder | None = None,
    today: datetime.date | None = None,
) -> RevocationProposal:
    """Propose revoking a title: after a failed rectification, or on an event such as a major pollution accident
    (seed 002). The reason becomes public if the title is revoked."""
    _require_manages(by, title)
    title = _locked_title(title)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请写明撤销理由，决定撤销后将公开。")})
    if title.status not in lifecycle.IN_FORCE:
        raise ValidationError(
            _("称号当前为“%(status)s”，不能提出撤销。") % {"status": title.get_status_display()}
        )
    existing = _open_proposal(title)
    if existing is not None:
        raise ValidationError(
            _("该称号已有一项待决定的撤销建议（%(on)s 提出）。") % {"on": existing.proposed_on.isoformat()}
        )
    if order is not None and order.title_id != title.pk:
        raise ValidationError({"order": _("整改通知不属于该称号。")})
    return _raise_proposal(by=by, title=title, reason=_clip(reason), order=order, today=_today(today))


@transaction.atomic
def decide_revocation(
    *,
    by: User,
    proposal: RevocationProposal,
    revoke: bool,
    document_number: str,
    note: str,
    reason: str | None = None,
    today: datetime.date | None = None,
) -> RevocationProposal:
    """Decide a proposal. Revoke: the title is revoked with the public reason (the proposal's unless another is
    given) and the deciding document, its unfinished orders end, and its pending award payments are cancelled.
    Decline: the title stays as it is (under rectification after a failed order: issue a new order to go on)."""
    today = _today(today)
    proposal = (
        RevocationProposal.objects.select_for_update(of=("self",))
        .select_related("title__unit__region", "title__program", "title__campaign__office__region")
        .get(pk=proposal.pk)
    )
    _require_manages(by, proposal.title)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("该撤销建议已经决定。"))
    document_number = document_number.strip()
    note = note.strip()
    if revoke:
        public_reason = _clip((reason or "").strip() or proposal.reason)
        if not document_number:
            raise ValidationError({"document_number": _("撤销称号须填写撤销决定的文号。")})
        title = lifecycle.revoke(
            title=proposal.title, by=by, on=today, reason=public_reason, document_number=document_number
        )
        proposal.status = ProposalStatus.REVOKED
        proposal.reason = public_reason
        _end_unfinished_orders(by=by, title=title, today=today, document_number=document_number)
        from lvchuang.naming.services import cancel_pending_awards

        cancel_pending_awards(
            by=by,
            title=title,
            reason=_clip(
                _("称号已撤销（%(document)s）：%(reason)s")
                % {"document": document_number, "reason": public_reason}
            ),
        )
    else:
        if not note:
            raise ValidationError({"note": _("请写明不予撤销的理由。")})
        proposal.status = ProposalStatus.DECLINED
    proposal.decided_on = today
    proposal.document_number = document_number
    proposal.decision_note = note
    proposal.decided_by = by
    proposal.full_clean()
    with set_actor(by):
        proposal.save()
    return proposal


def _end_unfinished_orders(*, by: User, title: Title, today: datetime.date, document_number: str) -> None:
    """A revoked title has nothing left to rectify: its open or reported orders end as failed."""
    for order in title.rectification_orders.filter(status__in=UNFINISHED_ORDER_STATUSES):
        order.status = OrderStatus.FAILED
        order.decided_on = today
        order.decision_note = _("称号已撤销（%(document)s），整改通知终止。") % {"document": document_number}
        with set_actor(by):
            order.save(update_fields=["status", "decided_on", "decision_note"])
