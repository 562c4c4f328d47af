"""The demo after review: last year's district namings (notice, objections, naming decision, certificates,
filing) and this year's supervision of the holders (a re-inspection, rectification orders, revocations), plus
this year's 芙蓉区 shortlist on public notice today with objections coming in.

Everything goes through the services, with the dates a real office would have used, so the demo's history reads
like the audit trail of a year's work.
"""

from __future__ import annotations

import datetime

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.campaigns.models import Campaign, Program
from lvchuang.demo.campaigns import Builder, user_of
from lvchuang.naming import services as naming
from lvchuang.naming.models import NamingDecision
from lvchuang.notices import services as notices
from lvchuang.notices.models import Notice, NoticeEntry
from lvchuang.organisations.models import Office, Unit
from lvchuang.supervision import services as supervision
from lvchuang.supervision.models import Inspection, Reinspection, RevocationProposal
from lvchuang.titles.models import Title

MIN_CANDIDATES = 3  # enough for a notice with one unit objected off it and some named

OBJECTORS = (
    ("王建国", "13807310001", "该社区去年夏天多次出现垃圾清运不及时、桶边满溢的情况，居民投诉至今未解决。"),
    ("李秀英", "13974120002", "申报材料中的节水器具改造户数与实际不符，我所在单元没有一户改造。"),
    ("陈志强", "13507310003", "社区宣传栏已半年未更新，不符合“持续开展宣传”的要求，请核实。"),
)


def _office_user(office: Office) -> User:
    user = user_of(Role.DISTRICT_OFFICE, office=office) or user_of(Role.CITY_OFFICE, office=office)
    assert user is not None, f"the demo has no login for {office}"
    return user


def _notice_for(campaign: Campaign, by: User, office: Office) -> Notice:
    return notices.create_notice(
        by=by,
        campaign=campaign,
        title=f"关于{campaign.name}拟命名单位的公示",
        body=(
            "经单位申报、街道推荐、区创建办审核和专家评审，拟命名以下社区为区级节能环保社区，现予公示。"
            "对公示名单有异议的，请在公示期内实名提出，并提供联系方式和相关证据；匿名异议不予受理。"
        ),
        contact_phone=office.phone or "0731-84300000",
        contact_email="chuangjian@example.gov.cn",
        contact_address=office.address or f"{office.region.name}人民政府大院",
    )


def _object(notice: Notice, entry: NoticeEntry, number: int, *, today: datetime.date) -> None:
    name, phone, content = OBJECTORS[number % len(OBJECTORS)]
    notices.submit_objection(
        notice=notice,
        entry=entry,
        name=name,
        phone=phone,
        email="",
        content=content,
        client_address=f"10.1.{notice.pk}.{number}",
        today=today,
    )


def _name_one(
    past: Builder, program: Program, office: Office, communities: list[Unit], *, upheld: bool
) -> NamingDecision | None:
    """Last year's district campaign, ranked, on notice, objected to, closed and named."""
    if len(communities) < MIN_CANDIDATES:
        return None
    campaign = past.district_campaign(program, office, communities)
    if campaign is None:
        return None
    by = _office_user(office)
    notice = _notice_for(campaign, by, office)
    notices.publish_notice(by=by, notice=notice, today=past.day(11, 10))
    entries = list(notice.entries.order_by("rank", "pk"))
    _object(notice, entries[-1], 0, today=past.day(11, 12))
    _object(notice, entries[0], 1, today=past.day(11, 13))
    for objection in notice.objections.order_by("pk"):
        notices.start_investigation(
            by=by, objection=objection, findings="已调取清运台账并走访居民，约谈社区负责人。"
        )
    first, second = notice.objections.order_by("pk")
    notices.decide_objection(
        by=by,
        objection=first,
        upheld=upheld,
        reply=(
            "经核实，反映的垃圾清运问题属实且整改未到位，异议成立，该社区移出拟命名名单。"
            if upheld
            else "经核实，反映的问题已于当年整改到位，有清运台账和居民回访记录为证，异议不成立。"
        ),
        today=past.day(11, 17),
    )
    notices.decide_objection(
        by=by,
        objection=second,
        upheld=False,
        reply="经逐户核对，节水器具改造户数与申报材料一致（共 312 户），异议不成立。感谢您的监督。",
        today=past.day(11, 18),
    )
    notices.close_notice(by=by, notice=notice, today=past.day(11, 25))
    past.report.add("notices named")
    return naming.name_units(
        by=by,
        notice=notice,
        document_number=f"{office.region.name[:2]}创建〔{past.year}〕{9 + office.pk % 7}号",
        decided_on=past.day(12, 10),
        issuer=f"{office.region.name}创建节能环保社区工作领导小组",
    )


def open_notice_today(builder: Builder, campaign: Campaign | None) -> Notice | None:
    """This year's 芙蓉区 shortlist on public notice since three days ago, with two cases already in."""
    if campaign is None or campaign.notices.exists():
        return None
    office = campaign.office
    by = _office_user(office)
    notice = _notice_for(campaign, by, office)
    notices.publish_notice(by=by, notice=notice, today=builder.today - datetime.timedelta(days=3))
    entries = list(notice.entries.order_by("rank", "pk"))
    _object(notice, entries[0], 2, today=builder.today)
    _object(notice, entries[-1], 0, today=builder.today)
    notices.start_investigation(
        by=by, objection=notice.objections.earliest("pk"), findings="已安排街道核查宣传栏照片。"
    )
    builder.report.add("notices open")
    return notice


