"""The API of programs and campaigns, scoped like the pages.

Programs are a library every role reads (`campaigns.program_access`); an office copies one into a program it
owns (`POST /api/programs/` with `copy_of`) and changes its own (`PATCH`). Campaigns, their stages, window
overrides and quota allocations are scoped by `campaigns.access` (404 outside the jurisdiction, 403 for what the
user may only read). `eligibility` explains, rule by rule, whether a unit may apply; `quota` gives the usage of
the quota one level at a time.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts import access as accounts_access
from lvchuang.accounts.api import VisiblePrimaryKeyField, current_user, parse_filters, service_errors
from lvchuang.accounts.models import User
from lvchuang.campaigns import access, program_access, selectors, services
from lvchuang.campaigns.eligibility import explain
from lvchuang.campaigns.models import Action, Campaign, Program, QuotaAllocation, Stage, WindowOverride
from lvchuang.organisations.models import Department, Office, Unit
from lvchuang.regions.api import RegionCodeField
from lvchuang.regions.models import Region
from lvchuang.standards import access as standards_access
from lvchuang.standards.models import StandardVersion

TAG_PROGRAMS = "创建项目"
TAG_CAMPAIGNS = "创建活动"
REFUSED = OpenApiResponse(
    description="无权执行该操作（例如修改不归本单位维护的项目，或非组织单位修改活动）。"
)
NOT_FOUND = OpenApiResponse(description="对象不存在或不在您的辖区内。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误，整体错误在 non_field_errors。")


@extend_schema_field(
    {
        "type": "string",
        # A pattern, not an enum: the schema's enum post-processing would name it after the property and clash
        # with other apps' fields called `action`.
        "pattern": "^(" + "|".join(Action.values) + ")$",
        "description": "submit 单位提交申报 · recommend 街道推荐 · approve 区县（主管部门）审核 · batch 报送申报表 · "
        "publish_goals 公布创建目标 · check 初审 · review 评审 · shortlist 排名入围",
    }
)
class ActionField(serializers.ChoiceField):
    """An action a stage opens. Inlined in the schema: other apps' fields named `action` have other choices."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Action.choices, **kwargs)


# --- programs -----------------------------------------------------------------------------------------------


class RuleLineSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField(source="label", read_only=True, label="规则")
    text = serializers.CharField(read_only=True, label="说明")


class ProgramSerializer(serializers.ModelSerializer[Program]):
    level_display = serializers.CharField(source="get_level_display", read_only=True, label="称号级别名称")
    standard_name = serializers.CharField(source="standard.name", read_only=True, label="评价标准名称")
    prerequisite_name = serializers.CharField(
        source="prerequisite.name", read_only=True, allow_null=True, label="前置称号名称"
    )
    owner_name = serializers.CharField(
        source="owner.name", read_only=True, allow_null=True, label="维护单位名称"
    )
    is_builtin = serializers.SerializerMethodField(label="系统内置")
    rules = serializers.SerializerMethodField(label="规则说明（中文）")

    class Meta:
        model = Program
        fields = [
            "id",
            "code",
            "name",
            "level",
            "level_display",
            "standard",
            "standard_name",
            "unit_kinds",
            "organ_types",
            "prerequisite",
            "prerequisite_name",
            "skip_level_allowed",
            "cooldown_years",
            "validity_years",
            "exempt_programs",
            "yearly_quota",
            "demonstration_quota",
            "awards",
            "notice_length",
            "notice_day_kind",
            "calendar",
            "combination_rule",
            "reviewers_per_application",
            "reminder_days",
            "source",
            "needs_confirmation",
            "owner",
            "owner_name",
            "is_builtin",
            "is_active",
            "rules",
            "updated_at",
        ]
        read_only_fields = ["id", "owner", "needs_confirmation", "updated_at"]

    def get_is_builtin(self, program: Program) -> bool:
        return program.owner_id is None

    @extend_schema_field(RuleLineSerializer(many=True))
    def get_rules(self, program: Program) -> list[dict[str, str]]:
        return list(RuleLineSerializer(selectors.rules_of(program), many=True).data)


