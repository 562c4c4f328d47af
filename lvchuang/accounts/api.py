"""The API of users and role assignments, and what every app's API shares.

Every endpoint scopes its queryset with `accounts.access` and fetches single objects with its `access_*` helpers
(404 outside the jurisdiction, 403 for what the user may only read); writes call one service. Services speak
Django (`ValidationError`, `PermissionDenied`); `service_errors()` turns both into DRF answers (400 with field
errors, 403 with the service's message).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypedDict, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from lvchuang.accounts import access, services
from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.organisations.models import Department, GoverningBody, Office, Unit
from lvchuang.regions.models import Region

M = TypeVar("M", bound=Model)

TAG = "用户与角色"

# What a role assignment's scope needs loaded to show its name and region without a query per row.
ROLE_SCOPE_RELATIONS = ("unit__region", "office__region", "department__region", "body__region")


# --- shared by every app's API ------------------------------------------------------------------------------


def current_user(request: Request) -> User:
    """The signed-in user (every endpoint requires authentication, so anything else is a 401/403)."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated
    return user


@contextmanager
def service_errors() -> Iterator[None]:
    """Answer a service's ValidationError with 400 and its field errors, its PermissionDenied with 403."""
    try:
        yield
    except DjangoValidationError as error:
        detail = serializers.as_serializer_error(error)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        raise serializers.ValidationError(detail) from error
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error


def parse_filters(filters: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    """Validate a list's query string with `filters` (400 on a malformed value); blank values are ignored."""
    parsed = filters(data=request.query_params)
    parsed.is_valid(raise_exception=True)
    return dict(parsed.validated_data)


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField[M]):
    """An id input that finds only objects the current user can see: any other id reads as "does not exist".

    `queryset` is only the model for the schema; the real choices come from `visible(user)`.
    """

    def __init__(self, *, visible: Callable[[User], QuerySet[M]], **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[M]:
        return self.visible(current_user(self.context["request"]))


# --- serializers ----------------------------------------------------------------------------------------------


def scope_input(
    model: type[M], visible: Callable[[User], QuerySet[M]], *, label: str
) -> VisiblePrimaryKeyField[M]:
    """The optional id of a role's scope object; one outside the user's sight reads as "does not exist"."""
    return VisiblePrimaryKeyField(
        visible=visible, queryset=model._default_manager.all(), required=False, allow_null=True, label=label
    )


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    user = VisiblePrimaryKeyField(visible=access.visible_users, queryset=User.objects.all(), label="用户")
    user_name = serializers.CharField(source="user.__str__", read_only=True, label="用户姓名")
    role_display = serializers.CharField(source="get_role_display", read_only=True, label="角色名称")
    unit = scope_input(Unit, access.visible_units, label="单位")
    office = scope_input(Office, access.visible_offices, label="创建办")
    department = scope_input(Department, access.visible_departments, label="主管部门")
    body = scope_input(GoverningBody, access.visible_bodies, label="领导机构")
    scope_name = serializers.SerializerMethodField(label="范围名称")
    scope_region = serializers.SerializerMethodField(label="范围所在行政区代码")

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "user_name",
            "role",
            "role_display",
            "unit",
            "office",
            "department",
            "body",
            "scope_name",
            "scope_region",
            "granted_by",
            "granted_at",
        ]
        read_only_fields = ["granted_by", "granted_at"]
        validators: list[Any] = []  # grant_role checks scope, duplicates and permission

    def get_scope_name(self, assignment: RoleAssignment) -> str | None:
        scope = _scope_of(assignment)
        return str(scope) if scope is not None else None

    def get_scope_region(self, assignment: RoleAssignment) -> str | None:
        scope = _scope_of(assignment)
        return scope.region.code if scope is not None else None


def _scope_of(assignment: RoleAssignment) -> Unit | Office | Department | GoverningBody | None:
    return assignment.unit or assignment.office or assignment.department or assignment.body


class UserSerializer(serializers.ModelSerializer[User]):
    roles = RoleAssignmentSerializer(many=True, read_only=True, label="角色（限于您的辖区）")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "is_active",
            "must_change_password",
            "roles",
        ]
        read_only_fields = fields


class NewUserSerializer(serializers.Serializer[dict[str, Any]]):
    """What `POST /api/users/` takes: the person, and the one role (with its scope) the account starts with."""

    username = serializers.CharField(
        max_length=150, label="用户名", help_text="登录时使用；字母、数字和 @ . + - _，不区分大小写地唯一。"
    )
    full_name = serializers.CharField(max_length=60, label="姓名")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="", label="手机号")
    email = serializers.EmailField(required=False, allow_blank=True, default="", label="电子邮箱")
    role = serializers.ChoiceField(choices=Role.choices, label="角色")
    unit = scope_input(Unit, access.visible_units, label="单位")
    office = scope_input(Office, access.visible_offices, label="创建办")
    department = scope_input(Department, access.visible_departments, label="主管部门")
    body = scope_input(GoverningBody, access.visible_bodies, label="领导机构")


class CreatedUserSerializer(UserSerializer):
    one_time_password = serializers.CharField(
        read_only=True,
        label="一次性密码",
        help_text="系统生成的密码，只在这次响应中出现，系统不保存原文；请转交本人，本人首次登录时须修改。",
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "one_time_password"]
        read_only_fields = fields


class JurisdictionSummary(TypedDict):
    is_admin: bool
    managed_region_codes: list[str]
    viewed_region_codes: list[str]
    sector_ids: list[int]
    unit_ids: list[int]
    reviewed_unit_ids: list[int]


