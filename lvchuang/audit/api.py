"""The audit trail, read only: administrators see every entry, an office the entries inside its subtree."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from lvchuang.accounts import access
from lvchuang.accounts.api import current_user, parse_filters
from lvchuang.audit.models import AuditEntry

TAG = "审计"

# auditlog's own labels are English; these are the Chinese ones shown in lvchuang.
ACTION_LABELS = {
    AuditEntry.Action.CREATE: "新增",
    AuditEntry.Action.UPDATE: "修改",
    AuditEntry.Action.DELETE: "删除",
    AuditEntry.Action.ACCESS: "查看",
}

CHANGES_FIELD = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField(allow_null=True), min_length=2, max_length=2),
    help_text="字段名 → [修改前, 修改后]。",
)


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    action_display = serializers.SerializerMethodField(label="操作")
    model = serializers.SerializerMethodField(
        label="对象类型", help_text="app_label.model，如 organisations.unit。"
    )
    object_id = serializers.CharField(source="object_pk", read_only=True, label="对象 id")
    changes = serializers.SerializerMethodField(label="修改内容")
    actor_name = serializers.SerializerMethodField(label="操作人姓名")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "action",
            "action_display",
            "model",
            "object_id",
            "object_repr",
            "changes",
            "actor",
            "actor_name",
            "remote_addr",
        ]
        read_only_fields = fields

    def get_action_display(self, entry: AuditEntry) -> str:
        return ACTION_LABELS.get(entry.action, str(entry.action))

    def get_model(self, entry: AuditEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"

    @extend_schema_field(CHANGES_FIELD)
    def get_changes(self, entry: AuditEntry) -> dict[str, Any]:
        changes: dict[str, Any] = entry.changes_dict
        return changes

    def get_actor_name(self, entry: AuditEntry) -> str | None:
        if entry.actor is not None:
            return str(entry.actor)
        return entry.actor_email or None


class AuditFilters(serializers.Serializer[dict[str, Any]]):
    model = serializers.RegexField(
        r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$",
        required=False,
        max_length=200,
        help_text="对象类型 app_label.model，如 organisations.unit。",
    )
    actor = serializers.IntegerField(required=False, help_text="操作人（用户 id）。")
    since = serializers.DateTimeField(required=False, help_text="不早于此时刻（ISO 8601，可只写日期）。")
    until = serializers.DateTimeField(required=False, help_text="早于此时刻（ISO 8601，可只写日期）。")
    object_id = serializers.CharField(required=False, max_length=255, help_text="对象 id。")


class CanViewAudit(permissions.BasePermission):
    message = "只有系统管理员和创建办可以查看审计记录。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return access.can_view_audit(current_user(request))


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="审计记录",
        description="谁在何时把什么改成了什么。系统管理员看到全部；创建办看到本辖区内记录的修改。其他用户答 403。",
        parameters=[AuditFilters],
    ),
)
class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[AuditEntry]):
    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.none()  # the model, for the schema; requests use get_queryset()
    permission_classes = [permissions.IsAuthenticated, CanViewAudit]

    def get_queryset(self) -> QuerySet[AuditEntry]:
        entries = access.visible_audit_entries(current_user(self.request))
        entries = entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")
        filters = parse_filters(AuditFilters, self.request)
        if "model" in filters:
            app_label, model = filters["model"].split(".")
            entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
        if "actor" in filters:
            entries = entries.filter(actor_id=filters["actor"])
        if "since" in filters:
            entries = entries.filter(timestamp__gte=filters["since"])
        if "until" in filters:
            entries = entries.filter(timestamp__lt=filters["until"])
        if filters.get("object_id"):
            entries = entries.filter(object_pk=filters["object_id"])
        return entries


def register(router: DefaultRouter) -> None:
    router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")