def supervise(
    builder: Builder, office: Office, program: Program, decisions: list[NamingDecision]
) -> Reinspection | None:
    """This year's supervision in the district: a risk-weighted re-inspection of the district titles, with one
    rectification accepted, one overdue and revoked; last year's named titles with one under rectification and
    one revoked after a pollution accident; the filings of last year's decisions, one on time, one overdue."""
    if Reinspection.objects.filter(office=office, year=builder.year).exists():
        return None
    by = _office_user(office)
    today = builder.today

    # Filing with the city: all but the last district filed on time; the last one's is overdue.
    for decision in decisions[:-1]:
        naming.file_filing(
            by=_office_user(decision.notice.campaign.office),
            filing=decision.filing,
            filed_on=decision.decided_on + datetime.timedelta(days=20),
            note="纸质材料已同步报送市创建办。",
        )

    reinspection = supervision.create_reinspection(
        by=by,
        office=office,
        program=program,
        year=builder.year,
        name=f"{builder.year}年{office.region.name}节能环保社区“回头看”",
        kind=Reinspection.Kind.SAMPLE,
        sample_size=6,
        risk_weighted=True,
        notes="按区创建领导小组要求，每年抽取不少于 6 个已命名社区复核。",
    )
    builder.report.add("re-inspections")
    supervision.draw_sample(
        by=by, reinspection=reinspection, seed=f"{office.region.code}-{builder.year}-回头看"
    )
    inspections = list(reinspection.inspections.select_related("title").order_by("pk"))
    for index, inspection in enumerate(inspections):
        failed = index == 0  # one failed and left its order unanswered: overdue, then revoked
        inspected_on = today - datetime.timedelta(days=50 if failed else 40 - index)
        supervision.record_inspection(
            by=by,
            inspection=inspection,
            result=Inspection.Result.FAILED if failed else Inspection.Result.PASSED,
            inspected_on=inspected_on,
            findings=(
                "垃圾分类桶站破损未修复，节能宣传栏停更；能耗台账缺 3 个月记录。"
                if failed
                else "各项制度和台账齐全，节能设施运行正常。"
            ),
            requirements="修复桶站、恢复宣传栏更新、补齐能耗台账，并报送整改报告和照片。" if failed else "",
            today=inspected_on,
        )
    supervision.mark_overdue(today=today)
    for proposal in RevocationProposal.objects.filter(
        title__program=program, status=RevocationProposal.Status.PROPOSED, order__isnull=False
    ):
        supervision.decide_revocation(
            by=by,
            proposal=proposal,
            revoke=True,
            document_number=f"{office.region.name[:2]}创建〔{builder.year}〕21号",
            note="逾期未报送整改报告，经领导小组研究决定撤销。",
            reason="复核不合格且逾期未完成整改，撤销称号",
            today=today - datetime.timedelta(days=5),
        )
        builder.report.add("titles revoked")

    # Last year's named titles: one under rectification after a complaint, one revoked after an accident; and
    # the community with a demo login (unit-shizili) has an order to answer on its home page.
    named = [
        title
        for decision in decisions
        for title in Title.objects.filter(notice_entry__notice=decision.notice, status=Title.Status.VALID)
    ]
    with_login = Title.objects.filter(
        unit__region__path__startswith=office.region.path,
        status=Title.Status.VALID,
        unit__in=Unit.objects.filter(
            pk__in=RoleAssignment.objects.filter(role=Role.UNIT_STAFF).values("unit_id")
        ),
    ).first()
    complaints = {title.pk: title for title in (named[0] if named else None, with_login) if title is not None}
    for title in complaints.values():
        supervision.issue_order(
            by=_office_user(title.campaign.office) if title.campaign is not None else by,
            title=title,
            requirements="群众反映楼道堆放杂物、节能灯损坏未更换，请于期限内整改并报送整改报告和照片。",
            today=today - datetime.timedelta(days=10),
        )
        builder.report.add("titles under rectification")
    accident = next((title for title in reversed(named) if title.pk not in complaints), None)
    if accident is not None:
        assert accident.campaign is not None
        naming.revoke_title(
            by=_office_user(accident.campaign.office),
            title=accident,
            reason="辖区内发生重大环境污染事故（餐饮油烟直排引发群体投诉），依规撤销称号",
            document_number=f"{accident.campaign.office.region.name[:2]}创建〔{builder.year}〕18号",
            on=today - datetime.timedelta(days=30),
        )
        builder.report.add("titles revoked")
    return reinspection


def name_last_year(
    past: Builder, program: Program, offices: list[Office], untitled: dict[int, list[Unit]]
) -> list[NamingDecision]:
    """Last year's district campaigns in `offices`, each named after its notice; the first office upheld an
    objection and took a unit off its list, the others dismissed theirs. Runs before this year's district
    campaign, which takes its candidates from the communities still without a title."""
    decisions = []
    for index, office in enumerate(offices):
        decision = _name_one(past, program, office, untitled[office.pk], upheld=index == 0)
        if decision is not None:
            decisions.append(decision)
    return decisions
