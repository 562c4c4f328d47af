"""The self-assessment API, scoped like the pages: a self-assessment is visible to whoever may see its unit.

- `GET /api/self-assessments/` and `GET /api/self-assessments/{id}/` — list and detail (with every answer);
- `PATCH /api/self-assessments/{id}/items/{item_id}/` — one item's answer, through `services.save_answer`;
- `GET /api/self-assessments/{id}/evaluation/` — the live evaluation with its plain explanation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.assessments import selectors, services
from lvchuang.assessments.models import NARRATIVE_MAX_LENGTH, Evidence, ItemResponse, SelfAssessment
from lvchuang.standards.models import Item

TAG = "自评"
NOT_FOUND = OpenApiResponse(description="自评或条目不存在，或不在您的辖区内。")
REFUSED = OpenApiResponse(description="您只能查看该单位的自评，不能修改。")
INVALID = OpenApiResponse(description="输入有误（分值超出范围、说明过长、自评已完成等）：按字段列出错误。")


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    download = serializers.SerializerMethodField(label="下载地址")

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "download"]
        read_only_fields = fields

    def get_download(self, evidence: Evidence) -> str:
        assessment_id = evidence.response.assessment_id
        return reverse("assessments:evidence_file", args=[assessment_id, evidence.pk])


class ItemResponseSerializer(serializers.ModelSerializer[ItemResponse]):
    code = serializers.CharField(source="item.code", read_only=True, label="条目编号")
    evidence = EvidenceSerializer(many=True, read_only=True, label="佐证材料")

    class Meta:
        model = ItemResponse
        fields = ["item", "code", "points", "met", "narrative", "updated_at", "evidence"]
        read_only_fields = fields


class SelfAssessmentSerializer(serializers.ModelSerializer[SelfAssessment]):
    unit_name = serializers.CharField(source="unit.name", read_only=True, label="单位名称")
    standard_name = serializers.CharField(source="version.standard.name", read_only=True, label="评价标准")
    version_label = serializers.CharField(source="version.label", read_only=True, label="标准版本")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    answered = serializers.IntegerField(read_only=True, label="已填写条目数")
    leaf_count = serializers.IntegerField(read_only=True, label="需填写条目数")

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "unit",
            "unit_name",
            "version",
            "standard_name",
            "version_label",
            "status",
            "status_display",
            "answered",
            "leaf_count",
            "total",
            "passed",
            "grade",
            "explanation",
            "created_at",
            "updated_at",
            "completed_at",
        ]
        read_only_fields = fields


class SelfAssessmentDetailSerializer(SelfAssessmentSerializer):
    responses = ItemResponseSerializer(many=True, read_only=True, label="逐项自评")

    class Meta(SelfAssessmentSerializer.Meta):
        fields = [*SelfAssessmentSerializer.Meta.fields, "responses"]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer[dict[str, Any]]):
    """One item's answer. Fields left out keep their saved value."""

    points = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="自评分（计分项、必须完成项、加分项），0 到该条目分值之间；null 清空。",
    )
    met = serializers.BooleanField(
        required=False, allow_null=True, help_text="是否满足（仅基本条件）；null 清空。"
    )
    narrative = serializers.CharField(
        required=False, allow_blank=True, max_length=NARRATIVE_MAX_LENGTH, help_text="情况说明。"
    )


class ItemResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(label="条目 id")
    code = serializers.CharField(label="编号")
    title = serializers.CharField(label="名称")
    kind = serializers.CharField(label="类型")
    depth = serializers.IntegerField(label="层级")
    is_leaf = serializers.BooleanField(label="是否需填写")
    points = serializers.DecimalField(max_digits=7, decimal_places=2, label="得分")
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2, label="最高分")
    answered = serializers.BooleanField(label="已填写")
    failed = serializers.BooleanField(label="必须完成项为零或基本条件未满足")


class EvaluationSerializer(serializers.Serializer[Any]):
    total = serializers.DecimalField(max_digits=7, decimal_places=2, label="总分")
    regular_points = serializers.DecimalField(max_digits=7, decimal_places=2, label="基本分")
    bonus_points = serializers.DecimalField(max_digits=7, decimal_places=2, label="加分")
    max_total = serializers.DecimalField(max_digits=7, decimal_places=2, label="最高分（满分加加分上限）")
    pass_line = serializers.DecimalField(max_digits=7, decimal_places=2, label="合格线")
    shortfall = serializers.DecimalField(max_digits=7, decimal_places=2, label="距合格线")
    passed = serializers.BooleanField(label="是否通过")
    verdict = serializers.ChoiceField(
        choices=["passed", "failed", "incomplete"], label="结论", help_text="通过、未通过或尚未完成。"
    )
    grade = serializers.CharField(allow_null=True, label="等次")
    answered = serializers.IntegerField(label="已填写条目数")
    leaf_count = serializers.IntegerField(label="需填写条目数")
    failed_vetoes = serializers.ListField(child=serializers.CharField(), label="为零分或未填的必须完成项编号")
    failed_gates = serializers.ListField(child=serializers.CharField(), label="未满足或未填的基本条件编号")
    unanswered = serializers.ListField(child=serializers.CharField(), label="未填写的条目编号")
    explanation = serializers.ListField(child=serializers.CharField(), label="说明")
    items = ItemResultSerializer(many=True, label="逐项得分")


