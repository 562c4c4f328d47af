"""The naming API, scoped like the pages (`naming.access`); every write is one service call.

- `GET/POST /api/naming-decisions/` ({notice, document_number, decided_on, issuer}), `GET …/{id}/` (titles,
  awards, filing), `GET …/{id}/named-list.csv` and `…/named-list.xlsx`;
- `GET /api/award-payments/` (filters payer, status, year), `GET …/{id}/`, `POST …/{id}/pay/`, `POST …/cancel/`;
- `GET /api/filings/` (filter overdue), `GET …/{id}/`, `POST …/{id}/file/` (multipart), `POST …/acknowledge/`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lvchuang.accounts.api import current_user, parse_filters, service_errors
from lvchuang.naming import access, exports, services
from lvchuang.naming.models import AwardPayment, Filing, NamingDecision
from lvchuang.notices import access as notices_access
from lvchuang.titles.serializers import TitleSerializer

TAG = "命名"
NOT_FOUND = OpenApiResponse(description="对象不存在，或不在您的辖区内。")
REFUSED = OpenApiResponse(description="您可以查看，但无权办理此操作。")
INVALID = OpenApiResponse(description="输入有误或当前不能办理（公示未结束、已命名等）：按字段列出原因。")
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="文件。")


# --- serializers --------------------------------------------------------------------------------------------


class AwardPaymentSerializer(serializers.ModelSerializer[AwardPayment]):
    unit_name = serializers.CharField(source="title.unit.name", read_only=True, label="单位名称")
    year = serializers.IntegerField(source="title.year", read_only=True, label="年度")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")

    class Meta:
        model = AwardPayment
        fields = [
            "id",
            "title",
            "unit_name",
            "year",
            "decision",
            "payer",
            "fund",
            "amount",
            "status",
            "status_display",
            "paid_on",
            "reference",
            "note",
        ]
        read_only_fields = fields


class FilingSerializer(serializers.ModelSerializer[Filing]):
    document_number = serializers.CharField(
        source="decision.document_number", read_only=True, label="命名文号"
    )
    from_office_name = serializers.CharField(source="from_office.name", read_only=True, label="报送单位")
    to_office_name = serializers.CharField(
        source="to_office.name", read_only=True, allow_null=True, label="备案单位"
    )
    is_overdue = serializers.SerializerMethodField(label="已逾期")
    has_materials = serializers.SerializerMethodField(label="已上传材料")

    class Meta:
        model = Filing
        fields = [
            "id",
            "decision",
            "document_number",
            "from_office",
            "from_office_name",
            "to_office",
            "to_office_name",
            "due_on",
            "status",
            "is_overdue",
            "filed_on",
            "has_materials",
            "materials_name",
            "note",
            "acknowledged_on",
        ]
        read_only_fields = fields

    def get_is_overdue(self, filing: Filing) -> bool:
        return services.is_overdue(filing, timezone.localdate())

    def get_has_materials(self, filing: Filing) -> bool:
        return bool(filing.materials)


class NamingDecisionSerializer(serializers.ModelSerializer[NamingDecision]):
    campaign = serializers.IntegerField(source="notice.campaign_id", read_only=True, label="创建活动")
    campaign_name = serializers.CharField(source="notice.campaign.name", read_only=True, label="创建活动名称")

    class Meta:
        model = NamingDecision
        fields = ["id", "notice", "campaign", "campaign_name", "document_number", "decided_on", "issuer"]
        read_only_fields = fields


class NamingDecisionDetailSerializer(NamingDecisionSerializer):
    titles = serializers.SerializerMethodField(label="命名的称号")
    awards = AwardPaymentSerializer(many=True, read_only=True, label="奖励拨付")
    filing = FilingSerializer(read_only=True, allow_null=True, label="备案")

    class Meta(NamingDecisionSerializer.Meta):
        fields = [*NamingDecisionSerializer.Meta.fields, "titles", "awards", "filing"]
        read_only_fields = fields

    @extend_schema_field(TitleSerializer(many=True))
    def get_titles(self, decision: NamingDecision) -> Any:
        return TitleSerializer(access.titles_of(decision), many=True).data


class NewNamingDecisionSerializer(serializers.Serializer[dict[str, Any]]):
    notice = serializers.IntegerField(help_text="已结束的公示 id。")
    document_number = serializers.CharField(max_length=80, help_text="命名文号，如：长创绿办〔2026〕12号。")
    decided_on = serializers.DateField(help_text="命名日期。")
    issuer = serializers.CharField(max_length=120, help_text="命名机关（证书上署名）。")


class AwardPaySerializer(serializers.Serializer[dict[str, Any]]):
    paid_on = serializers.DateField(help_text="拨付日期。")
    reference = serializers.CharField(max_length=80, help_text="拨付凭证号。")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="备注。")


class AwardCancelSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=200, help_text="取消原因。")


class FilingFileSerializer(serializers.Serializer[dict[str, Any]]):
    filed_on = serializers.DateField(help_text="报送日期。")
    materials = serializers.FileField(required=False, help_text="电子版材料：PDF、Word、Excel 或图片。")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, help_text="说明。")


class AwardFilters(serializers.Serializer[dict[str, Any]]):
    payer = serializers.CharField(required=False, allow_blank=True, max_length=60, help_text="出资单位。")
    status = serializers.ChoiceField(choices=AwardPayment.Status.choices, required=False, help_text="状态。")
    year = serializers.IntegerField(required=False, help_text="称号年度。")


class FilingFilters(serializers.Serializer[dict[str, Any]]):
    overdue = serializers.BooleanField(required=False, default=False, help_text="true：只列逾期未报送的。")


# --- decisions ----------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="命名决定列表", description="您能看到的创建活动的命名决定。"),
    retrieve=extend_schema(
        summary="命名决定详情",
        description="含命名的称号、奖励拨付和备案。",
        responses={200: NamingDecisionDetailSerializer, 404: NOT_FOUND},
    ),
)
class NamingDecisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[NamingDecision]
):
    serializer_class = NamingDecisionSerializer
    queryset = NamingDecision.objects.none()

    def get_queryset(self) -> QuerySet[NamingDecision]:
        return access.visible_decisions(current_user(self.request))

    def get_serializer_class(self) -> type[serializers.BaseSerializer[NamingDecision]]:
        return NamingDecisionSerializer if self.action == "list" else NamingDecisionDetailSerializer

    def get_object(self) -> NamingDecision:
        return access.access_decision_by_id(current_user(self.request), self.kwargs["pk"])

    @extend_schema(
        summary="作出命名决定",
        description="对已结束的公示命名：为名单上的单位登记称号并生成证书编号，申报改为已命名，"
        "为示范单位安排奖励，生成向上级创建办的备案。每次公示只能命名一次。",
        request=NewNamingDecisionSerializer,
        responses={201: NamingDecisionDetailSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = NewNamingDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = notices_access.access_notice_by_id(user, data.validated_data["notice"], for_change=True)
        with service_errors():
            decision = services.name_units(
                by=user,
                notice=notice,
                document_number=data.validated_data["document_number"],
                decided_on=data.validated_data["decided_on"],
                issuer=data.validated_data["issuer"],
            )
        decision = access.access_decision_by_id(user, decision.pk)
        return Response(NamingDecisionDetailSerializer(decision).data, status.HTTP_201_CREATED)

    @extend_schema(summary="命名名单（CSV）", responses={200: FILE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path=r"named-list\.csv", url_name="named-list-csv")
    def named_list_csv(self, request: Request, pk: str) -> HttpResponse:
        named = exports.named_list_of(self.get_object())
        response = HttpResponse(exports.csv_of(named), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = exports.disposition(named, "csv")
        return response

    @extend_schema(summary="命名名单（Excel）", responses={200: FILE, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path=r"named-list\.xlsx", url_name="named-list-xlsx")
    def named_list_xlsx(self, request: Request, pk: str) -> HttpResponse:
        named = exports.named_list_of(self.get_object())
        response = HttpResponse(exports.xlsx_of(named), content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = exports.disposition(named, "xlsx")
        return response


# --- award payments -----------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="奖励拨付列表", parameters=[AwardFilters]),
    retrieve=extend_schema(summary="奖励拨付详情", responses={200: AwardPaymentSerializer, 404: NOT_FOUND}),
)
class AwardPaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AwardPayment]
):
    serializer_class = AwardPaymentSerializer
    queryset = AwardPayment.objects.none()

    def get_queryset(self) -> QuerySet[AwardPayment]:
        payments = access.visible_award_payments(current_user(self.request))
        if self.action != "list":
            return payments
        filters = parse_filters(AwardFilters, self.request)
        if filters.get("payer"):
            payments = payments.filter(payer=filters["payer"])
        if filters.get("status"):
            payments = payments.filter(status=filters["status"])
        if filters.get("year"):
            payments = payments.filter(title__year=filters["year"])
        return payments

    def get_object(self) -> AwardPayment:
        return access.access_award_payment_by_id(current_user(self.request), self.kwargs["pk"])

    def _detail(self, payment: AwardPayment) -> Response:
        payment = access.access_award_payment_by_id(current_user(self.request), payment.pk)
        return Response(AwardPaymentSerializer(payment).data)

    @extend_schema(
        summary="登记拨付",
        request=AwardPaySerializer,
        responses={200: AwardPaymentSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        payment = access.access_award_payment_by_id(user, pk, for_change=True)
        data = AwardPaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.record_payment(
                by=user,
                payment=payment,
                paid_on=data.validated_data["paid_on"],
                reference=data.validated_data["reference"],
                note=data.validated_data.get("note", ""),
            )
        return self._detail(payment)

    @extend_schema(
        summary="取消奖励",
        request=AwardCancelSerializer,
        responses={200: AwardPaymentSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        payment = access.access_award_payment_by_id(user, pk, for_change=True)
        data = AwardCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.cancel_payment(by=user, payment=payment, reason=data.validated_data["reason"])
        return self._detail(payment)


# --- filings ------------------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="备案列表", description="报送给您单位的和您辖区报送的备案。", parameters=[FilingFilters]
    ),
    retrieve=extend_schema(summary="备案详情", responses={200: FilingSerializer, 404: NOT_FOUND}),
)
class FilingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Filing]):
    serializer_class = FilingSerializer
    queryset = Filing.objects.none()

    def get_queryset(self) -> QuerySet[Filing]:
        filings = access.visible_filings(current_user(self.request))
        if self.action == "list" and parse_filters(FilingFilters, self.request).get("overdue"):
            return services.overdue_filings(filings, today=timezone.localdate())
        return filings

    def get_object(self) -> Filing:
        return access.access_filing_by_id(current_user(self.request), self.kwargs["pk"])

    def _detail(self, filing: Filing) -> Response:
        return Response(
            FilingSerializer(access.access_filing_by_id(current_user(self.request), filing.pk)).data
        )

    @extend_schema(
        summary="报送备案",
        description="命名单位登记报送日期，可上传电子版材料。",
        request={"multipart/form-data": FilingFileSerializer},
        responses={200: FilingSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="file", parser_classes=[MultiPartParser, FormParser])
    def file(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        filing = self.get_object()
        data = FilingFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.file_filing(
                by=user,
                filing=filing,
                filed_on=data.validated_data["filed_on"],
                materials=data.validated_data.get("materials"),
                note=data.validated_data.get("note", ""),
            )
        return self._detail(filing)

    @extend_schema(
        summary="确认收到备案",
        description="上级创建办确认已收到报送的备案。",
        request=None,
        responses={200: FilingSerializer, 400: INVALID, 403: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        user = current_user(request)
        filing = self.get_object()
        with service_errors():
            services.acknowledge_filing(by=user, filing=filing)
        return self._detail(filing)


def register(router: DefaultRouter) -> None:
    router.register("naming-decisions", NamingDecisionViewSet, basename="naming-decision")
    router.register("award-payments", AwardPaymentViewSet, basename="award-payment")
    router.register("filings", FilingViewSet, basename="filing")
