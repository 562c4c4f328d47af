"""The demo's campaigns: the city's 节能环保社区 campaign of this year in its review stage, and a district campaign
already ranked, with applications in every state of the workflow.

Everything goes through the services, as the people in the demo would do it, on the dates the calendar allows.
The campaign is for the current year; when today falls outside seed 000's acceptance stage (October–November),
the whole calendar is shifted so that today does, and the demo always shows a campaign under review. Running it
again changes nothing: a campaign that exists is left alone.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.accounts.services import grant_role
from lvchuang.applications import batches
from lvchuang.applications import services as applications
from lvchuang.applications.models import Application
from lvchuang.assessments import services as assessments
from lvchuang.assessments.models import SelfAssessment
from lvchuang.campaigns import services as campaigns
from lvchuang.campaigns.models import Action, Campaign, Program, Stage
from lvchuang.demo.catalogue import PANEL_REVIEWERS
from lvchuang.organisations.models import Office, Unit
from lvchuang.regions.models import Region
from lvchuang.reviews import services as reviews
from lvchuang.reviews.models import Review
from lvchuang.standards.models import Item, StandardVersion
from lvchuang.titles.models import Title

CITY_PROGRAM = "city-energy-saving-community"
DISTRICT_PROGRAM = "district-energy-saving-community"
GOALS = (
    "全年居民用电量较上年下降 3%；生活垃圾分类知晓率达到 95%；新增绿色家庭 40 户。",
    "公共区域照明全部更换为 LED；雨水回收用于绿化浇灌；创建绿色家庭 30 户。",
    "建成垃圾分类投放点 6 处；开展节能主题活动 8 次；居民满意度达到 90% 以上。",
)
MEASURES = (
    "1. 成立创建领导小组，书记任组长；2. 每月一次节能宣传进楼栋；3. 与物业签订节能管理责任书；4. 建立创建台账。",
    "1. 楼道声控灯改造；2. 设立旧衣物回收箱；3. 组建 20 人志愿者队伍每周巡查；4. 每季度公示用能情况。",
    "1. 垃圾分类督导员定时定点值守；2. 开展“节能宣传周”“全国低碳日”活动；3. 门前三包责任书全覆盖。",
)
COMMENTS = (
    ("李阿姨", "楼道灯换了以后晚上亮堂多了，希望坚持下去。"),
    ("居民小周", "垃圾分类点旁边能不能加个洗手池？"),
    ("王先生", "目标写得很实在，期待年底看到成效。"),
)


@dataclass
class DemoCampaignReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count


@dataclass
class Context:
    city_office: Office
    district_offices: dict[str, Office]  # county code → office
    street_offices: dict[str, Office]  # street code → office
    units: Sequence[Unit]
    login: Callable[[str, str], User]  # the demo loader's: creates the account with the demo password
    rng: Callable[[str], random.Random]


def _calendar_shift(year: int, today: datetime.date) -> datetime.timedelta:
    """Zero when today lies in seed 000's acceptance stage; otherwise the shift that puts it there."""
    if datetime.date(year, 10, 1) <= today <= datetime.date(year, 11, 30):
        return datetime.timedelta(0)
    return today - datetime.date(year, 11, 1)


def user_of(role: str, **scope: object) -> User | None:
    assignment = RoleAssignment.objects.filter(role=role, **scope).select_related("user").first()
    return assignment.user if assignment else None


