"""The applications API, scoped like the pages (`access.py`); every write is one service call.

- `GET/POST /api/applications/`, `GET /api/applications/{id}/` (eligibility lines, history, available
  transitions), `POST /api/applications/{id}/transition/` ({name, comment, item_comments}),
  `PATCH /api/applications/{id}/goals/`, `POST /api/applications/{id}/publish/`, `POST …/consent/`;
- `GET/POST /api/batches/`, `GET /api/batches/{id}/`, `POST …/applications/` (add), `POST …/remove/`,
  `POST …/seal-scan/` (multipart), `POST …/submit/`, `POST …/return/`, `GET …/form.xlsx` and `…/form.pdf`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.access import access_department_by_id, access_office_by_id, access_unit_by_id
from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.applications import access, batches, documents, selectors, services
from lvchuang.applications.models import Application, ApplicationEvent, Batch, Status
from lvchuang.applications.workflow import available
from lvchuang.campaigns.access import access_campaign_by_id
from lvchuang.organisations.models import Department, Office

TAG = "申报"
BATCH_TAG = "申报表"
NOT_FOUND = OpenApiResponse(description="申报或申报表不存在，或不在您的辖区内。")
REFUSED = OpenApiResponse(description="您可以查看，但无权办理此操作。")
INVALID = OpenApiResponse(description="输入有误或当前不能办理（窗口已关闭、缺少意见等）：按字段列出原因。")
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="文件。")


# --- serializers --------------------------------------------------------------------------------------------


class ApplicationSerializer(serializers.ModelSerializer[Application]):
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, label="创建活动")
    unit_name = serializers.CharField(source="unit.name", read_only=True, label="单位名称")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")

    class Meta:
        model = Application
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "unit",
            "unit_name",
            "status",
            "status_display",
            "route",
            "self_score",
            "submitted_at",
            "goals_published_at",
            "batch",
            "updated_at",
        ]
        read_only_fields = fields


class ApplicationEligibilityLineSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField(label="规则")
    outcome = serializers.CharField(label="结论")
    refuses = serializers.BooleanField(label="是否阻止申报")
    text = serializers.CharField(label="说明")


class TransitionInfoSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(label="操作代码")
    label = serializers.CharField(label="操作名称")  # type: ignore[assignment]  # the field, not Field.label
    needs_comment = serializers.BooleanField(label="是否须写意见")


class ItemCommentSerializer(serializers.Serializer[dict[str, str]]):
    item = serializers.CharField(max_length=20, allow_blank=True, label="条目编号")
    comment = serializers.CharField(max_length=500, label="需要修改的内容")


class EventSerializer(serializers.ModelSerializer[ApplicationEvent]):
    by_name = serializers.SerializerMethodField(label="操作人")
    item_comments = ItemCommentSerializer(many=True, read_only=True, label="逐项意见")
    override_reason = serializers.CharField(source="override.reason", read_only=True, allow_null=True)

    class Meta:
        model = ApplicationEvent
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "by",
            "by_name",
            "at",
            "comment",
            "item_comments",
            "override",
            "override_reason",
        ]
        read_only_fields = fields

    def get_by_name(self, event: ApplicationEvent) -> str:
        return str(event.by) if event.by else ""


class ApplicationDetailSerializer(ApplicationSerializer):
    eligibility_lines = serializers.SerializerMethodField(label="资格说明")
    history = serializers.SerializerMethodField(label="办理记录")
    transitions = serializers.SerializerMethodField(label="您现在可以办理的操作")

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "goals",
            "measures",
            "consent_document",
            "consent_given_on",
            "consent_note",
            "exempt",
            "eligibility_lines",
            "history",
            "transitions",
        ]
        read_only_fields = fields

    @extend_schema_field(ApplicationEligibilityLineSerializer(many=True))
    def get_eligibility_lines(self, application: Application) -> list[dict[str, Any]]:
        return services.explain_eligibility(application).as_json()

    @extend_schema_field(EventSerializer(many=True))
    def get_history(self, application: Application) -> Any:
        return EventSerializer(selectors.events_of(application), many=True).data

    @extend_schema_field(TransitionInfoSerializer(many=True))
    def get_transitions(self, application: Application) -> list[dict[str, Any]]:
        user = current_user(self.context["request"])
        return [
            {"name": t.name, "label": str(t.label), "needs_comment": t.needs_comment}
            for t in available(user, application)
        ]


class NewApplicationSerializer(serializers.Serializer[dict[str, Any]]):
    campaign = serializers.IntegerField(help_text="创建活动 id。")
    unit = serializers.IntegerField(help_text="单位 id。")


class TransitionSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(
        help_text="操作：submit、recommend、approve、check、start_review、return、reject、withdraw。"
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="意见。")
    item_comments = ItemCommentSerializer(many=True, required=False, help_text="退回时的逐项意见。")


class GoalsSerializer(serializers.Serializer[dict[str, Any]]):
    goals = serializers.CharField(required=False, allow_blank=True, max_length=3000, help_text="创建目标。")
    measures = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="主要措施。"
    )


class PublishSerializer(serializers.Serializer[dict[str, Any]]):
    published = serializers.BooleanField(help_text="true 公布，false 撤下。")


class ConsentSerializer(serializers.Serializer[dict[str, Any]]):
    document = serializers.CharField(max_length=80, help_text="同意文件的文号。")
    given_on = serializers.DateField(help_text="同意日期。")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, help_text="说明。")


class ApplicationFilters(serializers.Serializer[dict[str, Any]]):
    campaign = serializers.IntegerField(required=False, help_text="创建活动 id。")
    status = serializers.ChoiceField(choices=Status.choices, required=False, help_text="状态。")


class BatchSerializer(serializers.ModelSerializer[Batch]):
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, label="创建活动")
    sender_name = serializers.CharField(read_only=True, label="报送单位")
    size = serializers.IntegerField(read_only=True, label="申报数")
    has_seal_scan = serializers.SerializerMethodField(label="已上传盖章扫描件")

    class Meta:
        model = Batch
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "office",
            "department",
            "sender_name",
            "number",
            "status",
            "size",
            "has_seal_scan",
            "seal_scan_name",
            "seal_scan_sha256",
            "contact_name",
            "contact_phone",
            "submitted_at",
            "return_comment",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_seal_scan(self, batch: Batch) -> bool:
        return bool(batch.seal_scan)


class BatchDetailSerializer(BatchSerializer):
    applications = ApplicationSerializer(many=True, read_only=True, label="列入的申报")

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "applications"]
        read_only_fields = fields


class NewBatchSerializer(serializers.Serializer[dict[str, Any]]):
    campaign = serializers.IntegerField(help_text="创建活动 id。")
    office = serializers.IntegerField(required=False, help_text="报送的创建办 id（与 department 二选一）。")
    department = serializers.IntegerField(required=False, help_text="报送的主管部门 id。")
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=40)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)


class BatchApplicationsSerializer(serializers.Serializer[dict[str, Any]]):
    applications = serializers.ListField(child=serializers.IntegerField(), help_text="申报 id 列表。")


class BatchApplicationSerializer(serializers.Serializer[dict[str, Any]]):
    application = serializers.IntegerField(help_text="申报 id。")


class SealScanSerializer(serializers.Serializer[dict[str, Any]]):
    seal_scan = serializers.FileField(help_text="盖章扫描件：PDF、JPEG 或 PNG。")


class ReturnSerializer(serializers.Serializer[dict[str, Any]]):
    comment = serializers.CharField(max_length=2000, help_text="退回意见。")


# --- applications -------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="申报列表", description="您辖区内的申报。", parameters=[ApplicationFilters]),
    retrieve=extend_schema(
        summary="申报详情",
        description="含资格说明、办理记录和您现在可以办理的操作。",
        responses={200: ApplicationDetailSerializer, 404: NOT_FOUND},
    ),
)
class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Application]
):
    serializer_class = ApplicationSerializer
    queryset = Application.objects.none()

    def get_queryset(self) -> QuerySet[Application]:
        user = current_user(self.request)
        filters = parse_filters(ApplicationFilters, self.request) if self.action == "list" else {}
        return selectors.application_list(
            user, campaign_id=filters.get("campaign"), status=filters.get("status", "")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Application]]:
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer

    def get_object(self) -> Application:
        return access.access_application_by_id(current_user(self.request), self.kwargs["pk"])

    def _detail(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        application = access.access_application_by_id(current_user(self.request), application.pk)
        return Response(
            ApplicationDetailSerializer(application, context={"request": self.request}).data, code
        )

    @extend_schema(
        summary="开始申报",
        description="为本单位开始一份草稿申报；资格不符时返回原因。",
        request=NewApplicationSerializer,
        responses={201: ApplicationDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = NewApplicationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = access_campaign_by_id(user, data.validated_data["campaign"])
        unit = access_unit_by_id(user, data.validated_data["unit"], for_change=True)
        with service_errors():
            application = services.create_application(by=user, campaign=campaign, unit=unit)
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(
        summary="办理",
        description="提交、推荐、审核、初审、进入评审、退回（须写意见，可逐项）、不予通过（须写意见）或撤回。",
        request=TransitionSerializer,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        application = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.apply_transition(
                by=user,
                application=application,
                name=data.validated_data["name"],
                comment=data.validated_data.get("comment", ""),
                item_comments=data.validated_data.get("item_comments", []),
            )
        return self._detail(application)

    @extend_schema(
        summary="填写创建目标和主要措施",
        request=GoalsSerializer,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["patch"])
    def goals(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        application = self.get_object()
        data = GoalsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.save_goals(
                by=user,
                application=application,
                goals=data.validated_data.get("goals", application.goals),
                measures=data.validated_data.get("measures", application.measures),
            )
        return self._detail(application)

    @extend_schema(
        summary="公布或撤下创建目标",
        request=PublishSerializer,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        application = self.get_object()
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            if data.validated_data["published"]:
                services.publish_goals(by=user, application=application)
            else:
                services.unpublish_goals(by=user, application=application)
        return self._detail(application)

    @extend_schema(
        summary="登记越级申报同意",
        description="组织单位登记组委会同意越级申报的文号和日期（仅允许越级申报的称号）。",
        request=ConsentSerializer,
        responses={200: ApplicationDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        application = self.get_object()
        data = ConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.record_consent(
                by=user,
                application=application,
                document=data.validated_data["document"],
                given_on=data.validated_data["given_on"],
                note=data.validated_data.get("note", ""),
            )
        return self._detail(application)


# --- batches ------------------------------------------------------------------------------------------------


@extend_schema(tags=[BATCH_TAG])
@extend_schema_view(
    list=extend_schema(summary="申报表列表", description="您辖区内的申报表。"),
    retrieve=extend_schema(
        summary="申报表详情",
        description="含列入的申报。",
        responses={200: BatchDetailSerializer, 404: NOT_FOUND},
    ),
)
class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Batch]):
    serializer_class = BatchSerializer
    queryset = Batch.objects.none()

    def get_queryset(self) -> QuerySet[Batch]:
        return selectors.batch_list(current_user(self.request)).select_related("campaign")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Batch]]:
        return BatchDetailSerializer if self.action == "retrieve" else BatchSerializer

    def get_object(self) -> Batch:
        return self._batch(self.kwargs["pk"])

    def _batch(self, pk: Any, *, for_change: bool = False) -> Batch:
        batch = access.access_batch_by_id(current_user(self.request), pk, for_change=for_change)
        return self.get_queryset().get(pk=batch.pk)

    def _detail(self, batch: Batch, code: int = status.HTTP_200_OK) -> Response:
        return Response(BatchDetailSerializer(self._batch(batch.pk)).data, code)

    @extend_schema(
        summary="新建申报表",
        description="区县创建办（组织单位下级）或主管部门新建一份草稿申报表，编号自动生成。",
        request=NewBatchSerializer,
        responses={201: BatchDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = NewBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = access_campaign_by_id(user, data.validated_data["campaign"])
        office: Office | None = None
        department: Department | None = None
        if "office" in data.validated_data:
            office = access_office_by_id(user, data.validated_data["office"])
        if "department" in data.validated_data:
            department = access_department_by_id(user, data.validated_data["department"])
        with service_errors():
            batch = batches.create_batch(
                by=user,
                campaign=campaign,
                office=office,
                department=department,
                contact_name=data.validated_data.get("contact_name", ""),
                contact_phone=data.validated_data.get("contact_phone", ""),
            )
        return self._detail(batch, status.HTTP_201_CREATED)

    @extend_schema(
        summary="列入申报",
        description="把本辖区审核通过、尚未列入申报表的申报列入草稿申报表。",
        request=BatchApplicationsSerializer,
        responses={200: BatchDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="applications", url_name="add-applications")
    def add_applications(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        batch = self._batch(pk, for_change=True)
        data = BatchApplicationsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = list(Application.objects.filter(pk__in=data.validated_data["applications"]))
        with service_errors():
            batches.add_applications(by=user, batch=batch, applications=chosen)
        return self._detail(batch)

    @extend_schema(
        summary="移出申报",
        request=BatchApplicationSerializer,
        responses={200: BatchDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="remove", url_name="remove-application")
    def remove_application(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        batch = self._batch(pk, for_change=True)
        data = BatchApplicationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = batch.applications.filter(pk=data.validated_data["application"]).first()
        if application is None:
            raise serializers.ValidationError({"application": "该申报不在本申报表中。"})
        with service_errors():
            batches.remove_application(by=user, batch=batch, application=application)
        return self._detail(batch)

    @extend_schema(
        summary="上传盖章扫描件",
        request={"multipart/form-data": SealScanSerializer},
        responses={200: BatchDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="seal-scan",
        url_name="seal-scan",
        parser_classes=[MultiPartParser],
    )
    def seal_scan(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        batch = self._batch(pk, for_change=True)
        data = SealScanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            batches.upload_seal_scan(by=user, batch=batch, upload=data.validated_data["seal_scan"])
        return self._detail(batch)

    @extend_schema(
        summary="报送申报表",
        description="须列入至少一份申报并上传盖章扫描件；报送窗口关闭后，除非组织单位登记了延期，否则拒绝。",
        request=None,
        responses={200: BatchDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        batch = self._batch(pk, for_change=True)
        with service_errors():
            batches.submit_batch(by=user, batch=batch)
        return self._detail(batch)

    @extend_schema(
        summary="退回申报表",
        description="组织单位写明意见后退回已报送的申报表，申报表回到编制中。",
        request=ReturnSerializer,
        responses={200: BatchDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
        operation_id="batches_return",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_batch(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        batch = self._batch(pk)
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            batches.return_batch(by=user, batch=batch, comment=data.validated_data["comment"])
        return self._detail(batch)

    @extend_schema(summary="申报表（Excel）", responses={200: FILE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path=r"form\.xlsx", url_name="form-xlsx")
    def form_xlsx(self, request: Request, pk: str) -> HttpResponse:
        form = documents.form_of(self._batch(pk))
        response = HttpResponse(documents.xlsx_of(form), content_type=documents.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = documents.disposition(form, "xlsx", inline=False)
        return response

    @extend_schema(summary="申报表（PDF）", responses={200: FILE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path=r"form\.pdf", url_name="form-pdf")
    def form_pdf(self, request: Request, pk: str) -> HttpResponse:
        form = documents.form_of(self._batch(pk))
        response = HttpResponse(documents.pdf_of(form), content_type="application/pdf")
        response["Content-Disposition"] = documents.disposition(form, "pdf", inline=True)
        return response


def register(router: DefaultRouter) -> None:
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("batches", BatchViewSet, basename="batch")
