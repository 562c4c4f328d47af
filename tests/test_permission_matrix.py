"""Every route of the product, opened by every kind of user.

The objects under test all sit in 芙蓉区. For each object route:
- its own district office (`furong`) and the parent city office (`city`) can open it;
- the sibling district office (`tianxin`) and a signed-in user with no role (`outsider`) get 404;
- an anonymous visitor is sent to the login page (pages) or refused with 401/403 (API).
For each list route the parent sees the 芙蓉区 object's name, and the sibling and the outsider do not.

The standards library is shared rather than scoped by region: every user who holds a role reads it, and a
standard is changed only by the office that owns it. Its routes are of two kinds of their own:
- "library": its office (`furong`) and a sibling office (`tianxin`) can open it; an outsider gets 404 (403 or
  an empty list where there is no object);
- "library-change": only the owning office (`furong`) gets through; the sibling, the parent city office and unit
  staff get 403, an outsider 404, and nothing changes.

A route without an entry below fails `test_every_route_has_an_entry_in_the_matrix`: nothing ships unscoped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lvchuang.accounts.models import RoleAssignment
from lvchuang.assessments.services import attach_evidence, start_assessment
from lvchuang.assessments.tests.helpers import leaf, make_version, png_upload
from lvchuang.organisations.models import Department, GoverningBody
from lvchuang.organisations.services import update_unit
from lvchuang.standards.models import GradeBand, Item, StandardVersion
from lvchuang.standards.tests.factories import NAME as STANDARD_NAME
from lvchuang.standards.tests.factories import draft_for


@dataclass
class Targets:
    """The 芙蓉区 objects every route is tried on, and the text that gives each away in a response."""

    objects: dict[str, Any]
    markers: dict[str, str]


@pytest.fixture
def targets(world, settings, tmp_path) -> Targets:
    unit_user = world.user("unit")
    unit_user.full_name = "沈识字岭"
    unit_user.save()
    department = Department.objects.create(name="芙蓉区教育局", region=world.furong, is_sector_authority=True)
    body = GoverningBody.objects.create(
        name="芙蓉区绿色社区创建联席会议", kind=GoverningBody.Kind.JOINT_MEETING, region=world.furong
    )
    update_unit(by=world.user("furong"), unit=world.furong_unit, changes={"energy_headcount": 18})
    from lvchuang.regions.models import DivisionImport

    division_import = DivisionImport.objects.create(
        source="芙蓉区补充区划.csv", scope=world.furong.path, code_year=2024, outcome="applied"
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    version = make_version()
    assessment = start_assessment(by=unit_user, unit=world.furong_unit, version=version)
    evidence = attach_evidence(
        by=unit_user, assessment=assessment, item=leaf(version, "1.1"), upload=png_upload()
    )
    standard_version = draft_for(world.furong_office, label="芙蓉区试行版")
    # A 芙蓉区 campaign of the district title, with one application and one batch in it.
    from lvchuang.applications.models import Batch
    from lvchuang.applications.services import create_application
    from lvchuang.campaigns.models import Program
    from lvchuang.campaigns.services import create_campaign

    campaign = create_campaign(
        by=world.user("furong"),
        program=Program.objects.get(code="district-energy-saving-community"),
        year=2026,
        office=world.furong_office,
        name="芙蓉区2026年节能环保社区创建",
    )
    application = create_application(by=unit_user, campaign=campaign, unit=world.furong_unit)
    batch = Batch.objects.create(campaign=campaign, office=world.furong_office, number="芙蓉区申报表第1批")
    extra: dict[str, Any] = {}
    extra_markers: dict[str, str] = {}
    # --- campaigns targets (add objects to `extra`, markers to `extra_markers`) ---
    import datetime

    from lvchuang.campaigns.services import copy_program, record_override, set_allocation

    furong_user = world.user("furong")
    extra["program"] = copy_program(
        by=furong_user,
        program=Program.objects.get(code="district-energy-saving-community"),
        office=world.furong_office,
        code="furong-energy-saving-community",
        name="芙蓉区节能环保社区（试行）",
    )
    extra_markers["program"] = "芙蓉区节能环保社区（试行）"
    extra["stage"] = campaign.stages.order_by("starts_on").first()
    extra["override"] = record_override(
        by=furong_user,
        campaign=campaign,
        action="batch",
        until=datetime.date(2026, 10, 15),
        reason="文艺路街道申报表盖章延误",
        region=world.furong_street,
    )
    extra["allocation"] = set_allocation(
        by=furong_user, campaign=campaign, amount=3, region=world.furong_street
    )
    # --- end campaigns targets ---
    # --- applications targets ---
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lvchuang.applications.batches import upload_seal_scan
    from lvchuang.applications.models import GoalComment

    scan = SimpleUploadedFile("芙蓉区盖章申报表.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    upload_seal_scan(by=world.user("furong"), batch=batch, upload=scan)
    extra["goal_comment"] = GoalComment.objects.create(
        application=application, author_name="识字岭居民", content="建议增加垃圾分类宣传"
    )
    # --- end applications targets ---
    # --- reviews targets ---
    from lvchuang.organisations.models import ReviewerAssignment
    from lvchuang.reviews.models import ConflictDeclaration, RankingRun, Review, SpotCheck
    from lvchuang.reviews.services import attach_photo

    reviewer = world.user("reviewer")
    review = Review.objects.create(
        application=application, reviewer=reviewer, kind="desk", assigned_by=unit_user
    )
    ReviewerAssignment.objects.create(reviewer=reviewer, unit=world.furong_unit)
    first_leaf = next(
        item
        for item in campaign.version.items.order_by("order", "pk")
        if item.kind != "area" and not item.children.exists()
    )
    extra["review"] = review
    extra["review_photo"] = attach_photo(by=reviewer, review=review, item=first_leaf, upload=png_upload())
    review.scored_item_id = first_leaf.pk  # type: ignore[attr-defined]  # the item score and photo routes use
    extra["spot_check"] = SpotCheck.objects.create(
        campaign=campaign,
        seed="芙蓉区抽查种子",
        size=1,
        population=[[str(application.pk), 1.0]],
        sample=[str(application.pk)],
    )
    extra["ranking"] = RankingRun.objects.create(
        campaign=campaign,
        rows=[
            {"application": application.pk, "unit": "识字岭社区居委会", "rank": 1, "outcome": "shortlisted"}
        ],
        shortlisted_count=1,
    )
    extra["conflict"] = ConflictDeclaration.objects.create(
        reviewer=reviewer, region=world.tianxin, relation="曾在天心区任职"
    )
    extra_markers.update(
        {"review": "识字岭社区居委会", "spot_check": "芙蓉区抽查种子", "ranking": "识字岭社区居委会"}
    )
    # --- end reviews targets ---
    # --- notices targets ---
    from datetime import date

    from lvchuang.notices.models import DayOverride, Notice, NoticeEntry, Objection

    # Built directly: the fixture's application is a draft, and these rows only need to exist.
    notice = Notice.objects.create(
        campaign=campaign,
        title="芙蓉区拟命名名单公示",
        length=7,
        day_kind="working",
        status=Notice.Status.OPEN,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 9),
    )
    entry = NoticeEntry.objects.create(notice=notice, application=application, unit=world.furong_unit, rank=1)
    extra["notice"] = notice
    extra["objection"] = Objection.objects.create(
        notice=notice,
        entry=entry,
        case_number="YY2026-芙蓉-0001",
        token="matrix-objection-token",
        name="赵秀英",
        phone="13907310001",
        content="识字岭社区的台账是补做的。",
    )
    extra["day_override"] = DayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    extra_markers.update({"notice": "芙蓉区拟命名名单公示", "objection": "YY2026-芙蓉-0001"})
    # --- end notices targets ---
    # --- titles and naming targets ---
    import datetime

    from django.core.files.base import ContentFile

    from lvchuang.naming.models import AwardPayment, Filing, NamingDecision
    from lvchuang.notices.models import Notice, NoticeEntry
    from lvchuang.titles.models import Title, TitleEvent

    named_on = datetime.date(2026, 12, 20)
    named_notice = Notice.objects.create(
        campaign=campaign, title="芙蓉区拟命名名单公示", length=7, day_kind="working", status="closed"
    )
    named_entry = NoticeEntry.objects.create(
        notice=named_notice, application=application, unit=world.furong_unit, rank=1, is_demonstration=True
    )
    title = Title.objects.create(
        unit=world.furong_unit,
        program=campaign.program,
        campaign=campaign,
        year=2026,
        named_on=named_on,
        document_number="芙蓉创绿〔2026〕5号",
        is_demonstration=True,
        certificate_number="2026-430102-00001",
    )
    TitleEvent.objects.create(
        title=title,
        from_status="",
        to_status="valid",
        on=named_on,
        reason="命名",
        document_number="芙蓉创绿〔2026〕5号",
    )
    named_entry.title_record = title
    named_entry.save()
    decision = NamingDecision.objects.create(
        notice=named_notice,
        document_number="芙蓉创绿〔2026〕5号",
        decided_on=named_on,
        issuer="芙蓉区创建领导小组",
    )
    filing = Filing(
        decision=decision,
        from_office=world.furong_office,
        to_office=world.city_office,
        due_on=datetime.date(2027, 1, 20),
        materials_name="芙蓉区备案材料.pdf",
    )
    filing.materials.save("filing.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    filing.save()
    extra.update(
        {
            "title": title,
            "named_notice": named_notice,
            "naming_decision": decision,
            "award_payment": AwardPayment.objects.create(
                title=title, decision=decision, payer="市环保局", amount=10000
            ),
            "filing": filing,
        }
    )
    extra_markers.update(
        {
            "title": "识字岭社区居委会",
            "naming_decision": "芙蓉创绿〔2026〕5号",
            "award_payment": "识字岭社区居委会",
            "filing": "芙蓉创绿〔2026〕5号",
        }
    )
    # --- end titles and naming targets ---
    # --- supervision targets ---
    import datetime

    from lvchuang.supervision import services as supervision
    from lvchuang.titles.models import Title

    on = datetime.date(2026, 3, 16)
    supervised_title = Title.objects.create(
        unit=world.furong_unit,
        program=Program.objects.get(code="district-energy-saving-community"),
        year=2024,
        named_on=datetime.date(2024, 12, 20),
        document_number="芙蓉区创建办〔2024〕3号",
    )
    reinspection = supervision.create_reinspection(
        by=world.user("furong"),
        office=world.furong_office,
        program=supervised_title.program,
        year=2026,
        name="芙蓉区2026年回头看",
        kind="sample",
        sample_size=1,
    )
    supervision.draw_sample(by=world.user("furong"), reinspection=reinspection, seed="芙蓉区复核种子")
    order = supervision.issue_order(
        by=world.user("furong"), title=supervised_title, requirements="补建垃圾分类台账", today=on
    )
    order = supervision.report_rectification(
        by=unit_user, order=order, report="已补建台账", upload=png_upload(), today=on
    )
    extra.update(
        {
            "supervised_title": supervised_title,
            "reinspection": reinspection,
            "inspection": reinspection.inspections.get(),
            "rectification_order": order,
            "revocation_proposal": supervision.propose_revocation(
                by=world.user("furong"), title=supervised_title, reason="芙蓉区重大污染事故", today=on
            ),
        }
    )
    extra_markers.update(
        {
            "reinspection": "芙蓉区2026年回头看",
            "rectification_order": order.number,
            "revocation_proposal": "芙蓉区重大污染事故",
        }
    )
    # --- end supervision targets ---
    # --- targets targets ---
    from lvchuang.targets.services import create_target_from_preset

    extra["coverage_target"] = create_target_from_preset(
        by=world.user("furong"),
        office=world.furong_office,
        preset="national-green-communities",
        starts_on=datetime.date(2020, 7, 1),
        name="芙蓉区绿色社区覆盖率",
    )
    extra_markers["coverage_target"] = "芙蓉区绿色社区覆盖率"
    # --- end targets targets ---
    # --- meetings targets ---
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from lvchuang.accounts.models import Role
    from lvchuang.accounts.services import create_user, grant_role
    from lvchuang.meetings import services as meetings

    housing = Department.objects.create(name="芙蓉区住建局", region=world.furong)
    civil = Department.objects.create(name="芙蓉区民政局", region=world.furong)
    housing_membership = body.bodymembership_set.create(department=housing, is_lead=True)
    body.bodymembership_set.create(department=civil)
    liaison_user = create_user(by=None, username="zhoulianluo", password="pw-zhoulianluo", full_name="周联络")
    grant_role(by=None, user=liaison_user, role=Role.LEADERSHIP_MEMBER, body=body)
    extra["liaison"] = meetings.add_liaison(
        by=world.user("furong"), membership=housing_membership, user=liaison_user
    )
    extra["meeting"] = meetings.create_meeting(
        by=world.user("furong"),
        body=body,
        title="芙蓉区2026年第一次联席会议",
        held_on=datetime.date(2026, 3, 10),
        attendees=[meetings.AttendeeInput(name="李住建", department=housing)],
        minutes_upload=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    extra["agreed_item"] = meetings.add_agreed_item(
        by=world.user("furong"),
        meeting=extra["meeting"],
        text="芙蓉区老旧小区改造项目纳入创建台账",
        owner=housing,
        due_on=datetime.date(2026, 4, 30),
    )
    extra_markers.update(
        {
            "liaison": "周联络",
            "meeting": "芙蓉区2026年第一次联席会议",
            "agreed_item": "芙蓉区老旧小区改造项目纳入创建台账",
        }
    )
    # --- end meetings targets ---
    # --- reports targets ---
    import datetime

    from lvchuang.assessments.tests.helpers import pdf_upload
    from lvchuang.reports import services as reports
    from lvchuang.reports.submitters import OFFICE, Submitter

    street_plan = reports.create_requirement(
        by=world.user("furong"),
        campaign=campaign,
        kind="work_plan",
        title="芙蓉区街道年度创建工作计划",
        submitters="offices",
        submitter_level=4,
        due_on=datetime.date(2026, 5, 31),
    )
    street_office = world.furong_street_office
    extra["report_requirement"] = street_plan
    extra["report_submission"] = reports.submit(
        by=world.user("street"),
        requirement=street_plan,
        period="",
        submitter=Submitter(street_office.region.path, street_office.name, OFFICE, street_office.pk),
        content="文艺路街道2026年创建工作计划",
        upload=pdf_upload("街道工作计划.pdf"),
    )
    extra_markers.update(
        {
            "report_requirement": "芙蓉区街道年度创建工作计划",
            "report_submission": "芙蓉区街道年度创建工作计划",
        }
    )
    # --- end reports targets ---
    # --- agenda targets ---
    # A stage of the 芙蓉区 campaign: its end is on the calendar of 芙蓉区 and the city, never of 天心区.
    extra["agenda_stage"] = campaign.stages.create(
        name="芙蓉区补充材料阶段", starts_on=datetime.date(2026, 10, 8), ends_on=datetime.date(2026, 10, 20)
    )
    extra_markers["agenda_stage"] = "芙蓉区补充材料阶段截止"
    # --- end agenda targets ---
    # --- ledgers targets ---
    # A county organ of 芙蓉区 keeping a resource ledger, with one of each of its records.
    from decimal import Decimal

    from django.utils import timezone

    from lvchuang.ledgers import models as ledgers
    from lvchuang.organisations.models import Unit

    organ = Unit.objects.create(
        name="芙蓉区发展和改革局",
        kind=Unit.Kind.ORGAN,
        region=world.furong,
        organ_type=Unit.OrganType.GOVERNMENT,
        organ_level=Unit.OrganLevel.COUNTY,
        institution_type=Unit.InstitutionType.STATE_ORGAN,
        credit_code="11430102MB1234567X",
    )
    ledgers.BasicInfo.objects.create(
        unit=organ, year=2025, institution_type="01", floor_area=Decimal("5000"), headcount=120
    )
    ledgers.Consumption.objects.create(
        unit=organ,
        year=2025,
        month=3,
        carrier="electricity",
        amount=Decimal("41000"),
        measure="kWh",
        updated_at=timezone.now(),
    )
    ledgers.Heating.objects.create(unit=organ, year=2025, mode="none")
    extra["ledger_unit"] = organ
    extra["ledger_meter"] = ledgers.Meter.objects.create(
        unit=organ,
        number="FR-01",
        name="芙蓉区发改局照明总表",
        scope="item",
        purpose="lighting",
        carrier="electricity",
    )
    extra["ledger_data_room"] = ledgers.DataRoom.objects.create(
        unit=organ, year=2025, name="芙蓉区发改局机房", area=Decimal("40"), electricity_kwh=Decimal("50000")
    )
    extra["ledger_garbage"] = ledgers.GarbageRemoval.objects.create(
        unit=organ,
        removed_on=datetime.date(2025, 3, 2),
        category="kitchen",
        weight_kg=Decimal("30"),
        hauler="芙蓉区环卫清运队",
    )
    extra["ledger_target"] = ledgers.AnnualTarget.objects.create(
        office=world.furong_office,
        region=world.furong,
        year=2025,
        baseline_year=2020,
        area_energy_change=Decimal("-5"),
        source="芙蓉区节能降碳目标文件",
    )
    extra["ledger_flag"] = ledgers.QualityFlag.objects.create(
        unit=organ,
        rule="missing_month",
        year=2025,
        month=4,
        carrier="electricity",
        key="2025-04:electricity",
        message="2025年4月电力未填报",
    )
    extra["ledger_import"] = ledgers.ImportBatch.objects.create(
        uploaded_by=world.user("furong"),
        original_name="芙蓉区能耗台账.csv",
        sha256="0" * 64,
        size=10,
        file="ledgers/imports/matrix.csv",
    )
    extra["ledger_rule"] = ledgers.QualityRule.objects.get(code="jump")
    extra["ledger_range"] = ledgers.IntensityRange.objects.order_by("pk").first()
    extra["ledger_factor"] = ledgers.ConversionFactor.objects.order_by("pk").first()
    extra["ledger_density"] = ledgers.Density.objects.order_by("pk").first()
    extra["ledger_grid"] = ledgers.GridAssignment.objects.order_by("pk").first()
    extra["ledger_emission"] = ledgers.EmissionFactor.objects.order_by("pk").first()
    extra_markers.update(
        {
            "ledger_unit": "芙蓉区发展和改革局",
            "ledger_meter": "芙蓉区发改局照明总表",
            "ledger_data_room": "芙蓉区发改局机房",
            "ledger_garbage": "芙蓉区环卫清运队",
            "ledger_target": "芙蓉区节能降碳目标文件",
            "ledger_flag": "芙蓉区发展和改革局",
        }
    )
    # --- end ledgers targets ---
    return Targets(
        objects={
            "unit": world.furong_unit,
            "region": world.furong_community,
            "office": world.furong_office,
            "department": department,
            "body": body,
            "user": unit_user,
            "assignment": RoleAssignment.objects.get(user=unit_user),
            "division_import": division_import,
            "standard": standard_version.standard,
            "standard_version": standard_version,
            "standard_item": standard_version.items.get(code="1.1"),
            "standard_band": standard_version.grade_bands.get(name="优秀"),
            "assessment": assessment,
            "evidence": evidence,
            "campaign": campaign,
            "application": application,
            "batch": batch,
            **extra,
        },
        markers={
            "unit": "识字岭社区居委会",
            "region": "识字岭社区",
            "office": "芙蓉区创建办",
            "department": "芙蓉区教育局",
            "body": "芙蓉区绿色社区创建联席会议",
            "user": "沈识字岭",
            "assignment": "沈识字岭",
            "audit": "识字岭社区居委会",
            "division_import": "芙蓉区补充区划.csv",
            "standard": STANDARD_NAME,
            "standard_version": "芙蓉区试行版",
            "assessment": "识字岭社区居委会",
            "campaign": "芙蓉区2026年节能环保社区创建",
            "application": "识字岭社区居委会",
            "batch": "芙蓉区申报表第1批",
            **extra_markers,
        },
    )


@dataclass(frozen=True)
class Route:
    """How one named route is opened and what it must (not) show."""

    kind: str  # "object", "list", "signed-in" (shows only the user's own things), "public", "library", "library-change"
    target: str = ""  # for object and list routes: which of Targets.objects / markers
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})
    method: str = "get"
    api: bool = False
    query: str = ""


def pk(name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda obj: {name: obj.pk}


def in_assessment(**names: str) -> Callable[[Any], dict[str, Any]]:
    """Keyword arguments of a route inside a self-assessment: its id and that of its item 1.1."""
    return lambda a: {names["assessment"]: a.pk, names["item"]: leaf(a.version, "1.1").pk}


def in_year(name: str, year: int = 2025) -> Callable[[Any], dict[str, Any]]:
    """Keyword arguments of a route on one year of an object's ledger."""
    return lambda obj: {name: obj.pk, "year": year}