def _stamp_png(text: str) -> SimpleUploadedFile:
    """A scan of the stamped form: a white page with a red round seal."""
    image = Image.new("RGB", (620, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((400, 220, 580, 400), outline=(200, 30, 30), width=8)
    draw.text((30, 30), text.encode("ascii", "ignore").decode() or "stamped form", fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("申报表盖章扫描件.png", out.getvalue(), content_type="image/png")


class Builder:
    def __init__(self, ctx: Context, today: datetime.date) -> None:
        self.ctx = ctx
        self.today = today
        self.year = today.year
        self.shift = _calendar_shift(self.year, today)
        self.report = DemoCampaignReport()
        self.admin = User.objects.filter(is_superuser=True).order_by("pk").first()

    def day(self, month: int, day: int) -> datetime.date:
        return datetime.date(self.year, month, day) + self.shift

    # --- titles held before this year ------------------------------------------------------------------------

    def record_past_titles(self, communities: list[Unit], district: Program, city: Program) -> None:
        rng = self.ctx.rng("titles")
        for index, unit in enumerate(communities):
            if Title.objects.filter(unit=unit).exists():
                continue
            year = self.year - 1 - index % 3
            Title.objects.create(
                unit=unit,
                program=district,
                year=year,
                named_on=datetime.date(year, 12, 20),
                document_number=f"{unit.region.name[:2]}创建〔{year}〕{rng.randint(2, 9)}号",
            )
            self.report.add("district titles")
        # A few already named by the city two years ago: the 3-year cooldown keeps them out this year.
        for unit in communities[-3:]:
            Title.objects.create(
                unit=unit,
                program=city,
                year=self.year - 2,
                named_on=datetime.date(self.year - 2, 12, 28),
                document_number=f"长创建〔{self.year - 2}〕12号",
            )
            self.report.add("city titles")

    # --- one application -------------------------------------------------------------------------------------

    def _staff(self, unit: Unit) -> User:
        # Most demo communities have no login of their own: their street (or district) office acts for them.
        staff = (
            user_of(Role.UNIT_STAFF, unit=unit) or self._street(unit) or self._district(unit) or self.admin
        )
        assert staff is not None
        return staff

    def _street(self, unit: Unit) -> User | None:
        office = self.ctx.street_offices.get(unit.region.code[:9] + "000")
        return user_of(Role.STREET_OFFICE, office=office) if office else None

    def _district(self, unit: Unit) -> User | None:
        office = self.ctx.district_offices.get(unit.region.code[:6] + "000000")
        return user_of(Role.DISTRICT_OFFICE, office=office) if office else None

    def complete_assessment(self, unit: Unit, version: StandardVersion, share: float) -> None:
        if SelfAssessment.objects.filter(unit=unit, version=version).exists():
            return
        by = self.admin
        assessment = assessments.start_assessment(by=by, unit=unit, version=version)
        rng = self.ctx.rng(f"assessment:{unit.pk}")
        for item in Item.objects.filter(version=version, children__isnull=True).order_by("order", "pk"):
            if item.kind == Item.Kind.AREA:
                continue
            if item.kind == Item.Kind.GATE:
                assessments.save_answer(
                    by=by, assessment=assessment, item=item, points=None, met=True, narrative=""
                )
                continue
            fraction = min(1.0, max(0.0, share + rng.uniform(-0.08, 0.08)))
            points = (item.max_points * Decimal(str(fraction))).quantize(Decimal("0.5"))
            assessments.save_answer(
                by=by, assessment=assessment, item=item, points=points, met=None, narrative=""
            )
        assessments.complete_assessment(by=by, assessment=assessment)
        self.report.add("self-assessments")

    def apply(self, campaign: Campaign, unit: Unit, *, share: float) -> Application:
        self.complete_assessment(unit, campaign.version, share)
        staff = self._staff(unit)
        application = applications.create_application(by=staff, campaign=campaign, unit=unit)
        pick = unit.pk % len(GOALS)
        applications.save_goals(by=staff, application=application, goals=GOALS[pick], measures=MEASURES[pick])
        self.report.add("applications")
        return application

    def submit(self, application: Application) -> Application:
        by = self._staff(application.unit)
        applications.submit_application(by=by, application=application, today=self.day(6, 10))
        applications.publish_goals(by=by, application=application, today=self.day(7, 5))
        return application

    def recommend(self, application: Application) -> None:
        # Where the street has no login in the demo, its district recommends on its behalf.
        street = self._street(application.unit) or self._district(application.unit)
        if street is not None:
            applications.recommend_application(
                by=street, application=application, comment="材料齐全，同意推荐。", today=self.day(7, 20)
            )

    def approve(self, application: Application) -> None:
        district = self._district(application.unit)
        if district is not None:
            applications.approve_application(
                by=district, application=application, comment="经审核，同意上报。", today=self.day(8, 25)
            )

    # --- the city campaign, under review ---------------------------------------------------------------------

    def city_campaign(self, program: Program, communities: list[Unit]) -> Campaign | None:
        city_user = user_of(Role.CITY_OFFICE, office=self.ctx.city_office)
        if (
            city_user is None
            or Campaign.objects.filter(program=program, year=self.year, office=self.ctx.city_office).exists()
        ):
            return None
        campaign = campaigns.create_campaign(
            by=city_user,
            program=program,
            year=self.year,
            office=self.ctx.city_office,
            name=f"{self.year}年长沙市节能环保社区创建",
            quota=24,
        )
        campaign.demonstration_quota = 6
        campaign.save(update_fields=["demonstration_quota"])
        self._shift_stages(campaign)
        self.report.add("campaigns")
        districts = sorted({unit.region.code[:6] + "000000" for unit in communities})
        # The five urban districts get fixed shares; the counties' applicants compete for the remaining five.
        shares = [5, 4, 4, 3, 3]
        for code, amount in zip(districts, shares, strict=False):
            region = Region.objects.get(code=code)
            campaigns.set_allocation(by=city_user, campaign=campaign, region=region, amount=amount)
        self.report.add("quota allocations", min(len(districts), len(shares)))

        eligible = _round_robin(
            [u for u in communities if not Title.objects.filter(unit=u, program=program).exists()]
        )
        rng = self.ctx.rng("city-campaign")
        # The states the demo shows, in the order the applicants are dealt out.
        # The states the demo shows, in the order the applicants are dealt out: a few under review first, then
        # one of every other state, then the rest of the reviewed ones.
        plan = (
            ["checked"] * 3
            + [
                "draft",
                "submitted",
                "returned",
                "recommended",
                "approved",
                "rejected",
                "withdrawn",
            ]
            + ["checked"] * 11
            + ["draft", "submitted", "recommended"]
        )
        by_district: dict[str, list[Application]] = {}
        checked: list[Application] = []
        for unit, state in zip(eligible, plan, strict=False):
            application = self.apply(campaign, unit, share=rng.uniform(0.72, 0.98))
            self._advance_city(application, state)
            if state == "checked":
                by_district.setdefault(unit.region.code[:6] + "000000", []).append(application)
                checked.append(application)
        late = self._send_batches(campaign, by_district, city_user)
        for application in checked:
            applications.check_application(
                by=city_user, application=application, comment="初审通过。", today=self.day(10, 12)
            )
        self._review(campaign, city_user)
        if late:
            self.report.add("late batches with an override", late)
        return campaign

    def _shift_stages(self, campaign: Campaign) -> None:
        if self.shift:
            for stage in Stage.objects.filter(campaign=campaign):
                stage.starts_on += self.shift
                stage.ends_on += self.shift
                stage.save(update_fields=["starts_on", "ends_on"])

    def _advance_city(self, application: Application, state: str) -> None:
        unit = application.unit
        if state == "draft":
            return
        if state == "withdrawn":
            applications.withdraw_application(
                by=self._staff(unit), application=application, comment="今年改造工程未完工，明年再申报。"
            )
            return
        self.submit(application)
        if state == "submitted":
            return
        street = self._street(unit) or self._district(unit)
        if state == "returned" and street is not None:
            applications.return_application(
                by=street,
                application=application,
                comment="自评材料不完整，请补充后重新提交。",
                item_comments=[
                    {"item": "2.1", "comment": "请补充宣传栏更新的照片（至少 3 期）。"},
                    {"item": "1.4", "comment": "门前三包责任书缺少签字页。"},
                ],
            )
            return
        self.recommend(application)
        if state == "recommended":
            return
        district = self._district(unit)
        if state == "rejected" and district is not None:
            applications.reject_application(
                by=district, application=application, comment="近一年辖区发生群众环境投诉未办结，暂不推荐。"
            )
            return
        self.approve(application)

    def _send_batches(self, campaign: Campaign, by_district: dict[str, list[Application]], city: User) -> int:
        late = 0
        for index, (code, group) in enumerate(sorted(by_district.items())):
            office = self.ctx.district_offices[code]
            district = user_of(Role.DISTRICT_OFFICE, office=office)
            if district is None:
                continue
            batch = batches.create_batch(
                by=district,
                campaign=campaign,
                office=office,
                contact_name="创建办联络员",
                contact_phone="0731-84000000",
            )
            batches.add_applications(by=district, batch=batch, applications=group)
            batches.upload_seal_scan(by=district, batch=batch, upload=_stamp_png(batch.number))
            submitted_on = self.day(9, 26)
            if index == 1:
                # One district sends its form after 30 September; the city office reopens the window for it.
                submitted_on = self.day(10, 8)
                campaigns.record_override(
                    by=city,
                    campaign=campaign,
                    action=Action.BATCH,
                    until=self.day(10, 10),
                    reason=f"{office.region.name}因国庆假期盖章延误，经市创建办同意延期报送至 10 月 10 日。",
                    region=office.region,
                )
                late += 1
            batches.submit_batch(by=district, batch=batch, today=submitted_on)
            self.report.add("batches")
        return late

    def _reviewers(self) -> list[User]:
        found = []
        for username, full_name, region_code, expertise in PANEL_REVIEWERS:
            user = self.ctx.login(username, full_name)
            if not RoleAssignment.objects.filter(user=user, role=Role.REVIEWER).exists():
                grant_role(by=None, user=user, role=Role.REVIEWER)
            region = Region.objects.filter(code=region_code).first() if region_code else None
            reviews.save_profile(by=user, region=region, unit=None, department=None, expertise=expertise)
            found.append(user)
        return found

    def _review(self, campaign: Campaign, city: User) -> None:
        reviewer_users = self._reviewers()
        spot_check = reviews.draw_spot_check(
            by=city,
            campaign=campaign,
            size=8,
            weighted=True,
            seed=f"{self.year}-changsha-acceptance",
            purpose="验收评审抽查核实",
            today=self.day(10, 15),
        )
        self.report.add("spot checks")
        sampled = Application.objects.filter(pk__in=[int(key) for key in spot_check.sample]).order_by("pk")
        for index, application in enumerate(sampled):
            reviews.assign_panel(
                by=city, application=application, kind=Review.Kind.DESK, today=self.day(10, 16)
            )
            if index < 5:
                for review in Review.objects.filter(application=application):
                    self._score(review, share=0.8 + 0.03 * (index % 4), submit=index < 4)
        self.report.add("reviews", Review.objects.filter(application__campaign=campaign).count())
        self.report.add("reviewers", len(reviewer_users))

    def _score(self, review: Review, *, share: float, submit: bool) -> None:
        rng = self.ctx.rng(f"review:{review.pk}")
        items = Item.objects.filter(version=review.application.campaign.version, children__isnull=True)
        for item in items.order_by("order", "pk"):
            if item.kind == Item.Kind.AREA:
                continue
            if item.kind == Item.Kind.GATE:
                reviews.save_score(
                    by=review.reviewer, review=review, item=item, points=None, met=True, comment=""
                )
                continue
            fraction = min(1.0, max(0.0, share + rng.uniform(-0.1, 0.1)))
            points = (item.max_points * Decimal(str(fraction))).quantize(Decimal("0.5"))
            reviews.save_score(
                by=review.reviewer, review=review, item=item, points=points, met=None, comment="现场核实。"
            )
        if submit:
            reviews.submit_review(by=review.reviewer, review=review, comment="材料真实，建议通过。")

    # --- a district campaign, already ranked -----------------------------------------------------------------

    def district_campaign(self, program: Program, office: Office, communities: list[Unit]) -> Campaign | None:
        district = user_of(Role.DISTRICT_OFFICE, office=office)
        candidates = [u for u in communities if not Title.objects.filter(unit=u).exists()][:5]
        if (
            district is None
            or not candidates
            or Campaign.objects.filter(program=program, year=self.year, office=office).exists()
        ):
            return None
        campaign = campaigns.create_campaign(
            by=district,
            program=program,
            year=self.year,
            office=office,
            name=f"{self.year}年{office.region.name}区级节能环保社区创建",
            quota=3,
        )
        campaign.demonstration_quota = 1
        campaign.save(update_fields=["demonstration_quota"])
        self._shift_stages(campaign)
        self.report.add("campaigns")
        for index, unit in enumerate(candidates):
            application = self.apply(campaign, unit, share=0.95 - 0.05 * index)
            self.submit(application)
            self.recommend(application)
            self.approve(application)
            applications.check_application(by=district, application=application, today=self.day(10, 10))
            applications.start_review(by=district, application=application, today=self.day(10, 11))
        reviews.combine_scores(by=district, campaign=campaign)
        reviews.rank_and_shortlist(by=district, campaign=campaign, today=self.day(11, 5))
        return campaign


def _round_robin(units: list[Unit]) -> list[Unit]:
    """One community of each district in turn, so every district has applicants in every state."""
    by_district: dict[str, list[Unit]] = {}
    for unit in units:
        by_district.setdefault(unit.region.code[:6], []).append(unit)
    queues = [by_district[code] for code in sorted(by_district)]
    dealt: list[Unit] = []
    while any(queues):
        for queue in queues:
            if queue:
                dealt.append(queue.pop(0))
    return dealt


def post_comments() -> None:
    published = Application.objects.filter(goals_published_at__isnull=False).order_by("pk")[: len(COMMENTS)]
    for application, (name, content) in zip(published, COMMENTS, strict=False):
        if not application.goal_comments.exists():
            applications.post_goal_comment(
                application=application,
                author_name=name,
                content=content,
                client_address=f"10.0.0.{application.pk}",
            )