class ProgramCopySerializer(serializers.Serializer[dict[str, Any]]):
    copy_of = VisiblePrimaryKeyField(
        visible=program_access.visible_programs, queryset=Program.objects.all(), label="复制自（项目 id）"
    )
    office = VisiblePrimaryKeyField(
        visible=standards_access.owner_choices, queryset=Office.objects.all(), label="归属创建办"
    )
    code = serializers.SlugField(max_length=60, label="项目代码")
    name = serializers.CharField(max_length=120, required=False, default="", label="称号名称")


@extend_schema(tags=[TAG_PROGRAMS])
@extend_schema_view(
    list=extend_schema(
        summary="创建项目列表", description="全部创建项目（称号及其规则）；任何有角色的用户都可查看。"
    ),
    retrieve=extend_schema(summary="创建项目详情", responses={200: ProgramSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="复制创建项目",
        description="把任一项目（含系统内置）复制为本创建办维护的新项目，之后可以修改。",
        request=ProgramCopySerializer,
        responses={201: ProgramSerializer, 400: INVALID, 403: REFUSED},
    ),
    partial_update=extend_schema(
        summary="修改创建项目",
        description="只有维护该项目的创建办（和系统管理员）可以修改；系统内置项目请先复制。已发起的活动不受影响。",
        responses={200: ProgramSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Program]):
    serializer_class = ProgramSerializer
    queryset = Program.objects.none()

    def get_queryset(self) -> QuerySet[Program]:
        return selectors.program_list(program_access.visible_programs(current_user(self.request)))

    def get_object(self) -> Program:
        for_change = self.action == "partial_update"
        return program_access.access_program_by_id(
            current_user(self.request), self.kwargs["pk"], for_change=for_change
        )

    def create(self, request: Request) -> Response:
        user = current_user(request)
        if not program_access.can_read_programs(user):
            raise PermissionDenied
        serializer = ProgramCopySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            copy = services.copy_program(
                by=user, program=data["copy_of"], office=data["office"], code=data["code"], name=data["name"]
            )
        return Response(self.get_serializer(copy).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        program = self.get_object()
        serializer = self.get_serializer(program, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            program = services.update_program(
                by=current_user(request), program=program, changes=dict(serializer.validated_data)
            )
        return Response(self.get_serializer(program).data)


# --- campaigns ----------------------------------------------------------------------------------------------


class StageSerializer(serializers.ModelSerializer[Stage]):
    campaign = VisiblePrimaryKeyField(
        visible=access.visible_campaigns, queryset=Campaign.objects.all(), label="创建活动"
    )
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, label="活动名称")
    actions = serializers.ListField(child=ActionField(), required=False, label="开放的操作")

    class Meta:
        model = Stage
        fields = ["id", "campaign", "campaign_name", "name", "starts_on", "ends_on", "actions", "order"]
        read_only_fields = ["id", "order"]


class CampaignStageSerializer(serializers.ModelSerializer[Stage]):
    actions = serializers.ListField(child=ActionField(), label="开放的操作")

    class Meta:
        model = Stage
        fields = ["id", "name", "starts_on", "ends_on", "actions"]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    program_name = serializers.CharField(source="program.name", read_only=True, label="称号名称")
    office_name = serializers.CharField(source="office.name", read_only=True, label="组织单位名称")
    version_label = serializers.CharField(source="version.label", read_only=True, label="标准版本")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    stages = serializers.SerializerMethodField(label="日程（阶段）")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "year",
            "program",
            "program_name",
            "office",
            "office_name",
            "version",
            "version_label",
            "quota",
            "demonstration_quota",
            "combination_rule",
            "reviewers_per_application",
            "status",
            "status_display",
            "stages",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CampaignStageSerializer(many=True))
    def get_stages(self, campaign: Campaign) -> list[dict[str, Any]]:
        return list(CampaignStageSerializer(campaign.stages.all(), many=True).data)


class CampaignCreateSerializer(serializers.Serializer[dict[str, Any]]):
    program = VisiblePrimaryKeyField(
        visible=program_access.visible_programs, queryset=Program.objects.all(), label="创建项目"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年度")
    office = VisiblePrimaryKeyField(
        visible=standards_access.owner_choices, queryset=Office.objects.all(), label="组织单位"
    )
    name = serializers.CharField(max_length=150, required=False, default="", label="名称")
    version = serializers.PrimaryKeyRelatedField(
        queryset=StandardVersion.objects.filter(status=StandardVersion.Status.PUBLISHED),
        required=False,
        allow_null=True,
        default=None,
        label="标准版本",
    )
    quota = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None, label="名额")


class CampaignFilters(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(required=False, help_text="年度。")
    program = serializers.IntegerField(required=False, help_text="创建项目 id。")


class CampaignEligibilityLineSerializer(serializers.Serializer[dict[str, Any]]):
    rule = serializers.CharField(label="规则代码")
    outcome = serializers.CharField(label="结果代码")
    refuses = serializers.BooleanField(label="是否因此不能申报")
    text = serializers.CharField(label="说明")


class CampaignEligibilitySerializer(serializers.Serializer[dict[str, Any]]):
    unit = serializers.IntegerField(allow_null=True, label="单位 id")
    unit_name = serializers.CharField(allow_null=True, label="单位名称")
    eligible = serializers.BooleanField(allow_null=True, label="可以申报")
    exempt = serializers.BooleanField(allow_null=True, label="免于评价")
    by_skip_level = serializers.BooleanField(allow_null=True, label="越级申报")
    lines = CampaignEligibilityLineSerializer(many=True, label="逐条说明")
    rules = RuleLineSerializer(many=True, label="项目规则")


class CampaignEligibilityQuery(serializers.Serializer[dict[str, Any]]):
    unit = serializers.IntegerField(required=False, help_text="单位 id；不填时只返回项目规则。")


class UsageRowSerializer(serializers.Serializer[selectors.UsageRow]):
    name = serializers.CharField(source="label", label="地区或主管部门")
    region = serializers.SerializerMethodField(label="区划代码")
    department = serializers.SerializerMethodField(label="主管部门 id")
    allocated = serializers.IntegerField(allow_null=True, label="分配名额")
    in_progress = serializers.IntegerField(label="申报中")
    shortlisted = serializers.IntegerField(label="已入围")
    drillable = serializers.BooleanField(label="可以查看下一级")

    def get_region(self, row: selectors.UsageRow) -> str | None:
        return row.region.code if row.region is not None else None

    def get_department(self, row: selectors.UsageRow) -> int | None:
        return row.department.pk if row.department is not None else None


class QuotaUsageSerializer(serializers.Serializer[selectors.QuotaUsage]):
    region = serializers.CharField(source="region.code", label="本级区划代码")
    region_name = serializers.CharField(source="region.name", label="本级名称")
    limit = serializers.IntegerField(allow_null=True, label="本级可分配名额（为空表示不限）")
    allocated = serializers.IntegerField(label="已分配到下级")
    unallocated = serializers.IntegerField(allow_null=True, label="未分配")
    in_progress = serializers.IntegerField(label="申报中")
    shortlisted = serializers.IntegerField(label="已入围")
    rows = UsageRowSerializer(many=True, label="下级")


class QuotaQuery(serializers.Serializer[dict[str, Any]]):
    region = RegionCodeField(required=False, help_text="区划代码：查看该地区以下一级；不填为活动本级。")


@extend_schema(tags=[TAG_CAMPAIGNS])
@extend_schema_view(
    list=extend_schema(
        summary="创建活动列表",
        description="您辖区内和上级发起的创建活动，含日程。",
        parameters=[CampaignFilters],
    ),
    retrieve=extend_schema(summary="创建活动详情", responses={200: CampaignSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="发起创建活动",
        description="按项目的日程模板生成本年度各阶段，复制名额和评分规则，锁定采用的标准版本。",
        request=CampaignCreateSerializer,
        responses={201: CampaignSerializer, 400: INVALID, 403: REFUSED},
    ),
)
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Campaign]):
    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()

    def get_queryset(self) -> QuerySet[Campaign]:
        campaigns = selectors.campaign_list(access.visible_campaigns(current_user(self.request)))
        if self.action != "list":
            return campaigns
        filters = parse_filters(CampaignFilters, self.request)
        if "year" in filters:
            campaigns = campaigns.filter(year=filters["year"])
        if "program" in filters:
            campaigns = campaigns.filter(program_id=filters["program"])
        return campaigns

    def get_object(self) -> Campaign:
        campaign = access.access_campaign_by_id(current_user(self.request), self.kwargs["pk"])
        return selectors.campaign_detail_queryset(
            Campaign.objects.select_related("office__region", "version")
        ).get(pk=campaign.pk)

    def create(self, request: Request) -> Response:
        serializer = CampaignCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            campaign = services.create_campaign(
                by=current_user(request),
                program=data["program"],
                year=data["year"],
                office=data["office"],
                name=data["name"],
                version=data["version"],
                quota=data["quota"],
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data, status=201)

    @extend_schema(
        summary="申报资格",
        description="按活动项目的规则逐条检查单位能否申报（适用单位、前置称号、重复申报间隔、免于评价），"
        "每条附中文说明。单位须在您的辖区内。",
        parameters=[CampaignEligibilityQuery],
        responses={200: CampaignEligibilitySerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def eligibility(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        campaign = self.get_object()
        query = parse_filters(CampaignEligibilityQuery, request)
        rules = selectors.rules_of(campaign.program)
        body: dict[str, Any] = {
            "unit": None,
            "unit_name": None,
            "eligible": None,
            "exempt": None,
            "by_skip_level": None,
            "lines": [],
            "rules": rules,
        }
        if "unit" in query:
            unit: Unit = accounts_access.access_unit_by_id(user, query["unit"])
            explained = explain(campaign.program, unit, today=timezone.localdate())
            body |= {
                "unit": unit.pk,
                "unit_name": unit.name,
                "eligible": explained.eligible,
                "exempt": explained.exempt,
                "by_skip_level": explained.verdict.by_skip_level,
                "lines": explained.as_json(),
            }
        return Response(CampaignEligibilitySerializer(body).data)

    @extend_schema(
        summary="名额使用",
        description="某一级（默认为活动本级）下一级各地区和主管部门的分配名额、申报中和已入围数量。",
        parameters=[QuotaQuery],
        responses={200: QuotaUsageSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def quota(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        campaign = self.get_object()
        query = parse_filters(QuotaQuery, request)
        region = None
        if "region" in query:
            region = Region.objects.filter(code=query["region"]).first()
            if (
                region is None
                or not region.path.startswith(campaign.office.region.path)
                or not selectors.sees_region(user, campaign, region)
            ):
                raise NotFound
        usage = selectors.quota_usage(campaign, region=region, user=user)
        return Response(QuotaUsageSerializer(usage).data)


# --- stages, overrides, allocations -----------------------------------------------------------------------


class CampaignFilter(serializers.Serializer[dict[str, Any]]):
    campaign = serializers.IntegerField(required=False, help_text="创建活动 id。")


def _in_visible_campaigns(queryset: QuerySet[Any], user: User) -> QuerySet[Any]:
    return queryset.filter(campaign__in=access.visible_campaigns(user).values("pk"))


def _by_campaign(queryset: QuerySet[Any], request: Request) -> QuerySet[Any]:
    filters = parse_filters(CampaignFilter, request)
    return queryset.filter(campaign_id=filters["campaign"]) if "campaign" in filters else queryset


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


@extend_schema(tags=[TAG_CAMPAIGNS])
@extend_schema_view(
    list=extend_schema(summary="阶段列表", parameters=[CampaignFilter]),
    retrieve=extend_schema(summary="阶段详情", responses={200: StageSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary="添加阶段", responses={201: StageSerializer, 400: INVALID, 403: REFUSED}),
    partial_update=extend_schema(
        summary="修改阶段", responses={200: StageSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND}
    ),
    destroy=extend_schema(summary="删除阶段", responses={204: None, 403: REFUSED, 404: NOT_FOUND}),
)
class StageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Stage],
):
    serializer_class = StageSerializer
    queryset = Stage.objects.none()

    def get_queryset(self) -> QuerySet[Stage]:
        stages = _in_visible_campaigns(Stage.objects.select_related("campaign"), current_user(self.request))
        return _by_campaign(stages, self.request) if self.action == "list" else stages

    def get_object(self) -> Stage:
        stage: Stage = _get_or_404(
            self.get_queryset().select_related("campaign__office__region"), self.kwargs["pk"]
        )
        return stage

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            stage = services.save_stage(
                by=current_user(request),
                campaign=data["campaign"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                actions=data.get("actions", []),
            )
        return Response(self.get_serializer(stage).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        stage = self.get_object()
        serializer = self.get_serializer(stage, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("campaign", stage.campaign) != stage.campaign:
            raise serializers.ValidationError({"campaign": ["阶段不能移到另一个活动。"]})
        with service_errors():
            stage = services.save_stage(
                by=current_user(request),
                campaign=stage.campaign,
                stage=stage,
                name=data.get("name", stage.name),
                starts_on=data.get("starts_on", stage.starts_on),
                ends_on=data.get("ends_on", stage.ends_on),
                actions=data.get("actions", stage.actions),
            )
        return Response(self.get_serializer(stage).data)

    def perform_destroy(self, instance: Stage) -> None:
        with service_errors():
            services.delete_stage(by=current_user(self.request), stage=instance)


class OverrideSerializer(serializers.ModelSerializer[WindowOverride]):
    action = ActionField(label="操作")
    campaign = VisiblePrimaryKeyField(
        visible=access.visible_campaigns, queryset=Campaign.objects.all(), label="创建活动"
    )
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, label="活动名称")
    action_display = serializers.CharField(source="get_action_display", read_only=True, label="操作名称")
    region = serializers.SlugRelatedField[Region](
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        label="适用地区（区划代码）",
    )
    region_name = serializers.CharField(
        source="region.name", read_only=True, allow_null=True, label="适用地区"
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_sector_authority=True),
        required=False,
        allow_null=True,
        label="适用主管部门",
    )
    created_by_name = serializers.CharField(
        source="created_by.__str__", read_only=True, allow_null=True, label="登记人"
    )

    class Meta:
        model = WindowOverride
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "action",
            "action_display",
            "region",
            "region_name",
            "department",
            "until",
            "reason",
            "created_by_name",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


@extend_schema(tags=[TAG_CAMPAIGNS])
@extend_schema_view(
    list=extend_schema(summary="窗口延期记录", parameters=[CampaignFilter]),
    retrieve=extend_schema(summary="窗口延期详情", responses={200: OverrideSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="登记窗口延期",
        description="组织单位（及其上级）为某地区或主管部门重新开放已截止的操作，须写明理由。",
        responses={201: OverrideSerializer, 400: INVALID, 403: REFUSED},
    ),
)
class OverrideViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[WindowOverride]
):
    serializer_class = OverrideSerializer
    queryset = WindowOverride.objects.none()

    def get_queryset(self) -> QuerySet[WindowOverride]:
        overrides = _in_visible_campaigns(
            WindowOverride.objects.select_related("campaign", "region", "department", "created_by"),
            current_user(self.request),
        )
        return _by_campaign(overrides, self.request) if self.action == "list" else overrides

    def get_object(self) -> WindowOverride:
        override: WindowOverride = _get_or_404(self.get_queryset(), self.kwargs["pk"])
        return override

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            override = services.record_override(
                by=current_user(request),
                campaign=data["campaign"],
                action=data["action"],
                until=data["until"],
                reason=data["reason"],
                region=data.get("region"),
                department=data.get("department"),
            )
        return Response(self.get_serializer(override).data, status=status.HTTP_201_CREATED)


class AllocationSerializer(serializers.ModelSerializer[QuotaAllocation]):
    campaign = VisiblePrimaryKeyField(
        visible=access.visible_campaigns, queryset=Campaign.objects.all(), label="创建活动"
    )
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, label="活动名称")
    region = serializers.SlugRelatedField[Region](
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        label="地区（区划代码）",
    )
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True, label="地区")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_sector_authority=True),
        required=False,
        allow_null=True,
        label="主管部门",
    )
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, label="主管部门名称"
    )
    in_progress = serializers.SerializerMethodField(label="申报中")
    shortlisted = serializers.SerializerMethodField(label="已入围")

    class Meta:
        model = QuotaAllocation
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "region",
            "region_name",
            "department",
            "department_name",
            "amount",
            "note",
            "in_progress",
            "shortlisted",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        validators: list[Any] = []  # the service creates or updates the one allocation per region

    def _usage(self, allocation: QuotaAllocation) -> tuple[int, int]:
        usage = self.context.get("usage")
        if usage is None or allocation.pk not in usage:
            usage = selectors.allocation_usage([allocation])
        return usage.get(allocation.pk, (0, 0))

    def get_in_progress(self, allocation: QuotaAllocation) -> int:
        return self._usage(allocation)[0]

    def get_shortlisted(self, allocation: QuotaAllocation) -> int:
        return self._usage(allocation)[1]


@extend_schema(tags=[TAG_CAMPAIGNS])
@extend_schema_view(
    list=extend_schema(summary="名额分配列表", parameters=[CampaignFilter]),
    retrieve=extend_schema(summary="名额分配详情", responses={200: AllocationSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="分配名额",
        description="新建或修改一个地区（或主管部门）的名额。组织单位分配活动名额，区县可以把自己的名额再分给街道；"
        "下级合计不能超过上级名额。",
        responses={200: AllocationSerializer, 201: AllocationSerializer, 400: INVALID, 403: REFUSED},
    ),
)
class AllocationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[QuotaAllocation]
):
    serializer_class = AllocationSerializer
    queryset = QuotaAllocation.objects.none()

    def get_queryset(self) -> QuerySet[QuotaAllocation]:
        allocations = _in_visible_campaigns(
            QuotaAllocation.objects.select_related("campaign", "region", "department"),
            current_user(self.request),
        )
        return _by_campaign(allocations, self.request) if self.action == "list" else allocations

    def get_object(self) -> QuotaAllocation:
        allocation: QuotaAllocation = _get_or_404(self.get_queryset(), self.kwargs["pk"])
        return allocation

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        context = {**self.get_serializer_context(), "usage": selectors.allocation_usage(page)}
        return self.get_paginated_response(AllocationSerializer(page, many=True, context=context).data)

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = QuotaAllocation.objects.filter(
            campaign=data["campaign"], region=data.get("region"), department=data.get("department")
        ).exists()
        with service_errors():
            allocation = services.set_allocation(
                by=current_user(request),
                campaign=data["campaign"],
                amount=data["amount"],
                region=data.get("region"),
                department=data.get("department"),
                note=data.get("note", ""),
            )
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(self.get_serializer(allocation).data, status=code)


def register(router: DefaultRouter) -> None:
    router.register("programs", ProgramViewSet, basename="program")
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("stages", StageViewSet, basename="stage")
    router.register("window-overrides", OverrideViewSet, basename="window-override")
    router.register("quota-allocations", AllocationViewSet, basename="quota-allocation")
