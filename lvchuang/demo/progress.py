"""The demo's planning and follow-up: the city's coverage targets, the documents its campaign requires and what
came in (some late, one returned, some still owed), and the joint meeting's year with agreed items, two of them
overdue.

Everything goes through the services with the dates an office would have used. Dates are counted back from
today, so the story holds whatever day the demo is loaded.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from lvchuang.accounts.models import Role, User
from lvchuang.accounts.services import grant_role
from lvchuang.campaigns.models import Campaign, Program
from lvchuang.demo import catalogue as c
from lvchuang.demo.campaigns import Builder, user_of
from lvchuang.meetings import services as meetings
from lvchuang.meetings.models import Liaison
from lvchuang.meetings.services import AttendeeInput
from lvchuang.organisations.models import BodyMembership, GoverningBody, Unit
from lvchuang.reports import services as reports
from lvchuang.reports.models import Requirement
from lvchuang.reports.selectors import periods_of
from lvchuang.reports.submitters import expected_submitters
from lvchuang.targets import services as targets
from lvchuang.targets.models import CoverageTarget
from lvchuang.titles.models import Title

# Member departments with a liaison login besides JOINT_MEETING_LOGIN (who speaks for the lead, 住建局).
LIAISON_LOGINS = ((c.DEVELOPMENT, "lianxi-fagai", "蒋文涛"), (c.CIVIL_AFFAIRS, "lianxi-minzheng", "彭秀兰"))
ORGAN_TITLE_SHARE = 0.45  # of the city's and counties' organs named 节约型机关 last year


def load_progress(builder: Builder, campaign: Campaign | None) -> None:
    city_user = user_of(Role.CITY_OFFICE, office=builder.ctx.city_office)
    if city_user is None or CoverageTarget.objects.filter(office=builder.ctx.city_office).exists():
        return
    _organ_titles(builder)
    _targets(builder, city_user)
    body = GoverningBody.objects.filter(name=c.JOINT_MEETING).first()
    if body is not None:
        _liaisons(builder, body, city_user)
        _meetings(builder, body, city_user)
    if campaign is not None:
        _submissions(builder, campaign, city_user, body)


def _organ_titles(builder: Builder) -> None:
    """节约型机关 named last year for part of the organs, so the organ targets have something to count."""
    program = Program.objects.get(code="conservation-oriented-organ")
    rng = builder.ctx.rng("organ titles")
    year = builder.year - 1
    for unit in builder.ctx.units:
        if unit.kind != Unit.Kind.ORGAN or rng.random() >= ORGAN_TITLE_SHARE:
            continue
        Title.objects.create(
            unit=unit,
            program=program,
            year=year,
            named_on=datetime.date(year, 10, 30),
            document_number=f"湘机关事务〔{year}〕21号",
        )
        builder.report.add("organ titles")


def _targets(builder: Builder, by: User) -> None:
    office = builder.ctx.city_office
    started = datetime.date(builder.year - 1, 1, 1)
    targets.create_target_from_preset(by=by, office=office, preset="seed000-communities", starts_on=started)
    targets.create_target_from_preset(
        by=by, office=office, preset="seed003-city-county-organs", starts_on=started
    )
    targets.create_target(
        by=by,
        office=office,
        name="各区县节能环保社区覆盖率",
        programs=list(
            Program.objects.filter(
                code__in=["district-energy-saving-community", "city-energy-saving-community"]
            )
        ),
        unit_kind=Unit.Kind.COMMUNITY,
        starts_on=started,
        milestones=[
            targets.MilestoneInput(due_on=datetime.date(builder.year, 12, 31), share=Decimal(30)),
            targets.MilestoneInput(due_on=datetime.date(builder.year + 1, 12, 31), share=Decimal(50)),
        ],
        source="长沙市节能环保社区创建三年行动方案（演示）",
    )
    builder.report.add("coverage targets", 3)


def _liaisons(builder: Builder, body: GoverningBody, by: User) -> None:
    logins = [(c.HOUSING, *c.JOINT_MEETING_LOGIN), *LIAISON_LOGINS]
    for department_name, username, full_name in logins:
        membership = BodyMembership.objects.filter(body=body, department__name=department_name).first()
        if membership is None:
            continue
        user = builder.ctx.login(username, full_name)
        if not user.roles.filter(role=Role.LEADERSHIP_MEMBER, body=body).exists():
            grant_role(by=None, user=user, role=Role.LEADERSHIP_MEMBER, body=body)
        if not Liaison.objects.filter(membership=membership, user=user).exists():
            meetings.add_liaison(by=by, membership=membership, user=user)
            builder.report.add("liaisons")


def _meetings(builder: Builder, body: GoverningBody, by: User) -> None:
    today = builder.today
    members = {m.department.name: m.department for m in body.bodymembership_set.select_related("department")}
    attendees = [
        AttendeeInput(name=name, department=members[department], position=position)
        for department, name, position in (
            (c.HOUSING, "王志刚", "副局长"),
            (c.DEVELOPMENT, "蒋文涛", "环资科科长"),
            (c.CIVIL_AFFAIRS, "彭秀兰", "基层政权科科长"),
            (c.PUBLIC_SECURITY, "刘强", "治安支队副支队长"),
        )
        if department in members
    ]
    first = meetings.create_meeting(
        by=by,
        body=body,
        title=f"{today.year}年绿色社区创建行动联席会议第一次会议",
        held_on=today - datetime.timedelta(days=200),
        place="长沙市住房和城乡建设局 3 楼会议室",
        chair="王志刚",
        minutes="会议听取了各成员单位绿色社区创建工作进展汇报，研究了老旧小区改造与绿色社区创建同步推进的工作机制。",
        minutes_number=f"长绿创联席〔{today.year}〕1号",
        attendees=attendees,
    )
    second = meetings.create_meeting(
        by=by,
        body=body,
        title=f"{today.year}年绿色社区创建行动联席会议第二次会议",
        held_on=today - datetime.timedelta(days=60),
        place="长沙市住房和城乡建设局 3 楼会议室",
        chair="王志刚",
        minutes="会议通报了上半年创建进展和季度报送情况，明确了下半年督导安排。",
        minutes_number=f"长绿创联席〔{today.year}〕2号",
        attendees=attendees,
    )
    housing, development = members.get(c.HOUSING), members.get(c.DEVELOPMENT)
    civil = members.get(c.CIVIL_AFFAIRS)
    if housing is not None:
        done = meetings.add_agreed_item(
            by=by,
            meeting=first,
            text="将 2021 年以来的老旧小区改造项目全部纳入绿色社区创建范围，建立项目清单",
            owner=housing,
            due_on=first.held_on + datetime.timedelta(days=60),
        )
        meetings.close_item(
            by=by,
            item=done,
            result="已建立改造项目清单（46 个项目），全部纳入创建范围。",
            closed_on=first.held_on + datetime.timedelta(days=55),
            today=today,
        )
        open_item = meetings.add_agreed_item(
            by=by,
            meeting=second,
            text="制定绿色社区创建督导检查方案，年底前完成对各区县的督导",
            owner=housing,
            due_on=today + datetime.timedelta(days=40),
        )
        liaison = user_of(Role.LEADERSHIP_MEMBER, body=body, user__username=c.JOINT_MEETING_LOGIN[0])
        if liaison is not None:
            meetings.add_progress(by=liaison, item=open_item, note="督导方案已起草，正在征求成员单位意见。")
    if development is not None:
        meetings.add_agreed_item(
            by=by,
            meeting=second,
            text="梳理可用于社区节能改造的专项资金渠道，提出支持清单",
            owner=development,
            due_on=today - datetime.timedelta(days=25),
        )
    if civil is not None:
        meetings.add_agreed_item(
            by=by,
            meeting=second,
            text="指导各社区将绿色生活行为公约纳入居民公约",
            owner=civil,
            due_on=today - datetime.timedelta(days=10),
        )
    builder.report.add("meetings", 2)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _submissions(builder: Builder, campaign: Campaign, by: User, body: GoverningBody | None) -> None:
    """The city campaign's defaults (district work plans, yearly summaries) and the joint meeting's quarterly
    reports; the districts hand in on time, late or not at all."""
    today = builder.today
    reports.add_default_requirements(by=by, campaign=campaign)
    if body is not None:
        reports.create_requirement(
            by=by,
            campaign=campaign,
            kind=Requirement.Kind.QUARTERLY_REPORT,
            title="联席会议成员单位季度工作情况",
            submitters=Requirement.Submitters.MEMBERS,
            period=Requirement.Period.QUARTERLY,
            body=body,
            instructions="各成员单位每季度结束后 10 日内报送本单位推进绿色社区创建工作情况。",
        )
    rng = builder.ctx.rng("submissions")
    for requirement in campaign.requirements.order_by("pk"):
        for period in periods_of(requirement):
            if period.due_on > today + datetime.timedelta(days=30):
                continue
            for submitter in expected_submitters(requirement):
                user = _submitter_user(submitter.kind, submitter.id, body)
                if user is None:
                    continue
                draw = rng.random()
                if draw < 0.6:
                    handed_in = period.due_on - datetime.timedelta(days=rng.randint(1, 6))
                elif draw < 0.8:
                    handed_in = period.due_on + datetime.timedelta(days=rng.randint(2, 9))
                else:
                    continue  # still owed: overdue on the completeness page
                if handed_in > today:
                    continue
                submission = reports.submit(
                    by=user,
                    requirement=requirement,
                    period=period.key,
                    submitter=submitter,
                    content=f"{submitter.name}{requirement.title}：按要求完成了本期工作，详见正文。",
                    now=_at(handed_in),
                )
                builder.report.add("submissions")
                if rng.random() < 0.5:
                    reviewed = _at(min(today, handed_in + datetime.timedelta(days=3)))
                    reports.accept(by=by, submission=submission, now=reviewed)
                elif rng.random() < 0.3:
                    reports.return_submission(
                        by=by,
                        submission=submission,
                        comment="请补充各街道的任务分解表和时间安排。",
                        now=_at(min(today, handed_in + datetime.timedelta(days=3))),
                    )


def _submitter_user(kind: str, pk: int, body: GoverningBody | None) -> User | None:
    if kind == "office":
        return user_of(Role.DISTRICT_OFFICE, office_id=pk) or user_of(Role.STREET_OFFICE, office_id=pk)
    if kind == "unit":
        return user_of(Role.UNIT_STAFF, unit_id=pk)
    liaison = Liaison.objects.filter(membership__body=body, membership__department_id=pk).select_related(
        "user"
    )
    found = liaison.first()
    return found.user if found is not None else None
