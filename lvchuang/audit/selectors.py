"""Audit entries made readable: field labels, choice labels and related objects' names, before → after.

django-auditlog stores every value as text ("None", "5", "community"). Showing a foreign key by name would cost
one query per value with auditlog's own `changes_display_dict`; here the names are looked up in one query per
related model for a whole page of entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvchuang.audit.models import AuditEntry

# Fields whose change says nothing to a reader: the key, and timestamps the entry itself already carries.
HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at", "granted_at", "assigned_at", "started_at"})
NONE = "None"

ACTION_LABELS: dict[int, str | Promise] = {
    AuditEntry.Action.CREATE: _("新建"),
    AuditEntry.Action.UPDATE: _("修改"),
    AuditEntry.Action.DELETE: _("删除"),
    AuditEntry.Action.ACCESS: _("查看"),
}
ACTION_NAMES = {
    AuditEntry.Action.CREATE: "create",
    AuditEntry.Action.UPDATE: "update",
    AuditEntry.Action.DELETE: "delete",
    AuditEntry.Action.ACCESS: "access",
}


@dataclass(frozen=True)
class FieldChange:
    label: str | Promise
    before: str | Promise
    after: str | Promise
    before_empty: bool
    after_empty: bool


@dataclass(frozen=True)
class PresentedEntry:
    entry: AuditEntry
    model_label: str | Promise
    action: str  # create, update, delete, access: a CSS class
    action_label: str | Promise
    changes: list[FieldChange]
    url: str | None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _pairs(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    pairs = []
    for name, values in changes.items():
        if name in HIDDEN_FIELDS:
            continue
        if isinstance(values, list | tuple) and len(values) == 2:
            pairs.append((name, values[0], values[1]))
        else:  # many-to-many changes and other shapes: show them as they are
            pairs.append((name, "", values))
    return pairs


def _related_names(entries: list[AuditEntry]) -> dict[type[models.Model], dict[str, str]]:
    """Names of every related object the entries mention: one query per related model."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, before, after in _pairs(entry):
            field = _field(model, name)
            if isinstance(field, models.ForeignKey):
                related = field.related_model
                assert isinstance(related, type)
                wanted[related].update(str(v) for v in (before, after) if str(v).isdigit())
    return {
        model: {str(obj.pk): str(obj) for obj in model._default_manager.filter(pk__in=sorted(ids))}
        for model, ids in wanted.items()
    }


def _display(
    field: models.Field[Any, Any] | None, value: Any, names: dict[type[models.Model], dict[str, str]]
) -> tuple[str | Promise, bool]:
    text = "" if value is None else str(value)
    if text in (NONE, ""):
        return _("（空）"), True
    if field is None:
        return text, False
    if isinstance(field, models.ForeignKey):
        related = field.related_model
        assert isinstance(related, type)
        return names.get(related, {}).get(text, _("已删除的记录 #%(pk)s") % {"pk": text}), False
    if isinstance(field, models.BooleanField):
        return (_("是") if text == "True" else _("否")), False
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return labels.get(text, text), False
    return text, False


def _object_url(entry: AuditEntry) -> str | None:
    """Where the entry's object can be opened, if anywhere (the page itself checks access again)."""
    if entry.action == AuditEntry.Action.DELETE:
        return None
    extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    label = f"{entry.content_type.app_label}.{entry.content_type.model}"
    routes: dict[str, tuple[str, Any]] = {
        "organisations.unit": ("organisations:unit_detail", entry.object_pk),
        "organisations.office": ("organisations:office_detail", entry.object_pk),
        "organisations.department": ("organisations:department_detail", entry.object_pk),
        "organisations.governingbody": ("organisations:body_detail", entry.object_pk),
        "organisations.reviewerassignment": ("organisations:unit_detail", extra.get("unit_id")),
        "accounts.user": ("accounts:user_detail", entry.object_pk),
        "accounts.roleassignment": ("accounts:user_detail", extra.get("user_id")),
        # A region's path is its code without the trailing zero segments.
        "regions.region": ("regions:detail", str(extra.get("region_path") or "").ljust(12, "0")),
    }
    if label not in routes:
        return None
    name, argument = routes[label]
    try:
        return reverse(name, args=[argument])
    except NoReverseMatch:
        return None


def present_entries(entries: Iterable[AuditEntry]) -> list[PresentedEntry]:
    """Readable entries; select_related("actor", "content_type") on the queryset keeps this N+1-free."""
    entries = list(entries)
    names = _related_names(entries)
    presented = []
    for entry in entries:
        model = entry.content_type.model_class()
        order = {field.name: index for index, field in enumerate(model._meta.fields)} if model else {}
        changes = []
        for name, before, after in sorted(_pairs(entry), key=lambda pair: order.get(pair[0], len(order))):
            field = _field(model, name)
            before_text, before_empty = _display(field, before, names)
            after_text, after_empty = _display(field, after, names)
            if after_empty and entry.action == AuditEntry.Action.CREATE:
                continue  # a new record's empty fields are noise
            changes.append(
                FieldChange(
                    label=field.verbose_name if field is not None else name,
                    before=before_text,
                    after=after_text,
                    before_empty=before_empty,
                    after_empty=after_empty,
                )
            )
        presented.append(
            PresentedEntry(
                entry=entry,
                model_label=model._meta.verbose_name if model is not None else entry.content_type.model,
                action=ACTION_NAMES.get(entry.action, "access"),
                action_label=ACTION_LABELS.get(entry.action, str(entry.action)),
                changes=changes,
                url=_object_url(entry),
            )
        )
    return presented
