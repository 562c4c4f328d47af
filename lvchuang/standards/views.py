"""Pages of the standards library: the list, the standard editor (htmx rows), the diff, import and export.

Every object comes through `standards.access`; every write is one call to `standards.services`. The editor's
rows are edited in place with htmx: a successful write answers with the whole item tree (the running sums change
with it), a refused one with the form row and its errors. Without scripts every form posts and redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh, reswap, retarget

from lvchuang.standards import access, interchange, selectors, services
from lvchuang.standards.forms import (
    AdoptForm,
    BandForm,
    ImportForm,
    ItemForm,
    StandardCreateForm,
    VersionForm,
)
from lvchuang.standards.models import LOCKED_MESSAGE, GradeBand, Item, StandardVersion
from lvchuang.web.http import (
    AuthenticatedHttpRequest,
    add_service_errors,
    paginate,
    render_with_partial,
    wants_partial,
)

EXPORT_FORMATS = ("xlsx", "yaml", "json")


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    if not access.can_read_library(request.user):
        raise PermissionDenied(_("您还没有任何角色，无法查看评价标准库。请联系所在创建办分配角色。"))


def _editor_url(version: StandardVersion | int, anchor: str = "") -> str:
    pk = version if isinstance(version, int) else version.pk
    url = reverse("standards:version_detail", kwargs={"version_id": pk})
    return f"{url}#{anchor}" if anchor else url


def _why_not_editable(version: StandardVersion) -> str | None:
    if version.is_locked:
        return str(LOCKED_MESSAGE)
    if version.status != StandardVersion.Status.DRAFT:
        return _("该版本已发布，不可修改；请复制为新版本。")
    return None


def _refuse(request: AuthenticatedHttpRequest, version: StandardVersion, message: str) -> HttpResponse:
    """A write the version no longer takes (it was published or locked meanwhile): say so on the editor."""
    messages.error(request, message)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(_editor_url(version))


# --- the library --------------------------------------------------------------------------------------------


@login_required
def library(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    standards = selectors.library(access.visible_standards(request.user))
    context = {
        "page_obj": paginate(request, standards),
        "can_create": access.can_create_standards(request.user),
        "own_offices": access.own_office_ids(request.user),
        "is_admin": access.is_admin(request.user),
    }
    return render(request, "standards/library.html", context)


@login_required
def standard_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    if not access.can_create_standards(request.user):
        raise PermissionDenied(_("只有创建办和系统管理员可以新建标准。"))
    form = StandardCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.create_standard(
                by=request.user,
                owner=data["owner"],
                code=data["code"],
                name=data["name"],
                title_name=data["title_name"],
                description=data["description"],
                source=data["source"],
                total_points=data["total_points"],
                pass_line=data["pass_line"],
                bonus_cap=data["bonus_cap"],
                applies_to=data["applies_to"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已新建标准“%(name)s”，请添加领域和条目。") % {"name": data["name"]})
            return redirect(_editor_url(version))
    return render(request, "standards/standard_form.html", {"form": form})


@login_required
def standard_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new standard from an Excel, YAML or JSON file."""
    _require_reader(request)
    if not access.can_create_standards(request.user):
        raise PermissionDenied(_("只有创建办和系统管理员可以导入标准。"))
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[interchange.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = interchange.read_file(upload.name, upload.read())
        errors = result.errors
        if result.document is not None:
            try:
                version = services.import_standard(
                    by=request.user, owner=form.cleaned_data["owner"], document=result.document
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("已导入“%(name)s”：%(count)s 个条目，保存为草稿。")
                    % {"name": version.standard.name, "count": len(result.document.items)},
                )
                return redirect(_editor_url(version))
    context = {"form": form, "errors": errors, "version": None}
    return render(request, "standards/import.html", context, status=400 if errors else 200)


# --- the editor ---------------------------------------------------------------------------------------------


def _editor_context(request: AuthenticatedHttpRequest, version: StandardVersion) -> dict[str, Any]:
    items = list(version.items.all())
    bands = sorted(version.grade_bands.all(), key=lambda band: band.min_score, reverse=True)
    can_change = access.can_change_standard(request.user, version.standard)
    reason = _why_not_editable(version)
    return {
        "version": version,
        "standard": version.standard,
        "tree": selectors.editor_tree(version, items, bands),
        "bands": bands,
        "band_rows": [(band, None) for band in bands],
        "versions": list(version.standard.versions.order_by("-number")),
        "can_change": can_change,
        "editable": can_change and reason is None,
        "locked_reason": reason,
        "can_copy": access.can_create_standards(request.user),
        "applies_to": selectors.applies_to_labels(version.applies_to),
        "export_formats": EXPORT_FORMATS,
    }


def _render_editor(
    request: AuthenticatedHttpRequest,
    version: StandardVersion,
    *,
    version_form: VersionForm | None = None,
    band_form: BandForm | None = None,
    failed_band: tuple[int, BandForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _editor_context(request, version)
    if context["editable"]:
        context["version_form"] = version_form or VersionForm(instance=version)
        context["band_form"] = band_form or BandForm(prefix="band")
        context["band_rows"] = [
            (
                band,
                failed_band[1]
                if failed_band is not None and failed_band[0] == band.pk
                else BandForm(instance=band, prefix=f"band-{band.pk}"),
            )
            for band in context["bands"]
        ]
    response = render_with_partial(request, "standards/version_detail.html", "standards/_tree.html", context)
    response.status_code = status
    return response


@login_required
def version_detail(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    """The standard editor; an htmx request gets the item tree alone (after "取消", for instance)."""
    version = access.access_version_by_id(request.user, version_id)
    return _render_editor(request, version)


@login_required
def version_edit(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version = access.access_version_by_id(request.user, version_id, for_change=True)
    reason = _why_not_editable(version)
    if reason:
        return _refuse(request, version, reason)
    form = VersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value for name, value in form.cleaned_data.items() if value != getattr(version, name)
        }
        try:
            if changes:
                services.update_version(by=request.user, version=version, changes=changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存版本信息。") if changes else _("没有修改任何内容。"))
            return redirect(_editor_url(version, "version-fields"))
    return _render_editor(request, version, version_form=form, status=400 if form.errors else 200)


def _version_action(
    request: AuthenticatedHttpRequest, version_id: int, action: str
) -> tuple[StandardVersion, StandardVersion | None]:
    version = access.access_version_by_id(request.user, version_id, for_change=True)
    try:
        if action == "copy":
            return version, services.copy_version(by=request.user, version=version)
        if action == "publish":
            services.publish_version(by=request.user, version=version)
            messages.success(request, _("已发布“%(label)s”。") % {"label": version.label})
        elif action == "confirm":
            services.confirm_defaults(by=request.user, version=version)
            messages.success(request, _("已确认默认值，“待确认”标记已清除。"))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return version, None


@login_required
@require_POST
def version_copy(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version, copy = _version_action(request, version_id, "copy")
    if copy is None:
        return redirect(_editor_url(version))
    messages.success(
        request, _("已复制为新版本“%(label)s”（草稿），可以修改后发布。") % {"label": copy.label}
    )
    return redirect(_editor_url(copy))


@login_required
@require_POST
def version_publish(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version, _unused = _version_action(request, version_id, "publish")
    return redirect(_editor_url(version))


@login_required
@require_POST
def version_confirm(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version, _unused = _version_action(request, version_id, "confirm")
    return redirect(_editor_url(version))


@login_required
def version_adopt(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    """Copy any standard into a new one the user's office owns."""
    version = access.access_version_by_id(request.user, version_id)
    if not access.can_create_standards(request.user):
        raise PermissionDenied(_("只有创建办可以把标准复制为本单位的标准。"))
    initial = {"name": version.standard.name}
    form = AdoptForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_standard(
                by=request.user,
                version=version,
                owner=form.cleaned_data["owner"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已复制为“%(name)s”，归%(office)s维护，可以自由修改。")
                % {"name": copy.standard.name, "office": form.cleaned_data["owner"].name},
            )
            return redirect(_editor_url(copy))
    return render(request, "standards/adopt.html", {"form": form, "version": version})


@login_required
def version_export(request: AuthenticatedHttpRequest, version_id: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    version = access.access_version_by_id(request.user, version_id)
    document = selectors.document_of(version)
    response = HttpResponse(interchange.export(document, fmt), content_type=interchange.CONTENT_TYPES[fmt])
    filename = f"{version.standard.code}-v{version.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def version_import(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    """A new draft version of this standard from a file; nothing is written unless the whole file is sound."""
    version = access.access_version_by_id(request.user, version_id, for_change=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[interchange.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = interchange.read_file(upload.name, upload.read())
        errors = result.errors
        if result.document is not None:
            try:
                new = services.import_version(
                    by=request.user, standard=version.standard, document=result.document
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("已导入为新版本“%(label)s”（草稿），共 %(count)s 个条目。")
                    % {"label": new.label, "count": len(result.document.items)},
                )
                return redirect(_editor_url(new))
    context = {"form": form, "errors": errors, "version": version}
    return render(request, "standards/import.html", context, status=400 if errors else 200)


@login_required
def version_diff(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version = access.access_version_by_id(request.user, version_id)
    others = list(selectors.other_versions(version))
    against: StandardVersion | None
    if request.GET.get("against"):
        against = access.access_version_by_id(request.user, request.GET["against"])
    else:
        against = selectors.default_comparison(version)
    changes = selectors.compare_versions(against, version) if against is not None else []
    shown = selectors.present_changes(changes)
    context = {
        "version": version,
        "against": against,
        "others": others,
        "version_changes": [c for c in shown if c.change.target == "version"],
        "band_changes": [c for c in shown if c.change.target == "band"],
        "item_changes": [c for c in shown if c.change.target == "item"],
        "counts": {
            status: sum(1 for c in changes if c.target == "item" and c.status == status)
            for status in ("added", "removed", "changed")
        },
    }
    return render(request, "standards/version_diff.html", context)


# --- items (htmx rows) ----------------------------------------------------------------------------------------


def _tree_response(
    request: AuthenticatedHttpRequest, version: StandardVersion, anchor: str = ""
) -> HttpResponse:
    """After a write: the tree again for htmx (sums change with every row), else back to the editor."""
    if wants_partial(request):
        version = access.access_version_by_id(request.user, version.pk)
        return render(request, "standards/_tree.html", _editor_context(request, version))
    return redirect(_editor_url(version, anchor))


def _form_response(
    request: AuthenticatedHttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The item form: a table row for htmx (swapped in place of itself on errors), else a page of its own."""
    if wants_partial(request):
        response = render(request, "standards/_item_form_row.html", context)
        if request.method == "POST":  # the form posted to the tree; put its errors back where it stands
            response = retarget(response, f"#{context['row_id']}")
            response = reswap(response, "outerHTML")
        return response
    return render(request, "standards/item_form.html", context, status=status)


def _next_code(version: StandardVersion, parent: Item | None) -> str:
    """The code a new child of `parent` most likely gets: one more than the highest sibling's last number."""
    prefix = f"{parent.code}." if parent is not None else ""
    codes = set(version.items.values_list("code", flat=True))
    siblings = version.items.filter(parent=parent).values_list("code", flat=True)
    numbers = [
        int(code[len(prefix) :])
        for code in siblings
        if code.startswith(prefix) and code[len(prefix) :].isdigit()
    ]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number}" in codes:
        number += 1
    return f"{prefix}{number}"


@login_required
def item_create(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version = access.access_version_by_id(request.user, version_id, for_change=True)
    reason = _why_not_editable(version)
    if reason:
        return _refuse(request, version, reason)
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    parent: Item | None = None
    if parent_id:
        parent = version.items.filter(pk=parent_id).first() if str(parent_id).isdigit() else None
        if parent is None:
            raise Http404
    suggested = _next_code(version, parent)
    kind = Item.Kind.SCORED if parent is not None else Item.Kind.AREA
    form = ItemForm(request.POST or None, initial={"code": suggested, "kind": kind, "max_points": 0})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(by=request.user, version=version, parent=parent, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _tree_response(request, version, f"item-{item.pk}")
    context = {
        "form": form,
        "version": version,
        "parent": parent,
        "item": None,
        "row_id": f"new-item-{parent.pk if parent else 'top'}",
        "action": reverse("standards:item_create", kwargs={"version_id": version.pk}),
    }
    return _form_response(request, context, status=400 if form.errors else 200)


@login_required
def item_edit(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = access.access_item_by_id(request.user, item_id, for_change=True)
    version = item.version
    reason = _why_not_editable(version)
    if reason:
        return _refuse(request, version, reason)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        changes = {name: value for name, value in values.items() if value != getattr(item, name)}
        try:
            if changes:
                services.update_item(by=request.user, item=item, changes=changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _tree_response(request, version, f"item-{item.pk}")
    context = {
        "form": form,
        "version": version,
        "parent": None,
        "item": item,
        "row_id": f"item-{item.pk}",
        "action": reverse("standards:item_edit", kwargs={"item_id": item.pk}),
    }
    return _form_response(request, context, status=400 if form.errors else 200)


@login_required
@require_POST
def item_delete(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = access.access_item_by_id(request.user, item_id, for_change=True)
    version = item.version
    try:
        services.delete_item(by=request.user, item=item)
    except ValidationError as error:
        return _refuse(request, version, " ".join(error.messages))
    if not wants_partial(request):
        messages.success(request, _("已删除“%(item)s”及其子项。") % {"item": item})
    return _tree_response(request, version, "items")


@login_required
@require_POST
def item_move(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = access.access_item_by_id(request.user, item_id, for_change=True)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    try:
        services.move_item(by=request.user, item=item, direction="up" if direction == "up" else "down")
    except ValidationError as error:
        return _refuse(request, item.version, " ".join(error.messages))
    return _tree_response(request, item.version, f"item-{item.pk}")


# --- grade bands --------------------------------------------------------------------------------------------


@login_required
@require_POST
def band_create(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version = access.access_version_by_id(request.user, version_id, for_change=True)
    reason = _why_not_editable(version)
    if reason:
        return _refuse(request, version, reason)
    form = BandForm(request.POST, prefix="band")
    if form.is_valid():
        try:
            services.add_grade_band(by=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已添加等次“%(name)s”。") % {"name": form.cleaned_data["name"]})
            return redirect(_editor_url(version, "bands"))
    return _render_editor(request, version, band_form=form, status=400)


@login_required
@require_POST
def band_edit(request: AuthenticatedHttpRequest, band_id: int) -> HttpResponse:
    band = access.access_band_by_id(request.user, band_id, for_change=True)
    version = band.version
    reason = _why_not_editable(version)
    if reason:
        return _refuse(request, version, reason)
    form = BandForm(request.POST, instance=band, prefix=f"band-{band.pk}")
    if form.is_valid():
        try:
            services.update_grade_band(by=request.user, band=band, changes=dict(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存等次“%(name)s”。") % {"name": form.cleaned_data["name"]})
            return redirect(_editor_url(version, "bands"))
    return _render_editor(request, version, failed_band=(band.pk, form), status=400)


@login_required
@require_POST
def band_delete(request: AuthenticatedHttpRequest, band_id: int) -> HttpResponse:
    band: GradeBand = access.access_band_by_id(request.user, band_id, for_change=True)
    try:
        services.delete_grade_band(by=request.user, band=band)
    except ValidationError as error:
        return _refuse(request, band.version, " ".join(error.messages))
    messages.success(request, _("已删除等次“%(name)s”。") % {"name": band.name})
    return redirect(_editor_url(band.version, "bands"))
