"""The review API, scoped like the pages (`selectors`): the issuing office's spot checks, panels, combination and
ranking; the reviewer's own profile, conflicts and reviews.

- `GET/POST /api/spot-checks/`, `GET /api/spot-checks/{id}/`, `GET /api/spot-checks/{id}/verify/`;
- `GET/PUT /api/reviewer-profile/me/`; `GET/POST /api/reviewer-conflicts/`, `DELETE /api/reviewer-conflicts/{id}/`;
- `GET /api/review-panels/{application_id}/`, `POST /api/review-panels/{application_id}/assign/`;
- `GET /api/reviews/` (own), `GET /api/reviews/{id}/`, `PATCH /api/reviews/{id}/items/{item_id}/`,
  `POST /api/reviews/{id}/submit/`;
- `POST /api/review-campaigns/{campaign_id}/combine/`, `POST /api/review-campaigns/{campaign_id}/rank/`;
- `GET /api/ranking-runs/`, `GET /api/ranking-runs/{id}/`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.api import current_user, service_errors
from lvchuang.applications.models import Application
from lvchuang.campaigns.access import access_campaign_by_id
from lvchuang.campaigns.models import Campaign
from lvchuang.organisations.models import Department, Unit
from lvchuang.regions.models import Region
from lvchuang.reviews import selectors, services
from lvchuang.reviews.models import (
    COMMENT_MAX_LENGTH,
    ConflictDeclaration,
    Exclusion,
    RankingRun,
    Review,
    ReviewerProfile,
    ReviewScore,
    SpotCheck,
)
from lvchuang.standards.models import Item

TAG = "评审"
NOT_FOUND = OpenApiResponse(description="不存在，或不在您的职责范围内。")
REFUSED = OpenApiResponse(description="您无权进行该操作。")
INVALID = OpenApiResponse(description="输入有误：按字段列出错误。")


# --- spot checks --------------------------------------------------------------------------------------------------


class SpotCheckSerializer(serializers.ModelSerializer[SpotCheck]):
    population = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        read_only=True,
        label="总体",
        help_text="[[申报 id, 权重], …]，按 id 文本排序前的记录顺序。",
    )
    sample = serializers.ListField(child=serializers.CharField(), read_only=True, label="样本（抽中顺序）")

    class Meta:
        model = SpotCheck
        fields = [
            "id",
            "campaign",
            "purpose",
            "seed",
            "size",
            "weighted",
            "population",
            "sample",
            "created_at",
        ]
        read_only_fields = fields


class DrawSerializer(serializers.Serializer[dict[str, Any]]):
    campaign = serializers.IntegerField(help_text="创建活动 id。")
    size = serializers.IntegerField(min_value=1, max_value=10000, help_text="样本量。")
    weighted = serializers.BooleanField(default=False, help_text="按风险加权。")
    seed = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="随机种子；留空自动生成。"
    )
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=120, help_text="用途。")


class VerificationSerializer(serializers.Serializer[Any]):
    matches = serializers.BooleanField(label="与记录一致")
    redrawn = serializers.ListField(child=serializers.CharField(), label="重新抽取的样本")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="抽查列表", description="您负责组织的创建活动的抽查。"),
    retrieve=extend_schema(summary="抽查详情", responses={200: SpotCheckSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="抽取",
        description="从初审通过和评审中的申报中抽取；抽中的初审通过申报进入评审。",
        request=DrawSerializer,
        responses={201: SpotCheckSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    ),
)
class SpotCheckViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[SpotCheck],
):
    serializer_class = SpotCheckSerializer
    queryset = SpotCheck.objects.none()

    def get_queryset(self) -> Any:
        return selectors.visible_spot_checks(current_user(self.request))

    def get_object(self) -> SpotCheck:
        return selectors.access_spot_check_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = current_user(request)
        data = DrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = access_campaign_by_id(user, data.validated_data["campaign"], for_change=True)
        with service_errors():
            spot_check = services.draw_spot_check(
                by=user,
                campaign=campaign,
                size=data.validated_data["size"],
                weighted=data.validated_data["weighted"],
                seed=data.validated_data.get("seed"),
                purpose=data.validated_data.get("purpose", ""),
            )
        return Response(SpotCheckSerializer(spot_check).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="重新运行核对",
        description="按记录的种子、总体和权重重新抽取（lvchuang/lib/sampling.py），说明是否与记录一致。",
        responses={200: VerificationSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def verify(self, request: Request, pk: str) -> Response:
        verification = services.verify_spot_check(self.get_object())
        return Response(VerificationSerializer(verification).data)


# --- the reviewer's profile and conflicts ----------------------------------------------------------------------


class ProfileSerializer(serializers.ModelSerializer[ReviewerProfile]):
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
        help_text="地区代码。",
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = ReviewerProfile
        fields = ["region", "unit", "department", "expertise"]


@extend_schema(tags=[TAG])
class ReviewerProfileViewSet(viewsets.GenericViewSet[ReviewerProfile]):
    serializer_class = ProfileSerializer
    queryset = ReviewerProfile.objects.none()

    @extend_schema(
        summary="本人的评审专家信息",
        methods=["GET"],
        responses={200: ProfileSerializer, 403: REFUSED},
    )
    @extend_schema(
        summary="保存本人的评审专家信息",
        methods=["PUT"],
        request=ProfileSerializer,
        responses={200: ProfileSerializer, 400: INVALID, 403: REFUSED},
    )
    @action(detail=False, methods=["get", "put"])
    def me(self, request: Request) -> Response:
        user = current_user(request)
        if request.method == "PUT":
            data = ProfileSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            with service_errors():
                profile = services.save_profile(
                    by=user,
                    region=data.validated_data.get("region"),
                    unit=data.validated_data.get("unit"),
                    department=data.validated_data.get("department"),
                    expertise=data.validated_data.get("expertise", ""),
                )
            return Response(ProfileSerializer(profile).data)
        if not selectors.is_reviewer(user):
            raise exceptions.PermissionDenied
        return Response(ProfileSerializer(selectors.profile_of(user) or ReviewerProfile(user=user)).data)


class ConflictSerializer(serializers.ModelSerializer[ConflictDeclaration]):
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
        help_text="地区代码。",
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = ConflictDeclaration
        fields = ["id", "unit", "region", "department", "relation", "declared_at"]
        read_only_fields = ["id", "declared_at"]


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="本人申报的利益冲突"),
    create=extend_schema(
        summary="申报利益冲突", responses={201: ConflictSerializer, 400: INVALID, 403: REFUSED}
    ),
    destroy=extend_schema(summary="撤回利益冲突申报", responses={204: None, 404: NOT_FOUND}),
)
class ConflictViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ConflictDeclaration],
):
    serializer_class = ConflictSerializer
    queryset = ConflictDeclaration.objects.none()

    def get_queryset(self) -> Any:
        return selectors.own_conflicts(current_user(self.request))

    def get_object(self) -> ConflictDeclaration:
        return selectors.access_own_conflict(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ConflictSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            declaration = services.declare_conflict(by=current_user(request), **data.validated_data)
        return Response(ConflictSerializer(declaration).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ConflictDeclaration) -> None:
        services.withdraw_conflict(by=current_user(self.request), declaration=instance)


# --- panels -------------------------------------------------------------------------------------------------------


class ReviewSerializer(serializers.ModelSerializer[Review]):
    unit_name = serializers.CharField(source="application.unit.name", read_only=True, label="单位名称")
    reviewer_name = serializers.CharField(source="reviewer.__str__", read_only=True, label="评审专家")
    kind = serializers.CharField(read_only=True, help_text="评审方式：desk 书面评审，onsite 现场评审。")

    class Meta:
        model = Review
        fields = [
            "id",
            "application",
            "unit_name",
            "reviewer",
            "reviewer_name",
            "kind",
            "status",
            "total",
            "passed",
            "comment",
            "assigned_at",
            "submitted_at",
        ]
        read_only_fields = fields


class ExclusionSerializer(serializers.ModelSerializer[Exclusion]):
    class Meta:
        model = Exclusion
        fields = ["reviewer", "reason", "recorded_at"]
        read_only_fields = fields


class PanelSerializer(serializers.Serializer[Any]):
    application = serializers.IntegerField(label="申报 id")
    reviews = ReviewSerializer(many=True, label="评审")
    exclusions = ExclusionSerializer(many=True, label="回避记录")
    missing = serializers.IntegerField(label="尚缺评审专家数")


class AssignSerializer(serializers.Serializer[dict[str, Any]]):
    # Plain text rather than an enum: the schema already has other "kind" enums (units, items) and their names
    # would collide; the service checks the value.
    kind = serializers.CharField(max_length=10, help_text="评审方式：desk 书面评审，onsite 现场评审。")
    reviewers = serializers.PrimaryKeyRelatedField(
        queryset=selectors.reviewers(),
        many=True,
        required=False,
        help_text="指定的评审专家 id；不填则自动抽选。",
    )


@extend_schema(tags=[TAG])
class PanelViewSet(viewsets.GenericViewSet[Application]):
    """An application's review panel; the id in the path is the application's."""

    serializer_class = PanelSerializer
    queryset = Application.objects.none()

    def _application(self) -> Application:
        return selectors.access_run_application_by_id(current_user(self.request), self.kwargs["pk"])

    @extend_schema(summary="评审组", responses={200: PanelSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: str) -> Response:
        application = self._application()
        data = {
            "application": application.pk,
            "reviews": application.reviews.select_related("reviewer", "application__unit"),
            "exclusions": application.exclusions.all(),
            "missing": 0,
        }
        return Response(PanelSerializer(data).data)

    @extend_schema(
        summary="指派评审专家",
        description="不指定专家时自动抽选：跳过须回避的专家（记录回避理由），优先安排待评审任务少的专家；"
        "指定的专家须回避时拒绝并说明理由。初审通过的申报随之进入评审。",
        request=AssignSerializer,
        responses={201: PanelSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        application = self._application()
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            panel = services.assign_panel(
                by=current_user(request),
                application=application,
                kind=data.validated_data["kind"],
                reviewers=data.validated_data.get("reviewers") or None,
            )
        payload = {
            "application": application.pk,
            "reviews": panel.reviews,
            "exclusions": panel.exclusions,
            "missing": panel.missing,
        }
        return Response(PanelSerializer(payload).data, status=status.HTTP_201_CREATED)


# --- reviews -------------------------------------------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer[ReviewScore]):
    code = serializers.CharField(source="item.code", read_only=True, label="条目编号")

    class Meta:
        model = ReviewScore
        fields = ["item", "code", "points", "met", "comment", "updated_at"]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    scores = ScoreSerializer(many=True, read_only=True, label="逐项评分")

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "scores"]
        read_only_fields = fields


class ScoreInputSerializer(serializers.Serializer[dict[str, Any]]):
    points = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    met = serializers.BooleanField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH)


class SubmitSerializer(serializers.Serializer[dict[str, Any]]):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=3000)


ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="条目 id。")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="我的评审", description="指派给本人的评审，待评审的在前。"),
    retrieve=extend_schema(
        summary="评审详情",
        description="评审专家本人和组织单位可见，含逐项评分。",
        responses={200: ReviewDetailSerializer, 404: NOT_FOUND},
    ),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Review]):
    serializer_class = ReviewSerializer
    queryset = Review.objects.none()

    def get_queryset(self) -> Any:
        return selectors.own_reviews(current_user(self.request)).select_related("reviewer")

    def get_serializer_class(self) -> Any:
        return ReviewDetailSerializer if self.action == "retrieve" else ReviewSerializer

    def retrieve(self, request: Request, pk: str) -> Response:
        review = selectors.access_review_by_id(current_user(request), pk)
        data = ReviewDetailSerializer(review).data
        data["scores"] = ScoreSerializer(review.scores.select_related("item"), many=True).data
        return Response(data)

    @extend_schema(
        summary="评一个条目",
        description="保存一个条目的评分（基本条件为是否满足）和意见；未提供的字段保持原值。只有评审专家本人可以评分。",
        parameters=[ITEM_ID],
        request=ScoreInputSerializer,
        responses={200: ScoreSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["patch"], url_path=r"items/(?P<item_id>[0-9]+)", url_name="item")
    def score_item(self, request: Request, pk: str, item_id: str) -> Response:
        user = current_user(request)
        review = selectors.access_review_by_id(user, pk, for_change=True)
        item = Item.objects.filter(version_id=review.application.campaign.version_id, pk=item_id).first()
        if item is None:
            raise Http404
        current = ReviewScore.objects.filter(review=review, item=item).first()
        data = ScoreInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        score = {
            "points": current.points if current else None,
            "met": current.met if current else None,
            "comment": current.comment if current else "",
            **data.validated_data,
        }
        with service_errors():
            saved = services.save_score(by=user, review=review, item=item, **score)
        saved.item = item
        return Response(ScoreSerializer(saved).data)

    @extend_schema(
        summary="提交评审",
        description="全部条目评分后提交，记录得分和是否达标。",
        request=SubmitSerializer,
        responses={200: ReviewSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        review = selectors.access_review_by_id(user, pk, for_change=True)
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            review = services.submit_review(
                by=user, review=review, comment=data.validated_data.get("comment", "")
            )
        return Response(ReviewSerializer(review).data)


# --- combination and ranking ---------------------------------------------------------------------------------------


class CombinedSerializer(serializers.Serializer[Any]):
    combined = serializers.IntegerField(label="合成得分的申报数")


class RankingRunSerializer(serializers.ModelSerializer[RankingRun]):
    rows = serializers.ListField(child=serializers.DictField(), read_only=True, label="排名结果")

    class Meta:
        model = RankingRun
        fields = ["id", "campaign", "rows", "shortlisted_count", "at"]
        read_only_fields = fields


@extend_schema(tags=[TAG])
class ReviewCampaignViewSet(viewsets.GenericViewSet[Campaign]):
    """Combination and ranking of a campaign; the id in the path is the campaign's."""

    serializer_class = CombinedSerializer
    queryset = Campaign.objects.none()

    def _campaign(self) -> Campaign:
        return access_campaign_by_id(current_user(self.request), self.kwargs["pk"], for_change=True)

    @extend_schema(
        summary="合成评分",
        description="按活动的评分合成规则计算每份申报的最终得分和是否达标。",
        request=None,
        responses={200: CombinedSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def combine(self, request: Request, pk: str) -> Response:
        with service_errors():
            combined = services.combine_scores(by=current_user(request), campaign=self._campaign())
        return Response({"combined": len(combined)})

    @extend_schema(
        summary="排名入围",
        description="按最终得分排名，按名额入围或未入围，标记示范候选，记录排名结果。",
        request=None,
        responses={201: RankingRunSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def rank(self, request: Request, pk: str) -> Response:
        with service_errors():
            run = services.rank_and_shortlist(by=current_user(request), campaign=self._campaign())
        return Response(RankingRunSerializer(run).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="排名记录"),
    retrieve=extend_schema(summary="排名记录详情", responses={200: RankingRunSerializer, 404: NOT_FOUND}),
)
class RankingRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[RankingRun]
):
    serializer_class = RankingRunSerializer
    queryset = RankingRun.objects.none()

    def get_queryset(self) -> Any:
        return selectors.visible_rankings(current_user(self.request))

    def get_object(self) -> RankingRun:
        return selectors.access_ranking_by_id(current_user(self.request), self.kwargs["pk"])


def register(router: DefaultRouter) -> None:
    router.register("spot-checks", SpotCheckViewSet, basename="spot-check")
    router.register("reviewer-profile", ReviewerProfileViewSet, basename="reviewer-profile")
    router.register("reviewer-conflicts", ConflictViewSet, basename="reviewer-conflict")
    router.register("review-panels", PanelViewSet, basename="review-panel")
    router.register("reviews", ReviewViewSet, basename="review")
    router.register("review-campaigns", ReviewCampaignViewSet, basename="review-campaign")
    router.register("ranking-runs", RankingRunViewSet, basename="ranking-run")