def of_evidence(e: Any) -> dict[str, Any]:
    return {"assessment_id": e.response.assessment_id, "evidence_id": e.pk}


def page(kind: str, target: str = "", **options: Any) -> Route:
    return Route(kind=kind, target=target, **options)


def api(kind: str, target: str = "", **options: Any) -> Route:
    return Route(kind=kind, target=target, api=True, **options)


MATRIX: dict[str, Route] = {
    # pages
    "home": page("signed-in"),
    "login": page("public"),
    "logout": page("public", method="post"),
    "set_language": page("public", method="post"),
    "accounts:profile": page("signed-in"),
    "accounts:password_change": page("signed-in"),
    "accounts:user_list": page("list", "user"),
    "accounts:user_create": page("signed-in"),
    "accounts:user_detail": page("object", "user", kwargs=pk("user_id")),
    "accounts:grant_role": page("object", "user", kwargs=pk("user_id")),
    "accounts:revoke_role": page(
        "object",
        "assignment",
        method="post",
        kwargs=lambda a: {"user_id": a.user_id, "assignment_id": a.pk},
    ),
    "regions:list": page("list", "region", query="?q=识字岭"),
    "regions:detail": page("object", "region", kwargs=lambda r: {"code": r.code}),
    "organisations:unit_list": page("list", "unit"),
    "organisations:unit_create": page("signed-in"),
    "organisations:unit_detail": page("object", "unit", kwargs=pk("unit_id")),
    "organisations:unit_edit": page("object", "unit", kwargs=pk("unit_id")),
    "organisations:unit_history": page("object", "unit", kwargs=pk("unit_id")),
    "organisations:office_list": page("list", "office"),
    "organisations:office_detail": page("object", "office", kwargs=pk("office_id")),
    "organisations:department_list": page("list", "department"),
    "organisations:department_detail": page("object", "department", kwargs=pk("department_id")),
    "organisations:body_list": page("list", "body"),
    "organisations:body_detail": page("object", "body", kwargs=pk("body_id")),
    "assessments:list": page("list", "assessment"),
    "assessments:unit_assessments": page("object", "unit", kwargs=pk("unit_id")),
    "assessments:start": page("object", "unit", method="post", kwargs=pk("unit_id")),
    "assessments:detail": page("object", "assessment", kwargs=pk("assessment_id")),
    "assessments:save_item": page(
        "object",
        "assessment",
        method="post",
        kwargs=in_assessment(assessment="assessment_id", item="item_id"),
    ),
    "assessments:upload_evidence": page(
        "object",
        "assessment",
        method="post",
        kwargs=in_assessment(assessment="assessment_id", item="item_id"),
    ),
    "assessments:evidence_file": page("object", "evidence", kwargs=of_evidence),
    "assessments:evidence_thumbnail": page("object", "evidence", kwargs=of_evidence),
    "assessments:delete_evidence": page("object", "evidence", method="post", kwargs=of_evidence),
    "assessments:complete": page("object", "assessment", method="post", kwargs=pk("assessment_id")),
    "assessments:reopen": page("object", "assessment", method="post", kwargs=pk("assessment_id")),
    "assessments:report_pdf": page("object", "assessment", kwargs=pk("assessment_id")),
    "assessments:export_xlsx": page("object", "assessment", kwargs=pk("assessment_id")),
    "audit:list": page("list", "audit"),
    "audit:export": page("list", "audit"),
    "standards:library": page("library", "standard"),
    "standards:standard_create": page("library"),
    "standards:standard_import": page("library"),
    "standards:version_detail": page("library", "standard_version", kwargs=pk("version_id")),
    "standards:version_diff": page("library", "standard_version", kwargs=pk("version_id")),
    "standards:version_adopt": page("library", "standard_version", kwargs=pk("version_id")),
    "standards:version_export": page(
        "library", "standard_version", kwargs=lambda v: {"version_id": v.pk, "fmt": "yaml"}
    ),
    "standards:version_edit": page("library-change", "standard_version", kwargs=pk("version_id")),
    "standards:version_import": page("library-change", "standard_version", kwargs=pk("version_id")),
    "standards:version_copy": page(
        "library-change", "standard_version", method="post", kwargs=pk("version_id")
    ),
    "standards:version_publish": page(
        "library-change", "standard_version", method="post", kwargs=pk("version_id")
    ),
    "standards:version_confirm": page(
        "library-change", "standard_version", method="post", kwargs=pk("version_id")
    ),
    "standards:item_create": page("library-change", "standard_version", kwargs=pk("version_id")),
    "standards:item_edit": page("library-change", "standard_item", kwargs=pk("item_id")),
    "standards:item_delete": page("library-change", "standard_item", method="post", kwargs=pk("item_id")),
    "standards:item_move": page("library-change", "standard_item", method="post", kwargs=pk("item_id")),
    "standards:band_create": page(
        "library-change", "standard_version", method="post", kwargs=pk("version_id")
    ),
    "standards:band_edit": page("library-change", "standard_band", method="post", kwargs=pk("band_id")),
    "standards:band_delete": page("library-change", "standard_band", method="post", kwargs=pk("band_id")),
    # API
    "api-root": api("public"),
    "api-schema": api("public"),
    "api-docs": api("public"),
    "api-redoc": api("public"),
    "api-token": api("public", method="post"),
    "region-list": api("list", "region"),
    "region-detail": api("object", "region", kwargs=lambda r: {"code": r.code}),
    "division-import-list": api("list", "division_import"),
    "division-import-detail": api("object", "division_import", kwargs=pk("pk")),
    "unit-list": api("list", "unit"),
    "unit-detail": api("object", "unit", kwargs=pk("pk")),
    "office-list": api("list", "office"),
    "office-detail": api("object", "office", kwargs=pk("pk")),
    "department-list": api("list", "department"),
    "department-detail": api("object", "department", kwargs=pk("pk")),
    "body-list": api("list", "body"),
    "body-detail": api("object", "body", kwargs=pk("pk")),
    "user-list": api("list", "user"),
    "user-detail": api("object", "user", kwargs=pk("pk")),
    "user-me": api("signed-in"),
    "role-assignment-list": api("list", "assignment"),
    "role-assignment-detail": api("object", "assignment", kwargs=pk("pk")),
    "audit-entry-list": api("list", "audit"),
    "standard-list": api("library", "standard"),
    "standard-detail": api("library", "standard", kwargs=pk("pk")),
    "standard-version-list": api("library", "standard_version"),
    "standard-version-detail": api("library", "standard_version", kwargs=pk("pk")),
    "standard-version-export": api(
        "library", "standard_version", kwargs=lambda v: {"pk": v.pk, "fmt": "yaml"}
    ),
    "self-assessment-list": api("list", "assessment"),
    "self-assessment-detail": api("object", "assessment", kwargs=pk("pk")),
    "self-assessment-item": api(
        "object", "assessment", method="patch", kwargs=in_assessment(assessment="pk", item="item_id")
    ),
    "self-assessment-evaluation": api("object", "assessment", kwargs=pk("pk")),
    # --- campaigns routes ---
    "campaigns:campaign_list": page("list", "campaign"),
    "campaigns:campaign_create": page("signed-in"),
    "campaigns:campaign_detail": page("object", "campaign", kwargs=pk("campaign_id")),
    "campaigns:override_create": page("object", "campaign", method="post", kwargs=pk("campaign_id")),
    "campaigns:allocation_set": page("object", "campaign", method="post", kwargs=pk("campaign_id")),
    "campaigns:quota": page("object", "campaign", kwargs=pk("campaign_id")),
    "campaigns:eligibility": page("object", "campaign", kwargs=pk("campaign_id")),
    "campaigns:stage_create": page("object", "campaign", kwargs=pk("campaign_id")),
    "campaigns:stage_edit": page(
        "object", "stage", kwargs=lambda s: {"campaign_id": s.campaign_id, "stage_id": s.pk}
    ),
    "campaigns:stage_delete": page(
        "object", "stage", method="post", kwargs=lambda s: {"campaign_id": s.campaign_id, "stage_id": s.pk}
    ),
    "campaigns:program_list": page("library", "program"),
    "campaigns:program_detail": page("library", "program", kwargs=pk("program_id")),
    "campaigns:program_copy": page("library", "program", kwargs=pk("program_id")),
    "campaigns:program_edit": page("library-change", "program", kwargs=pk("program_id")),
    "program-list": api("library", "program"),
    "program-detail": api("library", "program", kwargs=pk("pk")),
    "campaign-list": api("list", "campaign"),
    "campaign-detail": api("object", "campaign", kwargs=pk("pk")),
    "campaign-eligibility": api("object", "campaign", kwargs=pk("pk")),
    "campaign-quota": api("object", "campaign", kwargs=pk("pk")),
    "stage-list": api("list", "campaign"),
    "stage-detail": api("object", "stage", kwargs=pk("pk")),
    "window-override-list": api("list", "campaign"),
    "window-override-detail": api("object", "override", kwargs=pk("pk")),
    "quota-allocation-list": api("list", "campaign"),
    "quota-allocation-detail": api("object", "allocation", kwargs=pk("pk")),
    # --- end campaigns routes ---
    # --- applications routes ---
    "applications:mine": page("signed-in"),
    "applications:start": page("signed-in", method="post"),
    "applications:queue": page("signed-in"),
    "applications:list": page("list", "application"),
    "applications:detail": page("object", "application", kwargs=pk("application_id")),
    "applications:transition": page("object", "application", method="post", kwargs=pk("application_id")),
    "applications:save_goals": page("object", "application", method="post", kwargs=pk("application_id")),
    "applications:publish": page("object", "application", method="post", kwargs=pk("application_id")),
    "applications:consent": page("object", "application", method="post", kwargs=pk("application_id")),
    "applications:hide_comment": page(
        "object",
        "goal_comment",
        method="post",
        kwargs=lambda c: {"application_id": c.application_id, "comment_id": c.pk},
    ),
    "applications:batch_list": page("list", "batch"),
    "applications:batch_create": page("signed-in", method="post"),
    "applications:batch_detail": page("object", "batch", kwargs=pk("batch_id")),
    "applications:batch_add": page("object", "batch", method="post", kwargs=pk("batch_id")),
    "applications:batch_remove": page("object", "batch", method="post", kwargs=pk("batch_id")),
    "applications:batch_upload_scan": page("object", "batch", method="post", kwargs=pk("batch_id")),
    "applications:batch_scan": page("object", "batch", kwargs=pk("batch_id")),
    "applications:batch_submit": page("object", "batch", method="post", kwargs=pk("batch_id")),
    "applications:batch_return": page("object", "batch", method="post", kwargs=pk("batch_id")),
    "applications:batch_form_xlsx": page("object", "batch", kwargs=pk("batch_id")),
    "applications:batch_form_pdf": page("object", "batch", kwargs=pk("batch_id")),
    "public_goals:list": page("public"),
    "public_goals:campaign": page("public"),
    "public_goals:comment": page("public", method="post"),
    "application-list": api("list", "application"),
    "application-detail": api("object", "application", kwargs=pk("pk")),
    "application-transition": api("object", "application", method="post", kwargs=pk("pk")),
    "application-goals": api("object", "application", method="patch", kwargs=pk("pk")),
    "application-publish": api("object", "application", method="post", kwargs=pk("pk")),
    "application-consent": api("object", "application", method="post", kwargs=pk("pk")),
    "batch-list": api("list", "batch"),
    "batch-detail": api("object", "batch", kwargs=pk("pk")),
    "batch-add-applications": api("object", "batch", method="post", kwargs=pk("pk")),
    "batch-remove-application": api("object", "batch", method="post", kwargs=pk("pk")),
    "batch-seal-scan": api("object", "batch", method="post", kwargs=pk("pk")),
    "batch-submit": api("object", "batch", method="post", kwargs=pk("pk")),
    "batch-return": api("object", "batch", method="post", kwargs=pk("pk")),
    "batch-form-xlsx": api("object", "batch", kwargs=pk("pk")),
    "batch-form-pdf": api("object", "batch", kwargs=pk("pk")),
    # --- end applications routes ---
    # --- reviews routes ---
    "reviews:my_reviews": page("signed-in"),
    "reviews:profile": page("signed-in"),
    "reviews:conflict_add": page("signed-in", method="post"),
    "reviews:conflict_delete": page("signed-in", "conflict", method="post", kwargs=pk("conflict_id")),
    "reviews:review_detail": page("object", "review", kwargs=pk("review_id")),
    "reviews:save_score": page(
        "object", "review", method="post", kwargs=lambda r: {"review_id": r.pk, "item_id": r.scored_item_id}
    ),
    "reviews:upload_photo": page(
        "object", "review", method="post", kwargs=lambda r: {"review_id": r.pk, "item_id": r.scored_item_id}
    ),
    "reviews:photo_file": page(
        "object", "review_photo", kwargs=lambda p: {"review_id": p.review_id, "photo_id": p.pk}
    ),
    "reviews:submit": page("object", "review", method="post", kwargs=pk("review_id")),
    "reviews:dashboard": page("object", "campaign", kwargs=pk("campaign_id")),
    "reviews:spot_checks": page("object", "campaign", kwargs=pk("campaign_id")),
    "reviews:combine": page("object", "campaign", method="post", kwargs=pk("campaign_id")),
    "reviews:rank": page("object", "campaign", method="post", kwargs=pk("campaign_id")),
    "reviews:spot_check_detail": page("object", "spot_check", kwargs=pk("spot_check_id")),
    "reviews:assign_panel": page("object", "application", method="post", kwargs=pk("application_id")),
    "reviews:ranking_detail": page("object", "ranking", kwargs=pk("ranking_id")),
    "spot-check-list": api("list", "spot_check"),
    "spot-check-detail": api("object", "spot_check", kwargs=pk("pk")),
    "spot-check-verify": api("object", "spot_check", kwargs=pk("pk")),
    "reviewer-profile-me": api("signed-in"),
    "reviewer-conflict-list": api("signed-in"),
    "reviewer-conflict-detail": api("signed-in", "conflict", kwargs=pk("pk")),
    "review-panel-detail": api("object", "application", kwargs=pk("pk")),
    "review-panel-assign": api("object", "application", method="post", kwargs=pk("pk")),
    "review-list": api("signed-in"),
    "review-detail": api("object", "review", kwargs=pk("pk")),
    "review-item": api(
        "object", "review", method="patch", kwargs=lambda r: {"pk": r.pk, "item_id": r.scored_item_id}
    ),
    "review-submit": api("object", "review", method="post", kwargs=pk("pk")),
    "review-campaign-combine": api("object", "campaign", method="post", kwargs=pk("pk")),
    "review-campaign-rank": api("object", "campaign", method="post", kwargs=pk("pk")),
    "ranking-run-list": api("list", "ranking"),
    "ranking-run-detail": api("object", "ranking", kwargs=pk("pk")),
    # --- end reviews routes ---
    # --- reminders routes ---
    # --- end reminders routes ---
    # --- notices routes ---
    "notices:list": page("list", "notice"),
    "notices:create": page("object", "campaign", kwargs=pk("campaign_id")),
    "notices:detail": page("object", "notice", kwargs=pk("notice_id")),
    "notices:edit": page("object", "notice", method="post", kwargs=pk("notice_id")),
    "notices:delete": page("object", "notice", method="post", kwargs=pk("notice_id")),
    "notices:publish": page("object", "notice", method="post", kwargs=pk("notice_id")),
    "notices:close": page("object", "notice", method="post", kwargs=pk("notice_id")),
    "notices:objection": page("object", "objection", kwargs=pk("objection_id")),
    # Only the issuing office (芙蓉区) gets the evidence, not the city above it: 404 to everybody else, which
    # lvchuang/notices/tests/test_pages.py checks; here only that an anonymous visitor is sent to sign in.
    "notices:objection_evidence": page("signed-in", "objection", kwargs=pk("objection_id")),
    "notices:investigate": page("object", "objection", method="post", kwargs=pk("objection_id")),
    "notices:decide": page("object", "objection", method="post", kwargs=pk("objection_id")),
    "notices:calendar": page("signed-in"),
    "notices:override_add": page("signed-in", method="post"),
    "notices:override_delete": page("signed-in", "day_override", method="post", kwargs=pk("override_id")),
    "public_notices:list": page("public"),
    "public_notices:detail": page("public"),
    "public_notices:object": page("public"),
    "public_notices:case": page("public"),
    "public_notices:rss": page("public"),
    "public_notices:atom": page("public"),
    "public-objection-list": api("public", method="post"),
    "notice-list": api("list", "notice"),
    "notice-detail": api("object", "notice", kwargs=pk("pk")),
    "notice-publish": api("object", "notice", method="post", kwargs=pk("pk")),
    "notice-close": api("object", "notice", method="post", kwargs=pk("pk")),
    "objection-list": api("list", "objection"),
    "objection-detail": api("object", "objection", kwargs=pk("pk")),
    "objection-investigate": api("object", "objection", method="post", kwargs=pk("pk")),
    "objection-decide": api("object", "objection", method="post", kwargs=pk("pk")),
    "day-override-list": api("signed-in"),
    "day-override-detail": api("signed-in", "day_override", kwargs=pk("pk")),
    "workdays-list": api("signed-in"),
    # --- end notices routes ---
    # --- titles and naming routes ---
    "titles:list": page("list", "title"),
    "titles:detail": page("object", "title", kwargs=pk("title_id")),
    "titles:certificate_pdf": page("object", "title", kwargs=pk("title_id")),
    "titles:plaque_pdf": page("object", "title", kwargs=pk("title_id")),
    "titles:revoke": page("object", "title", method="post", kwargs=pk("title_id")),
    "titles:reinstate": page("object", "title", method="post", kwargs=pk("title_id")),
    "titles:issue_number": page("object", "title", method="post", kwargs=pk("title_id")),
    "naming:decision_list": page("list", "naming_decision"),
    "naming:decide": page("object", "named_notice", kwargs=pk("notice_id")),
    "naming:decision_detail": page("object", "naming_decision", kwargs=pk("decision_id")),
    "naming:named_list_csv": page("object", "naming_decision", kwargs=pk("decision_id")),
    "naming:named_list_xlsx": page("object", "naming_decision", kwargs=pk("decision_id")),
    "naming:award_list": page("list", "award_payment"),
    "naming:award_pay": page("object", "award_payment", method="post", kwargs=pk("payment_id")),
    "naming:award_cancel": page("object", "award_payment", method="post", kwargs=pk("payment_id")),
    "naming:filing_list": page("list", "filing"),
    "naming:filing_file": page("object", "filing", method="post", kwargs=pk("filing_id")),
    "naming:filing_acknowledge": page("object", "filing", method="post", kwargs=pk("filing_id")),
    "naming:filing_materials": page("object", "filing", kwargs=pk("filing_id")),
    "title-list": api("list", "title"),
    "title-detail": api("object", "title", kwargs=pk("pk")),
    "title-certificate-pdf": api("object", "title", kwargs=pk("pk")),
    "title-plaque-pdf": api("object", "title", kwargs=pk("pk")),
    "title-revoke": api("object", "title", method="post", kwargs=pk("pk")),
    "title-reinstate": api("object", "title", method="post", kwargs=pk("pk")),
    "title-certificate-number": api("object", "title", method="post", kwargs=pk("pk")),
    "naming-decision-list": api("list", "naming_decision"),
    "naming-decision-detail": api("object", "naming_decision", kwargs=pk("pk")),
    "naming-decision-named-list-csv": api("object", "naming_decision", kwargs=pk("pk")),
    "naming-decision-named-list-xlsx": api("object", "naming_decision", kwargs=pk("pk")),
    "award-payment-list": api("list", "award_payment"),
    "award-payment-detail": api("object", "award_payment", kwargs=pk("pk")),
    "award-payment-pay": api("object", "award_payment", method="post", kwargs=pk("pk")),
    "award-payment-cancel": api("object", "award_payment", method="post", kwargs=pk("pk")),
    "filing-list": api("list", "filing"),
    "filing-detail": api("object", "filing", kwargs=pk("pk")),
    "filing-file": api("object", "filing", method="post", kwargs=pk("pk")),
    "filing-acknowledge": api("object", "filing", method="post", kwargs=pk("pk")),
    # --- end titles and naming routes ---
    # --- supervision routes ---
    "supervision:reinspection_list": page("list", "reinspection"),
    "supervision:reinspection_create": page("signed-in"),
    "supervision:reinspection_detail": page("object", "reinspection", kwargs=pk("reinspection_id")),
    "supervision:reinspection_draw": page(
        "object", "reinspection", method="post", kwargs=pk("reinspection_id")
    ),
    "supervision:reinspection_close": page(
        "object", "reinspection", method="post", kwargs=pk("reinspection_id")
    ),
    "supervision:inspection_record": page("object", "inspection", method="post", kwargs=pk("inspection_id")),
    "supervision:order_list": page("list", "rectification_order"),
    "supervision:order_detail": page("object", "rectification_order", kwargs=pk("order_id")),
    "supervision:order_report": page("object", "rectification_order", method="post", kwargs=pk("order_id")),
    "supervision:order_file": page("object", "rectification_order", kwargs=pk("order_id")),
    "supervision:order_decide": page("object", "rectification_order", method="post", kwargs=pk("order_id")),
    "supervision:proposal_list": page("list", "revocation_proposal"),
    "supervision:proposal_detail": page("object", "revocation_proposal", kwargs=pk("proposal_id")),
    "supervision:proposal_decide": page(
        "object", "revocation_proposal", method="post", kwargs=pk("proposal_id")
    ),
    "supervision:title_supervision": page("object", "supervised_title", kwargs=pk("title_id")),
    "supervision:title_issue_order": page("object", "supervised_title", method="post", kwargs=pk("title_id")),
    "supervision:title_propose": page("object", "supervised_title", method="post", kwargs=pk("title_id")),
    "reinspection-list": api("list", "reinspection"),
    "reinspection-detail": api("object", "reinspection", kwargs=pk("pk")),
    "reinspection-draw": api("object", "reinspection", method="post", kwargs=pk("pk")),
    "reinspection-verify": api("object", "reinspection", kwargs=pk("pk")),
    "inspection-detail": api("object", "inspection", kwargs=pk("pk")),
    "inspection-record": api("object", "inspection", method="post", kwargs=pk("pk")),
    "rectification-order-list": api("list", "rectification_order"),
    "rectification-order-detail": api("object", "rectification_order", kwargs=pk("pk")),
    "rectification-order-report": api("object", "rectification_order", method="post", kwargs=pk("pk")),
    "rectification-order-accept": api("object", "rectification_order", method="post", kwargs=pk("pk")),
    "rectification-order-reject": api("object", "rectification_order", method="post", kwargs=pk("pk")),
    "revocation-proposal-list": api("list", "revocation_proposal"),
    "revocation-proposal-detail": api("object", "revocation_proposal", kwargs=pk("pk")),
    "revocation-proposal-decide": api("object", "revocation_proposal", method="post", kwargs=pk("pk")),
    # --- end supervision routes ---
    # --- portal routes ---
    "portal:home": page("public"),
    "portal:registry": page("public"),
    "portal:registry_csv": page("public"),
    "portal:registry_json": page("public"),
    "portal:named_years": page("public"),
    "portal:named": page("public", kwargs=lambda _: {"year": 2026}),
    "portal:verify_form": page("public"),
    "portal:verify": page("public", kwargs=lambda _: {"number": "CS-2026-0001"}),
    # --- end portal routes ---
    # --- targets routes ---
    "targets:target_list": page("list", "coverage_target"),
    "targets:target_create": page("signed-in"),
    "targets:target_detail": page("object", "coverage_target", kwargs=pk("target_id")),
    "targets:target_edit": page("object", "coverage_target", kwargs=pk("target_id")),
    "targets:target_milestones": page("object", "coverage_target", kwargs=pk("target_id")),
    "targets:target_active": page("object", "coverage_target", method="post", kwargs=pk("target_id")),
    "targets:target_export_xlsx": page("object", "coverage_target", kwargs=pk("target_id")),
    "targets:target_export_pdf": page("object", "coverage_target", kwargs=pk("target_id")),
    "targets:quota_usage": page("object", "campaign", kwargs=pk("campaign_id")),
    "coverage-target-list": api("list", "coverage_target"),
    "coverage-target-detail": api("object", "coverage_target", kwargs=pk("pk")),
    "coverage-target-milestones": api("object", "coverage_target", kwargs=pk("pk")),
    "coverage-target-progress": api("object", "coverage_target", kwargs=pk("pk")),
    "quota-usage-detail": api("object", "campaign", kwargs=pk("pk")),
    # --- end targets routes ---
    # --- meetings routes ---
    "meetings:body_list": page("list", "body"),
    "meetings:body_detail": page("object", "body", kwargs=pk("body_id")),
    "meetings:liaison_add": page("object", "body", method="post", kwargs=pk("body_id")),
    "meetings:meeting_create": page("object", "body", kwargs=pk("body_id")),
    "meetings:liaison_remove": page("object", "liaison", method="post", kwargs=pk("liaison_id")),
    "meetings:meeting_detail": page("object", "meeting", kwargs=pk("meeting_id")),
    "meetings:meeting_edit": page("object", "meeting", kwargs=pk("meeting_id")),
    "meetings:meeting_minutes_file": page("object", "meeting", kwargs=pk("meeting_id")),
    "meetings:item_create": page("object", "meeting", kwargs=pk("meeting_id")),
    "meetings:item_list": page("list", "agreed_item"),
    "meetings:my_items": page("signed-in"),
    "meetings:item_detail": page("object", "agreed_item", kwargs=pk("item_id")),
    "meetings:item_edit": page("object", "agreed_item", kwargs=pk("item_id")),
    "meetings:item_progress": page("object", "agreed_item", method="post", kwargs=pk("item_id")),
    "meetings:item_close": page("object", "agreed_item", method="post", kwargs=pk("item_id")),
    "meetings:item_cancel": page("object", "agreed_item", method="post", kwargs=pk("item_id")),
    "meetings:item_reopen": page("object", "agreed_item", method="post", kwargs=pk("item_id")),
    "meeting-body-list": api("list", "body"),
    "meeting-body-detail": api("object", "body", kwargs=pk("pk")),
    "meeting-body-meetings": api("object", "body", kwargs=pk("pk")),
    "meeting-list": api("list", "meeting"),
    "meeting-detail": api("object", "meeting", kwargs=pk("pk")),
    "meeting-minutes-file": api("object", "meeting", kwargs=pk("pk")),
    "meeting-minutes-upload": api("object", "meeting", method="post", kwargs=pk("pk")),
    "agreed-item-list": api("list", "agreed_item"),
    "agreed-item-mine": api("signed-in"),
    "agreed-item-detail": api("object", "agreed_item", kwargs=pk("pk")),
    "agreed-item-progress": api("object", "agreed_item", method="post", kwargs=pk("pk")),
    "agreed-item-close": api("object", "agreed_item", method="post", kwargs=pk("pk")),
    "agreed-item-cancel": api("object", "agreed_item", method="post", kwargs=pk("pk")),
    "agreed-item-reopen": api("object", "agreed_item", method="post", kwargs=pk("pk")),
    "liaison-list": api("list", "liaison"),
    "liaison-detail": api("object", "liaison", kwargs=pk("pk")),
    # --- end meetings routes ---
    # --- reports routes ---
    "reports:my_submissions": page("signed-in"),
    "reports:campaign_requirements": page("object", "campaign", kwargs=pk("campaign_id")),
    "reports:requirement_create": page("object", "campaign", kwargs=pk("campaign_id")),
    "reports:add_defaults": page("object", "campaign", method="post", kwargs=pk("campaign_id")),
    "reports:requirement_detail": page("object", "report_requirement", kwargs=pk("requirement_id")),
    "reports:requirement_edit": page("object", "report_requirement", kwargs=pk("requirement_id")),
    "reports:requirement_delete": page(
        "object", "report_requirement", method="post", kwargs=pk("requirement_id")
    ),
    "reports:requirement_csv": page("object", "report_requirement", kwargs=pk("requirement_id")),
    "reports:submit": page("object", "report_requirement", kwargs=pk("requirement_id")),
    "reports:submission_detail": page("object", "report_submission", kwargs=pk("submission_id")),
    "reports:submission_accept": page(
        "object", "report_submission", method="post", kwargs=pk("submission_id")
    ),
    "reports:submission_return": page(
        "object", "report_submission", method="post", kwargs=pk("submission_id")
    ),
    "reports:submission_file": page("object", "report_submission", kwargs=pk("submission_id")),
    "report-requirement-list": api("list", "report_requirement"),
    "report-requirement-detail": api("object", "report_requirement", kwargs=pk("pk")),
    "report-requirement-completeness": api("object", "report_requirement", kwargs=pk("pk")),
    "report-requirement-submit": api("object", "report_requirement", method="post", kwargs=pk("pk")),
    "report-requirement-add-defaults": api("signed-in", method="post"),
    "report-submission-list": api("list", "report_submission"),
    "report-submission-detail": api("object", "report_submission", kwargs=pk("pk")),
    "report-submission-accept": api("object", "report_submission", method="post", kwargs=pk("pk")),
    "report-submission-return": api("object", "report_submission", method="post", kwargs=pk("pk")),
    "report-submission-mine": api("signed-in"),
    # --- end reports routes ---
    # --- agenda routes ---
    "agenda:calendar": page("list", "agenda_stage", query="?month=2026-10"),
    "agenda:feed_key_reset": page("signed-in", method="post"),
    # No session: the key in the address stands for the user (an unknown key answers 404).
    "agenda:feed": page("public", kwargs=lambda _: {"key": "matrix-unknown-key"}),
    "agenda-event-list": api("list", "agenda_stage", query="?start=2026-10-01&end=2026-10-31"),
    "agenda-feed-key-list": api("signed-in"),
    # --- end agenda routes ---
    # --- ledgers routes ---
    "ledgers:overview": page("signed-in"),
    "ledgers:unit_list": page("list", "ledger_unit"),
    "ledgers:unit_detail": page("object", "ledger_unit", kwargs=pk("unit_id")),
    "ledgers:basic_info_edit": page("object", "ledger_unit", kwargs=in_year("unit_id")),
    "ledgers:monthly_edit": page("object", "ledger_unit", kwargs=in_year("unit_id")),
    "ledgers:data_rooms": page("object", "ledger_unit", kwargs=in_year("unit_id")),
    "ledgers:data_room_delete": page(
        "object",
        "ledger_data_room",
        method="post",
        kwargs=lambda r: {"unit_id": r.unit_id, "year": r.year, "room_id": r.pk},
    ),
    "ledgers:heating_edit": page("object", "ledger_unit", kwargs=in_year("unit_id")),
    "ledgers:meter_list": page("object", "ledger_unit", kwargs=pk("unit_id")),
    "ledgers:meter_edit": page(
        "object", "ledger_meter", kwargs=lambda m: {"unit_id": m.unit_id, "meter_id": m.pk}
    ),
    "ledgers:meter_readings": page(
        "object", "ledger_meter", kwargs=lambda m: {"unit_id": m.unit_id, "meter_id": m.pk, "year": 2025}
    ),
    "ledgers:garbage_list": page("object", "ledger_unit", kwargs=pk("unit_id")),
    "ledgers:garbage_delete": page(
        "object",
        "ledger_garbage",
        method="post",
        kwargs=lambda g: {"unit_id": g.unit_id, "removal_id": g.pk},
    ),
    "ledgers:summary": page("list", "ledger_unit", query="?by=unit&year=2025"),
    "ledgers:summary_export": page("signed-in", query="?by=unit&year=2025"),
    "ledgers:target_list": page("list", "ledger_target"),
    "ledgers:target_create": page("signed-in"),
    "ledgers:target_edit": page("object", "ledger_target", kwargs=pk("target_id")),
    "ledgers:target_delete": page("object", "ledger_target", method="post", kwargs=pk("target_id")),
    # The coefficient tables and quality rules are read by every role holder and changed only by the system
    # administrator (tested with their views).
    "ledgers:factor_tables": page("library"),
    "ledgers:factor_create": page("signed-in", "ledger_factor", kwargs=lambda _: {"table": "factor"}),
    "ledgers:factor_edit": page(
        "signed-in", "ledger_factor", kwargs=lambda f: {"table": "factor", "row_id": f.pk}
    ),
    # An import is seen by the user who uploaded it (and the administrator): tested with its views.
    "ledgers:import_list": page("signed-in"),
    "ledgers:import_detail": page("signed-in", "ledger_import", kwargs=pk("batch_id")),
    "ledgers:import_errors": page("signed-in", "ledger_import", kwargs=pk("batch_id")),
    "ledgers:import_template": page(
        "signed-in", "ledger_import", kwargs=lambda _: {"layout": "long", "fmt": "csv"}
    ),
    "ledgers:flag_list": page("list", "ledger_flag"),
    "ledgers:flag_action": page("object", "ledger_flag", kwargs=pk("flag_id")),
    "ledgers:rule_list": page("library"),
    "ledgers:rule_edit": page("signed-in", "ledger_rule", kwargs=pk("rule_id")),
    "ledgers:range_edit": page("signed-in", "ledger_range", kwargs=pk("range_id")),
    "ledger-unit-list": api("list", "ledger_unit"),
    "ledger-unit-detail": api("object", "ledger_unit", kwargs=pk("pk")),
    "ledger-unit-basic-info": api("object", "ledger_unit", kwargs=in_year("pk")),
    "ledger-unit-months": api("object", "ledger_unit", kwargs=in_year("pk")),
    "ledger-unit-heating": api("object", "ledger_unit", kwargs=in_year("pk")),
    "ledger-meter-list": api("list", "ledger_meter"),
    "ledger-meter-detail": api("object", "ledger_meter", kwargs=pk("pk")),
    "ledger-meter-readings": api("object", "ledger_meter", kwargs=in_year("pk")),
    "ledger-data-room-list": api("list", "ledger_data_room"),
    "ledger-data-room-detail": api("object", "ledger_data_room", method="delete", kwargs=pk("pk")),
    "ledger-garbage-removal-list": api("list", "ledger_garbage"),
    "ledger-garbage-removal-detail": api("object", "ledger_garbage", method="delete", kwargs=pk("pk")),
    "ledger-summary-list": api("list", "ledger_unit", query="?by=unit&year=2025"),
    "ledger-annual-target-list": api("list", "ledger_target"),
    "ledger-annual-target-detail": api("object", "ledger_target", kwargs=pk("pk")),
    "ledger-target-check-detail": api("object", "ledger_unit", kwargs=pk("pk"), query="?year=2025"),
    "ledger-conversion-factor-list": api("library"),
    "ledger-conversion-factor-detail": api("signed-in", "ledger_factor", kwargs=pk("pk")),
    "ledger-density-list": api("library"),
    "ledger-density-detail": api("signed-in", "ledger_density", kwargs=pk("pk")),
    "ledger-grid-assignment-list": api("library"),
    "ledger-grid-assignment-detail": api("signed-in", "ledger_grid", kwargs=pk("pk")),
    "ledger-emission-factor-list": api("library"),
    "ledger-emission-factor-detail": api("signed-in", "ledger_emission", kwargs=pk("pk")),
    "ledger-import-list": api("signed-in"),
    "ledger-import-detail": api("signed-in", "ledger_import", kwargs=pk("pk")),
    "ledger-import-errors": api("signed-in", "ledger_import", kwargs=pk("pk")),
    "ledger-import-template": api("signed-in"),
    "ledger-quality-flag-list": api("list", "ledger_flag"),
    "ledger-quality-flag-detail": api("object", "ledger_flag", kwargs=pk("pk")),
    "ledger-quality-flag-accept": api("object", "ledger_flag", method="post", kwargs=pk("pk")),
    "ledger-quality-flag-reopen": api("object", "ledger_flag", method="post", kwargs=pk("pk")),
    "ledger-quality-flag-recheck": api("signed-in", method="post"),
    "ledger-quality-rule-list": api("library"),
    "ledger-quality-rule-detail": api("signed-in", "ledger_rule", kwargs=pk("pk")),
    "ledger-intensity-range-list": api("library"),
    "ledger-intensity-range-detail": api("signed-in", "ledger_range", kwargs=pk("pk")),
    # --- end ledgers routes ---
}