def _evaluation_data(sheet: selectors.Sheet) -> dict[str, Any]:
    evaluation = sheet.evaluation
    ids = {row.item.code: row.item.pk for row in sheet.rows}
    return {
        "total": evaluation.total,
        "regular_points": evaluation.regular_points,
        "bonus_points": evaluation.bonus_points,
        "max_total": evaluation.max_total,
        "pass_line": evaluation.pass_line,
        "shortfall": evaluation.shortfall,
        "passed": evaluation.passed,
        "verdict": str(evaluation.verdict),
        "grade": evaluation.grade,
        "answered": sheet.answered,
        "leaf_count": sheet.leaf_count,
        "failed_vetoes": list(evaluation.failed_vetoes),
        "failed_gates": list(evaluation.failed_gates),
        "unanswered": list(evaluation.unanswered),
        "explanation": list(evaluation.explanation),
        "items": [
            {**vars(result), "id": ids[result.key], "kind": str(result.kind)}
            for result in evaluation.per_item
        ],
    }


class AssessmentFilters(serializers.Serializer[dict[str, Any]]):
    unit = serializers.IntegerField(required=False, help_text="单位 id。")
    status = serializers.ChoiceField(
        choices=SelfAssessment.Status.choices, required=False, help_text="状态。"
    )


ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="条目 id。")


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="自评列表",
        description="您辖区内各单位的自评（单位工作人员看到本单位的），含填写进度和完成时记录的结果。",
        parameters=[AssessmentFilters],
    ),
    retrieve=extend_schema(
        summary="自评详情",
        description="含每个条目的自评分、是否满足、情况说明和佐证材料。",
        responses={200: SelfAssessmentDetailSerializer, 404: NOT_FOUND},
    ),
)
class SelfAssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SelfAssessment]
):
    serializer_class = SelfAssessmentSerializer
    queryset = SelfAssessment.objects.none()  # the model, for the schema; requests use get_queryset()

    def get_queryset(self) -> QuerySet[SelfAssessment]:
        assessments = selectors.visible_assessments(current_user(self.request))
        filters = parse_filters(AssessmentFilters, self.request) if self.action == "list" else {}
        if "unit" in filters:
            assessments = assessments.filter(unit_id=filters["unit"])
        if "status" in filters:
            assessments = assessments.filter(status=filters["status"])
        return selectors.with_progress(assessments.select_related("unit", "version__standard")).order_by(
            "-updated_at", "-pk"
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[SelfAssessment]]:
        return SelfAssessmentDetailSerializer if self.action == "retrieve" else SelfAssessmentSerializer

    def get_object(self) -> SelfAssessment:
        # The access check (404 outside the jurisdiction), then the row again with its progress annotated.
        assessment = selectors.access_assessment_by_id(current_user(self.request), self.kwargs["pk"])
        return self.get_queryset().get(pk=assessment.pk)

    def retrieve(self, request: Request, pk: str) -> Response:
        assessment = self.get_object()
        evidence = Evidence.objects.order_by("uploaded_at", "pk")
        responses = ItemResponse.objects.select_related("item").prefetch_related(
            Prefetch("evidence", queryset=evidence)
        )
        prefetch_related_objects([assessment], Prefetch("responses", queryset=responses))
        return Response(self.get_serializer(assessment).data)

    @extend_schema(
        summary="填写一个条目",
        description="保存一个条目的自评分（基本条件为是否满足）和情况说明；未提供的字段保持原值。"
        "只有本单位工作人员和可以修改该单位的创建办、主管部门可以填写；已完成的自评不能修改。",
        parameters=[ITEM_ID],
        request=AnswerSerializer,
        responses={200: ItemResponseSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["patch"], url_path=r"items/(?P<item_id>[0-9]+)", url_name="item")
    def answer_item(self, request: Request, pk: str, item_id: str) -> Response:
        user = current_user(request)
        assessment = selectors.access_assessment_by_id(user, pk, for_change=True)
        item = Item.objects.filter(version_id=assessment.version_id, pk=item_id).first()
        if item is None:
            raise Http404
        current = ItemResponse.objects.filter(assessment=assessment, item=item).first()
        serializer = AnswerSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        answer = {
            "points": current.points if current else None,
            "met": current.met if current else None,
            "narrative": current.narrative if current else "",
            **serializer.validated_data,
        }
        with service_errors():
            response = services.save_answer(by=user, assessment=assessment, item=item, **answer)
        response.item = item
        return Response(ItemResponseSerializer(response).data)

    @extend_schema(
        summary="评分结果",
        description="按当前填写的内容计算的得分、是否通过、等次和通俗说明（哪个必须完成项为零、哪项基本条件未满足、"
        "距合格线还差多少分）。",
        responses={200: EvaluationSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_name="evaluation")
    def evaluation(self, request: Request, pk: str) -> Response:
        assessment = selectors.access_assessment_by_id(current_user(request), pk)
        sheet = selectors.load_sheet(assessment, with_evidence=False)
        items = [row.item for row in sheet.rows]
        if not assessment.is_completed and services.refresh_computed_answers(
            assessment=assessment, items=items
        ):
            sheet = selectors.load_sheet(assessment, with_evidence=False)
        return Response(EvaluationSerializer(_evaluation_data(sheet)).data)


def register(router: DefaultRouter) -> None:
    router.register("self-assessments", SelfAssessmentViewSet, basename="self-assessment")
