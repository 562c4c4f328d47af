"""Users and their roles, sign-in, and the user's own account."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvchuang.accounts import access, services
from lvchuang.accounts.forms import GrantRoleForm, UserCreateForm, UserSearchForm
from lvchuang.accounts.models import Role, RoleAssignment, User
from lvchuang.web.http import AuthenticatedHttpRequest, add_service_errors, paginate

SCOPES = ("unit__region", "office__region", "department__region", "body__region")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        """Someone who signs in with a password an office chose sets their own first, whatever page they
        asked for; every sign-in comes here until they have."""
        user = self.request.user
        if isinstance(user, User) and user.must_change_password:
            return reverse("accounts:password_change")
        return super().get_success_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        form.user.must_change_password = False  # saved with the new password, in the same audited save
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response


@login_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserSearchForm(request.GET or None)
    users = access.visible_users(request.user)
    if form.is_valid() and form.cleaned_data["q"]:
        text = form.cleaned_data["q"].strip()
        users = users.filter(Q(username__icontains=text) | Q(full_name__icontains=text))
    roles = access.visible_role_assignments(request.user).select_related(
        "unit", "office", "department", "body"
    )
    users = users.prefetch_related(
        Prefetch("roles", queryset=roles.order_by("role", "pk"), to_attr="shown_roles")
    )
    page = paginate(request, users.order_by("username"))
    context = {"form": form, "page_obj": page, "can_create": bool(access.grantable_roles(request.user))}
    return render(request, "accounts/user_list.html", context)


@login_required
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An office opens an account with one role it may grant (GET ?role= swaps the scope field in, as when
    granting); the user's page then shows the generated one-time password, once."""
    if not access.grantable_roles(request.user):
        raise PermissionDenied(_("只有创建办可以新建账号。"))
    if request.method == "POST":
        form = UserCreateForm(request.POST, grantor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = services.create_user_with_role(
                    by=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    role=data["role"],
                    **form.scope(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    format_html(
                        _(
                            "已新建账号 {username}：{role}（{scope}）。<br>"
                            '一次性密码：<strong class="code one-time-password">{password}</strong><br>'
                            "请当面或通过可靠渠道转交本人，本人首次登录时须修改密码。"
                            "此密码只显示这一次，系统不保存原文；如遗失，请联系系统管理员重置。"
                        ),
                        username=person.username,
                        role=Role(data["role"]).label,
                        scope=next(iter(form.scope().values()), "—"),
                        password=person.one_time_password,
                    ),
                )
                return redirect("accounts:user_detail", user_id=person.pk)
    else:
        form = UserCreateForm(initial={"role": request.GET.get("role", "")}, grantor=request.user)
    return render(request, "accounts/user_create.html", {"form": form})


def _assignments(request: AuthenticatedHttpRequest, person: User) -> list[dict[str, Any]]:
    """The person's roles the viewer may see, each with whether the viewer may revoke it."""
    assignments = access.visible_role_assignments(request.user).filter(user=person)
    return [
        {"assignment": assignment, "can_revoke": access.can_grant(request.user, assignment)}
        for assignment in assignments.select_related("granted_by", *SCOPES).order_by("role", "pk")
    ]


@login_required
def user_detail(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    person = access.access_user_by_id(request.user, user_id)
    grant_form = GrantRoleForm(grantor=request.user) if access.grantable_roles(request.user) else None
    context = {"person": person, "assignments": _assignments(request, person), "grant_form": grant_form}
    return render(request, "accounts/user_detail.html", context)


@login_required
def grant_role(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """GET: the form for the role in ?role= (htmx swaps it in when the role changes). POST: grant it."""
    person = access.access_user_by_id(request.user, user_id)
    if not access.grantable_roles(request.user):
        raise PermissionDenied(_("您无权为用户分配角色。"))
    if request.method == "POST":
        form = GrantRoleForm(request.POST, grantor=request.user)
        if form.is_valid():
            try:
                assignment = services.grant_role(
                    by=request.user, user=person, role=form.cleaned_data["role"], **form.scope()
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("已为 %(user)s 分配角色：%(role)s（%(scope)s）。")
                    % {
                        "user": person,
                        "role": assignment.get_role_display(),
                        "scope": assignment.scope,
                    },
                )
                return redirect("accounts:user_detail", user_id=person.pk)
    else:
        form = GrantRoleForm(initial={"role": request.GET.get("role", "")}, grantor=request.user)
    return render(request, "accounts/grant_role.html", {"person": person, "grant_form": form})


@login_required
@require_POST
def revoke_role(request: AuthenticatedHttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    person = access.access_user_by_id(request.user, user_id)
    assignment = access.access_role_assignment_by_id(request.user, assignment_id)
    if assignment.user_id != person.pk:
        raise Http404
    label, scope = assignment.get_role_display(), assignment.scope
    services.revoke_role(by=request.user, assignment=assignment)
    messages.success(
        request,
        _("已撤销 %(user)s 的角色：%(role)s（%(scope)s）。")
        % {
            "user": person,
            "role": label,
            "scope": scope,
        },
    )
    return redirect("accounts:user_detail", user_id=person.pk)


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    own: list[RoleAssignment] = list(
        access.visible_role_assignments(request.user)
        .filter(user=request.user)
        .select_related(*SCOPES)
        .order_by("role", "pk")
    )
    jurisdiction = access.jurisdiction_of(request.user)
    context = {
        "assignments": own,
        "is_superuser_without_role": request.user.is_superuser
        and Role.SYSTEM_ADMIN not in jurisdiction.roles,
    }
    return render(request, "accounts/profile.html", context)