class JurisdictionSerializer(serializers.Serializer[JurisdictionSummary]):
    is_admin = serializers.BooleanField(label="系统管理员")
    managed_region_codes = serializers.ListField(
        child=serializers.CharField(), label="管理的行政区", help_text="所在创建办的行政区代码（含下级）。"
    )
    viewed_region_codes = serializers.ListField(
        child=serializers.CharField(), label="只读的行政区", help_text="所在领导机构的行政区代码（含下级）。"
    )
    sector_ids = serializers.ListField(child=serializers.IntegerField(), label="主管部门")
    unit_ids = serializers.ListField(child=serializers.IntegerField(), label="所在单位")
    reviewed_unit_ids = serializers.ListField(child=serializers.IntegerField(), label="评审的单位")


def summarise_jurisdiction(user: User) -> JurisdictionSummary:
    jurisdiction = access.jurisdiction_of(user)
    paths = set(jurisdiction.managed_paths) | set(jurisdiction.viewed_paths)
    code_of_path = dict(Region.objects.filter(path__in=paths).values_list("path", "code")) if paths else {}
    return JurisdictionSummary(
        is_admin=jurisdiction.is_admin,
        managed_region_codes=[code_of_path[p] for p in jurisdiction.managed_paths if p in code_of_path],
        viewed_region_codes=[code_of_path[p] for p in jurisdiction.viewed_paths if p in code_of_path],
        sector_ids=sorted(jurisdiction.sector_ids),
        unit_ids=sorted(jurisdiction.own_unit_ids),
        reviewed_unit_ids=sorted(jurisdiction.reviewed_unit_ids),
    )


class MeSerializer(UserSerializer):
    roles = RoleAssignmentSerializer(many=True, read_only=True, label="角色")
    jurisdiction = serializers.SerializerMethodField(label="辖区")

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "jurisdiction"]
        read_only_fields = fields

    @extend_schema_field(JurisdictionSerializer)
    def get_jurisdiction(self, user: User) -> JurisdictionSummary:
        return summarise_jurisdiction(user)


# --- viewsets -------------------------------------------------------------------------------------------------


def _role_assignments_for(viewer: User) -> QuerySet[RoleAssignment]:
    return access.visible_role_assignments(viewer).select_related("user", *ROLE_SCOPE_RELATIONS)


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="用户列表", description="在您辖区内担任角色的用户，以及您本人。每人只列出辖区内的角色。"
    ),
    retrieve=extend_schema(summary="用户详情"),
    create=extend_schema(
        summary="新建账号",
        description="创建办为与其共事的人开设账号，同时授予一个它有权授予的角色（规则同“授予角色”）；"
        "角色被拒绝时不会留下账号。响应中的一次性密码只出现这一次，本人首次登录时须修改。"
        "不是创建办或系统管理员答 403。",
        request=NewUserSerializer,
        responses={201: CreatedUserSerializer},
    ),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[User]):
    serializer_class = UserSerializer
    queryset = User.objects.none()  # the model, for the schema; requests use get_queryset()

    def get_queryset(self) -> QuerySet[User]:
        viewer = current_user(self.request)
        return (
            access.visible_users(viewer)
            .prefetch_related(Prefetch("roles", queryset=_role_assignments_for(viewer)))
            .order_by("username")
        )

    def get_object(self) -> User:
        viewer = current_user(self.request)
        user = access.access_user_by_id(viewer, self.kwargs["pk"])
        prefetch_related_objects([user], Prefetch("roles", queryset=_role_assignments_for(viewer)))
        return user

    def create(self, request: Request) -> Response:
        viewer = current_user(request)
        if not access.grantable_roles(viewer):
            raise exceptions.PermissionDenied(gettext("只有创建办可以新建账号。"))
        serializer = NewUserSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with service_errors():
            user = services.create_user_with_role(by=viewer, **serializer.validated_data)
        prefetch_related_objects([user], Prefetch("roles", queryset=_role_assignments_for(viewer)))
        return Response(
            CreatedUserSerializer(user, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="当前用户", description="当前用户、其全部角色与辖区概况。", responses=MeSerializer)
    @action(detail=False, methods=["get"], serializer_class=MeSerializer)
    def me(self, request: Request) -> Response:
        own_roles = RoleAssignment.objects.select_related("user", *ROLE_SCOPE_RELATIONS)
        user = User.objects.prefetch_related(Prefetch("roles", queryset=own_roles)).get(
            pk=current_user(request).pk
        )
        return Response(MeSerializer(user, context=self.get_serializer_context()).data)


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(summary="角色分配列表", description="范围在您辖区内的角色分配，以及您本人的角色。"),
    retrieve=extend_schema(summary="角色分配详情"),
    create=extend_schema(
        summary="授予角色",
        description="创建办只能在本辖区内授予有范围的角色；评审专家和系统管理员由系统管理员授予。"
        "用户和范围对象必须在您的辖区内可见。",
        responses={201: RoleAssignmentSerializer},
    ),
    destroy=extend_schema(summary="撤销角色", description="辖区外的角色分配答 404；可见但无权撤销答 403。"),
)
class RoleAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[RoleAssignment]
):
    serializer_class = RoleAssignmentSerializer
    queryset = RoleAssignment.objects.none()

    def get_queryset(self) -> QuerySet[RoleAssignment]:
        return _role_assignments_for(current_user(self.request))

    def get_object(self) -> RoleAssignment:
        return access.access_role_assignment_by_id(current_user(self.request), self.kwargs["pk"])

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            assignment = services.grant_role(
                by=current_user(request),
                user=data["user"],
                role=data["role"],
                unit=data.get("unit"),
                office=data.get("office"),
                department=data.get("department"),
                body=data.get("body"),
            )
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        assignment = self.get_object()
        with service_errors():
            services.revoke_role(by=current_user(request), assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: DefaultRouter) -> None:
    router.register("users", UserViewSet, basename="user")
    router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