# Django's own admin is open to staff accounts only; `test_the_admin_turns_away_non_staff` covers it.
EXEMPT_NAMESPACES = {"admin"}


def _named_routes(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            yield from _named_routes(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}"


def test_every_route_has_an_entry_in_the_matrix():
    routes = set(_named_routes(get_resolver().url_patterns))
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes without an entry in the permission matrix: {missing}"
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def _open(client: Client, route: Route, url: str) -> Any:
    method = getattr(client, route.method)
    return method(url + route.query, HTTP_ACCEPT="application/json" if route.api else "text/html")


def _client_for(world, name: str | None) -> Client:
    client = Client()
    if name is not None:
        client.force_login(world.user(name))
    return client


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return str(b"".join(response.streaming_content).decode("utf-8-sig"))
    return str(response.content.decode("utf-8-sig"))


OBJECT_ROUTES = sorted(name for name, route in MATRIX.items() if route.kind == "object")
LIST_ROUTES = sorted(name for name, route in MATRIX.items() if route.kind == "list")
PRIVATE_ROUTES = sorted(name for name, route in MATRIX.items() if route.kind != "public")


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_an_object_route_answers_404_to_the_sibling_district_and_to_an_outsider(world, targets, name):
    route = MATRIX[name]
    url = reverse(name, kwargs=route.kwargs(targets.objects[route.target]))
    for user in ("tianxin", "outsider"):
        response = _open(_client_for(world, user), route, url)
        assert response.status_code == 404, f"{user} opened {name}: {response.status_code}"


API_OBJECT_ROUTES = sorted(name for name in OBJECT_ROUTES if MATRIX[name].api)


@pytest.mark.parametrize("name", API_OBJECT_ROUTES)
def test_no_api_write_reaches_an_object_of_the_sibling_district_or_of_an_outsider(world, targets, name):
    route = MATRIX[name]
    obj = targets.objects[route.target]
    url = reverse(name, kwargs=route.kwargs(obj))
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    for user in ("tianxin", "outsider"):
        client = _client_for(world, user)
        for method in ("put", "patch", "delete"):
            response = getattr(client, method)(url, data={"name": "改名"}, content_type="application/json")
            # 405 where the route takes no such write at all; otherwise the object must stay invisible.
            assert response.status_code in (404, 405), (
                f"{user} {method.upper()} {name}: {response.status_code}"
            )
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_an_object_route_opens_for_its_own_office_and_the_parent_office(world, targets, name):
    route = MATRIX[name]
    if route.method != "get":
        pytest.skip("a write route: its successful use is tested with its view")
    url = reverse(name, kwargs=route.kwargs(targets.objects[route.target]))
    for user in ("furong", "city"):
        response = _open(_client_for(world, user), route, url)
        assert response.status_code == 200, f"{user} could not open {name}: {response.status_code}"


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_a_list_route_shows_the_object_to_the_parent_and_hides_it_from_sibling_and_outsider(
    world, targets, name
):
    route = MATRIX[name]
    url = reverse(name)
    marker = targets.markers[route.target]
    parent = _open(_client_for(world, "city"), route, url)
    assert parent.status_code == 200
    assert marker in _text(parent), f"the city office does not see {marker} in {name}"
    for user in ("tianxin", "outsider"):
        response = _open(_client_for(world, user), route, url)
        assert response.status_code in (200, 403), f"{user} on {name}: {response.status_code}"
        assert marker not in _text(response), f"{user} sees {marker} in {name}"


@pytest.mark.parametrize("name", PRIVATE_ROUTES)
def test_an_anonymous_visitor_is_refused_every_private_route(world, targets, name):
    route = MATRIX[name]
    kwargs = route.kwargs(targets.objects[route.target]) if route.target in targets.objects else {}
    response = _open(Client(), route, reverse(name, kwargs=kwargs))
    if route.api:
        assert response.status_code in (401, 403), f"{name}: {response.status_code}"
    else:
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert response["Location"].startswith(reverse("login"))


def test_the_admin_turns_away_non_staff(world):
    response = _client_for(world, "city").get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- the standards library ----------------------------------------------------------------------------------

LIBRARY_ROUTES = sorted(name for name, route in MATRIX.items() if route.kind == "library")
LIBRARY_CHANGE_ROUTES = sorted(name for name, route in MATRIX.items() if route.kind == "library-change")


def _library_url(targets: Targets, name: str) -> tuple[str, bool]:
    """The route's URL, and whether it names an object (an outsider must then get 404)."""
    route = MATRIX[name]
    kwargs = route.kwargs(targets.objects[route.target]) if route.target in targets.objects else {}
    return reverse(name, kwargs=kwargs), bool(kwargs)


@pytest.mark.parametrize("name", LIBRARY_ROUTES)
def test_a_library_route_opens_for_every_office_and_shows_an_outsider_nothing(world, targets, name):
    route = MATRIX[name]
    url, names_an_object = _library_url(targets, name)
    marker = targets.markers.get(route.target)
    for user in ("furong", "tianxin"):
        response = _open(_client_for(world, user), route, url)
        assert response.status_code == 200, f"{user} could not open {name}: {response.status_code}"
        assert marker is None or marker in _text(response), f"{user} does not see {marker} in {name}"
    response = _open(_client_for(world, "outsider"), route, url)
    if names_an_object:
        assert response.status_code == 404, f"outsider opened {name}: {response.status_code}"
    else:
        assert response.status_code in (200, 403), f"outsider on {name}: {response.status_code}"
        assert marker is None or marker not in _text(response), f"outsider sees {marker} in {name}"


@pytest.mark.parametrize("name", LIBRARY_CHANGE_ROUTES)
def test_a_library_change_route_lets_only_the_owning_office_through(world, targets, name):
    route = MATRIX[name]
    url, _names_an_object = _library_url(targets, name)
    obj = targets.objects[route.target]
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    counts = (StandardVersion.objects.count(), Item.objects.count(), GradeBand.objects.count())
    for user, status in (("tianxin", 403), ("city", 403), ("unit", 403), ("outsider", 404)):
        response = _open(_client_for(world, user), route, url)
        assert response.status_code == status, f"{user} on {name}: {response.status_code}"
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before
    assert (StandardVersion.objects.count(), Item.objects.count(), GradeBand.objects.count()) == counts
    if route.method == "get":
        response = _open(_client_for(world, "furong"), route, url)
        assert response.status_code == 200, f"furong could not open {name}: {response.status_code}"
