"""Units that take part in campaigns, and the offices, departments and bodies that run them.

Two hierarchies meet here (seed 002): the territorial one (a unit sits in a region, and the offices of that
region's ancestors oversee it) and the sector one (a unit may also be managed by a department such as 市教育局
or 军分区, which recommends its own system's units).
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvchuang.regions.models import Region


class Department(models.Model):
    """A government department or similar body: a member of a leadership group, or a sector authority."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("所在行政区"), on_delete=models.PROTECT, related_name="+"
    )
    is_sector_authority = models.BooleanField(
        _("主管部门"), default=False, help_text=_("组织本系统单位创建并推荐申报（如市直部门、军分区）。")
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.region.path, "sector_id": self.pk if self.is_sector_authority else None}


class Office(models.Model):
    """A creation office (创建办) at one level, e.g. 市创建办 hosted by 市环境保护宣教站 (seed 000)."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("所在行政区"), on_delete=models.PROTECT, related_name="+"
    )
    host_department = models.ForeignKey(
        Department,
        verbose_name=_("设在部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("创建办")
        verbose_name_plural = _("创建办")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="office_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.region.path}


class GoverningBody(models.Model):
    """A leadership group, committee or joint meeting with member departments and one lead (seeds 000/002/004)."""

    class Kind(models.TextChoices):
        LEADING_GROUP = "leading_group", _("领导小组")
        COMMITTEE = "committee", _("组委会")
        JOINT_MEETING = "joint_meeting", _("联席会议")

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在行政区"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("办事机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bodies",
    )
    members: models.ManyToManyField[Department, BodyMembership] = models.ManyToManyField(
        Department, through="BodyMembership", verbose_name=_("成员单位"), related_name="bodies"
    )

    class Meta:
        verbose_name = _("领导机构")
        verbose_name_plural = _("领导机构")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.region.path}


class BodyMembership(models.Model):
    body = models.ForeignKey(GoverningBody, verbose_name=_("领导机构"), on_delete=models.CASCADE)
    department = models.ForeignKey(Department, verbose_name=_("成员单位"), on_delete=models.PROTECT)
    is_lead = models.BooleanField(_("牵头单位"), default=False)
    duties = models.CharField(_("职责"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        ordering = ["-is_lead", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "department"], name="membership_once_per_body"),
            models.UniqueConstraint(
                fields=["body"], condition=models.Q(is_lead=True), name="membership_one_lead_per_body"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.department}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.body.region.path}


class Unit(models.Model):
    """A creation unit (创建单位): the thing that self-assesses, applies and holds titles."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("社区（居委会）")
        ORGAN = "organ", _("党政机关")
        PUBLIC_INSTITUTION = "public_institution", _("公共机构")
        SCHOOL = "school", _("学校")
        ENTERPRISE = "enterprise", _("企业")
        MILITARY = "military", _("涉军单位")
        OTHER = "other", _("其他")

    class OrganType(models.TextChoices):
        # The organ types eligible for 节约型机关 (seed 003).
        PARTY = "party", _("党的机关")
        CONGRESS = "congress", _("人大机关")
        GOVERNMENT = "government", _("行政机关")
        CPPCC = "cppcc", _("政协机关")
        SUPERVISORY = "supervisory", _("监察机关")
        COURT = "court", _("审判机关")
        PROCURATORATE = "procuratorate", _("检察机关")
        PEOPLES_ORGANISATION = "peoples_org", _("人民团体")
        CIVIL_SERVICE_INSTITUTION = "civil_service_institution", _("参照公务员法管理的事业单位")

    class OrganLevel(models.TextChoices):
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")
        COUNTY = "county", _("县级")

    class InstitutionType(models.TextChoices):
        # Unit type codes of the public-institution statistics system (facts §3).
        STATE_ORGAN = "01", _("01 国家机关")
        EDUCATION = "021", _("021 事业单位·教育")
        SCIENCE = "022", _("022 事业单位·科技")
        CULTURE = "023", _("023 事业单位·文化")
        HEALTH = "024", _("024 事业单位·卫生")
        SPORTS = "025", _("025 事业单位·体育")
        OTHER_INSTITUTION = "026", _("026 事业单位·其他")
        SOCIAL_ORGANISATION = "03", _("03 社会团体")

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("单位类别"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在行政区"), on_delete=models.PROTECT, related_name="units"
    )
    sector = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sector_units",
        limit_choices_to={"is_sector_authority": True},
    )
    organ_type = models.CharField(_("机关类型"), max_length=30, choices=OrganType.choices, blank=True)
    organ_level = models.CharField(_("机关层级"), max_length=12, choices=OrganLevel.choices, blank=True)
    institution_type = models.CharField(
        _("公共机构类型代码"), max_length=3, choices=InstitutionType.choices, blank=True
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    floor_area = models.DecimalField(
        _("建筑面积（m²）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("办公建筑面积，不含住宅和宿舍。"),
    )
    energy_headcount = models.PositiveIntegerField(
        _("用能人数"), null=True, blank=True, help_text=_("实际在此工作的全部人员，含编外人员。")
    )
    household_count = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    green_family_count = models.PositiveIntegerField(_("绿色家庭数"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("创建单位")
        verbose_name_plural = _("创建单位")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region"),
            models.CheckConstraint(
                condition=~models.Q(kind="organ") | (~models.Q(organ_type="") & ~models.Q(organ_level="")),
                name="unit_organ_has_type_and_level",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="community")
                | (models.Q(household_count__isnull=True) & models.Q(green_family_count__isnull=True)),
                name="unit_families_only_for_communities",
            ),
            models.CheckConstraint(
                condition=models.Q(green_family_count__isnull=True)
                | models.Q(household_count__isnull=True)
                | models.Q(green_family_count__lte=models.F("household_count")),
                name="unit_green_families_within_households",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"region_path": self.region.path, "sector_id": self.sector_id, "unit_id": self.pk}


class ReviewerAssignment(models.Model):
    """A reviewer or expert assigned to a unit: what a reviewer may see (later, per review task)."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="review_units",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指派人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审指派")
        verbose_name_plural = _("评审指派")
        constraints = [models.UniqueConstraint(fields=["reviewer", "unit"], name="reviewer_assigned_once")]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.unit}"

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "region_path": self.unit.region.path,
            "sector_id": self.unit.sector_id,
            "unit_id": self.unit_id,
        }


for _model in (Department, Office, GoverningBody, BodyMembership, Unit, ReviewerAssignment):
    auditlog.register(_model)
